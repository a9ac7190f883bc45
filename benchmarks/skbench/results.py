"""The resumable results files: one CSV row per fit, one JSON line per search curve.

Several worker processes append to the same files, each line under a file
lock; a rerun skips the (dataset, seed, system) rows already present.

>>> from pathlib import Path
>>> side_file(Path("results/selection.csv"), "_curves.jsonl").as_posix()
'results/selection_curves.jsonl'
"""

from __future__ import annotations

import fcntl
import json
import os

import numpy as np
import pandas as pd

CSV_COLUMNS = [
    "dataset", "task", "seed", "system", "score", "constant", "seconds",
    "cv_score", "n_evaluations", "n_failed", "n_train", "n_test", "kb", "error",
    "roc_auc",
]


def side_file(results, suffix):
    """The file beside ``results`` whose name ends in ``suffix`` instead of ``.csv``."""
    return results.with_name(results.stem + suffix)


def done_keys(results):
    """The (dataset, seed, system) triples already in the results file."""
    if not results.is_file():
        return set()
    table = pd.read_csv(results)
    return set(zip(table["dataset"], table["seed"].astype(int), table["system"],
                   strict=True))


def _append_locked(path, text):
    """Append text to a file under an exclusive lock (several workers write)."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.write(text)
            handle.flush()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def append_row(results, row):
    """Append one fit's row (a dict of :data:`CSV_COLUMNS`), the header first."""
    results.parent.mkdir(parents=True, exist_ok=True)
    line = pd.DataFrame([row], columns=CSV_COLUMNS).to_csv(index=False, header=False)
    with open(results, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if os.fstat(handle.fileno()).st_size == 0:
                handle.write(",".join(CSV_COLUMNS) + "\n")
            handle.write(line)
            handle.flush()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def append_curve(path, record):
    """Append one search's curve (a JSON-serializable dict) as a line."""
    _append_locked(path, json.dumps(record) + "\n")


def load_curves(path, blocks, systems):
    """(dataset, seed) -> system -> (curve, constant cv, seconds or None)."""
    curves = {}
    if not path.is_file():
        return curves
    with open(path) as handle:
        for line in handle:
            record = json.loads(line)
            key = (record["dataset"], int(record["seed"]))
            if key in blocks and record["system"] in systems:
                seconds = record.get("seconds")
                curves.setdefault(key, {})[record["system"]] = (
                    np.array(record["curve"], dtype=float), record["constant_cv"],
                    None if seconds is None else np.array(seconds, dtype=float))
    return curves

