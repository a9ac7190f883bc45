"""The contract MetaClassifier and MetaRegressor share: parameters, fit, predict.

``fit`` has the shape of scikit-learn's ``BaseSearchCV.fit``: check the
data, set the search up, run it, gather its results, refit. This module
holds the parameters, the data checks of ``fit`` and ``predict``, and the
fitted search's ``score``; the search's steps are in
:mod:`skmeta._meta_search`, the final model in :mod:`skmeta._final_model`,
and the results a search shows (``cv_results_``, ``scorer_``) in
:mod:`skmeta._search_results`.
"""

from __future__ import annotations

import os
import sys
import warnings
from numbers import Integral, Real

from sklearn.base import BaseEstimator, is_classifier
from sklearn.utils.validation import (
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from skmeta._deprecation import DEPRECATED
from skmeta._final_model import FinalModelMixin
from skmeta._meta_search import MetaSearchMixin
from skmeta._sklearn_compat import Hidden, Interval, StrOptions, _fit_context
from skmeta._validation import (
    as_table,
    check_column_names,
    check_features,
    check_sample_weight,
    check_search_settings,
    check_still_numeric,
    check_target_frame,
    column_names,
    in_fit_order,
    named_by_position,
    numeric_columns,
    warn_if_all_missing,
)
from skmeta._validation import parameters as shared
from skmeta.dates import DateTimeEncoder, has_date_columns
from skmeta.fold_race import Clock
from skmeta.knowledge import KnowledgeBase
from skmeta.learner import MetaLearner


class _BaseMetaEstimator(MetaSearchMixin, FinalModelMixin, BaseEstimator):
    """The shared fit of MetaClassifier and MetaRegressor.

    ``fit`` has the shape of scikit-learn's ``BaseSearchCV.fit``: check the
    data (:meth:`_check_fit_data`), set the search up from the
    meta-learner (:meth:`_start_search`), run it (:meth:`_run_search`),
    gather its results once (:meth:`_gather_results`: ``trace_``,
    ``cv_results_``), then build the final model (:meth:`_refit_best`).
    """

    _parameter_constraints = {
        # A MetaLearner here is deprecated (0.2): it is meta_learner's.
        "knowledge_base": [None, str, os.PathLike, KnowledgeBase, MetaLearner],
        "portfolio": [None, StrOptions({"default"}), list],
        "n_evaluations": [Interval(Integral, 1, None, closed="left")],
        "time_budget": [None, Interval(Real, 0, None, closed="neither")],
        "evaluation_timeout": shared.TIMEOUT,
        "temperature": [StrOptions({"auto"}), Interval(Real, 0, None, closed="neither")],
        "learning_rate": [StrOptions({"auto"}), Interval(Real, 0, None, closed="neither")],
        "prior_weight": [StrOptions({"auto"}), Interval(Real, 0, None, closed="left")],
        "step_size": [StrOptions({"auto"}), Interval(Real, 0, 1, closed="right")],
        "cost_weight": [StrOptions({"auto"}), Interval(Real, 0, None, closed="left")],
        "proposals_per_step": [Interval(Integral, 1, None, closed="left")],
        "cv": [StrOptions({"auto"}), *shared.CV],
        "scoring": shared.SCORING,
        "ensemble_size": [Interval(Integral, 1, None, closed="left")],
        "max_samples": shared.MAX_SAMPLES,
        "update_knowledge": ["boolean"],
        "n_jobs": shared.N_JOBS,
        "random_state": shared.RANDOM_STATE,
        "verbose": shared.VERBOSE,
        "meta_learner": [None, MetaLearner],
        # Renamed in 0.2 (see skmeta._deprecation).
        "timeout": [None, Interval(Real, 0, None, closed="neither"),
                    Hidden(StrOptions({DEPRECATED}))],
        "batch_size": [Interval(Integral, 1, None, closed="left"),
                       Hidden(StrOptions({DEPRECATED}))],
    }

    def __init__(
        self,
        knowledge_base=None,
        portfolio=None,
        n_evaluations=10,
        time_budget=None,
        evaluation_timeout=None,
        temperature="auto",
        learning_rate="auto",
        prior_weight="auto",
        step_size="auto",
        cost_weight="auto",
        proposals_per_step=2,
        cv="auto",
        scoring=None,
        ensemble_size=10,
        max_samples=20_000,
        update_knowledge=False,
        n_jobs=None,
        random_state=None,
        verbose=0,
        meta_learner=None,
        timeout=DEPRECATED,
        batch_size=DEPRECATED,
    ):
        self.knowledge_base = knowledge_base
        self.portfolio = portfolio
        self.n_evaluations = n_evaluations
        self.time_budget = time_budget
        self.evaluation_timeout = evaluation_timeout
        self.temperature = temperature
        self.learning_rate = learning_rate
        self.prior_weight = prior_weight
        self.step_size = step_size
        self.cost_weight = cost_weight
        self.proposals_per_step = proposals_per_step
        self.cv = cv
        self.scoring = scoring
        self.ensemble_size = ensemble_size
        self.max_samples = max_samples
        self.update_knowledge = update_knowledge
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.meta_learner = meta_learner
        self.timeout = timeout
        self.batch_size = batch_size

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Missing values and categorical columns are handled by each
        # strategy's preprocessing; sparse matrices are accepted.
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = True
        tags.input_tags.categorical = True
        return tags

    # -- helpers -------------------------------------------------------------
    def _log(self, message, clock=None):
        if self.verbose:
            at = "" if clock is None else f" {clock.elapsed():.2f} s"
            print(f"[{type(self).__name__}{at}] {message}", file=sys.stderr, flush=True)

    def _prepare(self, X, y):
        """Validate ``X`` and ``y``; returns the feature table and ``y``."""
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        check_column_names(X)  # before scikit-learn misreports these
        check_target_frame(y)
        table = as_table(X, ensure_min_samples=2)
        validate_data(self, X, skip_check_array=True, reset=True)
        table = check_features(table)
        warn_if_all_missing(table)
        self._feature_columns = column_names(table)
        # The names of a DataFrame's columns, whatever their type, to match
        # predict's columns by (scikit-learn records string names only).
        self._fit_column_names = column_names(X)
        return table, column_or_1d(y, warn=True)

    # -- fit: validate -> start the search -> run it -> results -> refit ------
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, groups=None):
        """Search strategies and configurations for ``(X, y)``, then refit.

        Parameters
        ----------
        X : array-like, DataFrame or sparse matrix of shape (n_samples, n_features)
            DataFrames may hold categorical (string or category) columns and
            missing values; their columns are matched by name at ``predict``
            (any order, names of any type). A column of strings whose every non-missing value
            parses as a number (``"1.5"``) holds numbers, at ``fit`` and at
            ``predict`` alike; see :func:`~skmeta.datasets.check_features`.
            Datetime columns (naive or time-zone aware) become numeric parts
            and timedelta columns seconds (:class:`~skmeta.dates.DateTimeEncoder`),
            the same at ``predict``.
        y : array-like of shape (n_samples,)
            A missing class label (None, NaN, or the ``'nan'`` numpy makes of
            ``np.nan`` in an array of strings) is refused, whatever holds it.
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative per-row weights. They reach every cross-validated
            fit, the weighted metric of every fold, the ensemble selection
            and the final refit. Strategies whose learner cannot take weights
            (k-nearest neighbours) are left out of the search (see
            ``skipped_strategies_``). Only their ratios count: they are
            scaled to a mean of 1, so equal weights are the same as none.
            Weights zero on every row of a class, or on all rows but one,
            are refused. With metadata routing, request them with
            ``set_fit_request(sample_weight=True)``.
        groups : array-like of shape (n_samples,), optional
            Group labels for a group-aware ``cv`` splitter (e.g.
            ``GroupKFold``); routed to it with metadata routing too.

        Returns
        -------
        self
        """
        clock = Clock(self.time_budget)
        dataset, groups = self._check_fit_data(X, y, sample_weight, groups)
        search = self._start_search(dataset, groups, clock)
        rows = self._run_search(search)
        self._gather_results(search, rows)
        self._refit_best(search)
        self._log(f"final model of {len(self.ensemble_)} members on "
                  f"{self.n_refit_samples_} rows", clock)
        if self.update_knowledge and search.race is not None:
            self._update_knowledge(search)
        return self

    def _check_fit_data(self, X, y, sample_weight, groups):
        """Validate the data and settings of ``fit``; returns (dataset, groups)."""
        table, y = self._prepare(X, y)
        sample_weight = check_sample_weight(sample_weight, len(y))
        check_search_settings(self._search_cv(), self.max_samples, len(y), groups,
                              y=y if is_classifier(self) else None)
        self._numeric_columns = numeric_columns(table)
        self._date_encoder = None
        if has_date_columns(table):
            self._date_encoder = DateTimeEncoder().fit(table)
            table = self._date_encoder.transform(table)
        if groups is not None:
            groups = column_or_1d(groups)
            if len(groups) != len(y):
                raise ValueError(
                    f"groups has {len(groups)} values but X has {len(y)} rows; "
                    "pass one group label per row."
                )
        return self._dataset(table, y, sample_weight), groups

    # -- the fitted search ---------------------------------------------------
    @property
    def estimator_(self):
        """Deprecated: ``best_estimator_`` (the same model)."""
        model = self.best_estimator_  # AttributeError before fit, as before
        warnings.warn(
            "estimator_ was renamed best_estimator_ (as in scikit-learn's "
            "searches) in skmeta 0.2 and will be removed in 0.3; use best_estimator_.",
            FutureWarning, stacklevel=2,
        )
        return model

    def __setstate__(self, state):
        # A model pickled before the rename holds its model as estimator_.
        if "estimator_" in state:
            state = dict(state)
            state["best_estimator_"] = state.pop("estimator_")
        super().__setstate__(state)

    def score(self, X, y, sample_weight=None):
        """The search's metric on ``(X, y)``: ``scorer_(self, X, y)``.

        As ``GridSearchCV.score``, this is the metric the search chose by:
        ``scoring``, balanced accuracy by default for a classifier and R²
        for a regressor.

        .. versionchanged:: 0.2
           Was accuracy for a classifier (``ClassifierMixin.score``) and R²
           for a regressor, whatever ``scoring`` was.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Weights of the metric.

        Returns
        -------
        float
            Greater is better (losses are negated, as in ``scoring``).
        """
        check_is_fitted(self, "best_estimator_")
        return self.scorer_(self, X, y, sample_weight=sample_weight)

    # -- predict -------------------------------------------------------------
    def _transform_input(self, X):
        check_is_fitted(self, "best_estimator_")
        check_column_names(X)
        X = in_fit_order(X, self._fit_column_names)
        table = as_table(X)
        validate_data(self, X, skip_check_array=True, reset=False)
        table = named_by_position(table, X, self._feature_columns,
                                  named=hasattr(self, "feature_names_in_"))
        numeric = self._numeric_columns
        # Numbers as text become numbers in the columns that were numeric at
        # fit, as check_features converted them there.
        table = check_features(table, numeric_columns=numeric)
        check_still_numeric(table, numeric)
        if self._date_encoder is not None:
            table = self._date_encoder.transform(table)
        return table

    def predict(self, X):
        """Predict with the refitted model (or ensemble)."""
        table = self._transform_input(X)
        return self.best_estimator_.predict(table)
