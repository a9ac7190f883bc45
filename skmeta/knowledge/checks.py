"""Stored configurations checked against their strategies' spaces.

A stored evaluation is *valid* when its configuration fits the space of its
strategy: the default strategy of that name for the dataset's task
(:func:`skmeta.strategies.default_portfolio`), every hyperparameter known,
none missing, every value in range. The meta-models turn configurations
into vectors of that space, so a single invalid one would make every fit,
``recommend`` and ``MetaLearner.recommend`` on the knowledge base fail.

- On import (``KnowledgeBase.import_dict``, ``import_json``, ``from_json``,
  ``skmeta kb import``) an invalid configuration is refused, naming the
  record, and nothing is imported.
- A knowledge base that already holds one (written by hand, or by an older
  skmeta) keeps working: :func:`usable_evaluations` leaves the record out of
  the meta-models with a warning that names it.
- :func:`invalid_evaluations` lists them (``skmeta kb check``) and
  :meth:`KnowledgeBase.remove_evaluations
  <skmeta.knowledge.KnowledgeBase.remove_evaluations>` removes them
  (``skmeta kb remove --invalid``).

Evaluations of strategies that are not default strategies (user-defined
ones) are not checked: their spaces are not known here.
"""

from __future__ import annotations

import functools
import warnings

import pandas as pd

__all__ = ["configuration_problem", "invalid_evaluations", "usable_evaluations"]

#: How many invalid records a warning or an error names before "and N more".
MAX_NAMED = 5


@functools.cache
def _spaces(task):
    from skmeta.strategies import default_portfolio

    return {strategy.name: strategy.space for strategy in default_portfolio(task)}


def configuration_problem(strategy, config, task):
    """What is wrong with a stored configuration, or None when it is valid.

    Parameters
    ----------
    strategy : str
    config : dict
    task : {"binary", "multiclass", "regression"}

    Returns
    -------
    str or None
        The problem (e.g. ``"hyperparameter 'weights': 'foo' is not one of
        ['uniform', 'distance']"``); None for a valid configuration, and for
        a strategy that is not a default one.
    """
    if task not in ("binary", "multiclass", "regression"):
        return None
    space = _spaces(task).get(strategy)
    if space is None:
        return None
    try:
        space.validate(config, complete=True)
    except (TypeError, ValueError) as exc:
        return str(exc).rstrip(".")
    return None


def _problems(frame):
    """The problem of every row of an evaluations frame (None: valid).

    Each distinct (task, strategy, configuration) is checked once.
    """
    if frame.empty:
        return pd.Series([], index=frame.index, dtype=object)
    cache = {}
    problems = []
    for task, strategy, key, config in zip(frame["task"], frame["strategy"],
                                           frame["config_key"], frame["config"],
                                           strict=True):
        if (task, strategy, key) not in cache:
            cache[task, strategy, key] = configuration_problem(strategy, config, task)
        problems.append(cache[task, strategy, key])
    return pd.Series(problems, index=frame.index, dtype=object)


def describe_record(row):
    """How a message names one stored evaluation (a row of ``evaluations()``)."""
    return (f"{row['strategy']} on dataset {row['dataset_name']!r} "
            f"({row['dataset_id']}), config {row['config']}")


def invalid_evaluations(knowledge_base):
    """The stored evaluations whose configuration does not fit their strategy.

    Parameters
    ----------
    knowledge_base : KnowledgeBase

    Returns
    -------
    pandas.DataFrame
        The rows of :meth:`KnowledgeBase.evaluations
        <skmeta.knowledge.KnowledgeBase.evaluations>` that are invalid, with
        a ``problem`` column; empty when every configuration is valid.

    Examples
    --------
    >>> from skmeta.knowledge import Evaluation, KnowledgeBase
    >>> from skmeta.knowledge.checks import invalid_evaluations
    >>> kb = KnowledgeBase()
    >>> kb.add_dataset("d1", "iris", "multiclass", {}, n_samples=150, n_features=4)
    >>> kb.add_evaluation(Evaluation("d1", "knn", {"n_neighbors": 5, "p": 2,
    ...     "weights": "foo"}, "accuracy", "KFold(3)", 0, score=0.9,
    ...     fold_scores=[0.9, 0.9, 0.9]))
    True
    >>> invalid_evaluations(kb)["problem"].tolist()
    ["hyperparameter 'weights': 'foo' is not one of ['uniform', 'distance']"]
    """
    frame = knowledge_base.evaluations()
    problems = _problems(frame)
    invalid = problems.notna()
    return frame[invalid].assign(problem=problems[invalid]).reset_index(drop=True)


def usable_evaluations(frame, *, stacklevel=2):
    """``frame`` without its invalid evaluations, warning about each one left out.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows of :meth:`KnowledgeBase.evaluations
        <skmeta.knowledge.KnowledgeBase.evaluations>`.

    Returns
    -------
    pandas.DataFrame
        ``frame`` itself when every configuration is valid, else the valid
        rows (index reset).
    """
    problems = _problems(frame)
    invalid = problems.notna()
    if not invalid.any():
        return frame
    named = [f"{describe_record(frame.loc[i])}: {problems[i]}"
             for i in frame.index[invalid][:MAX_NAMED]]
    more = int(invalid.sum()) - len(named)
    warnings.warn(
        f"the knowledge base holds {int(invalid.sum())} evaluation(s) whose "
        "configuration does not fit the strategy's space; they are left out: "
        + "; ".join(named) + (f"; and {more} more" if more else "")
        + ". List them with `skmeta kb check` and remove them with `skmeta kb "
        "remove --invalid`.",
        UserWarning, stacklevel=stacklevel + 1,
    )
    return frame[~invalid].reset_index(drop=True)


def row_problems(rows, tasks):
    """Problems of evaluation table rows (see :class:`~skmeta.knowledge.exchange.
    ValidDocument`): ``(position, message)`` for each invalid one.

    ``tasks`` maps dataset ids to tasks; a row whose dataset is not in it is
    not checked (the caller checks it against the stored datasets).
    """
    import json

    cache = {}
    found = []
    for position, row in enumerate(rows):
        task = tasks.get(row[0])
        if task is None:
            continue
        key = (task, row[1], row[2])
        if key not in cache:
            cache[key] = configuration_problem(row[1], json.loads(row[3]), task)
        if cache[key] is not None:
            found.append((position, (
                f"config of strategy {row[1]!r} on dataset {row[0]!r} does not fit "
                f"the strategy's space: {cache[key]}"
            )))
    return found
