"""Datasets: one learning task, its validation, and loading collections of them.

A :class:`Dataset` is the unit everything else in skmeta works on: a name, a
feature table ``X``, a target ``y`` and a task type (``"binary"``,
``"multiclass"`` or ``"regression"``). Features stay as the user gave them
(a pandas DataFrame with categorical and missing values is fine); only the
checks every later step relies on happen here.
"""

from __future__ import annotations

import hashlib
import numbers
import os
import warnings
import zlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from skmeta.dates import DateTimeEncoder, find_date_columns, has_date_columns
from skmeta.dates import parse_dates as _parse_date_columns

TASKS = ("binary", "multiclass", "regression")

#: An integer-valued numeric target with more distinct values than this is
#: taken for a regression target (counts, ages, prices in whole units).
MAX_CLASSES_FOR_INTEGER_TARGET = 30

__all__ = [
    "TASKS",
    "Dataset",
    "as_datasets",
    "check_class_labels",
    "check_class_weights",
    "check_column_names",
    "check_features",
    "check_sample_weight",
    "check_target",
    "check_target_frame",
    "check_target_magnitude",
    "infer_task",
    "load_csv",
    "load_folder",
    "load_penguins",
    "read_csv_table",
    "unbox_class_labels",
]


def infer_task(y):
    """Infer the task type from a target vector.

    Strings, booleans and categories are classes. A numeric target is a
    regression target when it has non-integer values, or integer values with
    more than ``MAX_CLASSES_FOR_INTEGER_TARGET`` distinct values.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The target, without missing values.

    Returns
    -------
    task : {"binary", "multiclass", "regression"}

    Examples
    --------
    >>> from skmeta.datasets import infer_task
    >>> infer_task(["a", "b", "a"])
    'binary'
    >>> infer_task([0, 1, 2, 1])
    'multiclass'
    >>> infer_task([0.5, 1.25, 3.0])
    'regression'
    """
    y = pd.Series(np.asarray(y).ravel() if not isinstance(y, pd.Series) else y)
    n_unique = y.nunique(dropna=True)
    if pd.api.types.is_bool_dtype(y) or not pd.api.types.is_numeric_dtype(y):
        return "binary" if n_unique <= 2 else "multiclass"
    values = y.to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    integer_valued = bool(np.all(values == np.round(values)))
    if not integer_valued or n_unique > MAX_CLASSES_FOR_INTEGER_TARGET:
        return "regression"
    return "binary" if n_unique <= 2 else "multiclass"


_MIXED = ("mixed", "mixed-integer")


def _value_kind(value):
    """What a value of an object column is: missing, string, number or other.

    Booleans count as numbers.
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
            examples.setdefault(_value_kind(value), value)
        if "other" in examples:
            odd = examples["other"]
            raise TypeError(
                f"column {column!r} of X holds a {type(odd).__name__} value "
                f"({_short_repr(odd)}); features must be numbers, strings, "
                "booleans or missing values."
            )
        if "string" in examples and "number" in examples:
            raise TypeError(
                f"column {column!r} of X mixes numbers and strings (e.g. "
                f"{_short_repr(examples['number'])} and "
                f"{_short_repr(examples['string'])}); make it one type: "
                f"pd.to_numeric(X[{column!r}], errors='coerce') for a numeric "
                f"feature, or X[{column!r}].astype(str) for a categorical one."
            )


#: Kinds of column (pandas' ``infer_dtype``) that may hold numbers written as text.
_TEXT_KINDS = ("string", "mixed", "mixed-integer")


def _parse_numbers(values):
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
        numbers = _parse_numbers(frame.iloc[:, position])
        if numbers is not None:
            converted[position] = numbers
    if not converted:
        return frame
    frame = frame.copy()
    for position, numbers in converted.items():
        frame.isetitem(position, numbers.to_numpy())
    return frame


#: The largest magnitude a feature may have: squaring a larger one (as a
#: scaler's variance or a distance does) overflows float64 to infinity.
MAX_FEATURE_MAGNITUDE = 1e150


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
    _refuse_duplicate_names(X, "X has duplicate column names:", "give every column "
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


def check_class_labels(y):
    """Refuse class labels that are missing or mix numbers and strings.

    Looks at ``y`` as it was given, before numpy makes a list or array of
    strings with ``np.nan`` in it a string array, where the missing label has
    become the class ``'nan'``. Whatever the container (list, numpy array,
    pandas Series), a missing label (None, NaN, ``pd.NA``, or the string
    ``'nan'`` of a numpy string array) is refused.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or None
        None is left to the caller's own check.

    Raises
    ------
    ValueError
        If a label is missing or a tuple, the labels mix numbers and strings
        (or booleans and other numbers), or ``y`` is a DataFrame with
        duplicate column names.
    """
    if y is None or isinstance(y, (str, bytes)):
        return
    check_target_frame(y)
    if isinstance(y, (pd.Series, pd.DataFrame)):
        values = y.to_numpy(dtype=object).ravel()
    else:
        # A list as it is: np.asarray would make np.nan among strings 'nan'.
        array = np.asarray(y, dtype=object if isinstance(y, (list, tuple)) else None)
        if isinstance(y, (list, tuple)) and array.ndim == 2 and array.shape[1] > 1:
            raise _tuple_labels_error(y[0])  # numpy made each tuple a row
        if array.dtype.kind in "US":
            marked = int(np.sum(array.astype(str) == "nan"))
            if marked:
                raise ValueError(
                    f"y holds the label 'nan' in {marked} row(s): numpy turns a "
                    "missing label (np.nan) into the string 'nan' in an array of "
                    "strings, so these labels are missing. Drop those rows or "
                    "give them a class name."
                )
            return
        if array.dtype != object:
            return  # numeric labels: NaN is refused by the target checks
        values = array.ravel()
    missing = pd.isna(values)
    if missing.any():
        raise ValueError(
            f"y contains {int(missing.sum())} missing labels (None or NaN); "
            "drop those rows or give them a class."
        )
    kinds = {}
    for value in values:
        kinds.setdefault(_label_kind(value), value)
    if "container" in kinds:
        raise _tuple_labels_error(kinds["container"])
    number = kinds.get("number", kinds.get("boolean"))
    if "string" in kinds and number is not None:
        raise ValueError(
            f"y mixes numbers and strings as class labels (e.g. "
            f"{_short_repr(number)} and {_short_repr(kinds['string'])}); "
            "make them one type, e.g. y.astype(str)."
        )
    if "boolean" in kinds and "number" in kinds:
        raise ValueError(
            f"y mixes booleans and numbers as class labels (e.g. "
            f"{_short_repr(kinds['boolean'])} and {_short_repr(kinds['number'])}), "
            "and True is also the number 1; make them one type, e.g. "
            "y.astype(int) or y.astype(str)."
        )


def _label_kind(value):
    """What a class label is: missing, string, number, boolean or container."""
    if isinstance(value, (bool, np.bool_)):
        return "boolean"
    if isinstance(value, (tuple, list, set, dict, np.ndarray)):
        return "container"
    return _value_kind(value)


def _tuple_labels_error(example):
    return ValueError(
        f"y holds {type(example).__name__}s as class labels (e.g. "
        f"{_short_repr(example)}); a class label must be one string, number or "
        "boolean: join the parts into one, e.g. "
        "y = ['_'.join(map(str, label)) for label in y]."
    )


def _duplicate_names(frame):
    """The column names a DataFrame has more than once."""
    return frame.columns[frame.columns.duplicated()].unique().tolist()


def _refuse_duplicate_names(frame, problem, fix):
    """Raise ``problem [names]; fix`` if ``frame`` repeats a column name."""
    duplicated = _duplicate_names(frame)
    if duplicated:
        raise ValueError(f"{problem} {duplicated}; {fix}")


def check_target_frame(y):
    """Refuse a DataFrame ``y`` with duplicate column names.

    pandas' own error for it (a DuplicateError) does not say that ``y``
    must be one column.
    """
    if isinstance(y, pd.DataFrame):
        _refuse_duplicate_names(
            y, f"y is a DataFrame of {y.shape[1]} columns with duplicate names",
            "the target is one column: pass it alone, e.g. y.iloc[:, 0].")


#: pandas' kinds of an object array whose values are plain numbers or booleans.
_PLAIN_LABEL_KINDS = ("integer", "boolean", "floating", "mixed-integer-float")


def unbox_class_labels(y):
    """Class labels held as Python objects, as the numbers or booleans they are.

    scikit-learn calls an object array of integers or booleans an unknown
    label type; its values are labels all the same, and keep their type.

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.datasets import unbox_class_labels
    >>> unbox_class_labels(np.array([1, 0, 1], dtype=object)).dtype
    dtype('int64')
    """
    y = np.asarray(y)
    if (y.dtype == object and len(y)
            and pd.api.types.infer_dtype(y, skipna=False) in _PLAIN_LABEL_KINDS):
        return np.array(y.tolist())
    return y


def _short_repr(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_features(X, *, allow_nan=True, numeric_columns=None):
    """Validate a feature table and return it as a DataFrame or sparse matrix.

    Numpy arrays become DataFrames with columns ``x0, x1, ...``; DataFrames
    keep their columns and dtypes; sparse matrices are returned in CSR form.

    Numbers written as text are numbers: a column of strings whose every
    non-missing value parses as a number (``"1.5"``, ``"2"``, ``"1e3"``) is
    converted to a float column; a column with any other string in it
    (``"a"``, ``"n/a"``) stays categorical. The same rule applies when an
    estimator fits and when it predicts, so both see the same numbers.

    Parameters
    ----------
    X : array-like, DataFrame or sparse matrix of shape (n_samples, n_features)
    allow_nan : bool, default=True
        Accept missing values.
    numeric_columns : collection of column names, optional
        Convert text to numbers only in these columns (an estimator's
        predict passes the columns that were numeric at fit); None applies
        the rule to every column.

    Raises
    ------
    ValueError
        If ``X`` is empty, has no columns, has duplicate column names, or
        holds infinite values (or missing values when ``allow_nan=False``).
    TypeError
        If ``X`` is not array-like.
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
            raise _too_large(f"sparse X holds values too large to compute with in "
                             f"columns {columns[:10]}", X.data, "those columns")
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
    duplicated = _duplicate_names(frame)
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
            raise _too_large(f"X holds values too large to compute with in columns "
                             f"{columns}", values, "those columns")
        if not allow_nan and np.isnan(values).any():
            raise ValueError("X contains missing values (NaN).")
    return frame


def _too_large(problem, values, what):
    """The error for values beyond :data:`MAX_FEATURE_MAGNITUDE`."""
    largest = float(np.nanmax(np.abs(values)))
    return ValueError(
        f"{problem} (up to {largest:.3g}; at most {MAX_FEATURE_MAGNITUDE:g}, since "
        f"squaring more overflows to infinity); rescale {what}, e.g. divide by a "
        "power of ten or take a log."
    )


def check_target_magnitude(y):
    """Refuse a numeric target beyond :data:`MAX_FEATURE_MAGNITUDE`.

    Its squared errors would overflow to infinity, and every score be NaN.
    """
    if (np.abs(y) > MAX_FEATURE_MAGNITUDE).any():
        raise _too_large("y holds values too large to compute with", y, "y")


def check_target(y, n_samples, task=None):
    """Validate a target vector against ``n_samples`` rows and a task type.

    Returns
    -------
    y : ndarray of shape (n_samples,)
    task : {"binary", "multiclass", "regression"}

    Raises
    ------
    ValueError
        If ``y`` is empty, not 1-dimensional, of the wrong length, has missing
        values, has a single class, or does not fit the given task.
    """
    if y is None:
        raise ValueError("y is required: got None.")
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(f"y must be 1-dimensional, got shape {y.shape}.")
        y = y.iloc[:, 0]
    series = y if isinstance(y, pd.Series) else pd.Series(list(np.ravel(y)))
    if np.ndim(y) > 1 and np.shape(y)[1] != 1:
        raise ValueError(f"y must be 1-dimensional, got shape {np.shape(y)}.")
    if len(series) != n_samples:
        raise ValueError(
            f"X and y have inconsistent lengths: X has {n_samples} rows, y has "
            f"{len(series)} values."
        )
    n_missing = int(series.isna().sum())
    if n_missing == len(series):
        raise ValueError("y is all missing (NaN); a target is required.")
    if n_missing:
        raise ValueError(
            f"y contains {n_missing} missing values (NaN); drop those rows or "
            "impute the target first."
        )
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        if np.isinf(series.to_numpy(dtype=float)).any():
            raise ValueError("y contains infinite values.")
    if task is None:
        task = infer_task(series)
    elif task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}.")
    if task != "regression":
        n_classes = series.nunique()
        if n_classes < 2:
            raise ValueError(
                f"y has a single class ({series.iloc[0]!r}); classification "
                "needs at least two."
            )
        if task == "binary" and n_classes > 2:
            raise ValueError(f"task is 'binary' but y has {n_classes} classes.")
        values = series.to_numpy()
        if values.dtype == object:
            values = values.astype(str)
        return values, task
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        raise ValueError(
            f"task is 'regression' but y is not numeric (dtype {series.dtype})."
        )
    if series.nunique() < 2:
        raise ValueError("y is constant; there is nothing to learn.")
    values = series.to_numpy(dtype=float)
    check_target_magnitude(values)
    return values, task


def check_sample_weight(sample_weight, n_samples):
    """Validate per-row weights and scale them to a mean of 1; None when
    there are none (or all are equal).

    Only the ratios of weights matter: they are divided by their mean (by
    their largest first, so that neither 1e308 nor 1e-300 overflows or
    underflows on the way). Equal weights everywhere are the same as no
    weights, and are treated as none, so that the result is identical to an
    unweighted fit.

    Parameters
    ----------
    sample_weight : array-like of shape (n_samples,) or None
    n_samples : int

    Returns
    -------
    ndarray of float64 of shape (n_samples,), or None

    Raises
    ------
    ValueError
        If the weights are not one number per row, or are missing (NaN),
        infinite, negative, or zero on every row but one (or all).

    Examples
    --------
    >>> from skmeta.datasets import check_sample_weight
    >>> check_sample_weight([1, 2, 1], 3)
    array([0.75, 1.5 , 0.75])
    >>> check_sample_weight([1e308, 1e308, 1e308], 3) is None
    True
    """
    if sample_weight is None:
        return None
    try:
        weights = np.asarray(sample_weight, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            "sample_weight must hold numbers, one weight per row; got values of "
            f"type {np.asarray(sample_weight).dtype}."
        ) from None
    if weights.ndim != 1:
        raise ValueError(
            f"sample_weight must be 1-dimensional, got shape {np.shape(sample_weight)}."
        )
    if len(weights) != n_samples:
        raise ValueError(
            f"sample_weight has {len(weights)} values but X has {n_samples} rows; "
            "pass one weight per row."
        )
    if np.isnan(weights).any():
        raise ValueError(
            f"sample_weight has {int(np.isnan(weights).sum())} missing values (NaN); "
            "give every row a weight."
        )
    if np.isinf(weights).any():
        raise ValueError("sample_weight contains infinite values.")
    if (weights < 0).any():
        raise ValueError(
            f"sample_weight has {int((weights < 0).sum())} negative values (e.g. "
            f"{weights[weights < 0][0]:g}); weights must be >= 0."
        )
    if not weights.any():
        raise ValueError("sample_weight is zero for every row; nothing would be learned.")
    positive = np.flatnonzero(weights)
    if len(positive) == 1:
        raise ValueError(
            f"sample_weight is non-zero on a single row (row {positive[0]}), so "
            "the model would learn from that row alone; give at least two rows a "
            "positive weight."
        )
    weights = weights / weights.max()
    weights = weights / weights.mean()
    if (weights == 1).all():
        return None
    return weights


def check_class_weights(sample_weight, y):
    """Refuse weights that are zero on every row of a class.

    A class of no weight cannot be learned, yet it is still a class of
    ``y``: a search would score a model that never predicts it.

    Raises
    ------
    ValueError
        Naming the first such class.
    """
    if sample_weight is None:
        return
    classes, codes = np.unique(y, return_inverse=True)
    totals = np.bincount(codes, weights=sample_weight, minlength=len(classes))
    counts = np.bincount(codes, minlength=len(classes))
    for label, total, count in zip(classes.tolist(), totals, counts, strict=True):
        if total == 0:
            raise ValueError(
                f"sample_weight is zero on every row of class {label!r} ({count} "
                "rows), so no model can learn it; give those rows a positive "
                "weight, or drop them (and the class) from X and y."
            )


def _check_xy(X, y, task):
    X = check_features(X)
    if has_date_columns(X):
        X = DateTimeEncoder().fit_transform(X)
    if X.shape[0] < 2:
        raise ValueError(
            f"X has a single row; at least 2 samples are required, got {X.shape[0]}."
        )
    y, task = check_target(y, X.shape[0], task)
    return X, y, task


@dataclass(eq=False)
class Dataset:
    """One learning task: a feature table, a target and a task type.

    Parameters
    ----------
    X : array-like or sparse matrix of shape (n_samples, n_features)
        Features; a DataFrame may hold categorical (string or category dtype)
        columns and missing values.
    y : array-like of shape (n_samples,)
        Target.
    name : str, default="dataset"
        A name that identifies the dataset in a knowledge base.
    task : {"binary", "multiclass", "regression"} or None, default=None
        Inferred from ``y`` when None (see :func:`infer_task`).
    metadata : dict, optional
        Free-form facts about the dataset (its source, say).
    sample_weight : array-like of shape (n_samples,), optional
        Per-row weights (see :func:`check_sample_weight`): meta-training
        fits and scores every evaluation with them, and the knowledge base
        records those evaluations as weighted.

    Datetime and timedelta columns of a DataFrame become numeric features
    (see :class:`~skmeta.dates.DateTimeEncoder`), so ``X`` holds their parts.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skmeta import Dataset
    >>> X, y = load_iris(return_X_y=True)
    >>> data = Dataset(X, y, name="iris")
    >>> data.task, data.n_samples, data.n_features
    ('multiclass', 150, 4)
    """

    X: object
    y: object
    name: str = "dataset"
    task: str | None = None
    metadata: dict = field(default_factory=dict)
    sample_weight: object = None
    _fingerprint: str | None = field(default=None, init=False, repr=False)

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name must be a non-empty string, got {self.name!r}.")
        self.X, self.y, self.task = _check_xy(self.X, self.y, self.task)
        self.sample_weight = check_sample_weight(self.sample_weight, len(self.y))
        if self.task != "regression":
            check_class_weights(self.sample_weight, self.y)

    @property
    def fingerprint(self):
        """A content hash of ``X``, ``y`` and the task: equal data, equal id.

        The knowledge base keys evaluations by it, so the same data loaded
        twice (from a CSV or as arrays) is recognised and not evaluated again.
        """
        if self._fingerprint is None:
            digest = hashlib.sha256(self.task.encode())
            if sp.issparse(self.X):
                for part in (self.X.indptr, self.X.indices, self.X.data):
                    digest.update(np.ascontiguousarray(part).tobytes())
                digest.update(str(self.X.shape).encode())
            else:
                digest.update(",".join(map(str, self.X.columns)).encode())
                hashed = pd.util.hash_pandas_object(self.X, index=False)
                digest.update(hashed.to_numpy().tobytes())
            hashed_y = pd.util.hash_pandas_object(pd.Series(self.y), index=False)
            digest.update(hashed_y.to_numpy().tobytes())
            self._fingerprint = digest.hexdigest()[:16]
        return self._fingerprint

    @property
    def n_samples(self):
        return self.X.shape[0]

    @property
    def n_features(self):
        return self.X.shape[1]

    def __repr__(self):
        return (
            f"Dataset(name={self.name!r}, task={self.task!r}, "
            f"n_samples={self.n_samples}, n_features={self.n_features})"
        )


#: The texts pandas reads as missing by default; skmeta reads them as text
#: (only empty fields are missing unless ``na_values`` says more) and warns
#: when they are all that keeps a column from being numbers.
_PANDAS_MISSING_MARKERS = (
    "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
    "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
)


def _missing_tokens(na_values):
    """``na_values`` (None, a string or strings) as the list pandas reads as missing."""
    if na_values is None:
        na_values = []
    elif isinstance(na_values, str):
        na_values = [na_values]
    if not all(isinstance(token, str) for token in na_values):
        raise TypeError(f"na_values must be a string or a list of strings, "
                        f"got {na_values!r}")
    return ["", *na_values]


def _warn_of_numbers_with_markers(frame, source):
    """Warn of text columns that are numbers but for missing-value markers."""
    for column in frame.columns:
        values = frame[column]
        if not (pd.api.types.is_object_dtype(values)
                or pd.api.types.is_string_dtype(values)):
            continue
        is_marker = values.isin(_PANDAS_MISSING_MARKERS)
        if not is_marker.any() or _parse_numbers(values[~is_marker]) is None:
            continue
        tokens = sorted(set(values[is_marker]))
        warnings.warn(
            f"column {column!r} of {source} holds numbers and the text "
            f"{', '.join(map(repr, tokens))}, so it is read as text (only empty "
            f"fields are missing values); if that text means missing, pass "
            f"na_values={tokens!r} (--na-values {','.join(tokens)})",
            UserWarning, stacklevel=3,
        )


def read_csv_table(path, target="target", *, parse_dates=None, sample_weight=None,
                   na_values=None):
    """Read a CSV file (optionally gzip-compressed) into features and target.

    What :func:`load_csv` reads, before it becomes a :class:`Dataset`: the
    features as read (date columns as datetimes, not yet their numeric
    parts), for an estimator's ``fit``, which keeps what it needs to encode
    them the same way at ``predict``.

    Parameters
    ----------
    path, parse_dates, sample_weight, na_values
        As in :func:`load_csv`.
    target : str or None, default="target"
        As in :func:`load_csv`; None reads features only (rows to predict).

    Returns
    -------
    X : DataFrame
    y : Series or None
    sample_weight : Series or None
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(
            f"{path} is a folder, not a CSV file; give a .csv or .csv.gz file")
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    tokens = _missing_tokens(na_values)
    try:
        frame = pd.read_csv(path, keep_default_na=False, na_values=tokens)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError,
            EOFError, zlib.error, OSError) as exc:
        raise ValueError(f"cannot read {path} as CSV: {exc}") from None
    _warn_of_numbers_with_markers(frame, path.name)
    for column, what, hint in ((target, "target", "target=... (--target)"),
                               (sample_weight, "sample weight", "sample_weight=... "
                                "(--sample-weight)")):
        if column is not None and column not in frame.columns:
            shown = ", ".join(map(str, frame.columns[:10]))
            more = ", ..." if frame.shape[1] > 10 else ""
            raise ValueError(
                f"{what} column {column!r} is not in {path.name}; its columns are: "
                f"{shown}{more}. Pass the right name with {hint}."
            )
    y = None if target is None else frame.pop(target)
    weights = None if sample_weight is None else frame.pop(sample_weight)
    if parse_dates is not None:
        columns = find_date_columns(frame) if parse_dates == "auto" else list(parse_dates)
        frame = _parse_date_columns(frame, columns)
    return frame, y, weights


def load_csv(path, target="target", *, name=None, task=None, parse_dates=None,
             sample_weight=None, na_values=None):
    """Load one dataset from a CSV file (optionally gzip-compressed).

    Parameters
    ----------
    path : str or path-like
        The file. Empty cells are missing values; texts such as ``NA`` or
        ``null`` are values (a class or a category called ``NA``) unless
        ``na_values`` names them.
    target : str, default="target"
        The name of the target column.
    name : str, optional
        Defaults to the file name without its ``.csv``/``.csv.gz`` suffix.
    task : {"binary", "multiclass", "regression"}, optional
        Inferred from the target when omitted.
    parse_dates : None, "auto" or list of str, default=None
        Columns to read as dates and times (they become numeric features,
        see :class:`~skmeta.dates.DateTimeEncoder`): a list names them (any
        format pandas parses); ``"auto"`` takes the text columns that hold
        ISO 8601 dates (:func:`~skmeta.dates.find_date_columns`); None
        parses nothing.
    sample_weight : str, optional
        A column of per-row weights: taken out of the features and given to
        the dataset as its ``sample_weight``.
    na_values : str or list of str, optional
        Texts that are missing values besides empty cells, e.g.
        ``["NA", "?"]``.

    Returns
    -------
    Dataset

    Raises
    ------
    ValueError
        If the file cannot be read as CSV, has no column ``target`` (or
        ``sample_weight``), or a column of ``parse_dates`` does not parse.
    FileNotFoundError
        If the file does not exist.
    IsADirectoryError
        If the path is a folder.
    """
    X, y, weights = read_csv_table(path, target, parse_dates=parse_dates,
                                   sample_weight=sample_weight, na_values=na_values)
    if name is None:
        name = Path(path).name
        for suffix in (".gz", ".csv"):
            name = name.removesuffix(suffix)
    return Dataset(X, y, name=name, task=task, sample_weight=weights)


def load_folder(path, target="target", *, pattern="*.csv*", tasks=None,
                na_values=None):
    """Load every CSV file in a folder as a list of datasets, sorted by name.

    Parameters
    ----------
    path : str or path-like
        The folder.
    target : str, default="target"
        The target column of every file.
    pattern : str, default="*.csv*"
        Glob pattern of the files to load (``.csv`` and ``.csv.gz``).
    tasks : dict, optional
        Dataset name to task type, for targets whose type inference would
        guess wrong (e.g. a manifest's ``task`` column).
    na_values : str or list of str, optional
        Texts that are missing values besides empty cells (see :func:`load_csv`).

    Returns
    -------
    list of Dataset
    """
    path = Path(path)
    if not path.is_dir():
        raise FileNotFoundError(f"no such folder: {path}")
    files = sorted(
        p for p in path.glob(pattern)
        if p.is_file() and p.name.endswith((".csv", ".csv.gz"))
    )
    if not files:
        raise ValueError(f"no CSV files matching {pattern!r} in {path}.")
    tasks = tasks or {}
    datasets = []
    for file in files:
        name = file.name.removesuffix(".gz").removesuffix(".csv")
        datasets.append(load_csv(file, target, name=name, task=tasks.get(name),
                                 na_values=na_values))
    return datasets


def load_penguins():
    """Load the bundled Palmer penguins sample (CC0).

    344 penguins, 7 features (2 categorical, with missing values), and the
    species (3 classes) as target.

    Returns
    -------
    Dataset

    Examples
    --------
    >>> from skmeta import load_penguins
    >>> load_penguins()
    Dataset(name='penguins', task='multiclass', n_samples=344, n_features=7)
    """
    with resources.as_file(resources.files("skmeta") / "data" / "penguins.csv") as f:
        return load_csv(f, target="species", name="penguins")


def as_datasets(collection, *, target="target"):
    """Turn a collection into a list of :class:`Dataset`.

    Parameters
    ----------
    collection : list of Dataset or (X, y) pairs, a Dataset, or a folder path
        A folder is loaded with :func:`load_folder`. Pairs are named
        ``dataset_0, dataset_1, ...`` in order.
    target : str, default="target"
        The target column when ``collection`` is a folder.

    Returns
    -------
    list of Dataset
    """
    if isinstance(collection, (str, os.PathLike)):
        return load_folder(collection, target)
    if isinstance(collection, Dataset):
        return [collection]
    if isinstance(collection, tuple) and len(collection) == 2 and not isinstance(
        collection[0], (Dataset, tuple)
    ):
        raise TypeError(
            "got a single (X, y) pair; pass a list of datasets, e.g. [(X, y)]."
        )
    try:
        items = list(collection)
    except TypeError:
        raise TypeError(
            "datasets must be a list of Dataset objects or (X, y) pairs, or a "
            f"folder of CSV files; got {type(collection).__name__}."
        ) from None
    if not items:
        raise ValueError("the collection of datasets is empty.")
    datasets = []
    for i, item in enumerate(items):
        if isinstance(item, Dataset):
            datasets.append(item)
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            datasets.append(Dataset(item[0], item[1], name=f"dataset_{i}"))
        else:
            raise TypeError(
                f"item {i} of the collection is a {type(item).__name__}; expected "
                "a Dataset or an (X, y) pair."
            )
    names = [d.name for d in datasets]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ValueError(f"dataset names must be unique; repeated: {duplicated}.")
    return datasets
