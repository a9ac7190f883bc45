"""Deprecated alias of :mod:`skmeta.fold_race`.

.. deprecated:: 0.2
   Import :class:`~skmeta.fold_race.FoldRace` and :class:`~skmeta.fold_race.Clock`
   from :mod:`skmeta.fold_race`; this module goes in 0.3.
"""

import warnings

from skmeta.fold_race import (
    Clock,
    FoldRace,
    Record,
    first_batch_threshold,
    promotion_threshold,
)

__all__ = ["Clock", "FoldRace", "Record", "first_batch_threshold", "promotion_threshold"]

warnings.warn(
    "skmeta.search is deprecated and will be removed in 0.3; "
    "import from skmeta.fold_race instead.",
    FutureWarning, stacklevel=2,
)
