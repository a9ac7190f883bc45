"""The random searches skmeta is compared with: rs-10, rs-30 and rs-20-cheap.

``rs-10`` and ``rs-30`` search skmeta's own portfolio, each hyperparameter
sampled as the strategy's :class:`~skmeta.strategies.Space` samples it;
``rs-20-cheap`` is the search a user would write (five pipelines, 20 x
3-fold). ``PROTOCOL.md`` gives every distribution.

>>> from skmeta.strategies import LogUniform
>>> [float(bound) for bound in _scipy_distribution(LogUniform(1e-3, 1e2)).support()]
[0.001, 100.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import RandomizedSearchCV
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from skmeta.evaluation import make_cv
from skmeta.strategies import (
    Categorical,
    Integer,
    LogUniform,
    Uniform,
    default_portfolio,
)

CHEAP_FOLDS = 3
CHEAP_ITERATIONS = 20


def _search_info(search, n_folds, n_jobs):
    """Curve, best score and approximate finish times of a RandomizedSearchCV.

    Candidate ``i`` is taken to finish at the cumulative sum, over candidates
    ``0..i``, of ``(mean_fit_time + mean_score_time) * n_folds``, divided by
    ``n_jobs`` (an approximation: the search's own overhead and the order in
    which parallel workers finish are ignored).
    """
    results = search.cv_results_
    scores = np.asarray(results["mean_test_score"], dtype=float)
    cost = ((np.asarray(results["mean_fit_time"], dtype=float)
             + np.asarray(results["mean_score_time"], dtype=float)) * n_folds)
    seconds = np.cumsum(cost) / max(int(n_jobs or 1), 1)
    return {"curve": scores.tolist(), "cv_score": float(search.best_score_),
            "n_failed": int(np.isnan(scores).sum()),
            "seconds": np.round(seconds, 3).tolist()}



class _LogInteger:
    """An integer sampled uniformly on a log scale, as skmeta's Integer(log=True)."""

    def __init__(self, dimension):
        self.dimension = dimension

    def rvs(self, random_state=None):
        rng = np.random.default_rng(random_state.randint(2**31 - 1)
                                    if isinstance(random_state, np.random.RandomState)
                                    else random_state)
        return self.dimension.from_unit(rng.random())


class _Converted:
    """Samples of a distribution passed through a strategy's converter."""

    def __init__(self, distribution, converter):
        self.distribution = distribution
        self.converter = converter

    def rvs(self, random_state=None):
        if isinstance(self.distribution, list):
            rng = np.random.RandomState(random_state.randint(2**31 - 1))
            value = self.distribution[rng.randint(len(self.distribution))]
        else:
            value = self.distribution.rvs(random_state=random_state)
        return self.converter(value)


def _scipy_distribution(dimension):
    """The scipy distribution (or list) that samples a skmeta dimension alike."""
    if isinstance(dimension, Categorical):
        return list(dimension.choices)
    if isinstance(dimension, LogUniform):
        return stats.loguniform(dimension.low, dimension.high)
    if isinstance(dimension, Uniform):
        return stats.uniform(dimension.low, dimension.high - dimension.low)
    if isinstance(dimension, Integer):
        if dimension.log:
            return _LogInteger(dimension)
        return stats.randint(dimension.low, dimension.high + 1)
    raise TypeError(f"no scipy distribution for {dimension!r}")


def _parameter_path(pipeline, name):
    """Where the estimator's parameter ``name`` sits in a built strategy."""
    params = pipeline.get_params(deep=True)
    # The estimator step may wrap the configured learner: target scaling
    # (TransformedTargetRegressor.regressor) or calibration
    # (CalibratedClassifierCV.estimator).
    for prefix in ("estimator__", "estimator__regressor__", "estimator__estimator__"):
        if prefix + name in params:
            return prefix + name
    raise KeyError(f"parameter {name!r} not found in {pipeline}")


def random_search_distributions(portfolio):
    """One parameter-distribution dict per strategy, for a ``"model"`` pipeline step."""
    distributions = []
    for strategy in portfolio:
        pipeline = strategy.build()
        entry = {"model": [pipeline]}
        for name, dimension in strategy.space.items():
            distribution = _scipy_distribution(dimension)
            if name in strategy.converters:
                distribution = _Converted(distribution, strategy.converters[name])
            entry["model__" + _parameter_path(pipeline, name)] = distribution
        distributions.append(entry)
    return distributions


def fit_random_search(X, y, task, *, n_iter, folds, seed, n_jobs):
    """rs-10 / rs-30: ``n_iter`` candidates over skmeta's portfolio, on ``folds``."""
    portfolio = default_portfolio(task)
    return _randomized_search(X, y, task, Pipeline([("model", portfolio[0].build())]),
                              random_search_distributions(portfolio), n_iter=n_iter,
                              folds=folds, seed=seed, n_jobs=n_jobs)


def _randomized_search(X, y, task, pipeline, distributions, *, n_iter, folds, seed,
                       n_jobs):
    """Fit a RandomizedSearchCV on the task's metric; (search, its info)."""
    search = RandomizedSearchCV(
        pipeline,
        distributions,
        n_iter=n_iter,
        scoring="r2" if task == "regression" else "balanced_accuracy",
        cv=folds,
        refit=True,
        error_score=np.nan,
        n_jobs=n_jobs,
        random_state=seed,
    )
    search.fit(X, y)
    return search, _search_info(search, folds.get_n_splits(), n_jobs)


# -- rs-20-cheap: the random search a user would write ---------------------------

def _column_kinds(X):
    """(numeric columns, categorical columns) of a DataFrame (booleans: numeric)."""
    categorical = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
    numeric = [c for c in X.columns if c not in categorical]
    return numeric, categorical


def _preprocessor(numeric, categorical, *, scale, one_hot):
    """Imputation (+ scaling) of numbers; one-hot or ordinal codes of categories."""
    numbers = make_pipeline(SimpleImputer(strategy="median"),
                            *([StandardScaler()] if scale else []))
    if one_hot:
        encoder = OneHotEncoder(handle_unknown="infrequent_if_exist",
                                max_categories=20)
    else:
        encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
    categories = make_pipeline(
        SimpleImputer(strategy="constant", fill_value="missing"), encoder)
    return ColumnTransformer([("num", numbers, numeric),
                              ("cat", categories, categorical)])


def _hgb_pipeline(X, estimator):
    """HistGradientBoosting with native categories (<= 255 levels) and NaN."""
    numeric, categorical = _column_kinds(X)
    native = [c for c in categorical if X[c].nunique() <= 255]
    coded = [c for c in categorical if c not in native]
    prep = ColumnTransformer(
        [("cat", OrdinalEncoder(handle_unknown="use_encoded_value",
                                unknown_value=np.nan, encoded_missing_value=np.nan),
          native + coded),
         ("num", "passthrough", numeric)])
    mask = [True] * len(native) + [False] * (len(coded) + len(numeric))
    estimator.set_params(categorical_features=mask if any(mask) else None)
    return Pipeline([("prep", prep), ("est", estimator)])


def cheap_search_distributions(X, task, seed):
    """Five pipelines and a few scipy distributions for each (see PROTOCOL.md)."""
    regression = task == "regression"
    numeric, categorical = _column_kinds(X)
    hgb = (HistGradientBoostingRegressor if regression
           else HistGradientBoostingClassifier)(random_state=seed)
    forest = RandomForestRegressor if regression else RandomForestClassifier
    extra = ExtraTreesRegressor if regression else ExtraTreesClassifier
    knn = KNeighborsRegressor if regression else KNeighborsClassifier
    ordinal = dict(scale=False, one_hot=False)
    scaled = dict(scale=True, one_hot=True)

    def pipe(estimator, **prep):
        return Pipeline([("prep", _preprocessor(numeric, categorical, **prep)),
                         ("est", estimator)])

    trees = {"model__est__max_features": stats.uniform(0.1, 0.9),
             "model__est__min_samples_leaf": stats.randint(1, 11)}
    if regression:
        linear = (pipe(Ridge(), **scaled),
                  {"model__est__alpha": stats.loguniform(1e-3, 1e3)})
    else:
        linear = (pipe(LogisticRegression(max_iter=1000), **scaled),
                  {"model__est__C": stats.loguniform(1e-3, 1e2)})
    return [
        {"model": [_hgb_pipeline(X, hgb)],
         "model__est__learning_rate": stats.loguniform(0.01, 0.3),
         "model__est__max_leaf_nodes": stats.randint(8, 129),
         "model__est__min_samples_leaf": stats.randint(5, 101),
         "model__est__l2_regularization": stats.loguniform(1e-6, 10.0)},
        {"model": [pipe(forest(n_jobs=1, random_state=seed), **ordinal)], **trees},
        {"model": [pipe(extra(n_jobs=1, random_state=seed), **ordinal)], **trees},
        {"model": [linear[0]], **linear[1]},
        {"model": [pipe(knn(), **scaled)],
         "model__est__n_neighbors": stats.randint(1, 31),
         "model__est__weights": ["uniform", "distance"]},
    ]


def fit_cheap_search(X, y, task, *, seed, n_jobs):
    """rs-20-cheap: 20 candidates of five pipelines, 3-fold."""
    folds = make_cv(CHEAP_FOLDS, task, y, seed)
    distributions = cheap_search_distributions(X, task, seed)
    pipeline = Pipeline([("model", distributions[0]["model"][0])])
    return _randomized_search(X, y, task, pipeline, distributions,
                              n_iter=CHEAP_ITERATIONS, folds=folds, seed=seed,
                              n_jobs=n_jobs)

