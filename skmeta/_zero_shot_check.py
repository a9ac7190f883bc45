"""The zero-shot regressor's check against wild training targets.

A zero-shot :class:`~skmeta.MetaRegressor` (``n_evaluations=1``) fits its
pick once, without cross-validation. When some training targets lie far
beyond the fences (:func:`~skmeta.guard.winsorize`), a learner may put one
of them in a leaf or a neighbourhood and predict it for every row near it;
the check cross-validates the pick fit on the target as it is and on the
clipped one, and keeps the clipped fit when that scores better (the mean of
the fold scores of the target as it is, :func:`~skmeta.guard.fold_mean_score`).

"Far" is :data:`FAR_BEYOND`: a target further beyond the fences than they
are apart (:func:`beyond_fences`). A tail that only passes the fences is a
heavy tail the learners see in many rows, not a handful of wild values. Of
the 184 training sets of the corpus's 92 regression tables (the 75 % splits
of seeds 0 and 1), 87 have targets beyond the fences: in 44 the farthest
lies less than one width beyond (at most 0.74), in the contaminated and
one-extreme cases of ``benchmarks/bench_contaminated.py`` 15.6 to 508
widths, in its real heavy-tailed targets 1.3 to 81. On its clean tables,
whose tails are of the first kind, the zero-shot test R^2 is the same with
and without the check, which cost 2-7 fits of the pick there (on the
corpus's tables of more than 5,000 rows, zero-shot fits whose pick was
HistGradientBoosting's default took 7-8 times hgb-default's).

What the check costs is kept down without changing what it decides:

- each fold is preprocessed once, for both fits
  (:class:`~skmeta._fold_cache.FoldCache`: the preprocessing never sees the
  target, so both fits would compute the same rows);
- a fold whose training rows hold no clipped target is fitted once: its
  fit on the clipped target is the fit on the target as it is.

:func:`check_seconds` predicts the check's cost from the pick's measured fit,
so that a time budget skips a check it cannot pay for.
"""

from __future__ import annotations

import numpy as np

from skmeta._fold_cache import FoldCache
from skmeta._threadpools import limited_threads
from skmeta.evaluation import evaluate_config, make_cv
from skmeta.guard import fold_mean_score, target_summary

__all__ = ["FAR_BEYOND", "ZERO_SHOT_CHECK_FOLDS", "beyond_fences", "check_folds",
           "check_scores", "check_seconds"]

#: Folds on which a zero-shot regressor, when its training target has wild
#: values, is compared fit on that target and on the winsorized one.
ZERO_SHOT_CHECK_FOLDS = 3

#: The check runs when a training target lies further beyond the fences
#: than this many times their distance apart (:func:`beyond_fences`).
FAR_BEYOND = 1.0


def beyond_fences(y, sample_weight=None):
    """How far the farthest target lies beyond the fences, in widths of the
    robust range (:func:`~skmeta.guard.target_summary`); 0 when none does.

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta._zero_shot_check import beyond_fences
    >>> y = np.arange(1.0, 101.0)  # the robust range (fences and extremes): 1 to 226
    >>> round(beyond_fences(np.r_[y, 500.0]), 2), round(beyond_fences(np.r_[y, 300.0]), 2)
    (1.22, 0.33)
    >>> beyond_fences(y)
    0.0
    """
    y = np.asarray(y, dtype=float)
    _, low, high = target_summary(y, sample_weight, "robust")
    if not high > low:
        return 0.0
    return float(max(y.max() - high, low - y.min(), 0.0) / (high - low))


def check_folds(data, clipped, seed):
    """The check's folds of ``data``'s rows, and those of them whose training
    rows hold a clipped target (only those need a second fit).

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.datasets import Dataset
    >>> from skmeta._zero_shot_check import check_folds
    >>> y = np.r_[np.arange(11.0), 1000.0]
    >>> data = Dataset(np.arange(12.0).reshape(-1, 1), y, task="regression")
    >>> splits, changed = check_folds(data, np.minimum(y, 30.0), seed=0)
    >>> len(splits), len(changed)  # the fold that tests the wild row is fit once
    (3, 2)
    """
    splits = list(make_cv(ZERO_SHOT_CHECK_FOLDS, "regression", data.y, seed).split(
        data.X, data.y))
    changed = [(train, test) for train, test in splits
               if np.any(clipped[train] != data.y[train])]
    return splits, changed


def check_seconds(fit_seconds, n_fold_fits):
    """Predicted seconds of the check: ``n_fold_fits`` fold fits and the refit
    on the clipped target, each as long as the pick's fit on all the rows.

    A fold's fit has a third fewer rows, but it also predicts its test rows,
    and fixed costs and HistGradientBoosting's early stopping (off below
    10,000 rows) do not shrink with the rows: measured on the corpus, a check
    of 6 fold fits took 5.8-6 times the pick's fit, which the 5 of a
    two-thirds-rows estimate underestimated.

    Examples
    --------
    >>> from skmeta._zero_shot_check import check_seconds
    >>> check_seconds(0.5, 6)
    3.5
    """
    return (n_fold_fits + 1) * fit_seconds


def check_scores(strategy, config, data, clipped, splits, changed, scoring, n_jobs):
    """The mean fold scores of ``(strategy, config)`` fit on ``data``'s target
    and on ``clipped``, both scored on the target as it is; None if a fit fails.

    ``changed`` are the folds of ``splits`` whose training rows hold a clipped
    target (:func:`check_folds`): on the others both fits are one.

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.datasets import Dataset
    >>> from skmeta.strategies import resolve_portfolio
    >>> from skmeta._zero_shot_check import check_folds, check_scores
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 3))
    >>> y = X[:, 0] + 0.1 * rng.normal(size=300)
    >>> y[:3] = 500.0  # three wild targets
    >>> data = Dataset(X, y, task="regression")
    >>> clipped = np.clip(y, -5, 5)
    >>> splits, changed = check_folds(data, clipped, seed=0)
    >>> [knn] = resolve_portfolio(["knn"], "regression")
    >>> raw, winsorized = check_scores(knn, knn.default_config(), data, clipped,
    ...                                splits, changed, "r2", n_jobs=1)
    >>> bool(winsorized > raw)
    True
    """
    cache = FoldCache()  # each fold preprocessed once, for both targets
    with limited_threads(n_jobs):  # as many native threads as n_jobs allows
        results = [evaluate_config(strategy, config, data.X, target, "regression",
                                   folds, scoring=scoring, return_oof=True,
                                   sample_weight=data.sample_weight, fold_cache=cache)
                   for target, folds in ((data.y, splits), (clipped, changed)) if folds]
    if not all(result.ok for result in results):
        return None
    raw = results[0].oof_predictions
    winsorized = raw.copy()
    for _, test in changed:
        winsorized[test] = results[-1].oof_predictions[test]
    return tuple(fold_mean_score(p, data.y, splits, scoring, data.sample_weight)
                 for p in (raw, winsorized))
