"""The knowledge base: every evaluation ever run, in SQLite.

:class:`KnowledgeBase` stores datasets (with their meta-features) and the
evaluations of strategy configurations on them, in a SQLite database through
the standard library's :mod:`sqlite3`: a file, or memory when no path is given.
It also keeps properties: small named JSON values, such as the settings the
meta-learner learned from the evaluations.

How the file is made safe to open and write (durability, concurrency, the
schema and its migrations, the checks a file passes before anything is
written to it) is in :mod:`skmeta.knowledge.schema`.
"""

from __future__ import annotations

import json
import math
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from skmeta.knowledge.exchange import (
    FORMAT,
    FORMAT_VERSION,
    dataset_row,
    property_row,
    read_document,
    same_property_value,
    validate_document,
    write_document,
)
from skmeta.knowledge.paths import check_regular_file
from skmeta.knowledge.records import (
    Evaluation,
    EvaluationKey,
    _skmeta_version,
)
from skmeta.knowledge.schema import (  # noqa: F401 (the names store had)
    APPLICATION_ID,
    BUSY_TIMEOUT_SECONDS,
    MIGRATIONS,
    SCHEMA_VERSION,
    _migrate,
    connect,
    expected_schema,
    on_read_only_storage,
)

__all__ = ["APPLICATION_ID", "MIGRATIONS", "SCHEMA_VERSION", "KnowledgeBase"]

_EVALUATION_COLUMNS = (
    "dataset_id", "strategy", "config_key", "config", "metric", "cv", "seed",
    "status", "score", "fold_scores", "fit_seconds", "predict_seconds", "error",
    "skmeta_version", "created_at",
)
_KEY_COLUMNS = ("dataset_id", "strategy", "config_key", "metric", "cv", "seed")
_FRAME_COLUMNS = (
    "dataset_id", "dataset_name", "task", "strategy", "config", "config_key",
    "metric", "cv", "seed", "status", "score", "fold_scores", "fit_seconds",
    "predict_seconds", "error", "skmeta_version", "created_at",
)

_INSERT_EVALUATION = (
    f"INSERT OR IGNORE INTO evaluations ({', '.join(_EVALUATION_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_EVALUATION_COLUMNS))})"
)
_UPSERT_PROPERTY = (
    "INSERT INTO properties (name, value) VALUES (?, ?) "
    "ON CONFLICT (name) DO UPDATE SET value = excluded.value"
)
_UPSERT_DATASET = (
    "INSERT INTO datasets (dataset_id, name, task, n_samples, n_features, "
    "metafeatures) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dataset_id) DO UPDATE "
    "SET name = excluded.name, task = excluded.task, n_samples = excluded.n_samples,"
    " n_features = excluded.n_features, metafeatures = excluded.metafeatures"
)


def _values(value, name):
    """A filter argument (one string or several) as a list of strings."""
    if value is None:
        return None
    iterable = hasattr(value, "__iter__") and not isinstance(value, (bytes, dict))
    values = [value] if isinstance(value, str) else list(value) if iterable else None
    if values is None or not all(isinstance(v, str) for v in values):
        raise TypeError(f"{name} must be a string or a list of strings, got {value!r}.")
    return values


def _where(filters):
    """SQL conditions and parameters for ``column IN (...)`` filters.

    The values travel as one JSON array parameter, so any number of them is
    bound as data, never spliced into the SQL.
    """
    clauses, params = [], []
    for column, values in filters:
        if values is not None:
            clauses.append(f"{column} IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(values))
    return " AND ".join(clauses), params


def _object_array(values):
    """A 1-d object array of dicts or lists (numpy would nest the lists)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _json(text, what):
    """Decode stored JSON text; a clear error for anything else in the file."""
    try:
        if not isinstance(text, str):
            raise TypeError
        return json.loads(text)
    except (TypeError, ValueError):
        shown = repr(text)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        raise ValueError(
            f"the knowledge base holds {what} that is not JSON text ({shown}): "
            "the file was not written by skmeta, or it is damaged."
        ) from None


def _json_rows(texts, what):
    """Decode many stored JSON texts at once (fast), or name the bad one."""
    try:
        if not all(isinstance(text, str) for text in texts):
            raise TypeError
        values = json.loads("[" + ",".join(texts) + "]")
    except (TypeError, ValueError):
        values = None
    if values is None or len(values) != len(texts):
        return [_json(text, what) for text in texts]
    return values


def _fold_scores(text):
    return [math.nan if s is None else s for s in _json(text, "fold scores")]


#: The function that loads the shipped knowledge base.
#: skmeta.knowledge.default_knowledge_base registers it when imported (the
#: package imports it), so that this module, which that one builds on, never
#: imports it back.
_DEFAULT_LOADER = []


def register_default_loader(loader):
    """Make ``loader()`` what :meth:`KnowledgeBase.default` returns (and what
    the default knowledge base pickles as)."""
    _DEFAULT_LOADER[:] = [loader]


def _default_loader():
    if not _DEFAULT_LOADER:
        raise RuntimeError(
            "no loader of the shipped knowledge base is registered; import "
            "skmeta.knowledge (which imports skmeta.knowledge.default_knowledge_base) "
            "first."
        )
    return _DEFAULT_LOADER[0]


def _from_document(document):
    return KnowledgeBase.from_dict(document)


def _reopen(location):
    """A file knowledge base of a pickle or a copy, opened when first used.

    Loading a pickled model opens no file and creates none: the file is
    opened on first use, never created (see :meth:`KnowledgeBase._connection`).
    """
    kb = KnowledgeBase.__new__(KnowledgeBase)
    kb._attach(None, Path(location))
    kb._deferred = Path(location)
    return kb


class KnowledgeBase:
    """Every evaluation ever run: datasets, meta-features, strategies, scores.

    Parameters
    ----------
    path : str or path-like, optional
        A SQLite file, created when missing (its folder must exist). None keeps
        the knowledge base in memory, for tests and throwaway experiments.

    Attributes
    ----------
    path : pathlib.Path or None
        The file, or None in memory.
    schema_version : int
        The schema version of the database.
    read_only : bool
        True for the shared :meth:`default` knowledge base, and for a file
        on read-only storage (opened with SQLite's read-only modes).

    Notes
    -----
    A KnowledgeBase pickles (and ``copy.deepcopy``-s, so ``sklearn.clone`` of
    an estimator holding one works): a file knowledge base as its absolute
    path (the copy opens the same file when first used, and never creates
    it: loading a pickled model creates no file), an in-memory one as its
    content (the JSON document of :meth:`to_dict`), the :meth:`default` one
    as a reference to
    the shipped file. Methods are thread-safe; for several processes, give
    each its own KnowledgeBase on the same file.

    Examples
    --------
    >>> from skmeta.knowledge import Evaluation, KnowledgeBase
    >>> kb = KnowledgeBase()
    >>> kb.add_dataset("d1", "iris", "multiclass", {"n_classes": 3.0},
    ...                n_samples=150, n_features=4)
    >>> ev = Evaluation("d1", "svc", {"C": 1.0}, "accuracy", "KFold(n_splits=3)",
    ...                 seed=0, score=0.95, fold_scores=[0.94, 0.96, 0.95])
    >>> kb.add_evaluation(ev), kb.add_evaluation(ev)
    (True, False)
    >>> len(kb)
    1
    >>> kb.evaluations()[["dataset_name", "strategy", "score"]]
      dataset_name strategy  score
    0         iris      svc   0.95
    >>> kb.set_property("adjuster_settings.classification", {"temperature": 0.1})
    >>> kb.get_property("adjuster_settings.classification")
    {'temperature': 0.1}
    """

    def __init__(self, path=None):
        if path is not None and str(path) == ":memory:":
            path = None
        if path is not None:
            path = Path(path)
            check_regular_file(path)
            if not path.parent.is_dir():
                raise FileNotFoundError(
                    f"cannot open the knowledge base {path}: the folder "
                    f"{path.parent} does not exist."
                )
            if path.name.lower().endswith((".json", ".json.gz")):
                # Never a SQLite file under an export's name (see
                # skmeta.knowledge.opening).
                raise ValueError(
                    f"{path} names a JSON export, not a SQLite file: read it "
                    "with KnowledgeBase.from_json(path), or give the database "
                    "another name (e.g. kb.sqlite)."
                )
        self._attach(None, path)
        self._open(path, create=True)

    def _attach(self, conn, path, read_only=False):
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path
        self.read_only = read_only
        self._shared = False
        self._deferred = None  # the file to open on first use (see _reopen)
        # Where the file is, whatever the working directory becomes.
        self._location = None if path is None else path.absolute()

    def _open(self, path, create):
        read_only = path is not None and on_read_only_storage(path)
        if read_only and create and not path.exists():
            raise ValueError(
                f"cannot create {path}: its folder is on read-only storage; "
                "give a path on writable storage."
            )
        self._conn = connect(path, create=create, read_only=read_only)
        self.read_only = read_only

    # -- lifecycle ---------------------------------------------------------

    def close(self):
        """Close the database (a no-op for the shared :meth:`default` one)."""
        if self._shared:
            return
        with self._lock:
            self._deferred = None
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __del__(self):
        conn = getattr(self, "_conn", None)
        if conn is not None:
            conn.close()

    def __bool__(self):
        return True  # an empty knowledge base is still a knowledge base

    def __len__(self):
        return self._query("SELECT count(*) FROM evaluations")[0][0]

    def __contains__(self, key):
        return self.has_evaluation(key)

    def __repr__(self):
        where = "memory" if self.path is None else str(self.path)
        if self._deferred is not None:
            return f"KnowledgeBase({where}, opened when first used)"
        if self._conn is None:
            return f"KnowledgeBase({where}, closed)"
        n_datasets = self._query("SELECT count(*) FROM datasets")[0][0]
        return (f"KnowledgeBase({where}, {n_datasets} datasets, {len(self)} "
                "evaluations)")

    def __reduce__(self):
        if self._shared:
            return _default_loader(), ()
        if self.path is not None:
            return _reopen, (str(self._location),)
        if self._conn is None:
            raise ValueError("cannot pickle a closed in-memory knowledge base.")
        return _from_document, (self.to_dict(),)

    def __deepcopy__(self, memo):
        if self._shared:
            return self
        if self.path is not None:
            return _reopen(self._location)
        return self.copy()

    def __copy__(self):
        return self.__deepcopy__({})

    @property
    def schema_version(self):
        return self._query("PRAGMA user_version")[0][0]

    def _connection(self):
        if self._conn is None and self._deferred is not None:
            self._open_deferred()
        if self._conn is None:
            raise ValueError("the knowledge base is closed.")
        return self._conn

    def _open_deferred(self):
        """Open the file of a pickle or a copy: it must still be there."""
        location = self._deferred
        if not check_regular_file(location):
            raise FileNotFoundError(
                f"the knowledge base {location} no longer exists (a loaded model "
                "or a copy names it); put it back, or give the model another "
                "knowledge base."
            )
        self._open(location, create=False)
        self._deferred = None

    def _query(self, sql, params=()):
        with self._lock:
            return self._connection().execute(sql, params).fetchall()

    @contextmanager
    def _transaction(self):
        with self._lock:
            conn = self._connection()  # knows read_only once opened
            if self.read_only:
                which = ("the shared default one" if self._shared
                         else f"{self.path} is on read-only storage")
                raise ValueError(
                    f"this knowledge base is read-only ({which}); "
                    "make a writable copy with kb.copy() or kb.copy(path)."
                )
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(exc, UnicodeEncodeError):
                    raise ValueError(
                        "a name or text is not valid Unicode (it holds a lone "
                        "surrogate) and cannot be stored."
                    ) from None
                if isinstance(exc, sqlite3.IntegrityError):
                    raise ValueError(
                        f"the knowledge base refused the write: {exc}."
                    ) from None
                raise

    def copy(self, path=None):
        """A writable copy, in memory or in a new file.

        Parameters
        ----------
        path : str or path-like, optional
            A file that does not exist yet; None copies into memory.

        Returns
        -------
        KnowledgeBase
        """
        if path is not None:
            path = Path(path)
            if path.exists():
                raise FileExistsError(f"{path} already exists; copy into a new file.")
            if not path.parent.is_dir():
                raise FileNotFoundError(f"the folder {path.parent} does not exist.")
        target = sqlite3.connect(
            ":memory:" if path is None else str(path),
            timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None,
            check_same_thread=False,
        )
        with self._lock:
            self._connection().backup(target)
        if path is not None:
            target.close()
            return KnowledgeBase(path)
        return KnowledgeBase._wrap(target)

    # -- writing -----------------------------------------------------------

    def add_dataset(self, dataset_id, name, task, metafeatures, n_samples, n_features):
        """Store a dataset and its meta-features, replacing a stored one.

        Parameters
        ----------
        dataset_id : str
            Its id, usually ``Dataset.fingerprint``.
        name : str
            A human-readable name.
        task : {"binary", "multiclass", "regression"}
        metafeatures : dict or pandas.Series
            Meta-feature names to numbers; NaN, infinite or None values are
            stored as missing and read back as NaN.
        n_samples, n_features : int

        Raises
        ------
        ValueError
            If a field is invalid, or the dataset is stored with another task
            and has evaluations (they would change meaning).
        """
        row = dataset_row(dataset_id, name, task, metafeatures, n_samples, n_features)
        with self._transaction() as conn:
            stored = conn.execute(
                "SELECT task FROM datasets WHERE dataset_id = ?", (row[0],)
            ).fetchone()
            if stored is not None and stored[0] != row[2]:
                n_evaluations = conn.execute(
                    "SELECT count(*) FROM evaluations WHERE dataset_id = ?", (row[0],)
                ).fetchone()[0]
                if n_evaluations:
                    raise ValueError(
                        f"dataset {row[0]!r} is stored as a {stored[0]!r} task with "
                        f"{n_evaluations} evaluations; it cannot become {row[2]!r}."
                    )
            conn.execute(_UPSERT_DATASET, row)

    def add_evaluation(self, evaluation):
        """Store one evaluation in its own transaction.

        Returns
        -------
        added : bool
            True if it was new, False if an evaluation with the same key was
            already stored (the stored one is kept).

        Raises
        ------
        ValueError
            If its dataset has not been added with :meth:`add_dataset`.
        """
        return self.add_evaluations([evaluation]) == 1

    def add_evaluations(self, evaluations):
        """Store several evaluations in one transaction; return how many were new."""
        rows = []
        for evaluation in evaluations:
            if not isinstance(evaluation, Evaluation):
                raise TypeError(
                    f"expected an Evaluation, got {type(evaluation).__name__}."
                )
            rows.append(evaluation._row())
        if not rows:
            return 0
        with self._transaction() as conn:
            self._check_datasets_known(conn, {row[0] for row in rows})
            before = conn.total_changes
            conn.executemany(_INSERT_EVALUATION, rows)
            return conn.total_changes - before

    def set_property(self, name, value):
        """Store a small named JSON value, replacing a stored one of that name.

        Properties hold what is learned from the evaluations rather than
        evaluations themselves, e.g. the meta-learned adjuster settings
        ``"adjuster_settings.classification"``. They travel with the
        knowledge base: in copies, pickles and the JSON exchange format.

        Parameters
        ----------
        name : str
            A non-empty string of at most 200 characters.
        value : JSON-able
            Dicts with string keys, lists (tuples are stored as lists),
            strings of at most 1,000 characters, finite numbers, booleans and
            None, with containers nested at most 4 levels deep and at most
            100 kB as JSON. Numpy scalars are stored as Python numbers.

        Raises
        ------
        TypeError, ValueError
            If the name or the value breaks these rules (the message names
            the place, e.g. ``properties['x']['a'] must be a finite number``),
            or the knowledge base is read-only.

        Examples
        --------
        >>> from skmeta.knowledge import KnowledgeBase
        >>> kb = KnowledgeBase()
        >>> kb.set_property("n_datasets", 80)
        >>> kb.set_property("n_datasets", 81)
        >>> kb.properties()
        {'n_datasets': 81}
        """
        row = property_row(name, value)
        with self._transaction() as conn:
            conn.execute(_UPSERT_PROPERTY, row)

    @staticmethod
    def _check_datasets_known(conn, dataset_ids, new=()):
        known = {row[0] for row in conn.execute("SELECT dataset_id FROM datasets")}
        unknown = sorted(set(dataset_ids) - known - set(new))
        if unknown:
            shown = ", ".join(map(repr, unknown[:5]))
            more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
            raise ValueError(
                f"evaluations refer to datasets that are not in the knowledge "
                f"base: {shown}{more}; add them with add_dataset first."
            )

    def remove_evaluations(self, keys):
        """Remove stored evaluations by their keys, in one transaction.

        For records that should not be there, such as the invalid ones
        :func:`~skmeta.knowledge.checks.invalid_evaluations` lists; nothing
        else is changed (datasets and properties stay).

        Parameters
        ----------
        keys : iterable of EvaluationKey, Evaluation or 6-tuples
            ``(dataset_id, strategy, config_key, metric, cv, seed)``.

        Returns
        -------
        int
            How many were removed (a key that is not stored removes nothing).
        """
        keys = [self._key(key) for key in keys]
        where = " AND ".join(f"{c} = ?" for c in _KEY_COLUMNS)
        with self._transaction() as conn:
            before = conn.total_changes
            conn.executemany(f"DELETE FROM evaluations WHERE {where}", keys)
            return conn.total_changes - before

    # -- reading -----------------------------------------------------------

    def has_evaluation(self, key):
        """Whether an evaluation with this key (or this Evaluation's key) is stored."""
        key = self._key(key)
        where = " AND ".join(f"{c} = ?" for c in _KEY_COLUMNS)
        return bool(self._query(f"SELECT 1 FROM evaluations WHERE {where}", key))

    @staticmethod
    def _key(key):
        if isinstance(key, Evaluation):
            return key.key
        try:
            key = EvaluationKey(*key)
            return key._replace(seed=int(key.seed))  # numpy integers from frames
        except (TypeError, ValueError):
            raise TypeError(
                "a key is an Evaluation or a tuple (dataset_id, strategy, "
                f"config_key, metric, cv, seed), got {key!r}."
            ) from None

    def get_evaluation(self, key):
        """The stored :class:`Evaluation` with this key, or None."""
        key = self._key(key)
        where = " AND ".join(f"e.{c} = ?" for c in _KEY_COLUMNS)
        rows = self._evaluation_rows(where, key)
        if not rows:
            return None
        record = dict(zip(_EVALUATION_COLUMNS, rows[0][3:], strict=True))
        record.pop("config_key")
        record["config"] = _json(record["config"], "a configuration")
        record["fold_scores"] = _fold_scores(record["fold_scores"])
        return Evaluation(**record)

    def evaluation_keys(self, dataset_id=None):
        """The keys of the stored evaluations (of one dataset or of all)."""
        sql = f"SELECT {', '.join(_KEY_COLUMNS)} FROM evaluations"
        params = ()
        if dataset_id is not None:
            sql += " WHERE dataset_id = ?"
            params = (dataset_id,)
        return {EvaluationKey(*row) for row in self._query(sql, params)}

    def get_property(self, name, default=None):
        """The value of a property (see :meth:`set_property`), or ``default``.

        Returns a new object decoded from the stored JSON on each call:
        changing it changes nothing stored.

        Examples
        --------
        >>> from skmeta.knowledge import KnowledgeBase
        >>> kb = KnowledgeBase()
        >>> kb.get_property("missing", default={})
        {}
        """
        if not isinstance(name, str):
            raise TypeError(f"a property name is a string, got {name!r}.")
        rows = self._query("SELECT value FROM properties WHERE name = ?", (name,))
        return _json(rows[0][0], f"property {name!r}") if rows else default

    def properties(self):
        """All properties: a dict of names (sorted) to their decoded values."""
        return {name: _json(value, f"property {name!r}") for name, value in self._query(
            "SELECT name, value FROM properties ORDER BY name")}

    def datasets(self, task=None):
        """The stored datasets: a DataFrame indexed by ``dataset_id``.

        Columns ``name``, ``task``, ``n_samples``, ``n_features``; sorted by id.
        """
        where, params = _where([("task", _values(task, "task"))])
        rows = self._query(
            "SELECT dataset_id, name, task, n_samples, n_features FROM datasets"
            f"{' WHERE ' + where if where else ''} ORDER BY dataset_id", params,
        )
        frame = pd.DataFrame(
            rows, columns=["dataset_id", "name", "task", "n_samples", "n_features"]
        ).set_index("dataset_id")
        return frame.astype({"n_samples": "int64", "n_features": "int64"})

    def metafeatures(self, task=None):
        """Meta-features: one row per dataset (index ``dataset_id``), float columns.

        Columns are the union of all datasets' meta-feature names, sorted;
        missing values are NaN.
        """
        where, params = _where([("task", _values(task, "task"))])
        rows = self._query(
            "SELECT dataset_id, metafeatures FROM datasets"
            f"{' WHERE ' + where if where else ''} ORDER BY dataset_id", params,
        )
        records = _json_rows([text for _, text in rows], "meta-features")
        columns = sorted({name for record in records for name in record})
        frame = pd.DataFrame(records, columns=columns, dtype="float64")
        frame.index = pd.Index([r[0] for r in rows], name="dataset_id")
        return frame

    def metafeature_names_by_dataset(self):
        """The names of the meta-features stored for each dataset.

        Tells datasets stored by an older meta-feature extractor apart: their
        names lack those added since (a stored NaN keeps its name).

        Returns
        -------
        dict
            ``dataset_id`` to a frozenset of names.
        """
        rows = self._query("SELECT dataset_id, metafeatures FROM datasets")
        records = _json_rows([text for _, text in rows], "meta-features")
        return {row[0]: frozenset(record) for row, record in zip(rows, records)}

    def _evaluation_rows(self, where_sql="", params=(), order="e.id"):
        """Rows of (id, dataset name, task, *_EVALUATION_COLUMNS)."""
        sql = (
            "SELECT e.id, d.name, d.task, "
            + ", ".join(f"e.{c}" for c in _EVALUATION_COLUMNS)
            + " FROM evaluations AS e JOIN datasets AS d USING (dataset_id)"
            + (f" WHERE {where_sql}" if where_sql else "")
            + f" ORDER BY {order}"
        )
        return self._query(sql, params)

    def evaluations(self, dataset_id=None, strategy=None, status=None, task=None):
        """The stored evaluations, one row each, in the order they were stored.

        Parameters
        ----------
        dataset_id, strategy, status, task : str or list of str, optional
            Keep only evaluations matching (any of) these.

        Returns
        -------
        pandas.DataFrame
            One row per evaluation, a default RangeIndex, these columns in
            this order (the same with no rows):

            - ``dataset_id`` (str): the dataset's id.
            - ``dataset_name`` (str), ``task`` (str): the dataset's name and
              task, ``"binary"``, ``"multiclass"`` or ``"regression"``.
            - ``strategy`` (str): the strategy's name.
            - ``config`` (dict): the hyperparameters, as stored (canonical:
              tuples became lists, numpy scalars Python numbers).
            - ``config_key`` (str): :func:`~skmeta.knowledge.config_key` of
              ``config``, 16 hex digits; equal configurations have equal
              keys, so ``drop_duplicates(["strategy", "config_key"])`` lists
              the distinct candidates.
            - ``metric`` (str), ``cv`` (str), ``seed`` (int64): with the
              above, the evaluation's identity (:attr:`Evaluation.key`).
            - ``status`` (str): ``"ok"``, ``"error"`` or ``"timeout"``.
            - ``score`` (float64): the mean cross-validation score, greater
              is better; NaN when the evaluation failed.
            - ``fold_scores`` (list of float): per fold, NaN for a failed fold.
            - ``fit_seconds``, ``predict_seconds`` (float64): time to fit,
              and to predict and score, summed over the folds.
            - ``error`` (str): the error of a failed evaluation, else ``""``.
            - ``skmeta_version`` (str), ``created_at`` (str, ISO 8601): who
              ran it and when.

        Examples
        --------
        >>> from skmeta.knowledge import KnowledgeBase
        >>> frame = KnowledgeBase().evaluations()
        >>> list(frame.columns)  # doctest: +NORMALIZE_WHITESPACE
        ['dataset_id', 'dataset_name', 'task', 'strategy', 'config', 'config_key',
         'metric', 'cv', 'seed', 'status', 'score', 'fold_scores', 'fit_seconds',
         'predict_seconds', 'error', 'skmeta_version', 'created_at']
        """
        filters = [
            ("e.dataset_id", _values(dataset_id, "dataset_id")),
            ("e.strategy", _values(strategy, "strategy")),
            ("e.status", _values(status, "status")),
            ("d.task", _values(task, "task")),
        ]
        return self._evaluation_frame(filters)[0]

    def _evaluation_frame(self, filters):
        """The evaluations frame for ``_where`` filters, and the rows' ids."""
        where, params = _where(filters)
        rows = self._evaluation_rows(where, params)
        names = ["id", "dataset_name", "task", *_EVALUATION_COLUMNS]
        columns = dict(zip(names, zip(*rows, strict=True), strict=True)) if rows else {
            name: () for name in names
        }
        # One json.loads over all rows: per-row calls cost more than parsing.
        configs = _json_rows(columns["config"], "a configuration")
        texts = columns["fold_scores"]
        folds = _json_rows(texts, "fold scores")
        folds = [
            [math.nan if s is None else s for s in scores] if "null" in text
            else scores
            for scores, text in zip(folds, texts, strict=True)
        ]

        data = {name: list(columns[name]) for name in _FRAME_COLUMNS}
        data["config"] = _object_array(configs)
        data["fold_scores"] = _object_array(folds)
        data["seed"] = np.array(columns["seed"], dtype="int64")
        for name in ("score", "fit_seconds", "predict_seconds"):
            data[name] = np.array(columns[name], dtype="float64")  # None: NaN
        frame = pd.DataFrame(data)
        return frame, list(columns["id"])

    def strategies(self):
        """The names of the strategies with stored evaluations, sorted."""
        return [r[0] for r in self._query(
            "SELECT DISTINCT strategy FROM evaluations ORDER BY strategy")]

    def tasks(self):
        """The task types of the stored datasets, sorted."""
        return [r[0] for r in self._query(
            "SELECT DISTINCT task FROM datasets ORDER BY task")]

    def summary(self):
        """Counts for a quick look (the ``skmeta`` command shows them).

        Returns
        -------
        dict
            ``path, schema_version, n_datasets, n_evaluations, n_strategies,
            n_properties, datasets_per_task, evaluations_per_task,
            evaluations_per_status, skmeta_versions`` (evaluations per skmeta
            version).
        """
        def counts(sql):
            return {key: n for key, n in self._query(sql)}

        return {
            "path": None if self.path is None else str(self.path),
            "schema_version": self.schema_version,
            "n_datasets": self._query("SELECT count(*) FROM datasets")[0][0],
            "n_evaluations": len(self),
            "n_strategies": self._query(
                "SELECT count(DISTINCT strategy) FROM evaluations")[0][0],
            "n_properties": self._query("SELECT count(*) FROM properties")[0][0],
            "datasets_per_task": counts(
                "SELECT task, count(*) FROM datasets GROUP BY task ORDER BY task"),
            "evaluations_per_task": counts(
                "SELECT d.task, count(*) FROM evaluations AS e JOIN datasets AS d "
                "USING (dataset_id) GROUP BY d.task ORDER BY d.task"),
            "evaluations_per_status": counts(
                "SELECT status, count(*) FROM evaluations GROUP BY status "
                "ORDER BY status"),
            "skmeta_versions": counts(
                "SELECT skmeta_version, count(*) FROM evaluations "
                "GROUP BY skmeta_version ORDER BY skmeta_version"),
        }

    # -- exchange ----------------------------------------------------------

    def to_dict(self):
        """The whole knowledge base as a JSON-able document (see ``exchange``).

        The ``properties`` key is present only when properties are stored, so
        a knowledge base without them exports exactly as before properties
        existed. Equal contents give equal documents (records in storage
        order, properties by name).
        """
        datasets = [
            {"dataset_id": r[0], "name": r[1], "task": r[2], "n_samples": r[3],
             "n_features": r[4], "metafeatures": _json(r[5], "meta-features")}
            for r in self._query(
                "SELECT dataset_id, name, task, n_samples, n_features, metafeatures"
                " FROM datasets ORDER BY dataset_id")
        ]
        evaluations = []
        for row in self._query(
            f"SELECT {', '.join(_EVALUATION_COLUMNS)} FROM evaluations ORDER BY id"
        ):
            record = dict(zip(_EVALUATION_COLUMNS, row, strict=True))
            del record["config_key"]
            record["config"] = _json(record["config"], "a configuration")
            record["fold_scores"] = _json(record["fold_scores"], "fold scores")
            evaluations.append(record)
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "skmeta_version": _skmeta_version(),
        }
        properties = self.properties()
        if properties:
            document["properties"] = properties
        document["datasets"] = datasets
        document["evaluations"] = evaluations
        return document

    def export_json(self, path):
        """Write the knowledge base as JSON (gzip-compressed if ``path`` ends in .gz).

        Returns
        -------
        path : pathlib.Path

        Raises
        ------
        ValueError
            If ``path`` is this knowledge base's own file (or its ``-wal`` or
            ``-shm`` companion): the export would replace the database.
        """
        self._check_not_own_file(path)
        return write_document(self.to_dict(), path)

    def _check_not_own_file(self, path):
        if self.path is None:
            return
        target = Path(path).resolve()
        own = self.path.resolve()
        if target in (own, own.with_name(own.name + "-wal"),
                      own.with_name(own.name + "-shm")):
            raise ValueError(
                f"cannot export {self.path} to {path}: that is the knowledge "
                "base's own file, which the export would replace; write the "
                "export to a .json or .json.gz file."
            )

    def import_dict(self, document, source="the document"):
        """Merge a document into this knowledge base.

        The whole document is validated first, then written in one
        transaction: on any problem nothing is imported. Importing never
        changes or loses what is stored: stored evaluations are kept
        (duplicates are skipped); for a stored dataset only missing
        meta-features are filled in; a property is added when absent, and
        when stored its stored value is kept. A stored property whose value
        differs from the document's is counted in ``properties_conflicting``;
        to take the document's value, :meth:`set_property` it afterwards.

        Returns
        -------
        dict
            ``datasets_added, datasets_updated, evaluations_added,
            evaluations_skipped, properties_added, properties_skipped,
            properties_conflicting``: counts. A skipped property was stored
            with an equal value; a conflicting one with a different value,
            which was kept.

        Raises
        ------
        ValueError
            If the document is invalid, or a dataset is stored with another task.
        """
        return self._import_valid(validate_document(document, source), source)

    def _import_valid(self, valid, source):
        with self._transaction() as conn:
            stored = {
                r[0]: (r[1], r[2]) for r in conn.execute(
                    "SELECT dataset_id, task, metafeatures FROM datasets")
            }
            new_rows, updates = [], []
            for row in valid.datasets:
                if row[0] not in stored:
                    new_rows.append(row)
                    continue
                task, text = stored[row[0]]
                if task != row[2]:
                    raise ValueError(
                        f"{source}: dataset {row[0]!r} is a {row[2]!r} task there "
                        f"but a {task!r} task in the knowledge base; nothing was "
                        "imported."
                    )
                current = _json(text, "meta-features")
                merged = dict(current)
                for feature, value in json.loads(row[5]).items():
                    if merged.get(feature) is None:
                        merged[feature] = value
                if merged != current:
                    updates.append((json.dumps(merged, allow_nan=False), row[0]))
            self._check_datasets_known(
                conn, {row[0] for row in valid.evaluations},
                new=[row[0] for row in new_rows],
            )
            self._check_configurations(valid, stored, source)
            conn.executemany(
                "INSERT INTO datasets (dataset_id, name, task, n_samples, "
                "n_features, metafeatures) VALUES (?, ?, ?, ?, ?, ?)", new_rows)
            conn.executemany(
                "UPDATE datasets SET metafeatures = ? WHERE dataset_id = ?", updates)
            added = self._insert_evaluations(conn, valid.evaluations)
            properties = self._merge_properties(conn, valid.properties)
        return {
            "datasets_added": len(new_rows),
            "datasets_updated": len(updates),
            "evaluations_added": added,
            "evaluations_skipped": len(valid.evaluations) - added,
            **properties,
        }

    @staticmethod
    def _check_configurations(valid, stored, source):
        """Configurations of evaluations of stored datasets (the document's own
        were checked with it) must fit their strategies' spaces."""
        from skmeta.knowledge.checks import row_problems

        own = {row[0] for row in valid.datasets}
        tasks = {dataset_id: task for dataset_id, (task, _) in stored.items()
                 if dataset_id not in own}
        found = row_problems(valid.evaluations, tasks)
        if found:
            position, message = found[0]
            more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
            raise ValueError(
                f"{source}: evaluations[{position}]: {message}{more}; nothing "
                "was imported."
            )

    @staticmethod
    def _merge_properties(conn, rows):
        """Add the absent properties; count the equal and the conflicting."""
        stored = dict(conn.execute("SELECT name, value FROM properties"))
        new = [row for row in rows if row[0] not in stored]
        equal = sum(
            1 for name, text in rows
            if name in stored and same_property_value(stored[name], text)
        )
        conn.executemany(
            "INSERT INTO properties (name, value) VALUES (?, ?)", new)
        return {
            "properties_added": len(new),
            "properties_skipped": equal,
            "properties_conflicting": len(rows) - len(new) - equal,
        }

    @staticmethod
    def _insert_evaluations(conn, rows):
        """INSERT OR IGNORE the rows; return how many were new."""
        empty = conn.execute("SELECT 1 FROM evaluations LIMIT 1").fetchone() is None
        if not empty or len(rows) < 1000:
            before = conn.total_changes
            conn.executemany(_INSERT_EVALUATION, rows)
            return conn.total_changes - before
        # Into an empty table: keep the first of each key here, insert without
        # indexes and build them once afterwards, several times faster than
        # index upkeep on every insert (the default knowledge base loads so).
        seen = set()
        unique = []
        for row in rows:
            key = (row[0], row[1], row[2], row[4], row[5], row[6])
            if key not in seen:
                seen.add(key)
                unique.append(row)
        # skmeta's own index definitions, never SQL text read from the file.
        indexes = [
            (name, sql) for kind, name, table, sql in expected_schema(SCHEMA_VERSION)
            if kind == "index" and table == "evaluations"
        ]
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name.replace(chr(34), chr(34) * 2)}"')
        conn.executemany(_INSERT_EVALUATION, unique)
        for _, sql in indexes:
            conn.execute(sql)
        return len(unique)

    def import_json(self, path):
        """Merge a ``.json``/``.json.gz`` file into this knowledge base.

        See :meth:`import_dict`; the file is read and validated completely
        before anything is written.
        """
        return self.import_dict(read_document(path), source=str(path))

    @classmethod
    def from_dict(cls, document, into=None):
        """A knowledge base holding a document's content.

        Parameters
        ----------
        document : dict
        into : str or path-like, optional
            A file to create (or merge into); None loads into memory.
        """
        return cls._from_valid(validate_document(document), into, "the document")

    @classmethod
    def _from_valid(cls, valid, into, source):
        kb = cls(into)  # only now, so an invalid document creates no file
        try:
            kb._import_valid(valid, source)
        except BaseException:
            kb.close()
            raise
        return kb

    @classmethod
    def from_json(cls, path, into=None):
        """Load a ``.json``/``.json.gz`` file into a new knowledge base.

        Parameters
        ----------
        path : str or path-like
            The file to read.
        into : str or path-like, optional
            A SQLite file to create (or merge into); None loads into memory.
        """
        valid = validate_document(read_document(path), str(path))
        return cls._from_valid(valid, into, str(path))

    @classmethod
    def default(cls):
        """The knowledge base shipped with skmeta, read-only and shared.

        Loaded from ``skmeta/data/knowledge_base.json.gz`` (validated like
        any imported file) into memory on first use and kept for the
        process: every call returns the same read-only object (``close()`` on
        it does nothing). Nothing is written anywhere. For a writable copy,
        call ``KnowledgeBase.default().copy()`` (or ``.copy(path)``).

        Raises
        ------
        FileNotFoundError
            If the shipped file has not been built yet (it is built by
            ``scripts/build_knowledge_base.py``).
        """
        return _default_loader()()

    @classmethod
    def _wrap(cls, conn):
        """A KnowledgeBase around an open in-memory connection."""
        conn.execute("PRAGMA foreign_keys = ON")
        kb = cls.__new__(cls)
        kb._attach(conn, None)
        return kb

    def _share(self):
        """Make this the process-wide read-only default knowledge base."""
        self._connection().execute("PRAGMA query_only = ON")
        self.read_only = True
        self._shared = True
