"""MetaFeatureExtractor: meta-features of a collection of datasets."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from skmeta.datasets import TASKS, as_datasets
from skmeta.metafeatures._extract import (
    _check_positive_int,
    all_names,
    check_groups,
    extract_dataset_metafeatures,
    metafeature_names,
)


class MetaFeatureExtractor(TransformerMixin, BaseEstimator):
    """Turn a collection of datasets into a table of meta-features.

    A scikit-learn transformer whose samples are datasets: ``fit`` records
    the task types of a collection and the columns of the table,
    ``transform`` extracts the meta-features of every dataset (in parallel
    with ``n_jobs``) and returns one row per dataset.

    Parameters
    ----------
    groups : "all", str or list of str, default="all"
        Meta-feature groups among :data:`~skmeta.metafeatures.GROUPS`.
    max_rows : int, default=10_000
        Above this many rows, a dataset is analysed on a subsample of this
        size (stratified on the class for classification).
    landmarking_folds : int, default=3
        Cross-validation folds of the landmarkers.
    n_jobs : int or None, default=None
        Datasets extracted in parallel (joblib; -1 uses every core).
    random_state : int, numpy Generator or RandomState, or None, default=None
        Seed of every dataset's extraction; with an int the table does not
        depend on ``n_jobs`` or on the other datasets of the collection.

    Attributes
    ----------
    tasks_ : list of str
        Task types of the datasets seen in ``fit``, in ``skmeta.datasets.TASKS``
        order.
    feature_names_out_ : ndarray of str
        Columns of the table: the meta-features of the tasks seen in ``fit``
        (classification names, then regression-only names, group by group).
        Meta-features a dataset's task does not define are NaN; those of a
        task not seen in ``fit`` are left out.

    Notes
    -----
    The input is a collection of datasets, each with its own number of
    features, so there is no ``n_features_in_``. ``*.fit_seconds``
    landmarking values are timings and differ from run to run.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes, load_iris
    >>> from skmeta import Dataset
    >>> from skmeta.metafeatures import MetaFeatureExtractor
    >>> datasets = [Dataset(*load_iris(return_X_y=True), name="iris"),
    ...             Dataset(*load_diabetes(return_X_y=True), name="diabetes")]
    >>> table = MetaFeatureExtractor(random_state=0).fit_transform(datasets)
    >>> table.index.tolist()
    ['iris', 'diabetes']
    >>> table.loc[:, "n_classes"].tolist()
    [3.0, nan]
    """

    def __init__(self, groups="all", max_rows=10_000, landmarking_folds=3, n_jobs=None,
                 random_state=None):
        self.groups = groups
        self.max_rows = max_rows
        self.landmarking_folds = landmarking_folds
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _check_params(self):
        groups = check_groups(self.groups)
        _check_positive_int(self.max_rows, "max_rows", 2)
        _check_positive_int(self.landmarking_folds, "landmarking_folds", 2)
        if self.n_jobs is not None and not isinstance(self.n_jobs, numbers.Integral):
            raise ValueError(f"n_jobs must be an integer or None, got {self.n_jobs!r}.")
        return groups

    def fit(self, datasets, y=None):
        """Record the task types of ``datasets`` and the table's columns.

        Parameters
        ----------
        datasets : list of Dataset or (X, y) pairs, or a folder of CSV files
            See :func:`skmeta.datasets.as_datasets`.
        y : None
            Ignored; each dataset carries its own target.

        Returns
        -------
        self
        """
        groups = self._check_params()
        datasets = as_datasets(datasets)
        present = {d.task for d in datasets}
        self.tasks_ = [t for t in TASKS if t in present]
        wanted = set()
        for task in self.tasks_:
            wanted.update(metafeature_names(task, groups))
        self.feature_names_out_ = np.array(
            [name for name in all_names(groups) if name in wanted], dtype=object
        )
        return self

    def transform(self, datasets):
        """Meta-features of every dataset of the collection.

        Returns
        -------
        DataFrame
            One row per dataset (index: the dataset names), one column per
            name of ``feature_names_out_``.
        """
        check_is_fitted(self, "feature_names_out_")
        groups = self._check_params()
        datasets = as_datasets(datasets)
        seed = self.random_state
        if seed is not None and not isinstance(seed, numbers.Integral):
            seed = np.random.default_rng(
                seed.randint(2**31) if isinstance(seed, np.random.RandomState) else seed
            ).integers(2**63)
        rows = Parallel(n_jobs=self.n_jobs)(
            delayed(extract_dataset_metafeatures)(
                dataset,
                groups=groups,
                max_rows=self.max_rows,
                landmarking_folds=self.landmarking_folds,
                random_state=seed,
            )
            for dataset in datasets
        )
        table = pd.DataFrame(
            [row.reindex(self.feature_names_out_).to_numpy() for row in rows],
            index=pd.Index([d.name for d in datasets], name="dataset"),
            columns=pd.Index(list(self.feature_names_out_), name="metafeature"),
            dtype=float,
        )
        return table

    def fit_transform(self, datasets, y=None):
        """Fit to ``datasets`` and return their meta-feature table."""
        datasets = as_datasets(datasets)
        return self.fit(datasets).transform(datasets)

    def get_feature_names_out(self, input_features=None):
        """Names of the table's columns (``feature_names_out_``)."""
        check_is_fitted(self, "feature_names_out_")
        return self.feature_names_out_.copy()
