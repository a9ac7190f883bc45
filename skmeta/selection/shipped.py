"""Deprecated alias of :mod:`skmeta.selection.meta_models_file`.

.. deprecated:: 0.1
   Import from :mod:`skmeta.selection.meta_models_file` (the ``meta_models.npz``
   format); this module goes in the next release.
"""

import warnings

from skmeta.selection.meta_models_file import (
    BUILD_SCRIPT,
    FILENAME,
    FORMAT,
    FORMAT_VERSION,
    ShippedModels,
    disabled,
    knowledge_base_signature,
    save_meta_models,
    shipped_models_path,
)

__all__ = [
    "BUILD_SCRIPT",
    "FILENAME",
    "FORMAT",
    "FORMAT_VERSION",
    "ShippedModels",
    "disabled",
    "knowledge_base_signature",
    "save_meta_models",
    "shipped_models_path",
]

warnings.warn(
    "skmeta.selection.shipped is deprecated and will be removed in the next release; "
    "import from skmeta.selection.meta_models_file instead.",
    FutureWarning, stacklevel=2,
)
