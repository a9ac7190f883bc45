"""Regression tests of inputs that used to give wrong results or lose work.

One test (or a few) per defect of issue 15, items 1-7; each fails on the
code before its fix.
"""

import numpy as np
import pandas as pd
import pytest

from skmeta import Dataset, MetaClassifier
from skmeta.datasets import check_features

from .helpers import classification_data, search_params


def _classifier(learner, **params):
    params = {"n_evaluations": 2, "cv": 2, "ensemble_size": 1, "random_state": 0,
              **params}
    return MetaClassifier(**search_params(learner, params))


# -- 1. a missing label is refused whatever the container --------------------------

def _labels_with_nan(y):
    labels = np.where(y == 1, "a", "b").astype(object)
    labels[3] = np.nan
    return labels


@pytest.mark.parametrize("container", [
    "list", "numpy <U array", "object array", "Series", "list with None",
])
def test_missing_labels_are_refused_in_any_container(learner, container):
    X, y = classification_data()
    labels = _labels_with_nan(y)
    given = {
        "list": labels.tolist(),
        "numpy <U array": np.array(labels.tolist()),  # np.nan becomes 'nan'
        "object array": labels,
        "Series": pd.Series(labels),
        "list with None": [None if v is np.nan else v for v in labels.tolist()],
    }[container]
    with pytest.raises(ValueError, match=r"missing|'nan'"):
        _classifier(learner).fit(X, given)


def test_labels_mixing_numbers_and_strings_are_named(learner):
    X, y = classification_data()
    labels = np.array([1 if v else "b" for v in y], dtype=object)  # ints and strings
    with pytest.raises(ValueError,
                       match=r"y mixes numbers and strings .*astype\(str\)"):
        _classifier(learner).fit(X, labels)


# -- 2. numbers written as text are numbers, at fit and at predict -------------------

def test_numbers_as_text_are_numbers_at_fit_and_predict(learner):
    X, y = classification_data()
    as_text = [[repr(float(v)) for v in row] for row in X.to_numpy()]
    from_text = _classifier(learner).fit(as_text, y)
    from_numbers = _classifier(learner).fit(X.to_numpy(), y)
    # The same values, the same search: before, text columns were categories
    # at fit (best_score_ 0.5) and numbers at predict.
    assert from_text.best_score_ == pytest.approx(from_numbers.best_score_)
    assert from_text.best_strategy_ == from_numbers.best_strategy_
    np.testing.assert_array_equal(from_text.predict(as_text),
                                  from_numbers.predict(X.to_numpy()))
    np.testing.assert_array_equal(from_text.predict(as_text),
                                  from_text.predict(X.to_numpy()))


def test_an_object_column_of_numeric_strings_is_numeric(learner):
    X, y = classification_data()
    text = X.assign(f1=X["f1"].map(lambda v: f"{v:.6f}").astype(object))
    fitted = _classifier(learner).fit(text, y)
    assert "f1" in fitted._numeric_columns
    assert fitted.best_score_ == pytest.approx(
        _classifier(learner).fit(X.assign(f1=X["f1"].round(6)), y).best_score_)
    np.testing.assert_array_equal(fitted.predict(text),
                                  fitted.predict(X.assign(f1=X["f1"].round(6))))


def test_the_text_rule_in_check_features():
    frame = pd.DataFrame({
        "numbers": ["1.5", "2", None, " 3 ", "1e3"],
        "words": ["1", "a", "2", "3", "4"],  # one word: categorical
        "category": pd.Series(["1", "2", "1", "2", "1"], dtype="category"),
        "mixed": pd.Series([1, "2.5", 3.0, None, "4"], dtype=object),
    })
    checked = check_features(frame)
    assert checked["numbers"].dtype == np.float64
    assert checked["numbers"].tolist()[:2] == [1.5, 2.0]
    assert np.isnan(checked["numbers"].iloc[2])
    assert checked["mixed"].dtype == np.float64
    assert not pd.api.types.is_numeric_dtype(checked["words"])
    assert isinstance(checked["category"].dtype, pd.CategoricalDtype)
    # The caller's frame is not changed.
    assert not pd.api.types.is_numeric_dtype(frame["numbers"])
    # Dataset (meta-training, load_csv) follows the same rule.
    assert Dataset(frame, [0, 1, 0, 1, 0]).X["numbers"].dtype == np.float64


# -- 3. one rule for knowledge base paths, by name and content ----------------------

def test_a_missing_json_path_is_not_created_as_sqlite(learner, tmp_path):
    from skmeta.cli import main

    X, y = classification_data()
    missing = tmp_path / "missing.json"
    with pytest.raises(FileNotFoundError, match=r"no such knowledge base file"):
        _classifier(learner, knowledge_base=str(missing)).fit(X, y)
    assert not missing.exists()  # before: a SQLite database named missing.json
    with pytest.raises(ValueError, match=r"is a JSON export \(by its name\)"):
        _classifier(learner, knowledge_base=str(missing),
                    update_knowledge=True).fit(X, y)
    assert not missing.exists()
    assert main(["kb", "info", "--kb", str(missing)]) == 1
    assert not missing.exists()


@pytest.mark.parametrize("state", ["missing", "empty"])
def test_an_estimator_refuses_a_knowledge_base_it_only_reads(learner, tmp_path, state):
    X, y = classification_data()
    path = tmp_path / "kb.sqlite"
    if state == "empty":
        path.write_bytes(b"")
    error = FileNotFoundError if state == "missing" else ValueError
    message = "no such knowledge base" if state == "missing" else "is an empty file"
    with pytest.raises(error, match=message):
        _classifier(learner, knowledge_base=str(path)).fit(X, y)
    assert path.exists() == (state == "empty")  # before: a new, empty database
    assert not path.exists() or path.stat().st_size == 0


def test_update_knowledge_creates_a_missing_sqlite_file(learner, tmp_path):
    from skmeta import KnowledgeBase

    X, y = classification_data()
    path = tmp_path / "new.sqlite"
    with pytest.warns(UserWarning, match="cold start"):
        clf = _classifier(learner, knowledge_base=str(path), update_knowledge=True)
        clf.fit(X, y)
    with KnowledgeBase(path) as kb:
        # The evaluations on every fold (a proposal left at one is not stored).
        assert len(kb) == int(clf.trace_["promoted"].sum()) >= 1


def test_name_and_content_must_agree(tmp_path):
    from skmeta import KnowledgeBase, MetaLearner

    sqlite_as_json = tmp_path / "kb.json"
    KnowledgeBase(tmp_path / "kb.sqlite").close()
    sqlite_as_json.write_bytes((tmp_path / "kb.sqlite").read_bytes())
    with pytest.raises(ValueError, match=r"is a SQLite database, not a JSON export"):
        MetaLearner.from_knowledge_base(str(sqlite_as_json))
    json_as_sqlite = tmp_path / "export.sqlite"
    KnowledgeBase().export_json(tmp_path / "e.json")
    json_as_sqlite.write_bytes((tmp_path / "e.json").read_bytes())
    before = json_as_sqlite.read_bytes()
    with pytest.raises(ValueError, match=r"holds a JSON export, not a SQLite database"):
        MetaLearner.from_knowledge_base(str(json_as_sqlite))
    assert json_as_sqlite.read_bytes() == before
    with pytest.raises(ValueError, match=r"names a JSON export, not a SQLite file"):
        KnowledgeBase(tmp_path / "new.json")
    assert not (tmp_path / "new.json").exists()


# -- 4. every unreadable model file: one line, exit 1 -------------------------------

def _run(argv):
    """Exit code and stderr (without the warning before a pickle is loaded)."""
    import contextlib
    import io

    from cli_runner import without_pickle_warning

    from skmeta.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return code, without_pickle_warning(err.getvalue())


@pytest.mark.parametrize("content, error", [
    # BINUNICODE8 with a length of 2**63 - 1: OverflowError before the fix.
    (b"\x80\x04\x8d" + (2**63 - 1).to_bytes(8, "little"), "OverflowError"),
    # BINBYTES8 with a length of 2**62: MemoryError before the fix.
    (b"\x80\x04\x8e" + (2**62).to_bytes(8, "little"), "MemoryError"),
    (bytes.fromhex("8d037ba6aaac6ae604"), "MemoryError"),  # 9 random bytes
])
def test_a_corrupt_model_file_is_one_line(tmp_path, content, error):
    model = tmp_path / "model.joblib"
    model.write_bytes(content)
    data = tmp_path / "data.csv"
    classification_data()[0].to_csv(data, index=False)
    code, err = _run(["predict", str(model), str(data)])
    assert code == 1
    assert len(err.splitlines()) == 1, err
    assert err.startswith("skmeta predict: error: cannot load ")
    assert f"as a joblib model file ({error}" in err


def test_random_model_files_are_one_line(tmp_path):
    rng = np.random.default_rng(0)
    data = tmp_path / "data.csv"
    classification_data()[0].to_csv(data, index=False)
    model = tmp_path / "model.joblib"
    for size in [1, 2, 9, 64, 1000] * 8:
        model.write_bytes(rng.integers(0, 256, size, dtype=np.uint8).tobytes())
        code, err = _run(["predict", str(model), str(data)])
        assert code == 1 and len(err.splitlines()) == 1, err


# -- 5. kb export never writes over its source, nor over a file without --force -----

def test_kb_export_refuses_its_own_database(tmp_path):
    from .helpers import database_digest

    kb = tmp_path / "kb.sqlite"
    from skmeta import KnowledgeBase
    with KnowledgeBase(kb) as store:
        store.add_dataset("d", "d", "binary", {"n_rows": 1.0}, 10, 2)
    before = database_digest(kb)
    for output in [kb, tmp_path / "kb.sqlite-wal"]:
        code, err = _run(["kb", "export", "--kb", str(kb), "-o", str(output)])
        assert code == 1 and len(err.splitlines()) == 1, err
    assert database_digest(kb) == before
    with KnowledgeBase(kb) as store, pytest.raises(ValueError, match="own file"):
        store.export_json(kb)
    assert database_digest(kb) == before
    # A JSON export given as --kb and as -o: the same file.
    exported = tmp_path / "kb.json"
    assert _run(["kb", "export", "--kb", str(kb), "-o", str(exported)])[0] == 0
    text = exported.read_bytes()
    code, err = _run(["kb", "export", "--kb", str(exported), "-o", str(exported),
                      "--force"])
    assert code == 1 and "it is the knowledge base (--kb)" in err
    assert exported.read_bytes() == text


def test_kb_export_needs_force_to_replace_a_file(tmp_path):
    kb = tmp_path / "kb.sqlite"
    from skmeta import KnowledgeBase
    KnowledgeBase(kb).close()
    other = tmp_path / "notes.json"
    other.write_text("my notes")
    code, err = _run(["kb", "export", "--kb", str(kb), "-o", str(other)])
    assert code == 1 and "exists; pass --force" in err
    assert other.read_text() == "my notes"
    assert _run(["kb", "export", "--kb", str(kb), "-o", str(other), "--force"])[0] == 0
    assert other.read_text().startswith("{")


# -- 6. an invalid configuration cannot make a knowledge base unusable --------------

@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A SQLite knowledge base with classification experience, and its document."""
    from skmeta import KnowledgeBase, MetaLearner

    from .helpers import PORTFOLIO, small_datasets

    path = tmp_path_factory.mktemp("item6") / "kb.sqlite"
    datasets = [d for d in small_datasets() if d.name.startswith("classification")]
    MetaLearner(knowledge_base=str(path), portfolio=PORTFOLIO,
                n_configs_per_strategy=0, cv=2, evaluation_timeout=None,
                random_state=0).fit(datasets)
    with KnowledgeBase(path) as kb:
        document = kb.to_dict()
    return path, document


def _bad_record(document, **config):
    record = next(e for e in document["evaluations"] if e["strategy"] == "knn")
    return {**record, "config": {**record["config"], **config}, "seed": 99}


@pytest.mark.parametrize("change, problem", [
    ({"weights": "foo"}, r"hyperparameter 'weights': 'foo' is not one of"),
    ({"leaf_size": 30}, r"unknown hyperparameter 'leaf_size'"),
    ({"n_neighbors": 10_000}, r"hyperparameter 'n_neighbors': 10000 is outside"),
])
def test_import_refuses_an_invalid_configuration(stored, tmp_path, change, problem):
    import json

    from skmeta import KnowledgeBase

    from .helpers import database_digest

    path, document = stored
    before = database_digest(path)
    bad = _bad_record(document, **change)
    # With its dataset in the document (validated with it), and without
    # (checked against the stored dataset).
    for doc in [{**document, "evaluations": [bad]},
                {**document, "datasets": [], "evaluations": [bad]}]:
        with KnowledgeBase(path) as kb, pytest.raises(
                ValueError, match=r"evaluations\[0\]: config of strategy 'knn' on "
                                  r"dataset '\w+' does not fit the strategy's space: "
                                  + problem):
            kb.import_dict(doc, source="bad.json")
        file = tmp_path / "bad.json"
        file.write_text(json.dumps(doc))
        code, err = _run(["kb", "import", str(file), "--kb", str(path)])
        assert code == 1 and len(err.splitlines()) == 1, err
        assert "does not fit the strategy's space" in err
    assert database_digest(path) == before


def test_a_stored_invalid_record_is_skipped_found_and_removed(stored, tmp_path):
    import shutil

    from skmeta import KnowledgeBase, MetaLearner
    from skmeta.knowledge import Evaluation
    from skmeta.knowledge.checks import invalid_evaluations

    from .helpers import database_digest

    source, document = stored
    path = tmp_path / "kb.sqlite"
    shutil.copy(source, path)
    with KnowledgeBase(path) as kb:  # stored by hand, as an older skmeta might have
        kb.add_evaluation(Evaluation.from_record(_bad_record(document, weights="foo")))
        n_stored = len(kb)
    X, y = classification_data()
    # Every use of the knowledge base works, and names the record it skipped.
    skipped = r"left out: knn on dataset 'classification_\d' .*'weights': 'foo'"
    with pytest.warns(UserWarning, match=skipped):
        fitted = MetaClassifier(knowledge_base=str(path), n_evaluations=2, cv=2,
                                random_state=0).fit(X, y)
    assert fitted.predict(X).shape == (len(X),)
    with pytest.warns(UserWarning, match=skipped):
        learner = MetaLearner.from_knowledge_base(str(path))
    ranked = learner.recommend(X, y, k=50)
    assert "foo" not in str(ranked["config"].tolist())
    # kb check lists it and exits 1; kb remove --dry-run changes nothing.
    code, err = _run(["kb", "check", "--kb", str(path)])
    assert code == 1 and len(err.splitlines()) == 1, err
    assert "1 invalid evaluation; remove them with `skmeta kb remove" in err
    before = database_digest(path)
    assert _run(["kb", "remove", "--kb", str(path), "--invalid", "--dry-run"])[0] == 0
    assert database_digest(path) == before
    assert _run(["kb", "remove", "--kb", str(path)])[0] == 1  # says what to remove
    assert database_digest(path) == before
    # kb remove --invalid removes it, and only it.
    assert _run(["kb", "remove", "--kb", str(path), "--invalid"])[0] == 0
    with KnowledgeBase(path) as kb:
        assert len(kb) == n_stored - 1
        assert invalid_evaluations(kb).empty
        assert kb.to_dict()["evaluations"] == document["evaluations"]
    assert _run(["kb", "check", "--kb", str(path)]) == (0, "")


def test_the_shipped_knowledge_base_is_valid():
    from skmeta import KnowledgeBase
    from skmeta.knowledge.checks import invalid_evaluations

    assert invalid_evaluations(KnowledgeBase.default()).empty
    assert _run(["kb", "check"])[0] == 0
