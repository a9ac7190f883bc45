"""The softmax policy over strategies and its gradient update.

Preferences ``H`` (one per strategy) define the policy
``pi = softmax(H / temperature)``. After strategy ``A`` scored ``J``, every
preference moves by the policy-gradient (gradient-bandit) rule

    H[a] += learning_rate * advantage * (1[a == A] - pi[a])

where ``advantage`` is ``J`` minus a running baseline (the mean score so far),
divided by the spread of the scores seen so far so that one learning rate fits
every metric and dataset.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SoftmaxPolicy", "softmax"]

#: Advantage given to a failed evaluation (error or timeout).
FAILURE_ADVANTAGE = -2.0

#: Preferences are kept within +-this: an infinite one would make the next
#: update (infinity minus infinity) NaN.
LARGEST_PREFERENCE = np.finfo(float).max


def _finite(preferences):
    """``preferences`` with infinities (and overflows) at the largest float."""
    return np.clip(preferences, -LARGEST_PREFERENCE, LARGEST_PREFERENCE)


def softmax(preferences, temperature=1.0):
    """Numerically stable softmax of ``preferences / temperature``.

    Where dividing by the temperature overflows, the largest preference is
    subtracted first, so that no temperature the estimators accept (1e-320
    or 1e308) and no preference (infinite ones tie at the top) makes a
    probability NaN.

    Examples
    --------
    >>> from skmeta.adjust.policy import softmax
    >>> softmax([0.0, 0.0]).tolist()
    [0.5, 0.5]
    >>> bool(softmax([1.0, 0.0], temperature=0.01)[0] > 0.99)
    True
    """
    h = _finite(np.asarray(preferences, dtype=float))
    with np.errstate(over="ignore"):
        z = h / temperature
        if not np.isfinite(z).all():  # overflowed: the best at 0, others to -inf
            z = (h - h.max()) / temperature
        z = np.exp(z - z.max())
    return z / z.sum()


class SoftmaxPolicy:
    """Preferences over strategies, warm-started from a prior.

    Parameters
    ----------
    prior : array-like of shape (n_strategies,)
        Prior preference of every strategy (e.g. predicted normalized scores).
    prior_weight : float
        ``H`` starts at ``prior_weight * prior``; 0 gives a uniform policy.
    temperature : float
    learning_rate : float

    Examples
    --------
    >>> from skmeta.adjust.policy import SoftmaxPolicy
    >>> policy = SoftmaxPolicy([0.0, 0.0], prior_weight=1.0, temperature=1.0,
    ...                        learning_rate=1.0)
    >>> policy.update(0, 0.9)   # the first score only sets the baseline
    0.0
    >>> policy.update(1, 0.5)   # worse than the baseline: strategy 1 loses
    -3.0
    >>> bool(policy.probabilities()[0] > 0.5)
    True
    """

    def __init__(self, prior, prior_weight, temperature, learning_rate):
        prior = np.asarray(prior, dtype=float)
        if prior.ndim != 1 or len(prior) == 0:
            raise ValueError("prior must be a non-empty 1-d array.")
        with np.errstate(over="ignore"):
            self.preferences = _finite(prior_weight * _finite(np.nan_to_num(prior)))
        self.temperature = temperature
        self.learning_rate = learning_rate
        self.scores = []

    def probabilities(self):
        """The current policy ``pi``."""
        return softmax(self.preferences, self.temperature)

    def advantage(self, score):
        """``(score - baseline) / spread`` against the scores seen so far."""
        if score is None or not np.isfinite(score):
            return FAILURE_ADVANTAGE
        if not self.scores:
            return 0.0
        seen = np.asarray(self.scores)
        spread = seen.std() if len(seen) > 1 else 0.0
        if spread <= 0:
            spread = max(abs(seen.mean()) * 0.05, 1e-3)
        return float(np.clip((score - seen.mean()) / spread, -3.0, 3.0))

    def update(self, chosen, score):
        """Apply the gradient-bandit update for one evaluated strategy."""
        advantage = self.advantage(score)
        pi = self.probabilities()
        indicator = np.zeros_like(pi)
        indicator[chosen] = 1.0
        with np.errstate(over="ignore", invalid="ignore"):
            step = self.learning_rate * advantage * (indicator - pi)
            # A huge learning rate overflows to infinity, and infinity times
            # the zero change of a strategy of no probability is NaN: none.
            step = np.where(np.isnan(step), 0.0, step)
            self.preferences = _finite(self.preferences + step)
        if score is not None and np.isfinite(score):
            self.scores.append(float(score))
        return advantage
