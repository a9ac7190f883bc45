"""``skmeta demo``, ``skmeta metafeatures`` and ``skmeta recommend``."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from skmeta._atomic import atomic_path
from skmeta.cli.errors import (
    EXIT_OK,
)
from skmeta.cli.knowledge_bases import (
    _describe_learners_knowledge_base,
    _meta_learner,
)
from skmeta.cli.printing import (
    _format_value,
    _print_fitted,
    _print_recommendations,
    _print_table,
    _trace_table,
)
from skmeta.cli.reading import (
    _add_dates_option,
    _add_force_option,
    _add_na_values_option,
    _check_output,
    _data_input,
    _load_dataset,
)

#: Meta-features the demo shows (of about 150).
DEMO_METAFEATURES = (
    "n_rows", "n_features", "n_categorical", "missing_fraction", "n_classes",
    "class_entropy", "imbalance_ratio", "lm_1nn.score", "lm_tree.score",
    "pca.fraction_components_95",
)


def _cmd_metafeatures(args):
    from skmeta.metafeatures import extract_metafeatures

    if args.output:
        inputs = [_data_input(args.path)] if args.path else []
        _check_output(args.output, inputs=inputs, force=args.force)
    dataset = _load_dataset(args.path, args.target, parse_dates=args.parse_dates,
                            na_values=args.na_values)
    values = extract_metafeatures(
        dataset.X,
        dataset.y,
        task=dataset.task,
        groups=args.groups.split(",") if args.groups else "all",
        max_rows=args.max_rows,
        random_state=args.random_state,
    )
    if args.output:
        with atomic_path(args.output) as temporary:
            values.rename(dataset.name).to_frame().T.to_csv(temporary, index=False)
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
          f"({_describe_learners_knowledge_base(learner)})")
    ranked = learner.recommend(data.X, data.y, k=5, metafeatures=metafeatures)
    _print_recommendations(ranked)

    X_train, X_test, y_train, y_test = train_test_split(
        data.X, data.y, test_size=0.25, stratify=data.y, random_state=args.random_state
    )
    clf = MetaClassifier(
        meta_learner=learner, n_evaluations=args.n_evaluations,
        random_state=args.random_state,
    )
    start = time.perf_counter()
    clf.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    scoring = check_scoring_name(None, data.task)
    protocol = (f"{clf.n_splits_}-fold {scoring}" if clf.n_splits_
                else "one fit, no cross-validation")
    print(f"\n3. Adapting to {len(X_train)} training rows: MetaClassifier, "
          f"{args.n_evaluations} evaluations of {protocol} ({seconds:.1f} s)")
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


def _cmd_recommend(args):
    dataset = _load_dataset(args.data, args.target, args.task, args.parse_dates,
                            args.na_values)
    learner = _meta_learner(args.kb)
    ranked = learner.recommend(dataset.X, dataset.y, k=args.k, task=dataset.task)
    print(f"{dataset.name}: {dataset.task}, {dataset.n_samples} rows, "
          f"{dataset.n_features} features")
    print(f"top {len(ranked)} of {_describe_learners_knowledge_base(learner)} "
          "(predicted: 1 = best stored configuration of similar datasets, 0 = median)")
    _print_recommendations(ranked)
    return EXIT_OK


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
    _add_force_option(parser, "an output file")
    _add_dates_option(parser)
    _add_na_values_option(parser)
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
    _add_dates_option(parser)
    _add_na_values_option(parser)
    parser.set_defaults(handler=_cmd_recommend)
