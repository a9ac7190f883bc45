"""Which proposals cannot beat what was already evaluated by more than noise.

A cross-validated score is a mean of fold scores, so two evaluations whose
scores differ by less than its standard error are a tie, not a ranking. An
evaluation whose best possible gain over an evaluated neighbour is below that
noise is spent for nothing: on a dataset where ridge's score moves in the
fourth decimal with its ``alpha``, a fifth ridge configuration tells nothing
a sixth would not.

The gain a configuration may bring is bounded from the strategy's own
evaluations: the steepest score change per unit of distance seen between two
of them (in the normalized space, every dimension in [0, 1]), times the
configuration's distance to its nearest evaluated neighbour. The noise is the
median standard error of the complete evaluations so far; a proposal that
may gain at most :data:`NOISE_SHARE` of it is redundant. Until a strategy
has two complete evaluations nothing bounds it, except that the very same
configuration never gains anything.
"""

from __future__ import annotations

import numpy as np

from skmeta.evaluation import standard_error

__all__ = ["NoiseFloor"]

#: A proposal is redundant when what it may gain is at most this share of
#: the noise. At the whole noise (1.0) the search spread to costlier learners
#: without raising the test scores of the selection benchmark's quick slice
#: (2 seeds, 59 pairs: mean test score -0.001 on both tasks, more losses
#: than wins): a gain of a quarter of the noise is still worth a look.
NOISE_SHARE = 0.25


class NoiseFloor:
    """The complete evaluations of one search, and which proposals they make redundant.

    Examples
    --------
    >>> from skmeta.adjust.noise_floor import NoiseFloor
    >>> floor = NoiseFloor()
    >>> floor.add(0, [0.2], 0.700, [0.68, 0.72, 0.70])
    >>> floor.add(0, [0.6], 0.701, [0.69, 0.71, 0.703])
    >>> floor.redundant(0, [0.4])   # at most 0.0005 to gain; noise / 4 is 0.002
    True
    >>> floor.redundant(1, [0.4])   # nothing is known of strategy 1
    False
    """

    def __init__(self):
        self._points = {}  # strategy index -> list of (vector, score)
        self._slopes = {}  # strategy index -> steepest change between two points
        self._errors = []

    def add(self, index, vector, score, fold_scores):
        """Record an evaluation of strategy ``index`` (kept if complete)."""
        error = standard_error(fold_scores)
        if error is None or score is None or not np.isfinite(score):
            return
        self._errors.append(error)
        vector, points = np.asarray(vector, dtype=float), self._points.setdefault(index, [])
        slopes = [abs(score - seen) / np.linalg.norm(vector - v) for v, seen in points
                  if np.linalg.norm(vector - v) > 0]
        if slopes:
            self._slopes[index] = max(slopes + [self._slopes.get(index, 0.0)])
        points.append((vector, float(score)))

    def noise(self):
        """The median standard error of the complete evaluations (None before one)."""
        return float(np.median(self._errors)) if self._errors else None

    def largest_gain(self, index, vector):
        """An upper bound of what ``vector`` may gain over its nearest
        evaluated neighbour of strategy ``index`` (inf when unknown)."""
        points = self._points.get(index, [])
        if not points:
            return np.inf
        vector = np.asarray(vector, dtype=float)
        nearest = min(np.linalg.norm(vector - v) for v, _ in points)
        if nearest == 0.0:
            return 0.0
        return self._slopes.get(index, np.inf) * nearest

    def redundant(self, index, vector):
        """True if ``vector`` cannot gain more than the noise over an
        evaluated configuration of strategy ``index`` (the same
        configuration again never can)."""
        gain = self.largest_gain(index, vector)
        if gain == 0.0:
            return True
        noise = self.noise()
        return noise is not None and bool(gain <= NOISE_SHARE * noise)
