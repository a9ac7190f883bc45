"""Printing results: tables, the adaptation trace, compact warnings."""

from __future__ import annotations

import sys
import warnings
from contextlib import contextmanager

import numpy as np
import pandas as pd

from skmeta.cli.errors import (
    _one_line,
)


def _plural(n, noun):
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _format_value(value):
    if isinstance(value, (float, np.floating)):
        return f"{value:.4g}"
    return str(value)


def _format_config(config):
    if not config:
        return "(defaults)"
    return ", ".join(f"{k}={_format_value(v)}" for k, v in config.items())


def _cell(value, digits):
    if value is None or (isinstance(value, (float, np.floating)) and np.isnan(value)):
        return "-"
    if isinstance(value, (float, np.floating)):
        return f"{value:.{digits}f}"
    return str(value)


def _print_table(frame, indent="  ", digits=None):
    """Print a DataFrame without its index: numbers right-, text left-aligned.

    ``digits`` maps column names to decimals (default 4).
    """
    digits = digits or {}
    columns = []
    for name in frame.columns:
        values = frame[name]
        numeric = (pd.api.types.is_numeric_dtype(values)
                   and not pd.api.types.is_bool_dtype(values))
        cells = [_cell(v, digits.get(name, 4)) for v in values]
        width = max([len(str(name))] + [len(c) for c in cells])
        align = str.rjust if numeric else str.ljust
        columns.append([align(str(name), width)] + [align(c, width) for c in cells])
    for row in zip(*columns, strict=True):
        print(indent + "  ".join(row).rstrip())


def _trace_table(trace):
    """The columns of a fitted estimator's ``trace_`` worth reading."""
    return pd.DataFrame({
        "#": trace["evaluation"],
        "step": trace["step"],
        "strategy": trace["strategy"],
        "pi": [probabilities.get(strategy, np.nan) for probabilities, strategy
               in zip(trace["probabilities"], trace["strategy"], strict=True)],
        "score": pd.to_numeric(trace["score"], errors="coerce"),
        "status": trace["status"],
        "seconds": trace["seconds"],
    })


def _print_fitted(estimator, scoring):
    score = (f"{scoring} {estimator.best_score_:.4f}" if np.isfinite(estimator.best_score_)
             else "zero-shot: fit once, not cross-validated")
    print(f"  best: {estimator.best_strategy_} ({score}), "
          f"{_format_config(estimator.best_config_)}")
    members = estimator.ensemble_
    if len(members) > 1:
        fused = ", ".join(
            f"#{e} {s} {w:.2f}" for e, s, w in
            zip(members["evaluation"], members["strategy"], members["weight"],
                strict=True)
        )
        print(f"  ensemble of {len(members)}: {fused}")


@contextmanager
def _compact_warnings(command):
    """Show warnings as one line each, without file names and source lines."""
    def show(message, category, filename, lineno, file=None, line=None):
        text = _one_line(message) if str(message).strip() else category.__name__
        print(f"skmeta {command}: warning: {text}", file=sys.stderr)

    with warnings.catch_warnings():
        warnings.showwarning = show
        yield


def _print_recommendations(ranked):
    _print_table(pd.DataFrame({
        "rank": range(1, len(ranked) + 1),
        "strategy": ranked["strategy"],
        "predicted": ranked["predicted_score"],
        "configuration": [_format_config(c) for c in ranked["config"]],
    }))
    if len(ranked):
        print(f"  nearest datasets (distance): {ranked['nearest_datasets'].iloc[0]}")


def _counts(parts):
    return ", ".join(f"{key} {n}" for key, n in parts.items()) or "none"


def _print_invalid(invalid):
    _print_table(pd.DataFrame({
        "strategy": invalid["strategy"],
        "dataset": invalid["dataset_name"],
        "configuration": [_format_config(c) for c in invalid["config"]],
        "problem": invalid["problem"],
    }))
