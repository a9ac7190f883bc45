"""How a MetaClassifier / MetaRegressor search gets its final model.

After the search, the final model is the best evaluations (fused by
ensemble selection on their out-of-fold predictions) refit on all the rows,
planned to fit in the time the budget leaves; or, with
``n_evaluations=1``, the zero-shot fit itself; or, when no evaluation
finished within the time budget, the model of last resort fitted before the
search. :class:`FinalModelMixin` holds these steps for
:class:`~skmeta.estimators.MetaClassifier` and
:class:`~skmeta.estimators.MetaRegressor`; whichever way is taken, the
result is recorded by :meth:`FinalModelMixin._set_final_model`.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import is_classifier
from sklearn.exceptions import ConvergenceWarning

from skmeta._search_results import search_params
from skmeta._subsampling import subsample_indices, take_rows
from skmeta._threadpools import limited_threads
from skmeta.ensemble import ensemble_selection, members_that_pay
from skmeta.evaluation import _check_predictions, standard_error
from skmeta.strategies import fit_model

__all__ = ["FinalModelMixin", "refit_configuration"]

#: Share of the time budget past it that the final refit may use (the
#: promise is ``time_budget * 1.05 + 0.3`` seconds).
REFIT_TOLERANCE = 0.03

#: The fewest rows a final model is refit on when the time budget is short.
MIN_REFIT_ROWS = 100

#: Strategies that fit in milliseconds on any data skmeta takes, tried in
#: this order as the model of last resort of a fit with a time budget.
FALLBACK_STRATEGIES = ("logistic_regression", "gaussian_nb", "ridge", "huber")

#: The most rows the model of last resort is fitted on (its fit must stay
#: negligible whatever the size of the data).
FALLBACK_ROWS = 2000


def refit_configuration(strategy, config, X, y, sample_weight=None, n_threads=1):
    """Fit a configuration on all the rows with at most ``n_threads`` native
    threads; returns (model, error message)."""
    # The search already judged this configuration on its scores; warnings
    # such as an MLP's ConvergenceWarning would only repeat what it saw.
    try:
        with warnings.catch_warnings(), limited_threads(n_threads):
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = strategy.build(config, n_rows=len(y))
            return fit_model(model, X, y, sample_weight), ""
    except Exception as exc:  # a member that fails is dropped, see _fit_final_model
        return None, f"{type(exc).__name__}: {exc}"[:500]


def _prediction_error(model, dataset, n_rows=10):
    """Why ``model`` cannot predict the first rows of ``dataset`` ("" if it can)."""
    # The rows alone, not a Dataset: the first rows may hold a single class.
    n_rows = min(n_rows, dataset.n_samples)
    X = dataset.X.iloc[:n_rows] if hasattr(dataset.X, "iloc") else dataset.X[:n_rows]
    try:
        _check_predictions(np.asarray(model.predict(X)), n_rows, dataset.task)
    except Exception as exc:  # a model of last resort that cannot predict is none
        return f"{type(exc).__name__}: {exc}"[:500]
    return ""


def _predicted_seconds(race, proposal):
    """The cost model's seconds for evaluating ``proposal`` (NaN if unknown)."""
    if race.predict_seconds is None:
        return np.nan
    return float(race.predict_seconds(proposal.strategy.name, proposal.config))


class FinalModelMixin:
    """The final model of a search estimator (see the module's docstring).

    :meth:`_refit_best` is the step of ``fit`` that builds it. Used by ``skmeta._base_search._BaseMetaEstimator``, whose ``fit`` sets
    what these methods read: ``trace_``, ``n_jobs_``, the parameters
    ``time_budget`` and ``ensemble_size``, and ``_log`` and ``_fuse``.
    """

    def _refit_best(self, search):
        """The final model: the zero-shot fit, the model of last resort, or
        the best evaluations refit (fused) on all the rows."""
        if search.race is None:
            self._keep_zero_shot(search)
        elif search.race.best() is None and search.fallback is not None:
            self._keep_fallback(*search.fallback)
        else:
            self._check_some_succeeded(search.race)
            self._log("search done; refitting", search.clock)
            began = time.perf_counter()
            self._fit_final_model(search)
            self.refit_time_ = time.perf_counter() - began

    def _set_final_model(self, best, members, model):
        """Record the final model: ``members`` are its (evaluation, weight)
        pairs (weights summing to 1), ``best`` the evaluation it stands for."""
        trace = self.trace_
        self.ensemble_ = pd.DataFrame({
            "evaluation": [i for i, _ in members],
            "strategy": [trace.at[i, "strategy"] for i, _ in members],
            "config": [trace.at[i, "config"] for i, _ in members],
            "weight": [w for _, w in members],
        })
        self.best_index_ = best
        self.best_strategy_ = trace.at[best, "strategy"]
        self.best_config_ = dict(trace.at[best, "config"])
        self.best_params_ = search_params(self.best_strategy_, self.best_config_)
        self.best_score_ = float(trace.at[best, "score"])
        self.best_estimator_ = model

    def _keep_zero_shot(self, search):
        """The zero-shot fit is the final model (an error if every pick failed)."""
        if search.zero_shot_model is None:
            self._check_some_succeeded(None)
        last = len(self.trace_) - 1
        self.refit_errors_ = {}
        self.n_refit_samples_ = search.final.n_samples
        self.refit_time_ = float(self.trace_.at[last, "fit_seconds"])
        self._set_final_model(last, [(last, 1.0)], search.zero_shot_model)

    def _fit_fallback(self, search):
        """The model of last resort of a budgeted fit, fitted before the search.

        The cost model can underpredict a strategy badly (extra trees on
        wide sparse data), so that the whole budget goes to proposals that
        never finish. A strategy of :data:`FALLBACK_STRATEGIES` (else the
        portfolio's cheapest by the cost model) is fitted on at most
        :data:`FALLBACK_ROWS` rows whatever is predicted, and kept in case
        no evaluation of the search completes.

        Returns
        -------
        (strategy, config, model, n_rows, seconds) or None
            None when no strategy of the portfolio could be fitted.
        """
        portfolio, dataset = search.portfolio, search.dataset
        by_name = {s.name: s for s in portfolio}
        ranked = [by_name[n] for n in FALLBACK_STRATEGIES if n in by_name]
        if not ranked:
            seconds = {s.name: search.predict_seconds(s.name, s.default_config())
                       for s in portfolio}
            cheapest = min(portfolio, key=lambda s: (not np.isfinite(seconds[s.name]),
                                                     seconds[s.name]))
            ranked = [cheapest]
        rows = subsample_indices(dataset, FALLBACK_ROWS, search.seed)
        data = dataset if len(rows) == dataset.n_samples else take_rows(dataset, rows)
        for strategy in ranked:
            config = strategy.default_config()
            began = time.perf_counter()
            model, error = refit_configuration(strategy, config, data.X, data.y,
                                               data.sample_weight, self.n_jobs_)
            error = error or _prediction_error(model, data)
            if not error:
                return strategy, config, model, data.n_samples, time.perf_counter() - began
            self._log(f"fallback {strategy.name} failed: {error}")
        return None

    def _keep_fallback(self, strategy, config, model, n_rows, seconds):
        """No evaluation completed in the time budget: the model of last
        resort (:meth:`_fit_fallback`, the last row of ``trace_``) is the
        final model, with a warning."""
        warnings.warn(
            f"no evaluation finished within time_budget={self.time_budget:g} s, so "
            f"the final model is the fallback {strategy.name} (default settings, "
            f"{n_rows} rows) fitted before the search; raise time_budget for a "
            "searched model.",
            UserWarning, stacklevel=4,
        )
        last = len(self.trace_) - 1
        self.refit_errors_ = {}
        self.n_refit_samples_ = n_rows
        self.refit_time_ = seconds
        if not is_classifier(self):
            self.target_guard_ = None  # no out-of-fold predictions to choose it
        self._set_final_model(last, [(last, 1.0)], model)

    def _check_some_succeeded(self, race):
        complete = [] if race is None else [r for r in race.records if r.complete]
        if not complete:
            causes = "; ".join(
                f"{s}: {e}" for s, e in
                self.trace_[["strategy", "error"]].drop_duplicates().itertuples(index=False)
                if e
            )
            budget = ""
            if self.time_budget is not None:
                budget = (f" within time_budget={self.time_budget:g} s (raise it, or "
                          "lower max_samples)")
            raise ValueError(
                f"every one of the {len(self.trace_)} evaluations failed{budget}, "
                f"so there is no model to fit. Causes: {causes}"
            )
        # Proposals the time budget left no room to start did not fail.
        not_started = self.trace_["error"].astype(str).str.startswith("not started")
        failed = int(((self.trace_["status"] != "ok") & ~not_started).sum())
        if failed:
            warnings.warn(
                f"{failed} of {len(self.trace_)} evaluations failed; see trace_['error'].",
                UserWarning,
                stacklevel=4,
            )

    def _ensemble_members(self, race, search, scoring):
        """(evaluation, weight) pairs of the fused model, best first."""
        records = race.records
        ok = sorted((i for i, r in enumerate(records) if r.complete),
                    key=lambda i: (-records[i].score, i))
        if self.ensemble_size == 1 or len(ok) == 1:
            return [(ok[0], 1.0)]
        classes = np.unique(search.y) if search.task != "regression" else None
        best_refit = race.refit_seconds(records[ok[0]])
        weights = ensemble_selection(
            [records[i].result.oof_predictions for i in ok], search.y, search.task,
            scoring, self.ensemble_size, classes, search.sample_weight,
            # Picks stop while the time left still holds the best one's refit.
            should_stop=lambda: race.clock.left() <= best_refit,
        )
        # An expensive member must pay for its refit in ensemble score. Its
        # cost is the cost model's, not the folds' timings: a search without
        # a budget must not depend on the machine's load.
        weights = members_that_pay(
            [records[i].result.oof_predictions for i in ok], weights,
            [_predicted_seconds(race, records[i].proposal) for i in ok],
            search.y, search.task,
            scoring, standard_error(records[ok[0]].result.fold_scores) or 0.0,
            classes, search.sample_weight,
        )
        members = [(i, w) for i, w in zip(ok, weights) if w > 0]
        return sorted(members, key=lambda m: (-m[1], -records[m[0]].score, m[0]))

    def _plan_refit(self, dataset, race, members, seed):
        """Members and rows of the final refit, inside the time left.

        Without a time budget: every member on every row. With one, the
        refit is planned from each member's own fold timings: members are
        kept, heaviest first, while their predicted refit seconds fit in the
        time left (the search kept back what the best one needs); if none
        does, the best complete evaluation that fits is refit alone, and if
        none fits, the best is refit on as many rows as fit (with a warning).
        """
        everything = np.arange(dataset.n_samples)
        left = race.clock.left()
        if not np.isfinite(left):
            return members, everything
        # A fold that ran past its prediction may have eaten into what the
        # search kept back: the refit may use part of the promise's own
        # tolerance (B x 1.05 + 0.3 s) rather than fit on too few rows.
        left += REFIT_TOLERANCE * self.time_budget + 0.15
        kept, needed = [], 0.0
        for i, w in members:
            seconds = race.refit_seconds(race.records[i])
            if needed + seconds <= left:
                kept.append((i, w))
                needed += seconds
        if kept:
            return kept, everything
        ranked = sorted((i for i, r in enumerate(race.records) if r.complete),
                        key=lambda i: (-race.records[i].score, i))
        for i in ranked:
            if race.refit_seconds(race.records[i]) <= left:
                return [(i, 1.0)], everything
        best = ranked[0]
        return [(best, 1.0)], self._rows_that_fit(
            dataset, race.refit_seconds(race.records[best]), left, seed)

    def _rows_that_fit(self, dataset, seconds, left, seed):
        """Every row, or a subsample small enough to fit in ``left`` seconds
        when fitting on every row takes ``seconds`` (with a warning)."""
        everything = np.arange(dataset.n_samples)
        if not np.isfinite(seconds) or seconds <= left:
            return everything
        n_rows = int(dataset.n_samples * max(left, 0.0) / max(seconds, 1e-9))
        # Too few rows to learn from: a model on a few more is late by less
        # than one on too few is wrong by.
        n_classes = len(getattr(self, "classes_", ()))
        n_rows = min(max(n_rows, MIN_REFIT_ROWS, 10 * n_classes), dataset.n_samples)
        if n_rows == dataset.n_samples:
            return everything
        warnings.warn(
            f"the time budget leaves room to refit on {n_rows} of "
            f"{dataset.n_samples} rows; raise time_budget to use them all.",
            UserWarning, stacklevel=6,
        )
        return subsample_indices(dataset, n_rows, seed)

    def _fit_final_model(self, search):
        """Refit the fused members (or the best) on all the rows.

        A member whose refit fails is dropped (its weight goes to the
        others); if every member fails, the next best evaluations are tried
        in order of score until one refits (complete ones first, then those
        left at their first fold).
        """
        dataset, race = search.dataset, search.race
        by_name = {s.name: s for s in search.portfolio}
        records = race.records
        members, rows = self._plan_refit(
            dataset, race, self._ensemble_members(race, search.data, search.scoring),
            search.seed)
        final = dataset if len(rows) == dataset.n_samples else take_rows(dataset, rows)
        self.n_refit_samples_ = final.n_samples
        self._log("refitting " + ", ".join(
            f"#{i} {self.trace_.at[i, 'strategy']} (predicted "
            f"{race.refit_seconds(records[i]):.2f} s)" for i, _ in members),
            search.clock)

        # Workers are started for the refit only where the search's were:
        # with a budget, starting them may cost more than the fits.
        parallel = race.clock.budget is None or race.workers_started

        def refit(indices):
            # One model is fitted here: a worker would only add the cost of
            # sending it back. The n_jobs cores are shared among the fits.
            n_jobs = min(len(indices), self.n_jobs_) if parallel else 1
            return Parallel(n_jobs=n_jobs)(
                delayed(refit_configuration)(
                    by_name[self.trace_.at[i, "strategy"]], self.trace_.at[i, "config"],
                    final.X, final.y, final.sample_weight, self.n_jobs_ // n_jobs,
                )
                for i in indices
            )

        fitted = refit([i for i, _ in members])
        errors = {i: e for (i, _), (_, e) in zip(members, fitted) if e}
        kept = [(i, w, m) for (i, w), (m, _) in zip(members, fitted) if m is not None]
        if not kept:
            # The next best: complete evaluations, then those left at their
            # first fold (judged worse, but they fit).
            tried = {i for i, _ in members}
            for i in sorted((i for i, r in enumerate(records)
                             if r.ok and r.score is not None and i not in tried),
                            key=lambda i: (not records[i].complete, -records[i].score, i)):
                [(model, error)] = refit([i])
                if model is not None:
                    kept = [(i, 1.0, model)]
                    break
                errors[i] = error
        if errors:
            listed = "; ".join(f"#{i} {self.trace_.at[i, 'strategy']}: {e}"
                               for i, e in errors.items())
            if not kept:
                raise ValueError(
                    "every successful evaluation failed when refit on all the "
                    f"rows, so there is no model to predict with. Causes: {listed}"
                )
            warnings.warn(f"refitting on all the rows failed for {listed}; "
                          "those configurations were left out of the final model.",
                          UserWarning, stacklevel=4)
        self.refit_errors_ = errors
        if len(kept) == 1:
            model = kept[0][2]
        else:
            model = self._fuse([m for _, _, m in kept], [w for _, w, _ in kept])
        model = self._guard(model, [(i, w) for i, w, _ in kept], race,
                            search, final, search.scoring)
        # The best complete evaluation, unless it could not be refit.
        best = race.records.index(race.best())
        if best in errors:
            best = kept[0][0]
        total = sum(w for _, w, _ in kept)
        self._set_final_model(best, [(i, w / total) for i, w, _ in kept], model)

    def _guard(self, model, members, race, search, final, scoring):
        """The final model, post-processed where its task needs it."""
        return model

    def _guard_zero_shot(self, model, strategy, config, search, final, fit_seconds):
        """The zero-shot model, checked where its task needs it."""
        return model

