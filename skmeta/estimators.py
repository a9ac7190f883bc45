"""MetaClassifier and MetaRegressor: meta-learned model selection as an estimator.

``fit(X, y)`` computes the dataset's meta-features, asks the meta-learner
(built from a knowledge base, by default the one shipped with skmeta) for a
prior over strategies and warm-start configurations, runs the
:mod:`warm-started gradient/softmax adjuster <skmeta.adjust>` for
``n_evaluations`` cross-validated evaluations, and refits the winner — or, with
``ensemble_size > 1``, a weighted ensemble of the evaluated configurations
chosen on their out-of-fold predictions — on all the data.
"""

from __future__ import annotations

import os
import sys
import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_array,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from skmeta.adjust import AdjusterSettings, StrategyAdjuster, run_adjuster
from skmeta.datasets import Dataset, check_features
from skmeta.ensemble import FusedClassifier, FusedRegressor, ensemble_selection
from skmeta.evaluation import (
    check_scoring_name,
    cv_description,
    evaluate_config,
    make_cv,
)
from skmeta.knowledge import Evaluation, KnowledgeBase
from skmeta.learner import MetaLearner, resolve_meta_learner, task_family
from skmeta.strategies import resolve_portfolio

__all__ = ["MetaClassifier", "MetaRegressor"]

_SETTINGS = ("temperature", "learning_rate", "prior_weight", "step_size")


def _evaluate_proposal(proposal, X, y, task, splits, scoring, timeout, return_oof):
    return evaluate_config(
        proposal.strategy, proposal.config, X, y, task, splits,
        scoring=scoring, timeout=timeout, return_oof=return_oof,
    )


def _refit(strategy, config, X, y):
    # The search already judged this configuration on its scores; warnings
    # such as an MLP's ConvergenceWarning would only repeat what it saw.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return strategy.build(config).fit(X, y)


class _BaseMetaEstimator(BaseEstimator):
    """The shared fit of MetaClassifier and MetaRegressor."""

    _parameter_constraints = {
        "knowledge_base": [None, str, os.PathLike, KnowledgeBase, MetaLearner],
        "portfolio": [None, StrOptions({"default"}), list],
        "n_evaluations": [Interval(Integral, 1, None, closed="left")],
        "time_budget": [None, Interval(Real, 0, None, closed="neither")],
        "timeout": [None, Interval(Real, 0, None, closed="neither")],
        "temperature": [StrOptions({"auto"}), Interval(Real, 0, None, closed="neither")],
        "learning_rate": [StrOptions({"auto"}), Interval(Real, 0, None, closed="neither")],
        "prior_weight": [StrOptions({"auto"}), Interval(Real, 0, None, closed="left")],
        "step_size": [StrOptions({"auto"}), Interval(Real, 0, 1, closed="right")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "cv": ["cv_object"],
        "scoring": [None, str],
        "ensemble_size": [Interval(Integral, 1, None, closed="left")],
        "update_knowledge": ["boolean"],
        "n_jobs": [None, Integral],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        knowledge_base=None,
        portfolio=None,
        n_evaluations=10,
        time_budget=None,
        timeout=None,
        temperature="auto",
        learning_rate="auto",
        prior_weight="auto",
        step_size="auto",
        batch_size=2,
        cv=5,
        scoring=None,
        ensemble_size=10,
        update_knowledge=False,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.knowledge_base = knowledge_base
        self.portfolio = portfolio
        self.n_evaluations = n_evaluations
        self.time_budget = time_budget
        self.timeout = timeout
        self.temperature = temperature
        self.learning_rate = learning_rate
        self.prior_weight = prior_weight
        self.step_size = step_size
        self.batch_size = batch_size
        self.cv = cv
        self.scoring = scoring
        self.ensemble_size = ensemble_size
        self.update_knowledge = update_knowledge
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Missing values and categorical columns are handled by each
        # strategy's preprocessing; sparse matrices are accepted.
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = True
        tags.input_tags.categorical = True
        return tags

    # -- helpers -------------------------------------------------------------
    def _log(self, message):
        if self.verbose:
            print(f"[{type(self).__name__}] {message}", file=sys.stderr, flush=True)

    def _settings(self, learner, family):
        learned = learner.adjuster_settings(family)
        values = {
            name: getattr(learned, name) if getattr(self, name) == "auto" else getattr(self, name)
            for name in _SETTINGS
        }
        return AdjusterSettings(**values)

    def _seed(self):
        """An integer seed drawn once from random_state (None: fresh each fit)."""
        rng = self.random_state
        if isinstance(rng, np.random.RandomState):
            return int(rng.randint(2**31 - 1))
        return int(np.random.default_rng(rng).integers(2**31 - 1))

    def _prepare(self, X, y):
        """Validate ``X`` and ``y``; returns the feature table and ``y``."""
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        table = _as_table(X, ensure_min_samples=2)
        validate_data(self, X, skip_check_array=True, reset=True)
        return check_features(table), column_or_1d(y, warn=True)

    # -- fit -----------------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Search strategies and configurations for ``(X, y)``, then refit.

        Parameters
        ----------
        X : array-like, DataFrame or sparse matrix of shape (n_samples, n_features)
            DataFrames may hold categorical (string or category) columns and
            missing values.
        y : array-like of shape (n_samples,)

        Returns
        -------
        self
        """
        table, y = self._prepare(X, y)
        dataset = self._dataset(table, y)
        task = dataset.task
        seed = self._seed()
        scoring = check_scoring_name(self.scoring, task)
        learner = resolve_meta_learner(self.knowledge_base)
        portfolio = resolve_portfolio(
            learner.portfolio if self.portfolio is None else self.portfolio, task
        )
        family = task_family(task)
        settings = self._settings(learner, family)

        metafeatures = learner.metafeatures_of(dataset)
        prior, warm_starts = learner.warm_start(dataset.task, metafeatures, portfolio)
        splitter = make_cv(self.cv, task, dataset.y, seed)
        splits = list(splitter.split(dataset.X, dataset.y))
        adjuster = StrategyAdjuster(portfolio, prior, warm_starts, settings, seed)
        keep_oof = self.ensemble_size > 1
        results = []

        def evaluate(proposals, seconds_left):
            timeout = self.timeout
            if seconds_left is not None:
                timeout = seconds_left if timeout is None else min(timeout, seconds_left)
                timeout = max(timeout, 1e-3)
            batch = Parallel(n_jobs=self.n_jobs)(
                delayed(_evaluate_proposal)(
                    p, dataset.X, dataset.y, task, splits, scoring, timeout, keep_oof
                )
                for p in proposals
            )
            results.extend(batch)
            return [
                {"score": r.score, "fold_scores": r.fold_scores, "status": r.status,
                 "error": r.error, "fit_seconds": r.fit_seconds,
                 "predict_seconds": r.predict_seconds}
                for r in batch
            ]

        self._log(f"{task} task, {dataset.n_samples} rows; prior: "
                  + ", ".join(f"{s.name}={p:.2f}" for s, p in zip(portfolio, np.nan_to_num(prior))))
        trace = run_adjuster(
            adjuster, evaluate, self.n_evaluations,
            batch_size=self.batch_size, time_budget=self.time_budget,
            on_result=lambda row: self._log(
                f"#{row['evaluation']} {row['strategy']}: {row['status']} {row['score']}"
            ),
        )
        self.trace_ = pd.DataFrame(trace)
        self.strategy_probabilities_ = pd.Series(
            adjuster.policy.probabilities(), index=[s.name for s in portfolio],
            name="probability",
        )
        self.adjuster_settings_ = settings
        self._check_some_succeeded()
        best = int(self.trace_["score"].astype(float).idxmax())
        self.best_index_ = best
        self.best_strategy_ = self.trace_.at[best, "strategy"]
        self.best_params_ = dict(self.trace_.at[best, "config"])
        self.best_score_ = float(self.trace_.at[best, "score"])
        self._fit_final_model(portfolio, dataset, results, scoring)
        if self.update_knowledge:
            self._update_knowledge(learner, dataset, metafeatures, scoring,
                                   cv_description(splitter), seed)
        return self

    def _check_some_succeeded(self):
        ok = self.trace_["status"] == "ok"
        if not ok.any():
            causes = "; ".join(
                f"{s}: {e}" for s, e in
                self.trace_[["strategy", "error"]].drop_duplicates().itertuples(index=False)
            )
            raise ValueError(
                f"every one of the {len(self.trace_)} evaluations failed, so there "
                f"is no model to fit. Causes: {causes}"
            )
        failed = int((~ok).sum())
        if failed:
            warnings.warn(
                f"{failed} of {len(self.trace_)} evaluations failed; see trace_['error'].",
                UserWarning,
                stacklevel=3,
            )

    def _fit_final_model(self, portfolio, dataset, results, scoring):
        by_name = {s.name: s for s in portfolio}
        ok = [i for i, r in enumerate(results) if r.ok]
        if self.ensemble_size > 1 and len(ok) > 1:
            order = sorted(ok, key=lambda i: -results[i].score)
            classes = np.unique(dataset.y) if dataset.task != "regression" else None
            weights = ensemble_selection(
                [results[i].oof_predictions for i in order], dataset.y, dataset.task,
                scoring, self.ensemble_size, classes,
            )
            members = [(i, w) for i, w in zip(order, weights) if w > 0]
        else:
            members = [(self.best_index_, 1.0)]
        fitted = Parallel(n_jobs=self.n_jobs)(
            delayed(_refit)(
                by_name[self.trace_.at[i, "strategy"]], self.trace_.at[i, "config"],
                dataset.X, dataset.y,
            )
            for i, _ in members
        )
        self.ensemble_ = pd.DataFrame({
            "evaluation": [i for i, _ in members],
            "strategy": [self.trace_.at[i, "strategy"] for i, _ in members],
            "config": [self.trace_.at[i, "config"] for i, _ in members],
            "weight": [w for _, w in members],
        })
        if len(fitted) == 1:
            self.estimator_ = fitted[0]
        else:
            self.estimator_ = self._fuse(fitted, [w for _, w in members])

    def _update_knowledge(self, learner, dataset, metafeatures, scoring, cv, seed):
        kb = learner.knowledge_base_
        if kb.read_only:
            warnings.warn(
                "update_knowledge=True: the shipped knowledge base is read-only, "
                "so nothing was stored; pass knowledge_base='my_kb.sqlite' (a "
                "copy: KnowledgeBase.default().copy('my_kb.sqlite')) to keep "
                "the experience.",
                UserWarning,
                stacklevel=3,
            )
            return
        kb.add_dataset(dataset.fingerprint, dataset.name, dataset.task, metafeatures,
                       dataset.n_samples, dataset.n_features)
        for row in self.trace_.itertuples(index=False):
            kb.add_evaluation(Evaluation(
                dataset_id=dataset.fingerprint, strategy=row.strategy,
                config=row.config, metric=scoring, cv=cv, seed=seed,
                status=row.status, score=row.score, fold_scores=list(row.fold_scores),
                fit_seconds=row.fit_seconds, predict_seconds=row.predict_seconds,
                error=row.error,
            ))

    # -- predict -------------------------------------------------------------
    def _transform_input(self, X):
        check_is_fitted(self, "estimator_")
        table = _as_table(X)
        validate_data(self, X, skip_check_array=True, reset=False)
        return check_features(table)

    def predict(self, X):
        """Predict with the refitted model (or ensemble)."""
        table = self._transform_input(X)
        return self.estimator_.predict(table)


def _fitted_model_has(method):
    """For ``available_if``: unfitted estimators promise the method, as
    scikit-learn's meta-estimators do; fitted ones have it if their model does."""

    def check(estimator):
        if not hasattr(estimator, "estimator_"):
            return True
        return hasattr(estimator.estimator_, method)

    return check


def _as_table(X, ensure_min_samples=1):
    """DataFrames and sparse matrices as they are; arrays checked as
    scikit-learn checks them, then named ``x0, x1, ...``.

    An object array is made numeric when its values are numbers, and kept as
    it is (its strings are categories) when they are strings.
    """
    if isinstance(X, pd.DataFrame) or sp.issparse(X):
        return X
    array = check_array(X, dtype=None, ensure_all_finite=False,
                        ensure_min_samples=ensure_min_samples)
    if array.dtype == object:
        try:
            array = array.astype(float)
        except ValueError:  # strings: categorical columns
            pass
    if array.dtype.kind == "c":
        raise ValueError("Complex data not supported.")
    return pd.DataFrame(array, columns=[f"x{i}" for i in range(array.shape[1])])


class MetaClassifier(ClassifierMixin, _BaseMetaEstimator):
    """A classifier that picks and tunes its own learning strategy.

    Parameters
    ----------
    knowledge_base : None, str, path, KnowledgeBase or MetaLearner, default=None
        The experience to start from: None uses the knowledge base shipped
        with skmeta; a path or :class:`~skmeta.knowledge.KnowledgeBase` is
        meta-learned from on first use; a fitted :class:`MetaLearner` is used
        as it is.
    portfolio : None, "default" or list, default=None
        Strategies to choose from (see :func:`skmeta.strategies.resolve_portfolio`);
        None takes the meta-learner's portfolio, whose strategies the
        knowledge base has experience of.
    n_evaluations : int, default=10
        Cross-validated evaluations of the search.
    time_budget : float, optional
        Seconds after which no new evaluation starts (running ones are
        stopped at the budget).
    timeout : float, optional
        Seconds one evaluation may take.
    temperature, learning_rate, prior_weight, step_size : float or "auto"
        The adjuster's settings (:class:`~skmeta.adjust.AdjusterSettings`);
        "auto" takes the values meta-learned with the knowledge base.
    batch_size : int, default=2
        Proposals per adjuster step, evaluated in parallel with ``n_jobs``.
        The result does not depend on ``n_jobs``.
    cv : int or splitter, default=5
    scoring : str, optional
        A metric of :data:`skmeta.evaluation.SCORINGS`; balanced accuracy
        when None.
    ensemble_size : int, default=10
        Picks of greedy ensemble selection on out-of-fold predictions; 1
        refits the single best configuration.
    update_knowledge : bool, default=False
        Add this fit's evaluations to the knowledge base.
    n_jobs : int, optional
    random_state : int, RandomState or None
    verbose : int, default=0

    Attributes
    ----------
    best_strategy_ : str
    best_params_ : dict
    best_score_ : float
        Mean cross-validated score of the best evaluation.
    trace_ : DataFrame
        One row per evaluation: step, strategy, config, probabilities (pi
        before the step), score, fold_scores, status, error, seconds.
    strategy_probabilities_ : Series
        The policy after the search.
    ensemble_ : DataFrame
        The fused members (evaluation, strategy, config, weight).
    estimator_ : estimator
        The refitted model or ensemble that predicts.
    classes_ : ndarray
    n_features_in_ : int
    feature_names_in_ : ndarray
        Only when ``X`` had string column names.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skmeta import MetaClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MetaClassifier(n_evaluations=3, cv=3, random_state=0).fit(X, y)
    >>> len(clf.trace_)
    3
    >>> clf.score(X, y) > 0.9
    True
    """

    def _dataset(self, table, y):
        check_classification_targets(y)
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        task = "binary" if len(self.classes_) == 2 else "multiclass"
        return Dataset(table, y, name="fit", task=task)

    def _fuse(self, fitted, weights):
        return FusedClassifier(fitted, weights, self.classes_)

    def predict_proba(self, X):
        """Class probabilities (columns ordered as ``classes_``)."""
        table = self._transform_input(X)
        model = self.estimator_
        if not hasattr(model, "predict_proba"):
            raise AttributeError(f"{self.best_strategy_} has no predict_proba.")
        proba = np.asarray(model.predict_proba(table), dtype=float)
        positions = np.searchsorted(self.classes_, model.classes_)
        out = np.zeros((proba.shape[0], len(self.classes_)))
        out[:, positions] = proba
        return out

    @available_if(_fitted_model_has("decision_function"))
    def decision_function(self, X):
        """The fitted model's decision function, where it has one.

        Available when the search ended with a single model that has one
        (an ensemble has none).
        """
        table = self._transform_input(X)
        return self.estimator_.decision_function(table)


class MetaRegressor(RegressorMixin, _BaseMetaEstimator):
    """A regressor that picks and tunes its own learning strategy.

    Parameters are those of :class:`MetaClassifier`; ``scoring`` defaults to
    R². Attributes are the same except ``classes_``.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from skmeta import MetaRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> reg = MetaRegressor(n_evaluations=2, cv=3, random_state=0).fit(X, y)
    >>> reg.best_score_ > 0.3
    True
    """

    def _dataset(self, table, y):
        return Dataset(table, np.asarray(y, dtype=float), name="fit", task="regression")

    def _fuse(self, fitted, weights):
        return FusedRegressor(fitted, weights)
