"""Reading a knowledge base: its evaluations, datasets, meta-features, properties.

The queries of :class:`~skmeta.knowledge.KnowledgeBase`, as a mixin it
composes; they run through its ``_query`` (one locked statement).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from skmeta.knowledge._tables import (
    EVALUATION_COLUMNS,
    KEY_COLUMNS,
    as_evaluation_key,
    decode_json,
)
from skmeta.knowledge.records import Evaluation, EvaluationKey

_FRAME_COLUMNS = (
    "dataset_id", "dataset_name", "task", "strategy", "config", "config_key",
    "metric", "cv", "seed", "status", "score", "fold_scores", "fit_seconds",
    "predict_seconds", "error", "skmeta_version", "created_at",
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


def _json_rows(texts, what):
    """Decode many stored JSON texts at once (fast), or name the bad one."""
    try:
        if not all(isinstance(text, str) for text in texts):
            raise TypeError
        values = json.loads("[" + ",".join(texts) + "]")
    except (TypeError, ValueError):
        values = None
    if values is None or len(values) != len(texts):
        return [decode_json(text, what) for text in texts]
    return values


def _fold_scores(text):
    return [math.nan if s is None else s for s in decode_json(text, "fold scores")]


class ReadsMixin:
    """The queries of :class:`~skmeta.knowledge.KnowledgeBase`."""

    def has_evaluation(self, key):
        """Whether an evaluation with this key (or this Evaluation's key) is stored."""
        key = as_evaluation_key(key)
        where = " AND ".join(f"{c} = ?" for c in KEY_COLUMNS)
        return bool(self._query(f"SELECT 1 FROM evaluations WHERE {where}", key))

    def get_evaluation(self, key):
        """The stored :class:`Evaluation` with this key, or None."""
        key = as_evaluation_key(key)
        where = " AND ".join(f"e.{c} = ?" for c in KEY_COLUMNS)
        rows = self._evaluation_rows(where, key)
        if not rows:
            return None
        record = dict(zip(EVALUATION_COLUMNS, rows[0][3:], strict=True))
        record.pop("config_key")
        record["config"] = decode_json(record["config"], "a configuration")
        record["fold_scores"] = _fold_scores(record["fold_scores"])
        return Evaluation(**record)

    def evaluation_keys(self, dataset_id=None):
        """The keys of the stored evaluations (of one dataset or of all)."""
        sql = f"SELECT {', '.join(KEY_COLUMNS)} FROM evaluations"
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
        return decode_json(rows[0][0], f"property {name!r}") if rows else default

    def properties(self):
        """All properties: a dict of names (sorted) to their decoded values."""
        rows = self._query("SELECT name, value FROM properties ORDER BY name")
        return {name: decode_json(value, f"property {name!r}") for name, value in rows}

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
        """Rows of (id, dataset name, task, *EVALUATION_COLUMNS)."""
        sql = (
            "SELECT e.id, d.name, d.task, "
            + ", ".join(f"e.{c}" for c in EVALUATION_COLUMNS)
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
        return self._evaluation_frame(filters)

    def _evaluation_frame(self, filters):
        """The evaluations frame for ``_where`` filters."""
        where, params = _where(filters)
        rows = self._evaluation_rows(where, params)
        names = ["id", "dataset_name", "task", *EVALUATION_COLUMNS]
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
        return pd.DataFrame(data)

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
