"""Stratified row subsamples of a :class:`~skmeta.Dataset`.

Meta-training evaluates larger datasets on a subsample of ``max_samples``
rows (:mod:`skmeta.learner.grid`), and so does an estimator's search
(:mod:`skmeta.estimators`): both draw it here, so that the same dataset and
seed give the same rows.
"""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import train_test_split

from skmeta.datasets import Dataset

__all__ = ["subsample", "subsample_indices", "take_rows"]


def subsample_indices(dataset, max_samples, random_state):
    """Sorted row indices of a stratified subsample of ``max_samples`` rows.

    All rows when ``max_samples`` is None or the dataset is not larger; the
    subsample is stratified on the class for classification unless a class
    is too small for it.

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta import Dataset
    >>> from skmeta._subsampling import subsample_indices
    >>> data = Dataset(np.arange(20.0).reshape(10, 2), np.arange(10.0))
    >>> len(subsample_indices(data, 4, random_state=0))
    4
    """
    if max_samples is None or dataset.n_samples <= max_samples:
        return np.arange(dataset.n_samples)
    stratify = dataset.y if dataset.task != "regression" else None
    try:
        index, _ = train_test_split(
            np.arange(dataset.n_samples),
            train_size=max_samples,
            stratify=stratify,
            random_state=random_state,
        )
    except ValueError:  # a class too small to stratify on
        index, _ = train_test_split(
            np.arange(dataset.n_samples), train_size=max_samples,
            random_state=random_state,
        )
    return np.sort(index)


def subsample(dataset, max_samples, random_state):
    """The dataset itself, or a stratified subsample of ``max_samples`` rows."""
    if max_samples is None or dataset.n_samples <= max_samples:
        return dataset
    return take_rows(dataset, subsample_indices(dataset, max_samples, random_state))


def take_rows(dataset, index):
    """A new :class:`Dataset` of the given rows (same name, task and weights)."""
    X = dataset.X.iloc[index] if hasattr(dataset.X, "iloc") else dataset.X[index]
    weights = None if dataset.sample_weight is None else dataset.sample_weight[index]
    return Dataset(X, dataset.y[index], name=dataset.name, task=dataset.task,
                   sample_weight=weights)
