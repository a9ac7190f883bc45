"""MetaFeatureExtractor: meta-features of a collection of datasets."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from skmeta._sklearn_compat import Interval
from skmeta.datasets import TASKS, as_datasets
from skmeta.metafeatures._extract import (
    _check_positive_int,
    all_names,
    check_groups,
    extract_dataset_metafeatures,
    metafeature_names,
)

__all__ = ["EXPECTED_FAILED_CHECKS", "MetaFeatureExtractor"]

_ROWS_ARE_SAMPLES = (
    "feeds a 2-D numeric array whose rows are samples; MetaFeatureExtractor's "
    "samples are datasets (a list of Dataset or (X, y) pairs) and it rejects "
    "an array with a TypeError"
)
_SHAPE_RULES = (
    "expects a ValueError for a malformed 2-D array (no sample, no feature, "
    "1-D, complex, NaN or inf); an array of any shape is not a collection of "
    "datasets, so MetaFeatureExtractor raises a TypeError that says so"
)
_NO_N_FEATURES_IN = (
    "expects n_features_in_; each dataset of the collection has its own number "
    "of features, so there is none"
)

#: scikit-learn estimator checks MetaFeatureExtractor fails by design, with the
#: reason: ``parametrize_with_checks(..., expected_failed_checks=...)`` takes
#: ``lambda estimator: EXPECTED_FAILED_CHECKS``.
EXPECTED_FAILED_CHECKS = {
    "check_fit_score_takes_y": _ROWS_ARE_SAMPLES,
    "check_estimators_overwrite_params": _ROWS_ARE_SAMPLES,
    "check_dont_overwrite_parameters": _ROWS_ARE_SAMPLES,
    "check_estimators_fit_returns_self": _ROWS_ARE_SAMPLES,
    "check_readonly_memmap_input": _ROWS_ARE_SAMPLES,
    "check_positive_only_tag_during_fit": _ROWS_ARE_SAMPLES,
    "check_estimators_dtypes": _ROWS_ARE_SAMPLES,
    "check_dtype_object": _ROWS_ARE_SAMPLES,
    "check_pipeline_consistency": _ROWS_ARE_SAMPLES,
    "check_estimators_pickle": _ROWS_ARE_SAMPLES,
    "check_f_contiguous_array_estimator": _ROWS_ARE_SAMPLES,
    "check_transformer_data_not_an_array": _ROWS_ARE_SAMPLES,
    "check_transformer_general": _ROWS_ARE_SAMPLES,
    "check_transformer_preserve_dtypes": _ROWS_ARE_SAMPLES,
    "check_methods_sample_order_invariance": _ROWS_ARE_SAMPLES,
    "check_methods_subset_invariance": _ROWS_ARE_SAMPLES,
    "check_fit2d_1feature": _ROWS_ARE_SAMPLES,
    "check_dict_unchanged": _ROWS_ARE_SAMPLES,
    "check_fit_idempotent": _ROWS_ARE_SAMPLES,
    "check_fit_check_is_fitted": _ROWS_ARE_SAMPLES,
    "check_array_api_input": _ROWS_ARE_SAMPLES,
    "check_complex_data": _SHAPE_RULES,
    "check_estimators_empty_data_messages": _SHAPE_RULES,
    "check_estimators_nan_inf": _SHAPE_RULES,
    "check_fit2d_1sample": _SHAPE_RULES,
    "check_fit1d": _SHAPE_RULES,
    "check_fit2d_predict1d": _SHAPE_RULES,
    "check_n_features_in": _NO_N_FEATURES_IN,
    "check_n_features_in_after_fitting": _NO_N_FEATURES_IN,
}


def _check_collection(datasets):
    """Reject tables early: their rows are samples, not datasets."""
    if sp.issparse(datasets):
        raise TypeError(
            "MetaFeatureExtractor takes a collection of datasets, got a sparse "
            f"matrix of shape {datasets.shape}; to describe one sparse dataset, "
            "pass [(X, y)] or use skmeta.extract_metafeatures(X, y)."
        )
    if isinstance(datasets, (np.ndarray, pd.DataFrame, pd.Series)):
        raise TypeError(
            "MetaFeatureExtractor takes a collection of datasets (a list of "
            "Dataset or (X, y) pairs, or a folder of CSV files), got a "
            f"{type(datasets).__name__} of shape {np.shape(datasets)}; to "
            "describe one dataset, pass [(X, y)] or use "
            "skmeta.extract_metafeatures(X, y)."
        )
    return as_datasets(datasets)


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

    See Also
    --------
    skmeta.metafeatures.extract_metafeatures : The meta-features of one dataset.

    Notes
    -----
    The input is a collection of datasets, each with its own number of
    features, so there is no ``n_features_in_``; a 2-D array or sparse
    matrix is rejected with a ``TypeError`` (its rows are samples, not
    datasets). ``transform`` returns a DataFrame indexed by the dataset
    names whatever :meth:`set_output` asks for, except ``"polars"``.
    ``*.fit_seconds`` landmarking values are timings and differ from run to
    run, so with the landmarking group the ``non_deterministic`` tag is set.

    **scikit-learn's estimator checks.** The ``two_d_array`` input tag keeps
    its default (True) so that ``check_estimator`` and
    ``parametrize_with_checks`` run every check; scikit-learn's convention for
    inputs that are not tables (``two_d_array=False``, as for
    ``DictVectorizer``) would skip them all. These checks fail by design,
    listed with their reasons in ``EXPECTED_FAILED_CHECKS`` of this module:

    - Rows are not samples: they feed a 2-D numeric array whose rows are
      samples, which is not a collection of datasets: check_fit_score_takes_y,
      check_estimators_overwrite_params, check_dont_overwrite_parameters,
      check_estimators_fit_returns_self, check_readonly_memmap_input,
      check_positive_only_tag_during_fit, check_estimators_dtypes,
      check_dtype_object, check_pipeline_consistency, check_estimators_pickle,
      check_f_contiguous_array_estimator, check_transformer_data_not_an_array,
      check_transformer_general, check_transformer_preserve_dtypes,
      check_methods_sample_order_invariance, check_methods_subset_invariance,
      check_fit2d_1feature, check_dict_unchanged, check_fit_idempotent,
      check_fit_check_is_fitted and check_array_api_input (which runs when
      ``SCIPY_ARRAY_API=1``).
    - Shape rules of a table: they expect a ``ValueError`` for a malformed
      array (no sample, no feature, 1-D, complex, NaN or inf), where any
      array gets the ``TypeError`` above: check_complex_data,
      check_estimators_empty_data_messages, check_estimators_nan_inf,
      check_fit2d_1sample, check_fit1d and check_fit2d_predict1d.
    - No ``n_features_in_``: check_n_features_in and
      check_n_features_in_after_fitting.

    The other checks pass: cloning, parameters and their validation,
    ``repr``, tags, unfitted errors, the mixin order, and the sparse checks
    (a sparse matrix is rejected with a message that says so).

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

    _parameter_constraints = {
        "groups": [str, list, tuple],  # values checked by check_groups
        "max_rows": [Interval(numbers.Integral, 2, None, closed="left")],
        "landmarking_folds": [Interval(numbers.Integral, 2, None, closed="left")],
        "n_jobs": [None, numbers.Integral],
        "random_state": ["random_state", np.random.Generator],
    }

    def __init__(self, groups="all", max_rows=10_000, landmarking_folds=3, n_jobs=None,
                 random_state=None):
        self.groups = groups
        self.max_rows = max_rows
        self.landmarking_folds = landmarking_folds
        self.n_jobs = n_jobs
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        try:
            timed = "landmarking" in check_groups(self.groups)
        except (TypeError, ValueError):  # invalid groups are reported by fit
            timed = False
        tags.non_deterministic = timed
        return tags

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
        self._validate_params()  # scikit-learn's messages, from _parameter_constraints
        datasets = _check_collection(datasets)
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

        Parameters
        ----------
        datasets : list of Dataset or (X, y) pairs, or a folder of CSV files
            See :func:`skmeta.datasets.as_datasets`.

        Returns
        -------
        DataFrame
            One row per dataset (index: the dataset names), one column per
            name of ``feature_names_out_``.
        """
        check_is_fitted(self, "feature_names_out_")
        groups = self._check_params()
        datasets = _check_collection(datasets)
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
        """Fit to ``datasets`` and return their meta-feature table.

        Parameters
        ----------
        datasets : list of Dataset or (X, y) pairs, or a folder of CSV files
            Loaded once, then fitted and transformed.
        y : None
            Ignored.

        Returns
        -------
        DataFrame
            See :meth:`transform`.
        """
        datasets = _check_collection(datasets)
        return self.fit(datasets).transform(datasets)

    def get_feature_names_out(self, input_features=None):
        """Names of the table's columns (``feature_names_out_``).

        Parameters
        ----------
        input_features : None
            Ignored: the columns do not depend on the datasets' own features.

        Returns
        -------
        ndarray of str
        """
        check_is_fitted(self, "feature_names_out_")
        return self.feature_names_out_.copy()
