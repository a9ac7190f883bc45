"""Reading CSV data and datasets, and checking that outputs can be written."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from skmeta.cli.errors import (
    CommandError,
    _one_line,
)

DATES_HELP = (
    "columns to read as dates and times (they become numeric parts: year, "
    "month, day, weekday, hour, elapsed days): comma-separated names; 'auto' "
    "(the default) takes the text columns whose every value is an ISO 8601 "
    "date such as 2024-03-01 or 2024-03-01T12:30:00+01:00; 'none' reads none"
)


def _add_dates_option(parser):
    parser.add_argument("--parse-dates", default="auto", metavar="COLS",
                        type=_dates_option, help=DATES_HELP)


def _dates_option(value):
    """``--parse-dates``: "auto", None ("none") or a list of column names."""
    if value.strip().lower() in ("auto", "none"):
        return None if value.strip().lower() == "none" else "auto"
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("needs column names, 'auto' or 'none'")
    return names


def _load_dataset(path, target, task=None, parse_dates="auto"):
    from skmeta.datasets import load_csv, load_penguins

    if path is None:
        return load_penguins()
    try:
        return load_csv(path, target=target, task=task, parse_dates=parse_dates)
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


def _load_table(path, target, parse_dates="auto", sample_weight=None):
    """A CSV file's features (dates parsed, not yet encoded), target and
    weights, for an estimator's fit (see :func:`skmeta.datasets.read_csv_table`)."""
    from skmeta.datasets import read_csv_table

    try:
        return read_csv_table(path, target, parse_dates=parse_dates,
                              sample_weight=sample_weight)
    except (TypeError, KeyError) as exc:
        raise CommandError(f"cannot use {path}: {_one_line(exc)}") from None


def _load_folder(folder, target, parse_dates="auto"):
    """Every CSV of a folder as a Dataset; an error names the file."""
    datasets = []
    for file in _csv_files(folder):
        try:
            datasets.append(_load_dataset(file, target, parse_dates=parse_dates))
        except (CommandError, ValueError) as exc:
            message = _one_line(exc)
            if file.name not in message:
                message = f"{file.name}: {message}"
            raise CommandError(message) from None
    return datasets


def _read_csv(path, parse_dates=None):
    """A CSV file's columns, read as :func:`skmeta.load_csv` reads them."""
    return _load_table(path, None, parse_dates)[0]


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
