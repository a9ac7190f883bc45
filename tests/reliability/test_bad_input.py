"""A catalogue of bad inputs across the public API and the command line.

Every case is a row ``(id, call, error, match)``: ``call(env)`` must raise
``error`` with a message matching ``match`` (``re.search``). The errors are
ValueError or TypeError (scikit-learn's InvalidParameterError is both;
FileNotFoundError for missing files, as Python reports them); a
:class:`UserWarning` row must warn and fit. A :class:`Cli` row runs the
``skmeta`` command in-process: exit code 1, exactly one line on stderr, no
traceback. Rows marked ``kb`` involve the stored knowledge base ``env.kb``:
its contents (every row of every table) must be unchanged afterwards.

Rows that are not handled well yet are marked as expected failures with the
reason; the reliability suite's summary prints "cases tried / handled".
"""

import contextlib
import gzip
import io
import json
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from types import SimpleNamespace
from typing import NamedTuple

import joblib
import numpy as np
import pandas as pd
import pytest

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
    not_yet: str = ""  # why it is an expected failure, if it is one


# -- the environment: a stored knowledge base, a fitted model, files -----------

@pytest.fixture(scope="module")
def env(learner, tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_input")
    X, y = classification_data()
    # A stored knowledge base with classification experience only.
    kb = root / "kb.sqlite"
    datasets = [d for d in small_datasets() if d.name.startswith("classification")]
    MetaLearner(knowledge_base=str(kb), portfolio=PORTFOLIO, n_configs_per_strategy=0,
                cv=2, timeout=None, random_state=0).fit(datasets)
    fitted = MetaClassifier(knowledge_base=learner, n_evaluations=2, cv=2,
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
    return SimpleNamespace(
        root=root, kb=kb, learner=learner, fitted=fitted, model=model, X=X, y=y,
        csv=csv, regression_csv=regression_csv, bad_folder=bad_folder,
        newer=newer, foreign=foreign,
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
    params = {"knowledge_base": env.learner, "n_evaluations": 2, "cv": 2,
              "random_state": 0, **params}
    return MetaClassifier(**params)


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
                   "n_configs_per_strategy": 0, "cv": 2, "timeout": None, **params}
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
         ValueError, r"unique column names, got:\s+- 'a' 2 times"),
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
         lambda env: MetaRegressor(knowledge_base=env.learner).fit(
             env.X, _with_nan(env.y)),
         ValueError, r"y contains 1 missing values \(NaN\); drop those rows or impute"),
    Case("y of strings (regressor)",
         lambda env: MetaRegressor(knowledge_base=env.learner).fit(
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
    Case("timeout<0", _fit(timeout=-1.0), ValueError, r"'timeout' parameter"),
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
    Case("predict: columns reordered", _predict(lambda env: env.X[env.X.columns[::-1]]),
         ValueError, r"Feature names must be in the same order"),
    Case("predict: a column missing", _predict(lambda env: env.X.drop(columns="f2")),
         ValueError, r"Feature names seen at fit time, yet now missing:\s+- f2"),
    Case("predict: an extra column", _predict(lambda env: env.X.assign(extra=1.0)),
         ValueError, r"Feature names unseen at fit time:\s+- extra"),
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
         ValueError, r"n_configs_per_strategy must be a non-negative integer", kb=True),
    Case("metatrain: timeout=0", _metalearner(timeout=0),
         ValueError, r"timeout must be a positive number or None, got 0", kb=True),
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


def _param(case):
    marks = []
    if case.not_yet:
        marks.append(pytest.mark.xfail(strict=True, reason=case.not_yet))
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_bad_input_is_refused_with_a_clear_message(case, env):
    before = database_digest(env.kb) if case.kb else None
    _check(case, env)
    if case.kb:
        assert database_digest(env.kb) == before, "the knowledge base changed"


def test_the_catalogue_is_complete():
    assert len(CASES) >= 30
    assert len({case.id for case in CASES}) == len(CASES)
    assert all(issubclass(case.error, ERRORS) for case in CASES)
    assert sum(isinstance(case.call, Cli) for case in CASES) >= 10
    assert sum(case.kb for case in CASES) >= 10
