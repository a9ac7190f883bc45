"""The search of MetaClassifier and MetaRegressor: start it, run it, gather it.

:class:`MetaSearchMixin` holds the steps of ``fit`` between checking the data
and building the final model, as scikit-learn's ``BaseSearchCV`` divides a
search: :meth:`~MetaSearchMixin._start_search` sets the search up from the
meta-learner (the rows to evaluate on, the adjuster's prior and warm start,
the fold race), :meth:`~MetaSearchMixin._run_search` is the search loop, and
:meth:`~MetaSearchMixin._gather_results` records its results once
(``trace_``, ``cv_results_``). What these steps share is a :class:`_Search`.
The estimators' contract (parameters, ``fit``, ``predict``) is in
:mod:`skmeta._base_search`, the final model in :mod:`skmeta._final_model`.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import is_classifier
from sklearn.utils.validation import check_is_fitted

from skmeta._deprecation import renamed_parameter
from skmeta._final_model import refit_configuration
from skmeta._search_results import SearchScorer, cv_results, unscored_row
from skmeta._subsampling import subsample_indices, take_rows
from skmeta._threadpools import limited_threads, usable_n_jobs
from skmeta.adjust import AdjusterSettings, StrategyAdjuster, run_adjuster
from skmeta.adjust.warm_start import ZERO_SHOT_COST_WEIGHT
from skmeta.datasets import Dataset
from skmeta.evaluation import check_scoring_name, cv_description, make_cv
from skmeta.fold_race import Clock, FoldRace
from skmeta.knowledge import WEIGHTED_CV_SUFFIX, Evaluation
from skmeta.learner import MetaLearner, resolve_meta_learner, task_family
from skmeta.strategies import (
    default_portfolio,
    installed_optional_names,
    optional_strategy,
    resolve_portfolio,
)

__all__ = ["AUTO_FOLDS", "MetaSearchMixin"]

#: Folds of ``cv="auto"`` by task family. Chosen on the selection benchmark
#: (held-out datasets, ``benchmarks/bench_selection.py --skmeta-cv``): with
#: 3 folds instead of 5, regression lost nothing measurable in two runs
#: (normalized 0.990 vs 0.990, 0.976 vs 0.977) and classification lost 0.03
#: (0.953 vs 0.985, 0.925 vs 0.957), for about 40 % less time. The stored
#: experience cannot tell (the knowledge base scores every dataset on 3 folds).
AUTO_FOLDS = {"classification": 5, "regression": 3}

#: The strategy whose default fit bounds the zero-shot pick's predicted cost
#: (``n_evaluations=1``, unless ``cost_weight=0``): a single model should cost
#: about what a user's default would. Without the bound, regression's zero-shot
#: pick was CatBoost in 13 of 66 held-out pairs of the selection benchmark, at
#: up to 28 times a HistGradientBoosting fit.
ZERO_SHOT_REFERENCE = "hist_gradient_boosting"

#: A search without a ``time_budget`` on fewer rows than this pays the learned
#: ``cost_weight`` under ``"auto"`` (see ``_settings``). Half the knowledge
#: base's datasets, on which that weight is learned, have fewer.
LEARNED_PRICE_MAX_ROWS = 1_000

_SETTINGS = ("temperature", "learning_rate", "prior_weight", "step_size", "cost_weight")


@dataclass
class _Search:
    """What the steps of one ``fit`` share (see :class:`MetaSearchMixin`)."""

    dataset: Dataset  # every row
    data: Dataset  # the rows the search evaluates on (``max_samples``)
    seed: int
    scoring: str
    learner: MetaLearner
    portfolio: list
    metafeatures: dict
    clock: Clock
    evaluation_timeout: float | None  # seconds one evaluation may take
    proposals_per_step: int
    adjuster: StrategyAdjuster | None = None  # see _warm_start
    predict_seconds: object = None  # (strategy name, config) -> predicted seconds
    splitter: object = None  # None for a zero-shot fit, which has no race
    race: FoldRace | None = None
    fallback: tuple | None = None  # see FinalModelMixin._fit_fallback
    zero_shot_model: object = None
    final: Dataset | None = None  # the rows the zero-shot model was fitted on


class MetaSearchMixin:
    """The search steps of ``fit`` (see the module's docstring).

    Used by ``skmeta._base_search._BaseMetaEstimator``, whose ``fit`` calls
    them in order and whose parameters and ``_log`` they read.
    """

    def _search_cv(self):
        """``cv``, with "auto" resolved for this estimator's task."""
        if isinstance(self.cv, str) and self.cv == "auto":
            return AUTO_FOLDS["classification" if is_classifier(self) else "regression"]
        return self.cv

    def _settings(self, learner, family, n_search_rows):
        """The adjuster's settings: the estimator's, "auto" ones learned.

        The learned ``cost_weight`` is learned on time budgets over the
        knowledge base's datasets, half of which have fewer than 1,000 rows.
        It applies under a ``time_budget``, and without one to a search on
        fewer than :data:`LEARNED_PRICE_MAX_ROWS` rows. A larger search
        without a budget is judged by what its ``n_evaluations`` find, and the
        learned price kept it among cheap learners where only slow ones do
        well (on the held-out Connect-4 table, balanced accuracy 0.43 with
        the learned weight of 0.3): it pays the zero-shot pick's light price
        instead (:data:`~skmeta.adjust.warm_start.ZERO_SHOT_COST_WEIGHT`:
        0.64 on Connect-4, in less than half the time of no price at all).
        On the selection benchmark's 70 tables under 1,000 rows (two seeds),
        the learned price kept the light one's mean scores (balanced
        accuracy 0.871 against 0.870, R^2 0.633 against 0.631) in 0.56 and
        0.37 of its median time.
        """
        learned = learner.adjuster_settings(family)
        values = {
            name: getattr(learned, name) if getattr(self, name) == "auto" else getattr(self, name)
            for name in _SETTINGS
        }
        if (self.cost_weight == "auto" and self.time_budget is None
                and n_search_rows >= LEARNED_PRICE_MAX_ROWS):
            values["cost_weight"] = ZERO_SHOT_COST_WEIGHT
        return AdjusterSettings(**values)

    def _experienced(self, learner, task):
        """The search's portfolio, less the optional strategies that the
        portfolio ``"default"`` brings but the knowledge base has no
        evaluation of, or that fail to import (the reason in
        ``skipped_strategies_``).

        Without experience, neither their promise nor their cost could be
        predicted (CatBoost on many classes costs minutes); a portfolio that
        names them searches them all the same.
        """
        given = learner.portfolio if self.portfolio is None else self.portfolio
        self.skipped_strategies_ = {}
        if not isinstance(given, str):
            return resolve_portfolio(given, task)
        known = learner.strategies_evaluated(task)
        portfolio = default_portfolio(task)
        # Built one by one, so that a library is imported only when searched,
        # and one that fails to import (a broken install) is only left out.
        for name in installed_optional_names():
            if name not in known:
                self.skipped_strategies_[name] = (
                    "the knowledge base has no evaluation of it; name it in "
                    "portfolio to search it anyway")
                continue
            try:
                portfolio.append(optional_strategy(name, task))
            except ImportError as exc:
                self.skipped_strategies_[name] = str(exc)
        return portfolio

    def _weighable(self, portfolio, sample_weight):
        """The strategies of ``portfolio`` a weighted search can use.

        A strategy whose learner cannot take weights is left out, with the
        reason in ``skipped_strategies_``: fitted without them it would be
        judged by a metric its fit ignored.
        """
        if sample_weight is None:
            return portfolio
        kept = [s for s in portfolio if s.accepts_sample_weight]
        self.skipped_strategies_.update({
            s.name: f"{type(s.estimator).__name__}.fit takes no sample_weight"
            for s in portfolio if not s.accepts_sample_weight
        })
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

    def _start_search(self, dataset, groups, clock):
        """Everything the search starts from: the meta-learner, the rows to
        evaluate on, the adjuster's prior and warm start for this dataset,
        and the fold race (none for a zero-shot fit)."""
        task = dataset.task
        # stacklevel 5: the caller of fit (through _fit_context's wrapper).
        timeout = renamed_parameter(self, "timeout", "evaluation_timeout", stacklevel=5)
        per_step = renamed_parameter(self, "batch_size", "proposals_per_step",
                                     stacklevel=5)
        seed = self._seed()
        self.n_jobs_ = usable_n_jobs(self.n_jobs)
        scoring = check_scoring_name(self.scoring, task)
        self.scorer_ = SearchScorer(scoring)
        learner = self._fitted_meta_learner()
        portfolio = self._weighable(self._experienced(learner, task),
                                    dataset.sample_weight)
        family = task_family(task)
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
        settings = self._settings(learner, family, len(rows))
        search = _Search(dataset, data, seed, scoring, learner, portfolio, metafeatures,
                         clock, timeout, per_step)
        self._warm_start(search, settings)
        if self.n_evaluations == 1:
            self.promotion_margin_ = self.n_splits_ = None  # one fit, no race
            if task == "regression":
                self.target_guard_ = None  # no out-of-fold predictions to choose it
        else:
            margin = learner.racing_policy(family).margin(data.n_samples)
            self._start_race(search, None if groups is None else groups[rows], margin)
        return search

    def _fitted_meta_learner(self):
        """The fitted MetaLearner the search starts from: ``meta_learner``,
        or the one ``knowledge_base`` stands for."""
        if self.meta_learner is not None:
            if self.knowledge_base is not None:
                raise ValueError(
                    "meta_learner and knowledge_base were both given: pass a fitted "
                    "MetaLearner as meta_learner, or the experience to learn from "
                    "as knowledge_base, not both."
                )
            check_is_fitted(self.meta_learner, "performance_models_",
                            msg="the MetaLearner given as meta_learner is not "
                            "fitted; call its fit(datasets) first.")
            return self.meta_learner
        if isinstance(self.knowledge_base, MetaLearner):
            warnings.warn(
                "a MetaLearner given as knowledge_base is deprecated in 0.2 and will "
                "be refused in 0.3; pass it as meta_learner= instead.",
                FutureWarning, stacklevel=5,  # the caller of fit
            )
        # A path is read; a missing one is created only to store this fit.
        return resolve_meta_learner(self.knowledge_base, create=self.update_knowledge)

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
        reference = {s.name: s for s in search.portfolio}.get(ZERO_SHOT_REFERENCE)
        if zero_shot and self.cost_weight != 0 and reference is not None:
            # A zero-shot fit costs about what the reference's default does.
            # (a hair above it, so that the reference itself passes)
            seconds = predict_seconds(reference.name, reference.default_config()) * 1.001
            if np.isfinite(seconds):
                max_seconds = seconds if max_seconds is None else min(max_seconds, seconds)
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
        self._log("prior: "
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
            n_refit_rows=search.dataset.n_samples, timeout=search.evaluation_timeout,
            predict_seconds=search.predict_seconds, n_jobs=self.n_jobs_,
            sample_weight=data.sample_weight, promotion_margin=promotion_margin,
        )

    def _run_search(self, search):
        """The search loop: the adjuster's proposals evaluated until
        ``n_evaluations`` (or the time budget) is reached.

        Proposals are raced over the folds (:class:`~skmeta.fold_race.FoldRace`).
        With ``n_evaluations=1``, the zero-shot pick is fitted once on all
        the rows instead (:meth:`_fit_zero_shot`). Returns the ``trace_`` rows.
        """
        if search.race is None:
            return self._fit_zero_shot(search)
        if self.time_budget is not None:
            search.fallback = self._fit_fallback(search)
        rows = run_adjuster(
            search.adjuster, search.race, self.n_evaluations,
            batch_size=search.proposals_per_step, should_stop=search.race.should_stop,
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
        cheap fallbacks, which are fit in turn. A regressor's fitted pick is
        checked against wild training targets (``_guard_zero_shot``, see
        :class:`~skmeta.MetaRegressor`). Returns the ``trace_`` rows;
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
                model = self._guard_zero_shot(model, proposal.strategy, proposal.config,
                                              search, final, rows[-1]["fit_seconds"])
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
