"""The limits of a stored record, and the checks of one field against them.

Every record a knowledge base stores (an evaluation, a dataset, a
configuration), whether built in Python or read from a file, is plain data
of bounded size: these limits bound it, and the checks below hold one field
to them, with a message that starts with the field's name.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "MAX_CONFIG_ITEMS",
    "MAX_CONFIG_STRING_LENGTH",
    "MAX_CV_LENGTH",
    "MAX_ERROR_LENGTH",
    "MAX_FOLDS",
    "MAX_METAFEATURES",
    "MAX_METAFEATURE_MAGNITUDE",
    "MAX_NAME_LENGTH",
    "MAX_SECONDS",
    "MAX_SHORT_TEXT_LENGTH",
]

#: Longest dataset id, dataset name, strategy, metric, meta-feature name or
#: hyperparameter name.
MAX_NAME_LENGTH = 200
#: Longest cross-validation description, e.g. ``"KFold(n_splits=5)"``.
MAX_CV_LENGTH = 500
#: Longest string hyperparameter value.
MAX_CONFIG_STRING_LENGTH = 1_000
#: Most hyperparameters in one configuration, and most items in a list value.
MAX_CONFIG_ITEMS = 200
#: Longest error text; longer errors keep their last characters (the end of a
#: traceback says what went wrong).
MAX_ERROR_LENGTH = 10_000
#: Most cross-validation folds in one evaluation.
MAX_FOLDS = 1_000
#: Longest stored time of one evaluation's fits (or predictions), summed over
#: its folds, in seconds (115 days): the cost model learns from them, and a
#: larger one is a damaged record.
MAX_SECONDS = 1e7
#: Largest magnitude of a stored meta-feature: the meta-models compute in
#: float32 (largest 3.4e38), where a larger one overflows.
MAX_METAFEATURE_MAGNITUDE = 1e37
#: Longest version or timestamp string.
MAX_SHORT_TEXT_LENGTH = 64
#: Most meta-features of one dataset.
MAX_METAFEATURES = 10_000

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _describe(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_name(value, name, max_length=MAX_NAME_LENGTH):
    if type(value) is not str:
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string, got {_describe(value)}.")
        value = str(value)
    if not value:
        raise ValueError(f"{name} must be a non-empty string, got ''.")
    if len(value) > max_length:
        raise ValueError(
            f"{name} must have at most {max_length} characters, got {len(value)}."
        )
    return value


def _check_text(value, name, max_length):
    if type(value) is not str:
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string, got {_describe(value)}.")
        value = str(value)
    if len(value) > max_length:
        raise ValueError(
            f"{name} must have at most {max_length} characters, got {len(value)}."
        )
    return value


def _check_int(value, name, minimum=_INT64_MIN):
    if type(value) is not int:
        if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, numbers.Integral
        ):
            raise TypeError(f"{name} must be an integer, got {_describe(value)}.")
        value = int(value)
    if not minimum <= value <= _INT64_MAX:
        raise ValueError(
            f"{name} must be an integer in [{minimum}, 2**63 - 1], got {value}."
        )
    return value


def _check_float(value, name, *, minimum=None, maximum=None, allow_none=False):
    """A finite float (ints accepted); None (and NaN) when ``allow_none``."""
    if type(value) is not float:
        if value is None and allow_none:
            return None
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            extra = " or null" if allow_none else ""
            raise TypeError(f"{name} must be a number{extra}, got {_describe(value)}.")
        value = float(value)
    if not math.isfinite(value):
        if allow_none and value != value:
            return None
        raise ValueError(f"{name} must be a finite number, got {value}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum:g}, got {value}.")
    return value


def _check_size(container, name, limit, items):
    """Refuse a container of more than ``limit`` items (``items`` names them)."""
    if len(container) > limit:
        raise ValueError(
            f"{name} must have at most {limit} {items}, got {len(container)}."
        )


def _check_key(key, name, keys):
    """Refuse a key (``keys`` names them) that is not a short non-empty string."""
    if type(key) is not str or not key or len(key) > MAX_NAME_LENGTH:
        raise ValueError(
            f"{name} {keys} must be non-empty strings of at most "
            f"{MAX_NAME_LENGTH} characters, got {_describe(key)}."
        )
