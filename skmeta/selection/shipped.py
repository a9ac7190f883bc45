"""Deprecated alias of :mod:`skmeta.selection.meta_models_file`.

.. deprecated:: 0.2
   Import from :mod:`skmeta.selection.meta_models_file` (the ``meta_models.npz``
   format); this module goes in 0.3.
"""

import warnings

from skmeta.selection import meta_models_file as _renamed
from skmeta.selection.meta_models_file import *  # noqa: F403 - the same public names

__all__ = list(_renamed.__all__)

warnings.warn(
    "skmeta.selection.shipped is deprecated and will be removed in 0.3; "
    "import from skmeta.selection.meta_models_file instead.",
    FutureWarning, stacklevel=2,
)
