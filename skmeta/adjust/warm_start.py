"""Where the adjuster starts: a prior over strategies, configurations to try
first, and the zero-shot pick, from the meta-models' predictions.

Each candidate (a stored strategy and configuration) has a predicted
normalized score and, when a cost model is there, a predicted ``log2`` cost.
Its *utility* is

    predicted score - cost_weight * (log2 cost - median log2 cost)

so that with ``cost_weight = 0.1`` a candidate twice as slow as the median
must be predicted 0.1 better to rank the same. A strategy's prior is its best
utility and its warm starts are its candidates by utility. The first
evaluation (the zero-shot recommendation) ignores cost: it is the candidate
with the best predicted score, since a single evaluation is cheap whatever
it is and zero-shot quality is what it is judged on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["WarmStart", "warm_start_from_predictions"]


@dataclass
class WarmStart:
    """The adjuster's starting point on one dataset.

    Attributes
    ----------
    prior : ndarray of shape (n_strategies,)
        Best utility of each strategy (NaN for a strategy without candidates).
    configurations : dict
        Strategy name -> configurations to try first, best utility first
        (the zero-shot strategy's list starts with the zero-shot pick).
    first : int or None
        Index of the strategy of the zero-shot pick: the best predicted
        score, a strategy without predictions counting as 0 (the median);
        None when nothing is predicted (then the prior's best).
    """

    prior: np.ndarray
    configurations: dict
    first: int | None = None


def warm_start_from_predictions(portfolio, strategies, configs, predicted,
                                log_cost=None, cost_weight=0.0):
    """Prior, warm starts and zero-shot pick from per-candidate predictions.

    Parameters
    ----------
    portfolio : list of Strategy
    strategies : list of str
        Candidate strategy names.
    configs : list of dict
        Candidate configurations.
    predicted : array-like of shape (n_candidates,)
        Predicted normalized scores.
    log_cost : array-like of shape (n_candidates,), optional
        Predicted ``log2`` seconds (NaN: unknown, counted as the median).
    cost_weight : float, default=0.0

    Returns
    -------
    WarmStart

    Examples
    --------
    >>> from skmeta.adjust.warm_start import warm_start_from_predictions
    >>> from skmeta.strategies import default_portfolio
    >>> portfolio = default_portfolio("regression")[3:5]     # ridge, svm_rbf
    >>> start = warm_start_from_predictions(
    ...     portfolio, ["ridge", "svm_rbf"], [{"alpha": 1.0}, {}], [0.5, 0.6],
    ...     log_cost=[-5.0, 1.0], cost_weight=0.1)
    >>> start.prior.round(2).tolist()     # svm_rbf is 64 times slower
    [0.8, 0.3]
    >>> portfolio[start.first].name        # but the zero-shot pick is the best
    'svm_rbf'
    """
    predicted = np.asarray(predicted, dtype=float)
    utility = predicted.copy()
    if log_cost is not None and cost_weight > 0:
        log_cost = np.asarray(log_cost, dtype=float)
        if np.isfinite(log_cost).any():
            relative = log_cost - np.nanmedian(log_cost)
            utility = utility - cost_weight * np.nan_to_num(relative, nan=0.0)
    names = [s.name for s in portfolio]
    prior = np.full(len(portfolio), np.nan)
    best_predicted = np.full(len(portfolio), np.nan)
    best_config = {}
    configurations = {}
    for index, name in enumerate(names):
        rows = [j for j, s in enumerate(strategies) if s == name]
        if not rows:
            continue
        top = max(rows, key=lambda j: predicted[j])
        best_predicted[index], best_config[name] = predicted[top], configs[top]
        rows.sort(key=lambda j: -utility[j])
        prior[index] = utility[rows[0]]
        configurations[name] = [configs[j] for j in rows]
    if not configurations:
        return WarmStart(prior, configurations)
    # As the adjuster picks without cost: a strategy without prediction
    # counts as the median (0).
    first = int(np.argmax(np.nan_to_num(best_predicted, nan=0.0)))
    name = names[first]
    if name in configurations:
        rest = [c for c in configurations[name] if c is not best_config[name]]
        configurations[name] = [best_config[name], *rest]
    return WarmStart(prior, configurations, first)
