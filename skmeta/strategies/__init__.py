"""Learning strategies: estimators, their preprocessing and hyperparameter spaces.

A :class:`Strategy` names a scikit-learn estimator, the preprocessing it needs
and a :class:`Space` of typed hyperparameter dimensions. The default
portfolios hold scikit-learn learners for classification and regression;
users add their own strategies and pass a portfolio as a list, which may also
name the optional ``lightgbm``, ``xgboost`` and ``catboost`` strategies
(``pip install "skmeta[boosting]"``; see :mod:`skmeta.strategies.boosting`).

Examples
--------
>>> from sklearn.tree import DecisionTreeClassifier
>>> from skmeta.strategies import Integer, Strategy, resolve_portfolio
>>> tree = Strategy("my_tree", DecisionTreeClassifier(), {"max_depth": Integer(1, 20)})
>>> [s.name for s in resolve_portfolio([tree, "random_forest"], "binary")]
['my_tree', 'random_forest']
"""

from skmeta.strategies.boosting import (
    installed_optional_names,
    optional_strategy,
    optional_strategy_names,
    optional_strategy_stand_in,
)
from skmeta.strategies.portfolio import (
    TARGET_TRANSFORMS,
    default_portfolio,
    default_strategy_names,
    known_portfolio,
    resolve_portfolio,
    target_transform,
)
from skmeta.strategies.preprocessing import PREPROCESSING_KINDS, TabularPreprocessor
from skmeta.strategies.space import (
    Categorical,
    Dimension,
    Integer,
    LogUniform,
    Space,
    Uniform,
)
from skmeta.strategies.strategy import Strategy, fit_model, single_hidden_layer

__all__ = [
    "PREPROCESSING_KINDS",
    "TARGET_TRANSFORMS",
    "Categorical",
    "Dimension",
    "Integer",
    "LogUniform",
    "Space",
    "Strategy",
    "TabularPreprocessor",
    "Uniform",
    "default_portfolio",
    "default_strategy_names",
    "fit_model",
    "installed_optional_names",
    "known_portfolio",
    "optional_strategy",
    "optional_strategy_names",
    "optional_strategy_stand_in",
    "resolve_portfolio",
    "single_hidden_layer",
    "target_transform",
]
