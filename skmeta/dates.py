"""Date and time columns as numeric features a learner can use.

A timestamp one-hot encoded carries almost no signal: nearly every value is
its own category. :class:`DateTimeEncoder` replaces each ``datetime64``
column (naive or time-zone aware) with numeric parts and each ``timedelta64``
column with its seconds. It is the shared step in front of every strategy:
:class:`~skmeta.MetaClassifier`, :class:`~skmeta.MetaRegressor` and
:class:`~skmeta.Dataset` apply it, so the meta-features, every strategy's
pipeline and ``predict`` all see the same numbers.

The parts of a datetime column, chosen at ``fit``:

- ``<col>_elapsed_days``: days since the earliest value seen at ``fit``
  (always; the trend);
- ``<col>_year``, ``<col>_month``, ``<col>_day`` (of the month),
  ``<col>_weekday`` (Monday is 0), ``<col>_hour``, ``<col>_minute``: each
  kept only when it takes more than one value at ``fit`` (a column of dates
  gets no hour, a single year no year).

A time-zone aware column's parts are read in its own time zone (a weekday
is the weekday there) and its elapsed time from the instant. Missing values
(``NaT``) stay missing (NaN) in every part.

:func:`find_date_columns` is the rule the command line uses to recognise
dates in a CSV file.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

__all__ = ["DATE_PARTS", "DateTimeEncoder", "find_date_columns", "has_date_columns",
           "parse_dates"]

#: Calendar parts a datetime column may become, in this order, after
#: ``elapsed_days``.
DATE_PARTS = ("year", "month", "day", "weekday", "hour", "minute")

_SECONDS_PER_DAY = 86_400.0

#: An ISO 8601 date, optionally with a time and a UTC offset:
#: ``2024-03-01``, ``2024-03-01 12:30``, ``2024-03-01T12:30:05.5+01:00``.
_ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}"
    r"([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?"
    r"(Z|[+-]\d{2}(:?\d{2})?)?$"
)


def _is_datetime(dtype):
    return (isinstance(dtype, pd.DatetimeTZDtype)
            or pd.api.types.is_datetime64_dtype(dtype))


def _is_timedelta(dtype):
    return pd.api.types.is_timedelta64_dtype(dtype)


def has_date_columns(X):
    """Whether a DataFrame has a datetime or timedelta column."""
    return isinstance(X, pd.DataFrame) and any(
        _is_datetime(d) or _is_timedelta(d) for d in X.dtypes
    )


def _as_datetime(values, column, timezone):
    """``values`` as datetimes in ``timezone`` (None: naive), or a clear error."""
    if not _is_datetime(values.dtype):
        try:
            values = pd.to_datetime(values, utc=timezone is not None, format="mixed")
        except (ValueError, TypeError, OverflowError) as exc:
            raise ValueError(
                f"column {column!r} held dates and times at fit, but its values "
                f"now do not parse as dates ({exc})."
            ) from None
    aware = isinstance(values.dtype, pd.DatetimeTZDtype)
    if aware != (timezone is not None):
        had = f"time zone {timezone}" if timezone is not None else "no time zone"
        raise ValueError(
            f"column {column!r} had {had} at fit but is "
            f"{'time-zone aware' if aware else 'naive'} now; give it the same kind "
            "of timestamps."
        )
    return values.dt.tz_convert(timezone) if aware else values


def _parts(values):
    """Every calendar part of a datetime Series, as float arrays (NaN if NaT)."""
    accessor = values.dt
    numbers = {"year": accessor.year, "month": accessor.month, "day": accessor.day,
               "weekday": accessor.day_of_week, "hour": accessor.hour,
               "minute": accessor.minute}
    return {part: numbers[part].to_numpy(dtype=float, na_value=np.nan)
            for part in DATE_PARTS}


def _epoch_seconds(values):
    """Seconds since 1970-01-01 (UTC for an aware Series), NaN if NaT."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    return (values - pd.Timestamp(0)).dt.total_seconds().to_numpy(dtype=float,
                                                                  na_value=np.nan)


def _unique_name(name, taken):
    while name in taken:
        name += "_"
    return name


class DateTimeEncoder(TransformerMixin, BaseEstimator):
    """Replace datetime and timedelta columns with numeric features.

    Other columns pass through unchanged and in place; a DataFrame without
    such columns (or a sparse matrix) is returned as it is. See
    :mod:`skmeta.dates` for the parts a datetime column becomes; a timedelta
    column becomes ``<col>_seconds``.

    At ``transform``, a column that held datetimes at ``fit`` may hold text
    (as read from a CSV file): it is parsed as dates, with a clear error if
    it does not parse.

    Attributes
    ----------
    date_columns_ : dict
        Datetime column -> (parts kept, time zone name or None, the earliest
        value in seconds since 1970-01-01 UTC).
    timedelta_columns_ : list
        Timedelta columns.
    feature_names_in_ : ndarray of str
    feature_names_out_ : list of str

    Examples
    --------
    >>> import pandas as pd
    >>> from skmeta.dates import DateTimeEncoder
    >>> X = pd.DataFrame({"when": pd.to_datetime(["2024-01-01", "2024-03-09"]),
    ...                   "size": [1.0, 2.0]})
    >>> encoded = DateTimeEncoder().fit_transform(X)
    >>> list(encoded.columns)
    ['when_elapsed_days', 'when_month', 'when_day', 'when_weekday', 'size']
    >>> encoded.iloc[1].tolist()
    [68.0, 3.0, 9.0, 5.0, 2.0]
    """

    def fit(self, X, y=None):
        """Choose the parts of each datetime column from the values of ``X``."""
        self.date_columns_, self.timedelta_columns_ = {}, []
        if not isinstance(X, pd.DataFrame):
            self.feature_names_in_ = None
            self.feature_names_out_ = None
            return self
        self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        for column, dtype in X.dtypes.items():
            if _is_timedelta(dtype):
                self.timedelta_columns_.append(column)
            elif _is_datetime(dtype):
                tz = getattr(dtype, "tz", None)
                timezone = None if tz is None else str(tz)
                values = _as_datetime(X[column], column, timezone)
                kept = [p for p, v in _parts(values).items()
                        if len(np.unique(v[~np.isnan(v)])) > 1]
                seconds = _epoch_seconds(values)
                seen = seconds[~np.isnan(seconds)]
                reference = float(seen.min()) if len(seen) else 0.0
                self.date_columns_[column] = (kept, timezone, reference)
        # The names depend on the parts kept, not on the values: no rows needed.
        self.feature_names_out_ = list(self._encode(X.iloc[:0]).columns)
        return self

    def transform(self, X):
        """``X`` with its datetime and timedelta columns made numeric."""
        check_is_fitted(self, "date_columns_")
        return self._encode(X)

    def get_feature_names_out(self, input_features=None):
        """The columns of the transformed table, in order."""
        check_is_fitted(self, "date_columns_")
        return np.asarray(self.feature_names_out_, dtype=object)

    def _encode(self, X):
        if not isinstance(X, pd.DataFrame) or not (
            self.date_columns_ or self.timedelta_columns_
        ):
            return X
        taken = set(map(str, X.columns))
        blocks = []
        for column in X.columns:
            values = X[column]
            if column in self.timedelta_columns_:
                seconds = pd.to_timedelta(values).dt.total_seconds()
                name = _unique_name(f"{column}_seconds", taken)
                blocks.append(pd.DataFrame({name: seconds.to_numpy(dtype=float)},
                                           index=X.index))
            elif column in self.date_columns_:
                blocks.append(self._encode_dates(column, values, taken))
            else:
                blocks.append(X[[column]])
        return pd.concat(blocks, axis=1)

    def _encode_dates(self, column, values, taken):
        kept, timezone, reference = self.date_columns_[column]
        values = _as_datetime(values, column, timezone)
        columns = {}
        name = _unique_name(f"{column}_elapsed_days", taken)
        columns[name] = (_epoch_seconds(values) - reference) / _SECONDS_PER_DAY
        parts = _parts(values)
        for part in kept:
            columns[_unique_name(f"{column}_{part}", taken)] = parts[part]
        taken.update(columns)
        return pd.DataFrame(columns, index=values.index)


def find_date_columns(frame):
    """Text columns of ``frame`` that hold ISO 8601 dates.

    The rule: a column of strings (object or string dtype) whose every
    non-missing value is an ISO 8601 date, optionally with a time and a UTC
    offset (``2024-03-01``, ``2024-03-01 12:30``, ``2024-03-01T12:30:05Z``,
    ``2024-03-01T12:30+01:00``), and that has at least one such value.
    Dates in other formats (``03/01/2024``) are not guessed at: name them
    (``parse_dates=[...]``, ``--parse-dates``).

    Examples
    --------
    >>> import pandas as pd
    >>> from skmeta.dates import find_date_columns
    >>> frame = pd.DataFrame({"day": ["2024-03-01", None], "code": ["a", "b"],
    ...                       "us": ["03/01/2024", "03/02/2024"]})
    >>> find_date_columns(frame)
    ['day']
    """
    found = []
    for column, dtype in frame.dtypes.items():
        if isinstance(dtype, pd.CategoricalDtype) or not (
            pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)
        ):
            continue
        values = frame[column].dropna()
        if len(values) and all(isinstance(v, str) and _ISO_DATE.match(v.strip())
                               for v in values):
            found.append(column)
    return found


def parse_dates(frame, columns):
    """``frame`` with ``columns`` parsed as datetimes (a copy).

    Values that carry UTC offsets become time-zone aware (UTC) timestamps;
    a value that does not parse is an error that names its column.
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"cannot parse dates in {missing}: no such column; the columns are "
            f"{', '.join(map(str, frame.columns[:10]))}"
            f"{', ...' if frame.shape[1] > 10 else ''}."
        )
    frame = frame.copy()
    for column in columns:
        values = frame[column]
        text = values.dropna().astype(str)
        offsets = text.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True).any()
        try:
            frame[column] = pd.to_datetime(values, utc=bool(offsets), format="mixed")
        except (ValueError, TypeError, OverflowError) as exc:
            raise ValueError(
                f"column {column!r} does not parse as dates: {exc}") from None
    return frame
