"""The target ``y``: its task type, its class labels, and its values.

:func:`check_class_labels` looks at ``y`` as the user gave it (before numpy
turns a missing label into the string ``'nan'``); :func:`check_target`
validates it against the rows of ``X`` and a task type.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from skmeta._validation.values import (
    MAX_FEATURE_MAGNITUDE,
    refuse_duplicate_names,
    short_repr,
    too_large_error,
    value_kind,
)

__all__ = [
    "MAX_CLASSES_FOR_INTEGER_TARGET",
    "TASKS",
    "check_class_labels",
    "check_target",
    "check_target_frame",
    "check_target_magnitude",
    "infer_task",
    "unbox_class_labels",
]

#: The task types skmeta learns.
TASKS = ("binary", "multiclass", "regression")

#: An integer-valued numeric target with more distinct values than this is
#: taken for a regression target (counts, ages, prices in whole units).
MAX_CLASSES_FOR_INTEGER_TARGET = 30


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

    Examples
    --------
    >>> from skmeta.datasets import check_class_labels
    >>> check_class_labels(["a", None, "b"])
    Traceback (most recent call last):
    ...
    ValueError: y contains 1 missing labels (None or NaN); drop those rows or ...
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
            f"{short_repr(number)} and {short_repr(kinds['string'])}); "
            "make them one type, e.g. y.astype(str)."
        )
    if "boolean" in kinds and "number" in kinds:
        raise ValueError(
            f"y mixes booleans and numbers as class labels (e.g. "
            f"{short_repr(kinds['boolean'])} and {short_repr(kinds['number'])}), "
            "and True is also the number 1; make them one type, e.g. "
            "y.astype(int) or y.astype(str)."
        )


def _label_kind(value):
    """What a class label is: missing, string, number, boolean or container."""
    if isinstance(value, (bool, np.bool_)):
        return "boolean"
    if isinstance(value, (tuple, list, set, dict, np.ndarray)):
        return "container"
    return value_kind(value)


def _tuple_labels_error(example):
    return ValueError(
        f"y holds {type(example).__name__}s as class labels (e.g. "
        f"{short_repr(example)}); a class label must be one string, number or "
        "boolean: join the parts into one, e.g. "
        "y = ['_'.join(map(str, label)) for label in y]."
    )


def check_target_frame(y):
    """Refuse a DataFrame ``y`` with duplicate column names.

    pandas' own error for it (a DuplicateError) does not say that ``y``
    must be one column.
    """
    if isinstance(y, pd.DataFrame):
        refuse_duplicate_names(
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


def check_target_magnitude(y):
    """Refuse a numeric target beyond :data:`MAX_FEATURE_MAGNITUDE`.

    Its squared errors would overflow to infinity, and every score be NaN.
    """
    if (np.abs(y) > MAX_FEATURE_MAGNITUDE).any():
        raise too_large_error("y holds values too large to compute with", y, "y")


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

    Examples
    --------
    >>> from skmeta.datasets import check_target
    >>> y, task = check_target([0.5, 1.0, 2.0], 3)
    >>> y.tolist(), task
    ([0.5, 1.0, 2.0], 'regression')
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


