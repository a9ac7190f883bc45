"""The preprocessing a learner needs: imputation, categorical encoding, scaling.

:class:`TabularPreprocessor` is one scikit-learn transformer for the three
kinds of input skmeta accepts: a pandas DataFrame (numeric, string, object and
category columns, with missing values), a numeric numpy array (with NaN) and a
numeric scipy sparse matrix. It decides which columns are categorical at
``fit``, so one pipeline, built before the data is seen, fits any of them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.impute import SimpleImputer
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.preprocessing import (
    OneHotEncoder,
    OrdinalEncoder,
    StandardScaler,
    TargetEncoder,
)
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["PREPROCESSING_KINDS", "TabularPreprocessor"]

#: Named preprocessing recipes; see :class:`TabularPreprocessor` for their meaning.
PREPROCESSING_KINDS = ("scale", "onehot", "ordinal", "native", "target", "none")

_CATEGORICAL_ENCODINGS = ("onehot", "ordinal", "native", "target")

#: Folds and seed of the target encoding's cross-fitting (reproducible codes).
_TARGET_ENCODING_FOLDS = 5
_TARGET_ENCODING_SEED = 0

#: ColumnTransformer's rule: a one-hot output stays sparse below this density.
_SPARSE_DENSITY_THRESHOLD = 0.3


def _is_numeric_dtype(dtype):
    return pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)


def _numeric_block(frame):
    """Numeric/bool DataFrame columns as a float array; pd.NA becomes NaN."""
    return frame.to_numpy(dtype=float, na_value=np.nan)


def _categorical_block(frame):
    """Categorical columns as an object array of str, missing values as NaN.

    Everything becomes a string so that columns mixing numbers and strings,
    or category dtypes with numeric categories, encode without type errors.
    """
    values = frame.astype(object).to_numpy()
    missing = pd.isna(values)
    values = values.astype(str).astype(object)
    values[missing] = np.nan
    return values


class TabularPreprocessor(TransformerMixin, BaseEstimator):
    """Impute, encode and scale mixed tabular data for one kind of learner.

    Numeric columns (including bool) are median-imputed (``impute=True``)
    and standardized (``scale=True``; sparse input keeps its zeros with
    ``with_mean=False``). Columns of any other dtype (object, string,
    category) are categorical, encoded as ``categorical`` says:

    - ``"onehot"``: one indicator column per category, at most
      ``max_categories`` per column (rare categories share one); unknown
      categories at transform time give all zeros or the rare column.
    - ``"ordinal"``: integer codes; missing and unknown values are ``-1``.
    - ``"native"``: the output is a DataFrame whose categorical columns have
      pandas category dtype (at most ``max_categories`` most frequent
      categories; rarer, unknown and missing values are missing), for
      learners that handle categories natively such as
      ``HistGradientBoosting*`` with ``categorical_features="from_dtype"``.
    - ``"target"``: scikit-learn's :class:`~sklearn.preprocessing.TargetEncoder`,
      for high-cardinality columns: each category becomes the smoothed mean of
      the target over its rows (one column per class for multiclass targets;
      missing values are one more category, unknown ones the overall mean).
      ``fit_transform`` cross-fits (5 folds, seed 0): a training row's code
      comes from the other folds' rows, so a learner cannot read its own
      target from it; ``transform`` uses every training row. Needs ``y``.
      The codes are standardized too when ``scale=True``.

    Parameters
    ----------
    impute : bool, default=True
        Median-impute numeric columns. Columns missing entirely at fit time
        are kept and filled with 0.
    scale : bool, default=False
        Standardize numeric columns (one-hot columns are left as 0/1).
    categorical : {"onehot", "ordinal", "native", "target"}, default="onehot"
        Encoding of categorical DataFrame columns.
    max_categories : int, default=20
        Most categories kept per categorical column.
    dense : bool, default=False
        Always return a dense array (sparse input is densified). Otherwise
        sparse input stays sparse, and a one-hot output is sparse when its
        density is below 0.3.
    target_type : {"auto", "continuous", "binary", "multiclass"}, default="auto"
        The target's type for ``categorical="target"`` (see ``TargetEncoder``):
        "auto" infers it from ``y``, which takes an integer regression target
        with few values for classes; a regression strategy says "continuous".

    Attributes
    ----------
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when fitted on a DataFrame with string column names.
    numeric_columns_ : list
        The DataFrame columns treated as numeric (all columns for arrays).
    categorical_columns_ : list
        The DataFrame columns treated as categorical.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from skmeta.strategies import TabularPreprocessor
    >>> X = pd.DataFrame({"size": [1.0, np.nan, 3.0], "color": ["red", "blue", None]})
    >>> TabularPreprocessor(scale=True).fit_transform(X).round(2)
    array([[-1.22,  0.  ,  1.  ,  0.  ],
           [ 0.  ,  1.  ,  0.  ,  0.  ],
           [ 1.22,  0.  ,  0.  ,  1.  ]])
    >>> TabularPreprocessor(categorical="ordinal").fit_transform(X)
    array([[ 1.,  1.],
           [ 2.,  0.],
           [ 3., -1.]])
    >>> X = pd.DataFrame({"city": ["a", "b", "c", "a", "b", "c"] * 5})
    >>> y = [1.0, 2.0, 3.0, 1.0, 2.0, 3.0] * 5
    >>> encoder = TabularPreprocessor(categorical="target", target_type="continuous")
    >>> encoder.fit(X, y).transform(X.head(3)).round(1).ravel().tolist()
    [1.0, 2.0, 3.0]
    """

    def __init__(
        self,
        impute=True,
        scale=False,
        categorical="onehot",
        max_categories=20,
        dense=False,
        target_type="auto",
    ):
        self.impute = impute
        self.scale = scale
        self.categorical = categorical
        self.max_categories = max_categories
        self.dense = dense
        self.target_type = target_type

    # -- fit -----------------------------------------------------------------

    def fit(self, X, y=None):
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X, y=None):
        self._check_params()
        self._input_kind_ = self._kind_of(X)
        X = self._validate(X, reset=True)
        if self._input_kind_ == "frame":
            self.numeric_columns_ = [
                c for c in X.columns if _is_numeric_dtype(X[c].dtype)
            ]
            self.categorical_columns_ = [
                c for c in X.columns if not _is_numeric_dtype(X[c].dtype)
            ]
        else:
            self.numeric_columns_ = list(range(X.shape[1]))
            self.categorical_columns_ = []
        numeric, categorical = self._split(X)

        self._sparse_numeric_ = numeric is not None and sp.issparse(numeric)
        self.numeric_steps_ = []
        if numeric is not None:
            self.numeric_steps_ = self._numeric_steps(sparse=self._sparse_numeric_)
            for step in self.numeric_steps_:
                numeric = step.fit_transform(numeric)
        self.encoder_ = None
        self.encoded_scaler_ = None
        if categorical is not None and self.categorical == "target":
            categorical = self._fit_target_encoding(categorical, y)
        elif categorical is not None:
            self.encoder_ = self._make_encoder()
            categorical = self.encoder_.fit_transform(categorical)
        self._sparse_output_ = self._choose_sparse_output(numeric, categorical)
        return self._combine(numeric, categorical)

    def _fit_target_encoding(self, categorical, y):
        if y is None:
            raise ValueError(
                "categorical='target' encodes categories by the target: pass y "
                "to fit (fit(X, y), or a Pipeline's fit)."
            )
        self.encoder_ = _seeded_target_encoder(self.target_type, y)
        encoded = self.encoder_.fit_transform(categorical, y)
        if self.scale:
            self.encoded_scaler_ = StandardScaler()
            encoded = self.encoded_scaler_.fit_transform(encoded)
        return encoded

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        return tags

    def _check_params(self):
        if self.categorical not in _CATEGORICAL_ENCODINGS:
            raise ValueError(
                f"categorical must be one of {_CATEGORICAL_ENCODINGS}, got "
                f"{self.categorical!r}."
            )
        if (
            not isinstance(self.max_categories, (int, np.integer))
            or self.max_categories < 2
        ):
            raise ValueError(
                f"max_categories must be an integer >= 2, got {self.max_categories!r}."
            )

    @staticmethod
    def _kind_of(X):
        if isinstance(X, pd.DataFrame):
            return "frame"
        if sp.issparse(X):
            return "sparse"
        return "array"

    def _validate(self, X, reset):
        """Check ``X`` (numbers of features, names, finiteness of arrays)."""
        if isinstance(X, pd.DataFrame):
            validate_data(self, X, reset=reset, skip_check_array=True)
            if X.shape[0] == 0:
                raise ValueError("X has 0 samples; at least one is required.")
            return X
        X = validate_data(
            self,
            X,
            reset=reset,
            accept_sparse="csr",
            dtype=np.float64,
            ensure_all_finite="allow-nan",
        )
        return X.toarray() if self.dense and sp.issparse(X) else X

    def _split(self, X):
        """The numeric block (array or sparse) and the categorical block, or None."""
        if self._input_kind_ != "frame":
            return X, None
        numeric = categorical = None
        if self.numeric_columns_:
            numeric = _numeric_block(X[self.numeric_columns_])
        if self.categorical_columns_:
            categorical = _categorical_block(X[self.categorical_columns_])
        return numeric, categorical

    def _numeric_steps(self, sparse):
        steps = []
        if self.impute:
            steps.append(SimpleImputer(strategy="median", keep_empty_features=True))
        if self.scale:
            steps.append(StandardScaler(with_mean=not sparse))
        return steps

    def _make_encoder(self):
        if self.categorical == "onehot":
            return OneHotEncoder(
                handle_unknown="infrequent_if_exist",
                max_categories=self.max_categories,
                sparse_output=True,
                dtype=np.float64,
            )
        if self.categorical == "ordinal":
            return OrdinalEncoder(
                handle_unknown="use_encoded_value",
                unknown_value=-1,
                encoded_missing_value=-1,
                max_categories=self.max_categories,
            )
        return _NativeCategories(self.max_categories)

    def _choose_sparse_output(self, numeric, categorical):
        """Sparse input stays sparse; a one-hot output is sparse when sparse enough."""
        if self.dense or self.categorical == "native":
            return False
        if categorical is None:
            return self._sparse_numeric_
        if not sp.issparse(categorical):
            return False
        n_cells = categorical.shape[0] * categorical.shape[1]
        n_nonzero = categorical.nnz
        if numeric is not None:
            n_cells += numeric.shape[0] * numeric.shape[1]
            n_nonzero += (
                numeric.nnz if sp.issparse(numeric) else np.count_nonzero(numeric)
            )
        return n_nonzero / max(n_cells, 1) < _SPARSE_DENSITY_THRESHOLD

    # -- transform -----------------------------------------------------------

    def transform(self, X):
        check_is_fitted(self, "numeric_steps_")
        kind = self._kind_of(X)
        if self._input_kind_ == "frame" and kind != "frame":
            if self.categorical_columns_:
                raise ValueError(
                    "the preprocessor was fitted on a DataFrame with categorical "
                    "columns; pass a DataFrame with the same columns."
                )
            X = self._validate(X, reset=False)
            X = pd.DataFrame(_dense(X), columns=self.numeric_columns_)
        elif self._input_kind_ != "frame" and kind == "frame":
            X = self._validate(X.to_numpy(dtype=float, na_value=np.nan), reset=False)
        else:
            X = self._validate(X, reset=False)
        if self._input_kind_ == "frame":
            missing = [
                c
                for c in self.numeric_columns_ + self.categorical_columns_
                if c not in X.columns
            ]
            if missing:
                raise ValueError(f"X is missing the columns {missing} seen at fit.")
        numeric, categorical = self._split(X)
        if numeric is not None:
            if sp.issparse(numeric) and not self._sparse_numeric_:
                numeric = numeric.toarray()
            elif not sp.issparse(numeric) and self._sparse_numeric_:
                numeric = sp.csr_matrix(numeric)
            for step in self.numeric_steps_:
                numeric = step.transform(numeric)
        if categorical is not None:
            categorical = self.encoder_.transform(categorical)
            if self.encoded_scaler_ is not None:
                categorical = self.encoded_scaler_.transform(categorical)
        return self._combine(numeric, categorical)

    def _combine(self, numeric, categorical):
        if self.categorical == "native" and self._input_kind_ == "frame":
            return self._native_frame(numeric, categorical)
        blocks = [block for block in (numeric, categorical) if block is not None]
        if self._sparse_output_:
            return sp.hstack([sp.csr_matrix(b) for b in blocks], format="csr")
        return np.hstack([_dense(b) for b in blocks])

    def _native_frame(self, numeric, categorical):
        columns = {}
        if numeric is not None:
            numeric = _dense(numeric)
            columns.update({f"num{i}": numeric[:, i] for i in range(numeric.shape[1])})
        for i, codes in enumerate(categorical or []):
            columns[f"cat{i}"] = codes
        return pd.DataFrame(columns)


def _seeded_target_encoder(target_type, y):
    """A ``TargetEncoder`` whose cross-fitting folds are shuffled with a seed.

    scikit-learn 1.9 takes the folds as a splitter and deprecates ``shuffle``
    and ``random_state``; earlier versions take only their number. The
    splitter is the one ``TargetEncoder`` would choose: stratified for classes.
    """
    if TargetEncoder().shuffle != "deprecated":  # scikit-learn < 1.9
        return TargetEncoder(target_type=target_type, cv=_TARGET_ENCODING_FOLDS,
                             shuffle=True, random_state=_TARGET_ENCODING_SEED)
    kind = type_of_target(y, input_name="y") if target_type == "auto" else target_type
    splitter = KFold if kind == "continuous" else StratifiedKFold
    return TargetEncoder(
        target_type=target_type,
        cv=splitter(_TARGET_ENCODING_FOLDS, shuffle=True,
                    random_state=_TARGET_ENCODING_SEED),
    )


def _dense(matrix):
    return matrix.toarray() if sp.issparse(matrix) else matrix


class _NativeCategories:
    """Categorical columns as pandas Categoricals with categories fixed at fit.

    Keeps the ``max_categories`` most frequent values of each column (ties
    broken by value, for determinism); others, unknown and missing values
    become missing, which learners with native categorical support handle.
    """

    def __init__(self, max_categories):
        self.max_categories = max_categories

    def fit_transform(self, values):
        self.categories_ = []
        for j in range(values.shape[1]):
            counts = pd.Series(values[:, j]).value_counts(dropna=True)
            order = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            self.categories_.append(
                sorted(value for value, _ in order[: self.max_categories])
            )
        return self.transform(values)

    def transform(self, values):
        columns = []
        for j, categories in enumerate(self.categories_):
            index = pd.Index(categories, dtype=object)
            codes = index.get_indexer(values[:, j])  # -1: unknown or missing
            columns.append(pd.Categorical.from_codes(codes, categories=index))
        return columns
