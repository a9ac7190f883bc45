"""``skmeta metatrain`` and ``skmeta evaluate``."""

from __future__ import annotations

import time
import warnings

import pandas as pd

from skmeta.cli.errors import (
    EXIT_OK,
    CommandError,
)
from skmeta.cli.knowledge_bases import (
    _describe_knowledge_base,
)
from skmeta.cli.printing import (
    _plural,
    _print_table,
)
from skmeta.cli.reading import (
    _add_dates_option,
    _add_na_values_option,
    _check_kb_is_not_data,
    _load_folder,
    _portfolio,
)

#: Seconds one evaluation may take when ``--evaluation-timeout`` is not given.
DEFAULT_EVALUATION_TIMEOUT = 300.0


def _learner_params(args):
    return {
        "portfolio": _portfolio(args.portfolio) or "default",
        "n_configs_per_strategy": args.n_configs,
        "cv": args.cv,
        "evaluation_timeout": _evaluation_timeout(args),
        "max_samples": args.max_samples,
        "n_jobs": args.n_jobs,
        "random_state": args.random_state,
        "verbose": 0 if args.quiet else 1,
    }


def _evaluation_timeout(args):
    """``--evaluation-timeout``, or its deprecated alias ``--timeout``."""
    if args.timeout is None:
        return args.evaluation_timeout
    if args.evaluation_timeout != DEFAULT_EVALUATION_TIMEOUT:
        raise CommandError("--timeout is the deprecated name of --evaluation-timeout: "
                           "give --evaluation-timeout only")
    # Shown as one line on stderr (see skmeta.cli.printing._compact_warnings).
    warnings.warn("--timeout was renamed --evaluation-timeout in 0.2 and will be "
                  "removed in 0.3", FutureWarning, stacklevel=2)
    return args.timeout


def _status_counts(kb, dataset_ids):
    statuses = kb.evaluations(dataset_id=list(dataset_ids))["status"].value_counts()
    return ", ".join(f"{status} {n}" for status, n in statuses.sort_index().items())


def _cmd_metatrain(args):
    from skmeta.knowledge.opening import open_knowledge_base
    from skmeta.learner import MetaLearner

    datasets = _load_folder(args.folder, args.target, args.parse_dates, args.na_values)
    _check_kb_is_not_data(args.kb, args.folder)
    kb = open_knowledge_base(args.kb, create=True)
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
    from skmeta.knowledge.opening import open_knowledge_base
    from skmeta.learner import MetaLearner

    datasets = _load_folder(args.folder, args.target, args.parse_dates, args.na_values)
    _check_kb_is_not_data(args.kb, args.folder)
    kb = open_knowledge_base(args.kb)
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
    parser.add_argument("--evaluation-timeout", type=float,
                        default=DEFAULT_EVALUATION_TIMEOUT, metavar="S",
                        help="seconds one evaluation may take (default: "
                        f"{DEFAULT_EVALUATION_TIMEOUT:g})")
    parser.add_argument("--timeout", type=float, metavar="S",
                        help="deprecated alias of --evaluation-timeout")
    parser.add_argument("--max-samples", type=int, default=10_000, metavar="N",
                        help="evaluate on at most N rows of a dataset, N >= 10 "
                             "(default: 10000)")
    parser.add_argument("--n-jobs", type=int, metavar="J",
                        help="parallel evaluations (-1: all cores; default: 1)")
    parser.add_argument("--random-state", type=int, default=0, metavar="S",
                        help="seeds the grid and the folds (default: 0)")
    parser.add_argument("--target", default="target",
                        help="the target column of every file (default: target)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")


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
    _add_dates_option(parser)
    _add_na_values_option(parser)
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
    _add_dates_option(parser)
    _add_na_values_option(parser)
    parser.set_defaults(handler=_cmd_evaluate, resumable=True)
