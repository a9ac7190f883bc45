"""Evaluating the adjuster's proposals on one dataset: folds raced, time kept.

The adjuster (:mod:`skmeta.adjust`) decides *what* to evaluate; a
:class:`FoldRace` decides *how much* of each proposal to look at, and keeps the
time budget of a ``fit``.

Cheap looks first (multi-fidelity by racing folds). Every proposal is first
scored on one fold. It is promoted to the remaining folds unless that score is
clearly below the best complete candidate's score on the same fold: more than
that candidate's fold-to-fold standard deviation below it (in the first batch,
before any candidate is complete: more than :data:`FIRST_BATCH_MARGIN` below
the best first fold of the batch). A proposal left at
one fold costs ``1 / k`` of an evaluation; its score in the trace is then an
estimate (its fold score, shifted by how much the best candidate's mean
differs from its own score on that fold). Only promoted proposals have a
cross-validated score, out-of-fold predictions for the ensemble and a place
in the final model. Promotion depends on scores alone, so a fixed
``n_evaluations`` gives the same search whatever ``n_jobs`` is.

Time (with a budget). The search keeps back what the final refit will need
(predicted from the best candidate's own fold timings), never starts a fold
predicted not to finish in the time left (the knowledge base's cost model
for a proposal's first fold, calibrated on the folds this fit has measured;
the proposal's own first fold for its others), and runs a fold that might
not finish in a worker process killed at the search's deadline. The clock
only ever stops work: it never changes what is proposed next, so a longer
budget runs the same proposals and more of them.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from joblib import Parallel, delayed

from skmeta.evaluation import EvaluationResult, evaluate_config, merge_fold_results

__all__ = ["Clock", "FoldRace", "Record"]

#: A fold predicted to need more than this fraction of the time left runs in
#: a worker process that can be killed at the deadline.
RISKY_FRACTION = 0.5

#: Before any candidate is complete, a first fold this far (relative, on the
#: metric's scale) below the best first fold of its batch is not promoted.
FIRST_BATCH_MARGIN = 0.02

#: Refit seconds are predicted from fold timings with this margin (fit time
#: grows a little faster than the rows).
REFIT_MARGIN = 1.3


class Clock:
    """The time budget of one ``fit``.

    Parameters
    ----------
    budget : float or None
        Seconds for the whole fit; None for no limit.
    start : float, optional
        ``time.monotonic()`` at the start of the fit (default: now).

    Examples
    --------
    >>> from skmeta.search import Clock
    >>> clock = Clock(None)
    >>> clock.left()
    inf
    >>> 0 < Clock(10.0).left() <= 10.0
    True
    """

    def __init__(self, budget, start=None):
        self.budget = budget
        self.start = time.monotonic() if start is None else start

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
    result: EvaluationResult | None = field(default=None)


def _run_fold(proposal, X, y, task, split, scoring, limit, return_oof):
    return evaluate_config(proposal.strategy, proposal.config, X, y, task, [split],
                           scoring=scoring, timeout=limit, return_oof=return_oof)


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

    Attributes
    ----------
    records : list of Record
        In evaluation order.
    """

    def __init__(self, X, y, task, splits, scoring, keep_oof, clock, n_refit_rows,
                 timeout=None, predict_seconds=None, n_jobs=None):
        self.X, self.y, self.task = X, y, task
        self.splits = splits
        self.scoring = scoring
        self.keep_oof = keep_oof
        self.clock = clock
        self.n_refit_rows = n_refit_rows
        self.fold_timeout = None if timeout is None else timeout / len(splits)
        self.predict_seconds = predict_seconds
        self.n_jobs = n_jobs
        self.records = []
        self._calibration = []  # measured / predicted seconds of first folds

    # -- what the final model needs -----------------------------------------
    def best(self):
        """The best complete record (None before one)."""
        complete = [r for r in self.records if r.complete]
        return max(complete, key=lambda r: r.score) if complete else None

    def refit_seconds(self, record):
        """Predicted seconds to fit a record's configuration on the refit rows."""
        result = record.result
        n_folds = max(len(result.fold_scores), 1)
        train_rows = np.mean([len(self.splits[i][0]) for i in range(n_folds)])
        per_fold = result.fit_seconds / n_folds
        return REFIT_MARGIN * per_fold * self.n_refit_rows / max(train_rows, 1.0)

    def reserve(self):
        """Seconds kept back for the final refit of the best candidate."""
        best = self.best()
        return 0.0 if best is None else self.refit_seconds(best)

    def search_left(self):
        """Seconds the search may still spend (``inf`` without a budget)."""
        return self.clock.left() - self.reserve()

    def should_stop(self):
        """No time for another step: the budget less the refit's reserve is
        spent, or smaller than the cheapest first fold measured so far."""
        left = self.search_left()
        if not math.isfinite(left):
            return False
        firsts = [r.result.fit_seconds + r.result.predict_seconds
                  for r in self.records if r.result.fold_scores]
        return left <= (min(firsts) if firsts else 0.0)

    # -- evaluating ----------------------------------------------------------
    def _first_fold_seconds(self, proposal):
        """Predicted seconds of a proposal's first fold (NaN when unknown)."""
        if self.predict_seconds is None:
            return math.nan
        seconds = float(self.predict_seconds(proposal.strategy.name, proposal.config))
        if not math.isfinite(seconds):
            return math.nan
        ratio = float(np.median(self._calibration)) if self._calibration else 1.0
        return seconds / 3 * ratio

    def _plan(self, proposal, index, predicted):
        """When and how a fold runs: in-process, in a killable worker, or not."""
        left = self.search_left()
        limit = self.fold_timeout
        if math.isfinite(left):
            if left <= 0:
                return _Fold(proposal, index, None, "the time budget ran out")
            if math.isfinite(predicted) and predicted > left:
                return _Fold(proposal, index, None,
                             f"predicted to need {predicted:.3g} s with {left:.3g} s "
                             "left of the time budget")
            if not math.isfinite(predicted) or predicted > RISKY_FRACTION * left:
                limit = left if limit is None else min(limit, left)
        return _Fold(proposal, index, limit)

    def _run(self, folds):
        todo = [f for f in folds if not f.skip]
        results = Parallel(n_jobs=self.n_jobs)(
            delayed(_run_fold)(f.proposal, self.X, self.y, self.task,
                               self.splits[f.index], self.scoring, f.limit, self.keep_oof)
            for f in todo
        )
        for fold, result in zip(todo, results):
            if result.status == "timeout":
                result.error = (f"exceeded the time limit of {fold.limit:.3g} s for "
                                "one fold (the time budget or timeout)")
            fold.result = result
        for fold in folds:
            if fold.skip:
                fold.result = EvaluationResult(status="timeout",
                                               error=f"not started: {fold.skip}")

    def _promote(self, first, reference, batch):
        """Whether a first-fold result earns the remaining folds.

        Against the best complete record (on the same fold, within its
        fold-to-fold standard deviation); before there is one, against the
        best first fold of the batch, within :data:`FIRST_BATCH_MARGIN`.
        """
        if not first.ok:
            return False
        if len(self.splits) == 1:
            return True
        if reference is None:
            best = max(r.fold_scores[0] for r in batch if r.ok)
            return first.fold_scores[0] >= best - FIRST_BATCH_MARGIN * max(1.0, abs(best))
        scores = reference.result.fold_scores
        margin = max(float(np.std(scores)), 1e-3 * max(1.0, abs(scores[0])))
        return first.fold_scores[0] >= scores[0] - margin

    def __call__(self, proposals, seconds_left=None):
        reference = self.best()
        predicted = [self._first_fold_seconds(p) for p in proposals]
        firsts = [self._plan(p, 0, s) for p, s in zip(proposals, predicted)]
        self._run(firsts)
        for fold, seconds in zip(firsts, predicted):
            r = fold.result
            if r.ok and math.isfinite(seconds) and seconds > 0:
                ratio = self._calibration_ratio(r, seconds)
                self._calibration.append(ratio)
        batch = [f.result for f in firsts]
        promoted = [self._promote(f.result, reference, batch) for f in firsts]
        rest = []
        for fold, promote in zip(firsts, promoted):
            if promote:
                own = fold.result.fit_seconds + fold.result.predict_seconds
                rest.extend(self._plan(fold.proposal, i, own)
                            for i in range(1, len(self.splits)))
        self._run(rest)
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
        }
