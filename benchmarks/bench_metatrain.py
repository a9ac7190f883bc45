"""Meta-training benchmark: throughput across cores, and recommendation quality.

1. Throughput: meta-train on a fixed slice of the corpus with ``n_jobs=1`` and
   ``n_jobs=2`` (same grid, fresh in-memory knowledge bases, one run) and print
   evaluations per second and the speedup (target >= 1.7x on 2 cores).
2. Quality: leave-one-dataset-out over a knowledge base built from the corpus
   (the shipped one by default): for each dataset, the performance model
   learns from the other datasets of its task family (KEEL imbalanced
   families are held out together) and recommends a configuration; its stored
   score is compared with the single best configuration overall on the
   training datasets (SBS) and the best stored one on the dataset (VBS).
   Prints the fraction of the SBS-VBS gap closed by the top-1
   recommendation (target >= 0.5).

Usage::

    python benchmarks/bench_metatrain.py [--corpus DIR] [--kb FILE.json.gz|FILE.sqlite]
        [--skip-throughput] [--skip-quality] [--seed 0]
        [--families classification,regression]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from skmeta import MetaLearner
from skmeta.knowledge import KnowledgeBase
from skmeta.learner import _reproducible
from skmeta.selection import (
    NearestDatasets,
    PerformanceModel,
    main_protocol,
    normalized_scores,
)
from skmeta.strategies import resolve_portfolio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from build_knowledge_base import DEFAULT_CORPUS, load_corpus  # noqa: E402

#: A fixed slice for the throughput measurement: small and medium datasets of
#: every task type.
THROUGHPUT_SLICE = [
    "keel_australian", "keel_bupa", "keel_vehicle", "sklearn_wine",
    "sklearn_breast_cancer", "rdata_palmerpenguins_penguins", "rdata_cardata_mroz",
    "rdata_dslabs_olive", "sklearn_diabetes", "rdata_aer_caschools",
    "rdata_aer_houseprices", "rdata_ecdat_clothing",
]


def throughput(corpus):
    manifest = pd.read_csv(Path(corpus) / "manifest.csv")
    names = [n for n in THROUGHPUT_SLICE if n in set(manifest["name"])]
    datasets = load_corpus(corpus, names)
    rates = {}
    for n_jobs in (1, 2):
        learner = MetaLearner(n_configs_per_strategy=1, cv=3, timeout=120,
                              max_samples=5000, n_jobs=n_jobs, random_state=0)
        kb = KnowledgeBase()
        # Time the evaluations alone: meta-features and meta-models are not
        # what this measures.
        learner._store_metafeatures(kb, datasets)
        start = time.perf_counter()
        n_evaluated, _ = learner._run_grid(kb, datasets)
        seconds = time.perf_counter() - start
        rates[n_jobs] = n_evaluated / seconds
        print(f"n_jobs={n_jobs}: {n_evaluated} evaluations in {seconds:.1f} s "
              f"= {rates[n_jobs]:.2f} evaluations/s", flush=True)
    print(f"speedup n_jobs=2 / n_jobs=1: {rates[2] / rates[1]:.2f}x "
          f"(target >= 1.7x) on {len(datasets)} datasets")


def _family(name, origin):
    match = re.search(r"family: ([^)]+)", str(origin))
    if match:
        return match.group(1)
    for base in ("vehicle", "vowel", "led7digit"):
        if name == f"keel_{base}":
            return base
    return name


def quality(kb, corpus, seed=0, families=("classification", "regression")):
    manifest = pd.read_csv(Path(corpus) / "manifest.csv").set_index("name")
    datasets = kb.datasets()
    # Scores compared within each dataset's main protocol, as the learner does.
    runs = main_protocol(kb.evaluations())
    metafeatures = kb.metafeatures()
    runs = runs.assign(normalized=normalized_scores(runs))
    rows = []
    for family in families:
        tasks = ["regression"] if family == "regression" else ["binary", "multiclass"]
        ids = datasets.index[datasets["task"].isin(tasks)]
        portfolio = resolve_portfolio("default", tasks[-1])
        table = _reproducible(metafeatures.loc[ids]).dropna(axis=1, how="all")
        family_runs = runs[runs["dataset_id"].isin(ids)]
        groups = {
            i: _family(datasets.at[i, "name"], manifest["origin"].get(datasets.at[i, "name"]))
            for i in ids
        }
        for held_out in ids:
            train_ids = [i for i in ids if groups[i] != groups[held_out]]
            train = family_runs[family_runs["dataset_id"].isin(train_ids)]
            test = family_runs[family_runs["dataset_id"] == held_out]
            model = PerformanceModel(portfolio, random_state=seed)
            model.fit(table.loc[train_ids], train)
            candidates = test.drop_duplicates(subset=["strategy", "config_key"])
            predicted = model.predict(table.loc[held_out], candidates["strategy"].tolist(),
                                      candidates["config"].tolist())
            top = candidates.iloc[int(np.argmax(predicted))]
            on_test = test.drop_duplicates(subset=["strategy", "config_key"]).set_index(
                ["strategy", "config_key"])
            # The SBS: the configuration with the best mean normalized score on
            # the training datasets, among those evaluated on this dataset.
            mean_train = train.groupby(["strategy", "config_key"])["normalized"].mean()
            sbs_key = mean_train[mean_train.index.isin(on_test.index)].idxmax()
            # Metric-based alternative: the configuration with the best mean
            # normalized score on the nearest training datasets.
            nearest = NearestDatasets(n_neighbors=10).fit(table.loc[train_ids])
            near_ids, _ = nearest.kneighbors(table.loc[held_out])
            near = train[train["dataset_id"].isin(near_ids)]
            mean_near = near.groupby(["strategy", "config_key"])["normalized"].mean()
            knn_key = mean_near[mean_near.index.isin(on_test.index)].idxmax()
            rows.append({
                "dataset": datasets.at[held_out, "name"],
                "family": family,
                "top1": top["normalized"],
                "knn": on_test.loc[knn_key, "normalized"],
                "sbs": on_test.loc[sbs_key, "normalized"],
                "vbs": test["normalized"].max(),
            })
    results = pd.DataFrame(rows)

    def closed(part, column):
        return (part[column] - part["sbs"]).sum() / (part["vbs"] - part["sbs"]).sum()

    print("Normalized scores (per dataset: median stored configuration 0, best 1).")
    for family, part in results.groupby("family"):
        print(f"{family}: {len(part)} datasets; mean normalized score: top-1 "
              f"{part['top1'].mean():.3f}, nearest-10 {part['knn'].mean():.3f}, "
              f"SBS {part['sbs'].mean():.3f}, VBS {part['vbs'].mean():.3f}; "
              f"SBS-VBS gap closed: top-1 {closed(part, 'top1'):.3f} "
              f"(target >= 0.55), nearest-10 {closed(part, 'knn'):.3f}")
    print(f"overall ({len(results)} datasets): SBS-VBS gap closed by the top-1 "
          f"recommendation: {closed(results, 'top1'):.3f} (target >= 0.6); by the "
          f"nearest-10 average: {closed(results, 'knn'):.3f}")
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--kb", type=Path, help="knowledge base (default: the shipped one)")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--seed", type=int, default=0,
                        help="random_state of the quality run's performance models")
    parser.add_argument("--families", default="classification,regression",
                        help="task families of the quality run (comma-separated)")
    args = parser.parse_args(argv)
    if not args.skip_throughput:
        throughput(args.corpus)
    if not args.skip_quality:
        if args.kb is None:
            kb = KnowledgeBase.default()
        elif args.kb.suffix == ".sqlite":
            kb = KnowledgeBase(args.kb)
        else:
            kb = KnowledgeBase.from_json(args.kb)
        quality(kb, args.corpus, seed=args.seed,
                families=args.families.split(","))


if __name__ == "__main__":
    main()
