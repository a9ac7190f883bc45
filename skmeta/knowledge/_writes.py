"""Writing to a knowledge base: datasets, evaluations and properties.

The writes of :class:`~skmeta.knowledge.KnowledgeBase`, as a mixin it
composes; each runs in one transaction of its ``_transaction`` (which
refuses a read-only knowledge base).
"""

from __future__ import annotations

from skmeta.knowledge._tables import INSERT_EVALUATION, KEY_COLUMNS, as_evaluation_key
from skmeta.knowledge.exchange import dataset_row
from skmeta.knowledge.properties import property_row
from skmeta.knowledge.records import Evaluation

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


def check_datasets_known(conn, dataset_ids, new=()):
    """Refuse evaluations of datasets neither stored nor among ``new``."""
    known = {row[0] for row in conn.execute("SELECT dataset_id FROM datasets")}
    unknown = sorted(set(dataset_ids) - known - set(new))
    if unknown:
        shown = ", ".join(map(repr, unknown[:5]))
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise ValueError(
            f"evaluations refer to datasets that are not in the knowledge "
            f"base: {shown}{more}; add them with add_dataset first."
        )


class WritesMixin:
    """The writes of :class:`~skmeta.knowledge.KnowledgeBase`."""

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
            check_datasets_known(conn, {row[0] for row in rows})
            before = conn.total_changes
            conn.executemany(INSERT_EVALUATION, rows)
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
        keys = [as_evaluation_key(key) for key in keys]
        where = " AND ".join(f"{c} = ?" for c in KEY_COLUMNS)
        with self._transaction() as conn:
            before = conn.total_changes
            conn.executemany(f"DELETE FROM evaluations WHERE {where}", keys)
            return conn.total_changes - before
