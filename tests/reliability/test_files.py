"""Files the command line reads and writes: model files, outputs, CSV cells.

- A ``.skops`` model file is trusted by the names of its types alone: nothing
  it names is imported (importing a module runs it) until the file is trusted;
  a joblib file (a pickle) is announced by a warning before it is loaded.
- An output never replaces a file the command reads (through links, and the
  knowledge base's side files included) and an existing output needs --force.
- Outputs are written whole or not at all: a failed write leaves the old
  file as it was and no stray temporary file.
- Only empty CSV fields are missing values unless ``--na-values`` says more:
  a class or a category called ``NA`` is one.
"""

import json
import os
import pickle
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from cli_runner import run_cli

from skmeta import KnowledgeBase, MetaClassifier, load_csv, load_folder
from skmeta.cli import build_parser
from skmeta.cli.model_files import _save_model

from .helpers import classification_data, database_digest, small_learner

REPO = Path(__file__).resolve().parents[2]
FAST_FIT = ["--n-evaluations", "1", "--cv", "2", "--ensemble-size", "1",
            "--portfolio", "gaussian_nb,logistic_regression", "--quiet"]


def _run_python(code, cwd):
    """Run ``code`` in a new Python process importing this checkout's skmeta."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def files(learner, tmp_path_factory):
    """A SQLite knowledge base, a CSV file and a joblib model fitted on it."""
    root = tmp_path_factory.mktemp("files")
    kb = root / "kb.sqlite"
    small_learner(knowledge_base=str(kb))
    X, y = classification_data()
    csv = root / "data.csv"
    X.assign(label=y).to_csv(csv, index=False)
    (root / "folder").mkdir()
    X.assign(label=y).to_csv(root / "folder" / "a.csv", index=False)
    model = root / "model.joblib"
    joblib.dump(MetaClassifier(meta_learner=learner, n_evaluations=2, cv=2,
                               ensemble_size=1, random_state=0).fit(X, y), model)
    return {"root": root, "kb": kb, "csv": csv, "model": model}


def _fingerprints(root):
    """Every file under ``root`` (hidden ones included) with its bytes."""
    return {path: path.read_bytes() for path in sorted(root.rglob("*"))
            if path.is_file()}


# -- 1. model files from elsewhere -------------------------------------------------

def _crafted_skops(path, module):
    """A real .skops file of a scaler whose type claims to live in ``module``."""
    import skops.io
    from sklearn.preprocessing import StandardScaler

    original = path.with_name("original.skops")
    skops.io.dump(StandardScaler().fit([[0.0], [1.0]]), original)
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "schema.json":
                schema = json.loads(data)
                schema["__module__"] = module
                data = json.dumps(schema).encode()
            target.writestr(item, data)
    return path


@pytest.mark.slow
def test_a_skops_file_naming_a_module_that_runs_code_runs_nothing(files, tmp_path):
    # Importing skmeta.cli.__main__ runs the command line given to the process:
    # here one that writes `marker`. A file naming it must not make that happen.
    pytest.importorskip("skops")
    crafted = _crafted_skops(tmp_path / "crafted.skops", "skmeta.cli.__main__")
    source, marker = tmp_path / "empty.json", tmp_path / "marker.json"
    KnowledgeBase().export_json(source)
    done = _run_python(
        "import sys\n"
        "from skmeta.cli import main\n"
        f"sys.argv = ['skmeta', 'kb', 'export', '--kb', {str(source)!r}, "
        f"'-o', {str(marker)!r}]\n"
        f"sys.exit(main(['predict', {str(crafted)!r}, {str(files['csv'])!r}]))\n",
        cwd=tmp_path)
    assert not marker.exists(), "loading the model file ran a command"
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [
        f"skmeta predict: error: {crafted} holds types skmeta does not trust: "
        "skmeta.cli.__main__.StandardScaler; if you trust the file's source, load "
        "it in Python with skops.io.load(path, trusted=[...])"]


#: Names a file may hold whose modules run code (a command line) or change
#: scikit-learn when imported, or that skmeta never trusts.
FOREIGN_NAMES = [
    "skmeta.cli.__main__.Thing",
    "sklearn.experimental.enable_halving_search_cv.Thing",
    "sklearn.experimental.enable_iterative_imputer.IterativeImputer",
    "sklearn.conftest.Thing",
    "sklearn.utils._testing.TempMemmap",
    "numpy.f2py.f2py2e.Thing",
    "skmeta.knowledge.shipped.Thing",
]


def test_deciding_trust_imports_no_module_a_file_names(tmp_path):
    # First what a real model needs (loading skops imports scikit-learn's
    # public modules), then the foreign names: no module may be imported.
    done = _run_python(
        "import json, sys\n"
        "import skops.io\n"
        "from skmeta.cli.model_files import _trusted_skops_name\n"
        "assert _trusted_skops_name('sklearn.tree._tree.Tree')\n"
        "before = set(sys.modules)\n"
        f"trusted = [_trusted_skops_name(name) for name in {FOREIGN_NAMES!r}]\n"
        "print(json.dumps([trusted, sorted(set(sys.modules) - before)]))\n",
        cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    trusted, imported = json.loads(done.stdout)
    assert not any(trusted)
    assert imported == []


class _Announce:
    """Unpickling this writes UNPICKLED to stderr (and gives back a number)."""

    def __reduce__(self):
        return os.write, (2, b"UNPICKLED\n")


def test_a_warning_comes_before_a_pickle_is_loaded(files, tmp_path):
    path = tmp_path / "announce.joblib"
    path.write_bytes(pickle.dumps(_Announce()))
    done = _run_python(
        "import sys\nfrom skmeta.cli import main\n"
        f"sys.exit(main(['predict', {str(path)!r}, {str(files['csv'])!r}]))\n",
        cwd=tmp_path)
    lines = done.stderr.splitlines()
    assert done.returncode == 1
    assert lines[0] == (
        f"skmeta predict: warning: {path} is a joblib file, a pickle: loading it "
        "runs code stored in it; load only model files you trust")
    assert lines[1] == "UNPICKLED"
    assert lines[2].startswith("skmeta predict: error: ")


def test_a_skops_file_gets_no_pickle_warning(files, tmp_path):
    pytest.importorskip("skops")
    model = tmp_path / "m.skops"
    code, _, err = run_cli(["fit", files["csv"], "--target", "label", "--kb",
                            files["kb"], "-o", model, *FAST_FIT])
    assert code == 0, err
    code, _, err = run_cli(["predict", model, files["csv"]])
    assert code == 0 and err == ""


# -- 2. outputs against inputs ------------------------------------------------------

def _links(root):
    """A symbolic and a hard link to the data, and a symbolic one to the kb."""
    links = {"data link": root / "data_link.csv", "kb link": root / "kb_link.sqlite",
             "data hard link": root / "data_hard.csv"}
    for name, target in (("data link", "data.csv"), ("kb link", "kb.sqlite")):
        if not links[name].exists():
            links[name].symlink_to(root / target)
    if not links["data hard link"].exists():
        os.link(root / "data.csv", links["data hard link"])
    return links


WRITES_OVER_INPUTS = {
    "fit -o the knowledge base": (
        ["fit", "{csv}", "--target", "label", "--kb", "{kb}", "-o", "{kb}"],
        r"kb\.sqlite \(-o\): it is the knowledge base \(--kb\); choose another -o"),
    "fit -o a link to the knowledge base": (
        ["fit", "{csv}", "--target", "label", "--kb", "{kb}",
         "-o", "{root}/kb_link.sqlite"],
        r"kb_link\.sqlite \(-o\): it is the knowledge base \(--kb\), the same file "
        r"as .*kb\.sqlite"),
    "fit -o the knowledge base's write-ahead log": (
        ["fit", "{csv}", "--target", "label", "--kb", "{kb}", "-o", "{kb}-wal"],
        r"\(-o\): it is a side file of the knowledge base \(--kb\)"),
    "fit -o the data": (
        ["fit", "{csv}", "--target", "label", "--kb", "{kb}", "-o", "{csv}"],
        r"\(-o\): it is the data this command reads"),
    "fit --plot the data": (
        ["fit", "{csv}", "--target", "label", "--kb", "{kb}", "--plot", "{csv}",
         "--force"],
        r"data\.csv \(--plot\): it is the data this command reads"),
    "fit --plot the model file": (
        ["fit", "{csv}", "--target", "label", "--kb", "{kb}", "-o", "{root}/m.joblib",
         "--plot", "{root}/m.joblib"],
        r"m\.joblib \(--plot\): it is also the model file \(-o\)"),
    "predict -o the data": (
        ["predict", "{model}", "{csv}", "-o", "{csv}", "--force"],
        r"data\.csv \(-o\): it is the data this command reads; choose another -o"),
    "predict -o a hard link to the data": (
        ["predict", "{model}", "{csv}", "-o", "{root}/data_hard.csv", "--force"],
        r"\(-o\): it is the data this command reads"),
    "predict -o a symbolic link to the data": (
        ["predict", "{model}", "{root}/data_link.csv", "-o", "{csv}", "--force"],
        r"\(-o\): it is the data this command reads"),
    "predict -o the model": (
        ["predict", "{model}", "{csv}", "-o", "{model}", "--force"],
        r"\(-o\): it is the model file this command reads"),
    "metafeatures -o the data": (
        ["metafeatures", "{csv}", "--target", "label", "-o", "{csv}", "--force"],
        r"\(-o\): it is the data this command reads"),
    "metatrain --kb one of its CSV files": (
        ["metatrain", "{root}/folder", "--kb", "{root}/folder/a.csv", "--target",
         "label"],
        r"a\.csv \(--kb\): it is the data this command reads"),
    "evaluate --kb one of its CSV files": (
        ["evaluate", "{root}/folder", "--kb", "{root}/folder/a.csv", "--target",
         "label"],
        r"a\.csv \(--kb\): it is the data this command reads"),
    "kb import into the file imported": (
        ["kb", "import", "{root}/kb_export.json", "--kb", "{root}/kb_export.json"],
        r"\(--kb\): it is the file this command imports"),
}


@pytest.mark.parametrize("argv, message", WRITES_OVER_INPUTS.values(),
                         ids=WRITES_OVER_INPUTS.keys())
def test_an_output_never_replaces_an_input(files, argv, message):
    root = files["root"]
    _links(root)
    if not (root / "kb_export.json").exists():
        KnowledgeBase(files["kb"]).export_json(root / "kb_export.json")
    before, digest = _fingerprints(root), database_digest(files["kb"])
    code, out, err = run_cli([part.format(**files) for part in argv])
    assert code == 1, err
    assert len(err.splitlines()) == 1 and "error: cannot write " in err
    assert re.search(message, err), err
    assert database_digest(files["kb"]) == digest
    assert _fingerprints(root) == before


EXISTING_OUTPUTS = {
    "fit -o": ["fit", "{csv}", "--target", "label", "--kb", "{kb}", "-o", "{old}"],
    "fit --plot": ["fit", "{csv}", "--target", "label", "--kb", "{kb}",
                   "-o", "{new}", "--plot", "{old}"],
    "predict -o": ["predict", "{model}", "{csv}", "-o", "{old}"],
    "metafeatures -o": ["metafeatures", "{csv}", "--target", "label", "-o", "{old}"],
}


@pytest.mark.parametrize("argv", EXISTING_OUTPUTS.values(), ids=EXISTING_OUTPUTS.keys())
def test_an_existing_output_needs_force(files, tmp_path, argv):
    old, new = tmp_path / "old.png", tmp_path / "new.joblib"
    old.write_text("keep me\n")
    code, out, err = run_cli([part.format(old=old, new=new, **files) for part in argv])
    assert code == 1 and out == ""
    option = argv[argv.index("{old}") - 1]
    assert err == (f"skmeta {argv[0]}: error: {old} exists; pass --force to "
                   f"replace it, or choose another {option}\n")
    assert old.read_text() == "keep me\n" and not new.exists()


def test_an_unknown_plot_format_stops_before_the_search(files, tmp_path):
    model = tmp_path / "m.joblib"
    code, out, err = run_cli(["fit", files["csv"], "--target", "label", "--kb",
                              files["kb"], "-o", model, "--plot", tmp_path / "fit.xyz"])
    assert code == 1 and out == "" and not model.exists()
    assert err.startswith(f"skmeta fit: error: --plot {tmp_path / 'fit.xyz'}: unknown "
                          "image format 'xyz'; end the name in one of ")


def test_force_replaces_an_existing_output(files, tmp_path):
    old = tmp_path / "predictions.csv"
    old.write_text("keep me\n")
    old.chmod(0o600)
    code, _, err = run_cli(["predict", files["model"], files["csv"], "-o", old,
                            "--force"])
    assert code == 0, err
    assert pd.read_csv(old).shape == (90, 1)
    assert old.stat().st_mode & 0o777 == 0o600  # its permissions are kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["predictions.csv"]


# -- 3. whole files or none --------------------------------------------------------

class _Unpicklable:
    def __reduce__(self):
        raise pickle.PicklingError("this object cannot be saved")


def test_a_failed_model_save_leaves_the_old_file(tmp_path):
    path = tmp_path / "model.joblib"
    path.write_bytes(b"the old model")
    # Megabytes are written before the object that cannot be pickled.
    with pytest.raises(pickle.PicklingError):
        _save_model({"weights": np.zeros(1_000_000), "bad": _Unpicklable()}, path)
    assert _fingerprints(tmp_path) == {path: b"the old model"}


def test_a_failed_new_model_save_leaves_no_file(tmp_path):
    with pytest.raises(pickle.PicklingError):
        _save_model({"weights": np.zeros(1_000_000), "bad": _Unpicklable()},
                    tmp_path / "model.joblib")
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_while_writing_predictions_leaves_the_old_file(files, tmp_path):
    # RLIMIT_FSIZE makes every write beyond 2,000 bytes fail with EFBIG, as a
    # full disk fails a write; 3,000 predictions take about 6,000 bytes.
    X, _ = classification_data(3000, seed=3)
    data = tmp_path / "many.csv"
    X.to_csv(data, index=False)
    old = tmp_path / "predictions.csv"
    old.write_text("prediction\nthe old predictions\n")
    before = _fingerprints(tmp_path)
    done = _run_python(
        "import resource, signal, sys\n"
        "from skmeta.cli import main\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))\n"
        f"sys.exit(main(['predict', {str(files['model'])!r}, {str(data)!r}, "
        f"'-o', {str(old)!r}, '--force']))\n",
        cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[-1].startswith("skmeta predict: error: ")
    assert _fingerprints(tmp_path) == before


def test_outputs_are_written_whole(files, tmp_path):
    model, plot = tmp_path / "m.joblib.gz", tmp_path / "trace"
    code, _, err = run_cli(["fit", files["csv"], "--target", "label", "--kb",
                            files["kb"], "-o", model, "--plot", plot, *FAST_FIT])
    assert code == 0, err
    assert model.read_bytes()[:2] == b"\x1f\x8b"  # compressed, as the name says
    assert plot.read_bytes()[:4] == b"\x89PNG"  # no suffix: a PNG, under that name
    plot.unlink()
    code, _, err = run_cli(["predict", model, files["csv"],
                            "-o", tmp_path / "p.csv.gz"])
    assert code == 0, err
    assert len(pd.read_csv(tmp_path / "p.csv.gz")) == 90
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.joblib.gz", "p.csv.gz"]


# -- 8. which CSV fields are missing -----------------------------------------------

REGIONS = ["NA", "EU", "NA", "EU", "NA", "EU"] * 10


def _regions_csv(path):
    X, _ = classification_data(60, seed=5)
    frame = X.assign(market=["NA", "None", "null", "n/a", "", "EU"] * 10,
                     region=REGIONS)
    frame.to_csv(path, index=False)
    return path


def test_na_and_null_are_values_not_missing(tmp_path):
    dataset = load_csv(_regions_csv(tmp_path / "regions.csv"), target="region")
    assert sorted(set(dataset.y)) == ["EU", "NA"]
    market = dataset.X["market"]
    assert market.isna().sum() == 10  # only the empty fields
    assert set(market.dropna()) == {"NA", "None", "null", "n/a", "EU"}


def test_na_values_adds_missing_tokens(tmp_path):
    path = _regions_csv(tmp_path / "regions.csv")
    dataset = load_csv(path, target="region", na_values=["null", "n/a"])
    assert dataset.X["market"].isna().sum() == 30
    assert sorted(set(dataset.y)) == ["EU", "NA"]
    [from_folder] = load_folder(tmp_path, target="region", na_values="null")
    assert from_folder.X["market"].isna().sum() == 20


def test_numbers_with_missing_markers_are_named_in_a_warning(tmp_path):
    X, y = classification_data(60, seed=5)
    path = tmp_path / "r_style.csv"
    X.assign(f0=X["f0"].astype(object).where(np.arange(60) % 7 > 0, "NA"),
             label=y).to_csv(path, index=False)
    with pytest.warns(UserWarning, match=r"column 'f0' of r_style\.csv holds numbers "
                                         r"and the text 'NA'.*na_values=\['NA'\] "
                                         r"\(--na-values NA\)"):
        load_csv(path, target="label")
    dataset = load_csv(path, target="label", na_values=["NA"])
    assert dataset.X["f0"].dtype == float and dataset.X["f0"].isna().sum() == 9


def test_the_command_line_keeps_a_class_called_na(files, tmp_path):
    path = _regions_csv(tmp_path / "regions.csv")
    model = tmp_path / "m.joblib"
    code, _, err = run_cli(["fit", path, "--target", "region", "--kb", files["kb"],
                            "-o", model, *FAST_FIT])
    assert code == 0, err
    assert sorted(joblib.load(model).classes_) == ["EU", "NA"]
    code, out, err = run_cli(["predict", model, path])
    assert code == 0
    assert set(out.splitlines()[1:]) <= {"EU", "NA"} and "NA" in out.splitlines()
    code, out, err = run_cli(["fit", path, "--target", "region", "--kb", files["kb"],
                              "-o", tmp_path / "m2.joblib", "--na-values", "NA",
                              *FAST_FIT])
    assert code == 1 and "missing" in err


CSV_COMMANDS = {
    "metafeatures": ["metafeatures", "d.csv"],
    "recommend": ["recommend", "d.csv", "--target", "y"],
    "fit": ["fit", "d.csv", "--target", "y"],
    "predict": ["predict", "m.joblib", "d.csv"],
    "metatrain": ["metatrain", "folder", "--kb", "kb.sqlite"],
    "evaluate": ["evaluate", "folder"],
}


@pytest.mark.parametrize("argv", CSV_COMMANDS.values(), ids=CSV_COMMANDS.keys())
def test_every_command_reading_csv_takes_na_values(argv):
    args = build_parser().parse_args([*argv, "--na-values", "?, NULL,n/a"])
    assert args.na_values == ["?", "NULL", "n/a"]
    assert build_parser().parse_args(argv).na_values is None


def test_a_folder_given_as_the_csv_file_is_named(tmp_path):
    with pytest.raises(IsADirectoryError, match=r"is a folder, not a CSV file"):
        load_csv(tmp_path, target="y")
