"""The analysed table: the one preprocessing step every group shares.

:func:`build_table` turns a validated :class:`~skmeta.datasets.Dataset`
into a :class:`Table`:

1. rows are subsampled above a row budget (stratified on the class for
   classification, uniform for regression);
2. a sparse matrix is densified after that (all its columns are numeric);
3. the features are split into a float matrix of numeric columns (NaN for a
   missing value; booleans count as numeric) and a matrix of integer codes of
   categorical columns (string, object, category or any other non-numeric
   dtype; -1 for a missing value).

At most :data:`MAX_CELLS` cells are analysed: for data wider than
``MAX_CELLS / max_rows`` columns fewer rows are used (never fewer than
:data:`MIN_ROWS` unless ``max_rows`` asks for it), and beyond
``MAX_CELLS / MIN_ROWS`` columns a random subset of columns.

Representations that several groups need (sorted columns, pairwise
covariances, the imputed and encoded matrix of the landmarkers, the
discretized features of the information-theoretic measures) are computed
lazily, once, as cached properties.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd
import scipy.sparse as sp

from skmeta.metafeatures._summary import sorted_quantiles

#: Most cells (rows x columns) of X that are analysed: the per-feature measures
#: take time in proportion (about 0.1 s for a million cells on one core).
MAX_CELLS = 1_000_000
#: Fewest rows kept when the cell budget lowers the row budget.
MIN_ROWS = 1_000
#: Most numeric columns entering pairwise measures (correlation, covariance,
#: eigenvalues, canonical correlations) and PCA; a random subset beyond.
MAX_PAIRWISE_FEATURES = 100
#: Most levels of a categorical column one-hot encoded for the landmarkers
#: and PCA (the most frequent ones).
MAX_ONE_HOT_LEVELS = 10


def subsample_rows(y, task, n_max, rng):
    """Indices (sorted) of at most about ``n_max`` rows, or None to keep all.

    Classification samples are stratified: every class keeps its share of
    rows (largest remainders round it) and at least one row.

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.metafeatures._table import subsample_rows
    >>> y = np.repeat([0, 1], [900, 100])
    >>> rows = subsample_rows(y, "binary", 100, np.random.default_rng(0))
    >>> np.bincount(y[rows]).tolist()
    [90, 10]
    """
    n = len(y)
    if n <= n_max:
        return None
    if task == "regression":
        return np.sort(rng.choice(n, size=n_max, replace=False))
    counts = np.bincount(y)
    quota = counts * (n_max / n)
    take = np.floor(quota).astype(np.int64)
    by_remainder = np.argsort(-(quota - take), kind="stable")
    take[by_remainder[: n_max - take.sum()]] += 1
    take = np.maximum(take, np.minimum(counts, 1))
    # A random order, grouped by class: the first take[c] rows of class c win.
    order = rng.permutation(n)
    order = order[np.argsort(y[order], kind="stable")]
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    rank_in_class = np.arange(n) - starts[y[order]]
    return np.sort(order[rank_in_class < take[y[order]]])


def _is_numeric(dtype):
    return pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)


def _split_frame(frame):
    """Numeric float matrix, categorical code matrix and levels per column."""
    is_numeric = [_is_numeric(dtype) for dtype in frame.dtypes]
    numeric_columns = [i for i, numeric in enumerate(is_numeric) if numeric]
    categorical_columns = [i for i, numeric in enumerate(is_numeric) if not numeric]
    numeric = frame.iloc[:, numeric_columns].to_numpy(dtype=float, na_value=np.nan)
    categorical = np.empty((frame.shape[0], len(categorical_columns)), dtype=np.int64)
    n_levels = np.zeros(len(categorical_columns), dtype=np.int64)
    for j, column in enumerate(categorical_columns):
        codes, uniques = pd.factorize(frame.iloc[:, column], use_na_sentinel=True)
        categorical[:, j] = codes
        n_levels[j] = len(uniques)
    return np.ascontiguousarray(numeric), categorical, n_levels


def build_table(dataset, *, max_rows, rng):
    """Preprocess a dataset for meta-feature extraction.

    Returns
    -------
    table : Table
    y : ndarray
        The target of the analysed rows: class codes ``0..n_classes-1`` for
        classification (classes in sorted order), floats for regression.
    """
    X, task = dataset.X, dataset.task
    if task == "regression":
        y_all = np.asarray(dataset.y, dtype=float)
        class_counts = None
    else:
        _, y_all = np.unique(dataset.y, return_inverse=True)
        class_counts = np.bincount(y_all)
    n_rows, n_features = X.shape
    row_budget = min(max_rows, max(MIN_ROWS, MAX_CELLS // n_features))
    rows = subsample_rows(y_all, task, row_budget, rng)
    n_analysed = n_rows if rows is None else len(rows)
    column_budget = max(1, MAX_CELLS // n_analysed)
    columns = None
    if n_features > column_budget:
        columns = np.sort(rng.choice(n_features, size=column_budget, replace=False))
    if sp.issparse(X):
        part = X if rows is None else X[rows]
        part = part if columns is None else part[:, columns]
        numeric = part.toarray().astype(float, copy=False)
        categorical = np.empty((n_analysed, 0), dtype=np.int64)
        n_levels = np.zeros(0, dtype=np.int64)
        n_numeric = n_features
    else:
        n_numeric = sum(_is_numeric(dtype) for dtype in X.dtypes)
        part = X if rows is None else X.iloc[rows]
        part = part if columns is None else part.iloc[:, columns]
        numeric, categorical, n_levels = _split_frame(part)
    table = Table(
        numeric,
        categorical,
        n_levels,
        n_rows=n_rows,
        n_features=n_features,
        n_numeric=n_numeric,
        class_counts=class_counts,
        target=y_all if task == "regression" else None,
        columns_sampled=columns is not None,
        rng=rng,
    )
    y = y_all if rows is None else y_all[rows]
    return table, y


class Table:
    """The analysed rows of a dataset, split into numeric and categorical parts.

    Counts of the whole dataset (``n_rows``, ``n_features``, ``n_numeric``,
    ``n_categorical``, ``class_counts``, ``target``) describe every row;
    ``numeric`` and ``categorical`` hold the analysed rows (and columns).
    """

    def __init__(self, numeric, categorical, n_levels, *, n_rows, n_features,
                 n_numeric, class_counts, target, columns_sampled, rng):
        self.numeric = numeric
        self.categorical = categorical
        self.n_levels = n_levels
        self.n_rows = n_rows
        self.n_features = n_features
        self.n_numeric = n_numeric
        self.n_categorical = n_features - n_numeric
        self.class_counts = class_counts
        self.target = target
        self.columns_sampled = columns_sampled
        self._rng = rng

    @property
    def n_analysed(self):
        """Number of analysed rows."""
        return self.numeric.shape[0]

    @cached_property
    def observed(self):
        """Number of non-missing values of each numeric column."""
        return np.sum(~np.isnan(self.numeric), axis=0)

    @cached_property
    def numeric_sorted(self):
        """Each numeric column sorted, missing values last."""
        return np.sort(self.numeric, axis=0)

    @cached_property
    def n_distinct(self):
        """Number of distinct non-missing values of each numeric column."""
        s = self.numeric_sorted
        if s.shape[0] == 0:
            return np.zeros(s.shape[1], dtype=np.int64)
        return np.where(self.observed > 0, 1 + np.sum(s[1:] > s[:-1], axis=0), 0)

    @cached_property
    def is_constant(self):
        """Numeric columns with fewer than two distinct values."""
        return self.n_distinct < 2

    def quantiles(self, q):
        """Quantiles ``q`` (numpy's linear method) of each numeric column.

        NaN for a column without values. Read from :attr:`numeric_sorted`
        with numpy's interpolation, so they equal ``np.nanquantile``'s
        without another partial sort of every column per call.
        """
        q = np.asarray(q, dtype=float)
        s = self.numeric_sorted
        if s.shape[1] == 0:
            return np.empty((len(q), 0))
        out = sorted_quantiles(s, q, self.observed)
        out[:, self.observed == 0] = np.nan
        return out

    @cached_property
    def medians(self):
        return self.quantiles([0.5])[0]

    @cached_property
    def pairwise_columns(self):
        """Numeric columns of the pairwise measures (MAX_PAIRWISE_FEATURES at most)."""
        candidates = np.flatnonzero(self.observed > 1)
        if len(candidates) > MAX_PAIRWISE_FEATURES:
            candidates = np.sort(
                self._rng.choice(candidates, size=MAX_PAIRWISE_FEATURES, replace=False)
            )
        return candidates

    @cached_property
    def covariance(self):
        """Covariance (ddof=1) and correlation matrices of the pairwise columns.

        Each pair uses the rows where both values are present; correlations
        involving a constant column are NaN.
        """
        x = self.numeric[:, self.pairwise_columns]
        x = x - np.nanmean(x, axis=0) if x.size else x
        present = ~np.isnan(x)
        if present.all():  # the same sums, without the matrix products of the masks
            n_pair = np.full((x.shape[1],) * 2, float(x.shape[0]))
            sums = np.broadcast_to(x.sum(axis=0)[:, None], n_pair.shape)
            cross = x.T @ x - sums * sums.T / n_pair
            squares = np.broadcast_to(np.einsum("ij,ij->j", x, x)[:, None],
                                      n_pair.shape) - sums * sums / n_pair
        else:
            weights = present.astype(float)
            x0 = np.where(present, x, 0.0)
            n_pair = weights.T @ weights
            sums = x0.T @ weights  # sums[i, j]: column i where i and j are present
            cross = x0.T @ x0 - sums * sums.T / n_pair
            squares = (x0 * x0).T @ weights - sums * sums / n_pair
        with np.errstate(all="ignore"):
            cov = np.where(n_pair > 1, cross / (n_pair - 1), np.nan)
            cor = np.clip(cross / np.sqrt(squares * squares.T), -1.0, 1.0)
        varies = ~self.is_constant[self.pairwise_columns]
        cor[~((squares > 0) & (squares.T > 0) & np.outer(varies, varies))] = np.nan
        return cov, cor

    @cached_property
    def imputed_numeric(self):
        """Numeric columns with missing values replaced by the column median."""
        if np.all(self.observed == self.n_analysed):
            return self.numeric
        fill = np.where(np.isnan(self.medians), 0.0, self.medians)
        return np.where(np.isnan(self.numeric), fill, self.numeric)

    @cached_property
    def encoded(self):
        """Standardized numeric matrix for landmarkers and PCA.

        Median-imputed numeric columns and one-hot indicators of the
        ``MAX_ONE_HOT_LEVELS`` most frequent levels of each categorical column
        (a missing value has no indicator), each scaled to zero mean and unit
        variance; columns that do not vary are dropped.
        """
        parts = [self.imputed_numeric[:, ~self.is_constant]]  # a copy
        for j in range(self.categorical.shape[1]):
            codes = self.categorical[:, j]
            counts = np.bincount(codes[codes >= 0], minlength=self.n_levels[j])
            top = np.argsort(-counts, kind="stable")[:MAX_ONE_HOT_LEVELS]
            parts.append((codes[:, None] == top[None, :]).astype(float))
        matrix = np.hstack(parts) if len(parts) > 1 else parts[0]
        mean = matrix.mean(axis=0)
        matrix -= mean
        sd = np.sqrt(np.einsum("ij,ij->j", matrix, matrix) / max(1, len(matrix)))
        varies = sd > 1e-12 * np.maximum(1.0, np.abs(mean))
        if not varies.all():
            matrix = matrix[:, varies]
        matrix /= sd[varies]
        return np.ascontiguousarray(matrix)

    @cached_property
    def n_bins(self):
        """Bins of the equal-frequency discretization: int(n ** (1/3)), as pymfe."""
        return max(1, int(self.n_analysed ** (1 / 3)))

    @cached_property
    def discretized(self):
        """Every feature as integer codes, and the number of codes per feature.

        Numeric columns are cut into :attr:`n_bins` equal-frequency bins
        (pymfe's discretization: quantile thresholds, repeated thresholds
        merged, a value goes to the first bin whose upper threshold it does not
        exceed); categorical columns keep their level codes. A missing value
        gets a code of its own.
        """
        numeric = equal_frequency_codes(self.numeric, self.n_bins, self.quantiles)
        categorical = np.where(self.categorical < 0, self.n_levels, self.categorical)
        codes = np.hstack([numeric, categorical]).astype(np.int64)
        n_codes = np.concatenate(
            [np.full(self.numeric.shape[1], self.n_bins + 1), self.n_levels + 1]
        ).astype(np.int64)
        return codes, n_codes


def equal_frequency_codes(x, n_bins, quantiles=None):
    """Discretize each column of ``x`` into ``n_bins`` equal-frequency bins.

    Codes are ``0..n_bins-1``; a missing value gets code ``n_bins``.

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.metafeatures._table import equal_frequency_codes
    >>> x = np.array([[1.0], [2.0], [3.0], [4.0], [np.nan]])
    >>> equal_frequency_codes(x, 2).ravel().tolist()
    [0, 0, 1, 1, 2]
    """
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    if x.shape[1] == 0:
        return np.zeros(x.shape, dtype=np.int64)
    levels = np.linspace(0, 1, n_bins + 1)[1:]
    if quantiles is None:
        thresholds = np.nanquantile(x, levels, axis=0)
    else:
        thresholds = quantiles(levels)
    is_new = np.vstack(
        [np.ones((1, x.shape[1]), dtype=bool), np.diff(thresholds, axis=0) > 1e-8]
    )
    codes = np.zeros(x.shape, dtype=np.int64)
    for threshold, new in zip(thresholds, is_new, strict=True):
        codes += (x > threshold) & new
    codes[np.isnan(x)] = n_bins
    return codes
