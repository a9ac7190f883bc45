"""Files from elsewhere: knowledge bases (JSON, SQLite) and model files.

What ``tests/test_knowledge.py`` already covers (invalid documents, huge
names, ``[[[...]]]`` nesting, injection text in memory and through JSON) is
not repeated. Here: payloads that would run code if anything unpickled or
evaluated them; SQLite files whose columns or schema were tampered with;
injection text arriving through meta-training and the command line; a gzip
bomb; and the skops model format.
"""

import gzip
import json
import os
import pickle
import sqlite3
import sys
from contextlib import closing

import numpy as np
import pandas as pd
import pytest
from cli_runner import run_cli
from sklearn.preprocessing import FunctionTransformer

from skmeta import Dataset, KnowledgeBase, MetaLearner
from skmeta.cli import _trusted_skops_name, main
from skmeta.knowledge import Evaluation
from skmeta.knowledge.exchange import read_document

from .helpers import PORTFOLIO, classification_data, database_digest, small_datasets

INJECTION = "x'); DROP TABLE evaluations; --"


class _Payload:
    """Unpickling this creates the file ``path``."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return open, (str(self.path), "w")


def _payloads(sentinel):
    """Texts that would create ``sentinel`` if unpickled or evaluated."""
    return {
        "pickle0": pickle.dumps(_Payload(sentinel), protocol=0).decode("ascii"),
        "eval": f"__import__('pathlib').Path({str(sentinel)!r}).touch()",
        "reduce": json.dumps({"py/reduce": [{"py/function": "builtins.open"},
                                            [str(sentinel), "w"]]}),
    }


@pytest.fixture
def no_unpickling(monkeypatch):
    """Make any unpickling through the pickle module fail the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("something was unpickled")

    for name in ("loads", "load", "Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)


def _document(payloads):
    """A valid exchange document whose strings are the payloads."""
    text = payloads["pickle0"]
    return {
        "format": "skmeta-knowledge-base", "format_version": 1,
        "skmeta_version": "0.1.0", "description": payloads["eval"],
        "properties": {text[:200]: {"__reduce__": payloads["reduce"],
                                    "py/object": "os.system"}},
        "datasets": [{"dataset_id": f"d{i}", "name": text[:200], "task": "binary",
                      "n_samples": 10, "n_features": 2,
                      "metafeatures": {text[:200]: 1.0, "n_rows": 10.0 + i}}
                     for i in range(2)],
        "evaluations": [{"dataset_id": f"d{i}", "strategy": text[:200],
                         "config": {"C": payloads["eval"], "k": payloads["reduce"]},
                         "metric": payloads["eval"][:200], "cv": text[:500],
                         "seed": 0, "status": "ok", "score": 0.5 + i / 10,
                         "fold_scores": [0.5, 0.5], "fit_seconds": 0.1,
                         "predict_seconds": 0.1, "error": text}
                        for i in range(2)],
    }


def test_payloads_in_an_import_are_stored_as_text(tmp_path, no_unpickling):
    sentinel = tmp_path / "pwned"
    payloads = _payloads(sentinel)
    source = tmp_path / "kb.json"
    source.write_text(json.dumps(_document(payloads)))
    kb = KnowledgeBase.from_json(source, into=tmp_path / "kb.sqlite")
    kb.close()
    with KnowledgeBase(tmp_path / "kb.sqlite") as kb:
        runs = kb.evaluations()
        text = payloads["pickle0"]
        assert runs["strategy"].tolist() == [text[:200]] * 2
        assert runs["error"].tolist() == [text] * 2
        config = {"C": payloads["eval"], "k": payloads["reduce"]}
        assert runs["config"].iloc[0] == config
        assert kb.datasets()["name"].tolist() == [text[:200]] * 2
        assert text[:200] in kb.metafeatures().columns
        assert kb.properties()[text[:200]]["py/object"] == "os.system"
        assert kb.to_dict()["evaluations"][1]["cv"] == text[:500]
    assert not sentinel.exists()


def _tampered(tmp_path, sentinel):
    """A knowledge base file whose JSON columns hold a pickle, as BLOB and text."""
    path = tmp_path / "kb.sqlite"
    with KnowledgeBase(path) as kb:
        kb.add_dataset("d0", "d0", "binary", {"n_rows": 10.0}, 10, 2)
        kb.add_evaluation(Evaluation("d0", "knn", {"n_neighbors": 3}, "accuracy",
                                     "KFold(2)", 0, score=0.5, fold_scores=[0.5, 0.5]))
        kb.set_property("settings", {"temperature": 0.1})
    blob = pickle.dumps(_Payload(sentinel))
    text = pickle.dumps(_Payload(sentinel), protocol=0).decode("ascii")
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE evaluations SET config = ?", (blob,))
        conn.execute("UPDATE datasets SET metafeatures = ?", (text,))
        conn.execute("UPDATE properties SET value = ?", (blob,))
        conn.commit()
    return path


@pytest.mark.parametrize("read, message", [
    (lambda kb: kb.evaluations(), "a configuration that is not JSON text"),
    (lambda kb: kb.get_evaluation(next(iter(kb.evaluation_keys()))),
     "a configuration that is not JSON text"),
    (lambda kb: kb.metafeatures(), "meta-features that is not JSON text"),
    (lambda kb: kb.properties(), "property 'settings' that is not JSON text"),
    (lambda kb: kb.to_dict(), "that is not JSON text"),
    (lambda kb: MetaLearner.from_knowledge_base(kb), "that is not JSON text"),
])
def test_a_pickle_in_a_sqlite_file_is_refused_not_unpickled(
    tmp_path, no_unpickling, read, message
):
    sentinel = tmp_path / "pwned"
    path = _tampered(tmp_path, sentinel)
    before = database_digest(path)
    with KnowledgeBase(path) as kb:
        assert len(kb) == 1  # the file opens; its damaged values are refused
        with pytest.raises(ValueError, match=message) as error:
            read(kb)
    assert "not written by skmeta, or it is damaged" in str(error.value)
    assert not sentinel.exists()
    assert database_digest(path) == before


def test_the_command_line_refuses_a_tampered_file_in_one_line(tmp_path, capsys):
    sentinel = tmp_path / "pwned"
    path = _tampered(tmp_path, sentinel)
    output = tmp_path / "k.json"
    assert main(["kb", "export", "--kb", str(path), "-o", str(output)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("skmeta kb export: error: the knowledge base holds ")
    assert len(err.splitlines()) == 1
    assert not sentinel.exists()


SCHEMA_CHANGES = {
    "trigger": "CREATE TRIGGER wipe AFTER INSERT ON evaluations "
               "BEGIN DELETE FROM datasets; END",
    "view": "CREATE VIEW everything AS SELECT * FROM evaluations",
    "table": "CREATE TABLE notes (text TEXT)",
    "index": "CREATE INDEX evaluations_by_score ON evaluations (score)",
    "changed index": "DROP INDEX evaluations_by_strategy; "
                     "CREATE INDEX evaluations_by_strategy ON evaluations (strategy) "
                     "WHERE score > 0.9",
}


@pytest.mark.parametrize("change", SCHEMA_CHANGES.values(), ids=SCHEMA_CHANGES.keys())
def test_a_knowledge_base_with_a_foreign_schema_is_refused(tmp_path, change):
    path = tmp_path / "kb.sqlite"
    KnowledgeBase(path).close()
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(change)
    before = database_digest(path)
    with closing(sqlite3.connect(path)) as conn:
        mode = conn.execute("PRAGMA journal_mode").fetchone()
    with pytest.raises(ValueError, match="does not have the schema of a skmeta "
                                         "knowledge base: it has"):
        KnowledgeBase(path)
    assert database_digest(path) == before  # nothing written, not even the mode
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == mode


def test_untrusted_schema_functions_are_off(tmp_path):
    with KnowledgeBase(tmp_path / "kb.sqlite") as kb:
        assert kb._conn.execute("PRAGMA trusted_schema").fetchone() == (0,)


def test_injection_text_through_meta_training_is_stored_inertly(tmp_path):
    path = tmp_path / "kb.sqlite"
    X, y = classification_data(60)
    datasets = [Dataset(X, y, name=INJECTION), *small_datasets()[:2]]
    MetaLearner(knowledge_base=str(path), portfolio=PORTFOLIO, n_configs_per_strategy=0,
                cv=2, evaluation_timeout=None, random_state=0).fit(datasets)
    with KnowledgeBase(path) as kb:
        assert INJECTION in set(kb.datasets()["name"])
        assert len(kb.evaluations(strategy=INJECTION)) == 0
        assert len(kb.evaluations(dataset_id=f"{INJECTION}' OR '1'='1")) == 0
        assert len(kb) == 2 * 3 + 2  # binary: nb, lr, knn; regression: knn, ridge
        assert kb._conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        kb.set_property(INJECTION, {INJECTION: INJECTION})
        assert kb.get_property(INJECTION) == {INJECTION: INJECTION}


def test_injection_in_a_file_name_through_the_command_line(tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    for i, name in enumerate(["plain", INJECTION.replace("/", "")]):
        X, y = classification_data(60, seed=i)
        X.assign(target=y).to_csv(folder / f"{name}.csv", index=False)
    path = tmp_path / "kb.sqlite"
    argv = ["metatrain", str(folder), "--kb", str(path), "--portfolio", "knn",
            "--n-configs", "0", "--cv", "2", "--quiet"]
    assert main(argv) == 0, capsys.readouterr().err
    with KnowledgeBase(path) as kb:
        assert set(kb.datasets()["name"]) == {"plain", INJECTION}
        assert len(kb) == 2
        assert kb._conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_gzip_bomb_is_refused_without_inflating_it(tmp_path):
    path = tmp_path / "bomb.json.gz"
    with gzip.open(path, "wb", compresslevel=1) as file:
        for _ in range(64):
            file.write(b" " * 2**20)  # 64 MiB of spaces, a few kB compressed
    assert path.stat().st_size < 1_000_000
    with pytest.raises(ValueError, match="larger than 1000000 bytes; not loading it"):
        read_document(path, max_bytes=1_000_000)


@pytest.mark.parametrize("field, value, message", [
    ("description", "d" * 5_000_000, r"description must have at most 10000 char"),
    ("error", "e" * 5_000_000, r"evaluations\[0\]\.error must have at most 10000"),
    ("config", {"a": [[1, [2, [3]]]]}, r"evaluations\[0\]\.config\['a'\]"),
    ("config", {f"p{i}": i for i in range(10_000)}, r"config must have at most 200"),
    ("fold_scores", [0.5] * 100_000, r"fold_scores must have at most 1000"),
])
def test_oversized_or_nested_fields_are_refused(tmp_path, field, value, message):
    document = _document(_payloads(tmp_path / "pwned"))
    target = document if field == "description" else document["evaluations"][0]
    target[field] = value
    path = tmp_path / "kb.json"
    path.write_text(json.dumps(document))
    kb = KnowledgeBase()
    with pytest.raises(ValueError, match=message):
        kb.import_json(path)
    assert len(kb) == 0


# -- model files -------------------------------------------------------------------



@pytest.fixture(scope="module")
def model_files(tmp_path_factory):
    """A small knowledge base, a CSV, and models saved as .joblib and .skops."""
    pytest.importorskip("skops")
    root = tmp_path_factory.mktemp("models")
    kb = root / "kb.sqlite"
    MetaLearner(knowledge_base=str(kb), portfolio=PORTFOLIO, n_configs_per_strategy=0,
                cv=2, evaluation_timeout=None, random_state=0).fit(small_datasets())
    X, y = classification_data(80, seed=7)
    csv = root / "data.csv"
    X.assign(label=y).to_csv(csv, index=False)
    models = {}
    for suffix in (".joblib", ".skops"):
        models[suffix] = root / f"model{suffix}"
        code, _, err = run_cli(["fit", csv, "--target", "label", "--kb", kb,
                             "--n-evaluations", "3", "--cv", "2", "--ensemble-size",
                             "3", "--portfolio", "knn,logistic_regression,gaussian_nb",
                             "-o", models[suffix], "--quiet"])
        assert code == 0, err
    return {"root": root, "csv": csv, "X": X, **models}


def test_skops_model_predicts_as_the_joblib_one(model_files):
    import joblib

    from skmeta.cli import _load_model

    restored = _load_model(model_files[".skops"])
    original = joblib.load(model_files[".joblib"])
    assert type(restored) is type(original)
    X = model_files["X"]
    np.testing.assert_array_equal(restored.predict_proba(X), original.predict_proba(X))
    timings = ["seconds", "fit_seconds", "predict_seconds"]
    pd.testing.assert_frame_equal(restored.trace_.drop(columns=timings),
                                  original.trace_.drop(columns=timings))
    pd.testing.assert_frame_equal(restored.ensemble_, original.ensemble_)
    pd.testing.assert_series_equal(restored.strategy_probabilities_,
                                   original.strategy_probabilities_)
    outputs = []
    for suffix in (".joblib", ".skops"):
        code, out, err = run_cli(["predict", model_files[suffix], model_files["csv"],
                               "--proba"])
        assert code == 0, err
        outputs.append(out)
    assert outputs[0] == outputs[1]


def test_skops_file_with_an_untrusted_type_is_refused(model_files, tmp_path):
    import skops.io

    sentinel = tmp_path / "pwned"
    hostile = tmp_path / "hostile.skops"
    skops.io.dump(FunctionTransformer(func=os.system, kw_args={
        "command": f"touch {sentinel}"}), hostile)
    code, _, err = run_cli(["predict", hostile, model_files["csv"]])
    assert code == 1
    assert "hostile.skops holds types skmeta does not trust: " in err
    assert "system" in err and len(err.splitlines()) == 1
    assert not sentinel.exists()


def test_a_file_that_is_no_skops_model_is_refused(model_files, tmp_path):
    fake = tmp_path / "fake.skops"
    fake.write_bytes(b"PK\x03\x04 not really a zip file")
    code, _, err = run_cli(["predict", fake, model_files["csv"]])
    assert code == 1 and "cannot load" in err and "as a skops model file" in err


@pytest.mark.parametrize("name, trusted", [
    ("skmeta.estimators.MetaClassifier", True),
    ("skmeta.strategies.preprocessing.TabularPreprocessor", True),
    ("skmeta.adjust.adjuster.AdjusterSettings", True),
    ("sklearn.tree._tree.Tree", True),
    ("sklearn.linear_model._logistic.LogisticRegression", True),
    ("numpy.float64", True),
    ("numpy.dtype", True),
    ("numpy.random.mtrand.RandomState", True),
    ("sklearn.utils.validation.check_array", True),
    ("functools.partial", True),
    ("skmeta.knowledge.store.KnowledgeBase", False),  # opens files
    ("skmeta.knowledge.shipped.load_default", False),
    ("numpy.memmap", False),  # opens files
    ("numpy.load", False),
    ("sklearn.datasets.dump_svmlight_file", False),
    ("sklearn.utils._testing.TempMemmap", False),
    ("os.system", False),
    ("posix.system", False),
    ("builtins.eval", False),
    ("subprocess.Popen", False),
    ("skmetafake.Thing", False),
    ("sklearn.no_such_module.Thing", False),
])
def test_the_skops_trust_policy(name, trusted):
    assert _trusted_skops_name(name) is trusted


def test_saving_skops_without_the_package_says_what_to_install(
    model_files, tmp_path, monkeypatch
):
    monkeypatch.setitem(sys.modules, "skops", None)
    monkeypatch.setitem(sys.modules, "skops.io", None)
    output = tmp_path / "m.skops"
    code, out, err = run_cli(["fit", model_files["csv"], "--target", "label",
                           "-o", output])
    assert code == 1 and out == ""
    assert "pip install skops" in err and len(err.splitlines()) == 1
    assert not output.exists()
    code, _, err = run_cli(["predict", model_files[".skops"], model_files["csv"]])
    assert code == 1 and "pip install skops" in err
