"""The default portfolios of strategies, and resolving a user's portfolio.

Every default strategy is a scikit-learn learner with ``n_jobs=1`` (skmeta
parallelizes across evaluations, not inside them) and a fixed
``random_state``, and fits in about a second or less at its default
configuration on a 1000 x 20 table.

Choices worth knowing:

- ``svm_rbf`` (classification) is an ``SVC`` with sigmoid (Platt) calibration
  on 3-fold cross-validation (``SVC(probability=True)`` is deprecated since
  scikit-learn 1.9): about 2.3 times a plain fit, but every default
  classifier then has ``predict_proba``, which ensembles and probabilistic
  metrics need. Its configuration keys stay ``C`` and ``gamma``.
- ``mlp`` tunes a single hidden layer's width as an integer,
  converted to ``hidden_layer_sizes=(width,)`` by :func:`single_hidden_layer`.
- ``hist_gradient_boosting`` gets categorical columns natively (pandas
  category dtype, at most 255 categories, unknown ones treated as missing);
  ``hist_gradient_boosting_target_encoded`` gets them target-encoded
  (cross-fitted ``TargetEncoder``), which keeps what the native encoding
  loses beyond 255 categories. On a table without categorical columns the
  two are the same learner.
- Regressors whose hyperparameters are in units of the target (SVR's
  ``epsilon``) or that train badly on large targets (MLP) standardize it.
- For heavy-tailed targets and outliers, regression has gradient boosting
  with the absolute error loss (``hist_gradient_boosting_l1``), on a
  transformed target (``hist_gradient_boosting_transformed``: Yeo-Johnson,
  quantile-normal or signed log, tuned like any hyperparameter) and the
  Huber loss (``huber``, linear).
- Trees and ensembles get ordinal codes; linear models, SVMs, k-NN and MLPs
  get imputation, standardization and one-hot codes; naive Bayes gets dense
  imputed one-hot data.
"""

from __future__ import annotations

import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import HuberRegressor, LogisticRegression, Ridge
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import (
    FunctionTransformer,
    PowerTransformer,
    QuantileTransformer,
)
from sklearn.svm import SVC, SVR

from skmeta.datasets import TASKS
from skmeta.strategies.boosting import (
    installed_optional_names,
    optional_strategy,
    optional_strategy_names,
    optional_strategy_stand_in,
)
from skmeta.strategies.space import Categorical, Integer, LogUniform, Uniform
from skmeta.strategies.strategy import Strategy, single_hidden_layer

__all__ = ["TARGET_TRANSFORMS", "default_portfolio", "default_strategy_names",
           "known_portfolio", "resolve_portfolio", "target_transform"]

_SEED = 0

#: Trees per forest: enough to be stable, few enough to keep evaluations cheap.
_N_TREES = 100


def _boosting_space(prefix=""):
    return {
        f"{prefix}learning_rate": LogUniform(0.01, 0.3),
        f"{prefix}max_leaf_nodes": Integer(8, 128, log=True),
        f"{prefix}min_samples_leaf": Integer(2, 64, log=True),
        f"{prefix}l2_regularization": LogUniform(1e-6, 10.0),
        f"{prefix}max_features": Uniform(0.3, 1.0),
    }


def _hist_gradient_boosting(estimator_class, name="hist_gradient_boosting",
                            preprocessing="auto", **fixed):
    return Strategy(
        name,
        estimator_class(random_state=_SEED, **fixed),
        _boosting_space(),
        defaults={"l2_regularization": 1e-6},
        preprocessing=preprocessing,
    )


def signed_log1p(y):
    """``sign(y) * log(1 + |y|)``: a log that takes any real target."""
    return np.sign(y) * np.log1p(np.abs(y))


def signed_expm1(z):
    """The inverse of :func:`signed_log1p`."""
    return np.sign(z) * np.expm1(np.abs(z))


#: Names of the target transforms ``hist_gradient_boosting_transformed`` tunes.
TARGET_TRANSFORMS = ("yeo-johnson", "quantile", "signed_log")


def target_transform(name):
    """A regression target's transformer, by name (see :data:`TARGET_TRANSFORMS`).

    ``"yeo-johnson"``: a power transform fitted to make the target normal;
    ``"quantile"``: its ranks mapped to a normal distribution (heavy tails
    and outliers have no pull); ``"signed_log"``: :func:`signed_log1p`.

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.strategies import target_transform
    >>> log = target_transform("signed_log").fit(np.array([[-9.0], [0.0], [99.0]]))
    >>> log.transform(np.array([[99.0]])).round(3).tolist()
    [[4.605]]
    """
    if name == "yeo-johnson":
        return PowerTransformer(method="yeo-johnson")
    if name == "quantile":
        return QuantileTransformer(output_distribution="normal", random_state=_SEED)
    if name == "signed_log":
        return FunctionTransformer(signed_log1p, inverse_func=signed_expm1,
                                   check_inverse=False)
    raise ValueError(f"target transform must be one of {TARGET_TRANSFORMS}, "
                     f"got {name!r}.")


def _transformed_boosting():
    """Gradient boosting on a transformed target, the transform tuned."""
    space = {"transformer": Categorical(list(TARGET_TRANSFORMS))}
    space.update(_boosting_space("regressor__"))
    return Strategy(
        "hist_gradient_boosting_transformed",
        TransformedTargetRegressor(
            regressor=HistGradientBoostingRegressor(random_state=_SEED),
            check_inverse=False,
        ),
        space,
        defaults={"transformer": "yeo-johnson", "regressor__l2_regularization": 1e-6},
        converters={"transformer": target_transform},
        preprocessing="native",
    )


def _forest(name, estimator_class, classification):
    if classification:
        space = {"criterion": Categorical(["gini", "entropy"])}
        max_features = 0.3  # near sqrt(n_features)/n_features on 10-100 features
    else:
        space = {}
        max_features = 1.0  # scikit-learn's default for regression forests
    space.update(
        {
            "max_features": Uniform(0.1, 1.0),
            "min_samples_leaf": Integer(1, 16, log=True),
            "min_samples_split": Integer(2, 32, log=True),
            "bootstrap": Categorical([True, False]),
        }
    )
    return Strategy(
        name,
        estimator_class(n_estimators=_N_TREES, n_jobs=1, random_state=_SEED),
        space,
        defaults={"max_features": max_features},
    )


def _svm_space(epsilon=False):
    space = {"C": LogUniform(1e-2, 1e3), "gamma": LogUniform(1e-4, 10.0)}
    if epsilon:
        space["epsilon"] = LogUniform(1e-3, 1.0)
    return space


#: gamma="scale" is 1 / n_features on standardized data; 0.05 matches 20 features.
_DEFAULT_GAMMA = 0.05


def _knn(estimator_class):
    return Strategy(
        "knn",
        estimator_class(n_jobs=1),
        {
            "n_neighbors": Integer(1, 50, log=True),
            "weights": Categorical(["uniform", "distance"]),
            "p": Categorical([1, 2]),
        },
    )


def _mlp(estimator_class, target_scaling):
    return Strategy(
        "mlp",
        # No early stopping: on small data its 10% validation split is too
        # noisy and stops training far too soon (3-fold accuracy 0.74 vs 0.85).
        estimator_class(max_iter=200, random_state=_SEED),
        {
            "hidden_layer_sizes": Integer(16, 256, log=True),
            "alpha": LogUniform(1e-6, 1e-1),
            "learning_rate_init": LogUniform(1e-4, 1e-1),
        },
        defaults={"hidden_layer_sizes": 100},
        converters={"hidden_layer_sizes": single_hidden_layer},
        target_scaling=target_scaling,
    )


def _classification_portfolio():
    return [
        _hist_gradient_boosting(HistGradientBoostingClassifier),
        _forest("random_forest", RandomForestClassifier, classification=True),
        _forest("extra_trees", ExtraTreesClassifier, classification=True),
        Strategy(
            "logistic_regression",
            LogisticRegression(max_iter=1000, random_state=_SEED),
            {
                "C": LogUniform(1e-3, 1e3),
                "class_weight": Categorical([None, "balanced"]),
            },
        ),
        Strategy(
            "svm_rbf",
            SVC(kernel="rbf", random_state=_SEED),
            _svm_space(),
            defaults={"gamma": _DEFAULT_GAMMA},
            calibration="sigmoid",
        ),
        _knn(KNeighborsClassifier),
        _mlp(MLPClassifier, target_scaling=False),
        Strategy(
            "gaussian_nb", GaussianNB(), {"var_smoothing": LogUniform(1e-12, 1e-1)}
        ),
        _hist_gradient_boosting(HistGradientBoostingClassifier,
                                "hist_gradient_boosting_target_encoded", "target"),
    ]


def _regression_portfolio():
    return [
        _hist_gradient_boosting(HistGradientBoostingRegressor),
        _forest("random_forest", RandomForestRegressor, classification=False),
        _forest("extra_trees", ExtraTreesRegressor, classification=False),
        Strategy("ridge", Ridge(random_state=_SEED), {"alpha": LogUniform(1e-3, 1e3)}),
        Strategy(
            "svm_rbf",
            SVR(kernel="rbf"),
            _svm_space(epsilon=True),
            defaults={"gamma": _DEFAULT_GAMMA},
            target_scaling=True,
        ),
        _knn(KNeighborsRegressor),
        _mlp(MLPRegressor, target_scaling=True),
        # Robust to heavy-tailed targets and outliers:
        _hist_gradient_boosting(HistGradientBoostingRegressor,
                                "hist_gradient_boosting_l1", loss="absolute_error"),
        _transformed_boosting(),
        Strategy(
            "huber",
            HuberRegressor(max_iter=1000),
            {"epsilon": Uniform(1.05, 2.5), "alpha": LogUniform(1e-6, 1.0)},
            defaults={"epsilon": 1.35, "alpha": 1e-4},
        ),
        _hist_gradient_boosting(HistGradientBoostingRegressor,
                                "hist_gradient_boosting_target_encoded", "target"),
    ]


def _check_task(task):
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}.")


def default_portfolio(task):
    """The default scikit-learn strategies for a task: new objects on every call.

    The portfolio ``"default"`` (:func:`resolve_portfolio`) is these and the
    optional strategies whose library is installed.

    Parameters
    ----------
    task : {"binary", "multiclass", "regression"}
        Binary and multiclass classification share one portfolio.

    Returns
    -------
    list of Strategy

    Examples
    --------
    >>> from skmeta.strategies import default_portfolio
    >>> [s.name for s in default_portfolio("binary")]
    ['hist_gradient_boosting', 'random_forest', 'extra_trees', \
'logistic_regression', 'svm_rbf', 'knn', 'mlp', 'gaussian_nb', \
'hist_gradient_boosting_target_encoded']
    >>> [s.name for s in default_portfolio("regression")]
    ['hist_gradient_boosting', 'random_forest', 'extra_trees', 'ridge', \
'svm_rbf', 'knn', 'mlp', 'hist_gradient_boosting_l1', \
'hist_gradient_boosting_transformed', 'huber', \
'hist_gradient_boosting_target_encoded']
    """
    _check_task(task)
    if task == "regression":
        return _regression_portfolio()
    return _classification_portfolio()


def default_strategy_names(task=None):
    """Names of the default strategies for ``task`` (all tasks when None)."""
    if task is not None:
        return [s.name for s in default_portfolio(task)]
    names = [s.name for s in _classification_portfolio()]
    return names + [s.name for s in _regression_portfolio() if s.name not in names]


def known_portfolio(task):
    """Every strategy skmeta knows for ``task``: the default scikit-learn ones,
    then the optional ones' stand-ins.

    The meta-models of the portfolio ``"default"`` are fitted for these
    strategies, so that one shipped meta-models file serves every install.
    They need only a strategy's name and space, so an optional strategy is
    its stand-in (:func:`~skmeta.strategies.optional_strategy_stand_in`),
    which has them without importing its library, and cannot be fitted.

    Examples
    --------
    >>> from skmeta.strategies import known_portfolio
    >>> [s.name for s in known_portfolio("regression")][-4:]
    ['hist_gradient_boosting_target_encoded', 'lightgbm', 'xgboost', 'catboost']
    """
    return default_portfolio(task) + [
        optional_strategy_stand_in(name, task) for name in optional_strategy_names()
    ]


def resolve_portfolio(portfolio, task):
    """Turn a user's portfolio into the list of strategies for ``task``.

    Parameters
    ----------
    portfolio : "default" or list of (Strategy or str)
        ``"default"`` is the default scikit-learn strategies
        (:func:`default_portfolio`), then the optional ones whose library is
        installed (:func:`~skmeta.strategies.installed_optional_names`).
        Strings name default strategies or optional ones
        (:func:`~skmeta.strategies.optional_strategy_names`: ``"lightgbm"``,
        ``"xgboost"``, ``"catboost"``, which need ``pip install
        "skmeta[boosting]"``); they resolve to that strategy's version for
        ``task`` (e.g. ``"random_forest"`` is a regressor for regression).
        Strategies and names that do not support ``task`` are left out.
    task : {"binary", "multiclass", "regression"}

    Returns
    -------
    list of Strategy
        In the given order.

    Raises
    ------
    ValueError
        For an unknown strategy name (the message lists the known ones),
        duplicate names, an empty portfolio, or no strategy supporting
        ``task``.
    ImportError
        For an optional strategy whose library is not installed.
    TypeError
        If ``portfolio`` or one of its items has the wrong type.

    Examples
    --------
    >>> from sklearn.tree import DecisionTreeRegressor
    >>> from skmeta.strategies import Integer, Strategy, resolve_portfolio
    >>> tree = Strategy("tree", DecisionTreeRegressor(), {"max_depth": Integer(1, 20)})
    >>> portfolio = resolve_portfolio([tree, "ridge", "gaussian_nb"], "regression")
    >>> [s.name for s in portfolio]
    ['tree', 'ridge']
    """
    _check_task(task)
    if isinstance(portfolio, str):
        if portfolio != "default":
            raise ValueError(
                f"portfolio must be 'default' or a list of strategies and "
                f"default strategy names, got {portfolio!r}; for a single "
                f"strategy pass [{portfolio!r}]."
            )
        return default_portfolio(task) + [
            optional_strategy(name, task) for name in installed_optional_names()
        ]
    if isinstance(portfolio, Strategy) or not isinstance(portfolio, (list, tuple)):
        raise TypeError(
            "portfolio must be 'default' or a list of Strategy objects and "
            f"default strategy names, got {type(portfolio).__name__}."
        )
    if not portfolio:
        raise ValueError("portfolio is empty; give at least one strategy.")

    defaults_for_task = {s.name: s for s in default_portfolio(task)}
    known = default_strategy_names()
    strategies = []
    for i, item in enumerate(portfolio):
        if isinstance(item, Strategy):
            strategies.append(item)
        elif isinstance(item, str) and item in optional_strategy_names():
            strategies.append(optional_strategy(item, task))
        elif isinstance(item, str):
            if item not in known:
                raise ValueError(
                    f"unknown strategy name {item!r}; the default strategies are "
                    f"{known}, the optional ones {optional_strategy_names()}."
                )
            strategies.append(defaults_for_task.get(item))
        else:
            raise TypeError(
                f"portfolio item {i} is a {type(item).__name__}; expected a "
                "Strategy or the name of a default strategy."
            )
    names = [item if isinstance(item, str) else item.name for item in portfolio]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ValueError(
            f"strategy names in a portfolio must be unique; repeated: {duplicated}."
        )
    supported = [s for s in strategies if s is not None and s.supports(task)]
    if not supported:
        raise ValueError(f"portfolio has no strategy for task {task!r}.")
    return supported
