"""Reading CSV data and datasets, and checking that outputs can be written."""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import pandas as pd

from skmeta.cli.errors import (
    CommandError,
    _one_line,
)


def _load_dataset(path, target, task=None):
    from skmeta.datasets import load_csv, load_penguins

    if path is None:
        return load_penguins()
    try:
        return load_csv(path, target=target, task=task)
    except (TypeError, KeyError) as exc:
        raise CommandError(f"cannot use {path}: {_one_line(exc)}") from None


def _csv_files(folder):
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no such folder: {folder}")
    files = sorted(
        p for p in folder.glob("*.csv*")
        if p.is_file() and p.name.endswith((".csv", ".csv.gz"))
    )
    if not files:
        raise CommandError(f"no .csv or .csv.gz files in {folder}")
    return files


def _load_folder(folder, target):
    """Every CSV of a folder as a Dataset; an error names the file."""
    datasets = []
    for file in _csv_files(folder):
        try:
            datasets.append(_load_dataset(file, target))
        except (CommandError, ValueError) as exc:
            message = _one_line(exc)
            if file.name not in message:
                message = f"{file.name}: {message}"
            raise CommandError(message) from None
    return datasets


def _read_csv(path):
    """A CSV file as a DataFrame, read as :func:`skmeta.load_csv` reads it."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    try:
        return pd.read_csv(path, keep_default_na=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError,
            EOFError, zlib.error, OSError) as exc:
        raise CommandError(f"cannot read {path} as CSV: {_one_line(exc)}") from None


def _stem(path):
    name = Path(path).name
    for suffix in (".gz", ".csv"):
        name = name.removesuffix(suffix)
    return name


def _check_output(path):
    """Fail before any work if ``path`` cannot be written.

    The folder must exist and take a new file (tried with a temporary file,
    removed at once), and an existing file must be writable: a search of
    minutes must not end in a "permission denied".
    """
    import tempfile

    path = Path(path)
    if path.is_dir():
        raise CommandError(f"cannot write {path}: it is a folder")
    if not path.parent.is_dir():
        raise CommandError(
            f"cannot write {path}: the folder {path.parent} does not exist"
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise CommandError(f"cannot write {path}: the file is not writable")
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".skmeta-probe-"):
            pass
    except OSError as exc:
        raise CommandError(
            f"cannot write {path}: the folder {path.parent} does not take new "
            f"files ({exc.strerror or type(exc).__name__})"
        ) from None
    return path


def _portfolio(text):
    """``--portfolio a,b`` as a list of names; None when not given."""
    if text is None:
        return None
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise CommandError(
            f"--portfolio must be comma-separated strategy names, got {text!r}"
        )
    return names
