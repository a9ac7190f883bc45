import copy
import gzip
import json
import math
import multiprocessing
import os
import pickle
import signal
import sqlite3
import threading
import time

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, clone

import skmeta
from skmeta.knowledge import (
    FORMAT,
    FORMAT_VERSION,
    SCHEMA_VERSION,
    Evaluation,
    EvaluationKey,
    KnowledgeBase,
    config_key,
    default_knowledge_base,
)
from skmeta.knowledge import store as store_module
from skmeta.knowledge._tables import INSERT_EVALUATION
from skmeta.knowledge.exchange import read_document, validate_document, write_document
from skmeta.knowledge.opening import open_knowledge_base
from skmeta.knowledge.records import (
    MAX_ERROR_LENGTH,
    _normalize_evaluation,
    _row_from_normalized,
    evaluation_row,
)

INJECTION = "x'); DROP TABLE evaluations;--"
ADJUSTER_SETTINGS = {
    "settings": {"temperature": 0.1, "learning_rate": 1.0, "prior_weight": 1.0,
                 "step_size": 0.15},
    "replay_regret": 0.05,
    "n_datasets": 80,
}
CV = "StratifiedKFold(n_splits=3, shuffle=True)"


def make_evaluation(dataset_id="d0", strategy="svc", config=None, seed=0, **fields):
    fields.setdefault("score", 0.5)
    fields.setdefault("fold_scores", [0.4, 0.5, 0.6])
    return Evaluation(
        dataset_id, strategy, {"C": 1.0} if config is None else config,
        "accuracy", CV, seed, fit_seconds=0.1, predict_seconds=0.01, **fields,
    )


def add_datasets(kb, n=3, n_metafeatures=4):
    tasks = ["binary", "multiclass", "regression"]
    for i in range(n):
        metafeatures = {f"mf{j}": float(i + j) for j in range(n_metafeatures)}
        kb.add_dataset(f"d{i}", f"data {i}", tasks[i % 3], metafeatures,
                       n_samples=100 + i, n_features=5 + i)


def filled_kb(path=None, n_datasets=3, n_configs=4):
    kb = KnowledgeBase(path)
    add_datasets(kb, n_datasets)
    kb.add_evaluations(
        make_evaluation(f"d{i}", strategy, {"C": float(c)}, score=0.1 * c + 0.01 * i)
        for i in range(n_datasets) for strategy in ("svc", "tree")
        for c in range(n_configs)
    )
    # knn is a default strategy: its configuration must fit its space.
    kb.add_evaluation(make_evaluation("d0", "knn", status="error", score=None,
                                      config={"n_neighbors": 5, "weights": "uniform",
                                              "p": 2},
                                      fold_scores=[], error="ValueError: boom"))
    return kb


def document(**overrides):
    doc = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "skmeta_version": "0.1.0",
        "datasets": [{"dataset_id": "d0", "name": "zero", "task": "binary",
                      "n_samples": 10, "n_features": 2,
                      "metafeatures": {"a": 1.0, "b": None}}],
        "evaluations": [make_evaluation().to_record()],
    }
    doc.update(overrides)
    return doc


# -- records ---------------------------------------------------------------


def test_config_key_ignores_order_and_normalizes_numpy():
    a = config_key({"C": 1.0, "kernel": "rbf", "degree": 3})
    b = config_key({"degree": np.int64(3), "kernel": "rbf", "C": np.float64(1.0)})
    assert a == b and len(a) == 16
    assert config_key({"C": 1.0}) != config_key({"C": 2.0})
    assert config_key({"sizes": (100, 50)}) == config_key({"sizes": [100, 50]})


def test_evaluation_normalizes_and_keys():
    ev = Evaluation("d", "mlp", {"sizes": (10, 5), "alpha": np.float32(0.5),
                                 "early": np.bool_(True)},
                    "accuracy", CV, seed=np.int64(3), score=np.float64(0.75),
                    fold_scores=np.array([0.5, np.nan, 1.0]))
    assert ev.config == {"sizes": [10, 5], "alpha": 0.5, "early": True}
    assert type(ev.seed) is int and ev.seed == 3
    assert ev.fold_scores[0] == 0.5 and math.isnan(ev.fold_scores[1])
    assert ev.key == EvaluationKey("d", "mlp", config_key(ev.config), "accuracy", CV, 3)
    assert ev.skmeta_version == skmeta.__version__
    assert ev.created_at.endswith("+00:00")
    assert hash(ev) == hash(ev.key)
    assert Evaluation.from_record(ev.to_record()) == ev
    json.dumps(ev.to_record(), allow_nan=False)  # plain JSON: NaN folds are null


@pytest.mark.parametrize(
    "fields, exception, message",
    [
        ({"status": "crashed"}, ValueError, "status must be one of"),
        ({"score": None}, ValueError, "score must be a finite number when status"),
        ({"score": "high"}, TypeError, "score must be a number or null"),
        ({"score": math.inf}, ValueError, "score must be a finite number"),
        ({"fold_scores": "0.5"}, TypeError, "fold_scores must be a list"),
        ({"fold_scores": [0.5, "x"]}, TypeError, r"fold_scores\[1\] must be a number"),
        ({"fit_seconds": -1.0}, ValueError, "fit_seconds must be >= 0"),
        ({"seed": True}, TypeError, "seed must be an integer"),
        ({"seed": 2**70}, ValueError, "seed must be an integer in"),
        ({"config": {"a": {"b": 1}}}, TypeError, "must be a string, number"),
        ({"config": {"a": [[1]]}}, TypeError, "nested list"),
        ({"config": {"a": object()}}, TypeError, r"config\['a'\] must be"),
        ({"config": {"a": math.nan}}, ValueError, "must be finite"),
        ({"config": {"": 1}}, ValueError, "config keys must be non-empty"),
        ({"config": [("C", 1)]}, TypeError, "config must be a dict"),
        ({"dataset_id": ""}, ValueError, "dataset_id must be a non-empty string"),
        ({"strategy": "s" * 201}, ValueError, "strategy must have at most 200"),
        ({"metric": 3}, TypeError, "metric must be a string"),
    ],
)
def test_evaluation_rejects_invalid_fields(fields, exception, message):
    values = make_evaluation().to_record()
    values.update(fields)
    with pytest.raises(exception, match=message):
        Evaluation(**values)


def test_evaluation_keeps_the_end_of_a_long_error():
    error = "x" * 20_000 + "ValueError: the real cause"
    ev = make_evaluation(status="error", score=None, error=error)
    assert len(ev.error) == MAX_ERROR_LENGTH
    assert ev.error.endswith("ValueError: the real cause")


def test_failed_evaluation_may_have_no_score():
    ev = make_evaluation(status="timeout", score=math.nan, fold_scores=[])
    assert ev.score is None and ev.fold_scores == ()


def test_from_record_names_missing_and_unknown_fields():
    record = make_evaluation().to_record()
    del record["score"]
    record["colour"] = "blue"
    with pytest.raises(ValueError, match=r"missing the fields \['score'\].*unknown "
                                         r"fields \['colour'\]"):
        Evaluation.from_record(record)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"config": {"b": "x", "a": [1, 2.5], "c": None, "d": True}},
        {"config": {"a": np.int64(2)}},  # numpy: slow path
        {"fold_scores": [0.5, math.nan, 1.0]},
        {"fold_scores": [1, 2]},  # ints
        {"fold_scores": [1e-05, 1e16, -0.0]},
        {"status": "error", "score": None, "fold_scores": []},
        {"score": 1},
        {"fit_seconds": 2, "seed": -5},
    ],
)
def test_fast_row_equals_validated_row(changes):
    record = {**make_evaluation().to_record(), **changes}
    fast = evaluation_row(record)
    slow = _row_from_normalized(_normalize_evaluation(record))
    assert fast == slow
    assert json.loads(fast[9]) is not None  # fold scores are valid JSON


# -- knowledge base basics ---------------------------------------------------


def test_add_and_query_in_memory():
    kb = filled_kb()
    assert kb.path is None and kb.schema_version == SCHEMA_VERSION
    assert len(kb) == 3 * 2 * 4 + 1
    ev = make_evaluation("d1", "svc", {"C": 2.0}, score=0.21)
    assert kb.has_evaluation(ev.key) and ev in kb
    assert not kb.add_evaluation(ev)  # same key: ignored, stored one kept
    stored = kb.get_evaluation(ev.key)
    assert stored.score == pytest.approx(0.21) and stored.config == {"C": 2.0}
    assert kb.get_evaluation(("d1", "svc", "0" * 16, "accuracy", CV, 0)) is None
    assert kb.evaluation_keys("d1") == {
        make_evaluation("d1", s, {"C": float(c)}).key
        for s in ("svc", "tree") for c in range(4)
    }
    assert kb.strategies() == ["knn", "svc", "tree"]
    assert kb.tasks() == ["binary", "multiclass", "regression"]

    frame = kb.evaluations(dataset_id="d0", strategy=["svc", "knn"])
    assert len(frame) == 5
    assert set(frame["dataset_name"]) == {"data 0"}
    assert frame["config"].iloc[0] == {"C": 0.0}
    assert frame["fold_scores"].iloc[0] == [0.4, 0.5, 0.6]
    failed = kb.evaluations(status="error")
    assert len(failed) == 1 and math.isnan(failed["score"].iloc[0])
    assert failed["error"].iloc[0] == "ValueError: boom"
    assert set(kb.evaluations(task="regression")["dataset_id"]) == {"d2"}
    assert kb.evaluations(strategy="nothing").empty

    datasets = kb.datasets()
    assert list(datasets.index) == ["d0", "d1", "d2"]
    assert list(datasets.columns) == ["name", "task", "n_samples", "n_features"]
    assert datasets.loc["d2", "n_features"] == 7
    assert list(kb.datasets(task="binary").index) == ["d0"]

    summary = kb.summary()
    assert summary["n_evaluations"] == len(kb) and summary["n_datasets"] == 3
    assert summary["evaluations_per_status"] == {"error": 1, "ok": 24}
    assert summary["datasets_per_task"] == {"binary": 1, "multiclass": 1,
                                            "regression": 1}
    assert summary["skmeta_versions"] == {skmeta.__version__: 25}
    assert "3 datasets, 25 evaluations" in repr(kb)


def test_empty_knowledge_base_is_truthy_and_queries_work():
    kb = KnowledgeBase()
    assert kb and len(kb) == 0
    assert kb.evaluations().empty and kb.datasets().empty and kb.metafeatures().empty
    assert kb.strategies() == [] and kb.add_evaluations([]) == 0
    assert "score" in kb.evaluations().columns


def test_metafeatures_keep_nan_and_take_the_union():
    kb = KnowledgeBase()
    kb.add_dataset("a", "A", "binary", {"x": 1.0, "y": np.nan, "z": np.inf},
                   n_samples=10, n_features=2)
    kb.add_dataset("b", "B", "binary", pd.Series({"x": 2, "w": np.float32(0.5)}),
                   n_samples=10, n_features=2)
    frame = kb.metafeatures()
    assert list(frame.columns) == ["w", "x", "y", "z"]
    assert frame.loc["a", "x"] == 1.0 and np.isnan(frame.loc["a", "y"])
    assert np.isnan(frame.loc["a", "z"])  # infinite values are stored as missing
    assert np.isnan(frame.loc["a", "w"]) and frame.loc["b", "w"] == 0.5
    assert (frame.dtypes == "float64").all()


def test_add_dataset_validates_and_upserts():
    kb = KnowledgeBase()
    with pytest.raises(ValueError, match="task must be one of"):
        kb.add_dataset("a", "A", "ranking", {}, n_samples=1, n_features=1)
    with pytest.raises(TypeError, match=r"metafeatures\['x'\] must be a number"):
        kb.add_dataset("a", "A", "binary", {"x": "big"}, n_samples=1, n_features=1)
    with pytest.raises(ValueError, match="n_samples must be an integer in"):
        kb.add_dataset("a", "A", "binary", {}, n_samples=-1, n_features=1)
    kb.add_dataset("a", "A", "binary", {"x": 1.0}, n_samples=10, n_features=1)
    kb.add_dataset("a", "renamed", "multiclass", {"x": 2.0}, n_samples=10,
                   n_features=1)
    assert kb.datasets().loc["a", "name"] == "renamed"
    assert kb.metafeatures().loc["a", "x"] == 2.0
    kb.add_evaluation(make_evaluation("a"))
    with pytest.raises(ValueError, match="cannot become 'binary'"):
        kb.add_dataset("a", "A", "binary", {}, n_samples=10, n_features=1)


def test_evaluation_of_an_unknown_dataset_is_refused():
    kb = KnowledgeBase()
    with pytest.raises(ValueError, match="add them with add_dataset first"):
        kb.add_evaluation(make_evaluation("nope"))
    with pytest.raises(TypeError, match="expected an Evaluation"):
        kb.add_evaluations([{"dataset_id": "nope"}])
    assert len(kb) == 0


def test_add_evaluations_is_one_transaction():
    kb = KnowledgeBase()
    add_datasets(kb, 1)
    assert kb.add_evaluations([make_evaluation(config={"C": 1.0}),
                               make_evaluation(config={"C": 1.0}),
                               make_evaluation(config={"C": 2.0})]) == 2
    with pytest.raises(ValueError, match="not in the knowledge base"):
        kb.add_evaluations([make_evaluation(config={"C": 3.0}),
                            make_evaluation("unknown")])
    assert len(kb) == 2  # the valid one of the failed batch was rolled back


def test_sql_injection_text_is_stored_inertly():
    kb = KnowledgeBase()
    kb.add_dataset(INJECTION, INJECTION, "binary", {INJECTION: 1.0},
                   n_samples=3, n_features=1)
    ev = make_evaluation(INJECTION, INJECTION, {INJECTION: INJECTION})
    assert kb.add_evaluation(ev)
    frame = kb.evaluations(dataset_id=INJECTION, strategy=[INJECTION])
    assert frame["strategy"].tolist() == [INJECTION]
    assert frame["config"].iloc[0] == {INJECTION: INJECTION}
    assert kb.metafeatures().columns.tolist() == [INJECTION]
    assert kb.has_evaluation(ev.key) and kb.evaluation_keys(INJECTION) == {ev.key}
    tables = {r[0] for r in kb._conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"datasets", "evaluations"} <= tables
    assert len(kb) == 1


def test_text_that_is_not_unicode_is_refused():
    kb = KnowledgeBase()
    add_datasets(kb, 1)
    with pytest.raises(ValueError, match="not valid Unicode"):
        kb.add_evaluation(make_evaluation(strategy="bad\ud800"))
    assert len(kb) == 0
    assert kb.add_evaluation(make_evaluation())  # the connection still works


def test_threads_share_one_knowledge_base():
    kb = KnowledgeBase()
    add_datasets(kb, 1)

    def work(t):
        for c in range(20):
            kb.add_evaluation(make_evaluation(config={"C": float(c % 10)}, seed=t % 2))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(kb) == 20


def test_closed_knowledge_base_says_so():
    kb = KnowledgeBase()
    kb.close()
    kb.close()
    assert "closed" in repr(kb)
    with pytest.raises(ValueError, match="closed"):
        len(kb)


# -- files -------------------------------------------------------------------


def test_file_knowledge_base_persists_in_wal_mode(tmp_path):
    path = tmp_path / "kb.sqlite"
    with filled_kb(path) as kb:
        expected = kb.evaluations()
        assert kb.path == path
    with KnowledgeBase(str(path)) as kb:
        pd.testing.assert_frame_equal(kb.evaluations(), expected)
        conn = kb._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA application_id").fetchone()[0] == (
            store_module.APPLICATION_ID)


def test_missing_folder_directory_and_foreign_files_are_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        KnowledgeBase(tmp_path / "missing" / "kb.sqlite")
    with pytest.raises(ValueError, match="is a folder"):
        KnowledgeBase(tmp_path)
    text = tmp_path / "notes.txt"
    text.write_text("hello, I am not a database" * 100)
    with pytest.raises(ValueError, match="not a skmeta knowledge base"):
        KnowledgeBase(text)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE accounts (id INTEGER, owner TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(ValueError, match="another application"):
        KnowledgeBase(other)
    conn = sqlite3.connect(other)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
    assert tables == ["accounts"]  # left untouched
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_empty_file_becomes_a_knowledge_base(tmp_path):
    # an empty file is a version-0 database: opening it applies every migration
    path = tmp_path / "empty.sqlite"
    path.touch()
    with KnowledgeBase(path) as kb:
        assert kb.schema_version == SCHEMA_VERSION and len(kb) == 0


def test_newer_schema_version_is_refused(tmp_path):
    path = tmp_path / "kb.sqlite"
    KnowledgeBase(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(ValueError, match="newer than this skmeta supports"):
        KnowledgeBase(path)


def test_migrations_run_in_order_in_one_transaction(tmp_path):
    path = tmp_path / "kb.sqlite"
    filled_kb(path).close()  # a database at the current version
    applied = []

    def add_notes(conn):
        applied.append("notes")
        conn.execute("ALTER TABLE evaluations ADD COLUMN notes TEXT NOT NULL "
                     "DEFAULT ''")

    def add_index(conn):
        applied.append("index")
        conn.execute("CREATE INDEX evaluations_by_notes ON evaluations (notes)")

    def broken(conn):
        applied.append("broken")
        conn.execute("ALTER TABLE evaluations ADD COLUMN other TEXT")
        raise RuntimeError("migration failed")

    conn = sqlite3.connect(path, isolation_level=None)
    migrations = (*store_module.MIGRATIONS, add_notes, broken)
    with pytest.raises(RuntimeError, match="migration failed"):
        store_module._migrate(conn, migrations)
    # all or nothing: the successful step was rolled back with the failed one
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    columns = [r[1] for r in conn.execute("PRAGMA table_info(evaluations)")]
    assert "notes" not in columns and "other" not in columns

    applied.clear()
    store_module._migrate(conn, (*store_module.MIGRATIONS, add_notes, add_index))
    assert applied == ["notes", "index"]  # only the missing steps, in order
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 2
    assert conn.execute("SELECT count(*) FROM evaluations WHERE notes = ''"
                        ).fetchone()[0] == 25
    conn.close()


# -- exchange ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["kb.json", "kb.json.gz"])
def test_export_import_round_trip(tmp_path, name):
    kb = filled_kb()
    path = kb.export_json(tmp_path / name)
    if name.endswith(".gz"):
        assert path.read_bytes()[:2] == b"\x1f\x8b"
    loaded = KnowledgeBase.from_json(path)
    assert loaded.to_dict() == kb.to_dict()
    pd.testing.assert_frame_equal(loaded.evaluations(), kb.evaluations())
    pd.testing.assert_frame_equal(loaded.metafeatures(), kb.metafeatures())
    into = KnowledgeBase.from_json(path, into=tmp_path / "copy.sqlite")
    assert into.path == tmp_path / "copy.sqlite" and len(into) == len(kb)


def test_export_is_reproducible_and_one_record_per_line(tmp_path):
    kb = filled_kb()
    first = kb.export_json(tmp_path / "a.json.gz").read_bytes()
    second = kb.export_json(tmp_path / "b.json.gz").read_bytes()
    assert first == second
    lines = gzip.decompress(first).decode().splitlines()
    assert len([line for line in lines if '"strategy"' in line]) == len(kb)
    assert not list(tmp_path.glob(".*.tmp"))


def test_import_merges_without_duplicates_or_losses():
    kb = filled_kb()
    before = kb.evaluations()
    other = KnowledgeBase()
    other.add_dataset("d0", "zero", "binary", {"mf0": 99.0, "new": 7.0},
                      n_samples=1, n_features=1)
    other.add_dataset("e", "extra", "binary", {"mf0": 1.0}, n_samples=1,
                      n_features=1)
    other.add_evaluation(make_evaluation("d0", "svc", {"C": 0.0}, score=0.99))
    other.add_evaluation(make_evaluation("e", "svc"))
    report = kb.import_dict(other.to_dict())
    assert report == {"datasets_added": 1, "datasets_updated": 1,
                      "evaluations_added": 1, "evaluations_skipped": 1,
                      "properties_added": 0, "properties_skipped": 0,
                      "properties_conflicting": 0}
    # the stored score and meta-features win; a missing meta-feature is filled
    assert kb.get_evaluation(make_evaluation("d0", "svc", {"C": 0.0}).key).score == 0.0
    assert kb.metafeatures().loc["d0", "mf0"] == 0.0
    assert kb.metafeatures().loc["d0", "new"] == 7.0
    assert kb.datasets().loc["d0", "name"] == "data 0"
    pd.testing.assert_frame_equal(kb.evaluations().iloc[:len(before)], before)
    assert kb.import_dict(other.to_dict())["evaluations_added"] == 0


def test_import_with_a_conflicting_task_imports_nothing():
    kb = filled_kb()
    before = kb.to_dict()
    doc = document()
    doc["datasets"][0]["task"] = "regression"
    doc["datasets"].append({**doc["datasets"][0], "dataset_id": "fresh",
                            "task": "binary"})
    with pytest.raises(ValueError, match="nothing was imported"):
        kb.import_dict(doc)
    assert kb.to_dict() == before


def test_read_document_accepts_python_nan():
    doc = document()
    doc["datasets"][0]["metafeatures"]["b"] = math.nan
    kb = KnowledgeBase.from_dict(json.loads(json.dumps(doc)))
    assert np.isnan(kb.metafeatures().loc["d0", "b"])


def _set(path, value):
    def change(doc):
        target = doc
        for part in path[:-1]:
            target = target[part]
        if value is _DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        return doc
    return change


_DELETE = object()
EVALUATION_0 = ("evaluations", 0)


@pytest.mark.parametrize(
    "change, message",
    [
        (_set((*EVALUATION_0, "score"), "abc"),
         r"evaluations\[0\]\.score must be a number or null, got 'abc'"),
        (_set((*EVALUATION_0, "seed"), 1.5), r"evaluations\[0\]\.seed must be an int"),
        (_set((*EVALUATION_0, "seed"), 10**30), r"seed must be an integer in \["),
        (_set((*EVALUATION_0, "score"), None), r"when status is 'ok'"),
        (_set((*EVALUATION_0, "fit_seconds"), -2.0), r"fit_seconds must be >= 0"),
        (_set((*EVALUATION_0, "status"), "DROP"), r"evaluations\[0\]\.status must be"),
        (_set((*EVALUATION_0, "config"), {"a": {"b": {"c": 1}}}),
         r"evaluations\[0\]\.config\['a'\] must be a string, number"),
        (_set((*EVALUATION_0, "fold_scores"), [[0.5]]), r"fold_scores\[0\] must be"),
        (_set((*EVALUATION_0, "strategy"), "s" * 100_000),
         r"evaluations\[0\]\.strategy must have at most 200 characters"),
        (_set((*EVALUATION_0, "error"), "e" * (MAX_ERROR_LENGTH + 1)),
         r"evaluations\[0\]\.error must have at most 10000"),
        (_set((*EVALUATION_0, "config"), {"k": "v" * 5000}), r"at most 1000 char"),
        (_set((*EVALUATION_0, "score"), _DELETE),
         r"evaluations\[0\] is missing the fields \['score'\]"),
        (_set((*EVALUATION_0, "sneaky"), 1), r"unknown fields \['sneaky'\]"),
        (_set(("evaluations", 0), "not a record"), r"evaluations\[0\] must be an obj"),
        (_set((*EVALUATION_0, "dataset_id"), "ghost"),
         r"datasets that are not in the knowledge base: 'ghost'"),
        (_set(("datasets", 0, "name"), "n" * 201), r"datasets\[0\]\.name must have"),
        (_set(("datasets", 0, "task"), "ranking"), r"datasets\[0\]\.task must be one"),
        (_set(("datasets", 0, "n_samples"), "ten"), r"n_samples must be an integer"),
        (_set(("datasets", 0, "metafeatures"), {"a": [1]}), r"must be a number or"),
        (_set(("datasets", 0, "metafeatures"), _DELETE), r"missing the fields"),
        (lambda doc: {**doc, "datasets": doc["datasets"] * 2}, r"appears twice"),
        (_set(("format_version",), 2), r"format_version 2 is newer.*upgrade skmeta"),
        (_set(("format_version",), "1"), r"format_version must be an integer"),
        (_set(("format",), "pickle"), r"format must be 'skmeta-knowledge-base'"),
        (_set(("evaluations",), {}), r"evaluations must be a list"),
        (_set(("skmeta_version",), _DELETE), r"missing the keys \['skmeta_version'\]"),
        (_set(("extra",), 1), r"unknown keys \['extra'\]"),
        (lambda doc: [doc], r"must be a JSON object"),
        (_set(("properties",), [1, 2]), r"properties must be an object"),
        (_set(("properties",), {"x": {"a": {"b": {"c": {"d": {"e": 1}}}}}}),
         r"properties\['x'\] is nested deeper than 4 levels "
         r"\(at properties\['x'\]\['a'\]\['b'\]\['c'\]\['d'\]\)"),
        (_set(("properties",), {"x": {"t": math.nan}}),
         r"properties\['x'\]\['t'\] must be a finite number"),
        (_set(("properties",), {"x": ["s" * 1001]}),
         r"properties\['x'\]\[0\] must have at most 1000 characters"),
        (_set(("properties",), {"": 1}),
         r"properties: property name must be a non-empty string"),
        (_set(("properties",), {"n" * 201: 1}),
         r"properties: property name must have at most 200 characters"),
        (_set(("properties",), {"x": list(range(30_000))}),
         r"properties\['x'\] is .*bytes as JSON, more than 100000"),
    ],
)
def test_invalid_documents_are_rejected_and_nothing_is_lost(change, message):
    kb = filled_kb()
    kb.set_property("kept", {"a": 1})
    before = kb.to_dict()
    doc = document(properties={"fresh": 1})
    doc["evaluations"].append(make_evaluation(config={"C": 123.0}).to_record())
    with pytest.raises(ValueError, match=message):
        kb.import_dict(change(doc))
    assert kb.to_dict() == before


def test_validation_lists_many_problems_with_their_places():
    doc = document(evaluations=[
        {**make_evaluation(config={"C": float(i)}).to_record(), "score": "bad"}
        for i in range(30)
    ])
    with pytest.raises(ValueError) as error:
        validate_document(doc, source="kb.json")
    text = str(error.value)
    assert text.startswith("kb.json is not a valid skmeta knowledge base (30 problems)")
    assert "evaluations[19].score" in text and "... and 10 more" in text


@pytest.mark.parametrize(
    "content, message",
    [
        (b"this is not json", "is not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"format": 1' + b"1" * 5000 + b"}", "not a valid JSON document"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"", "is not valid JSON"),
    ],
)
def test_unreadable_files_are_rejected(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    kb = filled_kb()
    with pytest.raises(ValueError, match=message):
        kb.import_json(path)
    with pytest.raises(ValueError, match=message):
        KnowledgeBase.from_json(path)
    assert len(kb) == 25


def test_truncated_and_corrupt_gzip_are_rejected(tmp_path):
    kb = filled_kb()
    data = kb.export_json(tmp_path / "kb.json.gz").read_bytes()
    truncated = tmp_path / "truncated.json.gz"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="not a valid gzip file"):
        kb.import_json(truncated)
    corrupt = tmp_path / "corrupt.json.gz"
    corrupt.write_bytes(data[:20] + bytes(200) + data[220:])
    with pytest.raises(ValueError, match="not a valid gzip file"):
        kb.import_json(corrupt)
    with pytest.raises(FileNotFoundError, match="no such knowledge base file"):
        kb.import_json(tmp_path / "missing.json")
    assert len(kb) == 25


def test_oversized_document_is_rejected(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(document()))
    with pytest.raises(ValueError, match="larger than 100 bytes"):
        read_document(path, max_bytes=100)


def test_write_document_needs_an_existing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        write_document(document(), tmp_path / "missing" / "kb.json")


def test_injection_text_survives_a_round_trip(tmp_path):
    doc = document()
    doc["datasets"][0]["name"] = INJECTION
    doc["evaluations"][0]["strategy"] = INJECTION
    path = tmp_path / "kb.json"
    path.write_text(json.dumps(doc))
    kb = KnowledgeBase.from_json(path, into=tmp_path / "kb.sqlite")
    assert kb.strategies() == [INJECTION]
    assert kb.datasets()["name"].tolist() == [INJECTION]
    assert kb._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# -- properties ------------------------------------------------------------------


def test_properties_are_stored_replaced_and_decoded():
    kb = KnowledgeBase()
    assert kb.properties() == {} and kb.get_property("missing") is None
    assert kb.get_property("missing", default=0.5) == 0.5
    kb.set_property("adjuster_settings.regression", {"settings": {"step_size": 1}})
    kb.set_property("adjuster_settings.classification", ADJUSTER_SETTINGS)
    assert kb.get_property("adjuster_settings.classification") == ADJUSTER_SETTINGS
    assert list(kb.properties()) == ["adjuster_settings.classification",
                                     "adjuster_settings.regression"]
    kb.set_property("adjuster_settings.regression", [1, "two", None, False])
    assert kb.get_property("adjuster_settings.regression") == [1, "two", None, False]
    assert len(kb.properties()) == 2 and kb.summary()["n_properties"] == 2

    # numpy scalars become Python values, tuples become lists
    kb.set_property("numbers", {"f": np.float32(0.5), "i": np.int64(3),
                                "b": np.bool_(True), "t": (1, 2.5), "s": np.str_("x")})
    value = kb.get_property("numbers")
    assert value == {"f": 0.5, "i": 3, "b": True, "t": [1, 2.5], "s": "x"}
    assert [type(value[k]) for k in "fibs"] == [float, int, bool, str]

    # each read is a fresh object: changing it changes nothing stored
    value["f"] = 99.0
    assert kb.get_property("numbers")["f"] == 0.5
    # names are data, never SQL
    kb.set_property(INJECTION, INJECTION)
    assert kb.get_property(INJECTION) == INJECTION and len(kb.properties()) == 4


def test_properties_travel_with_files_copies_and_pickles(tmp_path):
    path = tmp_path / "kb.sqlite"
    with filled_kb(path) as kb:
        kb.set_property("adjuster_settings.classification", ADJUSTER_SETTINGS)
    with KnowledgeBase(path) as kb:
        assert kb.properties() == {"adjuster_settings.classification":
                                   ADJUSTER_SETTINGS}
        assert kb.copy().properties() == kb.properties()
    memory = filled_kb()
    memory.set_property("p", {"a": [1, 2]})
    assert pickle.loads(pickle.dumps(memory)).properties() == {"p": {"a": [1, 2]}}
    assert copy.deepcopy(memory).get_property("p") == {"a": [1, 2]}
    assert KnowledgeBase.from_dict(memory.to_dict()).properties() == {
        "p": {"a": [1, 2]}}


def _nested(levels):
    value = 1
    for _ in range(levels):
        value = {"k": value}
    return value


@pytest.mark.parametrize(
    "name, value, exception, message",
    [
        ("", 1, ValueError, "property name must be a non-empty string"),
        ("n" * 201, 1, ValueError, "property name must have at most 200 characters"),
        (3, 1, TypeError, "property name must be a string"),
        ("x", {"t": math.nan}, ValueError,
         r"properties\['x'\]\['t'\] must be a finite number, got nan"),
        ("x", [1, math.inf], ValueError, r"properties\['x'\]\[1\] must be a finite"),
        ("x", np.float64(-np.inf), ValueError, r"properties\['x'\] must be a finite"),
        ("x", _nested(5), ValueError,
         r"properties\['x'\] is nested deeper than 4 levels \(at "
         r"properties\['x'\]\['k'\]\['k'\]\['k'\]\['k'\]\)"),
        ("x", [[[[[]]]]], ValueError, r"nested deeper than 4 levels"),
        ("x", {1: "a"}, TypeError, r"properties\['x'\] keys must be strings, got 1"),
        ("x", {"k" * 1001: 1}, ValueError, r"keys must have at most 1000"),
        ("x", {"s": "v" * 1001}, ValueError,
         r"properties\['x'\]\['s'\] must have at most 1000 characters, got 1001"),
        ("x", {"o": object()}, TypeError,
         r"properties\['x'\]\['o'\] must be an object, list, string, number"),
        ("x", {1, 2}, TypeError, r"must be an object, list, string.*got set"),
        ("x", b"bytes", TypeError, r"got bytes"),
        ("x", np.array([1.0, 2.0]), TypeError, r"got ndarray"),
        ("x", 2**70, ValueError, r"properties\['x'\] must be an integer in"),
        ("x", ["s" * 1000] * 101, ValueError,
         r"properties\['x'\] is 10\d{4} bytes as JSON, more than 100000"),
        ("x", list(range(200_000)), ValueError,
         r"properties\['x'\] is larger than 100000 bytes as JSON"),
        ("x", "bad\ud800", ValueError, r"not valid Unicode"),
    ],
)
def test_invalid_properties_are_refused(name, value, exception, message):
    kb = KnowledgeBase()
    kb.set_property("x", "stored")
    with pytest.raises(exception, match=message):
        kb.set_property(name, value)
    assert kb.properties() == {"x": "stored"}


def test_property_limits_are_inclusive():
    kb = KnowledgeBase()
    kb.set_property("n" * 200, _nested(4))
    assert kb.get_property("n" * 200) == _nested(4)
    kb.set_property("deep list", [[[["s" * 1000]]]])
    # 99 strings of 997 characters and one of 996, with quotes, commas and
    # brackets: exactly 100,000 bytes of JSON
    largest = ["s" * 997] * 99 + ["s" * 996]
    assert len(json.dumps(largest, separators=(",", ":"))) == 100_000
    kb.set_property("largest", largest)
    assert kb.get_property("largest") == largest
    with pytest.raises(ValueError, match="100001 bytes as JSON"):
        kb.set_property("largest", ["s" * 997] * 100)
    kb.set_property("unicode", "é" * 1000)  # characters count, bytes are 2 each
    assert kb.get_property("unicode") == "é" * 1000


def test_v1_database_is_migrated_on_open(tmp_path):
    path = tmp_path / "v1.sqlite"
    original = filled_kb()
    valid = validate_document(original.to_dict())
    conn = sqlite3.connect(path, isolation_level=None)
    store_module._migrate(conn, store_module.MIGRATIONS[:1])
    conn.executemany("INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?)", valid.datasets)
    conn.executemany(INSERT_EVALUATION, valid.evaluations)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "properties" not in tables
    conn.close()

    with KnowledgeBase(path) as kb:
        assert kb.schema_version == SCHEMA_VERSION == 2
        assert kb.to_dict() == original.to_dict()  # data intact
        pd.testing.assert_frame_equal(
            kb.evaluations().drop(columns="created_at"),
            original.evaluations().drop(columns="created_at"))
        assert kb.properties() == {}
        kb.set_property("adjuster_settings.classification", ADJUSTER_SETTINGS)
    with KnowledgeBase(path) as kb:
        assert kb.get_property("adjuster_settings.classification") == (
            ADJUSTER_SETTINGS)
        assert kb._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_properties_in_the_exchange_format(tmp_path):
    kb = filled_kb()
    plain = kb.to_dict()
    assert "properties" not in plain  # as before properties existed
    assert list(plain) == ["format", "format_version", "skmeta_version", "datasets",
                           "evaluations"]
    kb.set_property("zeta", {"b": 1, "a": [True, None]})
    kb.set_property("alpha", ADJUSTER_SETTINGS)
    doc = kb.to_dict()
    assert list(doc) == ["format", "format_version", "skmeta_version", "properties",
                         "datasets", "evaluations"]
    assert doc["format_version"] == 1
    assert list(doc["properties"]) == ["alpha", "zeta"]

    first = kb.export_json(tmp_path / "a.json.gz").read_bytes()
    assert first == kb.export_json(tmp_path / "b.json.gz").read_bytes()
    lines = gzip.decompress(first).decode().splitlines()
    assert '"alpha": ' + json.dumps(ADJUSTER_SETTINGS) + "," in lines
    assert '"zeta": {"b": 1, "a": [true, null]}' in lines  # one property a line

    for loaded in (KnowledgeBase.from_json(tmp_path / "a.json.gz"),
                   KnowledgeBase.from_dict(json.loads(json.dumps(doc)))):
        assert loaded.properties() == kb.properties()
        assert loaded.to_dict() == doc
    assert read_document(tmp_path / "a.json.gz") == json.loads(json.dumps(doc))
    # an explicitly empty properties object is valid too
    assert KnowledgeBase.from_dict({**plain, "properties": {}}).properties() == {}


def test_import_adds_absent_properties_and_never_replaces_stored_ones():
    kb = filled_kb()
    kb.set_property("same", {"a": 1, "b": [1.5, "x"]})
    kb.set_property("different", {"temperature": 0.1})
    kb.set_property("int_or_float", 1)
    doc = document(properties={
        "same": {"b": [1.5, "x"], "a": 1},  # equal, in another key order
        "different": {"temperature": 0.9},
        "int_or_float": 1.0,  # JSON 1.0 is not 1
        "new": ["added"],
    })
    report = kb.import_dict(doc)
    assert report["properties_added"] == 1
    assert report["properties_skipped"] == 1
    assert report["properties_conflicting"] == 2
    assert kb.properties() == {
        "different": {"temperature": 0.1},  # the stored value is kept
        "int_or_float": 1,
        "new": ["added"],
        "same": {"a": 1, "b": [1.5, "x"]},
    }
    assert type(kb.get_property("int_or_float")) is int
    again = kb.import_dict(doc)
    assert (again["properties_added"], again["properties_skipped"],
            again["properties_conflicting"]) == (0, 2, 2)


# -- evaluations frame -------------------------------------------------------------


FRAME_COLUMNS = [
    "dataset_id", "dataset_name", "task", "strategy", "config", "config_key",
    "metric", "cv", "seed", "status", "score", "fold_scores", "fit_seconds",
    "predict_seconds", "error", "skmeta_version", "created_at",
]


def test_evaluations_frame_has_the_documented_columns_and_config_keys():
    kb = filled_kb()
    assert list(KnowledgeBase().evaluations().columns) == FRAME_COLUMNS
    frame = kb.evaluations()
    assert list(frame.columns) == FRAME_COLUMNS
    assert frame["config_key"].tolist() == [config_key(c) for c in frame["config"]]
    # equal configurations share a key across strategies and datasets
    assert frame.drop_duplicates("config_key")["config"].tolist() == [
        {"C": float(c)} for c in range(4)] + [{"n_neighbors": 5, "weights": "uniform",
                                               "p": 2}]
    assert frame.drop_duplicates(["strategy", "config_key"]).shape[0] == 2 * 4 + 1
    assert str(frame["seed"].dtype) == "int64"
    for column in ("score", "fit_seconds", "predict_seconds"):
        assert str(frame[column].dtype) == "float64"


# -- pickling and copies ---------------------------------------------------------


class HoldsKnowledge(BaseEstimator):
    def __init__(self, knowledge_base=None):
        self.knowledge_base = knowledge_base


def test_in_memory_knowledge_base_pickles_its_content():
    kb = filled_kb()
    restored = pickle.loads(pickle.dumps(kb))
    assert restored.path is None and restored.to_dict() == kb.to_dict()
    restored.add_evaluation(make_evaluation("d0", "new"))
    assert len(restored) == len(kb) + 1  # an independent copy
    deep = copy.deepcopy(kb)
    assert deep is not kb and deep.to_dict() == kb.to_dict()
    cloned = clone(HoldsKnowledge(kb)).knowledge_base
    assert cloned.to_dict() == kb.to_dict()
    kb.close()
    with pytest.raises(ValueError, match="closed in-memory"):
        pickle.dumps(kb)


def test_file_knowledge_base_pickles_its_path(tmp_path):
    kb = filled_kb(tmp_path / "kb.sqlite")
    restored = pickle.loads(pickle.dumps(kb))
    assert restored.path == kb.path and len(restored) == len(kb)
    restored.add_evaluation(make_evaluation("d0", "new"))
    assert len(kb) == 26  # the same file
    assert clone(HoldsKnowledge(kb)).knowledge_base.path == kb.path


def test_copy_to_memory_and_to_a_new_file(tmp_path):
    kb = filled_kb()
    memory = kb.copy()
    memory.add_evaluation(make_evaluation("d0", "new"))
    assert len(memory) == 26 and len(kb) == 25
    on_disk = kb.copy(tmp_path / "copy.sqlite")
    assert on_disk.to_dict() == kb.to_dict()
    assert on_disk._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with pytest.raises(FileExistsError):
        kb.copy(tmp_path / "copy.sqlite")


def test_open_knowledge_base_takes_none_a_knowledge_base_or_a_path(tmp_path):
    kb = KnowledgeBase()
    assert open_knowledge_base(kb) is kb
    assert open_knowledge_base(None) is KnowledgeBase.default()
    path = tmp_path / "kb.sqlite"
    with pytest.raises(FileNotFoundError, match="no such knowledge base"):
        open_knowledge_base(path)
    assert open_knowledge_base(path, create=True).path == path
    assert open_knowledge_base(os.fsencode(path)).path == path
    assert open_knowledge_base(str(path)).path == path
    with pytest.raises(TypeError, match="knowledge_base must be None, a path"):
        open_knowledge_base(42)


def test_the_old_ways_to_open_a_knowledge_base_still_work_and_warn(tmp_path):
    import skmeta.learner
    from skmeta.knowledge.opening import open_knowledge_base_path

    with pytest.warns(FutureWarning, match="use skmeta.knowledge.opening.open_"):
        kb = open_knowledge_base_path(tmp_path / "a.sqlite", create=True)
    assert kb.path == tmp_path / "a.sqlite"
    with pytest.warns(FutureWarning, match="use skmeta.knowledge.opening.open_"):
        old = skmeta.learner.open_knowledge_base
    in_memory = old(None)  # a new one, as before, not the shipped one
    assert in_memory.path is None and not in_memory.read_only and not len(in_memory)
    assert old(tmp_path / "b.sqlite").path == tmp_path / "b.sqlite"  # created


def test_the_old_name_of_the_default_knowledge_base_module_warns(monkeypatch):
    import importlib
    import sys

    monkeypatch.delitem(sys.modules, "skmeta.knowledge.shipped", raising=False)
    with pytest.warns(FutureWarning, match=r"skmeta\.knowledge\.default_knowledge_"):
        old = importlib.import_module("skmeta.knowledge.shipped")
    assert old.load_default is default_knowledge_base.load_default
    assert old.DEFAULT_FILENAME == "knowledge_base.json.gz"


@pytest.fixture
def shipped_file(tmp_path, monkeypatch):
    path = tmp_path / "knowledge_base.json.gz"
    monkeypatch.setattr(default_knowledge_base, "_default_path", lambda: path)
    yield path
    default_knowledge_base._LOADED.pop(str(path), None)


def test_default_knowledge_base_is_shared_and_read_only(shipped_file):
    with pytest.raises(FileNotFoundError, match=r"not built.*scripts/build_knowledge_"
                                                r"base\.py"):
        KnowledgeBase.default()
    source = filled_kb()
    source.set_property("adjuster_settings.classification", ADJUSTER_SETTINGS)
    source.export_json(shipped_file)
    kb = KnowledgeBase.default()
    assert KnowledgeBase.default() is kb and kb.read_only and len(kb) == 25
    assert kb.get_property("adjuster_settings.classification") == ADJUSTER_SETTINGS
    with pytest.raises(ValueError, match="read-only"):
        kb.add_evaluation(make_evaluation("d0", "new"))
    with pytest.raises(ValueError, match="read-only"):
        kb.import_dict(document())
    with pytest.raises(ValueError, match="read-only"):
        kb.set_property("adjuster_settings.classification", {})
    assert kb.get_property("adjuster_settings.classification") == ADJUSTER_SETTINGS
    with kb:
        pass
    kb.close()
    assert len(kb) == 25  # closing the shared one does nothing
    assert pickle.loads(pickle.dumps(kb)) is kb
    assert copy.deepcopy(kb) is kb
    assert clone(HoldsKnowledge(kb)).knowledge_base is kb
    writable = kb.copy()
    assert writable.add_evaluation(make_evaluation("d0", "new")) and len(kb) == 25
    writable.set_property("adjuster_settings.classification", {"changed": True})
    assert writable.properties() == {"adjuster_settings.classification":
                                     {"changed": True}}
    assert kb.get_property("adjuster_settings.classification") == ADJUSTER_SETTINGS


def test_invalid_shipped_file_is_refused_and_gc_stays_on(shipped_file):
    import gc

    bad = document()
    bad["evaluations"][0]["score"] = "abc"
    write_document(bad, shipped_file)
    assert gc.isenabled()
    with pytest.raises(ValueError, match=r"evaluations\[0\]\.score must be a number"):
        KnowledgeBase.default()
    assert gc.isenabled()  # paused during the load only
    filled_kb().export_json(shipped_file)
    assert len(KnowledgeBase.default()) == 25 and gc.isenabled()


def test_default_knowledge_base_writes_nothing(shipped_file, tmp_path, monkeypatch):
    home, cache = tmp_path / "home", tmp_path / "xdg-cache"
    home.mkdir()
    cache.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    filled_kb().export_json(shipped_file)
    before = sorted(p.name for p in tmp_path.iterdir())
    kb = KnowledgeBase.default()
    assert len(kb) == 25 and kb.path is None  # in memory
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not list(home.rglob("*")) and not list(cache.rglob("*"))


# -- processes -------------------------------------------------------------------


def _write_evaluations(path, worker, n, barrier):
    kb = KnowledgeBase(path)
    add_datasets(kb, 2)
    barrier.wait()
    for i in range(n):
        # half the keys are shared by both workers, half are their own
        c = float(i) if i % 2 == 0 else 1000.0 * (worker + 1) + i
        kb.add_evaluation(make_evaluation(f"d{i % 2}", config={"C": c}))
    kb.close()


@pytest.mark.slow
def test_two_processes_write_one_file(tmp_path):
    path = tmp_path / "shared.sqlite"
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    workers = [context.Process(target=_write_evaluations, args=(path, w, 40, barrier))
               for w in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    with KnowledgeBase(path) as kb:
        assert len(kb) == 20 + 2 * 20  # shared keys once, each worker's own
        assert kb._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert len(kb.datasets()) == 2


def _write_until_killed(path, connection):
    kb = KnowledgeBase(path)
    add_datasets(kb, 1)
    for i in range(100_000):
        kb.add_evaluation(make_evaluation(config={"C": float(i)}))
        connection.send(i)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_writer_leaves_a_sound_database(tmp_path):
    path = tmp_path / "killed.sqlite"
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    writer = context.Process(target=_write_until_killed, args=(path, sender))
    writer.start()
    committed = -1
    rng = np.random.default_rng()
    deadline = time.monotonic() + 60
    stop_after = int(rng.integers(5, 40))
    while committed < stop_after and time.monotonic() < deadline:
        if receiver.poll(1):
            committed = receiver.recv()
    time.sleep(float(rng.uniform(0, 0.05)))  # kill at a random moment
    os.kill(writer.pid, signal.SIGKILL)
    writer.join()
    while receiver.poll():
        committed = receiver.recv()
    assert committed >= stop_after
    with KnowledgeBase(path) as kb:
        assert kb._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {ev["C"] for ev in kb.evaluations()["config"]}
        assert set(map(float, range(committed + 1))) <= stored
        assert len(stored) <= committed + 2  # at most the one in flight


def test_invalid_document_creates_no_file(tmp_path):
    bad = document()
    bad["evaluations"][0]["score"] = "abc"
    with pytest.raises(ValueError, match="score must be a number"):
        KnowledgeBase.from_dict(bad, into=tmp_path / "kb.sqlite")
    assert not (tmp_path / "kb.sqlite").exists()

