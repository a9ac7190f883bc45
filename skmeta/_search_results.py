"""The results of a MetaClassifier / MetaRegressor search, as scikit-learn shows them.

A fitted estimator keeps ``trace_``, the ordered story of its search (one
row per evaluation). This module derives from it what a scikit-learn search
(``GridSearchCV``, ``RandomizedSearchCV``) offers: ``cv_results_``, the
candidates' ``params``, and the search's scorer (``scorer_``).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy.stats import rankdata

from skmeta.adjust.adjuster import trace_row
from skmeta.evaluation import SCORINGS

__all__ = ["SearchScorer", "cv_results", "unscored_row", "search_params"]


def search_params(strategy, config):
    """The parameters of one candidate: its strategy and its configuration.

    Parameters
    ----------
    strategy : str
        The strategy's name (see :mod:`skmeta.strategies`).
    config : dict
        The strategy's hyperparameters, as its ``build`` takes them.

    Returns
    -------
    dict
        ``{"strategy": strategy, **config}``: ``"strategy"`` first, then the
        configuration's hyperparameters by name. ``Strategy.build`` takes
        the dict without its ``"strategy"`` key.

    Examples
    --------
    >>> from skmeta._search_results import search_params
    >>> search_params("ridge", {"alpha": 0.5})
    {'strategy': 'ridge', 'alpha': 0.5}
    """
    return {"strategy": strategy, **config}


def unscored_row(evaluation, strategy, config, fit_seconds, error="", *,
                 step=None, probabilities=None, seconds=None):
    """A ``trace_`` row for a model fitted once on all its rows, not scored.

    The zero-shot fit (``n_evaluations=1``) and the model of last resort of
    a budgeted fit are such fits; their rows have the columns of the rows
    of the search's fold race (:func:`~skmeta.adjust.adjuster.trace_row`),
    with no score and no fold.

    Parameters
    ----------
    evaluation : int
        The row's position in ``trace_``.
    strategy : str
    config : dict
    fit_seconds : float
    error : str, default=""
        Why the fit failed ("" if it did not).
    step, probabilities, seconds : optional
        The adjuster's step and policy (strategy name -> pi) when the fit
        was its proposal, and the seconds since the search started; left
        out of the row when None.

    Returns
    -------
    dict
    """
    result = {"score": np.nan, "fold_scores": [], "n_folds": 0, "promoted": False,
              "status": "error" if error else "ok", "error": error,
              "fit_seconds": fit_seconds, "predict_seconds": 0.0}
    return trace_row(evaluation, strategy, config, result, step=step,
                     probabilities=probabilities, seconds=seconds)


def cv_results(trace, n_splits):
    """``cv_results_`` of a search: one array per key, one entry per ``trace_`` row.

    Parameters
    ----------
    trace : DataFrame
        The search's ``trace_``.
    n_splits : int
        Folds of the search's cross-validation (0 when nothing was
        cross-validated).

    Returns
    -------
    dict of str to ndarray
        scikit-learn's keys where they apply:

        - ``params``: list of dicts, :func:`search_params` of each row;
        - ``param_<name>``: masked arrays, masked where a row's
          configuration has no such hyperparameter (``param_strategy`` is
          never masked);
        - ``split<k>_test_score``: the score on fold ``k``, NaN where that
          fold was not run (a proposal left at its first fold, a failure);
        - ``mean_test_score``, ``std_test_score``: over the folds, NaN unless
          the proposal was scored on every fold (as scikit-learn gives NaN
          for a failed fit); ``mean_test_score`` is ``trace_["score"]`` for
          those, and ``trace_`` keeps the search's estimate for the others;
        - ``rank_test_score``: 1 for the best mean, NaN means tied last;
        - ``mean_fit_time``, ``mean_score_time``: seconds per fold (of the
          whole fit for a row without folds);

        and skmeta's own ``strategy``, ``n_folds`` (folds run) and
        ``status``.

    Examples
    --------
    >>> import pandas as pd
    >>> from skmeta._search_results import cv_results
    >>> trace = pd.DataFrame({
    ...     "strategy": ["ridge", "lasso"], "config": [{"alpha": 1.0}, {"alpha": 0.1}],
    ...     "score": [0.5, 0.61], "fold_scores": [[0.4, 0.6], [0.6]],
    ...     "n_folds": [2, 1], "promoted": [True, False], "status": ["ok", "ok"],
    ...     "fit_seconds": [0.2, 0.1], "predict_seconds": [0.02, 0.01]})
    >>> results = cv_results(trace, n_splits=2)
    >>> results["split1_test_score"]
    array([0.6, nan])
    >>> results["mean_test_score"], results["rank_test_score"]
    (array([0.5, nan]), array([1, 2], dtype=int32))
    """
    n_rows = len(trace)
    folds = np.full((n_rows, n_splits), np.nan)
    for i, scores in enumerate(trace["fold_scores"]):
        folds[i, :len(scores)] = scores
    complete = (trace["promoted"].to_numpy(dtype=bool)
                & (trace["status"] == "ok").to_numpy())
    mean = np.where(complete, trace["score"].to_numpy(dtype=float), np.nan)
    std = np.where(complete, np.std(folds, axis=1), np.nan) if n_splits else mean.copy()
    per_fold = np.maximum(trace["n_folds"].to_numpy(dtype=float), 1.0)
    params = [search_params(strategy, dict(config)) for strategy, config
              in zip(trace["strategy"], trace["config"], strict=True)]
    results = {
        "mean_fit_time": trace["fit_seconds"].to_numpy(dtype=float) / per_fold,
        "mean_score_time": trace["predict_seconds"].to_numpy(dtype=float) / per_fold,
        **_param_columns(params),
        "params": params,
        **{f"split{k}_test_score": folds[:, k] for k in range(n_splits)},
        "mean_test_score": mean,
        "std_test_score": std,
        "rank_test_score": _rank(mean),
        "strategy": trace["strategy"].to_numpy(dtype=object),
        "n_folds": trace["n_folds"].to_numpy(dtype=int),
        "status": trace["status"].to_numpy(dtype=object),
    }
    return results


def _param_columns(params):
    """``param_<name>`` masked arrays, masked where a candidate lacks ``name``
    (object dtype unless every value is a number, as scikit-learn does)."""
    by_name = defaultdict(dict)
    for index, candidate in enumerate(params):
        for name, value in candidate.items():
            by_name[f"param_{name}"][index] = value
    columns = {}
    for key, values in by_name.items():
        try:
            inferred = np.array(list(values.values()))
            numbers = inferred.dtype.kind in "biuf" and inferred.ndim == 1
            dtype = inferred.dtype if numbers else object
        except ValueError:  # sequences of different lengths
            dtype = object
        column = np.ma.MaskedArray(np.empty(len(params), dtype=dtype), mask=True)
        for index, value in values.items():
            column[index] = value  # unmasks it
        columns[key] = column
    return columns


def _rank(means):
    """Ranks of the means, best 1; NaN ranks tied last (scikit-learn's rule)."""
    if np.isnan(means).all():
        return np.ones(len(means), dtype=np.int32)
    filled = np.where(np.isnan(means), np.nanmin(means) - 1, means)
    return rankdata(-filled, method="min").astype(np.int32)


class SearchScorer:
    """The metric of a search, as a scikit-learn scorer: ``scorer(estimator, X, y)``.

    It scores a fitted estimator's predictions as the search scored every
    fold: with the metric named ``scoring`` (see
    :data:`skmeta.evaluation.SCORINGS`), on predicted labels, values or
    class probabilities as the metric needs. ``MetaClassifier.score`` and
    ``MetaRegressor.score`` use it (their ``scorer_``).

    Parameters
    ----------
    scoring : str
        A name of :data:`skmeta.evaluation.SCORINGS`.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skmeta._search_results import SearchScorer
    >>> X, y = load_iris(return_X_y=True)
    >>> model = LogisticRegression(max_iter=1000).fit(X, y)
    >>> scorer = SearchScorer("balanced_accuracy")
    >>> round(scorer(model, X, y), 3)
    0.973
    """

    def __init__(self, scoring):
        self.scoring = scoring

    def __call__(self, estimator, X, y, sample_weight=None):
        spec = SCORINGS[self.scoring]
        classes = getattr(estimator, "classes_", None)
        if spec.needs == "proba":
            predictions = estimator.predict_proba(X)
        else:
            predictions = estimator.predict(X)
        return float(spec.function(np.asarray(y), predictions, classes, sample_weight))

    def __repr__(self):
        return f"SearchScorer({self.scoring!r})"
