"""Model fusion: greedy ensemble selection on out-of-fold predictions.

Caruana et al. (2004), "Ensemble selection from libraries of models": start
from an empty ensemble and, ``ensemble_size`` times, add (with replacement)
the model whose addition gives the best score of the averaged out-of-fold
predictions. The number of times a model was picked, divided by
``ensemble_size``, is its weight. A member whose refit is expensive stays
only if it adds more than the noise of a cross-validated score
(:func:`members_that_pay`).
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

from skmeta.evaluation import score_predictions

__all__ = ["FusedClassifier", "FusedRegressor", "ensemble_selection", "members_that_pay"]

#: A member whose refit takes more than this many times the median member's
#: is expensive: it must pay for its refit (:func:`members_that_pay`).
EXPENSIVE_FACTOR = 2.0


def ensemble_selection(predictions, y, task, scoring, ensemble_size, classes=None,
                       sample_weight=None, should_stop=None):
    """Weights of a greedy ensemble selection with replacement.

    Parameters
    ----------
    predictions : list of ndarray
        Out-of-fold predictions of each candidate: class probabilities of
        shape (n_samples, n_classes) or values of shape (n_samples,).
    y : ndarray of shape (n_samples,)
    task : {"binary", "multiclass", "regression"}
    scoring : str
        A metric of :data:`skmeta.evaluation.SCORINGS`.
    ensemble_size : int
        Number of picks.
    classes : ndarray, optional
        Column order of the probabilities.
    sample_weight : ndarray of shape (n_samples,), optional
        Weights of the rows in the metric.
    should_stop : callable, optional
        Asked before every pick after the first; when it returns True the
        selection stops with the picks so far (a time budget's clock).

    Returns
    -------
    ndarray of shape (n_candidates,)
        Weights summing to 1.

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.ensemble import ensemble_selection
    >>> y = np.array([0.0, 1.0, 2.0, 3.0])
    >>> good, bad = y + 0.1, y[::-1].copy()
    >>> ensemble_selection([good, bad], y, "regression", "r2", 5).tolist()
    [1.0, 0.0]
    """
    if ensemble_size < 1:
        raise ValueError(f"ensemble_size must be >= 1, got {ensemble_size}.")
    if not predictions:
        raise ValueError("no candidate predictions to select from.")
    stacked = np.stack([np.asarray(p, dtype=float) for p in predictions])
    score = _scorer(np.asarray(y), task, scoring, classes, sample_weight)
    counts = np.zeros(len(stacked))
    running = np.zeros_like(stacked[0])
    for picked in range(ensemble_size):
        if picked and should_stop is not None and should_stop():
            break
        scores = [score((running * picked + candidate) / (picked + 1))
                  for candidate in stacked]
        best = int(np.argmax(scores))  # ties: the earlier (better ranked) one
        counts[best] += 1
        running = (running * picked + stacked[best]) / (picked + 1)
    return counts / counts.sum()


def members_that_pay(predictions, weights, costs, y, task, scoring, noise,
                     classes=None, sample_weight=None):
    """``weights`` without the expensive members that do not pay for their refit.

    A member is expensive when its refit takes more than
    :data:`EXPENSIVE_FACTOR` times the median member's. It stays only if the
    ensemble's out-of-fold score without it falls by more than ``noise``
    (the standard error of a cross-validated score). Members are weighed
    most expensive first; the weights left are scaled to sum to 1.

    Parameters
    ----------
    predictions : list of ndarray
        Out-of-fold predictions of each candidate (as for
        :func:`ensemble_selection`).
    weights : array-like of shape (n_candidates,)
        The selection's weights.
    costs : array-like of shape (n_candidates,)
        Predicted seconds of each candidate's refit, or of anything
        proportional to them (NaN: unknown, never expensive).
    y, task, scoring, classes, sample_weight
        As for :func:`ensemble_selection`.
    noise : float
        The score a member must add to stay.

    Returns
    -------
    ndarray of shape (n_candidates,)

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.ensemble import members_that_pay
    >>> y = np.array([0.0, 1.0, 2.0, 3.0])
    >>> cheap, slow = y + 0.1, y - 0.1   # together exact, each 0.1 off
    >>> members_that_pay([cheap, cheap, slow], [0.25, 0.25, 0.5], [0.1, 0.1, 5.0],
    ...                  y, "regression", "r2", noise=0.05).tolist()
    [0.5, 0.5, 0.0]
    >>> members_that_pay([cheap, cheap, slow], [0.25, 0.25, 0.5], [0.1, 0.1, 5.0],
    ...                  y, "regression", "r2", noise=0.001).tolist()
    [0.25, 0.25, 0.5]
    """
    weights = np.asarray(weights, dtype=float).copy()
    seconds = np.asarray(costs, dtype=float)
    stacked = np.stack([np.asarray(p, dtype=float) for p in predictions])
    score = _scorer(np.asarray(y), task, scoring, classes, sample_weight)

    def fused(w):
        return np.tensordot(w / w.sum(), stacked, axes=1)

    members = np.flatnonzero(weights)
    known = members[np.isfinite(seconds[members])]
    if len(known) < 2:
        return weights / weights.sum()
    expensive = EXPENSIVE_FACTOR * np.median(seconds[known])
    current = score(fused(weights))
    for member in sorted(known, key=lambda i: (-seconds[i], i)):
        if not seconds[member] > expensive or np.count_nonzero(weights) == 1:
            continue
        without = weights.copy()
        without[member] = 0.0
        score_without = score(fused(without))
        if current - score_without <= noise:
            weights, current = without, score_without
    return weights / weights.sum()


def _scorer(y, task, scoring, classes, sample_weight=None):
    """``predictions -> score`` for one target.

    Selection scores ``ensemble_size * n_candidates`` averages, so the common
    unweighted metrics are computed here with numpy, without scikit-learn's
    input validation (which costs more than the metric); the others go
    through :func:`~skmeta.evaluation.score_predictions`.
    """
    if sample_weight is not None:
        return lambda p: score_predictions(y, p, task, scoring, classes, sample_weight)
    if task == "regression":
        errors = {
            "neg_mean_squared_error": lambda e: -np.mean(e**2),
            "neg_root_mean_squared_error": lambda e: -np.sqrt(np.mean(e**2)),
            "neg_mean_absolute_error": lambda e: -np.mean(np.abs(e)),
        }
        total = np.sum((y - y.mean()) ** 2)
        if scoring == "r2" and total > 0:
            return lambda p: float(1.0 - np.sum((y - p) ** 2) / total)
        if scoring in errors:
            return lambda p: float(errors[scoring](y - p))
    else:
        classes = np.unique(y) if classes is None else np.asarray(classes)
        codes = np.searchsorted(classes, y)
        if scoring == "accuracy":
            return lambda p: float(np.mean(np.argmax(p, axis=1) == codes))
        if scoring == "balanced_accuracy":
            members = [(k, codes == k) for k in np.unique(codes)]
            return lambda p: float(np.mean([
                np.mean(np.argmax(p[rows], axis=1) == k) for k, rows in members
            ]))
    return lambda p: score_predictions(y, p, task, scoring, classes)


class _Fused(BaseEstimator):
    """A weighted average of fitted models (not refitted by ``fit``)."""

    def __init__(self, estimators, weights):
        self.estimators = estimators
        self.weights = weights

    def fit(self, X, y=None):
        return self


class FusedClassifier(ClassifierMixin, _Fused):
    """Average the class probabilities of fitted classifiers with weights.

    Members without ``predict_proba`` contribute one-hot votes.
    """

    def __init__(self, estimators, weights, classes):
        super().__init__(estimators, weights)
        self.classes = classes

    @property
    def classes_(self):
        return np.asarray(self.classes)

    def predict_proba(self, X):
        classes = self.classes_
        total = np.zeros((X.shape[0], len(classes)))
        for model, weight in zip(self.estimators, self.weights):
            if hasattr(model, "predict_proba"):
                proba = np.asarray(model.predict_proba(X), dtype=float)
                positions = np.searchsorted(classes, model.classes_)
                total[:, positions] += weight * proba
            else:
                labels = np.asarray(model.predict(X))
                total += weight * (labels[:, None] == classes[None, :])
        return total / np.sum(self.weights)

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class FusedRegressor(RegressorMixin, _Fused):
    """Weighted average of the predictions of fitted regressors."""

    def predict(self, X):
        total = sum(w * np.asarray(m.predict(X), dtype=float)
                    for m, w in zip(self.estimators, self.weights))
        return total / np.sum(self.weights)
