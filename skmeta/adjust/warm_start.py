"""Where the adjuster starts: a prior over strategies, configurations to try
first, and the zero-shot pick, from the meta-models' predictions.

Each candidate (a stored strategy and configuration) has a predicted
normalized score and, when a cost model is there, a predicted ``log2`` cost.
Its *utility* is

    predicted score - cost_weight * (log2 cost - median log2 cost)

so that with ``cost_weight = 0.1`` a candidate twice as slow as the median
must be predicted 0.1 better to rank the same. A strategy's prior is its best
utility and its warm starts are its candidates by utility.

The first evaluation (the zero-shot pick) prices cost too, at its own, lower
weight (``first_cost_weight``, :data:`ZERO_SHOT_COST_WEIGHT` in the
estimators): with 0.05 a candidate predicted 50 times slower than another must
be predicted 0.28 better (in normalized score, where the best stored
configuration of a dataset is 1 and the median 0). Candidates predicted to
need more than ``max_log_cost`` cannot be the first pick while another can.

The *fallbacks* are the cheapest candidates predicted at least as good as the
median (one per strategy, cheapest first): a search proposes them while
every evaluation so far failed, so that one whose first pick ran out of time
still ends with a model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["ZERO_SHOT_COST_WEIGHT", "WarmStart", "warm_start_from_predictions"]

#: Price of predicted cost in the zero-shot pick (normalized score per
#: doubling of the predicted seconds; see the module docstring).
ZERO_SHOT_COST_WEIGHT = 0.05

#: How many fallback candidates a warm start offers.
N_FALLBACKS = 3


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
        Index of the strategy of the zero-shot pick: the best zero-shot
        utility, a strategy without predictions counting as 0 (the median);
        None when nothing is predicted (then the prior's best).
    fallbacks : list of (int, dict)
        (strategy index, configuration) of the cheap candidates to try while
        every evaluation failed, cheapest first.
    """

    prior: np.ndarray
    configurations: dict
    first: int | None = None
    fallbacks: list = field(default_factory=list)


def warm_start_from_predictions(portfolio, strategies, configs, predicted,
                                log_cost=None, cost_weight=0.0, first_cost_weight=0.0,
                                max_log_cost=None):
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
    first_cost_weight : float, default=0.0
        Price of cost in the zero-shot pick; 0 picks the best predicted.
    max_log_cost : float, optional
        Candidates predicted to cost more (``log2`` seconds) are not the
        zero-shot pick while another candidate is not.

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
    relative = np.zeros(len(predicted))
    if log_cost is not None:
        log_cost = np.asarray(log_cost, dtype=float)
        if np.isfinite(log_cost).any():
            relative = np.nan_to_num(log_cost - np.nanmedian(log_cost), nan=0.0)
    utility = predicted - cost_weight * relative
    zero_shot = predicted - first_cost_weight * relative
    if max_log_cost is not None and log_cost is not None:
        # NaN (unknown cost) is allowed: nothing says it is too slow.
        too_slow = np.nan_to_num(log_cost, nan=-np.inf) > max_log_cost
        if not too_slow.all():
            zero_shot = np.where(too_slow, -np.inf, zero_shot)
    names = [s.name for s in portfolio]
    prior = np.full(len(portfolio), np.nan)
    best_zero_shot = np.full(len(portfolio), np.nan)
    best_config = {}
    configurations = {}
    for index, name in enumerate(names):
        rows = [j for j, s in enumerate(strategies) if s == name]
        if not rows:
            continue
        top = max(rows, key=lambda j: zero_shot[j])
        best_zero_shot[index], best_config[name] = zero_shot[top], configs[top]
        rows.sort(key=lambda j: -utility[j])
        prior[index] = utility[rows[0]]
        configurations[name] = [configs[j] for j in rows]
    if not configurations:
        return WarmStart(prior, configurations)
    # As the adjuster picks without predictions: a strategy without one
    # counts as the median (0).
    first = int(np.argmax(np.nan_to_num(best_zero_shot, nan=0.0)))
    name = names[first]
    if name in configurations:
        rest = [c for c in configurations[name] if c is not best_config[name]]
        configurations[name] = [best_config[name], *rest]
    return WarmStart(prior, configurations, first,
                     _fallbacks(names, strategies, configs, predicted, log_cost))


def _fallbacks(names, strategies, configs, predicted, log_cost):
    """The cheapest candidate of each strategy among those predicted at
    least as good as the median, cheapest first (at most :data:`N_FALLBACKS`)."""
    if log_cost is None or not np.isfinite(log_cost).any():
        return []
    sound = [j for j in range(len(strategies))
             if predicted[j] >= 0 and np.isfinite(log_cost[j]) and strategies[j] in names]
    chosen, seen = [], set()
    for j in sorted(sound, key=lambda j: (log_cost[j], -predicted[j])):
        if strategies[j] not in seen:
            seen.add(strategies[j])
            chosen.append((names.index(strategies[j]), configs[j]))
    return chosen[:N_FALLBACKS]
