"""Deprecated alias of :mod:`skmeta.knowledge.default_knowledge_base`.

.. deprecated:: 0.2
   Import :func:`~skmeta.knowledge.default_knowledge_base.load_default`,
   ``DEFAULT_FILENAME`` and ``BUILD_SCRIPT`` from
   :mod:`skmeta.knowledge.default_knowledge_base`; this module goes in 0.3.
"""

import warnings

from skmeta.knowledge.default_knowledge_base import (
    BUILD_SCRIPT,
    DEFAULT_FILENAME,
    load_default,
)

__all__ = ["BUILD_SCRIPT", "DEFAULT_FILENAME", "load_default"]

warnings.warn(
    "skmeta.knowledge.shipped is deprecated and will be removed in 0.3; "
    "import from skmeta.knowledge.default_knowledge_base instead.",
    FutureWarning, stacklevel=2,
)
