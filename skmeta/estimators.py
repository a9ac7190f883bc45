"""MetaClassifier and MetaRegressor: meta-learned model selection as an estimator.

``fit(X, y)`` computes the dataset's meta-features, asks the meta-learner
(built from a knowledge base, by default the one shipped with skmeta) for a
prior over strategies and warm-start configurations, runs the
:mod:`warm-started gradient/softmax adjuster <skmeta.adjust>` for
``n_evaluations`` cross-validated evaluations, and refits the winner — or, with
``ensemble_size > 1``, a weighted ensemble of the evaluated configurations
chosen on their out-of-fold predictions — on all the data.

``fit`` has the shape of scikit-learn's ``BaseSearchCV.fit``; the results a
search shows (``cv_results_``, ``scorer_``) are built in
:mod:`skmeta._search_results`, and the final model in
:mod:`skmeta._final_model`.
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    _fit_context,
    is_classifier,
)
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from skmeta._final_model import FinalModelMixin, refit_configuration
from skmeta._search_results import SearchScorer, cv_results, unscored_row
from skmeta._subsampling import subsample_indices, take_rows
from skmeta._threadpools import limited_threads, usable_n_jobs
from skmeta._validation import (
    as_table,
    check_class_labels,
    check_column_names,
    check_features,
    check_sample_weight,
    check_search_settings,
    check_still_numeric,
    check_target_frame,
    check_target_magnitude,
    column_names,
    in_fit_order,
    named_by_position,
    numeric_columns,
    unbox_class_labels,
    warn_if_all_missing,
)
from skmeta._validation import parameters as shared
from skmeta.adjust import AdjusterSettings, StrategyAdjuster, run_adjuster
from skmeta.adjust.warm_start import ZERO_SHOT_COST_WEIGHT
from skmeta.datasets import Dataset
from skmeta.dates import DateTimeEncoder, has_date_columns
from skmeta.ensemble import FusedClassifier, FusedRegressor
from skmeta.evaluation import (
    check_scoring_name,
    cv_description,
    make_cv,
)
from skmeta.guard import GuardedRegressor, choose_guard, target_summary
from skmeta.knowledge import WEIGHTED_CV_SUFFIX, Evaluation, KnowledgeBase
from skmeta.learner import MetaLearner, resolve_meta_learner, task_family
from skmeta.search import Clock, FoldRace
from skmeta.strategies import resolve_portfolio

__all__ = ["MetaClassifier", "MetaRegressor"]

#: Folds of ``cv="auto"`` by task family. Chosen on the selection benchmark
#: (held-out datasets, ``benchmarks/bench_selection.py --skmeta-cv``): with
#: 3 folds instead of 5, regression lost nothing measurable in two runs
#: (normalized 0.990 vs 0.990, 0.976 vs 0.977) and classification lost 0.03
#: (0.953 vs 0.985, 0.925 vs 0.957), for about 40 % less time. The stored
#: experience cannot tell (the knowledge base scores every dataset on 3 folds).
AUTO_FOLDS = {"classification": 5, "regression": 3}

#: scikit-learn estimator checks that fail by design (see the Notes of
#: :class:`MetaClassifier`).
EXPECTED_FAILED_CHECKS = {
    **{check: ("a weight of 2 is not the same as a repeated row: the repeated "
               "row changes the cross-validation folds, and so the search")
       for check in ("check_sample_weight_equivalence_on_dense_data",
                     "check_sample_weight_equivalence_on_sparse_data")},
    "check_dataframe_column_names_consistency": (
        "columns are matched by name at predict, so the same columns in "
        "another order are put back in order instead of refused"),
}

_SETTINGS = ("temperature", "learning_rate", "prior_weight", "step_size", "cost_weight")


@dataclass
class _Search:
    """What the steps of one ``fit`` share (see :meth:`_BaseMetaEstimator.fit`)."""

    dataset: Dataset  # every row
    data: Dataset  # the rows the search evaluates on (``max_samples``)
    seed: int
    scoring: str
    learner: MetaLearner
    portfolio: list
    metafeatures: dict
    clock: Clock
    adjuster: StrategyAdjuster | None = None  # see _warm_start
    predict_seconds: object = None  # (strategy name, config) -> predicted seconds
    splitter: object = None  # None for a zero-shot fit, which has no race
    race: FoldRace | None = None
    fallback: tuple | None = None  # see FinalModelMixin._fit_fallback
    zero_shot_model: object = None
    final: Dataset | None = None  # the rows the zero-shot model was fitted on


class _BaseMetaEstimator(FinalModelMixin, BaseEstimator):
    """The shared fit of MetaClassifier and MetaRegressor.

    ``fit`` has the shape of scikit-learn's ``BaseSearchCV.fit``: check the
    data (:meth:`_check_fit_data`), set the search up from the
    meta-learner (:meth:`_start_search`), run it (:meth:`_run_search`),
    gather its results once (:meth:`_gather_results`: ``trace_``,
    ``cv_results_``), then build the final model (:meth:`_refit_best`).
    """

    _parameter_constraints = {
        "knowledge_base": [None, str, os.PathLike, KnowledgeBase, MetaLearner],
        "portfolio": [None, StrOptions({"default"}), list],
        "n_evaluations": [Interval(Integral, 1, None, closed="left")],
        "time_budget": [None, Interval(Real, 0, None, closed="neither")],
        "timeout": shared.TIMEOUT,
        "temperature": [StrOptions({"auto"}), Interval(Real, 0, None, closed="neither")],
        "learning_rate": [StrOptions({"auto"}), Interval(Real, 0, None, closed="neither")],
        "prior_weight": [StrOptions({"auto"}), Interval(Real, 0, None, closed="left")],
        "step_size": [StrOptions({"auto"}), Interval(Real, 0, 1, closed="right")],
        "cost_weight": [StrOptions({"auto"}), Interval(Real, 0, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "cv": [StrOptions({"auto"}), *shared.CV],
        "scoring": shared.SCORING,
        "ensemble_size": [Interval(Integral, 1, None, closed="left")],
        "max_samples": shared.MAX_SAMPLES,
        "update_knowledge": ["boolean"],
        "n_jobs": shared.N_JOBS,
        "random_state": shared.RANDOM_STATE,
        "verbose": shared.VERBOSE,
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
        cost_weight="auto",
        batch_size=2,
        cv="auto",
        scoring=None,
        ensemble_size=10,
        max_samples=20_000,
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
        self.cost_weight = cost_weight
        self.batch_size = batch_size
        self.cv = cv
        self.scoring = scoring
        self.ensemble_size = ensemble_size
        self.max_samples = max_samples
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
    def _log(self, message, clock=None):
        if self.verbose:
            at = "" if clock is None else f" {clock.elapsed():.2f} s"
            print(f"[{type(self).__name__}{at}] {message}", file=sys.stderr, flush=True)

    def _search_cv(self):
        """``cv``, with "auto" resolved for this estimator's task."""
        if isinstance(self.cv, str) and self.cv == "auto":
            return AUTO_FOLDS["classification" if is_classifier(self) else "regression"]
        return self.cv

    def _settings(self, learner, family):
        learned = learner.adjuster_settings(family)
        values = {
            name: getattr(learned, name) if getattr(self, name) == "auto" else getattr(self, name)
            for name in _SETTINGS
        }
        return AdjusterSettings(**values)

    def _weighable(self, portfolio, sample_weight):
        """The strategies of ``portfolio`` a weighted search can use.

        A strategy whose learner cannot take weights is left out, with the
        reason in ``skipped_strategies_``: fitted without them it would be
        judged by a metric its fit ignored.
        """
        self.skipped_strategies_ = {}
        if sample_weight is None:
            return portfolio
        kept = [s for s in portfolio if s.accepts_sample_weight]
        self.skipped_strategies_ = {
            s.name: f"{type(s.estimator).__name__}.fit takes no sample_weight"
            for s in portfolio if not s.accepts_sample_weight
        }
        if not kept:
            raise ValueError(
                "sample_weight was given, but no strategy of the portfolio can "
                f"fit with weights ({', '.join(self.skipped_strategies_)}); add "
                "one whose learner's fit takes sample_weight, or drop the weights."
            )
        if self.skipped_strategies_:
            self._log("left out (no sample_weight): " + ", ".join(self.skipped_strategies_))
        return kept

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

    def _start_search(self, dataset, groups, clock):
        """Everything the search starts from: the meta-learner, the rows to
        evaluate on, the adjuster's prior and warm start for this dataset,
        and the fold race (none for a zero-shot fit)."""
        task = dataset.task
        seed = self._seed()
        self.n_jobs_ = usable_n_jobs(self.n_jobs)
        scoring = check_scoring_name(self.scoring, task)
        self.scorer_ = SearchScorer(scoring)
        # A path is read; a missing one is created only to store this fit.
        learner = resolve_meta_learner(self.knowledge_base,
                                       create=self.update_knowledge)
        portfolio = self._weighable(resolve_portfolio(
            learner.portfolio if self.portfolio is None else self.portfolio, task
        ), dataset.sample_weight)
        family = task_family(task)
        settings = self._settings(learner, family)
        if family not in learner.performance_models_:
            warnings.warn(
                f"the knowledge base has no {family} experience, so the search "
                "starts from a uniform prior (a cold start); meta-train on "
                f"{family} datasets for a warm start.",
                UserWarning, stacklevel=4,
            )
        with limited_threads(self.n_jobs_):  # its landmarkers fit models
            metafeatures = learner.metafeatures_of(dataset)
        rows = self._search_rows(dataset, seed)
        data = take_rows(dataset, rows) if len(rows) < dataset.n_samples else dataset
        search = _Search(dataset, data, seed, scoring, learner, portfolio, metafeatures,
                         clock)
        self._warm_start(search, settings)
        if self.n_evaluations == 1:
            self.promotion_margin_ = self.n_splits_ = None  # one fit, no race
            if task == "regression":
                self.target_guard_ = None  # no out-of-fold predictions to choose it
        else:
            margin = learner.racing_policy(family).margin(data.n_samples)
            self._start_race(search, None if groups is None else groups[rows], margin)
        return search

    def _search_rows(self, dataset, seed):
        """The rows the search evaluates on: a subsample of ``max_samples``."""
        cv = self._search_cv()
        # Explicit (train, test) index pairs refer to every row: no subsample.
        explicit_splits = not (isinstance(cv, Integral) or hasattr(cv, "split"))
        max_samples = None if explicit_splits else self.max_samples
        rows = subsample_indices(dataset, max_samples, seed)
        self.n_search_samples_ = len(rows)
        if len(rows) < dataset.n_samples:
            self._log(f"searching on a subsample of {len(rows)} of "
                      f"{dataset.n_samples} rows (max_samples)")
        return rows

    def _warm_start(self, search, settings):
        """The adjuster, started from the meta-learner's prior and warm-start
        configurations for this dataset, and the cost model's seconds."""
        task, learner, dataset = search.dataset.task, search.learner, search.dataset
        zero_shot = self.n_evaluations == 1
        # Seconds of a 3-fold evaluation on the search's rows (all rows for
        # a zero-shot fit), as the cost model predicts them.
        at_size = search.metafeatures.copy()
        at_size["n_rows"] = dataset.n_samples if zero_shot else search.data.n_samples

        def predict_seconds(name, config):
            return float(learner.predicted_seconds(task, at_size, [name], [config])[0])

        max_seconds = None
        if self.time_budget is not None:
            # A fit costs about half a 3-fold evaluation; a first pick that
            # would use more than half of what is left is not the first pick.
            max_seconds = search.clock.left() * (1.0 if zero_shot else 0.5)
        start_point = learner.warm_start(
            task, at_size, search.portfolio, settings.cost_weight,
            0.0 if self.cost_weight == 0 else ZERO_SHOT_COST_WEIGHT, max_seconds,
        )
        search.adjuster = StrategyAdjuster(search.portfolio, start_point.prior,
                                           start_point.configurations, settings,
                                           search.seed, first=start_point.first,
                                           fallbacks=start_point.fallbacks)
        search.predict_seconds = predict_seconds
        self.adjuster_settings_ = settings
        self._log(f"{task} task, {dataset.n_samples} rows, meta-features and "
                  "warm start done", search.clock)
        self._log(f"prior: "
                  + ", ".join(f"{s.name}={p:.2f}" for s, p in
                              zip(search.portfolio, np.nan_to_num(start_point.prior))))

    def _start_race(self, search, groups, promotion_margin):
        """The folds of the search's rows and the race that evaluates
        proposals on them (``groups`` of those rows, for the splitter)."""
        data, task = search.data, search.dataset.task
        search.splitter = make_cv(self._search_cv(), task, data.y, search.seed)
        splits = list(search.splitter.split(data.X, data.y, groups))
        self.n_splits_ = len(splits)
        self.promotion_margin_ = promotion_margin
        search.race = FoldRace(
            data.X, data.y, task, splits, search.scoring,
            keep_oof=self.ensemble_size > 1 or task == "regression", clock=search.clock,
            n_refit_rows=search.dataset.n_samples, timeout=self.timeout,
            predict_seconds=search.predict_seconds, n_jobs=self.n_jobs_,
            sample_weight=data.sample_weight, promotion_margin=promotion_margin,
        )

    def _run_search(self, search):
        """The search loop: the adjuster's proposals evaluated until
        ``n_evaluations`` (or the time budget) is reached.

        Proposals are raced over the folds (:class:`~skmeta.search.FoldRace`).
        With ``n_evaluations=1``, the zero-shot pick is fitted once on all
        the rows instead (:meth:`_fit_zero_shot`). Returns the ``trace_`` rows.
        """
        if search.race is None:
            return self._fit_zero_shot(search)
        if self.time_budget is not None:
            search.fallback = self._fit_fallback(search)
        rows = run_adjuster(
            search.adjuster, search.race, self.n_evaluations,
            batch_size=self.batch_size, should_stop=search.race.should_stop,
            on_result=lambda row: self._log(
                f"[{row['evaluation'] + 1}/{self.n_evaluations}] {row['strategy']}: "
                f"{row['status']} {row['score']} ({row['n_folds']} folds)", search.clock
            ),
        )
        if search.race.best() is None and search.fallback is not None:
            # Nothing completed in the time: the model of last resort is the
            # search's last row, and its result.
            strategy, config, _, _, seconds = search.fallback
            rows.append(unscored_row(len(rows), strategy.name, config, seconds))
        return rows

    def _gather_results(self, search, rows):
        """The search's results: ``trace_`` and what derives from it."""
        self.trace_ = pd.DataFrame(rows)
        self.cv_results_ = cv_results(self.trace_, self.n_splits_ or 0)
        self.strategy_probabilities_ = pd.Series(
            search.adjuster.policy.probabilities(),
            index=[s.name for s in search.adjuster.strategies], name="probability",
        )

    def _fit_zero_shot(self, search):
        """``n_evaluations=1``: fit the zero-shot pick once on all the rows.

        Nothing is compared, so nothing is cross-validated: ``best_score_``
        is NaN. If the pick fails, the adjuster proposes the warm start's
        cheap fallbacks, which are fit in turn. Returns the ``trace_`` rows;
        the fitted model and its rows are kept on ``search``.
        """
        adjuster, dataset = search.adjuster, search.dataset
        start = time.monotonic()
        names = [s.name for s in adjuster.strategies]
        rows = []
        for _ in range(1 + len(adjuster.fallbacks)):
            [proposal] = adjuster.ask(1)
            final = dataset
            if self.time_budget is not None:
                # A fit on all rows is about half a 3-fold evaluation.
                seconds = 0.5 * search.predict_seconds(proposal.strategy.name,
                                                       proposal.config)
                kept = self._rows_that_fit(dataset, seconds, search.clock.left(),
                                           search.seed)
                if len(kept) < dataset.n_samples:
                    final = take_rows(dataset, kept)
            began = time.perf_counter()
            model, error = refit_configuration(proposal.strategy, proposal.config,
                                               final.X, final.y, final.sample_weight,
                                               self.n_jobs_)
            rows.append(unscored_row(
                len(rows), proposal.strategy.name, proposal.config,
                time.perf_counter() - began, error, step=proposal.step,
                probabilities=dict(zip(names, proposal.probabilities.round(6))),
                seconds=time.monotonic() - start,
            ))
            if model is not None:
                break
            adjuster.tell(proposal, None)
        search.zero_shot_model, search.final = model, final
        return rows

    def _update_knowledge(self, search):
        """Store the search's cross-validated evaluations (``update_knowledge``)."""
        dataset = search.dataset
        kb = search.learner.knowledge_base_
        if kb.read_only:
            warnings.warn(
                "update_knowledge=True: the shipped knowledge base is read-only, "
                "so nothing was stored; pass knowledge_base='my_kb.sqlite' (a "
                "copy: KnowledgeBase.default().copy('my_kb.sqlite')) to keep "
                "the experience.",
                UserWarning,
                stacklevel=4,
            )
            return
        cv = cv_description(search.splitter)
        if search.data is not dataset:  # as MetaLearner keys subsampled runs
            cv += f" on {search.data.n_samples} rows"
        if dataset.sample_weight is not None:
            cv += WEIGHTED_CV_SUFFIX
        kb.add_dataset(dataset.fingerprint, dataset.name, dataset.task,
                       search.metafeatures, dataset.n_samples, dataset.n_features)
        # Evaluations on every fold, and crashes; a proposal left at its
        # first fold (or never started) is not a cross-validated result.
        for row in self.trace_.itertuples(index=False):
            if not (row.promoted or row.status == "error"):
                continue
            kb.add_evaluation(Evaluation(
                dataset_id=dataset.fingerprint, strategy=row.strategy,
                config=row.config, metric=search.scoring, cv=cv, seed=search.seed,
                status=row.status, score=row.score, fold_scores=list(row.fold_scores),
                fit_seconds=row.fit_seconds, predict_seconds=row.predict_seconds,
                error=row.error,
            ))

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
        X = in_fit_order(X, getattr(self, "_fit_column_names", None))
        table = as_table(X)
        validate_data(self, X, skip_check_array=True, reset=False)
        table = named_by_position(table, X, getattr(self, "_feature_columns", None),
                                  named=hasattr(self, "feature_names_in_"))
        numeric = getattr(self, "_numeric_columns", ())
        # Numbers as text become numbers in the columns that were numeric at
        # fit, as check_features converted them there.
        table = check_features(table, numeric_columns=numeric)
        check_still_numeric(table, numeric)
        if getattr(self, "_date_encoder", None) is not None:
            table = self._date_encoder.transform(table)
        return table

    def predict(self, X):
        """Predict with the refitted model (or ensemble)."""
        table = self._transform_input(X)
        return self.best_estimator_.predict(table)


def _fitted_model_has_scores(estimator):
    """For ``available_if``: promised before fit; after, a model with a
    decision function or probabilities (every default strategy) has one."""
    if "best_estimator_" not in vars(estimator):
        return True
    return (hasattr(estimator.best_estimator_, "decision_function")
            or hasattr(estimator.best_estimator_, "predict_proba"))


def _fitted_model_has_proba(estimator):
    """For ``available_if``: promised before fit; after, only if the final
    model has probabilities (every default strategy has)."""
    if "best_estimator_" not in vars(estimator):
        return True
    return hasattr(estimator.best_estimator_, "predict_proba")


def _log_odds(proba):
    """Decision scores from class probabilities, in the same order."""
    logs = np.log(np.clip(proba, 1e-15, 1.0))
    if logs.shape[1] == 2:
        return logs[:, 1] - logs[:, 0]
    return logs


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
        Proposals the search evaluates. Each is scored on one fold first and
        promoted to the others only if it is close to the best so far (see
        :mod:`skmeta.search`), so most cost a fraction of a cross-validation.
        With 1 nothing is compared, so nothing is cross-validated: the
        zero-shot pick (the knowledge base's best, priced by its predicted
        cost) is fit once on all the rows and ``best_score_`` is NaN.
    time_budget : float, optional
        Seconds for the whole ``fit``: meta-features, search and final
        model. The search keeps back the refit's predicted time, never
        starts a fold predicted not to finish, and runs a fold that might
        not finish in a worker process killed at the deadline; the refit
        keeps the ensemble members that fit in the time left (on fewer rows,
        with a warning, if not even the best does). While no evaluation has
        succeeded, the cheapest candidates predicted at least as good as the
        median are tried next. Whatever the cost model predicts, a model of
        last resort (logistic regression, naive Bayes or ridge with default
        settings, on at most 2,000 rows) is fitted before the search; if no
        evaluation completes in the time, it is the final model, with a
        warning. The clock only stops work, so a longer budget runs the same
        proposals and more of them.
    timeout : float, optional
        Seconds one evaluation may take; each of its ``cv`` folds gets an
        equal share.
    temperature, learning_rate, prior_weight, step_size : float or "auto"
        The adjuster's settings (:class:`~skmeta.adjust.AdjusterSettings`);
        "auto" takes the values meta-learned with the knowledge base.
    cost_weight : float or "auto", default="auto"
        Price of predicted evaluation time in the starting preferences: a
        candidate twice as slow as the median must be predicted this much
        better (in normalized score) to rank the same. 0 ranks on predicted
        score alone; "auto" takes the meta-learned value. The first
        evaluation is the best predicted candidate whatever its cost.
    batch_size : int, default=2
        Proposals per adjuster step. Their (proposal, fold) pairs are
        evaluated in parallel with ``n_jobs``; the result does not depend on
        ``n_jobs``.
    cv : "auto", int or splitter, default="auto"
        Folds of a promoted proposal (stratified for classification). A
        splitter or a list of (train, test) index pairs is used as given.
        "auto" is :data:`AUTO_FOLDS`: 5 folds for classification, 3 for
        regression (on the held-out datasets of the selection benchmark,
        3 folds cost regression no test score and classification 0.03
        normalized, for about 40 % less time).
    scoring : str, optional
        A metric of :data:`skmeta.evaluation.SCORINGS`; balanced accuracy
        when None.
    ensemble_size : int, default=10
        Picks of greedy ensemble selection on out-of-fold predictions; 1
        refits the single best configuration. A member whose refit on all
        the rows fails is left out (see ``refit_errors_``); if all do, the
        next best evaluations are tried in order.
    max_samples : int >= 10 or None, default=20_000
        The search evaluates on a stratified subsample of at most this many
        rows; the final model is refit on all of them. None: every row (as
        when ``cv`` is a list of explicit train/test index pairs). At least
        10, as for :class:`~skmeta.MetaLearner` and ``skmeta metatrain``.
    update_knowledge : bool, default=False
        Add this fit's evaluations on every fold (and its crashes) to the
        knowledge base; proposals left at their first fold are not stored.
        The meta-models learn from them on the next fit; the adjuster
        settings are learned again only once the knowledge base has grown by
        a fifth (or on ``MetaLearner.relearn_settings()``).
    n_jobs : int, optional
        Workers of the search and the final refit (None: 1, -1: every
        core), at most the usable cores (more are capped, with a warning).
        Every fit uses at most this many native (BLAS, OpenMP) threads in
        all.
    random_state : int, RandomState or None
    verbose : int, default=0

    Attributes
    ----------
    cv_results_ : dict of ndarray
        The search as scikit-learn's searches show it, one entry per row of
        ``trace_`` (``pd.DataFrame(cv_results_)`` is a table): ``params``,
        ``param_<name>`` (masked where a configuration lacks that
        hyperparameter), ``split<k>_test_score`` (NaN for a fold not run),
        ``mean_test_score`` and ``std_test_score`` (NaN unless scored on
        every fold), ``rank_test_score``, ``mean_fit_time``,
        ``mean_score_time`` (per fold), and skmeta's ``strategy``,
        ``n_folds`` and ``status``.
    best_index_ : int
        The row of ``cv_results_`` and of ``trace_`` of the best
        evaluation: the complete one of highest score, unless it could not
        be refit on all the rows (then the best member of the final model).
        With ``n_evaluations=1``, the zero-shot fit; when no evaluation
        finished within ``time_budget``, the model of last resort (the last
        row).
    best_strategy_ : str
        The best evaluation's strategy.
    best_config_ : dict
        The best evaluation's configuration: the hyperparameters its
        strategy builds its learner from
        (:meth:`Strategy.build <skmeta.strategies.Strategy.build>`).
    best_params_ : dict
        The best evaluation's parameters, as ``cv_results_["params"]``
        holds them: ``{"strategy": best_strategy_, **best_config_}``.

        .. versionchanged:: 0.2
           Was the configuration alone, now ``best_config_``.
    best_score_ : float
        Mean cross-validated score of the best evaluation (NaN with
        ``n_evaluations=1``: see there).
    best_estimator_ : estimator
        The refitted model or ensemble that predicts.
    scorer_ : callable
        ``scorer_(estimator, X, y)``: the search's metric (``scoring``), as
        :meth:`score` uses it.
    refit_time_ : float
        Seconds to build the final model: choose the ensemble, refit it on
        all the rows and guard it (the zero-shot fit, or the model of last
        resort, when that is the final model).
    trace_ : DataFrame
        One row per evaluation: step, strategy, config, probabilities (pi
        before the step), score, fold_scores, n_folds (folds evaluated),
        promoted (scored on every fold; otherwise ``score`` is estimated
        from the first fold), status, error, fit_seconds, predict_seconds,
        seconds (since the search started).
    strategy_probabilities_ : Series
        The policy after the search.
    adjuster_settings_ : AdjusterSettings
        The settings the search used ("auto" ones resolved).
    ensemble_ : DataFrame
        The fused members (evaluation, strategy, config, weight).
    estimator_ : estimator
        Deprecated since 0.2 (removed in 0.3): ``best_estimator_``, with a
        ``FutureWarning``.
    refit_errors_ : dict
        Evaluation number -> error, for configurations whose final refit
        failed (empty when none did).
    n_search_samples_ : int
        Rows the search evaluated on (see ``max_samples``).
    n_splits_ : int or None
        Folds of the search's cross-validation (``cv`` resolved); None with
        ``n_evaluations=1``.
    promotion_margin_ : float or None
        How far below the best candidate a proposal's first fold could fall
        and still be completed, in that candidate's fold-to-fold standard
        deviations: the meta-learned racing policy's margin for
        ``n_search_samples_`` rows (:meth:`MetaLearner.racing_policy
        <skmeta.MetaLearner.racing_policy>`). None with ``n_evaluations=1``.
    skipped_strategies_ : dict
        Strategy name -> why it was left out of the search (with
        ``sample_weight``, those whose learner cannot take weights; empty
        otherwise).
    n_refit_samples_ : int
        Rows the final model was fit on.
    n_jobs_ : int
        Workers the fit used: ``n_jobs`` capped at the usable cores.
    classes_ : ndarray
    n_features_in_ : int
    feature_names_in_ : ndarray
        Only when ``X`` had string column names.

    Notes
    -----
    ``sample_weight`` weights rows as scikit-learn's learners do, but a row
    of weight 2 is not the same as that row twice: a repeated row changes
    the cross-validation folds, and so what the search sees and picks. Two
    estimator checks test that equivalence and are expected to fail:
    ``check_sample_weight_equivalence_on_dense_data`` and
    ``check_sample_weight_equivalence_on_sparse_data`` (as for scikit-learn's
    own searches over folds).

    A DataFrame's columns are matched by name at ``predict`` whenever ``fit``
    saw a DataFrame, whatever the names' type (integers, tuples): the same
    columns in another order are put back in the order of ``fit``, and
    missing or unknown ones are refused. scikit-learn refuses string names in
    another order, so ``check_dataframe_column_names_consistency`` is
    expected to fail.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skmeta import MetaClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MetaClassifier(n_evaluations=3, cv=3, random_state=0).fit(X, y)
    >>> len(clf.trace_)
    3
    >>> clf.score(X, y) > 0.9  # balanced accuracy, the search's scoring
    True
    >>> clf.best_params_["strategy"] == clf.best_strategy_
    True
    >>> float(clf.cv_results_["mean_test_score"][clf.best_index_]) == clf.best_score_
    True
    """

    def _prepare(self, X, y):
        # Before numpy makes a list of strings with np.nan a string array,
        # where the missing label would be the class 'nan'.
        check_class_labels(y)
        return super()._prepare(X, y)

    def _dataset(self, table, y, sample_weight=None):
        y = unbox_class_labels(y)
        if y.dtype == object and pd.isna(y).any():
            raise ValueError(
                f"y contains {int(pd.isna(y).sum())} missing labels (None or NaN); "
                "drop those rows or give them a class."
            )
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        task = "binary" if len(self.classes_) == 2 else "multiclass"
        return Dataset(table, y, name="fit", task=task, sample_weight=sample_weight)

    def _fuse(self, fitted, weights):
        return FusedClassifier(fitted, weights, self.classes_)

    # The search's metric, not ClassifierMixin's accuracy (as BaseSearchCV.score).
    score = _BaseMetaEstimator.score

    @available_if(_fitted_model_has_proba)
    def predict_proba(self, X):
        """Class probabilities (columns ordered as ``classes_``)."""
        table = self._transform_input(X)
        model = self.best_estimator_
        proba = np.asarray(model.predict_proba(table), dtype=float)
        positions = np.searchsorted(self.classes_, model.classes_)
        out = np.zeros((proba.shape[0], len(self.classes_)))
        out[:, positions] = proba
        return out

    @available_if(_fitted_model_has_scores)
    def decision_function(self, X):
        """Confidence scores that rank samples as :meth:`predict_proba` does.

        A single model with a decision function of its own (logistic
        regression, gradient boosting) gives that one. Otherwise — an
        ensemble, or a model with probabilities only — the scores are the
        log-odds of :meth:`predict_proba`: ``log p(classes_[1]) - log
        p(classes_[0])`` for two classes (positive: ``classes_[1]``), and
        ``log p`` per class, shape (n_samples, n_classes), for more.
        Probabilities are clipped to [1e-15, 1] first, so the scores are
        finite.
        """
        check_is_fitted(self, "best_estimator_")
        if hasattr(self.best_estimator_, "decision_function"):
            table = self._transform_input(X)
            return self.best_estimator_.decision_function(table)
        return _log_odds(self.predict_proba(X))


class MetaRegressor(RegressorMixin, _BaseMetaEstimator):
    """A regressor that picks and tunes its own learning strategy.

    Parameters are those of :class:`MetaClassifier`; ``scoring`` defaults to
    R². Attributes are the same except ``classes_``, and:

    Attributes
    ----------
    target_guard_ : dict
        How the final predictions are guarded against the wild ones of a
        heavy-tailed target or an extrapolating learner (None with
        ``n_evaluations=1``, which has no out-of-fold predictions): they move
        ``shrink`` of the way from the training mean to the model's, and are
        clipped to the training target range widened by ``margin`` of its
        width (see :mod:`skmeta.guard`); chosen on the out-of-fold
        predictions of the fused members, whose score goes from
        ``unguarded_score`` to ``score``. ``shrink=1, margin=inf`` leaves
        the model as it is; ``shrink=0`` is the constant predictor, for a
        dataset where every configuration scores below it.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from skmeta import MetaRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> reg = MetaRegressor(n_evaluations=2, cv=3, random_state=0).fit(X, y)
    >>> reg.best_score_ > 0.3
    True
    """

    def _dataset(self, table, y, sample_weight=None):
        try:
            y = np.asarray(y, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(
                "MetaRegressor needs a numeric target y, but y holds values that "
                f"are not numbers (e.g. {np.asarray(y, dtype=object)[0]!r}); use "
                "MetaClassifier for class labels."
            ) from None
        check_target_magnitude(y)
        return Dataset(table, y, name="fit", task="regression",
                       sample_weight=sample_weight)

    def _fuse(self, fitted, weights):
        return FusedRegressor(fitted, weights)

    # The search's metric, not RegressorMixin's R² (as BaseSearchCV.score).
    score = _BaseMetaEstimator.score

    def _guard(self, model, members, race, search, final, scoring):
        """Shrink and clip the predictions where that scores better out of fold.

        The members' out-of-fold predictions, fused with their weights, choose
        the guard (:func:`~skmeta.guard.choose_guard`); the final model gets
        the mean and range of the target it was refit on.
        """
        self.target_guard_ = None
        if not all(race.records[i].complete for i, _ in members):
            return model  # a member judged on one fold has no out-of-fold predictions
        oof = [race.records[i].result.oof_predictions for i, _ in members]
        weights = np.array([w for _, w in members], dtype=float)
        fused = sum(w * p for w, p in zip(weights, oof, strict=True)) / weights.sum()
        guard = choose_guard(fused, search.y, race.splits, scoring, search.sample_weight)
        self.target_guard_ = guard
        if guard["shrink"] == 1.0 and not np.isfinite(guard["margin"]):
            return model
        self._log(f"predictions guarded: shrink {guard['shrink']:g}, margin "
                  f"{guard['margin']:g} (out-of-fold {scoring} "
                  f"{guard['unguarded_score']:.4f} -> {guard['score']:.4f})")
        return GuardedRegressor(model, *target_summary(final.y, final.sample_weight),
                                guard["shrink"], guard["margin"])
