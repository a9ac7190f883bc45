"""A regressor's guard against wild predictions: shrinkage and clipping.

On real tables a regression search can end far below the constant
predictor: a heavy-tailed target, a few outliers, a learner that
extrapolates wildly outside the training range. :class:`GuardedRegressor`
wraps the final model and post-processes its predictions::

    center + shrink * (prediction - center), clipped to
    [low - overshoot * (high - low), high + overshoot * (high - low)]

where ``center`` is the (weighted) mean of the training target and
``[low, high]`` its range: its ``"full"`` range, minimum to maximum, or its
``"robust"`` one, the part of it inside Tukey's far-out fences (three
interquartile ranges beyond the quartiles). A few wild training targets
stretch the full range until clipping to it does nothing, and a learner
that puts one of them in a leaf predicts it for every row of that leaf; the
robust range ignores them. ``shrink = 0`` is the constant predictor and
``shrink = 1, overshoot = inf`` the model as it is. :func:`choose_guard`
picks the shrinkage, range and overshoot by cross-validation, on the
out-of-fold predictions the search already has (each fold guarded with its
own training rows' mean and range, and scored on its own rows, as the
search scores: :func:`fold_mean_score`), so the guard costs no fit; on a
tie the lighter touch wins, so a model the guard cannot improve is left as
it is.

Scoring fold by fold matters with wild targets: in a score of all the rows
at once a single wild target makes most of the variance, and the guard that
predicts it best (the constant, pulled toward it) wins however it predicts
the other rows. A model fit on a wild target can also be spoilt beyond
what clipping mends: the target clipped to the robust range
(:func:`winsorize`) is what :class:`~skmeta.MetaRegressor` refits its final
members on when that scores better.

(``overshoot`` was called ``margin`` before 0.2; skmeta's other margin is
the fold race's promotion margin.)
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin

from skmeta._deprecation import renamed_attributes, renamed_parameter
from skmeta.evaluation import score_predictions

__all__ = ["FENCE", "OVERSHOOTS", "RANGES", "SHRINKS", "GuardedRegressor",
           "choose_guard", "error_ratios", "fold_mean_score", "target_summary",
           "winsorize"]

#: Shrinkage factors toward the training mean :func:`choose_guard` tries
#: (1: none; 0: the constant predictor).
SHRINKS = (1.0, 0.75, 0.5, 0.25, 0.0)

#: How far predictions may overshoot the training target range, as a
#: fraction of its width, on either side (inf: no clipping).
OVERSHOOTS = (np.inf, 0.5, 0.1, 0.0)

#: The ranges predictions may be clipped to, lighter first: the training
#: target's minimum to maximum, or the part of it inside the fences.
RANGES = ("full", "robust")

#: The robust range's fences: this many interquartile ranges beyond the
#: quartiles (Tukey's "far out").
FENCE = 3.0


__getattr__ = renamed_attributes(__name__, {"MARGINS": "OVERSHOOTS"})


def _guard(predictions, center, low, high, shrink, overshoot):
    guarded = center + shrink * (np.asarray(predictions, dtype=float) - center)
    if np.isfinite(overshoot):
        width = high - low
        guarded = np.clip(guarded, low - overshoot * width, high + overshoot * width)
    return guarded


def _weighted_quantiles(y, weights, quantiles):
    """Quantiles of ``y`` with rows weighted (the inverted CDF's)."""
    order = np.argsort(y, kind="stable")
    cumulative = np.cumsum(weights[order])
    positions = np.searchsorted(cumulative, np.asarray(quantiles) * cumulative[-1])
    return y[order][np.minimum(positions, len(y) - 1)]


def target_summary(y, sample_weight=None, value_range="full"):
    """A target's (weighted) mean and range: what a guard needs.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
    sample_weight : array-like of shape (n_samples,), optional
    value_range : {"full", "robust"}, default="full"
        ``"full"``: the minimum and maximum. ``"robust"``: those clipped to
        the fences ``FENCE`` interquartile ranges beyond the (weighted)
        quartiles; the full range where the quartiles are equal.

    Returns
    -------
    (center, low, high) : tuple of float

    Examples
    --------
    >>> from skmeta.guard import target_summary
    >>> target_summary([0.0, 10.0], sample_weight=[1, 9])
    (9.0, 0.0, 10.0)
    >>> y = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 500.0]
    >>> target_summary(y, value_range="robust")
    (66.0, 1.0, 18.0)
    """
    y = np.asarray(y, dtype=float)
    weights = (np.ones(len(y)) if sample_weight is None
               else np.asarray(sample_weight, dtype=float))
    center = float(np.average(y, weights=weights))
    low, high = float(np.min(y)), float(np.max(y))
    if value_range == "robust":
        first, third = _weighted_quantiles(y, weights, [0.25, 0.75])
        spread = FENCE * (third - first)
        if spread > 0:
            low, high = max(low, first - spread), min(high, third + spread)
    elif value_range != "full":
        raise ValueError(f"value_range must be 'full' or 'robust', got {value_range!r}")
    return center, float(low), float(high)


def winsorize(y, sample_weight=None):
    """``y`` clipped to its robust range (:func:`target_summary`), and
    whether any target was outside it.

    Examples
    --------
    >>> from skmeta.guard import winsorize
    >>> clipped, wild = winsorize([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 500.0])
    >>> clipped.tolist(), wild
    ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 18.0], True)
    """
    y = np.asarray(y, dtype=float)
    _, low, high = target_summary(y, sample_weight, "robust")
    clipped = np.clip(y, low, high)
    return clipped, bool(np.any(clipped != y))


def error_ratios(as_is, clipped_fit, y, clipped, sample_weight=None):
    """The squared errors of a fit on the target as it is over those of a
    fit on the clipped target: on the wild rows, and on the others.

    The wild rows are those whose target ``y`` lies beyond the fences
    (``y != clipped``, :func:`winsorize`); both predictions are out of fold.
    On a real heavy tail the fit on ``y`` predicts the wild rows (a first
    ratio well below 1); on a few contaminated values, which no feature
    explains, it does not (about 1), and leaning toward them it predicts the
    others worse (a second ratio above 1). A score of all the rows, or a
    mean over folds that each hold a wild row, cannot tell the two apart:
    it is nearly all the wild rows' squared errors.

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.guard import error_ratios
    >>> y = np.r_[np.zeros(9), 100.0]
    >>> clipped = np.r_[np.zeros(9), 1.0]
    >>> leaning = np.r_[np.full(9, 2.0), 10.0]  # misses the wild row, spoils the others
    >>> [round(r, 2) for r in error_ratios(leaning, np.full(10, 1.0), y, clipped)]
    [0.83, 4.0]
    """
    y = np.asarray(y, dtype=float)
    weights = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight)
    wild = y != np.asarray(clipped, dtype=float)

    def errors(predictions, rows):
        residuals = y[rows] - np.asarray(predictions, dtype=float)[rows]
        return float(np.sum(weights[rows] * residuals ** 2)) + 1e-300

    return (errors(as_is, wild) / errors(clipped_fit, wild),
            errors(as_is, ~wild) / errors(clipped_fit, ~wild))


def fold_mean_score(predictions, y, splits, scoring="r2", sample_weight=None):
    """The mean over folds of the out-of-fold predictions' score, as the
    search scores a configuration.

    Unlike a score of all the rows at once, where a single wild target makes
    most of the variance, each fold is judged on its own rows: a model
    spoilt by a wild training target shows on the folds that do not hold it.

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.guard import fold_mean_score
    >>> y = np.arange(8.0)
    >>> splits = [(np.arange(4, 8), np.arange(4)), (np.arange(4), np.arange(4, 8))]
    >>> float(fold_mean_score(y, y, splits))
    1.0
    """
    y = np.asarray(y, dtype=float)
    return float(np.mean([
        score_predictions(y[test], predictions[test], "regression", scoring,
                          sample_weight=None if sample_weight is None
                          else sample_weight[test])
        for _, test in splits
    ]))


def choose_guard(oof_predictions, y, splits, scoring="r2", sample_weight=None,
                 fit_target=None):
    """The shrinkage, range and overshoot that score best on out-of-fold predictions.

    Parameters
    ----------
    oof_predictions : ndarray of shape (n_samples,)
        Each row predicted by a model that did not see it.
    y : ndarray of shape (n_samples,)
        The target the predictions are scored on.
    splits : list of (train, test)
        The folds that made the predictions: each fold is guarded with its
        training rows' mean and range (:func:`target_summary`) of
        ``fit_target``.
    scoring : str, default="r2"
    sample_weight : ndarray of shape (n_samples,), optional
    fit_target : ndarray of shape (n_samples,), optional
        The target the models were fit on (None: ``y``), such as a
        winsorized one (:func:`winsorize`): the guard shrinks toward its mean. Toward
        the mean of ``y`` it would undo the winsorizing, pulling every
        prediction toward the few wild targets; and where every fold holds
        one of them, the folds' scores would reward that.

    Returns
    -------
    dict
        ``shrink``, ``range`` (``"full"`` or ``"robust"``, see
        :func:`target_summary`), ``overshoot``, ``score`` (the guarded
        out-of-fold predictions' mean fold score, :func:`fold_mean_score`)
        and ``unguarded_score``; ``margin`` too, the
        same as ``overshoot`` (its name before 0.2; it goes in 0.3).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.model_selection import KFold
    >>> from skmeta.guard import choose_guard
    >>> rng = np.random.default_rng(0)
    >>> y = rng.normal(size=200)
    >>> wild = rng.normal(scale=10, size=200)  # a model of pure noise
    >>> splits = list(KFold(4).split(y))
    >>> guard = choose_guard(wild, y, splits)
    >>> guard["shrink"], guard["unguarded_score"] < -50, guard["score"] > -0.1
    (0.0, True, True)
    """
    y = np.asarray(y, dtype=float)
    fit_target = y if fit_target is None else np.asarray(fit_target, dtype=float)
    rows = [test for _, test in splits]
    summaries = {
        value_range: [
            target_summary(fit_target[train],
                           None if sample_weight is None else sample_weight[train],
                           value_range)
            for train, _ in splits
        ]
        for value_range in RANGES
    }
    oof_predictions = np.asarray(oof_predictions, dtype=float)

    def score(shrink, value_range, overshoot):
        guarded = oof_predictions.copy()
        for test, summary in zip(rows, summaries[value_range], strict=True):
            guarded[test] = _guard(oof_predictions[test], *summary, shrink, overshoot)
        return fold_mean_score(guarded, y, splits, scoring, sample_weight)

    # Lighter touches first: on a tie the earlier guard is kept.
    unguarded = score(1.0, "full", np.inf)
    best = {"shrink": 1.0, "range": "full", "overshoot": np.inf, "score": unguarded}
    for shrink in SHRINKS:
        for value_range in RANGES:
            for overshoot in OVERSHOOTS:
                if value_range != "full" and not np.isfinite(overshoot):
                    continue  # no clipping: the same whatever the range
                value = score(shrink, value_range, overshoot)
                if value > best["score"] + 1e-12:
                    best = {"shrink": shrink, "range": value_range,
                            "overshoot": overshoot, "score": value}
    return {**best, "margin": best["overshoot"], "unguarded_score": unguarded}


class GuardedRegressor(RegressorMixin, BaseEstimator):
    """A fitted regressor whose predictions are shrunk and clipped.

    Parameters
    ----------
    regressor : fitted regressor
    center, low, high : float
        The training target's (weighted) mean and range (:func:`target_summary`).
    shrink : float, default=1.0
        Predictions move this share of the way from ``center`` to the model's.
    overshoot : float, default=inf
        Predictions are clipped to the training range widened by this share
        of its width on each side.
    margin : float
        The old name of ``overshoot``.

        .. deprecated:: 0.2
           Renamed ``overshoot``; it goes in 0.3.

    ``fit`` does nothing: the model is fitted, the guard chosen by
    :func:`choose_guard`.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from skmeta.guard import GuardedRegressor
    >>> X, y = np.arange(10.0).reshape(-1, 1), np.arange(10.0)
    >>> model = GuardedRegressor(LinearRegression().fit(X, y), 4.5, 0.0, 9.0,
    ...                          overshoot=0.1)
    >>> model.predict([[5.0], [100.0]]).round(3).tolist()
    [5.0, 9.9]
    """

    def __init__(self, regressor, center, low, high, shrink=1.0, overshoot=np.inf,
                 margin="deprecated"):
        self.regressor = regressor
        self.center = center
        self.low = low
        self.high = high
        self.shrink = shrink
        self.overshoot = overshoot
        self.margin = margin

    def fit(self, X, y=None):
        self._overshoot()
        return self

    def predict(self, X):
        """The guarded predictions of the wrapped regressor."""
        return _guard(self.regressor.predict(X), self.center, self.low, self.high,
                      self.shrink, self._overshoot())

    def _overshoot(self):
        """``overshoot``, or the deprecated ``margin`` when that was given."""
        return renamed_parameter(self, "margin", "overshoot", stacklevel=4)

    def __setstate__(self, state):
        # A guard saved before 0.2 holds its overshoot as ``margin``.
        if "overshoot" not in state:
            state = {**state, "overshoot": state.get("margin", np.inf),
                     "margin": "deprecated"}
        super().__setstate__(state)
