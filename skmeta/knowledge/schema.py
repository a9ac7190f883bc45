"""The knowledge base's SQLite file: schema, migrations, and opening it safely.

:func:`connect` opens a SQLite file (or memory) as a skmeta knowledge base;
:class:`~skmeta.knowledge.KnowledgeBase` (in :mod:`skmeta.knowledge.store`)
holds the connection and reads and writes through it.

Durability and concurrency
--------------------------
A file knowledge base runs in WAL mode with ``synchronous=FULL`` and a 60 s
busy timeout. Every write is one transaction (``BEGIN IMMEDIATE``), so a
process killed at any moment loses at most the write in flight and leaves a
consistent database; several processes may write to one file at once. An
evaluation's identity is a UNIQUE key and inserts are ``INSERT OR IGNORE``,
so writing the same evaluation twice, from one process or two, stores it
once. All SQL is parameterized: names are data, never SQL.

Schema versions
---------------
The schema version is SQLite's ``user_version``; the ``application_id``
marks the file as a skmeta knowledge base. ``MIGRATIONS[i]`` takes a database
from version ``i`` to ``i + 1`` (version 0 is an empty database), and opening
an older file applies the missing steps in order, in one transaction. A file
from a newer skmeta, a file that is not SQLite, or another application's
database is refused with a ValueError; so is a file whose schema is not
exactly the one the migrations create (an extra trigger, view, table or index,
or a changed definition), so that a file from elsewhere cannot run SQL of its
own when skmeta writes to it. SQLite's ``trusted_schema`` is off as well.

Read-only storage
-----------------
A file on read-only storage (a read-only mount) is opened read-only: with
SQLite's ``mode=ro``, or ``immutable=1`` where WAL mode cannot make its
``-shm`` file (nothing can change a file there). It can be read, not
written, and is not migrated.

- Version 1: tables ``datasets`` and ``evaluations``.
- Version 2: table ``properties`` (name, compact JSON value).
"""

from __future__ import annotations

import functools
import os
import sqlite3
import warnings
from pathlib import Path

#: Marks a SQLite file as a skmeta knowledge base (``PRAGMA application_id``).
APPLICATION_ID = 0x736B6D6B  # "skmk"
#: How long a write waits for another process's transaction to finish.
BUSY_TIMEOUT_SECONDS = 60.0

__all__ = ["APPLICATION_ID", "BUSY_TIMEOUT_SECONDS", "MIGRATIONS", "SCHEMA_VERSION",
           "connect", "expected_schema", "on_read_only_storage"]


# A migration is frozen once released: it spells out its SQL rather than
# reading constants that later versions may change.
def _to_v1(conn):
    conn.execute(
        """CREATE TABLE datasets (
            dataset_id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            task TEXT NOT NULL,
            n_samples INTEGER NOT NULL,
            n_features INTEGER NOT NULL,
            metafeatures TEXT NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE evaluations (
            id INTEGER PRIMARY KEY,
            dataset_id TEXT NOT NULL REFERENCES datasets (dataset_id),
            strategy TEXT NOT NULL,
            config_key TEXT NOT NULL,
            config TEXT NOT NULL,
            metric TEXT NOT NULL,
            cv TEXT NOT NULL,
            seed INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('ok', 'error', 'timeout')),
            score REAL,
            fold_scores TEXT NOT NULL,
            fit_seconds REAL NOT NULL,
            predict_seconds REAL NOT NULL,
            error TEXT NOT NULL,
            skmeta_version TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    # The identity of an evaluation: a named index rather than a table
    # constraint, so that a bulk load into an empty table builds it once.
    conn.execute(
        "CREATE UNIQUE INDEX evaluations_by_key ON evaluations "
        "(dataset_id, strategy, config_key, metric, cv, seed)"
    )
    conn.execute("CREATE INDEX evaluations_by_strategy ON evaluations (strategy)")


def _to_v2(conn):
    # Properties: small named JSON values (compact JSON text).
    conn.execute(
        """CREATE TABLE properties (
            name TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        )"""
    )


#: ``MIGRATIONS[i]`` takes a database from schema version ``i`` to ``i + 1``.
MIGRATIONS = (_to_v1, _to_v2)
#: The schema version this skmeta writes.
SCHEMA_VERSION = len(MIGRATIONS)


def _migrate(conn, migrations=MIGRATIONS):
    """Bring the database to ``len(migrations)``, all steps in one transaction.

    The version is read again inside the write lock, so two processes opening
    one new file at once create the schema once; an up-to-date database is
    opened without taking the lock.
    """
    target = len(migrations)

    def check(version):
        if version > target:
            raise ValueError(
                f"the knowledge base has schema version {version}, newer than "
                f"this skmeta supports ({target}): upgrade skmeta to open it."
            )
        return version

    if check(conn.execute("PRAGMA user_version").fetchone()[0]) == target:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = check(conn.execute("PRAGMA user_version").fetchone()[0])
        for step in range(version, target):
            migrations[step](conn)
            conn.execute(f"PRAGMA user_version = {int(step) + 1}")
        if version < target:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


@functools.cache
def expected_schema(version):
    """The schema objects skmeta creates up to ``version`` (``sqlite_master`` rows).

    Rows ``(type, name, tbl_name, sql)`` of a new in-memory database brought
    to ``version`` by :data:`MIGRATIONS`.
    """
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for step in range(version):
            MIGRATIONS[step](conn)
        return _schema(conn)
    finally:
        conn.close()


def _schema(conn):
    return tuple(sorted(conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()))


def _check_schema(conn, where):
    """Refuse a database whose schema is not exactly the one skmeta creates.

    A knowledge base file may come from elsewhere. Its tables, indexes and
    their SQL must be those of :data:`MIGRATIONS`: no trigger, view or
    altered definition can run SQL of the file's choosing on a write.
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if not 0 <= version <= SCHEMA_VERSION:
        return  # _migrate says what is wrong with the version
    expected, actual = expected_schema(version), _schema(conn)
    unexpected = [row for row in actual if row not in expected]
    missing = [row for row in expected if row not in actual]
    if unexpected or missing:
        kind, name, table, _ = (unexpected or missing)[0]
        problem = (f"a {kind} {name!r} on {table!r} that skmeta does not create"
                   if unexpected else f"no {kind} {name!r} (or a changed one)")
        raise ValueError(
            f"{where} does not have the schema of a skmeta knowledge base: it has "
            f"{problem}. It may have been altered; not opening it (export it "
            "from where it was made, and import the JSON)."
        )


def _check_application(conn, where):
    application = conn.execute("PRAGMA application_id").fetchone()[0]
    if application == APPLICATION_ID:
        return
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' LIMIT 5"
    )]
    if application != 0 or tables:
        raise ValueError(
            f"{where} is a SQLite database of another application "
            f"(application_id {application}, tables {tables}), not a skmeta "
            "knowledge base."
        )


def _check_file(conn, where):
    """The application and schema checks, on one snapshot of the file.

    One read transaction: another process creating the schema meanwhile is
    seen either not at all or completely.
    """
    conn.execute("BEGIN")
    try:
        _check_application(conn, where)
        _check_schema(conn, where)
    finally:
        if conn.in_transaction:  # SQLite ends it on some errors: keep theirs
            conn.execute("COMMIT")


def _enable_wal(conn, where):
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        warnings.warn(
            f"could not switch {where} to WAL mode (the file system may not "
            f"support it); using journal mode {mode!r}: writes stay safe but "
            "concurrent writers wait for each other longer.",
            RuntimeWarning,
            stacklevel=4,
        )


def on_read_only_storage(path):
    """Whether ``path`` (or, when missing, its folder) is on a read-only mount."""
    path = Path(path)
    where = path if path.exists() else path.parent
    try:
        return bool(os.statvfs(where).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _sqlite_connect(target, uri=False):
    return sqlite3.connect(
        target,
        uri=uri,
        timeout=BUSY_TIMEOUT_SECONDS,  # concurrent writers wait, up to this long
        isolation_level=None,  # transactions are explicit
        check_same_thread=False,  # a lock in KnowledgeBase serializes threads
    )


def _file_uri(path, mode):
    return f"{Path(path).absolute().as_uri()}?{mode}"


def connect(path, *, create=True, read_only=False):
    """Open ``path`` (None: memory) as a skmeta knowledge base, migrated to
    :data:`SCHEMA_VERSION`; refuse any other file with a ValueError.

    Parameters
    ----------
    path : path-like or None
    create : bool, default=True
        Create a missing file; else SQLite itself refuses to, atomically
        (FileNotFoundError).
    read_only : bool, default=False
        Open a file on read-only storage read-only (see the module docstring).
    """
    if path is None:
        conn = _sqlite_connect(":memory:")
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(conn)
        return conn
    if read_only:
        return _connect_read_only(path)
    where = str(path)
    try:
        conn = _sqlite_connect(_file_uri(path, "mode=rwc" if create else "mode=rw"),
                               uri=True)
    except sqlite3.OperationalError:
        if not create and not Path(path).exists():
            raise FileNotFoundError(f"no such knowledge base: {path}") from None
        raise
    try:
        # A file's views and triggers may only call harmless SQL functions.
        conn.execute("PRAGMA trusted_schema = OFF")
        _check_file(conn, where)  # before anything is written to it
        _enable_wal(conn, where)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(conn)
        _check_application(conn, where)
    except sqlite3.OperationalError as exc:  # locked, read-only, disk full
        conn.close()
        primary = exc.sqlite_errorcode & 0xFF  # without the extended code
        if primary in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY):
            raise ValueError(_unwritable_folder(path, exc)) from None
        raise
    except sqlite3.DatabaseError as exc:  # not a database, or a corrupt one
        conn.close()
        raise ValueError(f"{where} is not a skmeta knowledge base: {exc}.") from None
    except BaseException:
        conn.close()
        raise
    return conn


def _unwritable_folder(path, exc):
    name = Path(path).name
    return (
        f"cannot open {path} ({exc}): SQLite keeps {name}-wal and {name}-shm "
        "beside a knowledge base, so its folder must be writable; make it "
        "writable, or copy the file to a writable folder."
    )


def _connect_read_only(path):
    """A read-only connection to a file on read-only storage, checked."""
    where = str(path)
    try:
        conn = _sqlite_connect(_file_uri(path, "mode=ro"), uri=True)
        try:
            _check_read_only(conn, where)
            return conn
        except BaseException:
            conn.close()
            raise
    except sqlite3.OperationalError:
        pass  # a WAL file whose -shm cannot be made here
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size:
        raise ValueError(
            f"cannot read {path}: it is on read-only storage and {wal.name} holds "
            f"writes not yet in it; copy both files to writable storage to read it."
        )
    # Immutable: nothing can change a file on read-only storage.
    conn = _sqlite_connect(_file_uri(path, "immutable=1"), uri=True)
    try:
        _check_read_only(conn, where)
    except BaseException:
        conn.close()
        raise
    return conn


def _check_read_only(conn, where):
    """The checks of :func:`connect`, with no write: the schema must be current."""
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        _check_file(conn, where)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.OperationalError:
        raise
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"{where} is not a skmeta knowledge base: {exc}.") from None
    if version == 0:
        raise ValueError(f"{where} is an empty database, not a knowledge base.")
    if version > SCHEMA_VERSION:
        _migrate(conn)  # says to upgrade skmeta
    if version < SCHEMA_VERSION:
        raise ValueError(
            f"{where} has the older schema version {version} and is on read-only "
            "storage, where it cannot be upgraded; copy it to writable storage "
            "to use it."
        )
    conn.execute("PRAGMA query_only = ON")
