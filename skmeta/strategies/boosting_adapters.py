"""Estimators that give XGBoost and CatBoost what they need from skmeta's input.

The strategies of :mod:`skmeta.strategies.boosting` get skmeta's
``"native"`` preprocessing: a DataFrame whose categorical columns have pandas
category dtype (missing values included), or a numeric array. LightGBM takes
that as it is; two libraries need an adapter:

- XGBoost's classifier wants labels ``0..k-1``: :class:`XGBClassifierAnyLabels`
  encodes any labels, as scikit-learn classifiers take them.
- CatBoost wants its categorical columns named (``cat_features``), holding
  strings or integers, none missing: :class:`CatBoostFrameClassifier` and
  :class:`CatBoostFrameRegressor` name the non-numeric columns and give
  missing values a category of their own (:data:`MISSING_CATEGORY`).

Each adapter fits on one thread, prints nothing, and writes no files
(CatBoost's ``catboost_info`` directory). The library is imported at ``fit``;
without it, :func:`import_library` says which extra brings it.
"""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

__all__ = [
    "BOOSTING_EXTRA",
    "MISSING_CATEGORY",
    "CatBoostFrameClassifier",
    "CatBoostFrameRegressor",
    "MissingLibraryClassifier",
    "MissingLibraryRegressor",
    "XGBClassifierAnyLabels",
    "import_library",
]

#: The install command that brings LightGBM, XGBoost and CatBoost.
BOOSTING_EXTRA = 'pip install "skmeta[boosting]"'

#: The category a missing value takes for CatBoost, which refuses NaN there.
MISSING_CATEGORY = "__missing__"

#: XGBoost's settings in every fit: one thread, native categories, no output.
XGBOOST_FIXED = dict(n_jobs=1, tree_method="hist", enable_categorical=True,
                     verbosity=0)


def import_library(name):
    """Import a gradient-boosting library, or say which extra brings it.

    Raises
    ------
    ImportError
        Naming the library and ``pip install "skmeta[boosting]"``.

    Examples
    --------
    >>> from skmeta.strategies.boosting_adapters import import_library
    >>> import_library("lightgbm").__name__
    'lightgbm'
    """
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ImportError(
            f"the {name!r} strategy needs the {name} library, which cannot be "
            f"imported ({exc}); install it with {BOOSTING_EXTRA}, or leave "
            f"{name!r} out of the portfolio."
        ) from exc


class _MissingLibrary(BaseEstimator):
    """An estimator whose library is not installed: ``fit`` says which extra
    brings it. It stands in for an optional strategy's estimator where only
    the strategy's name and space are needed (the meta-models)."""

    def __init__(self, library="lightgbm", **parameters):
        self.library = library
        self._parameters = parameters

    def get_params(self, deep=True):
        """``library`` and the library estimator's parameter names it was given."""
        return {"library": self.library, **self._parameters}

    def set_params(self, **params):
        """Set ``library`` or any of the library estimator's parameters."""
        self.library = params.pop("library", self.library)
        self._parameters.update(params)
        return self

    def fit(self, X, y, sample_weight=None):
        """Raise the ImportError that names the extra (or fail to import)."""
        import_library(self.library)
        raise ImportError(
            f"this stand-in for a {self.library} strategy cannot be fitted; "
            f"build the strategy with skmeta.strategies.optional_strategy."
        )


class MissingLibraryClassifier(ClassifierMixin, _MissingLibrary):
    """A classifier stand-in for an optional strategy whose library is missing.

    Examples
    --------
    >>> from skmeta.strategies.boosting_adapters import MissingLibraryClassifier
    >>> MissingLibraryClassifier(library="catboost", depth=None)
    MissingLibraryClassifier(depth=None, library='catboost')
    """


class MissingLibraryRegressor(RegressorMixin, _MissingLibrary):
    """A regressor stand-in for an optional strategy whose library is missing.

    Examples
    --------
    >>> from skmeta.strategies.boosting_adapters import MissingLibraryRegressor
    >>> MissingLibraryRegressor(library="xgboost", max_depth=None)
    MissingLibraryRegressor(library='xgboost', max_depth=None)
    """


def _categorical_columns(X):
    """The columns of a DataFrame that are neither numeric nor bool."""
    if not isinstance(X, pd.DataFrame):
        return []
    return [
        column for column in X.columns
        if not (pd.api.types.is_numeric_dtype(X[column].dtype)
                or pd.api.types.is_bool_dtype(X[column].dtype))
    ]


class _LibraryModel(BaseEstimator):
    """Input checks shared by the adapters (the libraries check little).

    A DataFrame passes as it is (its categorical columns are the point);
    anything else becomes a float array or CSR matrix, NaN allowed.
    """

    def _check_X(self, X, reset):
        if isinstance(X, pd.DataFrame):
            validate_data(self, X, reset=reset, skip_check_array=True)
            if X.shape[0] == 0:
                raise ValueError("X has 0 samples; at least one is required.")
            return X
        return validate_data(self, X, reset=reset, accept_sparse="csr",
                             dtype=np.float64, ensure_all_finite="allow-nan")

    def _check_fit_input(self, X, y, sample_weight):
        X = self._check_X(X, reset=True)
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, "
                             "but the target y is None.")
        y = column_or_1d(y, warn=True)
        check_consistent_length(X, y)
        if X.shape[0] < 2:
            raise ValueError(f"{type(self).__name__} needs at least 2 samples, got "
                             f"n_samples = {X.shape[0]}.")
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight, dtype=float)
            if sample_weight.shape != (X.shape[0],):
                raise ValueError(
                    f"sample_weight.shape == {sample_weight.shape}, expected "
                    f"{(X.shape[0],)}."
                )
            if not np.all(np.isfinite(sample_weight)) or np.any(sample_weight < 0):
                raise ValueError("sample_weight must be finite and non-negative.")
            if not sample_weight.any():
                raise ValueError("sample_weight is all zeros; no row would count.")
        return X, y, sample_weight

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = True
        return tags


class _EncodedLabels(ClassifierMixin):
    """Fit a library's classifier on labels ``0..k-1`` and answer in the user's.

    ``classes_`` are the sorted labels, whatever their type; ``predict`` is
    the most probable class.
    """

    def _encode(self, y):
        check_classification_targets(y)
        self.label_encoder_ = LabelEncoder().fit(y)
        self.classes_ = self.label_encoder_.classes_
        if len(self.classes_) < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least two classes in y, got "
                f"{len(self.classes_)} class."
            )
        return self.label_encoder_.transform(y)

    def predict_proba(self, X):
        """Class probabilities, columns in the order of ``classes_``."""
        check_is_fitted(self, "model_")
        X = self._library_input(self._check_X(X, reset=False))
        return np.asarray(self.model_.predict_proba(X))

    def predict(self, X):
        """The most probable class of each row."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class XGBClassifierAnyLabels(_EncodedLabels, _LibraryModel):
    """XGBoost's classifier for any class labels (``XGBClassifier`` wants ``0..k-1``).

    One thread, ``tree_method="hist"``, pandas category columns taken
    natively, no output. The parameters are XGBoost's, with its defaults.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skmeta.strategies.boosting_adapters import XGBClassifierAnyLabels
    >>> data = load_iris()
    >>> names = data.target_names[data.target]
    >>> model = XGBClassifierAnyLabels(n_estimators=20).fit(data.data, names)
    >>> model.predict(data.data[:2]).tolist()
    ['setosa', 'setosa']
    """

    def __init__(
        self,
        n_estimators=100,
        learning_rate=0.3,
        max_depth=6,
        min_child_weight=1.0,
        subsample=1.0,
        colsample_bytree=1.0,
        reg_alpha=0.0,
        reg_lambda=1.0,
        random_state=0,
    ):
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.min_child_weight = min_child_weight
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.reg_alpha = reg_alpha
        self.reg_lambda = reg_lambda
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Fit on ``X`` (array, CSR matrix or DataFrame) and any labels ``y``."""
        xgboost = import_library("xgboost")
        X, y, sample_weight = self._check_fit_input(X, y, sample_weight)
        encoded = self._encode(y)
        self.model_ = xgboost.XGBClassifier(**self.get_params(), **XGBOOST_FIXED)
        self.model_.fit(X, encoded, sample_weight=sample_weight)
        return self

    @staticmethod
    def _library_input(X):
        return X


class _CatBoostFrame(_LibraryModel):
    """CatBoost on skmeta's input: non-numeric columns become ``cat_features``.

    One thread, a fixed seed, no console output and no ``catboost_info``
    directory. The parameters are CatBoost's (``n_estimators`` is its
    ``iterations``), with its defaults except ``learning_rate``: CatBoost
    chooses one from the data only while neither it nor ``l2_leaf_reg`` is
    set, and 0.03 otherwise, which is the default here.
    """

    def __init__(
        self,
        n_estimators=1000,
        learning_rate=0.03,
        depth=6,
        l2_leaf_reg=3.0,
        one_hot_max_size=2,
        random_state=0,
    ):
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.depth = depth
        self.l2_leaf_reg = l2_leaf_reg
        self.one_hot_max_size = one_hot_max_size
        self.random_state = random_state

    def _fit_library_model(self, model_name, X, y, sample_weight):
        catboost = import_library("catboost")
        self.categorical_columns_ = _categorical_columns(X)
        self.model_ = getattr(catboost, model_name)(
            **self.get_params(),
            thread_count=1,
            logging_level="Silent",
            allow_writing_files=False,
        )
        self.model_.fit(self._library_input(X), y,
                        cat_features=self.categorical_columns_ or None,
                        sample_weight=sample_weight)
        return self

    def _library_input(self, X):
        """``X`` as CatBoost takes it: categories as strings, none missing.

        A copy: the frame may be a cached fold that other evaluations share.
        Sparse input is densified (skmeta's native preprocessing already
        does; CatBoost refuses some sparse types).
        """
        if sp.issparse(X):
            return X.toarray()
        if not isinstance(X, pd.DataFrame):
            return X
        X = X.copy()
        for column in self.categorical_columns_:
            values = X[column].astype(object)
            X[column] = values.where(values.notna(), MISSING_CATEGORY).astype(str)
        return X


class CatBoostFrameClassifier(_EncodedLabels, _CatBoostFrame):
    """CatBoost's classifier on skmeta's input (see ``_CatBoostFrame``).

    CatBoost grows one output per class in every tree: with many classes it
    is far slower than the other libraries.

    Examples
    --------
    >>> import pandas as pd
    >>> from skmeta.strategies.boosting_adapters import CatBoostFrameClassifier
    >>> X = pd.DataFrame({"color": pd.Categorical(["red", None, "blue", "red"] * 10),
    ...                   "size": [1.0, 2.0, None, 4.0] * 10})
    >>> y = ["warm", "cold", "cold", "warm"] * 10
    >>> model = CatBoostFrameClassifier(n_estimators=20).fit(X, y)
    >>> model.predict(X.head(2)).tolist()
    ['warm', 'cold']
    """

    def fit(self, X, y, sample_weight=None):
        """Fit on ``X`` (array, CSR matrix or DataFrame) and any labels ``y``."""
        X, y, sample_weight = self._check_fit_input(X, y, sample_weight)
        return self._fit_library_model("CatBoostClassifier", X, self._encode(y),
                                       sample_weight)


class CatBoostFrameRegressor(RegressorMixin, _CatBoostFrame):
    """CatBoost's regressor on skmeta's input (see ``_CatBoostFrame``).

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.strategies.boosting_adapters import CatBoostFrameRegressor
    >>> X = np.arange(40.0).reshape(20, 2)
    >>> model = CatBoostFrameRegressor(n_estimators=50).fit(X, X[:, 0])
    >>> model.predict(X[:1]).shape
    (1,)
    """

    def fit(self, X, y, sample_weight=None):
        """Fit on ``X`` (array, CSR matrix or DataFrame) and a numeric ``y``."""
        X, y, sample_weight = self._check_fit_input(X, y, sample_weight)
        y = np.asarray(y, dtype=float)
        if not np.all(np.isfinite(y)):
            raise ValueError("y contains NaN or infinity; the target must be finite.")
        return self._fit_library_model("CatBoostRegressor", X, y, sample_weight)

    def predict(self, X):
        """The predicted target of each row."""
        check_is_fitted(self, "model_")
        X = self._library_input(self._check_X(X, reset=False))
        return np.asarray(self.model_.predict(X), dtype=float)
