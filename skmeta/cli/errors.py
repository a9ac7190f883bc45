"""Exit codes, the expected failure (:class:`CommandError`) and one-line messages."""

from __future__ import annotations

import sqlite3

EXIT_OK, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 130


#: Failures shown as one line. TypeError and KeyError are caught only where
#: the user's input causes them, so that a programming error still shows
#: its traceback.
_EXPECTED_ERRORS = (ValueError, OSError, sqlite3.OperationalError)


class CommandError(Exception):
    """An expected failure, shown to the user as one line."""


def _one_line(exc):
    """The first line of an exception's message (plus the next when it ends in ':')."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    if isinstance(exc, KeyError) and len(lines) == 1:
        return f"missing key {lines[0]}"
    message = lines[0]
    if message.endswith(":") and len(lines) > 1:
        message = f"{message} {lines[1].lstrip('- ')}"
        if len(lines) > 2:
            message += f" (and {len(lines) - 2} more lines)"
    return message
