"""Optional strategies from the gradient-boosting libraries: LightGBM, XGBoost, CatBoost.

``pip install "skmeta[boosting]"`` brings the libraries; skmeta never needs
them. They are imported only when one of these strategies is built or
named in a portfolio (``resolve_portfolio(["lightgbm", "ridge"], task)``),
never by ``import skmeta`` nor any default path, and they are in no default
portfolio (the knowledge base holds no evaluations of them yet).

Every strategy fits on one thread with a fixed seed and prints nothing, and
gets the ``"native"`` preprocessing of ``hist_gradient_boosting``: numeric
NaN kept, categorical columns as pandas category dtype (at most 255
categories; rarer, unknown and missing values missing), dense.

- ``lightgbm``: ``lightgbm.LGBMClassifier`` / ``LGBMRegressor``, which
  take the category columns natively (``categorical_feature="auto"``).
- ``xgboost``: ``tree_method="hist"``, ``enable_categorical=True``. Its
  classifier wants labels ``0..k-1``: :class:`XGBClassifierAnyLabels`
  encodes them.
- ``catboost``: :class:`CatBoostFrameClassifier` / ``Regressor`` give
  CatBoost what it needs from the native frame: the category columns as
  ``cat_features``, as strings, missing values as one more category.
  CatBoost is slow with many classes (one tree output per class, about 400 s
  at its defaults on one core for a 30-class, 26,000-row table); the cost
  model must learn that before the search starts one (a later step).

Sparse input is densified by the native preprocessing (all three libraries
take scipy sparse matrices, but a category-aware frame cannot be sparse).

Where the ranges come from (``n`` trees tuned since no early stopping runs):

- LightGBM: ``num_leaves`` 8-256, ``min_child_samples`` 2-64,
  ``colsample_bytree`` 0.4-1, ``subsample`` 0.7-1 (with ``subsample_freq=1``),
  ``reg_alpha`` 0-1, ``reg_lambda`` 0-2 and ``extra_trees``: TabArena's and
  AutoGluon's LightGBM search spaces (``tabrepo/models/lightgbm``).
- XGBoost: ``max_depth`` 3-10, ``min_child_weight`` 1e-3-5 (log),
  ``subsample`` 0.6-1, ``colsample_bytree`` 0.5-1, ``reg_alpha`` 0-5,
  ``reg_lambda`` 0-5: TabArena's and AutoGluon's XGBoost spaces
  (``tabrepo/models/xgboost``), ``max_depth`` down to 3 to hold the stumps
  the library's documentation suggests for small data.
- CatBoost: ``depth`` 4-8, ``l2_leaf_reg`` 1-5, ``one_hot_max_size`` in
  {2, 3, 5, 10}: AutoGluon's CatBoost space (``tabrepo/models/catboost``);
  ``learning_rate`` 0.005-0.2: FLAML's CatBoost space.
- Trees and learning rate: those published spaces run up to 10,000 trees
  with early stopping at learning rates 0.005-0.1. skmeta fits the trees it
  is given, so, as FLAML does for LightGBM and XGBoost, the number of trees
  is tuned (32-1024, log; CatBoost 100-2000) with the learning rate
  (0.01-0.3, the range of ``hist_gradient_boosting``).

Defaults are the libraries' own (LightGBM: 100 trees, 31 leaves, learning
rate 0.1; XGBoost: 100 trees, depth 6, learning rate 0.3; CatBoost: 1,000
trees, depth 6, ``l2_leaf_reg`` 3, learning rate 0.03). CatBoost's learning
rate differs from what its defaults do: CatBoost chooses one from the rows
and trees only when neither it nor ``l2_leaf_reg`` is set (measured on 1.2.10,
1,000 trees, 300 to 10,000 rows: 0.006 to 0.028 for classification, 0.034 to
0.059 for regression), and a configuration always sets both; CatBoost's
documentation gives 0.03 as the default in that case, and so does skmeta.
"""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.validation import check_is_fitted

from skmeta.strategies.space import Categorical, Integer, LogUniform, Uniform
from skmeta.strategies.strategy import Strategy

__all__ = [
    "BOOSTING_EXTRA",
    "CatBoostFrameClassifier",
    "CatBoostFrameRegressor",
    "XGBClassifierAnyLabels",
    "import_library",
    "optional_strategy",
    "optional_strategy_names",
]

_SEED = 0

#: The install command that brings the libraries of this module.
BOOSTING_EXTRA = 'pip install "skmeta[boosting]"'

#: Each optional strategy's name and the library it needs.
_LIBRARIES = {"lightgbm": "lightgbm", "xgboost": "xgboost", "catboost": "catboost"}

#: The value a missing category takes for CatBoost, which refuses NaN there.
MISSING_CATEGORY = "__missing__"


def import_library(name):
    """Import a gradient-boosting library, or say which extra brings it.

    Raises
    ------
    ImportError
        Naming the library and ``pip install "skmeta[boosting]"``.

    Examples
    --------
    >>> from skmeta.strategies.boosting import import_library
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


def optional_strategy_names():
    """Names of the optional strategies, which a portfolio may name.

    Examples
    --------
    >>> from skmeta.strategies import optional_strategy_names
    >>> optional_strategy_names()
    ['lightgbm', 'xgboost', 'catboost']
    """
    return list(_LIBRARIES)


def optional_strategy(name, task):
    """Build the optional strategy ``name`` for ``task``, importing its library.

    Parameters
    ----------
    name : {"lightgbm", "xgboost", "catboost"}
    task : {"binary", "multiclass", "regression"}

    Returns
    -------
    Strategy

    Raises
    ------
    ImportError
        When the library is not installed (the message names the extra).

    Examples
    --------
    >>> from skmeta.strategies import optional_strategy
    >>> optional_strategy("lightgbm", "regression")
    Strategy('lightgbm', LGBMRegressor, space=['n_estimators', 'learning_rate', \
'num_leaves', 'min_child_samples', 'colsample_bytree', 'subsample', \
'reg_alpha', 'reg_lambda', 'extra_trees'], preprocessing='native', \
tasks=('regression',))
    """
    if name not in _LIBRARIES:
        raise ValueError(
            f"unknown optional strategy {name!r}; they are {optional_strategy_names()}."
        )
    library = import_library(_LIBRARIES[name])
    regression = task == "regression"
    return _BUILDERS[name](library, regression)


# -- the strategies ----------------------------------------------------------


def _trees_and_learning_rate(low_trees, high_trees, default_trees, default_rate):
    space = {
        "n_estimators": Integer(low_trees, high_trees, log=True),
        "learning_rate": LogUniform(0.01, 0.3),
    }
    return space, {"n_estimators": default_trees, "learning_rate": default_rate}


def _lightgbm(lightgbm, regression):
    model_class = lightgbm.LGBMRegressor if regression else lightgbm.LGBMClassifier
    space, defaults = _trees_and_learning_rate(32, 1024, 100, 0.1)
    space.update(
        {
            "num_leaves": Integer(8, 256, log=True),
            "min_child_samples": Integer(2, 64, log=True),
            "colsample_bytree": Uniform(0.4, 1.0),
            "subsample": Uniform(0.7, 1.0),
            "reg_alpha": Uniform(0.0, 1.0),
            "reg_lambda": Uniform(0.0, 2.0),
            "extra_trees": Categorical([False, True]),
        }
    )
    estimator = model_class(
        n_jobs=1,
        random_state=_SEED,
        verbose=-1,
        subsample_freq=1,  # bagging every iteration when subsample < 1
        extra_trees=False,
    )
    return Strategy("lightgbm", estimator, space, defaults, preprocessing="native")


def _xgboost(xgboost, regression):
    space, defaults = _trees_and_learning_rate(32, 1024, 100, 0.3)
    space.update(
        {
            "max_depth": Integer(3, 10),
            "min_child_weight": LogUniform(1e-3, 5.0),
            "subsample": Uniform(0.6, 1.0),
            "colsample_bytree": Uniform(0.5, 1.0),
            "reg_alpha": Uniform(0.0, 5.0),
            "reg_lambda": Uniform(0.0, 5.0),
        }
    )
    defaults.update(
        max_depth=6, min_child_weight=1.0, subsample=1.0, colsample_bytree=1.0,
        reg_alpha=0.0, reg_lambda=1.0,
    )
    if regression:
        estimator = xgboost.XGBRegressor(**_XGBOOST_FIXED, random_state=_SEED)
    else:
        estimator = XGBClassifierAnyLabels(random_state=_SEED)
    return Strategy("xgboost", estimator, space, defaults, preprocessing="native")


def _catboost(catboost, regression):
    space = {
        "n_estimators": Integer(100, 2000, log=True),
        "learning_rate": LogUniform(0.005, 0.2),
        "depth": Integer(4, 8),
        "l2_leaf_reg": Uniform(1.0, 5.0),
        "one_hot_max_size": Categorical([2, 3, 5, 10]),
    }
    model_class = CatBoostFrameRegressor if regression else CatBoostFrameClassifier
    return Strategy(
        "catboost", model_class(random_state=_SEED), space, preprocessing="native"
    )


_BUILDERS = {"lightgbm": _lightgbm, "xgboost": _xgboost, "catboost": _catboost}


# -- estimators that give a library what it needs ----------------------------


#: XGBoost's settings in every strategy: one thread, categories, no output.
_XGBOOST_FIXED = dict(
    n_jobs=1, tree_method="hist", enable_categorical=True, verbosity=0
)


class _EncodedLabels(ClassifierMixin):
    """Fit a library's classifier on labels ``0..k-1`` and answer in the user's.

    ``classes_`` are the sorted labels (as scikit-learn classifiers have
    them), whatever their type; ``predict`` is the most probable class.
    """

    def _encode(self, y):
        self.label_encoder_ = LabelEncoder().fit(y)
        self.classes_ = self.label_encoder_.classes_
        if len(self.classes_) < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least two classes in y, got "
                f"{len(self.classes_)}."
            )
        return self.label_encoder_.transform(y)

    def predict_proba(self, X):
        check_is_fitted(self, "model_")
        return np.asarray(self.model_.predict_proba(self._library_input(X)))

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class XGBClassifierAnyLabels(_EncodedLabels, BaseEstimator):
    """XGBoost's classifier for any class labels (``XGBClassifier`` wants ``0..k-1``).

    One thread, ``tree_method="hist"``, pandas category columns native,
    no output. Parameters are XGBoost's, with its defaults.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skmeta.strategies.boosting import XGBClassifierAnyLabels
    >>> X, y = load_iris(return_X_y=True)
    >>> names = load_iris().target_names[y]
    >>> model = XGBClassifierAnyLabels(n_estimators=20).fit(X, names)
    >>> model.predict(X[:2]).tolist()
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
        xgboost = import_library("xgboost")
        encoded = self._encode(y)
        self.model_ = xgboost.XGBClassifier(**self.get_params(), **_XGBOOST_FIXED)
        self.model_.fit(X, encoded, sample_weight=sample_weight)
        self.n_features_in_ = self.model_.n_features_in_
        return self

    @staticmethod
    def _library_input(X):
        return X


def _catboost_input(X, categorical_columns):
    """``X`` as CatBoost takes it: category columns as strings, none missing.

    A copy: the frame may be a cached fold other evaluations share.
    """
    if not isinstance(X, pd.DataFrame):
        return X.tocsr() if sp.issparse(X) else X
    X = X.copy()
    for column in categorical_columns:
        values = X[column].astype(object)
        X[column] = values.where(values.notna(), MISSING_CATEGORY).astype(str)
    return X


def _categorical_columns(X):
    if not isinstance(X, pd.DataFrame):
        return []
    return [
        column for column in X.columns
        if not (pd.api.types.is_numeric_dtype(X[column].dtype)
                or pd.api.types.is_bool_dtype(X[column].dtype))
    ]


class _CatBoostFrame(BaseEstimator):
    """CatBoost on skmeta's native input: category columns become ``cat_features``.

    One thread, a fixed seed, no console output and no ``catboost_info``
    directory. Parameters are CatBoost's (``n_estimators`` is its
    ``iterations``); ``learning_rate`` is set, 0.03 by default, where CatBoost
    alone would choose one from the data (see the module's docstring).
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
        self.n_features_in_ = X.shape[1]
        self.model_ = getattr(catboost, model_name)(
            **self.get_params(),
            thread_count=1,
            logging_level="Silent",
            allow_writing_files=False,
        )
        self.model_.fit(
            self._library_input(X),
            y,
            cat_features=self.categorical_columns_ or None,
            sample_weight=sample_weight,
        )
        return self

    def _library_input(self, X):
        check_is_fitted(self, "model_")
        return _catboost_input(X, self.categorical_columns_)


class CatBoostFrameClassifier(_EncodedLabels, _CatBoostFrame):
    """CatBoost's classifier on skmeta's native input (see :class:`_CatBoostFrame`).

    Examples
    --------
    >>> import pandas as pd
    >>> from skmeta.strategies.boosting import CatBoostFrameClassifier
    >>> X = pd.DataFrame({"color": pd.Categorical(["red", None, "blue", "red"] * 10),
    ...                   "size": [1.0, 2.0, None, 4.0] * 10})
    >>> y = ["warm", "cold", "cold", "warm"] * 10
    >>> model = CatBoostFrameClassifier(n_estimators=20).fit(X, y)
    >>> model.predict(X.head(2)).tolist()
    ['warm', 'cold']
    """

    def fit(self, X, y, sample_weight=None):
        return self._fit_library_model(
            "CatBoostClassifier", X, self._encode(y), sample_weight
        )


class CatBoostFrameRegressor(RegressorMixin, _CatBoostFrame):
    """CatBoost's regressor on skmeta's native input (see :class:`_CatBoostFrame`).

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.strategies.boosting import CatBoostFrameRegressor
    >>> X = np.arange(40.0).reshape(20, 2)
    >>> model = CatBoostFrameRegressor(n_estimators=50).fit(X, X[:, 0])
    >>> model.predict(X[:1]).shape
    (1,)
    """

    def fit(self, X, y, sample_weight=None):
        return self._fit_library_model("CatBoostRegressor", X, y, sample_weight)

    def predict(self, X):
        return np.asarray(self.model_.predict(self._library_input(X)), dtype=float)
