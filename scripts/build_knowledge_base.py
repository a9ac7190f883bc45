"""Build the knowledge base shipped with skmeta from the corpus of datasets.

Meta-trains a :class:`skmeta.MetaLearner` on every dataset of the corpus
(``../shared/corpus`` beside the repository by default), storing experience in
a SQLite file as it goes (rerun to resume after an interruption), then exports
it to ``skmeta/data/knowledge_base.json.gz`` with the meta-learned adjuster
settings.

The grid runs in phases (``--phases``, all by default), each a
``MetaLearner.fit`` on the same SQLite file, so that every phase reuses what
is stored and an interrupted build resumes where it stopped:

- ``main``: every dataset; each strategy's default and ``--n-configs``
  sampled configurations, 3-fold, on at most 5,000 rows (the score matrix
  the meta-models learn from);
- ``subsample``: datasets of at least 2,000 rows; the same grid on 1,000
  rows. With the main phase it is the fidelity data: how a cheap evaluation
  ranks the configurations against the full one (and each evaluation's
  ``fold_scores`` give the one-fold fidelity of both);
- ``large``: datasets of more than 5,000 rows; each strategy's default on up
  to 20,000 rows, for the cost model and for experience at the sizes of
  users' tables.

``--start-from FILE`` first imports an exported knowledge base (the shipped
one, say) into a new work file, so that its evaluations are reused.

Usage::

    python scripts/build_knowledge_base.py [--corpus DIR] [--work FILE]
        [--n-jobs 2] [--n-configs 5] [--phases main,subsample,large]
        [--datasets a,b] [--strategies lightgbm,xgboost]
        [--start-from skmeta/data/knowledge_base.json.gz]
    python scripts/build_knowledge_base.py --relearn-settings
    python scripts/build_knowledge_base.py --relearn-racing
    python scripts/build_knowledge_base.py --refresh-metafeatures [--corpus DIR]

``--relearn-settings`` meta-learns the adjuster settings again on the
exported knowledge base (after a change to how they are learned, that is to
``skmeta.learner.SETTINGS_VERSION``) and exports it again, without
evaluating anything; ``--relearn-racing`` does the same for the racing
policy (``skmeta.race_policy``, ``skmeta.learner.RACING_VERSION``).

``--refresh-metafeatures`` extracts the meta-features of every dataset of the
exported knowledge base again, from the corpus dataset of the same name and
as the build does (after a change to the extraction), and exports it again,
without evaluating anything. Rebuild the shipped meta-models afterwards
(``scripts/build_meta_models.py``).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from skmeta import MetaLearner
from skmeta.datasets import load_csv
from skmeta.knowledge import KnowledgeBase
from skmeta.strategies import default_strategy_names

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
OUTPUT = ROOT / "skmeta" / "data" / "knowledge_base.json.gz"


def load_corpus(corpus, names=None):
    """The corpus's datasets, with the manifest's task types."""
    manifest = pd.read_csv(Path(corpus) / "manifest.csv")
    if names:
        unknown = sorted(set(names) - set(manifest["name"]))
        if unknown:
            raise SystemExit(f"unknown datasets: {unknown}")
        manifest = manifest[manifest["name"].isin(names)]
    return [
        load_csv(Path(corpus) / f"{row.name}.csv.gz", name=row.name, task=row.task)
        for row in manifest.itertuples(index=False)
    ]


#: name -> (rows evaluated at most, sampled configurations per strategy or
#: None for --n-configs, smallest dataset in rows, strategies left out).
#: The kernel SVM is left out of the large phase: its time grows as the
#: square of the rows (the cost model extrapolates it so), and at 20,000 rows
#: its evaluations would only time out.
PHASES = {
    "main": (5000, None, 0, ()),
    "subsample": (1000, None, 2000, ()),
    "large": (20000, 0, 5001, ("svm_rbf",)),
}


def relearn_settings(path, n_jobs):
    """Learn the adjuster settings of an exported knowledge base again."""
    start = time.perf_counter()
    kb = KnowledgeBase.from_json(path)
    learner = MetaLearner.from_knowledge_base(kb, n_jobs=n_jobs, random_state=0)
    for family, settings in learner.relearn_settings().items():
        print(f"adjuster settings ({family}): {settings}")
    kb.export_json(path)
    print(f"exported to {path} after {time.perf_counter() - start:.0f} s")


def relearn_racing(path):
    """Learn the racing policies of an exported knowledge base again."""
    start = time.perf_counter()
    kb = KnowledgeBase.from_json(path)
    learner = MetaLearner.from_knowledge_base(kb, random_state=0)
    for family in learner.performance_models_:
        print(f"racing policy ({family}): {learner.racing_policy(family, relearn=True)}")
    kb.export_json(path)
    print(f"exported to {path} after {time.perf_counter() - start:.0f} s")


def refresh_metafeatures(path, corpus):
    """Extract the meta-features of an exported knowledge base's datasets again.

    Each stored dataset is matched by name with a corpus dataset, which must
    have the stored fingerprint (the evaluations were run on that data).
    """
    start = time.perf_counter()
    kb = KnowledgeBase.from_json(path)
    stored = kb.datasets()
    manifest = pd.read_csv(Path(corpus) / "manifest.csv")
    unknown = sorted(set(stored["name"]) - set(manifest["name"]))
    if unknown:
        raise SystemExit(f"stored datasets missing from {corpus}: {unknown}")
    datasets = {d.name: d for d in load_corpus(corpus, stored["name"].tolist())}
    changed = sorted(name for dataset_id, name in stored["name"].items()
                     if datasets[name].fingerprint != dataset_id)
    if changed:
        raise SystemExit(f"corpus datasets that differ from the stored ones: {changed}")
    extractor = MetaLearner(random_state=0)  # the build's extraction
    for dataset_id, row in stored.iterrows():
        values = extractor.metafeatures_of(datasets[row["name"]])
        kb.add_dataset(dataset_id, row["name"], row["task"], values,
                       row["n_samples"], row["n_features"])
    kb.export_json(path)
    print(f"meta-features of {len(stored)} datasets extracted again; exported to "
          f"{path} after {time.perf_counter() - start:.0f} s")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "knowledge_base.sqlite")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--n-configs", type=int, default=5)
    parser.add_argument("--phases", default=",".join(PHASES),
                        help=f"comma-separated phases of {list(PHASES)}")
    parser.add_argument("--start-from", type=Path,
                        help="an exported knowledge base to import into a new --work")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--datasets", help="comma-separated names (default: all)")
    parser.add_argument("--strategies",
                        help="comma-separated strategy names to evaluate (default: "
                             "the default portfolio's); name the optional ones "
                             "(lightgbm, xgboost, catboost) to add their evaluations")
    parser.add_argument("--relearn-racing", action="store_true",
                        help="learn the racing policies of --output again and re-export it")
    parser.add_argument("--relearn-settings", action="store_true",
                        help="only learn the adjuster settings again on --output")
    parser.add_argument("--refresh-metafeatures", action="store_true",
                        help="only extract the meta-features of --output's datasets "
                             "again, from --corpus")
    args = parser.parse_args(argv)
    unknown = set(args.phases.split(",")) - set(PHASES)
    if unknown:
        parser.error(f"unknown phases {sorted(unknown)}; choose from {list(PHASES)}")
    if args.relearn_settings:
        return relearn_settings(args.output, args.n_jobs)
    if args.relearn_racing:
        return relearn_racing(args.output)
    if args.refresh_metafeatures:
        return refresh_metafeatures(args.output, args.corpus)

    args.work.parent.mkdir(parents=True, exist_ok=True)
    if args.start_from is not None and not args.work.exists():
        with KnowledgeBase(args.work) as kb:
            counts = kb.import_json(args.start_from)
        print(f"started from {args.start_from}: {counts}", flush=True)
    start = time.perf_counter()
    datasets = load_corpus(args.corpus, args.datasets.split(",") if args.datasets else None)
    print(f"{len(datasets)} datasets loaded in {time.perf_counter() - start:.1f} s", flush=True)
    # Meta-features are cheap: recompute them all, so that a resumed build
    # stores those of the current extractor.
    with KnowledgeBase(args.work) as kb:
        for dataset in datasets:
            values = MetaLearner(random_state=0).metafeatures_of(dataset)
            kb.add_dataset(dataset.fingerprint, dataset.name, dataset.task, values,
                           dataset.n_samples, dataset.n_features)
    print(f"meta-features stored after {time.perf_counter() - start:.1f} s", flush=True)
    learner = None
    for phase in args.phases.split(","):
        max_samples, n_configs, min_rows, left_out = PHASES[phase]
        chosen = [d for d in datasets if d.n_samples >= min_rows]
        names = args.strategies.split(",") if args.strategies else None
        portfolio = [n for n in names or default_strategy_names() if n not in left_out]
        began = time.perf_counter()
        learner = MetaLearner(
            knowledge_base=str(args.work),
            portfolio=portfolio if left_out or names else "default",
            n_configs_per_strategy=args.n_configs if n_configs is None else n_configs,
            cv=3,
            evaluation_timeout=args.timeout,
            max_samples=max_samples,
            n_jobs=args.n_jobs,
            random_state=0,
            verbose=1,
        ).fit(chosen)
        print(f"phase {phase}: {len(chosen)} datasets, {learner.n_evaluated_} "
              f"evaluations run, {learner.n_reused_} reused, "
              f"{time.perf_counter() - began:.0f} s", flush=True)
    seconds = time.perf_counter() - start
    kb = learner.knowledge_base_
    summary = kb.summary()
    print(
        f"meta-training: {seconds:.0f} s; "
        f"knowledge base: {summary['n_datasets']} datasets, "
        f"{summary['n_evaluations']} evaluations, {summary['evaluations_per_status']}",
        flush=True,
    )
    for family in learner.performance_models_:
        settings = learner.adjuster_settings(family)
        print(f"adjuster settings ({family}): {settings}")
        print(f"racing policy ({family}): {learner.racing_policy(family)}")
    kb.export_json(args.output)
    size = args.output.stat().st_size / 2**20
    start = time.perf_counter()
    KnowledgeBase.from_json(args.output).close()
    print(f"wrote {args.output} ({size:.1f} MiB); it loads in "
          f"{time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
