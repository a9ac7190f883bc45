"""What the meta-models learn from: a knowledge base, read per task family.

The meta-models of a :class:`~skmeta.MetaLearner` are fitted per task family
(classification, regression), each on the family's stored datasets: their
meta-feature table and the evaluations of each dataset's main protocol.
"""

from __future__ import annotations

from skmeta.knowledge.checks import usable_datasets, usable_evaluations
from skmeta.selection import main_protocol
from skmeta.strategies import known_portfolio, resolve_portfolio

__all__ = [
    "FAMILIES",
    "family_data",
    "family_inputs",
    "family_portfolio",
    "reproducible_metafeatures",
    "task_family",
]

#: The task families, each with its own meta-models.
FAMILIES = ("classification", "regression")


def task_family(task):
    """``"classification"`` for binary and multiclass tasks, else ``"regression"``.

    Examples
    --------
    >>> from skmeta.learner import task_family
    >>> task_family("binary"), task_family("regression")
    ('classification', 'regression')
    """
    return "regression" if task == "regression" else "classification"


def family_portfolio(portfolio, family):
    """The strategies of ``portfolio`` (a MetaLearner's parameter) for a family.

    The meta-models of ``"default"`` know every strategy skmeta knows
    (:func:`~skmeta.strategies.known_portfolio`), so that they are the same
    whether or not the optional libraries are installed; a search proposes
    only the installed ones.
    """
    task = "regression" if family == "regression" else "multiclass"
    if isinstance(portfolio, str) and portfolio == "default":
        return known_portfolio(task)
    return resolve_portfolio(portfolio, task)


def reproducible_metafeatures(metafeatures):
    """Meta-features without the timings (``*.fit_seconds``).

    Timings differ from run to run; a meta-model that saw them would make
    the same ``random_state`` give different recommendations.
    """
    return metafeatures.drop(
        columns=[c for c in metafeatures.columns if str(c).endswith(".fit_seconds")]
    )


def family_data(family, evaluations, datasets, stored):
    """A task family's evaluations, meta-feature table and timed evaluations.

    ``datasets`` are those the meta-models learn from (the knowledge
    base's, less any excluded); ``stored`` is the meta-feature table.
    The evaluations are each dataset's main protocol
    (:func:`~skmeta.selection.main_protocol`), what scores are compared
    on; the timed ones are all of them, for the cost model (each knows
    its rows from its ``cv``).

    Returns
    -------
    runs, table, timed : DataFrame
    """
    tasks = ["regression"] if family == "regression" else ["binary", "multiclass"]
    datasets = usable_datasets(datasets[datasets["task"].isin(tasks)], stored,
                               stacklevel=5)
    ids = datasets.index
    timed = evaluations[evaluations["dataset_id"].isin(ids)]
    table = reproducible_metafeatures(stored[stored.index.isin(ids)]).dropna(
        axis=1, how="all")
    return main_protocol(timed), table, timed


def family_inputs(kb, family, training_ids):
    """What a family's meta-models learn from, out of the whole knowledge base.

    For a learner built without its knowledge base
    (:mod:`skmeta.learner.from_shipped_file`), which reads it only when a
    model must be fitted or a policy learned again.

    Returns
    -------
    runs, table, timed : DataFrame
        As :func:`family_data` gives them.
    rows : dict
        Training dataset id (of ``training_ids``) -> number of rows.
    """
    evaluations = usable_evaluations(kb.evaluations(), stacklevel=4)
    datasets = kb.datasets()
    runs, table, timed = family_data(family, evaluations, datasets, kb.metafeatures())
    rows = datasets.loc[datasets.index.isin(training_ids), "n_samples"]
    return runs, table, timed, rows.to_dict()
