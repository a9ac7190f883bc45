"""Datasets: one learning task, and loading collections of them.

A :class:`Dataset` is the unit everything else in skmeta works on: a name, a
feature table ``X``, a target ``y`` and a task type (``"binary"``,
``"multiclass"`` or ``"regression"``). Features stay as the user gave them
(a pandas DataFrame with categorical and missing values is fine); only the
checks every later step relies on happen when a Dataset is built.

The checks themselves (``check_features``, ``check_target``,
``check_sample_weight``, ...) live in the private :mod:`skmeta._validation`,
beside the estimators' own; they are importable and documented here.
"""

from __future__ import annotations

import hashlib
import os
import warnings
import zlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from skmeta._validation import (
    MAX_CLASSES_FOR_INTEGER_TARGET,
    MAX_FEATURE_MAGNITUDE,
    TASKS,
    check_class_labels,
    check_class_weights,
    check_column_names,
    check_features,
    check_sample_weight,
    check_target,
    check_target_frame,
    check_target_magnitude,
    infer_task,
    parse_numbers,
    unbox_class_labels,
)
from skmeta.dates import DateTimeEncoder, find_date_columns, has_date_columns
from skmeta.dates import parse_dates as _parse_date_columns

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

# Constants of the checks, public here before they moved to skmeta._validation.
_REEXPORTED = (MAX_CLASSES_FOR_INTEGER_TARGET, MAX_FEATURE_MAGNITUDE)


def _check_xy(X, y, task):
    """A Dataset's ``X`` (dates as numeric parts), ``y`` and task, checked."""
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
        if not is_marker.any() or parse_numbers(values[~is_marker]) is None:
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
