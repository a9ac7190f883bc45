"""Reading CSV data and datasets, and checking that outputs can be written."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import NamedTuple

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


def _add_na_values_option(parser):
    parser.add_argument(
        "--na-values", metavar="TOKENS", type=_tokens_option,
        help="comma-separated texts that are missing values, e.g. NA,? (default: "
        "only empty fields are missing; NA, null or None are values)")


def _tokens_option(value):
    """``--na-values``: a list of texts."""
    tokens = [token.strip() for token in value.split(",") if token.strip()]
    if not tokens:
        raise argparse.ArgumentTypeError("needs comma-separated texts, e.g. NA,?")
    return tokens


def _dates_option(value):
    """``--parse-dates``: "auto", None ("none") or a list of column names."""
    if value.strip().lower() in ("auto", "none"):
        return None if value.strip().lower() == "none" else "auto"
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("needs column names, 'auto' or 'none'")
    return names


def _load_dataset(path, target, task=None, parse_dates="auto", na_values=None):
    from skmeta.datasets import load_csv, load_penguins

    if path is None:
        return load_penguins()
    try:
        return load_csv(path, target=target, task=task, parse_dates=parse_dates,
                        na_values=na_values)
    except (TypeError, KeyError) as exc:
        raise CommandError(f"cannot use {path}: {_one_line(exc)}") from None


def _csv_files(folder):
    folder = Path(folder)
    if folder.is_file():
        raise CommandError(f"{folder} is a file; give the folder that holds the "
                           ".csv or .csv.gz files")
    if not folder.is_dir():
        raise FileNotFoundError(f"no such folder: {folder}")
    files = sorted(
        p for p in folder.glob("*.csv*")
        if p.is_file() and p.name.endswith((".csv", ".csv.gz"))
    )
    if not files:
        raise CommandError(f"no .csv or .csv.gz files in {folder}")
    return files


def _load_table(path, target, parse_dates="auto", sample_weight=None, na_values=None):
    """A CSV file's features (dates parsed, not yet encoded), target and
    weights, for an estimator's fit (see :func:`skmeta.datasets.read_csv_table`)."""
    from skmeta.datasets import read_csv_table

    try:
        return read_csv_table(path, target, parse_dates=parse_dates,
                              sample_weight=sample_weight, na_values=na_values)
    except (TypeError, KeyError) as exc:
        raise CommandError(f"cannot use {path}: {_one_line(exc)}") from None


def _load_folder(folder, target, parse_dates="auto", na_values=None):
    """Every CSV of a folder as a Dataset; an error names the file."""
    datasets = []
    for file in _csv_files(folder):
        try:
            datasets.append(_load_dataset(file, target, parse_dates=parse_dates,
                                          na_values=na_values))
        except (CommandError, ValueError) as exc:
            message = _one_line(exc)
            if file.name not in message:
                message = f"{file.name}: {message}"
            raise CommandError(message) from None
    return datasets


def _read_csv(path, parse_dates=None, na_values=None):
    """A CSV file's columns, read as :func:`skmeta.load_csv` reads them."""
    return _load_table(path, None, parse_dates, na_values=na_values)[0]


def _stem(path):
    name = Path(path).name
    for suffix in (".gz", ".csv"):
        name = name.removesuffix(suffix)
    return name


class Input(NamedTuple):
    """A file a command reads: its path, and what it is, as a message says it."""

    path: object
    what: str


def _data_input(path):
    return Input(path, "the data this command reads")


def _kb_inputs(kb):
    """``--kb`` and the side files SQLite keeps beside it (by its name and
    its resolved name); none for the shipped knowledge base (None)."""
    if kb is None:
        return []
    sides = [f"{base}{suffix}" for base in (str(kb), os.path.realpath(kb))
             for suffix in ("-wal", "-shm", "-journal")]
    side_file = "a side file of the knowledge base (--kb)"
    return [Input(kb, "the knowledge base (--kb)"),
            *(Input(side, side_file) for side in sides)]


def _same_file(first, second):
    """Whether two paths name one file, through symbolic or hard links."""
    if os.path.realpath(first) == os.path.realpath(second):
        return True
    try:
        return os.path.samefile(first, second)
    except OSError:  # one of them does not exist
        return False


def _check_not_an_input(path, option, inputs):
    """Refuse an output that is one of the files the command reads."""
    for source in inputs:
        if _same_file(path, source.path):
            same = ("" if os.path.abspath(path) == os.path.abspath(source.path)
                    else f", the same file as {source.path}")
            raise CommandError(
                f"cannot write {path} ({option}): it is {source.what}{same}; "
                f"choose another {option}"
            )


def _check_output(path, *, option="-o", inputs=(), force=False):
    """Fail before any work if ``path`` cannot or must not be written.

    It must not be a file the command reads (``inputs``, :class:`Input`),
    nor an existing file unless ``force``. The folder must exist and take a
    new file (tried with a temporary file, removed at once), and an existing
    file must be writable: a search of minutes must not end in a
    "permission denied".
    """
    import tempfile

    path = Path(path)
    if path.is_dir():
        raise CommandError(f"cannot write {path}: it is a folder")
    _check_not_an_input(path, option, inputs)
    if path.exists() and not force:
        raise CommandError(
            f"{path} exists; pass --force to replace it, or choose another {option}"
        )
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


def _check_kb_is_not_data(kb, folder):
    """Refuse a ``--kb`` to write into that is one of the folder's CSV files."""
    if kb is not None:
        data = [_data_input(file) for file in _csv_files(folder)]
        _check_not_an_input(kb, "--kb", data)


def _add_force_option(parser, what="an output"):
    parser.add_argument("--force", action="store_true",
                        help=f"replace {what} that exists")


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
