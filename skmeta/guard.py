"""A regressor's guard against wild predictions: shrinkage and clipping.

On real tables a regression search can end far below the constant
predictor: a heavy-tailed target, a few outliers, a learner that
extrapolates wildly outside the training range. :class:`GuardedRegressor`
wraps the final model and post-processes its predictions::

    center + shrink * (prediction - center), clipped to
    [low - overshoot * (high - low), high + overshoot * (high - low)]

where ``center`` is the (weighted) mean of the training target and
``[low, high]`` its range. ``shrink = 0`` is the constant predictor and
``shrink = 1, overshoot = inf`` the model as it is. :func:`choose_guard` picks
the pair by cross-validation, on the out-of-fold predictions the search
already has (each fold guarded with its own training rows' mean and range),
so the guard costs no fit; on a tie the lighter touch wins, so a model the
guard cannot improve is left as it is.

(``overshoot`` was called ``margin`` before 0.2; skmeta's other margin is
the fold race's promotion margin.)
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin

from skmeta._deprecation import renamed_attributes, renamed_parameter
from skmeta.evaluation import score_predictions

__all__ = ["OVERSHOOTS", "SHRINKS", "GuardedRegressor", "choose_guard", "target_summary"]

#: Shrinkage factors toward the training mean :func:`choose_guard` tries
#: (1: none; 0: the constant predictor).
SHRINKS = (1.0, 0.75, 0.5, 0.25, 0.0)

#: How far predictions may overshoot the training target range, as a
#: fraction of its width, on either side (inf: no clipping).
OVERSHOOTS = (np.inf, 0.5, 0.1, 0.0)


__getattr__ = renamed_attributes(__name__, {"MARGINS": "OVERSHOOTS"})


def _guard(predictions, center, low, high, shrink, overshoot):
    guarded = center + shrink * (np.asarray(predictions, dtype=float) - center)
    if np.isfinite(overshoot):
        width = high - low
        guarded = np.clip(guarded, low - overshoot * width, high + overshoot * width)
    return guarded


def target_summary(y, sample_weight=None):
    """A target's (weighted) mean, minimum and maximum: what a guard needs.

    Examples
    --------
    >>> from skmeta.guard import target_summary
    >>> target_summary([0.0, 10.0], sample_weight=[1, 9])
    (9.0, 0.0, 10.0)
    """
    y = np.asarray(y, dtype=float)
    center = float(np.average(y, weights=sample_weight))
    return center, float(np.min(y)), float(np.max(y))


def choose_guard(oof_predictions, y, splits, scoring="r2", sample_weight=None):
    """The shrinkage and overshoot that score best on out-of-fold predictions.

    Parameters
    ----------
    oof_predictions : ndarray of shape (n_samples,)
        Each row predicted by a model that did not see it.
    y : ndarray of shape (n_samples,)
    splits : list of (train, test)
        The folds that made the predictions: each fold is guarded with its
        training rows' mean and range.
    scoring : str, default="r2"
    sample_weight : ndarray of shape (n_samples,), optional

    Returns
    -------
    dict
        ``shrink``, ``overshoot``, ``score`` (the guarded out-of-fold score)
        and ``unguarded_score``; ``margin`` too, the same as ``overshoot``
        (its name before 0.2; it goes in 0.3).

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
    rows = [test for _, test in splits]
    summaries = [
        target_summary(y[train], None if sample_weight is None else sample_weight[train])
        for train, _ in splits
    ]
    covered = np.concatenate(rows)
    weights = None if sample_weight is None else sample_weight[covered]

    def score(shrink, overshoot):
        guarded = np.concatenate([
            _guard(oof_predictions[test], *summary, shrink, overshoot)
            for test, summary in zip(rows, summaries, strict=True)
        ])
        return score_predictions(y[covered], guarded, "regression", scoring,
                                 sample_weight=weights)

    # Lighter touches first: on a tie the earlier pair is kept.
    best = {"shrink": 1.0, "overshoot": np.inf, "score": score(1.0, np.inf)}
    unguarded = best["score"]
    for shrink in SHRINKS:
        for overshoot in OVERSHOOTS:
            value = score(shrink, overshoot)
            if value > best["score"] + 1e-12:
                best = {"shrink": shrink, "overshoot": overshoot, "score": value}
    return {**best, "margin": best["overshoot"], "unguarded_score": unguarded}


class GuardedRegressor(RegressorMixin, BaseEstimator):
    """A fitted regressor whose predictions are shrunk and clipped.

    Parameters
    ----------
    regressor : fitted regressor
    center, low, high : float
        The training target's (weighted) mean, minimum and maximum.
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
