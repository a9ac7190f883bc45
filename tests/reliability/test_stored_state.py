"""Knowledge bases as stored state: opening, caching, concurrent writers, imports.

Every test runs the real thing: SQLite files, subprocesses, real gzip bombs.

- Loading a pickled model creates no file (the knowledge base it names is
  opened only when needed, never created).
- Only regular files (or a missing path, for writers) are knowledge bases.
- The per-process learner cache tells files apart by where they are and
  what they hold, not by the text of their path.
- Several processes write to one file at once without crashing or losing
  an evaluation (nothing but SQLite ever opens a live database file).
- A gzip bomb is refused while decompressing, in little memory.
- A knowledge base on read-only storage can be read.
- Every stored value a fit reads (learned settings, meta-features, timings)
  is checked on import and again when read: an unusable one is refused on
  import, and skipped with a warning naming it when it is already stored.
"""

import gzip
import json
import os
import pickle
import re
import sqlite3
import subprocess
import sys
import textwrap
import tracemalloc
from contextlib import closing, redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

import pytest

from skmeta import KnowledgeBase, MetaLearner
from skmeta.knowledge.exchange import MAX_DOCUMENT_BYTES, read_document
from skmeta.knowledge.opening import open_knowledge_base
from skmeta.learner import RACING_VERSION, SETTINGS_VERSION, resolve_meta_learner

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def _run_python(code, cwd, timeout=300):
    """Run ``code`` in a new Python process in ``cwd``; fail with its stderr."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(HERE)])}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _run_cli(main, argv):
    """``skmeta argv`` in this process: its exit code, stdout and stderr."""
    out, err = StringIO(), StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _document(learner, families=("binary", "multiclass", "regression"), tag=""):
    """The export of the session learner's knowledge base, for some tasks only,
    its dataset ids prefixed with ``tag`` (equal counts, another content)."""
    document = learner.knowledge_base_.to_dict()
    datasets = [{**d, "dataset_id": tag + d["dataset_id"]}
                for d in document["datasets"] if d["task"] in families]
    ids = {d["dataset_id"] for d in datasets}
    evaluations = [{**e, "dataset_id": tag + e["dataset_id"]}
                   for e in document["evaluations"]]
    return {**document, "datasets": datasets, "properties": {},
            "evaluations": [e for e in evaluations if e["dataset_id"] in ids]}


def _ids(path):
    """The ids of the datasets the learner of ``path`` learned from."""
    return sorted(i for ids in resolve_meta_learner(str(path)).training_ids_.values()
                  for i in ids)


def _write_json(path, document):
    Path(path).write_text(json.dumps(document))
    return path


# -- loading a model creates nothing ------------------------------------------------

@pytest.mark.slow
def test_unpickling_a_model_creates_no_knowledge_base_file(tmp_path):
    fitted_in, loaded_in = tmp_path / "fit", tmp_path / "load"
    fitted_in.mkdir()
    loaded_in.mkdir()
    _run_python("""
        import pickle
        from helpers import classification_data, small_learner
        from skmeta import MetaClassifier
        learner = small_learner(knowledge_base="kb.sqlite")  # relative
        X, y = classification_data()
        model = MetaClassifier(meta_learner=learner, n_evaluations=2, cv=2,
                               ensemble_size=1, random_state=0).fit(X, y)
        with open("model.pkl", "wb") as file:
            pickle.dump(model, file)
        with open("learner.pkl", "wb") as file:
            pickle.dump(learner, file)
    """, cwd=fitted_in)
    for companion in fitted_in.glob("kb.sqlite*"):
        companion.unlink()
    before = sorted(p.name for p in fitted_in.iterdir())

    _run_python(f"""
        import pickle
        from helpers import classification_data
        X, y = classification_data()
        with open({str(fitted_in / "model.pkl")!r}, "rb") as file:
            model = pickle.load(file)
        with open({str(fitted_in / "learner.pkl")!r}, "rb") as file:
            learner = pickle.load(file)
        assert (model.predict(X) == y).mean() > 0.5
        try:  # needs the knowledge base, which is gone: a clear error
            learner.recommend(X, y, k=2)
        except FileNotFoundError as exc:
            assert "kb.sqlite no longer exists" in str(exc), exc
        else:
            raise AssertionError("recommend ran without its knowledge base")
    """, cwd=loaded_in)

    assert list(loaded_in.iterdir()) == []
    assert sorted(p.name for p in fitted_in.iterdir()) == before


def test_an_unpickled_knowledge_base_opens_its_file_when_used(tmp_path, learner):
    path = tmp_path / "kb.sqlite"
    KnowledgeBase.from_dict(_document(learner), into=path).close()
    copy = pickle.loads(pickle.dumps(KnowledgeBase(path)))
    assert len(copy) == len(learner.knowledge_base_)
    copy.close()

    for companion in tmp_path.glob("kb.sqlite*"):
        companion.unlink()
    missing = pickle.loads(pickle.dumps(KnowledgeBase(path)))
    for companion in tmp_path.glob("kb.sqlite*"):
        companion.unlink()
    with pytest.raises(FileNotFoundError, match=r"kb\.sqlite no longer exists"):
        len(missing)
    assert list(tmp_path.iterdir()) == []


# -- only regular files are knowledge bases --------------------------------------------

def _special_file(kind, folder):
    path = folder / f"{kind}.sqlite"
    if kind == "device":
        return Path("/dev/null")
    if kind == "link_to_device":
        path.symlink_to("/dev/null")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "loop":
        path.symlink_to(path)
    return path


@pytest.mark.parametrize("create", [False, True], ids=["read", "write"])
@pytest.mark.parametrize("kind", ["device", "link_to_device", "fifo", "loop"])
def test_only_a_regular_file_is_a_knowledge_base(tmp_path, kind, create):
    path = _special_file(kind, tmp_path)
    journal = Path(f"{os.path.realpath('/dev/null')}-journal")
    existed = journal.exists()
    try:
        with pytest.raises(ValueError, match=r"not a regular file|symbolic links"):
            open_knowledge_base(path, create=create)
        with pytest.raises(ValueError, match=r"not a regular file|symbolic links"):
            KnowledgeBase(path)
        assert journal.exists() == existed
        assert sorted(tmp_path.iterdir()) == ([] if kind == "device" else [path])
    finally:
        if journal.exists() and not existed:
            journal.unlink()


# -- the learner cache --------------------------------------------------------------

def test_the_learner_cache_tells_json_files_apart(tmp_path, learner):
    a = _write_json(tmp_path / "a.json", _document(learner, tag="a"))
    b = _write_json(tmp_path / "b.json", _document(learner, tag="b"))
    assert {i[0] for i in _ids(a)} == {"a"}
    assert {i[0] for i in _ids(b)} == {"b"}
    assert resolve_meta_learner(str(a)) is resolve_meta_learner(str(a))  # cached
    # Rewritten in place: the new content is read.
    _write_json(a, _document(learner, tag="c"))
    assert {i[0] for i in _ids(a)} == {"c"}


def test_the_learner_cache_follows_a_relative_path_after_chdir(
        tmp_path, learner, monkeypatch):
    for tag in "ab":
        (tmp_path / tag).mkdir()
        KnowledgeBase.from_dict(_document(learner, tag=tag),
                                into=tmp_path / tag / "kb.sqlite").close()
    monkeypatch.chdir(tmp_path / "a")
    assert {i[0] for i in _ids("kb.sqlite")} == {"a"}
    monkeypatch.chdir(tmp_path / "b")
    assert {i[0] for i in _ids("kb.sqlite")} == {"b"}
    assert resolve_meta_learner("kb.sqlite") is resolve_meta_learner("kb.sqlite")


def test_the_learner_cache_sees_a_sqlite_file_replaced(tmp_path, learner):
    path = tmp_path / "kb.sqlite"
    KnowledgeBase.from_dict(_document(learner, tag="a"), into=path).close()
    assert {i[0] for i in _ids(path)} == {"a"}
    replacement = tmp_path / "new.sqlite"
    KnowledgeBase.from_dict(_document(learner, tag="b"), into=replacement).close()
    os.replace(replacement, path)
    assert {i[0] for i in _ids(path)} == {"b"}


# -- concurrent writers ----------------------------------------------------------------

#: Writer ``i`` fits ``i + 1`` times, so that writers end (and close their
#: connections) while others still write.
N_WRITERS = 4

_WRITER = """
    import json, sys
    from helpers import classification_data
    from skmeta import MetaClassifier
    writer = int(sys.argv[1])
    expected = {}
    for fit in range(writer + 1):
        X, y = classification_data(60, seed=100 + 10 * writer + fit)
        model = MetaClassifier(knowledge_base=%(path)r, update_knowledge=True,
                               n_evaluations=3, cv=2, ensemble_size=1,
                               portfolio=["gaussian_nb", "knn", "logistic_regression"],
                               random_state=fit).fit(X, y)
        trace = model.trace_
        stored = trace["promoted"] | trace["status"].eq("error")
        expected[str(fit)] = int(stored.sum())
    print(json.dumps(expected))
"""


@pytest.mark.slow
def test_concurrent_writers_store_every_evaluation(tmp_path, learner):
    path = tmp_path / "kb.sqlite"
    KnowledgeBase.from_dict(_document(learner), into=path).close()
    with closing(sqlite3.connect(path)) as conn:
        before = conn.execute("SELECT count(*) FROM evaluations").fetchone()[0]
    script = textwrap.dedent(_WRITER % {"path": str(path)})
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(HERE)])}
    writers = [subprocess.Popen([sys.executable, "-c", script, str(i)], cwd=tmp_path,
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for i in range(N_WRITERS)]
    expected = 0
    for writer in writers:
        out, err = writer.communicate(timeout=600)
        assert writer.returncode == 0, err[-3000:]
        expected += sum(json.loads(out).values())
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = conn.execute("SELECT count(*) FROM evaluations").fetchone()[0]
    assert stored - before == expected


# -- gzip bombs ------------------------------------------------------------------------

def _gzip_bomb(path, size):
    """A gzip file of ``size`` zero bytes, as concatenated members (built in
    little memory and time: one member of 1 MiB, repeated)."""
    member = gzip.compress(bytes(2**20), compresslevel=9)
    with open(path, "wb") as file:
        for _ in range(size // 2**20):
            file.write(member)
    return path


def test_a_gzip_bomb_is_refused_in_little_memory(tmp_path):
    bomb = _gzip_bomb(tmp_path / "bomb.json.gz", MAX_DOCUMENT_BYTES + 2**20)
    assert bomb.stat().st_size < 2**21
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"larger than \d+ bytes"):
            read_document(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20, f"{peak / 2**20:.0f} MiB"


# -- read-only storage -----------------------------------------------------------------

@pytest.fixture
def read_only_folder(tmp_path):
    """A folder on a tmpfs remounted read-only (as root); skip where that is
    not possible. Yields the folder and a function that makes it read-only."""
    folder = tmp_path / "mount"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")

    def make_read_only():
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)

    try:
        yield folder, make_read_only
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_knowledge_base_on_read_only_storage_can_be_read(read_only_folder, learner):
    folder, make_read_only = read_only_folder
    path = folder / "kb.sqlite"
    KnowledgeBase.from_dict(_document(learner), into=path).close()
    make_read_only()
    assert len(open_knowledge_base(path)) == len(learner.knowledge_base_)
    assert sorted(MetaLearner.from_knowledge_base(path).training_ids_) == [
        "classification", "regression"]
    with pytest.raises(ValueError, match=r"read-only storage.*copy it"):
        open_knowledge_base(path, create=True)
    assert sorted(p.name for p in folder.iterdir()) == ["kb.sqlite"]


def test_the_command_line_reads_and_refuses_to_write_read_only_storage(
        read_only_folder, learner):
    from skmeta.cli import main

    folder, make_read_only = read_only_folder
    path = folder / "kb.sqlite"
    export = _write_json(folder.parent / "export.json", _document(learner))
    KnowledgeBase.from_dict(_document(learner), into=path).close()
    make_read_only()
    code, out, err = _run_cli(main, ["kb", "info", "--kb", str(path)])
    assert code == 0 and "datasets:" in out and not err
    code, out, err = _run_cli(main, ["kb", "import", str(export), "--kb", str(path)])
    assert code == 1 and len(err.splitlines()) == 1, err
    assert re.match(r"skmeta kb import: error: .*kb\.sqlite is on read-only storage, "
                    r"where evaluations cannot be stored; copy it", err), err


# -- stored values a fit reads: validated on import and when read ----------------------

def _first(document, task):
    return next(d["dataset_id"] for d in document["datasets"] if d["task"] == task)


def _setting(name, key, values):
    def change(document):
        n_datasets = sum(d["task"] != "regression" for d in document["datasets"])
        version = SETTINGS_VERSION if key == "settings" else RACING_VERSION
        document["properties"] = {name: {key: values, "n_datasets": n_datasets,
                                         "version": version}}
    return change


def _huge_metafeatures(document):
    dataset = next(d for d in document["datasets"] if d["task"] == "binary")
    dataset["metafeatures"] = {name: 1e308 for name in dataset["metafeatures"]}


def _huge_fit_seconds(document):
    dataset_id = _first(document, "binary")
    for evaluation in document["evaluations"]:
        if evaluation["dataset_id"] == dataset_id:
            evaluation["fit_seconds"] = 1e308


#: id -> (change of a document, what names the record).
UNUSABLE = {
    "adjuster settings with an extra key": (
        _setting("adjuster_settings.classification", "settings",
                 {"temperature": 0.1, "bogus": 1.0}),
        r"adjuster_settings\.classification.*bogus"),
    "adjuster settings with a negative temperature": (
        _setting("adjuster_settings.classification", "settings", {"temperature": -1.0}),
        r"adjuster_settings\.classification.*temperature"),
    "a racing policy with an extra key": (
        _setting("racing_policy.classification", "policy",
                 {"bounds": [1000], "margins": [1.0, 0.5], "extra": 1}),
        r"racing_policy\.classification.*extra"),
    "a racing policy with a negative margin": (
        _setting("racing_policy.classification", "policy",
                 {"bounds": [1000], "margins": [-1.0, 0.5]}),
        r"racing_policy\.classification.*margins"),
    "meta-features at 1e308": (_huge_metafeatures, r"meta-?features?.*1e\+308"),
    "fit_seconds at 1e308": (_huge_fit_seconds, r"fit_seconds.*1e\+308"),
}


def _unusable_document(learner, case):
    document = _document(learner)
    change, _ = UNUSABLE[case]
    change(document)
    return document


@pytest.mark.parametrize("case", UNUSABLE)
def test_an_import_refuses_a_value_a_fit_cannot_use(learner, case):
    kb = KnowledgeBase.from_dict(_document(learner))
    before = kb.to_dict()
    with pytest.raises(ValueError, match=UNUSABLE[case][1]):
        kb.import_dict(_unusable_document(learner, case))
    assert kb.to_dict() == before


def _store_unchecked(path, document):
    """Write a document's rows into a SQLite file as another program could,
    without skmeta's checks."""
    KnowledgeBase.from_dict(_document_without_values(document), into=path).close()
    with closing(sqlite3.connect(path)) as conn, conn:
        for name, value in document.get("properties", {}).items():
            conn.execute("INSERT OR REPLACE INTO properties VALUES (?, ?)",
                         (name, json.dumps(value)))
        for dataset in document["datasets"]:
            conn.execute("UPDATE datasets SET metafeatures = ? WHERE dataset_id = ?",
                         (json.dumps(dataset["metafeatures"]), dataset["dataset_id"]))
        conn.execute("UPDATE evaluations SET fit_seconds = 1e308 WHERE dataset_id IN "
                     "(SELECT value FROM json_each(?))", (json.dumps(sorted(
                         {e["dataset_id"] for e in document["evaluations"]
                          if e["fit_seconds"] > 1e300})),))


def _document_without_values(document):
    """The document with nothing stored that the checks would refuse."""
    return {**document, "properties": {},
            "datasets": [{**d, "metafeatures": {}} for d in document["datasets"]],
            "evaluations": [{**e, "fit_seconds": min(e["fit_seconds"], 1.0)}
                            for e in document["evaluations"]]}


@pytest.mark.parametrize("case", UNUSABLE)
def test_a_stored_value_a_fit_cannot_use_is_skipped_with_a_warning(
        tmp_path, learner, case):
    from skmeta import MetaClassifier
    from skmeta.cli import main

    from .helpers import classification_data

    path = tmp_path / "kb.sqlite"
    _store_unchecked(path, _unusable_document(learner, case))
    match = UNUSABLE[case][1]
    X, y = classification_data()
    with pytest.warns(UserWarning, match=match):
        meta = MetaLearner.from_knowledge_base(path, portfolio=learner.portfolio)
        model = MetaClassifier(meta_learner=meta, n_evaluations=3, time_budget=30,
                               cv=2, ensemble_size=1, random_state=0).fit(X, y)
    assert model.score(X, y) > 0.5

    code, out, err = _run_cli(main, ["kb", "check", "--kb", str(path)])
    assert code == 1 and re.search(match, out), out + err


def test_a_family_whose_datasets_have_identical_metafeatures_can_be_learned_from(
        learner):
    from skmeta import MetaClassifier

    from .helpers import classification_data

    document = _document(learner, ["binary", "multiclass"])
    first, second = document["datasets"][:2]
    second["metafeatures"] = dict(first["metafeatures"])
    ids = {first["dataset_id"], second["dataset_id"]}
    document = {**document, "datasets": [first, second], "evaluations": [
        e for e in document["evaluations"] if e["dataset_id"] in ids]}
    meta = MetaLearner.from_knowledge_base(KnowledgeBase.from_dict(document),
                                           portfolio=learner.portfolio)
    X, y = classification_data()
    model = MetaClassifier(meta_learner=meta, n_evaluations=3, time_budget=30, cv=2,
                           ensemble_size=1, random_state=0).fit(X, y)
    assert model.score(X, y) > 0.5
    assert len(meta.recommend(X, y, k=2)) == 2
