"""Optional strategies from the gradient-boosting libraries LightGBM, XGBoost, CatBoost.

``pip install "skmeta[boosting]"`` brings the libraries; skmeta never needs
them. They are imported only when one of these strategies is built: when
a portfolio names one (``resolve_portfolio(["lightgbm", "ridge"], task)``),
or when the portfolio ``"default"`` searches it, which it does for an
installed library whose strategy the knowledge base has evaluations of.
``import skmeta`` imports none of them. The meta-models know them all,
installed or not, through stand-ins (:func:`optional_strategy_stand_in`:
the name and space, no library), so that one shipped meta-models file
serves every install.

Every strategy fits on one thread with a fixed seed and prints nothing, and
gets the ``"native"`` preprocessing of ``hist_gradient_boosting``: numeric
NaN kept, categorical columns as pandas category dtype (at most 255
categories; rarer, unknown and missing values missing), dense.

- ``lightgbm``: ``lightgbm.LGBMClassifier`` / ``LGBMRegressor``, which
  take the category columns natively (``categorical_feature="auto"``).
- ``xgboost``: ``tree_method="hist"``, ``enable_categorical=True``; its
  classifier is :class:`~skmeta.strategies.boosting_adapters.XGBClassifierAnyLabels`,
  which takes any labels.
- ``catboost``: :class:`~skmeta.strategies.boosting_adapters.CatBoostFrameClassifier`
  and ``CatBoostFrameRegressor`` give CatBoost the category columns as
  ``cat_features``, as strings, missing values as one more category.
  CatBoost is slow with many classes (one tree output per class, about 400 s
  at its defaults on one core for a 30-class, 26,000-row table); the cost
  model, which sees the number of classes, learns that from the knowledge
  base before the search starts one.

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

import importlib.util

from skmeta.datasets import TASKS
from skmeta.strategies.boosting_adapters import (
    XGBOOST_FIXED,
    CatBoostFrameClassifier,
    CatBoostFrameRegressor,
    MissingLibraryClassifier,
    MissingLibraryRegressor,
    XGBClassifierAnyLabels,
    import_library,
)
from skmeta.strategies.space import Categorical, Integer, LogUniform, Uniform
from skmeta.strategies.strategy import Strategy

__all__ = ["installed_optional_names", "optional_strategy", "optional_strategy_names",
           "optional_strategy_stand_in"]

_SEED = 0

#: Each optional strategy's name and the library it needs.
_LIBRARIES = {"lightgbm": "lightgbm", "xgboost": "xgboost", "catboost": "catboost"}


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
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}.")
    library = import_library(_LIBRARIES[name])
    space_of, estimator_of = _BUILDERS[name]
    space, defaults = space_of()
    return Strategy(name, estimator_of(library, task == "regression"), space,
                    defaults, preprocessing="native")


def installed_optional_names():
    """Names of the optional strategies whose library is installed.

    Found without importing the libraries (``importlib.util.find_spec``):
    the default portfolio adds these strategies to the scikit-learn ones.

    Examples
    --------
    >>> from skmeta.strategies import installed_optional_names, optional_strategy_names
    >>> set(installed_optional_names()) <= set(optional_strategy_names())
    True
    """
    return [name for name, library in _LIBRARIES.items() if _findable(library)]


def _findable(library):
    try:
        return importlib.util.find_spec(library) is not None
    except (ImportError, ValueError):  # a broken or blocked install
        return False


def optional_strategy_stand_in(name, task):
    """The optional strategy ``name``'s space, without its library.

    The meta-models know every optional strategy, installed or not, so that
    one shipped file serves installs with and without the extra; they only
    need a strategy's name and space. The stand-in has them, and an
    estimator that cannot be fitted: it is never evaluated, since the
    search's portfolio holds only installed strategies.

    Examples
    --------
    >>> from skmeta.strategies import optional_strategy_stand_in
    >>> stand_in = optional_strategy_stand_in("catboost", "binary")
    >>> stand_in.name, sorted(stand_in.space)[:2]
    ('catboost', ['depth', 'l2_leaf_reg'])
    """
    if name not in _LIBRARIES:
        raise ValueError(
            f"unknown optional strategy {name!r}; they are {optional_strategy_names()}."
        )
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}.")
    space, defaults = _BUILDERS[name][0]()
    missing = (MissingLibraryRegressor if task == "regression"
               else MissingLibraryClassifier)
    parameters = dict.fromkeys(space)
    return Strategy(name, missing(library=_LIBRARIES[name], **parameters), space,
                    defaults, preprocessing="native")


# -- the strategies ----------------------------------------------------------


def _trees_and_learning_rate(low_trees, high_trees, default_trees, default_rate):
    space = {
        "n_estimators": Integer(low_trees, high_trees, log=True),
        "learning_rate": LogUniform(0.01, 0.3),
    }
    return space, {"n_estimators": default_trees, "learning_rate": default_rate}


def _lightgbm_space():
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
    defaults.update(
        num_leaves=31, min_child_samples=20, colsample_bytree=1.0, subsample=1.0,
        reg_alpha=0.0, reg_lambda=0.0, extra_trees=False,
    )
    return space, defaults


def _lightgbm(lightgbm, regression):
    model_class = lightgbm.LGBMRegressor if regression else lightgbm.LGBMClassifier
    return model_class(
        n_jobs=1,
        random_state=_SEED,
        verbose=-1,
        subsample_freq=1,  # bagging every iteration when subsample < 1
        extra_trees=False,
    )


def _xgboost_space():
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
    return space, defaults


def _xgboost(xgboost, regression):
    if regression:
        return xgboost.XGBRegressor(**XGBOOST_FIXED, random_state=_SEED)
    return XGBClassifierAnyLabels(random_state=_SEED)


def _catboost_space():
    space = {
        "n_estimators": Integer(100, 2000, log=True),
        "learning_rate": LogUniform(0.005, 0.2),
        "depth": Integer(4, 8),
        "l2_leaf_reg": Uniform(1.0, 5.0),
        "one_hot_max_size": Categorical([2, 3, 5, 10]),
    }
    defaults = {"n_estimators": 1000, "learning_rate": 0.03, "depth": 6,
                "l2_leaf_reg": 3.0, "one_hot_max_size": 2}
    return space, defaults


def _catboost(catboost, regression):  # noqa: ARG001 (imported to check it is)
    model_class = CatBoostFrameRegressor if regression else CatBoostFrameClassifier
    return model_class(random_state=_SEED)


#: name -> (its space and defaults, its estimator from the imported library).
_BUILDERS = {
    "lightgbm": (_lightgbm_space, _lightgbm),
    "xgboost": (_xgboost_space, _xgboost),
    "catboost": (_catboost_space, _catboost),
}
