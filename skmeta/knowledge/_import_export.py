"""A knowledge base as a whole document: export, import, build from one.

The methods of :class:`~skmeta.knowledge.KnowledgeBase` that move its
content to and from the JSON exchange format
(:mod:`skmeta.knowledge.exchange`), as a mixin it composes. An import is
validated whole, then written in one transaction.
"""

from __future__ import annotations

import json
from pathlib import Path

from skmeta.knowledge._tables import EVALUATION_COLUMNS, INSERT_EVALUATION, decode_json
from skmeta.knowledge._writes import check_datasets_known
from skmeta.knowledge.exchange import FORMAT, FORMAT_VERSION, validate_document
from skmeta.knowledge.exchange_files import read_document, write_document
from skmeta.knowledge.properties import same_property_value
from skmeta.knowledge.records import _skmeta_version
from skmeta.knowledge.schema import SCHEMA_VERSION, expected_schema


class ImportExportMixin:
    """Export, import and building from a document, for
    :class:`~skmeta.knowledge.KnowledgeBase`."""

    def to_dict(self):
        """The whole knowledge base as a JSON-able document (see ``exchange``).

        The ``properties`` key is present only when properties are stored, so
        a knowledge base without them exports exactly as before properties
        existed. Equal contents give equal documents (records in storage
        order, properties by name).
        """
        datasets = [
            {"dataset_id": r[0], "name": r[1], "task": r[2], "n_samples": r[3],
             "n_features": r[4], "metafeatures": decode_json(r[5], "meta-features")}
            for r in self._query(
                "SELECT dataset_id, name, task, n_samples, n_features, metafeatures"
                " FROM datasets ORDER BY dataset_id")
        ]
        evaluations = []
        for row in self._query(
            f"SELECT {', '.join(EVALUATION_COLUMNS)} FROM evaluations ORDER BY id"
        ):
            record = dict(zip(EVALUATION_COLUMNS, row, strict=True))
            del record["config_key"]
            record["config"] = decode_json(record["config"], "a configuration")
            record["fold_scores"] = decode_json(record["fold_scores"], "fold scores")
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
                current = decode_json(text, "meta-features")
                merged = dict(current)
                for feature, value in json.loads(row[5]).items():
                    if merged.get(feature) is None:
                        merged[feature] = value
                if merged != current:
                    updates.append((json.dumps(merged, allow_nan=False), row[0]))
            check_datasets_known(
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
            conn.executemany(INSERT_EVALUATION, rows)
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
        conn.executemany(INSERT_EVALUATION, unique)
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
