"""Proposing the next configuration of one strategy.

Each strategy keeps a Gaussian search distribution over its normalized
hyperparameter space (every dimension mapped to [0, 1]). Its mean starts at
the configuration that did best on the most similar stored datasets; the
first proposals are those warm starts themselves. After that, a proposal is a
sample around the mean with standard deviation ``step_size`` on the continuous
dimensions (categorical ones keep the mean's value), and every result moves
the mean along the natural-gradient (REINFORCE) direction of the expected
score, ``advantage * (x - mean)``: towards configurations that beat the
baseline, away from those that did not.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ConfigurationProposer"]

#: How many warm-start configurations are tried before gradient proposals.
N_WARM_STARTS = 2


class ConfigurationProposer:
    """Warm starts, then gradient-guided Gaussian proposals, for one strategy.

    Parameters
    ----------
    strategy : Strategy
    warm_starts : list of dict
        Configurations to try first, best first; the strategy's default
        configuration when empty.
    step_size : float
        Standard deviation of proposals in the normalized space.
    rng : numpy.random.Generator

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.adjust.proposals import ConfigurationProposer
    >>> from skmeta.strategies import default_portfolio
    >>> knn = {s.name: s for s in default_portfolio("binary")}["knn"]
    >>> proposer = ConfigurationProposer(knn, [], 0.2, np.random.default_rng(0))
    >>> proposer.propose() == knn.default_config()
    True
    """

    def __init__(self, strategy, warm_starts, step_size, rng):
        self.strategy = strategy
        self.step_size = step_size
        self.rng = rng
        space = strategy.space
        queue = list(warm_starts)[:N_WARM_STARTS] or [strategy.default_config()]
        self._queue = queue
        self._mask = np.asarray(space.continuous_mask, dtype=bool)
        self.mean = np.asarray(space.to_vector(queue[0]), dtype=float)
        self.proposed = []
        self.evaluated = []

    def propose(self):
        """The next configuration to evaluate (not one proposed before, if possible)."""
        config = self._next()
        self.proposed.append(config)
        return config

    def _next(self):
        while self._queue:
            config = self._queue.pop(0)
            if config not in self.proposed:
                return config
        if len(self.mean) == 0 or not self._mask.any():
            return self._resample_categorical()
        for _ in range(10):
            noise = self.rng.standard_normal(len(self.mean)) * self.step_size
            vector = np.clip(self.mean + noise * self._mask, 0.0, 1.0)
            config = self.strategy.space.from_vector(vector)
            if config not in self.proposed:
                return config
        return config

    def _resample_categorical(self):
        """Spaces with nothing continuous: sample afresh."""
        if len(self.strategy.space) == 0:
            return self.strategy.default_config()
        return self.strategy.space.sample(self.rng)

    def tell(self, config, advantage):
        """Move the mean after ``config`` got ``advantage`` (see the policy)."""
        best_so_far = all(advantage > seen for _, seen in self.evaluated)
        self.evaluated.append((config, advantage))
        if len(self.mean) == 0:
            return
        vector = np.asarray(self.strategy.space.to_vector(config), dtype=float)
        rate = float(np.clip(0.5 * advantage, -0.5, 1.0))
        moved = np.clip(self.mean + rate * (vector - self.mean), 0.0, 1.0)
        # Categorical values cannot move by degrees: follow the best config.
        categorical = vector if best_so_far else self.mean
        self.mean = np.where(self._mask, moved, categorical)
