"""``skmeta fit`` and ``skmeta predict``."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

import pandas as pd

from skmeta._atomic import atomic_path
from skmeta.cli.errors import (
    EXIT_OK,
    CommandError,
    _one_line,
)
from skmeta.cli.knowledge_bases import (
    _meta_learner,
)
from skmeta.cli.model_files import (
    _is_skops,
    _load_model,
    _model_features,
    _save_model,
    _skops_io,
)
from skmeta.cli.printing import (
    _print_fitted,
    _print_table,
    _trace_table,
)
from skmeta.cli.reading import (
    Input,
    _add_dates_option,
    _add_force_option,
    _add_na_values_option,
    _check_output,
    _data_input,
    _kb_inputs,
    _load_table,
    _portfolio,
    _read_csv,
    _stem,
)


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


def _plot_format(path):
    """The image format ``--plot`` names by its suffix (none: png), if
    matplotlib writes it."""
    from matplotlib.backend_bases import FigureCanvasBase

    image_format = Path(path).suffix.lstrip(".").lower() or "png"
    formats = FigureCanvasBase.get_supported_filetypes()
    if image_format not in formats:
        raise CommandError(
            f"--plot {path}: unknown image format {image_format!r}; end the name "
            f"in one of {', '.join('.' + name for name in sorted(formats))}"
        )
    return image_format


def _save_plot(function, estimator, path, image_format):
    import matplotlib.pyplot as plt

    drawn = function(estimator)
    figure = drawn if hasattr(drawn, "savefig") else drawn.figure  # Figure or Axes
    try:
        with atomic_path(path) as temporary:
            figure.savefig(temporary, format=image_format, bbox_inches="tight")
    finally:
        plt.close(figure)


def _cmd_fit(args):
    from skmeta.estimators import MetaClassifier, MetaRegressor
    from skmeta.evaluation import check_scoring_name

    inputs = [_data_input(args.data), *_kb_inputs(args.kb)]
    output = _check_output(args.output or f"{_stem(args.data)}.joblib",
                           inputs=inputs, force=args.force)
    if _is_skops(output):
        _skops_io()  # fail before the search when skops is missing
    plot = None
    if args.plot:
        plot = _plot_function()
        _check_output(args.plot, option="--plot", force=args.force, inputs=[
            *inputs, Input(output, "also the model file (-o)")])
        image_format = _plot_format(args.plot)
    from skmeta.datasets import Dataset

    if args.sample_weight == args.target:
        raise CommandError("--sample-weight names the target column; name a "
                           "column of weights")
    # The estimator gets the columns as read, so that it encodes the dates
    # itself and a saved model predicts from the same kind of file.
    X, y, weights = _load_table(args.data, args.target, args.parse_dates,
                                args.sample_weight, args.na_values)
    dataset = Dataset(X, y, name=_stem(args.data), task=args.task, sample_weight=weights)
    scoring = check_scoring_name(args.scoring, dataset.task)
    verbose = 0 if args.quiet else 1
    # The default (None) stays None in the saved model; a --kb is resolved
    # here so that JSON exports work and a missing file is not created.
    learner = _meta_learner(args.kb, verbose, args.n_jobs) if args.kb else None
    Estimator = MetaRegressor if dataset.task == "regression" else MetaClassifier
    estimator = Estimator(
        meta_learner=learner,
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
    estimator.fit(X, dataset.y, sample_weight=dataset.sample_weight)
    seconds = time.perf_counter() - start
    if args.kb:  # record where the experience came from, not the meta-models
        estimator.set_params(meta_learner=None, knowledge_base=str(args.kb))

    print(f"{type(estimator).__name__} on {dataset.name}: {dataset.task}, "
          f"{dataset.n_samples} rows, {X.shape[1]} features; "
          f"{len(estimator.trace_)} evaluations in {seconds:.1f} s")
    _print_table(_trace_table(estimator.trace_), digits={"seconds": 2})
    _print_fitted(estimator, scoring)
    _save_model(estimator, output)
    print(f"saved the model to {output}")
    if plot is not None:
        _save_plot(plot, estimator, args.plot, image_format)
        print(f"saved the adaptation plot to {args.plot}")
    return EXIT_OK


def _cmd_predict(args):
    inputs = [Input(args.model, "the model file this command reads"),
              _data_input(args.data)]
    output = None if args.output in (None, "-") else _check_output(
        args.output, inputs=inputs, force=args.force)
    model = _load_model(args.model, command="predict")
    frame = _read_csv(args.data, args.parse_dates, args.na_values)
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
    with atomic_path(output) as temporary:
        predictions.to_csv(temporary, index=False)
    note = f" (ignored columns: {', '.join(map(str, ignored))})" if ignored else ""
    print(f"wrote {len(predictions)} predictions to {output}{note}")
    return EXIT_OK


def _folds(text):
    """``--cv``: "auto" or a number of folds."""
    if text == "auto":
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected 'auto' or a number of folds, got {text!r}") from None


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
    parser.add_argument("--cv", type=_folds, default="auto", metavar="K",
                        help="cross-validation folds (default: auto, 5 for "
                             "classification and 3 for regression)")
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
    _add_force_option(parser, "a model or plot file")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.add_argument("--sample-weight", metavar="COL",
                        help="a column of per-row weights (not a feature): every "
                        "fit and score of the search is weighted by it")
    _add_dates_option(parser)
    _add_na_values_option(parser)
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
    _add_force_option(parser, "a predictions file")
    parser.add_argument("--proba", action="store_true",
                        help="write class probabilities, one column per class")
    _add_dates_option(parser)
    _add_na_values_option(parser)
    parser.set_defaults(handler=_cmd_predict)
