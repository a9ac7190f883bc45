"""Opening a knowledge base: one rule for the Python API and the command line.

:func:`open_knowledge_base` is the only way skmeta opens what a user gives
as a knowledge base (an estimator's or MetaLearner's ``knowledge_base``, the
command line's ``--kb``): None is the shipped one (except for a
MetaLearner, which meta-trains into a new in-memory one), a
:class:`~skmeta.knowledge.KnowledgeBase` is itself, and a path is opened by
the rule below.

A knowledge base given as a path is recognised by its name and checked
against its content before anything is created:

- A name ending in ``.json`` or ``.json.gz`` is a JSON export. It is read
  into memory, so it must exist, and it is never written: a command that
  stores evaluations needs a SQLite file (``skmeta kb import`` turns an
  export into one). A SQLite database under such a name is refused with a
  message saying what it is.
- Any other name is a SQLite file. Where the knowledge base is only read
  (an estimator's search, ``recommend``, :meth:`MetaLearner.from_knowledge_base
  <skmeta.MetaLearner.from_knowledge_base>`), it must exist and not be
  empty. Where evaluations are written (:meth:`MetaLearner.fit
  <skmeta.MetaLearner.fit>`, an estimator with ``update_knowledge=True``,
  ``skmeta metatrain``, ``skmeta kb import``) a missing file is created. A
  JSON export under such a name is refused with a message saying so.

A file that is none of these (another application's database, text) is
refused by :class:`~skmeta.knowledge.KnowledgeBase` itself.

Only a regular file (or, for a writer, a path that does not exist yet) is a
knowledge base: a device such as ``/dev/null``, a named pipe, a socket, a
folder, a symbolic link to a missing file or a loop of links is refused
before anything opens it
(:func:`~skmeta.knowledge.paths.check_regular_file`).

A SQLite file is only ever opened by SQLite: opening and closing it any
other way while this process holds a connection to it drops the process's
locks (SQLite's "How To Corrupt Your Database Files", section 2.2), so its
content is sniffed only after SQLite has refused it as not a database.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from skmeta.knowledge.paths import check_regular_file, is_export_name
from skmeta.knowledge.schema import on_read_only_storage
from skmeta.knowledge.store import KnowledgeBase

__all__ = ["open_knowledge_base"]

_SQLITE_HEADER = b"SQLite format 3\x00"
_GZIP_MAGIC = b"\x1f\x8b"


def _content(path):
    """What the first bytes of an existing regular file say it is.

    Never for a file this process may hold a SQLite connection to (see the
    module's docstring).
    """
    with open(path, "rb") as file:
        head = file.read(len(_SQLITE_HEADER))
    if not head:
        return "empty"
    if head.startswith(_SQLITE_HEADER):
        return "sqlite"
    if head.startswith(_GZIP_MAGIC) or head.lstrip()[:1] in (b"{", b"["):
        return "json"
    return "other"


def open_knowledge_base(knowledge_base, *, create=False):
    """The :class:`~skmeta.knowledge.KnowledgeBase` a user's value stands for.

    Parameters
    ----------
    knowledge_base : str, bytes, path-like, KnowledgeBase or None
        None is the shipped one (:meth:`KnowledgeBase.default()
        <skmeta.knowledge.KnowledgeBase.default>`, read-only); a
        KnowledgeBase is returned as it is; a path is opened by the rule of
        this module.
    create : bool, default=False
        Whether the caller writes evaluations: a missing SQLite file is then
        created; otherwise it must exist.

    Returns
    -------
    KnowledgeBase

    Raises
    ------
    TypeError
        If ``knowledge_base`` is none of these.
    FileNotFoundError
        If the file (or its folder) does not exist and is not to be created.
    ValueError
        If the name and the content disagree, an export is to be written,
        or the file is empty where it is only read.

    Examples
    --------
    >>> from skmeta.knowledge import KnowledgeBase
    >>> from skmeta.knowledge.opening import open_knowledge_base
    >>> open_knowledge_base(None) is KnowledgeBase.default()
    True
    >>> kb = KnowledgeBase()
    >>> open_knowledge_base(kb) is kb
    True
    """
    if knowledge_base is None:
        return KnowledgeBase.default()
    if isinstance(knowledge_base, KnowledgeBase):
        return knowledge_base
    if isinstance(knowledge_base, bytes):
        knowledge_base = os.fsdecode(knowledge_base)
    if isinstance(knowledge_base, str) or hasattr(knowledge_base, "__fspath__"):
        return _open_path(Path(knowledge_base), create)
    raise TypeError(
        "knowledge_base must be None, a path to a SQLite file or a JSON export, "
        f"or a KnowledgeBase, got {type(knowledge_base).__name__}."
    )


def _open_path(path, create):
    """The knowledge base at ``path``, by the rule of this module."""
    exists = check_regular_file(path)
    if is_export_name(path):
        if exists and _content(path) == "sqlite":
            raise ValueError(
                f"{path} is a SQLite database, not a JSON export, despite its "
                "name; rename it (e.g. to .sqlite) to use it."
            )
        if create:
            raise ValueError(
                f"{path} is a JSON export (by its name), which is read, never "
                "written; give "
                "a SQLite file to store evaluations in (e.g. kb.sqlite; `skmeta "
                "kb import` turns an export into one)."
            )
        if not exists:
            raise FileNotFoundError(f"no such knowledge base file: {path}")
        return KnowledgeBase.from_json(path)
    if create and on_read_only_storage(path):
        raise ValueError(
            f"{path} is on read-only storage, where evaluations cannot be "
            "stored; copy it to writable storage to store them, or use it "
            "where it is only read."
        )
    if not create:
        if not exists and path.parent.is_dir():  # else KnowledgeBase names the folder
            raise FileNotFoundError(
                f"no such knowledge base: {path}; meta-train one first "
                "(MetaLearner(knowledge_base=path).fit(datasets) or `skmeta "
                "metatrain`), or pass None for the shipped one."
            )
        if exists and os.stat(path).st_size == 0:
            raise ValueError(
                f"{path} is an empty file, not a knowledge base; meta-train into "
                "it first (MetaLearner(knowledge_base=path).fit(datasets) or "
                "`skmeta metatrain`)."
            )
    try:
        return KnowledgeBase(path)
    except ValueError:
        # SQLite refused it, so no connection of this process holds it: its
        # bytes may be read.
        if exists and _content(path) == "json":
            raise ValueError(
                f"{path} holds a JSON export, not a SQLite database; name it .json "
                "(or .json.gz) to read it, or import it into a SQLite file with "
                "`skmeta kb import`."
            ) from None
        raise


def open_knowledge_base_path(path, *, create=False):
    """Deprecated: use :func:`open_knowledge_base`, which also takes a path.

    .. deprecated:: 0.2
       Goes in 0.3.
    """
    warnings.warn(
        "open_knowledge_base_path is deprecated and will be removed in 0.3; "
        "use skmeta.knowledge.opening.open_knowledge_base, which takes "
        "a path too.",
        FutureWarning, stacklevel=2,
    )
    return _open_path(Path(path), create)
