"""Writing a file whole or not at all."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path):
    """A temporary path beside ``path`` that replaces ``path`` once written.

    The block writes the temporary file by its name, which ends with
    ``path``'s name, so that writers choosing a format by the suffix
    (``.gz``, ``.skops``, ``.png``) choose the same. When the block ends
    without error, the file is flushed to disk and renamed over ``path`` in
    one step (:func:`os.replace`), keeping the permissions of the file it
    replaces; when it fails, the temporary file is removed and ``path`` is
    left as it was.

    Yields
    ------
    temporary : pathlib.Path
    """
    path = Path(path)
    temporary = _new_file_beside(path)
    try:
        yield temporary
        _flush_to_disk(temporary)
        if path.exists():  # a private model stays private
            os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _new_file_beside(path):
    """An empty new file in ``path``'s folder, hidden, named after ``path``."""
    while True:
        temporary = path.with_name(f".{secrets.token_hex(4)}.tmp.{path.name}")
        try:
            # O_EXCL: never a file someone else made; mode 0o666 minus the
            # umask, as a file opened for writing gets.
            os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return temporary


def _flush_to_disk(path):
    with open(path, "rb+") as file:
        os.fsync(file.fileno())
