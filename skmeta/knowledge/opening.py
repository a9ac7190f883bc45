"""How a path names a knowledge base: one rule for the Python API and the CLI.

A knowledge base given as a path (an estimator's or MetaLearner's
``knowledge_base``, the command line's ``--kb``) is recognised by its name
and checked against its content before anything is created:

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
from pathlib import Path

from skmeta.knowledge.paths import check_regular_file, is_export_name
from skmeta.knowledge.schema import on_read_only_storage
from skmeta.knowledge.store import KnowledgeBase

__all__ = ["open_knowledge_base_path"]

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


def open_knowledge_base_path(path, *, create=False):
    """Open the knowledge base a path names, by the rule of this module.

    Parameters
    ----------
    path : str or path-like
    create : bool, default=False
        Whether the caller writes evaluations: a missing SQLite file is then
        created; otherwise it must exist.

    Returns
    -------
    KnowledgeBase

    Raises
    ------
    FileNotFoundError
        If the file (or its folder) does not exist and is not to be created.
    ValueError
        If the name and the content disagree, an export is to be written,
        or the file is empty where it is only read.
    """
    path = Path(path)
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
