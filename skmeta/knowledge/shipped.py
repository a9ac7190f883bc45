"""Deprecated alias of :mod:`skmeta.knowledge.default_knowledge_base`.

.. deprecated:: 0.1
   Import :func:`~skmeta.knowledge.default_knowledge_base.load_default`,
   ``DEFAULT_FILENAME`` and ``BUILD_SCRIPT`` from
   :mod:`skmeta.knowledge.default_knowledge_base`; this module goes in the next
   release.
"""

import warnings

from skmeta.knowledge.default_knowledge_base import (
    BUILD_SCRIPT,
    DEFAULT_FILENAME,
    load_default,
)

__all__ = ["BUILD_SCRIPT", "DEFAULT_FILENAME", "load_default"]

warnings.warn(
    "skmeta.knowledge.shipped is deprecated and will be removed in the next "
    "release; import from skmeta.knowledge.default_knowledge_base instead.",
    FutureWarning, stacklevel=2,
)
