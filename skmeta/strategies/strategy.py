"""Learning strategies: an estimator, the preprocessing it needs, and its space.

A :class:`Strategy` is a named, picklable recipe. ``build(config)`` clones the
prototype estimator, sets the configuration's hyperparameters on it, and puts
it behind the preprocessing it needs in a scikit-learn :class:`Pipeline`
with the steps ``"preprocess"`` and ``"estimator"``.
"""

from __future__ import annotations

from sklearn import config_context
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import TransformedTargetRegressor
from sklearn.ensemble import (
    BaseEnsemble,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import BaseDecisionTree
from sklearn.utils.validation import has_fit_parameter

from skmeta.datasets import TASKS
from skmeta.strategies.preprocessing import PREPROCESSING_KINDS, TabularPreprocessor
from skmeta.strategies.space import Space

__all__ = ["Strategy", "fit_model", "single_hidden_layer"]

#: Most categories kept per column by the one-hot encoding of "scale"/"onehot".
ONEHOT_MAX_CATEGORIES = 20

#: HistGradientBoosting's limit on a categorical feature's cardinality.
NATIVE_MAX_CATEGORIES = 255

#: Folds of the cross-validation that fits a calibrator (see ``calibration``).
CALIBRATION_FOLDS = 3

_CALIBRATION_METHODS = ("sigmoid", "isotonic")

_PREPROCESSORS = {
    "scale": dict(
        impute=True,
        scale=True,
        categorical="onehot",
        max_categories=ONEHOT_MAX_CATEGORIES,
    ),
    "onehot": dict(
        impute=True,
        scale=False,
        categorical="onehot",
        max_categories=ONEHOT_MAX_CATEGORIES,
        dense=True,
    ),
    "ordinal": dict(
        impute=True,
        scale=False,
        categorical="ordinal",
        max_categories=NATIVE_MAX_CATEGORIES,
    ),
    "native": dict(
        impute=False,
        scale=False,
        categorical="native",
        max_categories=NATIVE_MAX_CATEGORIES,
        dense=True,
    ),
    # Cross-fitted target encoding (the codes of a training row come from
    # the other rows); numeric NaN kept, for learners that take it.
    "target": dict(
        impute=False,
        scale=False,
        categorical="target",
        dense=True,
    ),
}


def single_hidden_layer(width):
    """Converter from an integer width to ``hidden_layer_sizes=(width,)``.

    Examples
    --------
    >>> from skmeta.strategies import single_hidden_layer
    >>> single_hidden_layer(64)
    (64,)
    """
    return (int(width),)


def fit_model(model, X, y, sample_weight=None):
    """Fit a pipeline of :meth:`Strategy.build`, with per-row weights if given.

    The weights go to the ``"estimator"`` step (the learner, through a
    target transform or a calibrator wrapping it), not to the preprocessing.
    They are passed directly, whether or not the caller enabled scikit-learn's
    metadata routing: the pipeline is skmeta's own, and its learner is known
    to accept them (:attr:`Strategy.accepts_sample_weight`).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from skmeta.strategies import default_portfolio, fit_model
    >>> X, y = load_iris(return_X_y=True, as_frame=True)
    >>> forest = {s.name: s for s in default_portfolio("multiclass")}["random_forest"]
    >>> weights = np.where(y == 0, 10.0, 1.0)
    >>> fit_model(forest.build(), X, y, weights).score(X, y) > 0.9
    True
    """
    if sample_weight is None:
        return model.fit(X, y)
    with config_context(enable_metadata_routing=False):
        return model.fit(X, y, estimator__sample_weight=sample_weight)


def _learner_of(estimator):
    """The learner inside a target transform or a calibrator."""
    if isinstance(estimator, TransformedTargetRegressor):
        return _learner_of(estimator.regressor)
    if isinstance(estimator, CalibratedClassifierCV):
        return _learner_of(estimator.estimator)
    return estimator


def _auto_preprocessing(estimator):
    """The preprocessing the estimator's family needs."""
    if isinstance(
        estimator, (HistGradientBoostingClassifier, HistGradientBoostingRegressor)
    ):
        return "native"
    if isinstance(estimator, BaseDecisionTree):
        return "ordinal"
    if isinstance(estimator, BaseEnsemble):
        base = getattr(estimator, "estimator", None)
        if base is None or isinstance(base, BaseDecisionTree):
            return "ordinal"
    if type(estimator).__module__.startswith("sklearn.naive_bayes"):
        return "onehot"
    return "scale"


def _default_tasks(estimator):
    if is_classifier(estimator):
        return ("binary", "multiclass")
    if is_regressor(estimator):
        return ("regression",)
    raise ValueError(
        f"cannot tell which tasks {type(estimator).__name__} supports: it is "
        "neither a classifier nor a regressor; pass tasks=(...) explicitly."
    )


class Strategy:
    """A named learning strategy: estimator, preprocessing and hyperparameter space.

    Parameters
    ----------
    name : str
        A short, stable identifier (the knowledge base keys results by it).
    estimator : scikit-learn estimator
        Unfitted prototype; :meth:`build` clones it and sets a configuration's
        values as its parameters. Fixed settings (``n_jobs=1``,
        ``random_state``, ``max_iter``) belong here.
    space : Space or dict of str to Dimension, default=None
        The tunable hyperparameters, named as ``estimator``'s parameters.
        Empty or None: nothing to tune.
    defaults : dict, optional
        The default configuration. Hyperparameters it leaves out take the
        estimator's own value when that lies in the space, and otherwise the
        dimension's midpoint (``from_unit(0.5)``), so that the default
        configuration is always in the space.
    preprocessing : {"auto", "scale", "onehot", "ordinal", "native", "target", \
"none"} or transformer, default="auto"
        - ``"scale"``: median imputation, standardization and one-hot
          encoding (at most 20 columns per categorical feature); for linear
          models, SVMs, neighbours and neural networks.
        - ``"onehot"``: imputation and dense one-hot encoding, no scaling.
        - ``"ordinal"``: imputation and ordinal codes; for trees.
        - ``"native"``: numeric NaN kept, categoricals as pandas category
          dtype with at most 255 categories (``max_bins`` when smaller), dense;
          for ``HistGradientBoosting*``.
        - ``"target"``: numeric NaN kept, categoricals target-encoded with
          cross-fitting (:class:`~sklearn.preprocessing.TargetEncoder`, the
          target's type from the strategy's tasks), dense; for learners that
          take NaN, on high-cardinality categoricals.
        - ``"none"``: the estimator gets ``X`` as is.
        - ``"auto"``: ``"native"`` for HistGradientBoosting, ``"ordinal"``
          for trees and tree ensembles, ``"onehot"`` for naive Bayes, and
          ``"scale"`` for everything else.
        - a transformer: cloned in front of the estimator.
    tasks : tuple of {"binary", "multiclass", "regression"}, optional
        Defaults to ``("binary", "multiclass")`` for classifiers and
        ``("regression",)`` for regressors.
    converters : dict of str to callable, optional
        Functions applied to configuration values before they are set on the
        estimator, e.g. ``{"hidden_layer_sizes": single_hidden_layer}`` to
        tune a network's width as an integer. Use module-level functions so
        that the strategy stays picklable.
    target_scaling : bool, default=False
        Standardize a regression target before fitting (and invert it at
        predict), for learners whose hyperparameters are in units of ``y``
        (SVR's epsilon) or that train badly on large targets (MLP).
    calibration : {None, "sigmoid", "isotonic"}, default=None
        Give a classifier without ``predict_proba`` (e.g. ``SVC``) calibrated
        probabilities: the configured estimator is wrapped in
        ``CalibratedClassifierCV(method=calibration, cv=3, ensemble=False)``,
        which costs three fits on 2/3 of the data on top of the final fit.

    Attributes
    ----------
    space : Space
    preprocessing : str or transformer
        ``"auto"`` resolved to the recipe used.
    tasks : tuple of str

    Notes
    -----
    Strategies compare equal when their name, estimator class and parameters,
    space, defaults, preprocessing, tasks, converters, target scaling and
    calibration all are; they hash by name. Treat them as immutable.

    Examples
    --------
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skmeta.strategies import Integer, Strategy
    >>> tree = Strategy("my_tree", DecisionTreeClassifier(random_state=0),
    ...                 {"max_depth": Integer(1, 20)})
    >>> tree
    Strategy('my_tree', DecisionTreeClassifier, space=['max_depth'], \
preprocessing='ordinal', tasks=('binary', 'multiclass'))
    >>> tree.default_config()
    {'max_depth': 11}
    >>> model = tree.build({"max_depth": 3})
    >>> [name for name, _ in model.steps]
    ['preprocess', 'estimator']
    >>> model["estimator"].max_depth
    3
    """

    def __init__(
        self,
        name,
        estimator,
        space=None,
        defaults=None,
        preprocessing="auto",
        tasks=None,
        converters=None,
        target_scaling=False,
        calibration=None,
    ):
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"name must be a non-empty string, got {name!r}.")
        if isinstance(estimator, type) or not (
            hasattr(estimator, "fit") and hasattr(estimator, "get_params")
        ):
            raise TypeError(
                "estimator must be an unfitted scikit-learn estimator instance, "
                f"got {estimator!r}."
            )
        self.name = name
        self.estimator = estimator
        self.space = Space(space)

        parameters = estimator.get_params(deep=True)
        unknown = [key for key in self.space if key not in parameters]
        if unknown:
            raise ValueError(
                f"strategy {name!r}: {type(estimator).__name__} has no parameter "
                f"{unknown[0]!r}; space keys must be the estimator's parameters."
            )
        self.converters = dict(converters or {})
        for key, function in self.converters.items():
            if key not in self.space:
                raise ValueError(
                    f"strategy {name!r}: a converter for {key!r}, which is not "
                    "in the space."
                )
            if not callable(function):
                raise TypeError(
                    f"strategy {name!r}: converter for {key!r} is not callable."
                )

        self.tasks = self._check_tasks(tasks, estimator)
        self.target_scaling = bool(target_scaling)
        if self.target_scaling and self.tasks != ("regression",):
            raise ValueError(
                f"strategy {name!r}: target_scaling only applies to regression."
            )
        if calibration is not None and (
            calibration not in _CALIBRATION_METHODS or "regression" in self.tasks
        ):
            raise ValueError(
                f"strategy {name!r}: calibration must be None or one of "
                f"{_CALIBRATION_METHODS}, for classifiers only; got {calibration!r}."
            )
        self.calibration = calibration
        self.preprocessing = self._check_preprocessing(preprocessing, estimator)
        self._defaults = self._complete_defaults(defaults or {}, parameters)

    def _check_tasks(self, tasks, estimator):
        if tasks is None:
            return _default_tasks(estimator)
        if isinstance(tasks, str):
            tasks = (tasks,)
        tasks = tuple(tasks)
        bad = [t for t in tasks if t not in TASKS]
        if bad or not tasks:
            raise ValueError(
                f"strategy {self.name!r}: tasks must be a non-empty subset of "
                f"{TASKS}, got {tasks!r}."
            )
        return tasks

    def _check_preprocessing(self, preprocessing, estimator):
        if isinstance(preprocessing, str):
            if preprocessing == "auto":
                return _auto_preprocessing(estimator)
            if preprocessing not in PREPROCESSING_KINDS:
                raise ValueError(
                    f"strategy {self.name!r}: preprocessing must be 'auto', one of "
                    f"{PREPROCESSING_KINDS} or a transformer, got {preprocessing!r}."
                )
            return preprocessing
        if not (hasattr(preprocessing, "fit") and hasattr(preprocessing, "transform")):
            raise TypeError(
                f"strategy {self.name!r}: preprocessing must be a string or a "
                f"transformer, got {type(preprocessing).__name__}."
            )
        return preprocessing

    def _complete_defaults(self, defaults, parameters):
        try:
            defaults = self.space.validate(defaults)
        except ValueError as exc:
            raise ValueError(f"strategy {self.name!r}: defaults: {exc}") from None
        complete = {}
        for key, dim in self.space.items():
            if key in defaults:
                complete[key] = defaults[key]
                continue
            try:
                complete[key] = dim.validate(parameters[key])
            except ValueError:
                complete[key] = dim.from_unit(0.5)
        return complete

    # -- configurations ------------------------------------------------------

    def default_config(self):
        """The default configuration: a complete, JSON-serializable dict."""
        return dict(self._defaults)

    def sample_config(self, rng=None):
        """A random configuration from the space (see :meth:`Space.sample`)."""
        return self.space.sample(rng)

    def supports(self, task):
        """Whether the strategy can learn ``task``."""
        if task not in TASKS:
            raise ValueError(f"task must be one of {TASKS}, got {task!r}.")
        return task in self.tasks

    # -- building ------------------------------------------------------------

    def build(self, config=None, *, random_state=None, n_rows=None):
        """Build an unfitted pipeline: preprocessing, then the configured estimator.

        Parameters
        ----------
        config : dict, optional
            Hyperparameter values; those left out take the default
            configuration's values.
        random_state : int, optional
            Set on the estimator when it has a ``random_state`` parameter;
            None keeps the prototype's.
        n_rows : int, optional
            Rows the pipeline will be fitted on: an ``n_neighbors`` above it
            is lowered to it, since a neighbours model cannot use more
            neighbours than rows (a configuration learned on large data,
            tried on tiny data).

        Returns
        -------
        sklearn.pipeline.Pipeline
            Steps ``"preprocess"`` and ``"estimator"``. With
            ``target_scaling`` the ``"estimator"`` step is a
            ``TransformedTargetRegressor`` wrapping the configured estimator,
            and with ``calibration`` a ``CalibratedClassifierCV``.

        Raises
        ------
        ValueError
            If ``config`` has an unknown key or a value outside the space.
        """
        values = self._defaults
        if config:
            try:
                values = {**values, **self.space.validate(config)}
            except ValueError as exc:
                raise ValueError(f"strategy {self.name!r}: {exc}") from None
        params = {
            key: self.converters[key](value) if key in self.converters else value
            for key, value in values.items()
        }
        estimator = clone(self.estimator)
        if random_state is not None and "random_state" in estimator.get_params(
            deep=False
        ):
            params["random_state"] = random_state
        if n_rows is not None and params.get("n_neighbors", 0) > n_rows:
            params["n_neighbors"] = max(1, int(n_rows))
        estimator.set_params(**params)
        if self.target_scaling:
            estimator = TransformedTargetRegressor(
                regressor=estimator, transformer=StandardScaler(), check_inverse=False
            )
        if self.calibration is not None:
            estimator = CalibratedClassifierCV(
                estimator, method=self.calibration, cv=CALIBRATION_FOLDS, ensemble=False
            )
        return Pipeline(
            [
                ("preprocess", self._build_preprocessor(estimator)),
                ("estimator", estimator),
            ]
        )

    def _build_preprocessor(self, estimator):
        if not isinstance(self.preprocessing, str):
            return clone(self.preprocessing)
        if self.preprocessing == "none":
            return "passthrough"
        settings = dict(_PREPROCESSORS[self.preprocessing])
        if self.preprocessing == "native":
            max_bins = getattr(estimator, "max_bins", NATIVE_MAX_CATEGORIES)
            settings["max_categories"] = min(NATIVE_MAX_CATEGORIES, max_bins)
        if self.preprocessing == "target":
            # An integer regression target would be taken for classes.
            settings["target_type"] = ("continuous" if self.tasks == ("regression",)
                                       else "auto")
        return TabularPreprocessor(**settings)

    @property
    def accepts_sample_weight(self):
        """Whether the learner's ``fit`` takes ``sample_weight``.

        A strategy that does not (k-nearest neighbours) is left out of a
        weighted search rather than fitted without the weights, whose
        metric it would then be judged by.
        """
        return has_fit_parameter(_learner_of(self.estimator), "sample_weight")

    @property
    def handles_sparse(self):
        """Whether sparse input stays sparse (False: it is densified, or unknown)."""
        return self.preprocessing in ("scale", "ordinal")

    # -- identity ------------------------------------------------------------

    def _identity(self):
        estimator_params = sorted(
            (key, repr(value))
            for key, value in self.estimator.get_params(deep=False).items()
        )
        preprocessing = (
            self.preprocessing
            if isinstance(self.preprocessing, str)
            else (type(self.preprocessing), repr(self.preprocessing))
        )
        converters = sorted(
            (key, getattr(f, "__module__", ""), getattr(f, "__qualname__", repr(f)))
            for key, f in self.converters.items()
        )
        return (
            self.name,
            type(self.estimator),
            tuple(estimator_params),
            self.space,
            tuple(self._defaults.items()),
            preprocessing,
            self.tasks,
            tuple(converters),
            self.target_scaling,
            self.calibration,
        )

    def __eq__(self, other):
        if not isinstance(other, Strategy):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self):
        return hash(self.name)

    def __repr__(self):
        preprocessing = (
            repr(self.preprocessing)
            if isinstance(self.preprocessing, str)
            else type(self.preprocessing).__name__
        )
        return (
            f"Strategy({self.name!r}, {type(self.estimator).__name__}, "
            f"space={list(self.space.names)}, preprocessing={preprocessing}, "
            f"tasks={self.tasks!r})"
        )
