"""What a knowledge-base path is on disk, without opening it.

Only a regular file (or, for a writer, a path that does not exist yet) is a
knowledge base: a device such as ``/dev/null``, a named pipe, a socket, a
folder, a symbolic link to a missing file or a loop of links is refused
before anything opens it (:func:`check_regular_file`). A name ending in
``.json`` or ``.json.gz`` is a JSON export (:func:`is_export_name`). The
rule that opens a path is :mod:`skmeta.knowledge.opening`.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

__all__ = ["check_regular_file", "file_identity", "is_export_name"]

_EXPORT_SUFFIXES = (".json", ".json.gz")


def is_export_name(path):
    """Whether ``path`` names a JSON export (``.json`` or ``.json.gz``)."""
    return Path(path).name.lower().endswith(_EXPORT_SUFFIXES)


def check_regular_file(path):
    """Refuse a path that names anything but a regular file or nothing.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    bool
        Whether the file exists (False: nothing is there yet).

    Raises
    ------
    ValueError
        For a folder, a device, a named pipe, a socket, a symbolic link to a
        missing file, or a path the system cannot follow (a loop of links).
    """
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            raise ValueError(
                f"{path} is a symbolic link to a missing file "
                f"({os.readlink(path)}); give a regular file, or a path where "
                "nothing is yet to create one."
            ) from None
        return False
    except OSError as exc:  # a loop of links, a name too long, a file as folder
        raise ValueError(
            f"cannot open {path} as a knowledge base: "
            f"{(exc.strerror or str(exc)).lower()}; give a regular file."
        ) from None
    if stat.S_ISDIR(mode):
        raise ValueError(f"{path} is a folder, not a knowledge base file.")
    if not stat.S_ISREG(mode):
        raise ValueError(
            f"{path} is {_special_kind(mode)}, not a regular file, so it cannot "
            "be a knowledge base; give a .sqlite file or a .json export."
        )
    return True


def file_identity(path):
    """Where a knowledge-base file is and what it holds, without opening it
    with anything but a hash of an export's bytes.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    tuple or None
        The resolved path first, then for a JSON export a hash of its bytes,
        for a SQLite file the device, inode, size and modification time of it
        and of its ``-wal`` file (a commit changes one of them). None when no
        regular file is there.
    """
    if not check_regular_file(path):
        return None
    resolved = Path(path).resolve()
    if is_export_name(resolved):
        with open(resolved, "rb") as file:
            return str(resolved), hashlib.file_digest(file, "sha256").hexdigest()
    stats = []
    for file in (resolved, resolved.with_name(resolved.name + "-wal")):
        try:
            status = os.stat(file)
        except FileNotFoundError:
            stats.append(None)
        else:
            stats.append((status.st_dev, status.st_ino, status.st_size,
                          status.st_mtime_ns))
    return str(resolved), *stats


def _special_kind(mode):
    kinds = [(stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket")]
    return next((kind for test, kind in kinds if test(mode)), "a special file")
