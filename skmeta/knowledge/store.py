"""The knowledge base: every evaluation ever run, in SQLite.

:class:`KnowledgeBase` stores datasets (with their meta-features) and the
evaluations of strategy configurations on them, in a SQLite database through
the standard library's :mod:`sqlite3`: a file, or memory when no path is given.
It also keeps properties: small named JSON values, such as the settings the
meta-learner learned from the evaluations.

This module holds the class and what it is as an object: its connection
(opened, shared, closed, locked, in transactions), copies and pickles, and
the shipped :meth:`~KnowledgeBase.default`. Its methods come from three thin
mixins, one concept each: ``_reads`` (queries), ``_writes`` (datasets,
evaluations and properties stored one by one) and ``_import_export`` (whole
documents of the exchange format); ``_tables`` holds what they share. How
the file is made safe to open and write (durability, concurrency, the schema
and its migrations, the checks a file passes before anything is written to
it) is in :mod:`skmeta.knowledge.schema`.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

from skmeta.knowledge._import_export import ImportExportMixin
from skmeta.knowledge._reads import ReadsMixin
from skmeta.knowledge._writes import WritesMixin
from skmeta.knowledge.paths import check_regular_file
from skmeta.knowledge.schema import (  # noqa: F401 (the names store had)
    APPLICATION_ID,
    BUSY_TIMEOUT_SECONDS,
    MIGRATIONS,
    SCHEMA_VERSION,
    _migrate,
    connect,
    on_read_only_storage,
)

__all__ = ["APPLICATION_ID", "MIGRATIONS", "SCHEMA_VERSION", "KnowledgeBase"]

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


class KnowledgeBase(ReadsMixin, WritesMixin, ImportExportMixin):
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
