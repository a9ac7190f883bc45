"""The ``skmeta`` command line.

::

    skmeta demo                             the idea at work on the penguins sample
    skmeta metafeatures [DATA.csv]          what a dataset looks like
    skmeta recommend DATA.csv --target COL  the strategies expected to do best
    skmeta fit DATA.csv --target COL        choose, tune and fit a model; save it
    skmeta predict MODEL.joblib DATA.csv    predictions of a saved model (or .skops)
    skmeta metatrain FOLDER --kb KB.sqlite  build (or extend) a knowledge base
    skmeta evaluate FOLDER --kb KB.sqlite   meta-test recommendations on held-out data
    skmeta kb info|check|remove|export|import  look at, repair, exchange knowledge bases

Every subcommand is a small function ``_cmd_<name>(args)`` registered in
:func:`build_parser`. Expected failures (bad arguments, unreadable files,
invalid data) end with one line ``skmeta <command>: error: <message>`` on
stderr and exit code 1; argparse usage errors exit with code 2. Progress lines
(``--quiet`` turns them off) and warnings go to stderr, results to stdout.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pickle
import sqlite3
import struct
import sys
import time
import warnings
import zlib
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

EXIT_OK, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 130

#: Meta-features the demo shows (of about 150).
DEMO_METAFEATURES = (
    "n_rows", "n_features", "n_categorical", "missing_fraction", "n_classes",
    "class_entropy", "imbalance_ratio", "lm_1nn.score", "lm_tree.score",
    "pca.fraction_components_95",
)

#: Numeric options checked before a command runs: dest -> (bound, strict).
#: A value must be >= bound (> bound when strict); NaN never passes.
_NUMBER_RULES = {
    "n_evaluations": (1, False),
    "time_budget": (0, True),
    "timeout": (0, True),
    "cv": (2, False),
    "ensemble_size": (1, False),
    "n_configs": (0, False),
    "k": (1, False),
    "max_samples": (10, False),
}

#: What loading a damaged or foreign joblib/pickle file raises.
_MODEL_LOAD_ERRORS = (
    pickle.UnpicklingError, EOFError, struct.error, zlib.error, ValueError,
    KeyError, IndexError, AttributeError, ImportError, TypeError, OSError,
    OverflowError, MemoryError, RecursionError,
)

#: Failures shown as one line. TypeError and KeyError are caught only where
#: the user's input causes them, so that a programming error still shows
#: its traceback.
_EXPECTED_ERRORS = (ValueError, OSError, sqlite3.OperationalError)


class CommandError(Exception):
    """An expected failure, shown to the user as one line."""


# -- reading input ------------------------------------------------------------

def _load_dataset(path, target, task=None):
    from skmeta.datasets import load_csv, load_penguins

    if path is None:
        return load_penguins()
    try:
        return load_csv(path, target=target, task=task)
    except (TypeError, KeyError) as exc:
        raise CommandError(f"cannot use {path}: {_one_line(exc)}") from None


def _csv_files(folder):
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no such folder: {folder}")
    files = sorted(
        p for p in folder.glob("*.csv*")
        if p.is_file() and p.name.endswith((".csv", ".csv.gz"))
    )
    if not files:
        raise CommandError(f"no .csv or .csv.gz files in {folder}")
    return files


def _load_folder(folder, target):
    """Every CSV of a folder as a Dataset; an error names the file."""
    datasets = []
    for file in _csv_files(folder):
        try:
            datasets.append(_load_dataset(file, target))
        except (CommandError, ValueError) as exc:
            message = _one_line(exc)
            if file.name not in message:
                message = f"{file.name}: {message}"
            raise CommandError(message) from None
    return datasets


def _read_csv(path):
    """A CSV file as a DataFrame, read as :func:`skmeta.load_csv` reads it."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    try:
        return pd.read_csv(path, keep_default_na=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError,
            EOFError, zlib.error, OSError) as exc:
        raise CommandError(f"cannot read {path} as CSV: {_one_line(exc)}") from None


def _stem(path):
    name = Path(path).name
    for suffix in (".gz", ".csv"):
        name = name.removesuffix(suffix)
    return name


def _check_output(path):
    """Fail before any work if ``path`` cannot be written.

    The folder must exist and take a new file (tried with a temporary file,
    removed at once), and an existing file must be writable: a search of
    minutes must not end in a "permission denied".
    """
    import tempfile

    path = Path(path)
    if path.is_dir():
        raise CommandError(f"cannot write {path}: it is a folder")
    if not path.parent.is_dir():
        raise CommandError(
            f"cannot write {path}: the folder {path.parent} does not exist"
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise CommandError(f"cannot write {path}: the file is not writable")
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".skmeta-probe-"):
            pass
    except OSError as exc:
        raise CommandError(
            f"cannot write {path}: the folder {path.parent} does not take new "
            f"files ({exc.strerror or type(exc).__name__})"
        ) from None
    return path


def _portfolio(text):
    """``--portfolio a,b`` as a list of names; None when not given."""
    if text is None:
        return None
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise CommandError(
            f"--portfolio must be comma-separated strategy names, got {text!r}"
        )
    return names


# -- knowledge bases and models ---------------------------------------------

def _open_knowledge_base(path, *, create=False):
    """A knowledge base from ``--kb``.

    None is the shipped one; a path follows the rule of
    :mod:`skmeta.knowledge.opening`, as in the Python API: a
    ``.json``/``.json.gz`` export is loaded into memory; anything else is a
    SQLite file, which must exist unless ``create`` (a command that writes).
    """
    from skmeta.knowledge import KnowledgeBase
    from skmeta.knowledge.opening import open_knowledge_base_path

    if path is None:
        return KnowledgeBase.default()
    return open_knowledge_base_path(path, create=create)


def _kb_name(kb, path):
    return "the shipped knowledge base" if kb.read_only else str(path)


def _describe_knowledge_base(kb):
    summary = kb.summary()
    where = _kb_name(kb, summary["path"] or "memory")
    return (f"{where}: {summary['n_datasets']} datasets, "
            f"{summary['n_evaluations']} evaluations")


def _meta_learner(kb_path, verbose=0, n_jobs=None):
    """The fitted MetaLearner that ``--kb`` stands for (None: the shipped one)."""
    from skmeta.learner import MetaLearner, resolve_meta_learner

    if kb_path is None:
        return resolve_meta_learner(None)
    kb = _open_knowledge_base(kb_path)
    if not len(kb):
        raise CommandError(
            f"{kb_path} holds no evaluations yet; fill it with `skmeta metatrain`"
        )
    return MetaLearner.from_knowledge_base(kb, verbose=verbose, n_jobs=n_jobs)


def _load_model(path):
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such model file: {path}")
    if _is_skops(path):
        model = _load_skops(path)
    else:
        model = _load_joblib(path)
    if not hasattr(model, "predict"):
        raise CommandError(f"{path} holds a {type(model).__name__}, not a model")
    return model


def _load_joblib(path):
    import joblib

    try:
        return joblib.load(path)
    except Exception as exc:
        # Unpickling a damaged or foreign file can raise nearly anything
        # (_MODEL_LOAD_ERRORS, and OverflowError or MemoryError for a length
        # field of random bytes); whatever it is, the file is what is wrong.
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        detail = f": {detail}" if detail else ""
        raise CommandError(f"cannot load {path} as a joblib model file "
                           f"({type(exc).__name__}{detail})") from None


def _save_model(estimator, path):
    if _is_skops(path):
        _skops_io().dump(_skops_ready(estimator), path)
    else:
        import joblib

        joblib.dump(estimator, path)


# -- the skops format -----------------------------------------------------------
#
# skops (https://skops.readthedocs.io) stores a model as data and, on load,
# builds only the types it is told to trust. skmeta trusts, by name:
#   - the skmeta classes a fitted MetaClassifier/MetaRegressor is made of;
#   - scikit-learn classes, outside its test helpers, datasets and externals;
#   - numpy arrays, dtypes, scalars and random generators;
#   - functools.partial and the few scikit-learn functions fitted models
#     refer to (_SKOPS_FUNCTIONS); a partial is built, never called, on load.
# Anything else (e.g. os.system, or numpy.memmap, which opens files) makes the
# load fail with the list of the types it would need.

#: Modules of skmeta whose classes a saved estimator may contain.
_SKOPS_SKMETA_MODULES = ("skmeta.estimators", "skmeta.ensemble",
                         "skmeta.strategies.preprocessing")
#: Other skmeta classes a saved estimator may contain.
_SKOPS_SKMETA_TYPES = ("skmeta.adjust.adjuster.AdjusterSettings",)
#: Functions (not types) fitted scikit-learn models refer to.
_SKOPS_FUNCTIONS = ("sklearn.utils.validation.check_array",)
#: Parts of scikit-learn that are no model: never trusted.
_SKOPS_SKLEARN_EXCLUDED = ("sklearn.datasets", "sklearn.externals",
                           "sklearn.utils._testing", "sklearn.tests")
#: An attribute holding a pandas object, stored as plain data (skops cannot
#: store pandas objects).
_FRAME_MARK = "__skmeta_pandas__"


def _is_skops(path):
    return Path(path).suffix == ".skops"


def _skops_io():
    """``skops.io``, or a clear error naming the package to install."""
    try:
        return importlib.import_module("skops.io")
    except ImportError:
        raise CommandError(
            ".skops model files need the skops package: pip install skops "
            "(or pip install 'skmeta[skops]'); or save a .joblib file"
        ) from None


def _resolve(name):
    """The object a dotted name refers to, importing its module; None if none."""
    parts = name.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            value = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attribute in parts[split:]:
                value = getattr(value, attribute)
        except AttributeError:
            return None
        return value
    return None


def _trusted_skops_name(name):
    """Whether a model file may make skops build (or refer to) ``name``."""
    import numpy.random

    root = name.split(".")[0]
    if name == "functools.partial" or name in _SKOPS_FUNCTIONS:
        return True
    if root not in ("skmeta", "sklearn", "numpy"):
        return False  # never import a module the file names
    value = _resolve(name)
    if not isinstance(value, type):
        return False
    module = value.__module__
    if root == "skmeta":
        return module in _SKOPS_SKMETA_MODULES or name in _SKOPS_SKMETA_TYPES
    if root == "sklearn":
        return module.startswith("sklearn.") and not module.startswith(
            _SKOPS_SKLEARN_EXCLUDED)
    # ndarray itself, not its subclasses: numpy.memmap opens files.
    return value is np.ndarray or issubclass(value, (
        np.dtype, np.generic, numpy.random.RandomState, numpy.random.Generator,
        numpy.random.BitGenerator))


def _load_skops(path):
    sio = _skops_io()
    try:
        names = sio.get_untrusted_types(file=path)
    except Exception as exc:  # not a zip file, a damaged schema: skops's own errors
        raise CommandError(
            f"cannot load {path} as a skops model file ({type(exc).__name__}: "
            f"{_one_line(exc)})") from None
    refused = [name for name in names if not _trusted_skops_name(name)]
    if refused:
        raise CommandError(
            f"{path} holds types skmeta does not trust: {', '.join(refused)}; "
            "if you trust the file's source, load it in Python with "
            "skops.io.load(path, trusted=[...])"
        )
    try:
        model = sio.load(path, trusted=names)
    except Exception as exc:
        raise CommandError(
            f"cannot load {path} as a skops model file ({type(exc).__name__}: "
            f"{_one_line(exc)})") from None
    try:
        return _restore_pandas(model)
    except (KeyError, TypeError, ValueError) as exc:
        raise CommandError(
            f"cannot load {path}: a table it holds is malformed "
            f"({type(exc).__name__}: {_one_line(exc)})") from None


def _skops_ready(estimator):
    """A shallow copy of ``estimator`` whose pandas attributes are plain data."""
    import copy

    ready = copy.copy(estimator)
    for name, value in vars(estimator).items():
        if isinstance(value, pd.DataFrame):
            setattr(ready, name, {
                _FRAME_MARK: "DataFrame",
                "columns": [str(c) for c in value.columns],
                "index": value.index.tolist(),
                "data": {str(c): value[c].tolist() for c in value.columns},
                "dtypes": {str(c): str(value[c].dtype) for c in value.columns},
            })
        elif isinstance(value, pd.Series):
            setattr(ready, name, {
                _FRAME_MARK: "Series", "name": value.name,
                "index": value.index.tolist(), "data": value.tolist(),
                "dtype": str(value.dtype),
            })
    return ready


def _restore_pandas(model):
    """Undo :func:`_skops_ready` on a loaded model."""
    for name, value in list(vars(model).items()):
        if not (isinstance(value, dict) and value.get(_FRAME_MARK)):
            continue
        if value[_FRAME_MARK] == "DataFrame":
            frame = pd.DataFrame(value["data"], columns=value["columns"],
                                 index=value["index"])
            restored = frame.astype(value["dtypes"])
        else:
            restored = pd.Series(value["data"], index=value["index"],
                                 name=value["name"], dtype=value["dtype"])
        setattr(model, name, restored)
    return model


def _model_features(model, frame, source):
    """The columns of ``frame`` the model was fitted on, and those left out."""
    names = getattr(model, "feature_names_in_", None)
    if names is not None:
        names = [str(n) for n in names]
        missing = [n for n in names if n not in frame.columns]
        if missing:
            shown = ", ".join(missing[:10]) + (", ..." if len(missing) > 10 else "")
            raise CommandError(
                f"{source} lacks {len(missing)} feature column(s) of the model: {shown}"
            )
        kept = set(names)
        return frame[names], [c for c in frame.columns if c not in kept]
    n_features = getattr(model, "n_features_in_", frame.shape[1])
    if frame.shape[1] != n_features:
        raise CommandError(
            f"the model expects {n_features} feature columns (it was fitted "
            f"without column names); {source} has {frame.shape[1]}"
        )
    return frame.to_numpy(), []


# -- showing results ------------------------------------------------------------

def _one_line(exc):
    """The first line of an exception's message (plus the next when it ends in ':')."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    if isinstance(exc, KeyError) and len(lines) == 1:
        return f"missing key {lines[0]}"
    message = lines[0]
    if message.endswith(":") and len(lines) > 1:
        message = f"{message} {lines[1].lstrip('- ')}"
        if len(lines) > 2:
            message += f" (and {len(lines) - 2} more lines)"
    return message


def _plural(n, noun):
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _format_value(value):
    if isinstance(value, (float, np.floating)):
        return f"{value:.4g}"
    return str(value)


def _format_config(config):
    if not config:
        return "(defaults)"
    return ", ".join(f"{k}={_format_value(v)}" for k, v in config.items())


def _cell(value, digits):
    if value is None or (isinstance(value, (float, np.floating)) and np.isnan(value)):
        return "-"
    if isinstance(value, (float, np.floating)):
        return f"{value:.{digits}f}"
    return str(value)


def _print_table(frame, indent="  ", digits=None):
    """Print a DataFrame without its index: numbers right-, text left-aligned.

    ``digits`` maps column names to decimals (default 4).
    """
    digits = digits or {}
    columns = []
    for name in frame.columns:
        values = frame[name]
        numeric = (pd.api.types.is_numeric_dtype(values)
                   and not pd.api.types.is_bool_dtype(values))
        cells = [_cell(v, digits.get(name, 4)) for v in values]
        width = max([len(str(name))] + [len(c) for c in cells])
        align = str.rjust if numeric else str.ljust
        columns.append([align(str(name), width)] + [align(c, width) for c in cells])
    for row in zip(*columns, strict=True):
        print(indent + "  ".join(row).rstrip())


def _trace_table(trace):
    """The columns of a fitted estimator's ``trace_`` worth reading."""
    return pd.DataFrame({
        "#": trace["evaluation"],
        "step": trace["step"],
        "strategy": trace["strategy"],
        "pi": [probabilities.get(strategy, np.nan) for probabilities, strategy
               in zip(trace["probabilities"], trace["strategy"], strict=True)],
        "score": pd.to_numeric(trace["score"], errors="coerce"),
        "status": trace["status"],
        "seconds": trace["seconds"],
    })


def _print_fitted(estimator, scoring):
    print(f"  best: {estimator.best_strategy_} "
          f"({scoring} {estimator.best_score_:.4f}), "
          f"{_format_config(estimator.best_params_)}")
    members = estimator.ensemble_
    if len(members) > 1:
        fused = ", ".join(
            f"#{e} {s} {w:.2f}" for e, s, w in
            zip(members["evaluation"], members["strategy"], members["weight"],
                strict=True)
        )
        print(f"  ensemble of {len(members)}: {fused}")


@contextmanager
def _compact_warnings(command):
    """Show warnings as one line each, without file names and source lines."""
    def show(message, category, filename, lineno, file=None, line=None):
        text = _one_line(message) if str(message).strip() else category.__name__
        print(f"skmeta {command}: warning: {text}", file=sys.stderr)

    with warnings.catch_warnings():
        warnings.showwarning = show
        yield


# -- commands -------------------------------------------------------------------

def _cmd_metafeatures(args):
    from skmeta.metafeatures import extract_metafeatures

    if args.output:
        _check_output(args.output)
    dataset = _load_dataset(args.path, args.target)
    values = extract_metafeatures(
        dataset.X,
        dataset.y,
        task=dataset.task,
        groups=args.groups.split(",") if args.groups else "all",
        max_rows=args.max_rows,
        random_state=args.random_state,
    )
    if args.output:
        values.rename(dataset.name).to_frame().T.to_csv(args.output, index=False)
        print(f"wrote {len(values)} meta-features of {dataset.name} to {args.output}")
        return EXIT_OK
    print(
        f"{dataset.name}: {dataset.task}, {dataset.n_samples} rows, "
        f"{dataset.n_features} features, {len(values)} meta-features"
    )
    with pd.option_context("display.max_rows", None,
                           "display.float_format", "{:.6g}".format):
        print(values.to_string())
    return EXIT_OK


def _cmd_demo(args):
    from sklearn.metrics import balanced_accuracy_score
    from sklearn.model_selection import train_test_split
    from threadpoolctl import threadpool_limits  # a dependency of scikit-learn

    from skmeta.datasets import load_penguins
    from skmeta.estimators import MetaClassifier
    from skmeta.evaluation import check_scoring_name
    from skmeta.strategies import default_portfolio

    learner = _meta_learner(args.kb)
    data = load_penguins()
    n_categorical = int((~data.X.dtypes.map(pd.api.types.is_numeric_dtype)).sum())
    print(f"skmeta demo: the bundled penguins sample, {data.task}, "
          f"{data.n_samples} rows, {data.n_features} features "
          f"({n_categorical} categorical), "
          f"{int(data.X.isna().sum().sum())} missing values")

    metafeatures = learner.metafeatures_of(data)
    shown = [name for name in DEMO_METAFEATURES if name in metafeatures.index]
    print(f"\n1. What the data looks like "
          f"({len(shown)} of {len(metafeatures)} meta-features)")
    _print_table(pd.DataFrame({
        "meta-feature": shown,
        "value": [_format_value(metafeatures[n]) for n in shown],
    }))

    print(f"\n2. What the knowledge base recommends "
          f"({_describe_knowledge_base(learner.knowledge_base_)})")
    ranked = learner.recommend(data.X, data.y, k=5, metafeatures=metafeatures)
    _print_recommendations(ranked)

    X_train, X_test, y_train, y_test = train_test_split(
        data.X, data.y, test_size=0.25, stratify=data.y, random_state=args.random_state
    )
    clf = MetaClassifier(
        knowledge_base=learner, n_evaluations=args.n_evaluations,
        random_state=args.random_state,
    )
    start = time.perf_counter()
    clf.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    scoring = check_scoring_name(None, data.task)
    print(f"\n3. Adapting to {len(X_train)} training rows: MetaClassifier, "
          f"{args.n_evaluations} evaluations of {clf.cv}-fold {scoring} "
          f"({seconds:.1f} s)")
    _print_table(_trace_table(clf.trace_), digits={"seconds": 2})
    _print_fitted(clf, scoring)

    baseline = next(s for s in default_portfolio(data.task)
                    if s.name == "hist_gradient_boosting")
    # One thread, as skmeta's evaluations run: on a loaded machine OpenMP's
    # threads make this tiny fit dozens of times slower.
    with threadpool_limits(1):
        hgb = baseline.build(random_state=args.random_state).fit(X_train, y_train)
    rows = []
    for name, model in (("MetaClassifier", clf),
                        ("HistGradientBoosting (defaults)", hgb)):
        predicted = model.predict(X_test)
        rows.append({
            "model": name,
            "accuracy": float(np.mean(predicted == y_test)),
            "balanced accuracy": balanced_accuracy_score(y_test, predicted),
        })
    print(f"\n4. On the {len(X_test)} held-out rows")
    _print_table(pd.DataFrame(rows))
    return EXIT_OK


def _print_recommendations(ranked):
    _print_table(pd.DataFrame({
        "rank": range(1, len(ranked) + 1),
        "strategy": ranked["strategy"],
        "predicted": ranked["predicted_score"],
        "configuration": [_format_config(c) for c in ranked["config"]],
    }))
    if len(ranked):
        print(f"  nearest datasets (distance): {ranked['nearest_datasets'].iloc[0]}")


def _cmd_recommend(args):
    dataset = _load_dataset(args.data, args.target, args.task)
    learner = _meta_learner(args.kb)
    ranked = learner.recommend(dataset.X, dataset.y, k=args.k, task=dataset.task)
    print(f"{dataset.name}: {dataset.task}, {dataset.n_samples} rows, "
          f"{dataset.n_features} features")
    print(f"top {len(ranked)} of {_describe_knowledge_base(learner.knowledge_base_)} "
          "(predicted: 1 = best stored configuration of similar datasets, 0 = median)")
    _print_recommendations(ranked)
    return EXIT_OK


def _plot_function():
    """The adaptation plot of :mod:`skmeta.plotting`; a clear error if unavailable."""
    os.environ.setdefault("MPLBACKEND", "Agg")  # no display needed
    try:
        plotting = importlib.import_module("skmeta.plotting")
        importlib.import_module("matplotlib")
    except ImportError as exc:
        raise CommandError(
            f"--plot is not available: {_one_line(exc)} (it needs skmeta.plotting "
            "and matplotlib: pip install 'skmeta[plot]')"
        ) from None
    for name in ("plot_adaptation_figure", "plot_adaptation"):
        if hasattr(plotting, name):
            return getattr(plotting, name)
    raise CommandError(
        "--plot is not available: skmeta.plotting has no adaptation plot"
    )


def _save_plot(function, estimator, path):
    import matplotlib.pyplot as plt

    drawn = function(estimator)
    figure = drawn if hasattr(drawn, "savefig") else drawn.figure  # Figure or Axes
    try:
        figure.savefig(path, bbox_inches="tight")
    finally:
        plt.close(figure)


def _cmd_fit(args):
    from skmeta.estimators import MetaClassifier, MetaRegressor
    from skmeta.evaluation import check_scoring_name

    output = _check_output(args.output or f"{_stem(args.data)}.joblib")
    if _is_skops(output):
        _skops_io()  # fail before the search when skops is missing
    plot = None
    if args.plot:
        plot = _plot_function()
        _check_output(args.plot)
    dataset = _load_dataset(args.data, args.target, args.task)
    scoring = check_scoring_name(args.scoring, dataset.task)
    verbose = 0 if args.quiet else 1
    # The default (None) stays None in the saved model; a --kb is resolved
    # here so that JSON exports work and a missing file is not created.
    learner = _meta_learner(args.kb, verbose, args.n_jobs) if args.kb else None
    Estimator = MetaRegressor if dataset.task == "regression" else MetaClassifier
    estimator = Estimator(
        knowledge_base=learner,
        portfolio=_portfolio(args.portfolio),
        n_evaluations=args.n_evaluations,
        time_budget=args.time_budget,
        cv=args.cv,
        scoring=args.scoring,
        ensemble_size=args.ensemble_size,
        n_jobs=args.n_jobs,
        random_state=args.random_state,
        verbose=verbose,
    )
    start = time.perf_counter()
    estimator.fit(dataset.X, dataset.y)
    seconds = time.perf_counter() - start
    if args.kb:  # record where the experience came from, not the meta-models
        estimator.set_params(knowledge_base=str(args.kb))

    print(f"{type(estimator).__name__} on {dataset.name}: {dataset.task}, "
          f"{dataset.n_samples} rows, {dataset.n_features} features; "
          f"{len(estimator.trace_)} evaluations in {seconds:.1f} s")
    _print_table(_trace_table(estimator.trace_), digits={"seconds": 2})
    _print_fitted(estimator, scoring)
    _save_model(estimator, output)
    print(f"saved the model to {output}")
    if plot is not None:
        _save_plot(plot, estimator, args.plot)
        print(f"saved the adaptation plot to {args.plot}")
    return EXIT_OK


def _cmd_predict(args):
    output = None if args.output in (None, "-") else _check_output(args.output)
    model = _load_model(args.model)
    frame = _read_csv(args.data)
    X, ignored = _model_features(model, frame, Path(args.data).name)
    try:
        if args.proba:
            if not hasattr(model, "predict_proba"):
                raise CommandError(
                    f"--proba needs a classifier; {args.model} holds a "
                    f"{type(model).__name__}"
                )
            values = model.predict_proba(X)
            predictions = pd.DataFrame(values, columns=[str(c) for c in model.classes_])
        else:
            predictions = pd.DataFrame({"prediction": model.predict(X)})
    except (TypeError, KeyError, AttributeError) as exc:
        raise CommandError(f"cannot predict: {_one_line(exc)}") from None
    if output is None:
        predictions.to_csv(sys.stdout, index=False)
        return EXIT_OK
    predictions.to_csv(output, index=False)
    note = f" (ignored columns: {', '.join(map(str, ignored))})" if ignored else ""
    print(f"wrote {len(predictions)} predictions to {output}{note}")
    return EXIT_OK


def _learner_params(args):
    return {
        "portfolio": _portfolio(args.portfolio) or "default",
        "n_configs_per_strategy": args.n_configs,
        "cv": args.cv,
        "timeout": args.timeout,
        "max_samples": args.max_samples,
        "n_jobs": args.n_jobs,
        "random_state": args.random_state,
        "verbose": 0 if args.quiet else 1,
    }


def _status_counts(kb, dataset_ids):
    statuses = kb.evaluations(dataset_id=list(dataset_ids))["status"].value_counts()
    return ", ".join(f"{status} {n}" for status, n in statuses.sort_index().items())


def _cmd_metatrain(args):
    from skmeta.learner import MetaLearner

    datasets = _load_folder(args.folder, args.target)
    kb = _open_knowledge_base(args.kb, create=True)
    learner = MetaLearner(knowledge_base=kb, **_learner_params(args))
    start = time.perf_counter()
    learner.fit(datasets)
    seconds = time.perf_counter() - start
    tasks = pd.Series([d.task for d in datasets]).value_counts().sort_index()
    print(f"meta-trained on {_plural(len(datasets), 'dataset')} ("
          + ", ".join(f"{t} {n}" for t, n in tasks.items())
          + f") in {seconds:.1f} s")
    print(f"  evaluations run: {learner.n_evaluated_}, reused from the knowledge "
          f"base: {learner.n_reused_}")
    print(f"  status of these datasets' evaluations: "
          f"{_status_counts(kb, learner.dataset_ids_)}")
    print(f"  {_describe_knowledge_base(kb)}; meta-models for "
          + ", ".join(sorted(learner.performance_models_)))
    return EXIT_OK


def _stored_portfolio(kb):
    """The default strategies a knowledge base has experience of, in portfolio order."""
    from skmeta.strategies import default_strategy_names

    stored = set(kb.strategies())
    names = [name for name in default_strategy_names() if name in stored]
    return names or "default"


def _check_something_left(kb, datasets, exclude):
    """Fail clearly when the held-out datasets are all the knowledge base knows."""
    from skmeta.learner import task_family

    stored = kb.datasets()
    left = stored[~(stored.index.isin(exclude) | stored["name"].isin(exclude))]
    needed = {task_family(d.task) for d in datasets}
    missing = needed - set(left["task"].map(task_family))
    if missing:
        raise CommandError(
            f"the knowledge base has no {min(missing)} datasets besides the held-out "
            "ones; evaluate on datasets it was not meta-trained on"
        )


def _cmd_evaluate(args):
    from skmeta.adjust import AdjusterSettings
    from skmeta.learner import MetaLearner

    datasets = _load_folder(args.folder, args.target)
    kb = _open_knowledge_base(args.kb)
    described = _describe_knowledge_base(kb)
    if kb.read_only:  # the shipped one: evaluate() stores results, so copy it
        kb = kb.copy()
        described = f"a copy of {described}"
    params = _learner_params(args)
    if args.portfolio is None:
        params["portfolio"] = _stored_portfolio(kb)
    exclude = {d.fingerprint for d in datasets} | {d.name for d in datasets}
    _check_something_left(kb, datasets, exclude)
    # evaluate() ranks configurations only: skip meta-learning the adjuster's
    # settings by replay, which takes minutes on a large knowledge base.
    unused = {family: AdjusterSettings() for family in ("classification", "regression")}
    learner = MetaLearner.from_knowledge_base(
        kb, exclude=exclude, adjuster_settings=unused, **params
    )
    start = time.perf_counter()
    table = learner.evaluate(datasets)
    seconds = time.perf_counter() - start
    print(f"meta-test of {described} on {_plural(len(datasets), 'held-out dataset')} "
          f"({seconds:.1f} s); scores are cross-validated")
    _print_table(table.rename(columns={
        "recommended_strategy": "recommended", "recommended_score": "score",
        "best_strategy": "best", "best_score": "best score",
        "normalized_score": "normalized", "rank_of_best": "rank of best",
    }))
    print(f"  mean regret: {table['regret'].mean():.4f}; mean normalized score: "
          f"{table['normalized_score'].mean():.4f} "
          "(1 = best configuration, 0 = median)")
    if kb.path is None:
        print("  (the new evaluations were kept in memory only: give a SQLite --kb "
              "to store them)")
    return EXIT_OK


def _counts(parts):
    return ", ".join(f"{key} {n}" for key, n in parts.items()) or "none"


def _cmd_kb_info(args):
    kb = _open_knowledge_base(args.kb)
    summary = kb.summary()
    where = _kb_name(kb, summary["path"] or args.kb)
    print(f"{where} (schema version {summary['schema_version']})")
    print(f"  datasets:        {summary['n_datasets']} "
          f"({_counts(summary['datasets_per_task'])})")
    print(f"  evaluations:     {summary['n_evaluations']} "
          f"({_counts(summary['evaluations_per_task'])})")
    print(f"  by status:       {_counts(summary['evaluations_per_status'])}")
    strategies = ", ".join(kb.strategies()) or "none"
    print(f"  strategies:      {summary['n_strategies']} ({strategies})")
    print(f"  properties:      {summary['n_properties']}")
    print(f"  skmeta versions: {_counts(summary['skmeta_versions'])}")
    return EXIT_OK


def _check_export_output(args):
    """``kb export -o``: a new .json[.gz] file, never the source database."""
    from skmeta.knowledge.opening import is_export_name

    output = Path(args.output)
    if not is_export_name(output):
        raise CommandError(
            f"cannot write {output}: an export is JSON, so -o must end in .json "
            "or .json.gz"
        )
    if args.kb is not None and Path(args.kb).exists() and output.exists() \
            and os.path.samefile(args.kb, output):
        raise CommandError(
            f"cannot export {args.kb} to itself: -o must be another file"
        )
    if output.exists() and not args.force:
        raise CommandError(
            f"{output} exists; pass --force to replace it, or choose another -o"
        )
    return _check_output(output)


def _cmd_kb_export(args):
    output = _check_export_output(args)
    kb = _open_knowledge_base(args.kb)
    kb.export_json(output)
    size = output.stat().st_size / 1024
    print(f"exported {_describe_knowledge_base(kb)} to {output} ({size:.0f} KiB)")
    return EXIT_OK


def _print_invalid(invalid):
    _print_table(pd.DataFrame({
        "strategy": invalid["strategy"],
        "dataset": invalid["dataset_name"],
        "configuration": [_format_config(c) for c in invalid["config"]],
        "problem": invalid["problem"],
    }))


def _cmd_kb_check(args):
    from skmeta.knowledge.checks import invalid_evaluations

    kb = _open_knowledge_base(args.kb)
    where = _kb_name(kb, args.kb)
    invalid = invalid_evaluations(kb)
    if invalid.empty:
        print(f"{where}: {_plural(len(kb), 'evaluation')} checked; every "
              "configuration fits its strategy's space")
        return EXIT_OK
    print(f"{where}: {len(invalid)} of {_plural(len(kb), 'evaluation')} have a "
          "configuration that does not fit the strategy's space (the meta-models "
          "leave them out):")
    _print_invalid(invalid)
    remove = "skmeta kb remove --invalid" + (f" --kb {args.kb}" if args.kb else "")
    raise CommandError(
        f"{_plural(len(invalid), 'invalid evaluation')}; remove them with `{remove}`"
    )


def _cmd_kb_remove(args):
    from skmeta.knowledge.checks import invalid_evaluations
    from skmeta.knowledge.opening import is_export_name

    if not args.invalid:
        raise CommandError("say what to remove: --invalid (the evaluations "
                           "`skmeta kb check` lists)")
    if is_export_name(args.kb):
        raise CommandError(
            f"{args.kb} is a JSON export; kb remove changes a SQLite knowledge "
            "base (`skmeta kb import` turns an export into one)"
        )
    kb = _open_knowledge_base(args.kb)
    invalid = invalid_evaluations(kb)
    if invalid.empty:
        print(f"{args.kb}: no invalid evaluations; nothing removed")
        return EXIT_OK
    if args.dry_run:
        print(f"{args.kb}: would remove {_plural(len(invalid), 'invalid evaluation')}:")
        _print_invalid(invalid)
        return EXIT_OK
    keys = invalid[["dataset_id", "strategy", "config_key", "metric", "cv",
                    "seed"]].itertuples(index=False, name=None)
    removed = kb.remove_evaluations(keys)
    print(f"{args.kb}: removed {_plural(removed, 'invalid evaluation')}:")
    _print_invalid(invalid)
    print(f"  {_describe_knowledge_base(kb)}")
    return EXIT_OK


def _cmd_kb_import(args):
    from skmeta.knowledge.exchange import read_document, validate_document

    source = Path(args.file)
    document = read_document(source)
    # Validate before opening: a bad file must not leave a new empty database.
    validate_document(document, str(source))
    kb = _open_knowledge_base(args.kb, create=True)
    counts = kb.import_dict(document, source=str(source))
    print(f"imported {source} into {args.kb}")
    print(f"  datasets: {counts['datasets_added']} added, "
          f"{counts['datasets_updated']} updated")
    print(f"  evaluations: {counts['evaluations_added']} added, "
          f"{counts['evaluations_skipped']} skipped (already stored)")
    print(f"  properties: {counts['properties_added']} added, "
          f"{counts['properties_skipped']} skipped, "
          f"{counts['properties_conflicting']} conflicting (kept the stored value)")
    print(f"  {_describe_knowledge_base(kb)}")
    return EXIT_OK


# -- the parser -------------------------------------------------------------

def _add_search_options(parser, portfolio_default):
    """Options shared by ``metatrain`` and ``evaluate`` (the evaluation grid)."""
    parser.add_argument(
        "--portfolio", metavar="NAMES",
        help="comma-separated strategy names, e.g. knn,logistic_regression "
        f"(default: {portfolio_default})",
    )
    parser.add_argument(
        "--n-configs", type=int, default=5, metavar="C",
        help="sampled configurations per strategy besides its default (default: 5)",
    )
    parser.add_argument("--cv", type=int, default=3, metavar="K",
                        help="cross-validation folds (default: 3)")
    parser.add_argument("--timeout", type=float, default=300.0, metavar="S",
                        help="seconds one evaluation may take (default: 300)")
    parser.add_argument("--max-samples", type=int, default=10_000, metavar="N",
                        help="evaluate on at most N rows of a dataset (default: 10000)")
    parser.add_argument("--n-jobs", type=int, metavar="J",
                        help="parallel evaluations (-1: all cores; default: 1)")
    parser.add_argument("--random-state", type=int, default=0, metavar="S",
                        help="seeds the grid and the folds (default: 0)")
    parser.add_argument("--target", default="target",
                        help="the target column of every file (default: target)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")


def _add_metafeatures(commands):
    parser = commands.add_parser(
        "metafeatures",
        help="print the meta-features of a dataset",
        description=(
            "Print the meta-features of a CSV dataset, or of the bundled "
            "penguins sample when no path is given."
        ),
    )
    parser.add_argument("path", nargs="?", help="a CSV file (.csv or .csv.gz)")
    parser.add_argument(
        "--target", default="target", help="the target column (default: target)"
    )
    parser.add_argument(
        "--groups", help="comma-separated groups to compute (default: all)"
    )
    parser.add_argument(
        "--max-rows", type=int, default=10_000,
        help="subsample larger datasets to this many rows (default: 10000)",
    )
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("-o", "--output", help="write one CSV row here")
    parser.set_defaults(handler=_cmd_metafeatures)


def _add_demo(commands):
    parser = commands.add_parser(
        "demo",
        help="meta-learning at work on the bundled penguins sample",
        description=(
            "On the bundled penguins sample: its meta-features, the strategies "
            "the knowledge base recommends, the adaptation trace of a "
            "MetaClassifier on a 75/25 split, and its held-out score against a "
            "default HistGradientBoosting."
        ),
    )
    parser.add_argument("--n-evaluations", type=int, default=5, metavar="N",
                        help="evaluations of the MetaClassifier (default: 5)")
    parser.add_argument("--random-state", type=int, default=0, metavar="S",
                        help="seeds the split and the search (default: 0)")
    parser.add_argument("--kb", metavar="PATH",
                        help="a knowledge base (default: the shipped one)")
    parser.set_defaults(handler=_cmd_demo)


def _add_fit(commands):
    parser = commands.add_parser(
        "fit",
        help="choose, tune and fit a model for a CSV dataset; save it",
        description=(
            "Fit a MetaClassifier or MetaRegressor (by the task of the data, or "
            "--task) on a CSV file, print the adaptation trace and the best "
            "strategy, and save the fitted estimator: with joblib (a pickle), or "
            "with skops when the output ends in .skops (needs the skops package)."
        ),
    )
    parser.add_argument("data", help="a CSV file (.csv or .csv.gz)")
    parser.add_argument("--target", required=True, help="the target column")
    parser.add_argument("--task", choices=("binary", "multiclass", "regression"),
                        help="the task type (default: inferred from the target)")
    parser.add_argument("--n-evaluations", type=int, default=10, metavar="N",
                        help="cross-validated evaluations of the search (default: 10)")
    parser.add_argument("--time-budget", type=float, metavar="S",
                        help="stop starting evaluations after S seconds")
    parser.add_argument("--cv", type=int, default=5, metavar="K",
                        help="cross-validation folds (default: 5)")
    parser.add_argument("--scoring", help="the metric to maximize (default: balanced_"
                        "accuracy for classification, r2 for regression)")
    parser.add_argument("--ensemble-size", type=int, default=10, metavar="E",
                        help="picks of ensemble selection; 1 keeps the single best "
                        "(default: 10)")
    parser.add_argument("--portfolio", metavar="NAMES",
                        help="comma-separated strategy names (default: every "
                        "default strategy)")
    parser.add_argument("--n-jobs", type=int, metavar="J",
                        help="parallel evaluations (-1: all cores; default: 1)")
    parser.add_argument("--random-state", type=int, default=0, metavar="S",
                        help="seed of the search (default: 0)")
    parser.add_argument("--kb", metavar="PATH",
                        help="a knowledge base: SQLite file or .json[.gz] export "
                        "(default: the shipped one)")
    parser.add_argument("-o", "--output", metavar="MODEL",
                        help="where to save the model: .joblib, or .skops for the "
                        "skops format (default: <data stem>.joblib in the current "
                        "folder)")
    parser.add_argument("--plot", metavar="PNG",
                        help="also save the adaptation plot (needs skmeta.plotting "
                        "and matplotlib)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.set_defaults(handler=_cmd_fit)


def _add_predict(commands):
    parser = commands.add_parser(
        "predict",
        help="predict with a saved model",
        description=(
            "Predict the rows of a CSV file with a model saved by `skmeta fit`. "
            "The model's feature columns are taken by name; other columns (the "
            "target, ids) are ignored. WARNING: a joblib file is a pickle, and "
            "loading it runs code from the file: only load models you trust. A "
            ".skops file is loaded with skops, building only scikit-learn, numpy "
            "and skmeta types."
        ),
    )
    parser.add_argument("model",
                        help="a model saved by `skmeta fit` (.joblib or .skops)")
    parser.add_argument("data", help="a CSV file (.csv or .csv.gz)")
    parser.add_argument("-o", "--output", metavar="CSV",
                        help="where to write the predictions (default or '-': stdout)")
    parser.add_argument("--proba", action="store_true",
                        help="write class probabilities, one column per class")
    parser.set_defaults(handler=_cmd_predict)


def _add_recommend(commands):
    parser = commands.add_parser(
        "recommend",
        help="the strategies and configurations expected to do best",
        description=(
            "Rank the stored (strategy, configuration) pairs for a CSV dataset by "
            "the score the meta-model predicts from its meta-features, and name "
            "the most similar stored datasets."
        ),
    )
    parser.add_argument("data", help="a CSV file (.csv or .csv.gz)")
    parser.add_argument("--target", required=True, help="the target column")
    parser.add_argument("--task", choices=("binary", "multiclass", "regression"),
                        help="the task type (default: inferred from the target)")
    parser.add_argument("-k", type=int, default=5, help="how many (default: 5)")
    parser.add_argument("--kb", metavar="PATH",
                        help="a knowledge base: SQLite file or .json[.gz] export "
                        "(default: the shipped one)")
    parser.set_defaults(handler=_cmd_recommend)


def _add_metatrain(commands):
    parser = commands.add_parser(
        "metatrain",
        help="evaluate the portfolio on a folder of datasets into a knowledge base",
        description=(
            "Meta-train: cross-validate every strategy's default and C sampled "
            "configurations on every CSV file of FOLDER, storing each result in "
            "the SQLite knowledge base as it completes (created if missing). "
            "Rerun the same command after an interruption: stored results are "
            "reused."
        ),
    )
    parser.add_argument("folder", help="a folder of .csv / .csv.gz files")
    parser.add_argument("--kb", required=True, metavar="PATH",
                        help="the SQLite knowledge base file")
    _add_search_options(parser, "every default strategy")
    parser.set_defaults(handler=_cmd_metatrain, resumable=True)


def _add_evaluate(commands):
    parser = commands.add_parser(
        "evaluate",
        help="meta-test the recommendations on held-out datasets",
        description=(
            "Meta-test: the meta-models learn from the knowledge base without "
            "the folder's datasets (by content and by name), recommend a "
            "configuration for each, and the grid is evaluated on them to "
            "measure regret. Give the grid options used with `skmeta "
            "metatrain`. The new results are stored in the knowledge base."
        ),
    )
    parser.add_argument("folder", help="a folder of .csv / .csv.gz files")
    parser.add_argument("--kb", metavar="PATH",
                        help="the knowledge base (default: a copy of the shipped one)")
    _add_search_options(parser, "the strategies stored in the knowledge base")
    parser.set_defaults(handler=_cmd_evaluate, resumable=True)


def _add_kb(commands):
    parser = commands.add_parser(
        "kb",
        help="knowledge base: info, check, remove, export, import",
        description=("Look at a knowledge base, check and remove invalid "
                     "evaluations, export it to JSON, import JSON."),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    info = actions.add_parser(
        "info", help="counts of datasets, evaluations, statuses",
        description="Counts of a knowledge base's datasets, evaluations, strategies.",
    )
    info.add_argument(
        "--kb", metavar="PATH",
        help="SQLite file or .json[.gz] export (default: the shipped one)",
    )
    info.set_defaults(handler=_cmd_kb_info)
    export = actions.add_parser(
        "export", help="write a knowledge base as JSON",
        description="Write a knowledge base as JSON (gzip-compressed for .gz).",
    )
    export.add_argument("--kb", metavar="PATH",
                        help="SQLite file (default: the shipped knowledge base)")
    export.add_argument("-o", "--output", required=True, metavar="FILE",
                        help="the .json or .json.gz file to write (never the "
                        "knowledge base itself)")
    export.add_argument("--force", action="store_true",
                        help="replace FILE if it exists")
    export.set_defaults(handler=_cmd_kb_export)
    check = actions.add_parser(
        "check", help="list evaluations whose configuration is invalid",
        description=(
            "Check every stored configuration against its strategy's space. "
            "Exit code 0 when all fit; 1, after listing the invalid ones, when "
            "some do not (the meta-models leave those out with a warning; "
            "`skmeta kb remove --invalid` removes them)."
        ),
    )
    check.add_argument(
        "--kb", metavar="PATH",
        help="SQLite file or .json[.gz] export (default: the shipped one)",
    )
    check.set_defaults(handler=_cmd_kb_check)
    remove = actions.add_parser(
        "remove", help="remove invalid evaluations from a SQLite knowledge base",
        description=(
            "Remove the evaluations `skmeta kb check` lists (--invalid), in one "
            "transaction; datasets, other evaluations and properties stay."
        ),
    )
    remove.add_argument("--kb", required=True, metavar="PATH",
                        help="the SQLite knowledge base")
    remove.add_argument("--invalid", action="store_true",
                        help="remove the evaluations whose configuration does not "
                        "fit the strategy's space")
    remove.add_argument("--dry-run", action="store_true",
                        help="list what would be removed, remove nothing")
    remove.set_defaults(handler=_cmd_kb_remove)
    imported = actions.add_parser(
        "import", help="merge a JSON export into a SQLite knowledge base",
        description=(
            "Merge a .json / .json.gz export into a SQLite knowledge base "
            "(created if missing). The file is validated first; stored "
            "evaluations are kept and duplicates skipped."
        ),
    )
    imported.add_argument("file", help="a .json or .json.gz export")
    imported.add_argument("--kb", required=True, metavar="PATH",
                          help="the SQLite knowledge base to import into")
    imported.set_defaults(handler=_cmd_kb_import)


def build_parser():
    """The argument parser of the ``skmeta`` command."""
    from skmeta import __version__

    parser = argparse.ArgumentParser(
        prog="skmeta",
        description="skmeta: meta-learning AutoML for scikit-learn.",
        epilog="Run `skmeta COMMAND --help` for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"skmeta {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for add in (_add_demo, _add_metafeatures, _add_recommend, _add_fit, _add_predict,
                _add_metatrain, _add_evaluate, _add_kb):
        add(commands)
    return parser


def _check_numbers(args):
    """Range checks of numeric options (their types argparse checked)."""
    for dest, (bound, strict) in _NUMBER_RULES.items():
        value = getattr(args, dest, None)
        if value is None:
            continue
        option = "-k" if dest == "k" else "--" + dest.replace("_", "-")
        ok = value > bound if strict else value >= bound
        if not ok:
            relation = ">" if strict else ">="
            raise CommandError(f"{option} must be {relation} {bound}, got {value}")
    if getattr(args, "n_jobs", None) == 0:
        raise CommandError("--n-jobs must not be 0 (-1 uses all cores)")


def main(argv=None):
    """Run the ``skmeta`` command; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version (0) and usage errors (2)
        return 0 if exc.code is None else exc.code
    name = args.command if args.command != "kb" else f"kb {args.action}"
    try:
        with _compact_warnings(name):
            _check_numbers(args)
            return args.handler(args)
    except BrokenPipeError:  # e.g. `skmeta predict ... | head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR
    except (CommandError, *_EXPECTED_ERRORS) as exc:
        print(f"skmeta {name}: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        hint = ("; finished evaluations are stored, rerun to resume"
                if getattr(args, "resumable", False) else "")
        print(f"skmeta {name}: interrupted{hint}", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
