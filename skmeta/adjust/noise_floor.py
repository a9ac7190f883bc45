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
may gain at most a share of it (``share``, default :data:`NOISE_SHARE`) is
redundant. Until a strategy has two complete evaluations nothing bounds it,
except that the very same configuration never gains anything.

The default share is 0: only the same configuration again, or any
configuration of a strategy whose evaluations all scored the same (its
steepest change is 0), is redundant. Skipping more cost test score (see
:data:`NOISE_SHARE`).
"""

from __future__ import annotations

import numpy as np

from skmeta.evaluation import standard_error

__all__ = ["NoiseFloor"]

#: A proposal is redundant when what it may gain is at most this share of
#: the noise. Measured on the selection benchmark's quick slice (2 seeds, 36
#: classification and 24 regression pairs, skmeta-10), against share 0: at
#: the whole noise (1.0) the search spread to costlier learners and lost
#: 0.001 of mean test score on both tasks; at a quarter (0.25) it settled
#: the strategies that led and lost 0.0056 on classification (3 pairs
#: better, 8 worse) and 0.0016 on regression (6 better, 7 worse). The bound
#: is too loose to tell a tie from a step that leads somewhere.
NOISE_SHARE = 0.0


class NoiseFloor:
    """The complete evaluations of one search, and which proposals they make redundant.

    Parameters
    ----------
    share : float, default=NOISE_SHARE
        A proposal that may gain at most this share of the noise is
        redundant; at 0, only a repeat (or a strategy whose scores never
        moved) is.

    Examples
    --------
    >>> from skmeta.adjust.noise_floor import NoiseFloor
    >>> floor = NoiseFloor(share=0.25)
    >>> floor.add(0, [0.2], 0.700, [0.68, 0.72, 0.70])
    >>> floor.add(0, [0.6], 0.701, [0.69, 0.71, 0.703])
    >>> floor.redundant(0, [0.4])   # at most 0.0005 to gain; noise / 4 is 0.002
    True
    >>> floor.redundant(1, [0.4])   # nothing is known of strategy 1
    False
    >>> default = NoiseFloor()
    >>> default.add(0, [0.2], 0.700, [0.68, 0.72, 0.70])
    >>> default.add(0, [0.6], 0.701, [0.69, 0.71, 0.703])
    >>> default.redundant(0, [0.4]), default.redundant(0, [0.6])  # only the repeat
    (False, True)
    """

    def __init__(self, share=NOISE_SHARE):
        self.share = share
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
        return noise is not None and bool(gain <= self.share * noise)
