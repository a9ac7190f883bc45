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

The other stored values a fit reads follow the same rule (refused on import,
left out with a warning naming them when read, listed by ``skmeta kb
check``): an evaluation's timings (at most
:data:`~skmeta.knowledge.records.MAX_SECONDS`), a dataset's meta-features
(at most :data:`~skmeta.knowledge.records.MAX_METAFEATURE_MAGNITUDE` in
magnitude, see :func:`usable_datasets`) and the learned settings stored as
properties (``adjuster_settings.<family>``, ``racing_policy.<family>``, see
:func:`setting_problem`).
"""

from __future__ import annotations

import dataclasses
import functools
import warnings

import numpy as np
import pandas as pd

from skmeta.knowledge.records import MAX_METAFEATURE_MAGNITUDE, MAX_SECONDS

__all__ = ["configuration_problem", "invalid_datasets", "invalid_evaluations",
           "invalid_properties", "setting_problem", "usable_datasets",
           "usable_evaluations"]

#: How many invalid records a warning or an error names before "and N more".
MAX_NAMED = 5


@functools.cache
def _spaces(task):
    from skmeta.strategies import known_portfolio

    return {strategy.name: strategy.space for strategy in known_portfolio(task)}


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
    problems = pd.Series(problems, index=frame.index, dtype=object)
    return problems.fillna(_timing_problems(frame))


def _timing_problems(frame):
    """Timings out of range, by row (None where both are in range)."""
    problems = pd.Series(None, index=frame.index, dtype=object)
    for name in ("predict_seconds", "fit_seconds"):
        values = frame[name]
        bad = ~values.between(0.0, MAX_SECONDS)
        problems[bad] = [f"{name} {value!r} is outside [0, {MAX_SECONDS:g}] seconds"
                         for value in values[bad]]
    return problems


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
        "configuration does not fit the strategy's space, or whose timings are "
        "out of range; they are left out: "
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


def _metafeature_problems(metafeatures):
    """Datasets (index) whose meta-features overflow float32, with the problem."""
    values = metafeatures.to_numpy(dtype=float)
    too_large = np.abs(np.nan_to_num(values, nan=0.0)) > MAX_METAFEATURE_MAGNITUDE
    problems = {}
    for row in np.flatnonzero(too_large.any(axis=1)):
        column = int(np.flatnonzero(too_large[row])[0])
        problems[metafeatures.index[row]] = (
            f"meta-feature {metafeatures.columns[column]!r} is "
            f"{float(values[row, column])!r}, beyond {MAX_METAFEATURE_MAGNITUDE:g}"
            + (f" (and {int(too_large[row].sum()) - 1} more)"
               if too_large[row].sum() > 1 else "")
        )
    return problems


def invalid_datasets(knowledge_base):
    """The stored datasets whose meta-features the meta-models cannot use.

    Returns
    -------
    pandas.DataFrame
        Rows of :meth:`KnowledgeBase.datasets
        <skmeta.knowledge.KnowledgeBase.datasets>` with a ``problem`` column.
    """
    datasets = knowledge_base.datasets()
    problems = _metafeature_problems(knowledge_base.metafeatures())
    invalid = datasets.loc[list(problems)]
    return invalid.assign(problem=[problems[i] for i in invalid.index])


def usable_datasets(datasets, metafeatures, *, stacklevel=2):
    """``datasets`` without those whose meta-features the meta-models cannot
    use, warning about each one left out (with its evaluations).

    Parameters
    ----------
    datasets : pandas.DataFrame
        Rows of :meth:`KnowledgeBase.datasets
        <skmeta.knowledge.KnowledgeBase.datasets>`.
    metafeatures : pandas.DataFrame
        :meth:`KnowledgeBase.metafeatures
        <skmeta.knowledge.KnowledgeBase.metafeatures>`.
    """
    problems = _metafeature_problems(
        metafeatures[metafeatures.index.isin(datasets.index)])
    if not problems:
        return datasets
    named = [f"dataset {datasets.loc[i, 'name']!r} ({i}): {problem}"
             for i, problem in list(problems.items())[:MAX_NAMED]]
    more = len(problems) - len(named)
    warnings.warn(
        f"the knowledge base holds {len(problems)} dataset(s) whose meta-features "
        "the meta-models cannot use; they and their evaluations are left out: "
        + "; ".join(named) + (f"; and {more} more" if more else "")
        + ". List them with `skmeta kb check`.",
        UserWarning, stacklevel=stacklevel + 1,
    )
    return datasets[~datasets.index.isin(list(problems))]


def _adjuster_settings_problem(values):
    from skmeta.adjust import AdjusterSettings

    known = {field.name for field in dataclasses.fields(AdjusterSettings)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f"unknown settings {unknown}; known: {sorted(known)}")
    AdjusterSettings(**values)


def _racing_policy_problem(values):
    from skmeta.race_policy import RacingPolicy

    if set(values) != {"bounds", "margins"}:
        raise ValueError(
            f"a policy has exactly 'bounds' and 'margins', got {sorted(values)}")
    bounds = RacingPolicy.from_dict(values).bounds
    if list(bounds) != sorted(bounds):
        raise ValueError(f"bounds must be increasing, got {list(bounds)}")


#: Stored learned settings a fit reads: property name prefix -> the key of
#: the value in it, and a check of that value that raises on a problem.
_SETTINGS = {
    "adjuster_settings.": ("settings", _adjuster_settings_problem),
    "racing_policy.": ("policy", _racing_policy_problem),
}


def setting_problem(name, value):
    """What is wrong with a stored property that a fit reads, or None.

    Parameters
    ----------
    name : str
        The property's name; only ``adjuster_settings.<family>`` and
        ``racing_policy.<family>`` are read by a fit, others have no problem.
    value : object
        Its decoded value.

    Returns
    -------
    str or None

    Examples
    --------
    >>> from skmeta.knowledge.checks import setting_problem
    >>> setting_problem("adjuster_settings.regression",
    ...                 {"settings": {"temperature": -1.0}, "version": 1})
    'settings: temperature must be a positive number, got -1.0'
    """
    prefix = next((p for p in _SETTINGS if name.startswith(p)), None)
    if prefix is None:
        return None
    key, check = _SETTINGS[prefix]
    if not isinstance(value, dict) or not isinstance(value.get(key), dict):
        return f"it must be an object holding an object {key!r}"
    for field in ("n_datasets", "version"):
        if field in value and (type(value[field]) is not int or value[field] < 0):
            return f"{field} must be a non-negative integer, got {value[field]!r}"
    try:
        check(value[key])
    except (TypeError, ValueError, KeyError) as exc:
        return f"{key}: {str(exc).rstrip('.')}"
    return None


def invalid_properties(knowledge_base):
    """The stored properties a fit reads that it cannot use: name -> problem."""
    problems = {name: setting_problem(name, value)
                for name, value in knowledge_base.properties().items()}
    return {name: problem for name, problem in problems.items() if problem}
