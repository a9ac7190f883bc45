"""Evaluating the adjuster's proposals on one dataset: folds raced, time kept.

The adjuster (:mod:`skmeta.adjust`) decides *what* to evaluate; a
:class:`FoldRace` decides *how much* of each proposal to look at, and keeps the
time budget of a ``fit``.

Cheap looks first (multi-fidelity by racing folds). Every proposal is first
scored on one fold. It is promoted to the remaining folds unless that score is
clearly below the best complete candidate's score on the same fold: more than
``promotion_margin`` times that candidate's fold-to-fold standard deviation
below it (the margin is learned per size of data by races simulated on
stored fold scores, :mod:`skmeta.race_policy`; in the first batch,
before any candidate is complete: more than :data:`FIRST_BATCH_MARGIN` below
the best first fold of the batch). A proposal left at
one fold costs ``1 / k`` of an evaluation; its score in the trace is then an
estimate (its fold score, shifted by how much the best candidate's mean
differs from its own score on that fold). Only promoted proposals have a
cross-validated score, out-of-fold predictions for the ensemble and a place
in the final model. Promotion depends on scores alone, so a fixed
``n_evaluations`` gives the same search whatever ``n_jobs`` is.

Time (with a budget). The search keeps back what the final refit will need
(predicted from the best candidate's own fold timings), never starts a proposal
whose folds are not all predicted to finish in the time left (the knowledge
base's cost model for a proposal's first fold, calibrated on the folds this
fit has measured; the proposal's own first fold for its others), and runs a
fold that might not finish (any fold, until one has checked the cost model on
this data) in a worker process killed at the search's
deadline — or, while no proposal is complete, at half the time left, so that
a first pick that hangs leaves time for the cheap fallbacks that follow it. The clock
only ever stops work: it never changes what is proposed next, so a longer
budget runs the same proposals and more of them.
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs

from skmeta._fold_cache import FoldCache
from skmeta._isolation import start_up_seconds, worker_ready
from skmeta.evaluation import EvaluationResult, evaluate_config, merge_fold_results

__all__ = ["Clock", "FoldRace", "Record", "first_batch_threshold", "promotion_threshold"]

#: A fold predicted to need more than this fraction of the time left runs in
#: a worker process that can be killed at the deadline.
RISKY_FRACTION = 0.5

#: Before any candidate is complete, a first fold this far (relative, on the
#: metric's scale) below the best first fold of its batch is not promoted.
FIRST_BATCH_MARGIN = 0.02

#: While no proposal is complete, a fold that might not finish may use this
#: share of the time left before it is stopped.
NO_MODEL_SHARE = 0.5

#: A search on a budget stops after this many batches of which no fold
#: could be started in the time left.
IDLE_BATCHES = 3

#: Share of the time budget kept back at the end of a search, for fusing the
#: final model and for a fold that runs past its predicted seconds.
FINAL_SHARE = 0.05

#: With a budget, the search's ``n_jobs`` workers are started only when that
#: (about as long as starting a killable worker) takes at most this share of
#: the search's time left; until then folds run in this process.
PARALLEL_START_SHARE = 0.25

#: Refit seconds are predicted from fold timings times this safety factor
#: (fit time grows a little faster than the rows).
REFIT_SAFETY_FACTOR = 1.3


def first_batch_threshold(best_first_fold):
    """The lowest first-fold score promoted before any candidate is complete:
    :data:`FIRST_BATCH_MARGIN` (relative) below the batch's best first fold."""
    return best_first_fold - FIRST_BATCH_MARGIN * max(1.0, abs(best_first_fold))


def promotion_threshold(reference_fold_scores, margin):
    """The lowest first-fold score promoted against a complete reference:
    ``margin`` of its fold-to-fold standard deviations below its first fold.

    Examples
    --------
    >>> from skmeta.fold_race import promotion_threshold
    >>> round(promotion_threshold([0.8, 0.7, 0.9], margin=1.0), 4)
    0.7184
    """
    first = reference_fold_scores[0]
    spread = max(float(np.std(reference_fold_scores)), 1e-3 * max(1.0, abs(first)))
    return first - margin * spread


class Clock:
    """The time budget of one ``fit``.

    Parameters
    ----------
    budget : float or None
        Seconds for the whole fit, from now; None for no limit.
    start : float, optional
        ``time.monotonic()`` at the start of the fit.

        .. deprecated:: 0.2
           No caller gave it: a clock starts when it is made. It goes in 0.3.

    Examples
    --------
    >>> from skmeta.fold_race import Clock
    >>> clock = Clock(None)
    >>> clock.left()
    inf
    >>> 0 < Clock(10.0).left() <= 10.0
    True
    """

    def __init__(self, budget, start="deprecated"):
        self.budget = budget
        self.start = time.monotonic()
        if start != "deprecated":
            warnings.warn("`start` of Clock is deprecated in 0.2 and will be removed "
                          "in 0.3: a clock starts when it is made.", FutureWarning,
                          stacklevel=2)
            if start is not None:
                self.start = start

    def elapsed(self):
        return time.monotonic() - self.start

    def left(self):
        """Seconds left of the budget (``inf`` without one)."""
        if self.budget is None:
            return math.inf
        return self.budget - self.elapsed()


@dataclass
class Record:
    """One evaluated proposal.

    Attributes
    ----------
    result : EvaluationResult
        Over the folds evaluated (all of them when ``promoted``).
    promoted : bool
        Evaluated on every fold.
    score : float or None
        The cross-validated score when promoted, the estimate from its first
        fold otherwise; None when it failed.
    """

    proposal: object
    result: EvaluationResult
    promoted: bool
    score: float | None

    @property
    def ok(self):
        return self.result.ok

    @property
    def complete(self):
        """Scored on every fold: a candidate for the final model."""
        return self.ok and self.promoted


@dataclass
class _Fold:
    proposal: object
    index: int
    limit: float | None  # seconds before the worker is killed; None: in-process
    skip: str = ""  # why it is not started
    deadline: bool = False  # the limit comes from the time budget
    result: EvaluationResult | None = field(default=None)


def _run_fold(proposal, X, y, task, split, scoring, limit, return_oof, deadline,
              sample_weight, fold_cache=None):
    return evaluate_config(proposal.strategy, proposal.config, X, y, task, [split],
                           scoring=scoring, timeout=limit, return_oof=return_oof,
                           deadline=deadline, sample_weight=sample_weight,
                           fold_cache=fold_cache)


class FoldRace:
    """The ``evaluate`` function of :func:`~skmeta.adjust.run_adjuster`.

    Parameters
    ----------
    X, y, task
        The (possibly subsampled) data the search evaluates on.
    splits : list of (train, test)
    scoring : str
    keep_oof : bool
        Keep out-of-fold predictions (for the ensemble).
    clock : Clock
    n_refit_rows : int
        Rows of the final refit (to predict its seconds).
    timeout : float, optional
        Seconds one evaluation may take (each fold gets its share).
    predict_seconds : callable, optional
        ``predict_seconds(strategy_name, config)``: the cost model's seconds
        for a 3-fold evaluation on the search's rows (NaN when unknown).
    n_jobs : int, optional
    sample_weight : ndarray of shape (n_samples,), optional
        Weights of the rows: every fold is fitted and scored with them.
    promotion_margin : float, default=1.0
        How many of the best complete candidate's fold-to-fold standard
        deviations a first fold may fall below that candidate's score on the
        same fold and still be promoted.

    Attributes
    ----------
    records : list of Record
        In evaluation order.
    """

    def __init__(self, X, y, task, splits, scoring, keep_oof, clock, n_refit_rows,
                 timeout=None, predict_seconds=None, n_jobs=None, sample_weight=None,
                 promotion_margin=1.0):
        self.X, self.y, self.task = X, y, task
        self.promotion_margin = promotion_margin
        self.sample_weight = sample_weight
        self.splits = splits
        self.scoring = scoring
        self.keep_oof = keep_oof
        self.clock = clock
        self.n_refit_rows = n_refit_rows
        self.fold_timeout = None if timeout is None else timeout / len(splits)
        self.predict_seconds = predict_seconds
        self.n_jobs = n_jobs
        self.records = []
        # Folds preprocessed once per recipe, for the folds run in this process.
        self._fold_cache = FoldCache()
        self._idle_batches = 0  # consecutive batches of which nothing started
        self.workers_started = False  # the n_jobs workers (see _n_workers)
        # (strategy, measured / predicted seconds) of first folds.
        self._calibration = []

    # -- what the final model needs -----------------------------------------
    def best(self):
        """The best complete record (None before one)."""
        complete = [r for r in self.records if r.complete]
        return max(complete, key=lambda r: r.score) if complete else None

    def _refit_factor(self):
        """Refit seconds per second of one fold's fit."""
        train_rows = np.mean([len(train) for train, _ in self.splits])
        return REFIT_SAFETY_FACTOR * self.n_refit_rows / max(train_rows, 1.0)

    def refit_seconds(self, record):
        """Predicted seconds to fit a record's configuration on the refit rows."""
        result = record.result
        n_folds = max(len(result.fold_scores), 1)
        return self._refit_factor() * result.fit_seconds / n_folds

    def reserve(self):
        """Seconds kept back for the final refit of the best candidate, and
        for fusing and checking the final model (:data:`FINAL_SHARE` of the
        budget)."""
        best = self.best()
        slack = 0.0 if self.clock.budget is None else FINAL_SHARE * self.clock.budget
        return slack + (0.0 if best is None else self.refit_seconds(best))

    def search_left(self):
        """Seconds the search may still spend (``inf`` without a budget)."""
        return self.clock.left() - self.reserve()

    def should_stop(self):
        """No time for another step: the budget less the refit's reserve is
        spent, smaller than the quickest fold measured so far, or too small
        to start any of the last :data:`IDLE_BATCHES` batches."""
        left = self.search_left()
        if not math.isfinite(left):
            return False
        if self._idle_batches >= IDLE_BATCHES:
            return True
        folds = [(r.result.fit_seconds + r.result.predict_seconds)
                 / len(r.result.fold_scores)
                 for r in self.records if r.result.fold_scores]
        return left <= (min(folds) if folds else 0.0)

    # -- evaluating ----------------------------------------------------------
    def _raw_fold_seconds(self, proposal):
        """The cost model's seconds for one of a proposal's folds (NaN when
        unknown): a third of its 3-fold evaluation."""
        if self.predict_seconds is None:
            return math.nan
        seconds = float(self.predict_seconds(proposal.strategy.name, proposal.config))
        return seconds / 3 if math.isfinite(seconds) else math.nan

    def _first_fold_seconds(self, proposal, raw):
        """Predicted seconds of a proposal's first fold, calibrated.

        The cost model errs by strategy (and by machine): its seconds are
        scaled by the median ratio of measured to predicted seconds of this
        strategy's first folds in this fit, else of all first folds.
        """
        if not math.isfinite(raw):
            return math.nan
        name = proposal.strategy.name
        own = [r for n, r in self._calibration if n == name]
        ratios = own or [r for _, r in self._calibration]
        return raw * (float(np.median(ratios)) if ratios else 1.0)

    def _plan(self, proposal, index, predicted, queued=0.0, refit=0.0):
        """When and how a fold runs: in-process, in a killable worker, or not.

        ``queued`` is the predicted seconds of the folds that run before it
        on the same worker; ``refit`` the predicted seconds of the
        proposal's own final refit, kept back too in case it becomes the best
        (once there is a best: before, any model comes first).
        A first fold starts only if all the proposal's folds are predicted
        to finish: a proposal that cannot be completed cannot be chosen.
        """
        if self.best() is None:
            # Nothing to fall back on: any model first, its refit can be on
            # fewer rows if it must.
            refit = 0.0
        left = self.clock.left() - max(self.reserve(), refit) - queued
        limit = self.fold_timeout
        if math.isfinite(left):
            if left <= 0:
                return _Fold(proposal, index, None, "the time budget ran out")
            needed = predicted * (len(self.splits) if index == 0 else 1)
            if math.isfinite(needed) and needed > left:
                return _Fold(proposal, index, None,
                             f"predicted to need {needed:.3g} s with {left:.3g} s "
                             "left of the time budget")
            risky = not math.isfinite(predicted) or predicted > RISKY_FRACTION * left
            # Until a fold of this fit has been measured, the cost model is
            # unchecked on this data (it can be off by a hundredfold).
            unchecked = not self._calibration
            if risky or unchecked:
                if self.best() is None:
                    # No model yet: a fold that may hang gets part of the
                    # time, so that cheaper proposals can still follow.
                    left *= NO_MODEL_SHARE
                if limit is None or left < limit:
                    # Starting the worker cannot be interrupted: not in the
                    # last moments of a budget.
                    if not worker_ready() and start_up_seconds() > 0.5 * left:
                        if not risky:  # then the cost model's word is taken
                            return _Fold(proposal, index, limit)
                        return _Fold(proposal, index, None,
                                     f"a worker process that can stop it takes about "
                                     f"{start_up_seconds():.2g} s to start, {left:.3g} s "
                                     "are left of the time budget")
                    return _Fold(proposal, index, left, deadline=True)
        return _Fold(proposal, index, limit)

    def _n_workers(self):
        """Workers of the next batch: ``n_jobs``, but with a budget one (this
        process) until the cost model is checked and while starting the
        workers would take more than :data:`PARALLEL_START_SHARE` of the
        search's time left (a worker starts as slowly as a killable one)."""
        n_workers = 1 if self.n_jobs is None else effective_n_jobs(self.n_jobs)
        if n_workers == 1 or self.clock.budget is None or self.workers_started:
            return n_workers
        if (not self._calibration
                or start_up_seconds() > PARALLEL_START_SHARE * self.search_left()):
            return 1
        return n_workers

    def _run(self, todo):
        """Run (proposal, fold index, predicted seconds, refit seconds)
        tuples; returns the folds.

        On one worker each fold is planned just before it starts, with the
        time then left; on several, with the predicted seconds of the folds
        queued before it on its worker.
        """
        n_workers = self._n_workers()
        if n_workers == 1:
            folds = []
            for proposal, index, predicted, refit in todo:
                fold = self._plan(proposal, index, predicted, refit=refit)
                if not fold.skip:
                    result = _run_fold(*self._fold_job(fold), self._fold_cache)
                    fold.result = self._finish(fold, result)
                folds.append(fold)
        else:
            folds, queued = [], 0.0
            for proposal, index, predicted, refit in todo:
                folds.append(self._plan(proposal, index, predicted, queued / n_workers,
                                        refit))
                if not folds[-1].skip:
                    queued += predicted if math.isfinite(predicted) else 0.0
            run = [f for f in folds if not f.skip]
            self.workers_started = True  # joblib keeps them for the next batch
            results = Parallel(n_jobs=self.n_jobs)(
                delayed(_run_fold)(*self._fold_job(f)) for f in run
            )
            for fold, result in zip(run, results):
                fold.result = self._finish(fold, result)
        for fold in folds:
            if fold.skip:
                fold.result = EvaluationResult(status="timeout",
                                               error=f"not started: {fold.skip}")
        return folds

    def _fold_job(self, fold):
        """The arguments of :func:`_run_fold` for a planned fold."""
        return (fold.proposal, self.X, self.y, self.task, self.splits[fold.index],
                self.scoring, fold.limit, self.keep_oof, fold.deadline,
                self.sample_weight)

    @staticmethod
    def _finish(fold, result):
        if result.status == "timeout":
            result.error = (f"exceeded the time limit of {fold.limit:.3g} s for "
                            "one fold (the time budget or timeout)")
        return result

    def _promote(self, first, reference, batch):
        """Whether a first-fold result earns the remaining folds.

        Against the best complete record (on the same fold, within
        ``promotion_margin`` of its fold-to-fold standard deviations); before
        there is one, against the best first fold of the batch, within
        :data:`FIRST_BATCH_MARGIN`.
        """
        if not first.ok:
            return False
        if len(self.splits) == 1:
            return True
        if reference is None:
            threshold = first_batch_threshold(max(r.fold_scores[0] for r in batch if r.ok))
        else:
            threshold = promotion_threshold(reference.result.fold_scores,
                                            self.promotion_margin)
        return first.fold_scores[0] >= threshold

    def __call__(self, proposals, seconds_left=None):
        reference = self.best()
        raw = [self._raw_fold_seconds(p) for p in proposals]
        predicted = [self._first_fold_seconds(p, r) for p, r in zip(proposals, raw)]
        firsts = self._run([(p, 0, s, self._refit_factor() * s if math.isfinite(s) else 0.0)
                            for p, s in zip(proposals, predicted)])
        for fold, seconds in zip(firsts, raw):
            if fold.result.ok and math.isfinite(seconds) and seconds > 0:
                ratio = self._calibration_ratio(fold.result, seconds)
                self._calibration.append((fold.proposal.strategy.name, ratio))
        started = any(not f.skip for f in firsts)
        self._idle_batches = 0 if started else self._idle_batches + 1
        batch = [f.result for f in firsts]
        promoted = [self._promote(f.result, reference, batch) for f in firsts]
        todo = []
        for fold, promote in zip(firsts, promoted):
            if promote:
                own = fold.result.fit_seconds + fold.result.predict_seconds
                refit = self._refit_factor() * fold.result.fit_seconds
                todo.extend((fold.proposal, i, own, refit)
                            for i in range(1, len(self.splits)))
        rest = self._run(todo)
        rows = []
        for fold, promote in zip(firsts, promoted):
            own = [fold] + [f for f in rest if f.proposal is fold.proposal]
            rows.append(self._record(fold, own, promote, reference))
        return rows

    def _calibration_ratio(self, result, predicted):
        measured = result.fit_seconds + result.predict_seconds
        # Folds too quick to time say little about a machine's speed.
        return max(measured, 0.01) / max(predicted, 0.01)

    def _record(self, first, folds, promoted, reference):
        if promoted:
            splits = [self.splits[f.index] for f in folds]
            result = merge_fold_results([f.result for f in folds], splits)
            score = result.score if result.ok else None
        else:
            result = first.result
            result.oof_predictions = None
            score = None
            if result.ok:
                score = result.fold_scores[0]
                if reference is not None:
                    score += reference.score - reference.result.fold_scores[0]
        record = Record(first.proposal, result, promoted, score)
        self.records.append(record)
        return {
            "score": score, "fold_scores": list(result.fold_scores),
            "n_folds": len(result.fold_scores), "promoted": promoted,
            "status": result.status, "error": result.error,
            "fit_seconds": result.fit_seconds, "predict_seconds": result.predict_seconds,
            "started": not first.skip,
        }
