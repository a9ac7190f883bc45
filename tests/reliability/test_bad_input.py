"""A catalogue of bad inputs across the public API and the command line.

Every case is a row ``(id, call, error, match)``: ``call(env)`` must raise
``error`` with a message matching ``match`` (``re.search``). The errors are
ValueError or TypeError (scikit-learn's InvalidParameterError is both;
FileNotFoundError for missing files, as Python reports them); a
:class:`UserWarning` row must warn and fit. A :class:`Cli` row runs the
``skmeta`` command in-process: exit code 1, exactly one line on stderr, no
traceback. Rows marked ``kb`` involve the stored knowledge base ``env.kb``:
its contents (every row of every table) must be unchanged afterwards.

The reliability suite's summary prints "cases tried / handled".
"""

import contextlib
import gzip
import io
import json
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from types import SimpleNamespace
from typing import NamedTuple

import joblib
import numpy as np
import pandas as pd
import pytest
from cli_runner import without_pickle_warning
from sklearn.model_selection import GroupKFold

from skmeta import (
    Dataset,
    KnowledgeBase,
    MetaClassifier,
    MetaLearner,
    MetaRegressor,
    load_csv,
)
from skmeta.cli import main
from skmeta.knowledge import Evaluation

from .helpers import (
    PORTFOLIO,
    classification_data,
    database_digest,
    regression_data,
    search_params,
    small_datasets,
)


class Cli(NamedTuple):
    """``skmeta`` arguments; ``{name}`` is replaced by ``env.name``."""

    argv: list


class CliError(Exception):
    """What a :class:`Cli` row expects: exit code 1 and one line on stderr."""


class Case(NamedTuple):
    id: str
    call: Callable | Cli
    error: type
    match: str
    kb: bool = False  # the stored knowledge base must be unchanged


# -- the environment: a stored knowledge base, a fitted model, files -----------

@pytest.fixture(scope="module")
def env(learner, tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_input")
    X, y = classification_data()
    # A stored knowledge base with classification experience only.
    kb = root / "kb.sqlite"
    datasets = [d for d in small_datasets() if d.name.startswith("classification")]
    MetaLearner(knowledge_base=str(kb), portfolio=PORTFOLIO, n_configs_per_strategy=0,
                cv=2, evaluation_timeout=None, random_state=0).fit(datasets)
    fitted = MetaClassifier(meta_learner=learner, n_evaluations=2, cv=2,
                            ensemble_size=1, random_state=0).fit(X, y)
    model = root / "model.joblib"
    joblib.dump(fitted, model)

    csv = root / "data.csv"
    X.assign(label=y).to_csv(csv, index=False)
    Xr, yr = regression_data()
    regression_csv = root / "regression.csv"
    Xr.assign(label=yr).to_csv(regression_csv, index=False)
    (root / "garbage.csv").write_bytes(bytes(range(256)) * 20)
    (root / "empty.csv").write_text("")
    (root / "truncated.csv.gz").write_bytes(gzip.compress(csv.read_bytes())[:200])
    X.drop(columns="f1").to_csv(root / "lacking.csv", index=False)
    bad_folder = root / "bad_folder"
    bad_folder.mkdir()
    X.assign(label=y).to_csv(bad_folder / "a.csv", index=False)
    X.to_csv(bad_folder / "b.csv", index=False)  # no target column

    document = KnowledgeBase(kb).to_dict()
    _write_json(root / "not_json.json", "{'format': 'skmeta-knowledge-base',")
    _write_json(root / "wrong_types.json", json.dumps(
        _changed(document, "evaluations", 0, "score", value="high")))
    _write_json(root / "huge_string.json", json.dumps(
        _changed(document, "datasets", 0, "name", value="n" * 1_000_000)))
    _write_json(root / "nested.json", "[" * 200_000 + "]" * 200_000)
    _write_json(root / "pickle_format.json", json.dumps(
        _changed(document, "format", value="pickle")))
    _write_json(root / "newer_format.json", json.dumps(
        _changed(document, "format_version", value=99)))

    newer = root / "newer.sqlite"
    KnowledgeBase(newer).close()
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute("PRAGMA user_version = 99")
    foreign = root / "foreign.sqlite"
    with closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE accounts (id INTEGER, owner TEXT)")
        conn.commit()
    (root / "notes.sqlite").write_text("not a database\n")

    # Issue 15: configurations outside their strategy's space, paths whose
    # name and content disagree, damaged model files, a model fitted on arrays.
    knn = next(e for e in document["evaluations"] if e["strategy"] == "knn")
    for name, change in [("bad_choice", {"weights": "foo"}),
                         ("unknown_name", {"leaf_size": 30}),
                         ("out_of_range", {"n_neighbors": 10_000})]:
        bad = {**knn, "config": {**knn["config"], **change}, "seed": 99}
        _write_json(root / f"{name}.json", json.dumps({**document, "evaluations": [bad]}))
    incomplete = {**knn, "config": {"n_neighbors": 5}, "seed": 99}
    _write_json(root / "incomplete.json",
                json.dumps({**document, "evaluations": [incomplete]}))
    invalid_kb = root / "invalid.sqlite"
    shutil.copy(kb, invalid_kb)
    with KnowledgeBase(invalid_kb) as store:
        store.add_evaluation(Evaluation.from_record(
            {**knn, "config": {**knn["config"], "weights": "foo"}, "seed": 99}))
    export = root / "export.json"
    KnowledgeBase(kb).export_json(export)
    shutil.copy(export, root / "export_named.sqlite")
    shutil.copy(kb, root / "database_named.json")
    (root / "empty.sqlite").write_bytes(b"")
    (root / "overflow.joblib").write_bytes(b"\x80\x04\x8d" + (2**63 - 1).to_bytes(8, "little"))
    (root / "memory.joblib").write_bytes(b"\x80\x04\x8e" + (2**62).to_bytes(8, "little"))
    (root / "notes.json").write_text("my notes\n")
    (root / "a_folder.joblib").mkdir()
    fitted_array = MetaClassifier(meta_learner=learner, n_evaluations=2, cv=2,
                                  ensemble_size=1, random_state=0).fit(X.to_numpy(), y)
    return SimpleNamespace(
        root=root, kb=kb, learner=learner, fitted=fitted, model=model, X=X, y=y,
        csv=csv, regression_csv=regression_csv, bad_folder=bad_folder,
        newer=newer, foreign=foreign, invalid_kb=invalid_kb, export=export,
        fitted_array=fitted_array,
    )


def _write_json(path, text):
    path.write_text(text)


def _changed(document, *path, value):
    document = json.loads(json.dumps(document))
    target = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return document


# -- calls -----------------------------------------------------------------------

def _classifier(env, **params):
    params = {"n_evaluations": 2, "cv": 2, "random_state": 0, **params}
    return MetaClassifier(**search_params(env.learner, params))


def _fit(X=None, y=None, **params):
    """Fit a small MetaClassifier on the env's data, with changes."""
    def call(env):
        return _classifier(env, **params).fit(
            env.X if X is None else X(env), env.y if y is None else y(env))
    return call


def _predict(X):
    return lambda env: env.fitted.predict(X(env))


def _with_nan(y):
    y = y.astype(float)
    y[3] = np.nan
    return y


def _one_member_class(env):
    y = env.y.copy()
    y[0] = 2  # a third class with a single member: folds cannot be stratified
    fitted = _classifier(env, cv=5).fit(env.X, y)
    assert fitted.predict(env.X).shape == (len(env.X),)  # and the fit goes on


def _metalearner(**params):
    def call(env):
        params_ = {"knowledge_base": str(env.kb), "portfolio": PORTFOLIO,
                   "n_configs_per_strategy": 0, "cv": 2, "evaluation_timeout": None,
                   **params}
        datasets = params_.pop("datasets", None)
        return MetaLearner(**params_).fit(
            datasets(env) if datasets else small_datasets()[:2])
    return call


def _import(name):
    return lambda env: KnowledgeBase(env.kb).import_json(env.root / name)


CASES = [
    # -- features ------------------------------------------------------------------
    Case("empty X", _fit(X=lambda env: np.empty((0, 5)), y=lambda env: []),
         ValueError, r"Found array with 0 sample\(s\)"),
    Case("one row", _fit(X=lambda env: env.X.iloc[:1], y=lambda env: env.y[:1]),
         ValueError, r"X has a single row; at least 2 samples are required"),
    Case("zero columns", _fit(X=lambda env: np.empty((90, 0))),
         ValueError, r"0 feature\(s\)"),
    Case("zero columns (Dataset)",
         lambda env: Dataset(np.empty((5, 0)), [0, 1, 0, 1, 0]),
         ValueError, r"X is empty: it has shape \(5, 0\)"),
    Case("X/y length mismatch", _fit(y=lambda env: env.y[:-3]),
         ValueError, r"inconsistent lengths: X has 90 rows, y has 87"),
    Case("X is a string", _fit(X=lambda env: "f0,f1\n1,2"),
         ValueError, r"Expected 2D array"),
    Case("X is 1-dimensional (Dataset)", lambda env: Dataset(np.ones(4), [0, 1, 0, 1]),
         ValueError, r"2-dimensional.*reshape"),
    Case("infinite values", _fit(X=lambda env: env.X.assign(f1=np.inf)),
         ValueError, r"infinite values in columns \['f1'\]; replace them"),
    Case("complex values", _fit(X=lambda env: env.X.to_numpy() + 1j),
         ValueError, r"Complex data not supported"),
    Case("object column of numbers and strings",
         _fit(X=lambda env: env.X.assign(
             f1=pd.Series([1, "a", 2.5] * 30, dtype=object))),
         TypeError, r"column 'f1' of X mixes numbers and strings.*pd\.to_numeric"),
    Case("object column of lists",
         _fit(X=lambda env: env.X.assign(f1=pd.Series([[1, 2]] * 90, dtype=object))),
         TypeError, r"column 'f1' of X holds a list value"),
    Case("duplicate column names",
         _fit(X=lambda env: env.X.set_axis(["a", "a", "b", "c", "d"], axis=1)),
         ValueError, r"duplicate column names: \['a'\]; give every column a unique"),
    Case("duplicate column names (Dataset)",
         lambda env: Dataset(env.X.set_axis(["a", "a", "b", "c", "d"], axis=1), env.y),
         ValueError, r"duplicate column names: \['a'\]"),
    # -- target ----------------------------------------------------------------------
    Case("y is None", _fit(y=lambda env: None), ValueError, r"requires y to be passed"),
    Case("y with NaN (classifier)", _fit(y=lambda env: _with_nan(env.y)),
         ValueError, r"y contains NaN"),
    Case("y with missing labels (classifier, object y)",
         _fit(y=lambda env: np.where(np.arange(90) == 3, None, env.y.astype(str))),
         ValueError, r"missing"),
    Case("y with NaN (regressor)",
         lambda env: MetaRegressor(meta_learner=env.learner).fit(
             env.X, _with_nan(env.y)),
         ValueError, r"y contains 1 missing values \(NaN\); drop those rows or impute"),
    Case("y of strings (regressor)",
         lambda env: MetaRegressor(meta_learner=env.learner).fit(
             env.X, np.array(["a", "b"] * 45)),
         ValueError, r"regress|numeric"),
    Case("y with several columns", _fit(y=lambda env: np.c_[env.y, env.y]),
         ValueError, r"y should be a 1d array, got an array of shape \(90, 2\)"),
    Case("single class", _fit(y=lambda env: np.zeros(90)),
         ValueError, r"y has a single class .*needs at least two"),
    Case("a class with one member and cv=5", _one_member_class,
         UserWarning, r"single member"),
    # -- parameters -----------------------------------------------------------------
    Case("time_budget=0", _fit(time_budget=0), ValueError,
         r"'time_budget' parameter .* range \(0\.0, inf\)\. Got 0"),
    Case("time_budget<0", _fit(time_budget=-5), ValueError,
         r"'time_budget' parameter .* Got -5"),
    Case("n_evaluations=0", _fit(n_evaluations=0), ValueError,
         r"'n_evaluations' parameter .* range \[1, inf\)\. Got 0"),
    Case("cv=1", _fit(cv=1), ValueError, r"'cv' parameter .* range \[2, inf\)"),
    Case("evaluation_timeout<0", _fit(evaluation_timeout=-1.0), ValueError,
         r"'evaluation_timeout' parameter"),
    Case("unknown strategy name", _fit(portfolio=["knn", "magic"]),
         ValueError, r"unknown strategy name 'magic'; the default strategies are"),
    Case("no strategy for the task", _fit(portfolio=["ridge"]),
         ValueError, r"portfolio has no strategy for task 'binary'"),
    Case("empty portfolio", _fit(portfolio=[]), ValueError, r"portfolio is empty"),
    Case("unknown scoring", _fit(scoring="precision_at_k"),
         ValueError, r"scoring must be one of \["),
    Case("scoring of another task", _fit(scoring="r2"),
         ValueError, r"scoring 'r2' does not apply to a binary task"),
    Case("knowledge_base of a wrong type", _fit(knowledge_base=42),
         TypeError, r"'knowledge_base' parameter .* Got 42"),
    Case("knowledge_base in a missing folder",
         _fit(knowledge_base="/nonexistent/folder/kb.sqlite"),
         FileNotFoundError, r"the folder /nonexistent/folder does not exist"),
    # -- predict ---------------------------------------------------------------------
    Case("predict before fit", lambda env: MetaClassifier().predict(env.X),
         ValueError, r"not fitted yet"),
    Case("predict: a column renamed",
         _predict(lambda env: env.X.rename(columns={"f2": "g2"})),
         ValueError, r"X lacks column\(s\) \['f2'\] seen at fit and has column\(s\) "
                     r"\['g2'\] not seen at fit; pass the columns the model was fitted on"),
    Case("predict: a column missing", _predict(lambda env: env.X.drop(columns="f2")),
         ValueError, r"X lacks column\(s\) \['f2'\] seen at fit; pass the columns"),
    Case("predict: an extra column", _predict(lambda env: env.X.assign(extra=1.0)),
         ValueError, r"X has column\(s\) \['extra'\] not seen at fit; pass the columns"),
    Case("predict: a numeric column of strings",
         _predict(lambda env: env.X.assign(f0="x")),
         ValueError, r"'f0'"),
    Case("predict: wrong width (array)", _predict(lambda env: np.ones((3, 4))),
         ValueError, r"X has 4 features, but MetaClassifier is expecting 5"),
    Case("predict: infinite values", _predict(lambda env: env.X.assign(f3=-np.inf)),
         ValueError, r"infinite values in columns \['f3'\]"),
    # -- meta-training ---------------------------------------------------------------
    Case("metatrain: empty collection", _metalearner(datasets=lambda env: []),
         ValueError, r"the collection of datasets is empty", kb=True),
    Case("metatrain: a single (X, y) pair",
         _metalearner(datasets=lambda env: (env.X, env.y)),
         TypeError, r"got a single \(X, y\) pair; pass a list", kb=True),
    Case("metatrain: repeated dataset names",
         _metalearner(datasets=lambda env: [Dataset(env.X, env.y, name="a")] * 2),
         ValueError, r"dataset names must be unique; repeated: \['a'\]", kb=True),
    Case("metatrain: n_configs_per_strategy<0", _metalearner(n_configs_per_strategy=-1),
         ValueError, r"'n_configs_per_strategy' parameter of MetaLearner must be an "
                     r"int in the range \[0, inf\)\. Got -1", kb=True),
    Case("metatrain: evaluation_timeout=0", _metalearner(evaluation_timeout=0),
         ValueError, r"'evaluation_timeout' parameter of MetaLearner must be None or a "
                     r"float in the range \(0\.0, inf\)\. Got 0", kb=True),
    Case("metatrain: max_samples below 10", _metalearner(max_samples=9),
         ValueError, r"'max_samples' parameter of MetaLearner must be None or an int "
                     r"in the range \[10, inf\)\. Got 9", kb=True),
    Case("metatrain: unknown strategy", _metalearner(portfolio=["knn", "magic"]),
         ValueError, r"unknown strategy name 'magic'", kb=True),
    Case("metatrain: scoring of another task", _metalearner(scoring="r2"),
         ValueError, r"scoring 'r2' does not apply to a binary task", kb=True),
    Case("search with update_knowledge: bad X",
         lambda env: _classifier(env, knowledge_base=str(env.kb),
                                 update_knowledge=True).fit(env.X.assign(f1=np.inf),
                                                            env.y),
         ValueError, r"infinite values", kb=True),
    # -- knowledge bases --------------------------------------------------------------
    Case("recommend with a knowledge base of another task",
         lambda env: MetaLearner.from_knowledge_base(env.kb).recommend(
             *regression_data()),
         ValueError, r"the knowledge base has no regression experience; meta-train",
         kb=True),
    Case("search with a knowledge base of another task",
         lambda env: MetaRegressor(knowledge_base=str(env.kb), n_evaluations=1,
                                   cv=2).fit(*regression_data()),
         UserWarning, r"no regression experience", kb=True),
    Case("knowledge base of a newer schema version",
         lambda env: KnowledgeBase(env.newer),
         ValueError, r"schema version 99, newer than this skmeta supports \(2\): "
                     r"upgrade skmeta"),
    Case("search with a knowledge base of a newer schema",
         lambda env: _classifier(env, knowledge_base=str(env.newer)).fit(env.X, env.y),
         ValueError, r"newer than this skmeta"),
    Case("knowledge base of another application",
         lambda env: KnowledgeBase(env.foreign),
         ValueError, r"a SQLite database of another application .*\['accounts'\]"),
    Case("knowledge base that is no database",
         lambda env: KnowledgeBase(env.root / "notes.sqlite"),
         ValueError, r"is not a skmeta knowledge base: file is not a database"),
    Case("evaluation of an unknown dataset",
         lambda env: KnowledgeBase(env.kb).add_evaluation(Evaluation(
             "ghost", "knn", {}, "accuracy", "KFold(2)", 0, score=0.5,
             fold_scores=[0.5, 0.5])),
         ValueError, r"datasets that are not in the knowledge base: 'ghost'", kb=True),
    Case("import: not JSON", _import("not_json.json"),
         ValueError, r"not_json\.json is not valid JSON", kb=True),
    Case("import: a field of a wrong type", _import("wrong_types.json"),
         ValueError, r"evaluations\[0\]\.score must be a number or null, got 'high'",
         kb=True),
    Case("import: a huge string", _import("huge_string.json"),
         ValueError, r"datasets\[0\]\.name must have at most 200 characters", kb=True),
    Case("import: deeply nested JSON", _import("nested.json"),
         ValueError, r"nested too deeply", kb=True),
    Case("import: another format", _import("pickle_format.json"),
         ValueError, r"format must be 'skmeta-knowledge-base', got 'pickle'", kb=True),
    Case("import: a newer format version", _import("newer_format.json"),
         ValueError, r"format_version 99 is newer .* upgrade skmeta", kb=True),
    Case("load_csv: target column missing",
         lambda env: load_csv(env.csv, target="species"),
         ValueError, r"target column 'species' is not in data\.csv; its columns are"),
    Case("load_csv: not text", lambda env: load_csv(env.root / "garbage.csv"),
         ValueError, r"cannot read .*garbage\.csv as CSV"),
    Case("load_csv: empty file", lambda env: load_csv(env.root / "empty.csv"),
         ValueError, r"cannot read .*empty\.csv as CSV"),
    Case("load_csv: truncated gzip",
         lambda env: load_csv(env.root / "truncated.csv.gz"),
         ValueError, r"cannot read .*truncated\.csv\.gz as CSV"),
    Case("load_csv: missing file", lambda env: load_csv(env.root / "nope.csv"),
         FileNotFoundError, r"no such file"),
    # -- the command line -------------------------------------------------------------
    Case("skmeta fit: target column missing",
         Cli(["fit", "{csv}", "--target", "species", "--kb", "{kb}"]),
         CliError, r"target column 'species' is not in data\.csv", kb=True),
    Case("skmeta fit: truncated CSV",
         Cli(["fit", "{root}/truncated.csv.gz", "--target", "label"]),
         CliError, r"cannot read .*truncated\.csv\.gz as CSV"),
    Case("skmeta fit: --n-evaluations 0",
         Cli(["fit", "{csv}", "--target", "label", "--n-evaluations", "0"]),
         CliError, r"--n-evaluations must be >= 1, got 0"),
    Case("skmeta fit: --time-budget 0",
         Cli(["fit", "{csv}", "--target", "label", "--time-budget", "0"]),
         CliError, r"--time-budget must be > 0, got 0\.0"),
    Case("skmeta fit: --time-budget -1",
         Cli(["fit", "{csv}", "--target", "label", "--time-budget", "-1"]),
         CliError, r"--time-budget must be > 0, got -1\.0"),
    Case("skmeta fit: unknown strategy",
         Cli(["fit", "{csv}", "--target", "label", "--kb", "{kb}",
              "--portfolio", "knn,magic", "-o", "{root}/m.joblib"]),
         CliError, r"unknown strategy name 'magic'", kb=True),
    Case("skmeta fit: knowledge base of a newer schema",
         Cli(["fit", "{csv}", "--target", "label", "--kb", "{newer}"]),
         CliError, r"schema version 99, newer than this skmeta supports"),
    Case("skmeta fit: output folder missing",
         Cli(["fit", "{csv}", "--target", "label", "-o", "{root}/no/m.joblib"]),
         CliError, r"the folder .*/no does not exist"),
    Case("skmeta predict: a feature column missing",
         Cli(["predict", "{model}", "{root}/lacking.csv"]),
         CliError, r"lacking\.csv lacks 1 feature column\(s\) of the model: f1"),
    Case("skmeta predict: not a model file",
         Cli(["predict", "{root}/notes.sqlite", "{csv}"]),
         CliError, r"cannot load .*notes\.sqlite as a joblib model file"),
    Case("skmeta recommend: knowledge base of another task",
         Cli(["recommend", "{regression_csv}", "--target", "label", "--kb", "{kb}"]),
         CliError, r"the knowledge base has no regression experience", kb=True),
    Case("skmeta metatrain: a file without the target",
         Cli(["metatrain", "{bad_folder}", "--kb", "{kb}", "--target", "label"]),
         CliError, r"target column 'label' is not in b\.csv", kb=True),
    Case("skmeta metatrain: another application's database",
         Cli(["metatrain", "{bad_folder}", "--kb", "{foreign}", "--target", "f0"]),
         CliError, r"another application"),
    Case("skmeta metatrain: --n-configs -1",
         Cli(["metatrain", "{bad_folder}", "--kb", "{kb}", "--n-configs", "-1"]),
         CliError, r"--n-configs must be >= 0, got -1", kb=True),
    Case("skmeta kb import: not JSON",
         Cli(["kb", "import", "{root}/not_json.json", "--kb", "{kb}"]),
         CliError, r"is not valid JSON", kb=True),
    Case("skmeta kb import: a field of a wrong type",
         Cli(["kb", "import", "{root}/wrong_types.json", "--kb", "{kb}"]),
         CliError, r"not a valid skmeta knowledge base \(1 problem\); nothing was "
                   r"imported: evaluations\[0\]\.score", kb=True),
    Case("skmeta kb import: deeply nested JSON",
         Cli(["kb", "import", "{root}/nested.json", "--kb", "{kb}"]),
         CliError, r"nested too deeply", kb=True),
    Case("skmeta kb info: not a database",
         Cli(["kb", "info", "--kb", "{root}/notes.sqlite"]),
         CliError, r"is not a skmeta knowledge base"),
]

def _labels(y, missing=np.nan):
    labels = np.where(y == 1, "a", "b").astype(object)
    labels[3] = missing
    return labels


def _fit_regressor(X=None, y=None, **params):
    def call(env):
        params_ = {"meta_learner": env.learner, "n_evaluations": 2, "cv": 2,
                   "random_state": 0, **params}
        Xr, yr = regression_data()
        return MetaRegressor(**params_).fit(Xr if X is None else X(Xr), yr)
    return call


def _fit_then_check_missing_file(name, **params):
    def call(env):
        path = env.root / name
        try:
            _classifier(env, knowledge_base=str(path), **params).fit(env.X, env.y)
        finally:
            assert not path.exists(), f"{path} was created"
    return call


def _from_json(name):
    return lambda env: KnowledgeBase.from_json(env.root / name)


# Issue 15: inputs that got past skmeta, or surfaced as another library's message.
CASES += [
    # -- labels ------------------------------------------------------------------------
    Case("y: a list of strings with np.nan",
         _fit(y=lambda env: _labels(env.y).tolist()),
         ValueError, r"y contains 1 missing labels \(None or NaN\)"),
    Case("y: a numpy string array made from one with np.nan",
         _fit(y=lambda env: np.array(_labels(env.y).tolist())),
         ValueError, r"y holds the label 'nan' in 1 row\(s\): numpy turns a missing"),
    Case("y: a list of strings with None",
         _fit(y=lambda env: _labels(env.y, None).tolist()),
         ValueError, r"y contains 1 missing labels"),
    Case("y: a categorical Series with a missing label",
         _fit(y=lambda env: pd.Series(_labels(env.y)).astype("category")),
         ValueError, r"y contains 1 missing labels"),
    Case("y: object labels mixing ints and strings",
         _fit(y=lambda env: np.array([1 if v else "b" for v in env.y], dtype=object)),
         ValueError, r"y mixes numbers and strings as class labels .*astype\(str\)"),
    # -- features ------------------------------------------------------------------------
    Case("duplicate column names that are not strings",
         _fit(X=lambda env: env.X.set_axis([0, 0, 1, 2, 3], axis=1)),
         ValueError, r"X has duplicate column names: \[0\]; give every column"),
    Case("column names mixing strings and integers",
         _fit(X=lambda env: env.X.set_axis(["a", 1, "b", "c", "d"], axis=1)),
         TypeError, r"column names of X mix strings and other types .*astype\(str\)"),
    Case("values near 1e300", _fit(X=lambda env: env.X.assign(f1=env.X["f1"] * 1e300)),
         ValueError, r"too large to compute with in columns \['f1'\] .*rescale"),
    Case("values near 1e300 (regressor)",
         _fit_regressor(X=lambda X: X.assign(f2=1e300)),
         ValueError, r"too large to compute with in columns \['f2'\]"),
    Case("values near 1e300 (Dataset)",
         lambda env: Dataset(env.X.assign(f0=-1e200), env.y),
         ValueError, r"too large to compute with in columns \['f0'\]"),
    Case("X is a list of dicts", _fit(X=lambda env: env.X.to_dict("records")),
         TypeError, r"X is a list of dicts \(records\); make it a DataFrame"),
    Case("X is a dict of columns", _fit(X=lambda env: env.X.to_dict("list")),
         TypeError, r"X is a dict; make it a DataFrame first: pd\.DataFrame\(X\)"),
    Case("X is 3-dimensional", _fit(X=lambda env: np.ones((90, 2, 2))),
         ValueError, r"Found array with dim 3"),
    Case("X of only missing values",
         _fit(X=lambda env: pd.DataFrame(np.nan, index=range(90), columns=["a", "b"]),
              portfolio=["logistic_regression"]),
         UserWarning, r"every value of X is missing \(90 rows, 2 columns\)"),
    # -- predict ---------------------------------------------------------------------------
    Case("predict: a numpy array after a DataFrame",
         _predict(lambda env: env.X.to_numpy()),
         UserWarning, r"X does not have valid feature names, but MetaClassifier was "
                      r"fitted with feature names"),
    Case("predict: a DataFrame after a numpy array",
         lambda env: env.fitted_array.predict(env.X),
         UserWarning, r"X has feature names, but MetaClassifier was fitted without"),
    Case("predict: a list of lists after a DataFrame",
         _predict(lambda env: env.X.to_numpy().tolist()),
         UserWarning, r"X does not have valid feature names"),
    Case("predict: duplicate column names",
         _predict(lambda env: env.X.set_axis(["f0", "f0", "f2", "f3", "f4"], axis=1)),
         ValueError, r"X has duplicate column names: \['f0'\]"),
    Case("predict: values near 1e300", _predict(lambda env: env.X.assign(f4=1e300)),
         ValueError, r"too large to compute with in columns \['f4'\]"),
    Case("predict: a list of dicts", _predict(lambda env: env.X.to_dict("records")),
         TypeError, r"X is a list of dicts"),
    Case("predict: no rows", _predict(lambda env: env.X.iloc[:0]),
         ValueError, r"X is empty: it has shape \(0, 5\)"),
    Case("predict_proba before fit", lambda env: MetaClassifier().predict_proba(env.X),
         ValueError, r"not fitted yet"),
    Case("decision_function before fit",
         lambda env: MetaClassifier().decision_function(env.X),
         ValueError, r"not fitted yet"),
    # -- parameters, all checked before any work -----------------------------------------
    Case("n_jobs=0", _fit(n_jobs=0), ValueError,
         r"'n_jobs' parameter .* range \(-inf, -1\] or an int in the range \[1, inf\)"
         r"\. Got 0"),
    Case("proposals_per_step=0", _fit(proposals_per_step=0), ValueError,
         r"'proposals_per_step' parameter .* Got 0"),
    Case("ensemble_size=0", _fit(ensemble_size=0), ValueError,
         r"'ensemble_size' parameter .* Got 0"),
    Case("max_samples=1", _fit(max_samples=1), ValueError,
         r"'max_samples' parameter .* Got 1"),
    Case("max_samples below 10", _fit(max_samples=9), ValueError,
         r"'max_samples' parameter of MetaClassifier must be None or an int in the "
         r"range \[10, inf\)\. Got 9"),
    Case("temperature<0", _fit(temperature=-1.0), ValueError,
         r"'temperature' parameter .* Got -1\.0"),
    Case("random_state of a wrong type", _fit(random_state="seed"), ValueError,
         r"'random_state' parameter .* Got 'seed'"),
    Case("portfolio is one name, not a list", _fit(portfolio="knn"), ValueError,
         r"'portfolio' parameter .* Got 'knn'"),
    Case("portfolio item of a wrong type", _fit(portfolio=[1]), TypeError,
         r"portfolio item 0 is a int; expected a Strategy or the name"),
    Case("max_samples too small for the folds", _fit(max_samples=10, cv=12),
         ValueError, r"max_samples=10 leaves the search 10 of the 90 rows, fewer than "
                     r"the 12 cross-validation folds \(cv\); raise max_samples"),
    Case("fewer rows than folds (regressor)",
         lambda env: MetaRegressor(meta_learner=env.learner, cv=5).fit(
             *(part[:4] for part in regression_data())),
         ValueError, r"X has 4 rows, fewer than the 5 cross-validation folds"),
    Case("a group splitter without groups",
         _fit(cv=GroupKFold(2)),
         ValueError, r"cv is a GroupKFold, which splits by groups, but fit got no "
                     r"groups; pass them"),
    Case("cv: explicit splits beyond the rows",
         _fit(cv=[(np.arange(45), np.arange(45, 200))]),
         ValueError, r"cv\[0\]'s test part indexes row 90, but X has 90 rows"),
    Case("cv: a list that is not of (train, test) pairs", _fit(cv=[1, 2, 3]),
         ValueError, r"cv\[0\] is int 1, not a \(train, test\) pair of row indices"),
    Case("recommend: X is a list of dicts",
         lambda env: env.learner.recommend(env.X.to_dict("records"), env.y),
         TypeError, r"X is a list of dicts \(records\)"),
    Case("evaluations: a filter of a wrong type",
         lambda env: KnowledgeBase(env.kb).evaluations(strategy=5),
         TypeError, r"strategy must be a string or a list of strings, got 5", kb=True),
    Case("groups of a wrong length",
         lambda env: _classifier(env).fit(env.X, env.y, groups=[0, 1]),
         ValueError, r"groups has 2 values but X has 90 rows"),
    Case("metatrain: n_jobs=0", _metalearner(n_jobs=0),
         ValueError, r"'n_jobs' parameter of MetaLearner must be None, an int in the "
                     r"range \(-inf, -1\] or an int in the range \[1, inf\)\. Got 0",
         kb=True),
    Case("metatrain: cv=1", _metalearner(cv=1),
         ValueError, r"'cv' parameter of MetaLearner must be an int in the range "
                     r"\[2, inf\), an object implementing 'split' and 'get_n_splits', "
                     r"an iterable or None\. Got 1", kb=True),
    # -- knowledge base paths: one rule, by name and content ------------------------------
    Case("knowledge_base: a missing .json path",
         _fit_then_check_missing_file("missing.json"),
         FileNotFoundError, r"no such knowledge base file: .*missing\.json"),
    Case("knowledge_base: a missing SQLite path, only read",
         _fit_then_check_missing_file("missing.sqlite"),
         FileNotFoundError, r"no such knowledge base: .*missing\.sqlite; meta-train one"),
    Case("knowledge_base: a .json path with update_knowledge",
         _fit_then_check_missing_file("stored.json", update_knowledge=True),
         ValueError, r"is a JSON export \(by its name\), which is read, never written"),
    Case("knowledge_base: an empty file",
         lambda env: _classifier(env, knowledge_base=str(env.root / "empty.sqlite"))
         .fit(env.X, env.y),
         ValueError, r"empty\.sqlite is an empty file, not a knowledge base"),
    Case("knowledge_base: a JSON export under a SQLite name",
         lambda env: MetaLearner.from_knowledge_base(env.root / "export_named.sqlite"),
         ValueError, r"holds a JSON export, not a SQLite database; name it \.json"),
    Case("knowledge_base: a SQLite database under a .json name",
         lambda env: MetaLearner.from_knowledge_base(env.root / "database_named.json"),
         ValueError, r"is a SQLite database, not a JSON export, despite its name"),
    Case("KnowledgeBase: a .json name",
         lambda env: KnowledgeBase(env.root / "new.json"),
         ValueError, r"names a JSON export, not a SQLite file: read it with "
                     r"KnowledgeBase\.from_json"),
    Case("export_json onto its own database",
         lambda env: KnowledgeBase(env.kb).export_json(env.kb),
         ValueError, r"that is the knowledge base's own file", kb=True),
    # -- configurations outside their strategy's space -------------------------------------
    Case("import: a categorical value not in the space", _import("bad_choice.json"),
         ValueError, r"evaluations\[0\]: config of strategy 'knn' on dataset '\w+' "
                     r"does not fit the strategy's space: hyperparameter 'weights': "
                     r"'foo' is not one of", kb=True),
    Case("import: an unknown hyperparameter", _import("unknown_name.json"),
         ValueError, r"unknown hyperparameter 'leaf_size'", kb=True),
    Case("import: a value out of range", _import("out_of_range.json"),
         ValueError, r"hyperparameter 'n_neighbors': 10000 is outside \[1, 50\]",
         kb=True),
    Case("import: a configuration lacking a hyperparameter", _import("incomplete.json"),
         ValueError, r"the configuration has no value for \['weights', 'p'\]", kb=True),
    Case("from_json: a configuration not in the space", _from_json("bad_choice.json"),
         ValueError, r"does not fit the strategy's space"),
    Case("search with a stored invalid configuration",
         lambda env: _classifier(env, knowledge_base=str(env.invalid_kb)).fit(env.X, env.y),
         UserWarning, r"holds 1 evaluation\(s\) whose configuration does not fit .* "
                      r"left out: knn on dataset 'classification_\d'"),
    # -- the command line -----------------------------------------------------------------
    Case("skmeta predict: an OverflowError model file",
         Cli(["predict", "{root}/overflow.joblib", "{csv}"]),
         CliError, r"cannot load .*overflow\.joblib as a joblib model file "
                   r"\(OverflowError"),
    Case("skmeta predict: a MemoryError model file",
         Cli(["predict", "{root}/memory.joblib", "{csv}"]),
         CliError, r"cannot load .*memory\.joblib as a joblib model file \(MemoryError\)"),
    Case("skmeta predict: the model is a folder",
         Cli(["predict", "{root}/a_folder.joblib", "{csv}"]),
         CliError, r"no such model file"),
    Case("skmeta kb export: -o the database itself",
         Cli(["kb", "export", "--kb", "{kb}", "-o", "{kb}"]),
         CliError, r"an export is JSON, so -o must end in \.json or \.json\.gz",
         kb=True),
    Case("skmeta kb export: -o an existing file",
         Cli(["kb", "export", "--kb", "{kb}", "-o", "{root}/notes.json"]),
         CliError, r"notes\.json exists; pass --force to replace it", kb=True),
    Case("skmeta kb export: an export onto itself",
         Cli(["kb", "export", "--kb", "{export}", "-o", "{export}", "--force"]),
         CliError, r"cannot write .*export\.json \(-o\): it is the knowledge base"),
    Case("skmeta kb import: a configuration not in the space",
         Cli(["kb", "import", "{root}/bad_choice.json", "--kb", "{kb}"]),
         CliError, r"does not fit the strategy's space: hyperparameter 'weights'",
         kb=True),
    Case("skmeta kb check: an invalid stored configuration",
         Cli(["kb", "check", "--kb", "{invalid_kb}"]),
         CliError, r"1 invalid evaluation; remove them with `skmeta kb remove --invalid"),
    Case("skmeta kb check: a missing file",
         Cli(["kb", "check", "--kb", "{root}/nothing.sqlite"]),
         CliError, r"no such knowledge base: .*nothing\.sqlite"),
    Case("skmeta kb remove: nothing said to remove",
         Cli(["kb", "remove", "--kb", "{kb}"]),
         CliError, r"say what to remove: --invalid", kb=True),
    Case("skmeta kb remove: a JSON export",
         Cli(["kb", "remove", "--kb", "{export}", "--invalid"]),
         CliError, r"is a JSON export; kb remove changes a SQLite knowledge base"),
    Case("skmeta kb info: a missing .json path",
         Cli(["kb", "info", "--kb", "{root}/missing_info.json"]),
         CliError, r"no such knowledge base file: .*missing_info\.json"),
    Case("skmeta recommend: an empty knowledge base file",
         Cli(["recommend", "{csv}", "--target", "label", "--kb", "{root}/empty.sqlite"]),
         CliError, r"is an empty file, not a knowledge base"),
    Case("skmeta fit: -o where no file can be made",
         Cli(["fit", "{csv}", "--target", "label", "-o", "/proc/m.joblib"]),
         CliError, r"cannot write /proc/m\.joblib: the folder /proc does not take new "
                   r"files"),
    Case("skmeta fit: --n-jobs 0",
         Cli(["fit", "{csv}", "--target", "label", "--n-jobs", "0"]),
         CliError, r"--n-jobs must not be 0"),
    Case("skmeta metafeatures: -o in a missing folder",
         Cli(["metafeatures", "{csv}", "--target", "label", "-o", "{root}/no/m.csv"]),
         CliError, r"cannot write .*m\.csv: the folder .*/no does not exist"),
]


def _sparse(X, scale_column=None, scale=1.0):
    import scipy.sparse as sp

    values = np.asarray(X, dtype=float).copy()
    if scale_column is not None:
        values[:, scale_column] *= scale
    return sp.csr_matrix(values)


def _huge_target(sparse=False):
    def call(env):
        X, y = regression_data()
        return MetaRegressor(meta_learner=env.learner, n_evaluations=2, cv=2).fit(
            _sparse(X) if sparse else X, y * 1e300)
    return call


def _weights_on(rows):
    def call(env):
        weights = np.zeros(len(env.y))
        weights[rows(env)] = 2.0
        return _classifier(env).fit(env.X, env.y, sample_weight=weights)
    return call


def _integer_names_then(X):
    def call(env):
        fitted = _classifier(env).fit(env.X.set_axis(range(5), axis=1), env.y)
        return fitted.predict(X(env))
    return call


# Issue 22 (inputs): values, labels, weights and column names that gave another
# library's message, or a wrong one.
CASES += [
    Case("sparse X beyond the magnitude limit",
         _fit(X=lambda env: _sparse(env.X, 1, 1e200)),
         ValueError, r"sparse X holds values too large to compute with in columns "
                     r"\[1\] \(up to [\d.]+e\+200; at most 1e\+150.*rescale those"),
    Case("sparse X beyond the magnitude limit (Dataset)",
         lambda env: Dataset(_sparse(env.X, 4, -1e160), env.y),
         ValueError, r"sparse X holds values too large to compute with in columns \[4\]"),
    Case("y beyond the magnitude limit (regressor)", _huge_target(),
         ValueError, r"y holds values too large to compute with \(up to .*; at most "
                     r"1e\+150.*\); rescale y"),
    Case("y beyond the magnitude limit with sparse X (regressor)",
         _huge_target(sparse=True),
         ValueError, r"y holds values too large to compute with"),
    Case("y beyond the magnitude limit (Dataset)",
         lambda env: Dataset(*regression_data()[:1], regression_data()[1] * 1e200),
         ValueError, r"y holds values too large to compute with"),
    Case("y: a DataFrame with duplicate column names",
         _fit(y=lambda env: pd.DataFrame(np.c_[env.y, env.y], columns=["t", "t"])),
         ValueError, r"y is a DataFrame of 2 columns with duplicate names \['t'\]; the "
                     r"target is one column: pass it alone, e.g\. y\.iloc\[:, 0\]"),
    Case("y: a DataFrame with duplicate column names (regressor)",
         lambda env: MetaRegressor(meta_learner=env.learner).fit(
             env.X, pd.DataFrame(np.c_[env.y, env.y], columns=["t", "t"])),
         ValueError, r"y is a DataFrame of 2 columns with duplicate names"),
    Case("y: tuple labels in a list",
         _fit(y=lambda env: [("a", int(v)) for v in env.y]),
         ValueError, r"y holds tuples as class labels \(e\.g\. \('a', [01]\)\); a class "
                     r"label must be one string, number or boolean: join the parts"),
    Case("y: tuple labels in a Series",
         _fit(y=lambda env: pd.Series([("a", int(v)) for v in env.y])),
         ValueError, r"y holds tuples as class labels"),
    Case("y: object labels mixing booleans and numbers",
         _fit(y=lambda env: np.array([True if v else 2 for v in env.y], dtype=object)),
         ValueError, r"y mixes booleans and numbers as class labels \(e\.g\. (True and 2|"
                     r"2 and True)\).*y\.astype\(int\)"),
    Case("X is a numpy structured array",
         _fit(X=lambda env: env.X.to_records(index=False)),
         TypeError, r"X is a numpy structured array \(fields \['f0', .*\]\); make it a "
                    r"DataFrame first: pd\.DataFrame\(X\)"),
    Case("predict: a numpy structured array",
         _predict(lambda env: env.X.to_records(index=False)),
         TypeError, r"X is a numpy structured array"),
    Case("sample_weight non-zero on a single row", _weights_on(lambda env: [5]),
         ValueError, r"sample_weight is non-zero on a single row \(row 5\), so the "
                     r"model would learn from that row alone; give at least two rows"),
    Case("sample_weight zero on every row of a class",
         _weights_on(lambda env: np.flatnonzero(env.y == 0)),
         ValueError, r"sample_weight is zero on every row of class 1 \(\d+ rows\), so "
                     r"no model can learn it; give those rows a positive weight"),
    Case("predict: integer column names not seen at fit",
         _integer_names_then(lambda env: env.X.set_axis(range(1, 6), axis=1)),
         ValueError, r"X lacks column\(s\) \[0\] seen at fit and has column\(s\) \[5\] "
                     r"not seen at fit; pass the columns the model was fitted on"),
    Case("predict: integer column names, one missing",
         _integer_names_then(lambda env: env.X.set_axis(range(5), axis=1)[[4, 3, 2, 1]]),
         ValueError, r"X lacks column\(s\) \[0\] seen at fit; pass the columns"),
]


# Issue 22 (model files, outputs and the command line's reading): a path of
# the wrong kind, outputs that are inputs or exist, formats checked first.
CASES += [
    Case("skmeta fit: a folder as the CSV file",
         Cli(["fit", "{bad_folder}", "--target", "label", "--kb", "{kb}"]),
         CliError, r"bad_folder is a folder, not a CSV file; give a \.csv or "
                   r"\.csv\.gz file", kb=True),
    Case("skmeta predict: a folder as the CSV file",
         Cli(["predict", "{model}", "{bad_folder}"]),
         CliError, r"bad_folder is a folder, not a CSV file"),
    Case("skmeta recommend: a folder as the CSV file",
         Cli(["recommend", "{bad_folder}", "--target", "label", "--kb", "{kb}"]),
         CliError, r"bad_folder is a folder, not a CSV file", kb=True),
    Case("skmeta metatrain: a file as the folder",
         Cli(["metatrain", "{csv}", "--kb", "{kb}", "--target", "label"]),
         CliError, r"data\.csv is a file; give the folder that holds the \.csv",
         kb=True),
    Case("skmeta fit: --plot of an unknown image format",
         Cli(["fit", "{csv}", "--target", "label", "--kb", "{kb}", "--n-evaluations",
              "1", "-o", "{root}/plot_check.joblib", "--plot", "{root}/trace.xyz"]),
         CliError, r"--plot .*trace\.xyz: unknown image format 'xyz'; end the name "
                   r"in one of .*\.png", kb=True),
    Case("skmeta fit: -o the knowledge base",
         Cli(["fit", "{csv}", "--target", "label", "--kb", "{kb}", "-o", "{kb}"]),
         CliError, r"cannot write .*kb\.sqlite \(-o\): it is the knowledge base "
                   r"\(--kb\); choose another -o", kb=True),
    Case("skmeta fit: -o the data",
         Cli(["fit", "{csv}", "--target", "label", "--kb", "{kb}", "-o", "{csv}",
              "--force"]),
         CliError, r"cannot write .*data\.csv \(-o\): it is the data this command "
                   r"reads", kb=True),
    Case("skmeta fit: -o an existing file",
         Cli(["fit", "{csv}", "--target", "label", "--kb", "{kb}", "-o",
              "{root}/notes.json"]),
         CliError, r"notes\.json exists; pass --force to replace it, or choose "
                   r"another -o", kb=True),
    Case("skmeta predict: -o the data",
         Cli(["predict", "{model}", "{csv}", "-o", "{csv}", "--force"]),
         CliError, r"cannot write .*data\.csv \(-o\): it is the data this command "
                   r"reads; choose another -o"),
    Case("skmeta predict: -o an existing file",
         Cli(["predict", "{model}", "{csv}", "-o", "{root}/notes.json"]),
         CliError, r"notes\.json exists; pass --force to replace it"),
    Case("skmeta metafeatures: -o the data",
         Cli(["metafeatures", "{csv}", "--target", "label", "-o", "{csv}", "--force"]),
         CliError, r"cannot write .*data\.csv \(-o\): it is the data this command "
                   r"reads"),
    Case("skmeta kb import: into the file imported",
         Cli(["kb", "import", "{export}", "--kb", "{export}"]),
         CliError, r"cannot write .*export\.json \(--kb\): it is the file this "
                   r"command imports"),
]


# Issue 22 (knowledge bases): special files as --kb, values no fit can use.
CASES += [
    Case("skmeta kb info: --kb /dev/null", Cli(["kb", "info", "--kb", "/dev/null"]),
         CliError, r"/dev/null is a character device, not a regular file, so it "
                   r"cannot be a knowledge base"),
    Case("skmeta recommend: --kb a loop of symbolic links",
         Cli(["recommend", "{csv}", "--target", "label", "--kb", "{root}/loop.sqlite"]),
         CliError, r"cannot open .*loop\.sqlite as a knowledge base: too many levels "
                   r"of symbolic links; give a regular file"),
    Case("skmeta kb import: --kb a FIFO",
         Cli(["kb", "import", "{export}", "--kb", "{root}/fifo.sqlite"]),
         CliError, r"fifo\.sqlite is a named pipe \(FIFO\), not a regular file"),
    Case("skmeta fit: --kb a link to /dev/null",
         Cli(["fit", "{csv}", "--target", "label", "--kb", "{root}/null_link.sqlite"]),
         CliError, r"null_link\.sqlite is a character device, not a regular file"),
    Case("KnowledgeBase: /dev/null", lambda env: KnowledgeBase("/dev/null"),
         ValueError, r"/dev/null is a character device, not a regular file"),
    Case("knowledge_base: a link to /dev/null with update_knowledge",
         lambda env: _classifier(env, knowledge_base=str(env.root / "null_link.sqlite"),
                                 update_knowledge=True).fit(env.X, env.y),
         ValueError, r"null_link\.sqlite is a character device, not a regular file"),
    Case("import: adjuster settings with a negative temperature",
         _import("negative_temperature.json"),
         ValueError, r"properties\['adjuster_settings\.classification'\] is not a "
                     r"setting skmeta can use: settings: temperature must be a "
                     r"positive",
         kb=True),
    Case("import: meta-features beyond float32", _import("huge_metafeatures.json"),
         ValueError, r"datasets\[0\]\.metafeatures\['[^']+'\] must be at most 1e\+37 "
                     r"in magnitude", kb=True),
    Case("skmeta kb import: fit_seconds of 1e308",
         Cli(["kb", "import", "{root}/huge_seconds.json", "--kb", "{kb}"]),
         CliError, r"evaluations\[0\]\.fit_seconds must be <= 1e\+07, got 1e\+308",
         kb=True),
    Case("search with a stored unusable setting",
         lambda env: _classifier(env, knowledge_base=str(
             env.root / "unusable_setting.sqlite")).fit(env.X, env.y),
         UserWarning, r"unusable_setting\.sqlite holds the property "
                      r"'adjuster_settings\.classification', which skmeta cannot use "
                      r"\(settings: temperature must be a positive number"),
    Case("skmeta kb check: an unusable stored setting",
         Cli(["kb", "check", "--kb", "{root}/unusable_setting.sqlite"]),
         CliError, r"0 unusable datasets and 1 unusable property; correct them"),
]


@pytest.fixture(scope="module", autouse=True)
def _issue22_store_files(env):
    """The files of the issue 22 (knowledge bases) rows, in ``env.root``."""
    from skmeta.learner import SETTINGS_VERSION

    root = env.root
    (root / "loop.sqlite").symlink_to(root / "loop.sqlite")
    os.mkfifo(root / "fifo.sqlite")
    (root / "null_link.sqlite").symlink_to("/dev/null")
    document = KnowledgeBase(env.kb).to_dict()
    n_classification = sum(d["task"] != "regression" for d in document["datasets"])
    setting = {"settings": {"temperature": -1.0}, "n_datasets": n_classification,
               "version": SETTINGS_VERSION}
    _write_json(root / "negative_temperature.json", json.dumps(
        {**document, "properties": {"adjuster_settings.classification": setting}}))
    dataset = document["datasets"][0]
    huge = {**dataset, "metafeatures": {n: 1e308 for n in dataset["metafeatures"]}}
    _write_json(root / "huge_metafeatures.json", json.dumps(
        {**document, "datasets": [huge, *document["datasets"][1:]]}))
    slow = {**document["evaluations"][0], "fit_seconds": 1e308, "seed": 98}
    _write_json(root / "huge_seconds.json", json.dumps(
        {**document, "evaluations": [slow]}))
    unusable = root / "unusable_setting.sqlite"
    shutil.copy(env.kb, unusable)
    with closing(sqlite3.connect(unusable)) as conn, conn:
        conn.execute("INSERT INTO properties VALUES (?, ?)",
                     ("adjuster_settings.classification", json.dumps(setting)))


ERRORS = (ValueError, TypeError, FileNotFoundError, UserWarning, CliError)


def _run_cli(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _check(case, env):
    if isinstance(case.call, Cli):
        argv = [part.format(**vars(env)) for part in case.call.argv]
        code, _, err = _run_cli(argv)
        command = argv[0] if argv[0] != "kb" else f"kb {argv[1]}"
        err = without_pickle_warning(err)  # a warning, not the error
        assert code == 1, err
        assert "Traceback" not in err
        assert len(err.splitlines()) == 1, err
        assert err.startswith(f"skmeta {command}: error: ")
        assert re.search(case.match, err), err
    elif issubclass(case.error, Warning):
        with pytest.warns(case.error, match=case.match):
            case.call(env)
    else:
        with pytest.raises(case.error, match=case.match):
            case.call(env)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_refused_with_a_clear_message(case, env):
    before = database_digest(env.kb) if case.kb else None
    _check(case, env)
    if case.kb:
        assert database_digest(env.kb) == before, "the knowledge base changed"


def test_the_catalogue_is_complete():
    assert len(CASES) >= 30 + 84 - 30 + 40  # issue 15 added at least 40 cases
    assert len({case.id for case in CASES}) == len(CASES)
    assert all(issubclass(case.error, ERRORS) for case in CASES)
    assert sum(isinstance(case.call, Cli) for case in CASES) >= 10
    assert sum(case.kb for case in CASES) >= 10
