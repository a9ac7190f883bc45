"""Deprecated alias of :mod:`skmeta.race_policy`.

.. deprecated:: 0.2
   Import :class:`~skmeta.race_policy.RacingPolicy` and
   :func:`~skmeta.race_policy.learn_racing_policy` from :mod:`skmeta.race_policy`;
   this module goes in 0.3.
"""

import warnings

from skmeta.race_policy import (
    DEFAULT_MARGIN,
    MARGIN_GRID,
    SIZE_BOUNDS,
    RacingPolicy,
    learn_racing_policy,
)
from skmeta.race_policy import simulate_race as replay_race

__all__ = [
    "DEFAULT_MARGIN", "MARGIN_GRID", "RacingPolicy", "SIZE_BOUNDS",
    "learn_racing_policy", "replay_race",
]

warnings.warn(
    "skmeta.racing is deprecated and will be removed in 0.3; "
    "import from skmeta.race_policy instead.",
    FutureWarning, stacklevel=2,
)
