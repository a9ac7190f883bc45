"""The knowledge base shipped with skmeta, loaded once per process.

:func:`load_default` (what :meth:`KnowledgeBase.default
<skmeta.knowledge.KnowledgeBase.default>` calls) reads
``skmeta/data/knowledge_base.json.gz``, validates it like any imported file,
and keeps the result in memory, read-only, for the rest of the process. It
writes nothing, anywhere: the shipped file is small enough (about 10,000
evaluations) to load in well under a second.

This module builds on :mod:`skmeta.knowledge.store`, never the reverse: it
registers :func:`load_default` with the store when imported (the
``skmeta.knowledge`` package imports it).
"""

from __future__ import annotations

import gc
import io
import threading
from contextlib import contextmanager
from importlib import resources

from skmeta.knowledge.exchange_files import decode_document
from skmeta.knowledge.store import KnowledgeBase, register_default_loader

#: File name of the shipped knowledge base in ``skmeta/data``.
DEFAULT_FILENAME = "knowledge_base.json.gz"
#: The script that builds the shipped knowledge base, in the source tree.
BUILD_SCRIPT = "scripts/build_knowledge_base.py"

_LOADED = {}
_LOCK = threading.Lock()

__all__ = ["BUILD_SCRIPT", "DEFAULT_FILENAME", "load_default"]


def _default_path():
    return resources.files("skmeta") / "data" / DEFAULT_FILENAME


def load_default():
    """The shared, read-only default :class:`~skmeta.knowledge.KnowledgeBase`.

    Raises
    ------
    FileNotFoundError
        If ``skmeta/data/knowledge_base.json.gz`` has not been built.
    """
    resource = _default_path()
    with _LOCK:
        kb = _LOADED.get(str(resource))
        if kb is None:
            kb = _load(resource)
            kb._share()
            _LOADED[str(resource)] = kb
        return kb


@contextmanager
def _gc_paused():
    # Parsing and validating the document creates ~100k containers without
    # cycles; the cyclic collector would scan them again and again, about
    # doubling the load time, and finds nothing to collect.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(resource):
    if not resource.is_file():
        raise FileNotFoundError(
            f"the default knowledge base is not built: {resource} does not "
            f"exist. Build it with {BUILD_SCRIPT} (in the skmeta source tree), "
            "or pass your own KnowledgeBase."
        )
    source = str(resource)
    with _gc_paused():
        document = decode_document(io.BytesIO(resource.read_bytes()), source=source)
        kb = KnowledgeBase()
        kb.import_dict(document, source=source)
    return kb


# KnowledgeBase.default() calls load_default; store.py does not import this
# module, so the two do not import each other.
register_default_loader(load_default)
