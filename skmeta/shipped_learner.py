"""Deprecated alias of :mod:`skmeta.learner.from_shipped_file`.

.. deprecated:: 0.2
   Import :func:`~skmeta.learner.from_shipped_file.shipped_meta_learner` and
   :func:`~skmeta.learner.from_shipped_file.learner_state` from
   :mod:`skmeta.learner.from_shipped_file`; this module goes in 0.3.
"""

import warnings

from skmeta.learner.from_shipped_file import learner_state, shipped_meta_learner

__all__ = ["learner_state", "shipped_meta_learner"]

warnings.warn(
    "skmeta.shipped_learner is deprecated and will be removed in 0.3; "
    "import from skmeta.learner.from_shipped_file instead.",
    FutureWarning, stacklevel=2,
)
