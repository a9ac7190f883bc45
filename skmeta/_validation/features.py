"""The feature table ``X``: its shape, its column names, and its values.

:func:`check_features` is the one rule every ``X`` goes through, at an
estimator's ``fit`` and ``predict`` and when a
:class:`~skmeta.datasets.Dataset` is built: numbers written as text are
numbers, a column is numeric or categorical (never both), and no value is
infinite or too large to square.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import scipy.sparse as sp

from skmeta._validation.values import (
    MAX_FEATURE_MAGNITUDE,
    duplicate_names,
    refuse_duplicate_names,
    short_repr,
    too_large_error,
    value_kind,
)

__all__ = [
    "check_column_names",
    "check_features",
    "parse_numbers",
    "warn_if_all_missing",
]


_MIXED = ("mixed", "mixed-integer")

def _check_object_columns(frame):
    """Refuse object columns that mix numbers and strings or hold containers.

    A feature is numeric or categorical (strings); a column that is both is
    usually a numeric column with text markers such as ``"n/a"`` in it, and
    lists or dicts are no feature at all. pandas infers the content of each
    object column in compiled code; only a column it calls mixed is
    looked at value by value.
    """
    for column, dtype in frame.dtypes.items():
        if not pd.api.types.is_object_dtype(dtype):
            continue
        values = frame[column]
        if pd.api.types.infer_dtype(values, skipna=True) not in _MIXED:
            continue
        examples = {}
        for value in values:
            examples.setdefault(value_kind(value), value)
        if "other" in examples:
            odd = examples["other"]
            raise TypeError(
                f"column {column!r} of X holds a {type(odd).__name__} value "
                f"({short_repr(odd)}); features must be numbers, strings, "
                "booleans or missing values."
            )
        if "string" in examples and "number" in examples:
            raise TypeError(
                f"column {column!r} of X mixes numbers and strings (e.g. "
                f"{short_repr(examples['number'])} and "
                f"{short_repr(examples['string'])}); make it one type: "
                f"pd.to_numeric(X[{column!r}], errors='coerce') for a numeric "
                f"feature, or X[{column!r}].astype(str) for a categorical one."
            )


#: Kinds of column (pandas' ``infer_dtype``) that may hold numbers written as text.
_TEXT_KINDS = ("string", "mixed", "mixed-integer")


def parse_numbers(values):
    """``values`` (a column of strings) as float64 numbers, or None.

    None unless every value that is not missing parses as a number
    (``pd.to_numeric``: ``"1.5"``, ``" 2 "``, ``"1e3"``, ``"inf"``); a single
    other string (``"a"``, ``"n/a"``, ``"nan"``, ``""``) keeps the column as
    it is.
    """
    if pd.api.types.infer_dtype(values, skipna=True) not in _TEXT_KINDS:
        return None
    try:
        numbers = pd.to_numeric(values, errors="raise")
    except (ValueError, TypeError):
        return None
    return numbers.astype("float64")


def _numbers_from_text(frame, columns=None):
    """Convert the text columns of ``frame`` whose every value is a number.

    The rule of :func:`check_features`, at ``fit`` and at ``predict`` alike:
    a column of strings (object or string dtype, not category) whose every
    non-missing value parses as a number holds numbers, and becomes a float
    column. ``columns`` limits the conversion to those names (at ``predict``:
    the columns that were numeric at ``fit``). Returns ``frame`` itself when
    nothing changes, else a converted copy.
    """
    converted = {}
    for position, (column, dtype) in enumerate(frame.dtypes.items()):
        if columns is not None and column not in columns:
            continue
        if isinstance(dtype, pd.CategoricalDtype) or not (
            pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)
        ):
            continue
        numbers = parse_numbers(frame.iloc[:, position])
        if numbers is not None:
            converted[position] = numbers
    if not converted:
        return frame
    frame = frame.copy()
    for position, numbers in converted.items():
        frame.isetitem(position, numbers.to_numpy())
    return frame


def check_column_names(X):
    """Refuse the input shapes and column names other libraries misreport.

    Run first, before scikit-learn's or pandas' own checks, whose messages
    for these mistakes name something else (a 1-D array, a DuplicateError
    deep inside, an unknown label type).

    Raises
    ------
    TypeError
        If ``X`` is a dict, a list of dicts (records) or a structured array
        (make a DataFrame), or a DataFrame whose column names mix strings
        and other types.
    ValueError
        If a DataFrame has duplicate column names.
    """
    if sp.issparse(X):
        return  # a DOK matrix is a dict, and has no column names
    if isinstance(X, dict):
        raise TypeError(
            "X is a dict; make it a DataFrame first: pd.DataFrame(X) for a dict "
            "of columns."
        )
    if isinstance(X, (list, tuple)) and len(X) and isinstance(X[0], dict):
        raise TypeError(
            "X is a list of dicts (records); make it a DataFrame first: "
            "pd.DataFrame(X), whose columns are the dicts' keys."
        )
    if isinstance(X, np.ndarray) and X.dtype.names:
        raise TypeError(
            f"X is a numpy structured array (fields {list(X.dtype.names)[:5]}); "
            "make it a DataFrame first: pd.DataFrame(X), whose columns are "
            "its fields."
        )
    if not isinstance(X, pd.DataFrame):
        return
    refuse_duplicate_names(X, "X has duplicate column names:", "give every column "
                           "a unique name (e.g. X.columns = [f'c{i}' for i in "
                           "range(X.shape[1])]).")
    kinds = sorted({type(c).__name__ for c in X.columns})
    if len(kinds) > 1 and "str" in kinds:
        raise TypeError(
            f"the column names of X mix strings and other types ({kinds}); make "
            "them all strings: X.columns = X.columns.astype(str)."
        )


def warn_if_all_missing(X):
    """Warn when every value of a DataFrame is missing (nothing to learn from)."""
    if isinstance(X, pd.DataFrame) and X.size and bool(X.isna().to_numpy().all()):
        warnings.warn(
            f"every value of X is missing ({X.shape[0]} rows, {X.shape[1]} "
            "columns), so the model can only predict a constant; check how the "
            "data was read.",
            UserWarning, stacklevel=3,
        )


def check_features(X, *, numeric_columns=None):
    """Validate a feature table and return it as a DataFrame or sparse matrix.

    Numpy arrays become DataFrames with columns ``x0, x1, ...``; DataFrames
    keep their columns and dtypes; sparse matrices are returned in CSR form.

    Numbers written as text are numbers: a column of strings whose every
    non-missing value parses as a number (``"1.5"``, ``"2"``, ``"1e3"``) is
    converted to a float column; a column with any other string in it
    (``"a"``, ``"n/a"``) stays categorical. The same rule applies when an
    estimator fits and when it predicts, so both see the same numbers.
    Missing values are accepted (each strategy's preprocessing imputes them).

    Parameters
    ----------
    X : array-like, DataFrame or sparse matrix of shape (n_samples, n_features)
    numeric_columns : collection of column names, optional
        Convert text to numbers only in these columns (an estimator's
        predict passes the columns that were numeric at fit); None applies
        the rule to every column.

    Raises
    ------
    ValueError
        If ``X`` is empty, has no columns, has duplicate column names, or
        holds infinite values or values too large to square.
    TypeError
        If ``X`` is not array-like, or a column mixes numbers and strings.

    Examples
    --------
    >>> import pandas as pd
    >>> from skmeta.datasets import check_features
    >>> check_features([[1, 2], [3, 4]]).columns.tolist()
    ['x0', 'x1']
    >>> check_features(pd.DataFrame({"size": ["1.5", "2"]}))["size"].tolist()
    [1.5, 2.0]
    """
    if sp.issparse(X):
        X = sp.csr_matrix(X)
        if X.shape[0] == 0 or X.shape[1] == 0:
            raise ValueError(
                f"X is empty: it has shape {X.shape}; at least one row and "
                "one column are required."
            )
        if X.dtype.kind not in "biuf":
            raise TypeError(f"sparse X must be numeric, got dtype {X.dtype}.")
        if not np.all(np.isfinite(X.data[~np.isnan(X.data)])):
            raise ValueError("X contains infinite values; replace them first.")
        huge = np.abs(np.nan_to_num(X.data)) > MAX_FEATURE_MAGNITUDE
        if huge.any():
            columns = np.unique(X.indices[huge]).tolist()
            raise too_large_error(f"sparse X holds values too large to compute with "
                                  f"in columns {columns[:10]}", X.data, "those columns")
        return X
    check_column_names(X)
    if isinstance(X, (str, bytes, dict)) or not hasattr(X, "__len__"):
        raise TypeError(
            f"X must be array-like (a numpy array, a pandas DataFrame or a "
            f"sparse matrix), got {type(X).__name__}."
        )
    if isinstance(X, pd.DataFrame):
        frame = X
    else:
        array = np.asarray(X)
        if array.ndim == 1:
            raise ValueError(
                "X must be 2-dimensional, got a 1-dimensional array; reshape "
                "it with X.reshape(-1, 1) for a single feature."
            )
        if array.ndim != 2:
            raise ValueError(f"X must be 2-dimensional, got {array.ndim} dimensions.")
        frame = pd.DataFrame(array, columns=[f"x{i}" for i in range(array.shape[1])])
        if array.dtype == object:
            frame = frame.infer_objects()
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise ValueError(
            f"X is empty: it has shape {frame.shape}; at least one row and "
            "one column are required."
        )
    duplicated = duplicate_names(frame)
    if duplicated:
        raise ValueError(f"X has duplicate column names: {duplicated}.")
    frame = _numbers_from_text(frame, numeric_columns)
    _check_object_columns(frame)
    numeric = frame.select_dtypes(include=["number", "bool"])
    if numeric.shape[1]:
        values = numeric.to_numpy(dtype=float, na_value=np.nan)
        if np.isinf(values).any():
            columns = numeric.columns[np.isinf(values).any(axis=0)].tolist()
            raise ValueError(
                f"X contains infinite values in columns {columns}; replace "
                "them (e.g. with NaN) first."
            )
        huge = np.abs(np.nan_to_num(values)) > MAX_FEATURE_MAGNITUDE
        if huge.any():
            columns = numeric.columns[huge.any(axis=0)].tolist()
            raise too_large_error(f"X holds values too large to compute with in "
                                  f"columns {columns}", values, "those columns")
    return frame


