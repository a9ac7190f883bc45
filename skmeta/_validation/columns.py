"""The columns an estimator saw at ``fit``, matched again at ``predict``.

At ``fit`` an estimator keeps the names of a DataFrame's columns
(:func:`column_names`) and which of them were numeric
(:func:`numeric_columns`). At ``predict`` a DataFrame's columns are matched
by name, in any order and whatever the names' type
(:func:`in_fit_order`); an array is taken by position
(:func:`named_by_position`); and a column numeric at ``fit`` must still hold
numbers (:func:`check_still_numeric`).
"""

from __future__ import annotations

import pandas as pd
import scipy.sparse as sp
from sklearn.utils.validation import check_array

__all__ = [
    "as_table",
    "check_still_numeric",
    "column_names",
    "in_fit_order",
    "named_by_position",
    "numeric_columns",
]


def as_table(X, ensure_min_samples=1):
    """DataFrames and sparse matrices as they are; arrays checked as
    scikit-learn checks them, then named ``x0, x1, ...``.

    An object array is made numeric when its values are numbers, and kept as
    it is (its strings are categories) when they are strings.

    Examples
    --------
    >>> from skmeta._validation.columns import as_table
    >>> as_table([[1, 2], [3, 4]]).columns.tolist()
    ['x0', 'x1']
    """
    if isinstance(X, pd.DataFrame) or sp.issparse(X):
        return X
    array = check_array(X, dtype=None, ensure_all_finite=False,
                        ensure_min_samples=ensure_min_samples)
    if array.dtype == object:
        try:
            array = array.astype(float)
        except ValueError:  # strings: categorical columns
            pass
    if array.dtype.kind == "c":
        raise ValueError("Complex data not supported.")
    return pd.DataFrame(array, columns=[f"x{i}" for i in range(array.shape[1])])


def column_names(table):
    """The column names of a DataFrame, as a tuple (None for anything else)."""
    return tuple(table.columns) if isinstance(table, pd.DataFrame) else None


def numeric_columns(table):
    """Names of a DataFrame's numeric columns (none for a sparse matrix)."""
    if not isinstance(table, pd.DataFrame):
        return ()
    return tuple(c for c in table.columns
                 if pd.api.types.is_numeric_dtype(table[c].dtype))


def in_fit_order(X, names):
    """A DataFrame's columns put in the order of fit, matched by name.

    Whenever fit saw a DataFrame (``names``), a DataFrame at predict is
    matched by its column names, whatever their type (scikit-learn matches
    string names only, and refuses them in another order).

    Raises
    ------
    ValueError
        If a column seen at fit is missing, or one not seen at fit is there.

    Examples
    --------
    >>> import pandas as pd
    >>> from skmeta._validation.columns import in_fit_order
    >>> in_fit_order(pd.DataFrame({"b": [1], "a": [2]}), ("a", "b")).columns.tolist()
    ['a', 'b']
    """
    if names is None or not isinstance(X, pd.DataFrame):
        return X
    given = list(X.columns)
    if given == list(names):
        return X
    position = {name: i for i, name in enumerate(given)}
    seen = set(names)
    missing = [name for name in names if name not in position]
    unknown = [name for name in given if name not in seen]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"lacks column(s) {_few(missing)} seen at fit")
        if unknown:
            problems.append(f"has column(s) {_few(unknown)} not seen at fit")
        raise ValueError(
            f"X {' and '.join(problems)}; pass the columns the model was fitted "
            "on (in any order)."
        )
    return X.iloc[:, [position[name] for name in names]]


def _few(names, shown=5):
    """A list of names for a message, cut after ``shown``."""
    text = repr(list(names[:shown]))
    return text if len(names) <= shown else text[:-1] + ", ...]"


def named_by_position(table, X, columns, named):
    """At predict, name the columns as at fit where ``X`` cannot name them.

    An array after a DataFrame (or a DataFrame after an array, whose columns
    were ``x0, x1, ...``) is taken by position, as scikit-learn takes it,
    after its warning that the feature names do not match; ``validate_data``
    has checked the width.
    """
    if (columns is None or not isinstance(table, pd.DataFrame)
            or tuple(table.columns) == columns or table.shape[1] != len(columns)):
        return table
    if isinstance(X, pd.DataFrame) and named:
        return table  # names to match: validate_data compared them
    return table.set_axis(list(columns), axis=1)


def check_still_numeric(table, numeric):
    """Columns numeric at fit must still be numeric: name the first that is not."""
    if not isinstance(table, pd.DataFrame):
        return
    for column in numeric:
        values = table[column]
        if column in table and not pd.api.types.is_numeric_dtype(values.dtype):
            converted = pd.to_numeric(values, errors="coerce")
            bad = values[converted.isna() & values.notna()]
            if len(bad):
                raise ValueError(
                    f"column {column!r} was numeric in fit but holds values that "
                    f"are not numbers now (e.g. {bad.iloc[0]!r}); convert it to "
                    "numbers as it was when fitting."
                )
