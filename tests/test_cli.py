"""The ``skmeta`` command, run in-process through ``main(argv)``.

A small SQLite knowledge base is meta-trained once (on three tiny CSV files,
two strategies, default configurations only) and shared by the tests; the
shipped knowledge base is used where it has been built.
"""

import contextlib
import gzip
import io
import json
import runpy
import shutil
import sqlite3
import subprocess
import sys
import warnings
from importlib import resources
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from cli_runner import run_cli, without_pickle_warning
from sklearn.datasets import make_classification, make_regression
from sklearn.linear_model import LinearRegression

from skmeta import cli
from skmeta.cli import main

SMALL = ["--portfolio", "knn,logistic_regression", "--n-configs", "0", "--cv", "2"]
SHIPPED = resources.files("skmeta") / "data" / "knowledge_base.json.gz"
needs_shipped_kb = pytest.mark.skipif(
    not SHIPPED.is_file(), reason="the shipped knowledge base is not built yet"
)


def _frame(X, y, seed):
    """Numeric features with missing values, a categorical column, a target."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    frame["colour"] = rng.choice(["red", "green", "blue"], len(frame))
    frame.loc[rng.random(len(frame)) < 0.1, "x0"] = np.nan
    frame.loc[rng.random(len(frame)) < 0.1, "colour"] = None
    frame["label"] = y
    return frame


def _classification_csv(path, seed, n_samples=60):
    X, y = make_classification(
        n_samples=n_samples, n_features=4, n_informative=2, random_state=seed
    )
    _frame(X, y, seed).to_csv(path, index=False)
    return path


def _regression_csv(path, seed=0):
    X, y = make_regression(n_samples=60, n_features=4, noise=1.0, random_state=seed)
    _frame(X, y, seed).to_csv(path, index=False)
    return path




@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    folder = root / "folder"
    folder.mkdir()
    for seed in range(3):
        _classification_csv(folder / f"c{seed}.csv", seed)
    held = root / "held"
    held.mkdir()
    _classification_csv(held / "h.csv", seed=9)
    return {
        "root": root,
        "folder": folder,
        "held": held,
        "train": _classification_csv(root / "train.csv", seed=5, n_samples=80),
        "reg": _regression_csv(root / "reg.csv"),
    }


@pytest.fixture(scope="module")
def knowledge_base(files):
    """A SQLite knowledge base meta-trained on the folder; and the run's output."""
    path = files["root"] / "kb.sqlite"
    code, out, err = run_cli(
        ["metatrain", files["folder"], "--kb", path, "--target", "label", *SMALL]
    )
    assert code == 0, err
    return path, out, err


@pytest.fixture(scope="module")
def kb(knowledge_base):
    return knowledge_base[0]


@pytest.fixture(scope="module")
def fitted(files, kb):
    """A MetaClassifier fitted by ``skmeta fit``; and the run's output."""
    model = files["root"] / "model.joblib"
    code, out, err = run_cli([
        "fit", files["train"], "--target", "label", "--kb", kb, "--n-evaluations", "2",
        "--cv", "2", "--portfolio", "knn,logistic_regression", "-o", model,
    ])
    assert code == 0, err
    return model, out, err


def _copy_kb(source, target):
    """Copy a SQLite knowledge base (WAL included) with SQLite's backup."""
    with contextlib.closing(sqlite3.connect(source)) as src, \
            contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


# -- metafeatures -------------------------------------------------------------

def test_metafeatures_of_the_bundled_sample(capsys):
    assert main(["metafeatures"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("penguins: multiclass, 344 rows, 7 features")
    assert "n_classes" in out


def test_metafeatures_of_a_csv_with_categories_and_missing_values(tmp_path, capsys):
    frame = pd.DataFrame({
        "colour": ["red", "blue", None, "red", "green", "blue"] * 5,
        "size": [1.0, None, 3.5, 2.0, 8.0, 1.5] * 5,
        "label": ["a", "b"] * 15,
    })
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    output = tmp_path / "mf.csv"
    argv = ["metafeatures", str(path), "--target", "label", "-o", str(output)]
    assert main(argv) == 0
    row = pd.read_csv(output)
    assert len(row) == 1
    assert row.loc[0, "n_categorical"] == 1


# -- metatrain, kb ------------------------------------------------------------

def test_metatrain_summarizes_therun_cli(knowledge_base):
    _, out, err = knowledge_base
    assert "meta-trained on 3 datasets (binary 3)" in out
    assert "evaluations run: 6, reused from the knowledge base: 0" in out
    assert "status of these datasets' evaluations: ok 6" in out
    assert "[MetaLearner]" in err  # progress


def test_metatrain_resumes_reusing_stored_evaluations(files, kb, tmp_path, capsys):
    copy = _copy_kb(kb, tmp_path / "kb.sqlite")
    argv = ["metatrain", str(files["folder"]), "--kb", str(copy), "--target", "label",
            *SMALL, "--quiet"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "evaluations run: 0, reused from the knowledge base: 6" in captured.out
    assert captured.err == ""  # --quiet


def test_kb_info_counts_datasets_evaluations_and_strategies(kb, capsys):
    assert main(["kb", "info", "--kb", str(kb)]) == 0
    out = capsys.readouterr().out
    assert "datasets:        3 (binary 3)" in out
    assert "by status:       ok 6" in out
    assert "strategies:      2 (knn, logistic_regression)" in out


def test_kb_export_then_import_counts_added_and_skipped(kb, tmp_path, capsys):
    exported = tmp_path / "kb.json.gz"
    assert main(["kb", "export", "--kb", str(kb), "-o", str(exported)]) == 0
    with gzip.open(exported, "rt") as file:
        assert len(json.load(file)["evaluations"]) == 6
    target = tmp_path / "new.sqlite"
    assert main(["kb", "import", str(exported), "--kb", str(target)]) == 0
    assert "evaluations: 6 added, 0 skipped" in capsys.readouterr().out
    assert main(["kb", "import", str(exported), "--kb", str(target)]) == 0
    assert "evaluations: 0 added, 6 skipped" in capsys.readouterr().out
    # an export serves wherever a knowledge base is read
    assert main(["kb", "info", "--kb", str(exported)]) == 0
    assert "evaluations:     6" in capsys.readouterr().out


def test_a_bad_import_creates_no_knowledge_base(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    target = tmp_path / "new.sqlite"
    assert run_cli(["kb", "import", bad, "--kb", target])[0] == 1
    assert not target.exists()


# -- recommend, fit, predict, evaluate, demo ------------------------------------

def test_recommend_ranks_stored_configurations(files, kb, capsys):
    argv = ["recommend", str(files["train"]), "--target", "label", "--kb", str(kb),
            "-k", "1"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("train: binary, 80 rows, 5 features")
    ranks = [line.split() for line in out.splitlines() if line.strip().startswith("1 ")]
    assert len(ranks) == 1 and ranks[0][1] in {"knn", "logistic_regression"}
    assert "nearest datasets (distance): c" in out


def test_fit_prints_the_trace_and_saves_the_model(fitted):
    model, out, err = fitted
    assert out.startswith(
        "MetaClassifier on train: binary, 80 rows, 5 features; 2 evaluations"
    )
    assert "best: " in out and f"saved the model to {model}" in out
    assert "[MetaClassifier]" in err  # progress
    estimator = joblib.load(model)
    assert len(estimator.trace_) == 2
    assert estimator.knowledge_base == str(model.parent / "kb.sqlite")
    assert list(estimator.feature_names_in_) == ["x0", "x1", "x2", "x3", "colour"]


def test_predict_writes_one_prediction_per_row(files, fitted, tmp_path, capsys):
    model = fitted[0]
    data = pd.read_csv(files["train"])
    # other columns, in another order, are ignored
    data.insert(0, "id", range(len(data)))
    data = data[data.columns[::-1]]
    path = tmp_path / "new.csv"
    data.to_csv(path, index=False)
    output = tmp_path / "predictions.csv"
    assert main(["predict", str(model), str(path), "-o", str(output)]) == 0
    assert "(ignored columns: label, id)" in capsys.readouterr().out
    predictions = pd.read_csv(output)
    assert predictions.columns.tolist() == ["prediction"]
    assert len(predictions) == len(data)
    assert np.mean(predictions["prediction"] == data["label"]) > 0.7


def test_predict_proba_to_stdout(files, fitted, capsys):
    assert main(["predict", str(fitted[0]), str(files["train"]), "--proba"]) == 0
    proba = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert proba.columns.tolist() == ["0", "1"]
    assert len(proba) == 80
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_fit_a_regression_into_the_default_output_then_predict(
    files, kb, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    argv = ["fit", str(files["reg"]), "--target", "label", "--kb", str(kb),
            "--n-evaluations", "2", "--cv", "2", "--portfolio", "knn,ridge", "--quiet"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("MetaRegressor on reg: regression")
    assert "(r2 " in captured.out
    # The test knowledge base holds classification experience only.
    assert captured.err.strip() == (
        "skmeta fit: warning: the knowledge base has no regression experience, so "
        "the search starts from a uniform prior (a cold start); meta-train on "
        "regression datasets for a warm start."
    )
    assert (tmp_path / "reg.joblib").is_file()
    assert main(["predict", "reg.joblib", str(files["reg"])]) == 0
    predictions = pd.read_csv(io.StringIO(capsys.readouterr().out))["prediction"]
    target = pd.read_csv(files["reg"])["label"]
    assert np.corrcoef(predictions, target)[0, 1] > 0.5


def test_evaluate_scores_recommendations_on_held_out_datasets(
    files, kb, tmp_path, capsys
):
    copy = _copy_kb(kb, tmp_path / "kb.sqlite")
    argv = ["evaluate", str(files["held"]), "--kb", str(copy), "--target", "label",
            "--n-configs", "0", "--cv", "2", "--quiet"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "on 1 held-out dataset" in out
    row = next(line.split() for line in out.splitlines()
               if line.strip().startswith("h "))
    assert row[1] in {"knn", "logistic_regression"}
    regret = float(row[5])
    assert 0 <= regret <= 1
    assert f"mean regret: {regret:.4f}" in out


@pytest.mark.slow
def test_demo(kb, capsys):
    # the shipped knowledge base once it is built, else the small one
    argv = ["demo", "--n-evaluations", "2"]
    if not SHIPPED.is_file():
        argv += ["--kb", str(kb)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "skmeta demo: the bundled penguins sample, multiclass, 344 rows"
    )
    for heading in ("1. What the data looks like",
                    "2. What the knowledge base recommends",
                    "3. Adapting to 258 training rows",
                    "4. On the 86 held-out rows"):
        assert heading in out
    if SHIPPED.is_file():
        assert "recommends (the shipped knowledge base: " in out
    assert "  1  " in out.split("2. What")[1]  # a first recommendation
    scores = {
        line.split()[0]: float(line.split()[-2])
        for line in out.split("4. On the")[1].splitlines()[2:]
    }
    assert scores["MetaClassifier"] > 0.8 and scores["HistGradientBoosting"] > 0.8


@needs_shipped_kb
def test_recommend_and_kb_info_with_the_shipped_knowledge_base(files, capsys):
    assert main(["kb", "info"]) == 0
    assert capsys.readouterr().out.startswith("the shipped knowledge base")
    assert main(["recommend", str(files["reg"]), "--target", "label", "-k", "3"]) == 0
    out = capsys.readouterr().out
    assert "top 3 of the shipped knowledge base" in out


@needs_shipped_kb
def test_fit_with_the_shipped_knowledge_base(files, tmp_path):
    model = tmp_path / "m.joblib"
    code, out, err = run_cli(["fit", files["train"], "--target", "label",
                           "--n-evaluations", "2", "--cv", "2", "-o", model,
                           "--quiet"])
    assert code == 0, err
    assert joblib.load(model).knowledge_base is None


# -- errors -------------------------------------------------------------------

@pytest.fixture
def bad(files, kb, fitted, tmp_path):
    """Placeholders of the error table: good and bad files."""
    truncated = tmp_path / "truncated.csv.gz"
    truncated.write_bytes(gzip.compress(files["train"].read_bytes())[:100])
    text = tmp_path / "notes.txt"
    text.write_text("not a database, not a model\n")
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    joblib.dump({"not": "a model"}, tmp_path / "dict.joblib")
    regression = LinearRegression().fit([[0.0], [1.0]], [0.0, 1.0])
    joblib.dump(regression, tmp_path / "lr.joblib")
    lacking = pd.read_csv(files["train"]).drop(columns=["x1"])
    lacking.to_csv(tmp_path / "lacking.csv", index=False)
    (tmp_path / "one.csv").write_text("a\n0.5\n2.0\n")
    no_target = tmp_path / "no_target"
    no_target.mkdir()
    shutil.copy(files["folder"] / "c0.csv", no_target / "a.csv")
    pd.read_csv(files["folder"] / "c1.csv").drop(columns="label").to_csv(
        no_target / "b.csv", index=False)
    (tmp_path / "empty_folder").mkdir()
    (tmp_path / "corrupt.json").write_text('{"format": "skmeta-knowledge-base",')
    (tmp_path / "truncated.json.gz").write_bytes(gzip.compress(b'{"a": 1}' * 50)[:30])
    (tmp_path / "invalid.json").write_text(json.dumps({
        "format": "skmeta-knowledge-base", "format_version": 1,
        "skmeta_version": "0.1.0", "datasets": [], "evaluations": [{"seed": "zero"}],
    }))
    return {
        "train": files["train"], "reg": files["reg"], "folder": files["folder"],
        "kb": kb, "model": fitted[0], "tmp": tmp_path, "truncated": truncated,
        "text": text, "empty": empty,
    }


FIT = ["fit", "{train}", "--target", "label", "--kb", "{kb}", "-o", "{tmp}/m.joblib"]
ERRORS = {
    # fit: data, options, knowledge base, output
    "missing file": (["fit", "{tmp}/nope.csv", "--target", "label"], "no such file"),
    "missing target": (["fit", "{train}", "--target", "nope"], "target column 'nope'"),
    "truncated csv": (["fit", "{truncated}", "--target", "label"], "cannot read"),
    "zero evaluations": (FIT + ["--n-evaluations", "0"],
                         "--n-evaluations must be >= 1, got 0"),
    "negative budget": (FIT + ["--time-budget", "-1"],
                        "--time-budget must be > 0, got -1.0"),
    "one fold": (FIT + ["--cv", "1"], "--cv must be >= 2, got 1"),
    "zero jobs": (FIT + ["--n-jobs", "0"], "--n-jobs must not be 0"),
    "unknown strategy": (FIT + ["--portfolio", "knn,magic"],
                         "unknown strategy name 'magic'"),
    "bad scoring": (FIT + ["--scoring", "r2"],
                    "scoring 'r2' does not apply to a binary task"),
    "missing kb": (["fit", "{train}", "--target", "label", "--kb", "{tmp}/no.sqlite"],
                   "no such knowledge base: "),
    "kb not a kb": (["fit", "{train}", "--target", "label", "--kb", "{text}"],
                    "is not a skmeta knowledge base"),
    "no output folder": (FIT[:-1] + ["{tmp}/no/m.joblib"],
                         "the folder {tmp}/no does not exist"),
    # predict
    "missing model": (["predict", "{tmp}/no.joblib", "{train}"], "no such model file"),
    "unreadable model": (["predict", "{text}", "{train}"],
                         "cannot load {text} as a joblib model file ("),
    "not a model": (["predict", "{tmp}/dict.joblib", "{train}"],
                    "holds a dict, not a model"),
    "lacking column": (["predict", "{model}", "{tmp}/lacking.csv"],
                       "lacking.csv lacks 1 feature column(s) of the model: x1"),
    "feature count": (["predict", "{tmp}/lr.joblib", "{tmp}/lacking.csv"],
                      "the model expects 1 feature columns (it was fitted without "
                      "column names); lacking.csv has 5"),
    "proba of a regressor": (["predict", "{tmp}/lr.joblib", "{tmp}/one.csv", "--proba"],
                             "--proba needs a classifier; {tmp}/lr.joblib holds a "
                             "LinearRegression"),
    # recommend
    "k zero": (["recommend", "{train}", "--target", "label", "--kb", "{kb}", "-k", "0"],
               "-k must be >= 1, got 0"),
    "no experience": (["recommend", "{reg}", "--target", "label", "--kb", "{kb}"],
                      "the knowledge base has no regression experience"),
    # metatrain, evaluate
    "missing folder": (["metatrain", "{tmp}/nowhere", "--kb", "{tmp}/k.sqlite"],
                       "no such folder"),
    "empty folder": (["metatrain", "{tmp}/empty_folder", "--kb", "{tmp}/k.sqlite"],
                     "no .csv or .csv.gz files in"),
    "file without target": (["metatrain", "{tmp}/no_target", "--kb", "{tmp}/k.sqlite",
                             "--target", "label"],
                            "target column 'label' is not in b.csv"),
    "metatrain into json": (["metatrain", "{folder}", "--kb", "{tmp}/k.json.gz",
                             "--target", "label"], "is a JSON export"),
    "zero timeout": (["metatrain", "{folder}", "--kb", "{tmp}/k.sqlite",
                      "--evaluation-timeout", "0"], "--evaluation-timeout must be > 0"),
    "too few samples": (["metatrain", "{folder}", "--kb", "{tmp}/k.sqlite",
                         "--max-samples", "9"], "--max-samples must be >= 10, got 9"),
    "nothing left to learn from": (
        ["evaluate", "{folder}", "--kb", "{kb}", "--target", "label"],
        "has no classification datasets besides the held-out ones",
    ),
    # kb
    "corrupt json": (["kb", "import", "{tmp}/corrupt.json", "--kb", "{tmp}/k.sqlite"],
                     "is not valid JSON"),
    "truncated gzip": (["kb", "import", "{tmp}/truncated.json.gz",
                        "--kb", "{tmp}/k.sqlite"], "is not a valid gzip file"),
    "invalid document": (
        ["kb", "import", "{tmp}/invalid.json", "--kb", "{tmp}/k.sqlite"],
        "is not a valid skmeta knowledge base (1 problem); nothing was imported: "
        "evaluations[0]",
    ),
    "empty kb file": (["kb", "info", "--kb", "{empty}"], "is an empty file"),
    "export nowhere": (["kb", "export", "--kb", "{kb}", "-o", "{tmp}/no/kb.json"],
                       "does not exist"),
}


@pytest.mark.parametrize("argv, message", ERRORS.values(), ids=ERRORS.keys())
def test_errors_are_one_line_and_exit_1(bad, capsys, argv, message):
    argv = [a.format(**bad) for a in argv]
    assert main(argv) == 1
    err = without_pickle_warning(capsys.readouterr().err)
    command = argv[0] if argv[0] != "kb" else f"kb {argv[1]}"
    assert err.startswith(f"skmeta {command}: error: ")
    assert message.format(**bad) in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@pytest.mark.parametrize("args, message", [
    (["metafeatures", "missing.csv"], "no such file"),
    (["metafeatures", "{csv}", "--target", "nope"], "target column 'nope'"),
    (["metafeatures", "{empty}"], "cannot read"),
])
def test_metafeatures_errors_are_one_line(tmp_path, capsys, args, message):
    csv = tmp_path / "ok.csv"
    csv.write_text("a,target\n1,0\n2,1\n3,0\n")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    args = [a.format(csv=csv, empty=empty) for a in args]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_warnings_are_shown_as_one_line(capsys):
    with cli._compact_warnings("fit"):
        warnings.warn("2 of 5 evaluations failed\nsecond line", stacklevel=1)
    assert capsys.readouterr().err == "skmeta fit: warning: 2 of 5 evaluations failed\n"


def test_unexpected_errors_are_not_hidden(kb, monkeypatch):
    def broken(args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli.kb, "_cmd_kb_info", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        main(["kb", "info", "--kb", str(kb)])


@pytest.mark.parametrize("argv", [
    [],
    ["kb"],
    ["fit", "data.csv"],  # --target is required
    ["fit", "data.csv", "--target", "y", "--n-evaluations", "two"],
    ["predict", "model.joblib"],
    ["recommend", "data.csv", "--target", "y", "--task", "ranking"],
])
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    assert "usage: skmeta" in capsys.readouterr().err


@pytest.mark.parametrize("command", [
    "demo", "metafeatures", "recommend", "fit", "predict", "metatrain", "evaluate",
    "kb", "kb info", "kb check", "kb remove", "kb export", "kb import",
])
def test_every_command_has_help(command, capsys):
    assert main([*command.split(), "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: skmeta {command}")
    if command == "predict":
        assert "runs code" in " ".join(out.split())


def test_the_console_script_runs(kb):
    script = shutil.which("skmeta", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the skmeta console script is not installed")
    result = subprocess.run(
        [script, "kb", "info", "--kb", str(kb)], capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{kb} (schema version")


def test_python_m_skmeta_cli_is_the_command(monkeypatch, capsys):
    # In-process, so that the fast loop runs skmeta/cli/__main__.py too.
    monkeypatch.setattr(sys, "argv", ["skmeta", "--help"])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("skmeta.cli", run_name="__main__")
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("usage: skmeta ")



# -- sample weights and dates ---------------------------------------------------------


def _weekend_csv(path, n=400, seed=0):
    """ISO timestamps, a weight column and a target that is "weekend"."""
    rng = np.random.default_rng(seed)
    when = pd.Timestamp("2023-01-01") + pd.to_timedelta(
        rng.integers(0, 2 * 365 * 24, n), unit="h")
    frame = pd.DataFrame({"when": when.strftime("%Y-%m-%dT%H:%M:%S"),
                          "x": rng.normal(size=n), "w": rng.uniform(0.5, 2.0, n),
                          "target": np.asarray(when.day_of_week >= 5, dtype=int)})
    frame.to_csv(path, index=False)
    return frame


def test_fit_with_weights_and_dates_then_predict_from_the_csv(tmp_path, capsys):
    frame = _weekend_csv(tmp_path / "train.csv")
    model = tmp_path / "model.joblib"
    argv = ["fit", tmp_path / "train.csv", "--target", "target", "--sample-weight", "w",
            "--portfolio", "random_forest,knn", "--n-evaluations", "2", "--cv", "3",
            "-o", model, "--quiet"]
    code, out, err = run_cli(argv)
    assert code == 0, err
    estimator = joblib.load(model)
    assert list(estimator.feature_names_in_) == ["when", "x"]  # not the weights
    assert set(estimator.skipped_strategies_) == {"knn"}
    assert estimator.best_score_ > 0.95  # the weekday part was found
    code, out, err = run_cli(["predict", model, tmp_path / "train.csv",
                              "-o", tmp_path / "p.csv"])
    assert code == 0, err
    predictions = pd.read_csv(tmp_path / "p.csv")["prediction"]
    assert np.mean(predictions == frame["target"]) > 0.95


def test_parse_dates_none_and_bad_columns(tmp_path):
    _weekend_csv(tmp_path / "train.csv", n=100)
    base = ["fit", tmp_path / "train.csv", "--target", "target", "--portfolio",
            "random_forest", "--n-evaluations", "1", "-o", tmp_path / "m.joblib",
            "--quiet", "--force"]
    assert run_cli(base + ["--parse-dates", "none"])[0] == 0
    # Without parsing, the timestamps are one more categorical column.
    assert joblib.load(tmp_path / "m.joblib")._date_encoder is None
    code, _, err = run_cli(base + ["--parse-dates", "nope"])
    assert code == 1 and "cannot parse dates in ['nope']: no such column" in err
    code, _, err = run_cli(base + ["--sample-weight", "weights"])
    assert code == 1 and "sample weight column 'weights' is not in train.csv" in err
    code, _, err = run_cli(base + ["--sample-weight", "target"])
    assert code == 1 and "--sample-weight names the target column" in err


def test_a_model_with_dates_saves_and_loads_as_skops(tmp_path):
    _weekend_csv(tmp_path / "train.csv", n=120)
    model = tmp_path / "model.skops"
    code, _, err = run_cli(["fit", tmp_path / "train.csv", "--target", "target",
                            "--portfolio", "random_forest", "--n-evaluations", "1",
                            "-o", model, "--quiet"])
    assert code == 0, err
    code, out, err = run_cli(["predict", model, tmp_path / "train.csv"])
    assert code == 0, err
    assert len(pd.read_csv(io.StringIO(out))) == 120
