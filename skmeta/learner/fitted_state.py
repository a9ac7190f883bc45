"""The fitted state of a MetaLearner, and the one way to compute it.

A :class:`~skmeta.MetaLearner` reaches its fitted state in three ways:
``fit`` (after meta-training), ``from_knowledge_base`` (no dataset
evaluated) and :func:`~skmeta.learner.from_shipped_file.shipped_meta_learner`
(read from the shipped meta-models file). Each builds one
:class:`FittedState`, which ``MetaLearner._set_fitted_state`` sets on the
learner at once: a fitted attribute added here is set by all three.

Everything is computed when the state is built except what a family's
first search needs: its performance and cost models, its adjuster settings
and its racing policy are fitted, learned (by replay, by simulated races) or
read from the knowledge base when first looked up, once, under one lock
(:mod:`skmeta.learner.lazy_models`), so that a process that only classifies
never pays for the regression ones, and a learner of part of the shipped
knowledge base (another seed, datasets left out) is ready in a second
rather than after a minute of learning. ``fit`` learns them all at once.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field, fields

from skmeta.knowledge.checks import usable_evaluations
from skmeta.learner.lazy_models import LazyModels, PendingModel, PendingValue
from skmeta.learner.learned_settings import learn_adjuster_settings, learn_racing
from skmeta.learner.shipped_models import use_shipped_models
from skmeta.learner.training_data import FAMILIES, family_data, family_portfolio
from skmeta.selection import (
    CostModel,
    NearestDatasets,
    PerformanceModel,
    StaticPortfolio,
)

__all__ = ["FittedState", "default_meta_models", "seen_metafeatures",
           "state_from_knowledge_base", "unfitted_models"]

@dataclass(frozen=True)
class FittedState:
    """Everything a fitted MetaLearner holds (see its Attributes).

    ``knowledge_base`` None stands for the shipped knowledge base, loaded
    when ``knowledge_base_`` is first read; ``shipped`` is then what the
    shipped file says of it (``summary`` and ``dataset_names``).
    ``racing_data`` is what relearning a racing policy needs, per family.
    """

    knowledge_base: object
    training_ids: dict
    nearest: dict
    candidates: dict
    performance_models: LazyModels
    cost_models: LazyModels
    adjuster_settings: dict
    racing_policies: dict
    racing_data: dict
    learns_from_all: bool
    replay_results: dict = field(default_factory=dict)
    shipped: dict | None = None
    dataset_ids: list = field(default_factory=list)
    n_evaluated: int = 0
    n_reused: int = 0

    def attributes(self):
        """Learner attribute -> value (``knowledge_base_`` only when loaded)."""
        private = {"racing_data", "learns_from_all", "shipped"}
        values = {(f"_{f.name}" if f.name in private else f"{f.name}_"):
                  getattr(self, f.name) for f in fields(self)}
        if self.knowledge_base is None:
            del values["knowledge_base_"]
        return values


def unfitted_models(learner, family):
    """The performance and cost models of a family, before fitting.

    The performance model is a :class:`~skmeta.selection.StaticPortfolio`
    for a learner whose ``prior`` is ``"static"``.
    """
    portfolio = family_portfolio(learner.portfolio, family)
    if learner.prior == "static":
        performance = StaticPortfolio(portfolio)
    else:
        performance = PerformanceModel(portfolio, random_state=learner.random_state,
                                       n_jobs=learner.n_jobs)
    return (performance,
            CostModel(portfolio, random_state=learner.random_state, n_jobs=learner.n_jobs))


def seen_metafeatures(table, names, stored_columns):
    """The columns of a family's meta-feature ``table`` its meta-models see.

    Parameters
    ----------
    table : DataFrame
        The family's meta-features (one row per dataset).
    names : "all" or list of str
        A MetaLearner's ``metafeatures`` parameter.
    stored_columns : Index
        Every meta-feature the knowledge base stores: a name outside it is
        a mistake, not a meta-feature this family lacks.

    Examples
    --------
    >>> import pandas as pd
    >>> from skmeta.learner.fitted_state import seen_metafeatures
    >>> table = pd.DataFrame({"n_rows": [10, 20], "skewness.mean": [0.1, 2.0]})
    >>> seen_metafeatures(table, ["n_rows"], table.columns).columns.tolist()
    ['n_rows']
    """
    if isinstance(names, str):  # "all", checked by the parameter's constraints
        return table
    names = list(names)
    if not names or not all(isinstance(name, str) for name in names):
        raise ValueError("metafeatures must be 'all' or a non-empty list of "
                         f"meta-feature names, got {names!r}.")
    unknown = sorted(set(names) - set(stored_columns))
    if unknown:
        raise ValueError(f"metafeatures {unknown} are not stored in the knowledge "
                         "base; choose among the columns of its metafeatures().")
    return table[[name for name in stored_columns if name in set(names)
                  and name in table.columns]]


def state_from_knowledge_base(learner, kb, *, exclude=(), adjuster_settings=None,
                              shipped_models=False, **counts):
    """The fitted state of ``learner`` (its parameters) learned from ``kb``.

    Parameters
    ----------
    learner : MetaLearner
    kb : KnowledgeBase
    exclude : collection of str
        Ids or names of stored datasets to leave out.
    adjuster_settings : dict, optional
        Task family -> settings to use instead of learning them.
    shipped_models : bool
        Read the meta-models from the shipped file when it applies
        (:func:`~skmeta.learner.shipped_models.use_shipped_models`).
    **counts
        ``dataset_ids``, ``n_evaluated``, ``n_reused`` of a ``fit``.
    """
    # An invalid stored configuration is left out, with a warning naming it.
    evaluations = usable_evaluations(kb.evaluations(), stacklevel=4)
    datasets = kb.datasets()
    stored = kb.metafeatures()
    excluded = set(exclude)
    learns_from_all = not excluded
    datasets = datasets[~(datasets.index.isin(excluded) | datasets["name"].isin(excluded))]
    training_ids, nearest, candidates = {}, {}, {}
    performance_models, cost_models = LazyModels(), LazyModels()
    # Settings and policies are learned when first read (seconds to
    # a minute a family on a large knowledge base), under the lazy models' lock.
    # They hold no reference to the learner: a cycle would keep a knowledge
    # base's connection open until the garbage collector runs.
    settings, policies = LazyModels(), LazyModels()
    replay_results, racing_data = {}, {}
    log = functools.partial(log_message, learner.verbose)
    for family in FAMILIES:
        runs, table, timed = family_data(family, evaluations, datasets, stored)
        if runs.empty:
            continue
        _check_something_succeeded(family, runs)
        performance, cost = unfitted_models(learner, family)
        # The cost model sees its own size measures whatever ``metafeatures``
        # says; the adjuster settings are learned as by default.
        seen = seen_metafeatures(table, learner.metafeatures, stored.columns)
        performance_models[family] = PendingModel(performance, seen, runs)
        cost_models[family] = PendingModel(cost, table, timed)
        nearest[family] = NearestDatasets().fit(seen)
        training_ids[family] = ids = sorted(set(runs["dataset_id"]))
        unique = runs.drop_duplicates(subset=["strategy", "config_key"])
        candidates[family] = list(zip(unique["strategy"], unique["config"]))
        rows = datasets.loc[datasets.index.isin(ids), "n_samples"].to_dict()
        racing_data[family] = (kb, runs, rows, learns_from_all)
        if adjuster_settings is not None and family in adjuster_settings:
            settings[family] = adjuster_settings[family]
        else:
            settings[family] = PendingValue(functools.partial(
                _learned_settings, kb, family, table, runs,
                family_portfolio(learner.portfolio, family), len(ids), learns_from_all,
                replay_results, learner.random_state, learner.n_jobs, log))
        policies[family] = PendingValue(functools.partial(
            learn_racing, kb, family, runs, rows, use_stored=learns_from_all, log=log))
    if shipped_models and learns_from_all and default_meta_models(learner):
        use_shipped_models(learner, kb, performance_models, cost_models)
    return FittedState(
        knowledge_base=kb, training_ids=training_ids, nearest=nearest,
        candidates=candidates, performance_models=performance_models,
        cost_models=cost_models, adjuster_settings=settings,
        racing_policies=policies, racing_data=racing_data,
        learns_from_all=learns_from_all, replay_results=replay_results, **counts,
    )


def default_meta_models(learner):
    """Whether the learner's meta-models are of the kind the shipped file
    holds: the meta-feature prior, every meta-feature."""
    return learner.prior == "meta-features" and isinstance(learner.metafeatures, str)


def log_message(verbose, message):
    """Print a MetaLearner's progress ``message`` on stderr if ``verbose``."""
    if verbose:
        print(f"[MetaLearner] {message}", file=sys.stderr, flush=True)


def _learned_settings(kb, family, table, runs, portfolio, n_datasets, use_stored,
                      replay_results, random_state, n_jobs, log):
    """A family's adjuster settings (its replay's results kept in ``replay_results``)."""
    settings, results = learn_adjuster_settings(
        kb, family, table, runs, portfolio, n_datasets, use_stored=use_stored,
        random_state=random_state, n_jobs=n_jobs, log=log)
    if results is not None:
        replay_results[family] = results
    return settings


def _check_something_succeeded(family, runs):
    if not runs["status"].eq("ok").any():
        causes = "; ".join(
            f"{name}: {error}" for name, error in
            runs[["strategy", "error"]].drop_duplicates().itertuples(index=False)
        )
        raise ValueError(
            f"every one of the {len(runs)} stored {family} evaluations "
            "failed, so there is nothing to learn from (they stay stored). "
            f"Causes: {causes}"
        )
