"""Extraction of the meta-feature vector of one dataset, and its names."""

from __future__ import annotations

import numbers
import warnings

import numpy as np
import pandas as pd

from skmeta._threadpools import single_threaded
from skmeta.datasets import TASKS, Dataset
from skmeta.metafeatures import (
    complexity,
    general,
    info_theory,
    landmarking,
    statistical,
)
from skmeta.metafeatures._summary import describe_measures
from skmeta.metafeatures._table import build_table

#: The meta-feature groups, in output order.
GROUPS = ("general", "statistical", "info_theory", "landmarking", "complexity")

_MODULES = {
    "general": general,
    "statistical": statistical,
    "info_theory": info_theory,
    "landmarking": landmarking,
    "complexity": complexity,
}


def check_groups(groups):
    """Validate ``groups`` and return it as a tuple in :data:`GROUPS` order."""
    if isinstance(groups, str):
        groups = GROUPS if groups == "all" else (groups,)
    try:
        chosen = list(groups)
    except TypeError:
        raise TypeError(
            f"groups must be 'all', a group name or a list of them, got "
            f"{type(groups).__name__}."
        ) from None
    unknown = [g for g in chosen if g not in GROUPS]
    if unknown:
        raise ValueError(
            f"unknown meta-feature groups {unknown}; choose from {GROUPS} or 'all'."
        )
    if not chosen:
        raise ValueError(f"groups is empty; choose from {GROUPS} or 'all'.")
    return tuple(g for g in GROUPS if g in chosen)


def _check_task(task):
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}.")
    return task


def _check_positive_int(value, name, minimum):
    integral = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if not integral or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def metafeature_names(task, groups="all"):
    """The ordered names of the meta-features of a task.

    Binary and multiclass classification share one list. The Series
    returned by :func:`extract_metafeatures` has exactly these names, in
    this order.

    Parameters
    ----------
    task : {"binary", "multiclass", "regression"}
    groups : "all", str or list of str, default="all"
        Groups among :data:`GROUPS`.

    Returns
    -------
    list of str

    Examples
    --------
    >>> from skmeta.metafeatures import metafeature_names
    >>> names = metafeature_names("binary")
    >>> names[:3]
    ['n_rows', 'n_features', 'n_numeric']
    >>> names == metafeature_names("multiclass")
    True
    >>> metafeature_names("regression", groups="landmarking")[:2]
    ['lm_1nn.score', 'lm_1nn.fit_seconds']
    """
    return [name for name, _, _ in _rows(_check_task(task), check_groups(groups))]


def _rows(task, groups):
    for group in groups:
        for name, description in describe_measures(_MODULES[group].MEASURES, task):
            yield name, group, description


def describe_metafeatures(task=None, groups="all"):
    """A table documenting every meta-feature.

    Parameters
    ----------
    task : {"binary", "multiclass", "regression"} or None, default=None
        List the meta-features of this task, in output order; None lists those
        of every task (see :func:`all_names`).
    groups : "all", str or list of str, default="all"

    Returns
    -------
    DataFrame
        Columns ``name``, ``group``, ``tasks`` (the tasks the meta-feature
        exists for: "all", "classification" or "regression") and
        ``description``.

    Examples
    --------
    >>> from skmeta.metafeatures import describe_metafeatures
    >>> table = describe_metafeatures()
    >>> table.columns.tolist()
    ['name', 'group', 'tasks', 'description']
    >>> table.set_index("name").loc["lm_naive_bayes.score", "tasks"]
    'classification'
    """
    groups = check_groups(groups)
    union = list(_union_rows(groups))
    classification = set(metafeature_names("multiclass", groups))
    regression = set(metafeature_names("regression", groups))
    rows = union if task is None else list(_rows(_check_task(task), groups))
    labels = [
        "all" if name in classification and name in regression
        else "classification" if name in classification else "regression"
        for name, _, _ in rows
    ]
    return pd.DataFrame(
        [
            (name, group, label, text)
            for (name, group, text), label in zip(rows, labels, strict=True)
        ],
        columns=["name", "group", "tasks", "description"],
    )


def _union_rows(groups):
    """Rows of every task: per group, classification names then regression-only ones."""
    seen = set()
    for group in groups:
        for task in ("multiclass", "regression"):
            for row in _rows(task, (group,)):
                if row[0] not in seen:
                    seen.add(row[0])
                    yield row


def all_names(groups="all"):
    """Names of the meta-features of every task, in a fixed order.

    Within each group the classification names come first, then the
    regression-only ones. :class:`MetaFeatureExtractor` tables use this order.
    """
    return [name for name, _, _ in _union_rows(check_groups(groups))]


def _seeds(random_state):
    """One seed for the table and one per group, drawn in a fixed order.

    Each group gets its own generator, so a group's values do not depend on
    which other groups are extracted.
    """
    if isinstance(random_state, np.random.RandomState):
        random_state = random_state.randint(np.iinfo(np.int32).max)
    rng = np.random.default_rng(random_state)
    seeds = rng.integers(0, 2**63, size=len(GROUPS) + 1)
    return seeds[0], dict(zip(GROUPS, seeds[1:], strict=True))


def extract_dataset_metafeatures(dataset, *, groups="all", max_rows=10_000,
                                 landmarking_folds=3, random_state=None):
    """Meta-features of a :class:`~skmeta.datasets.Dataset`.

    Same as :func:`extract_metafeatures`, for a dataset already built
    (and validated); its name becomes the name of the Series.

    Examples
    --------
    >>> from skmeta import load_penguins
    >>> from skmeta.metafeatures import extract_dataset_metafeatures
    >>> values = extract_dataset_metafeatures(load_penguins(), random_state=0)
    >>> values.name, values[["n_categorical", "missing_fraction"]].round(4).tolist()
    ('penguins', [2.0, 0.0079])
    """
    if not isinstance(dataset, Dataset):
        raise TypeError(
            f"dataset must be a skmeta Dataset, got {type(dataset).__name__}."
        )
    groups = check_groups(groups)
    max_rows = _check_positive_int(max_rows, "max_rows", 2)
    landmarking_folds = _check_positive_int(landmarking_folds, "landmarking_folds", 2)
    table_seed, group_seeds = _seeds(random_state)
    task = dataset.task
    table_rng = np.random.default_rng(table_seed)
    table, y = build_table(dataset, max_rows=max_rows, rng=table_rng)
    values = {}
    # The matrices are small: BLAS and OpenMP threads cost more than they save (and
    # datasets are extracted in parallel by MetaFeatureExtractor instead).
    with single_threaded(), np.errstate(all="ignore"), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for group in groups:
            options = {"n_folds": landmarking_folds} if group == "landmarking" else {}
            rng = np.random.default_rng(group_seeds[group])
            values.update(_MODULES[group].compute(table, y, task, rng, **options))
    names = metafeature_names(task, groups)
    unexpected = set(values) - set(names)
    if unexpected:  # a group computed a measure it does not document
        raise RuntimeError(f"undocumented meta-features: {sorted(unexpected)}")
    series = pd.Series(
        [float(values.get(name, np.nan)) for name in names],
        index=pd.Index(names, name="metafeature"),
        name=dataset.name,
        dtype=float,
    )
    series.attrs.update(task=task, n_rows_analysed=table.n_analysed)
    return series


def extract_metafeatures(X, y, task=None, *, groups="all", max_rows=10_000,
                         landmarking_folds=3, random_state=None):
    """Meta-features of one dataset.

    Parameters
    ----------
    X : array-like, DataFrame or sparse matrix of shape (n_samples, n_features)
        Features as they come: a DataFrame may hold categorical (string,
        object or category) columns and missing values.
    y : array-like of shape (n_samples,)
        Target.
    task : {"binary", "multiclass", "regression"} or None, default=None
        Inferred from ``y`` when None (see :func:`skmeta.infer_task`).
    groups : "all", str or list of str, default="all"
        Meta-feature groups among :data:`GROUPS`.
    max_rows : int, default=10_000
        Above this many rows, measures run on a subsample of this size
        (stratified on the class for classification).
    landmarking_folds : int, default=3
        Cross-validation folds of the landmarkers.
    random_state : int, numpy Generator or RandomState, or None, default=None
        Seeds subsampling, landmarking folds and feature sampling.

    Returns
    -------
    Series
        Float values indexed by :func:`metafeature_names` ``(task, groups)``;
        NaN where a measure is undefined. ``attrs`` records the ``task`` and
        ``n_rows_analysed``.

    Raises
    ------
    ValueError
        For empty data, a single row, ``X`` and ``y`` of different lengths, a
        target that is missing, infinite or constant, or infinite features.

    Examples
    --------
    >>> from sklearn.datasets import load_wine
    >>> from skmeta.metafeatures import extract_metafeatures
    >>> X, y = load_wine(return_X_y=True)
    >>> values = extract_metafeatures(X, y, random_state=0)
    >>> len(values) >= 60, values.attrs["task"]
    (True, 'multiclass')
    >>> values[["n_rows", "n_features", "n_classes"]].tolist()
    [178.0, 13.0, 3.0]
    """
    dataset = Dataset(X, y, task=task)
    return extract_dataset_metafeatures(
        dataset,
        groups=groups,
        max_rows=max_rows,
        landmarking_folds=landmarking_folds,
        random_state=random_state,
    )
