"""What one value is, how large it may be, and how a message shows it.

The small rules the checks of features (:mod:`skmeta._validation.features`)
and of the target (:mod:`skmeta._validation.target`) share.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

#: The largest magnitude a feature may have: squaring a larger one (as a
#: scaler's variance or a distance does) overflows float64 to infinity.
MAX_FEATURE_MAGNITUDE = 1e150


def value_kind(value):
    """What a value of an object column is: missing, string, number or other.

    Booleans count as numbers.

    Examples
    --------
    >>> from skmeta._validation.values import value_kind
    >>> [value_kind(v) for v in (None, "a", 1.5, True, float("nan"), [1])]
    ['missing', 'string', 'number', 'number', 'missing', 'other']
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return "missing"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (bool, np.bool_, numbers.Number)):
        if isinstance(value, (float, np.floating)) and np.isnan(value):
            return "missing"
        return "number"
    return "other"


def duplicate_names(frame):
    """The column names a DataFrame has more than once."""
    return frame.columns[frame.columns.duplicated()].unique().tolist()


def refuse_duplicate_names(frame, problem, fix):
    """Raise ``problem [names]; fix`` if ``frame`` repeats a column name."""
    duplicated = duplicate_names(frame)
    if duplicated:
        raise ValueError(f"{problem} {duplicated}; {fix}")


def short_repr(value):
    """``repr(value)`` cut to 40 characters, for a message."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def too_large_error(problem, values, what):
    """The error for values beyond :data:`MAX_FEATURE_MAGNITUDE`."""
    largest = float(np.nanmax(np.abs(values)))
    return ValueError(
        f"{problem} (up to {largest:.3g}; at most {MAX_FEATURE_MAGNITUDE:g}, since "
        f"squaring more overflows to infinity); rescale {what}, e.g. divide by a "
        "power of ten or take a log."
    )
