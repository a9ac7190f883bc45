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
   recommendation (target >= 0.6).
3. Noise ceiling (``--ceiling``, with the quality run): how much of the gap
   the stored scores let any recommendation close. Each stored score is a
   mean over 3 folds, and the VBS is the best of some 50 such noisy means,
   so part of the gap is noise no recommendation can close. With one fold
   held back for choosing and the other two for scoring, it compares the
   top-1 recommendation with a *one-fold oracle* that sees the held-back
   fold of every configuration on the dataset itself and takes its best,
   and shows how the top-1's share of the gap grows with the folds it is
   scored on (1, 2, 3).

Usage::

    python benchmarks/bench_metatrain.py [--corpus DIR] [--kb FILE.json.gz|FILE.sqlite]
        [--skip-throughput] [--skip-quality] [--seed 0]
        [--families classification,regression] [--ceiling]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from skbench.inputs import DEFAULT_CORPUS, keel_family, load_corpus, open_kb

from skmeta import MetaLearner
from skmeta.knowledge import KnowledgeBase
from skmeta.learner.grid import run_grid, store_metafeatures
from skmeta.learner.training_data import reproducible_metafeatures as _reproducible
from skmeta.selection import (
    NearestDatasets,
    PerformanceModel,
    main_protocol,
    normalized_scores,
)
from skmeta.strategies import resolve_portfolio

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
        learner = MetaLearner(n_configs_per_strategy=1, cv=3, evaluation_timeout=120,
                              max_samples=5000, n_jobs=n_jobs, random_state=0)
        kb = KnowledgeBase()
        # Time the evaluations alone: meta-features and meta-models are not
        # what this measures.
        store_metafeatures(learner, kb, datasets, n_jobs)
        start = time.perf_counter()
        n_evaluated, _ = run_grid(learner, kb, datasets, n_jobs)
        seconds = time.perf_counter() - start
        rates[n_jobs] = n_evaluated / seconds
        print(f"n_jobs={n_jobs}: {n_evaluated} evaluations in {seconds:.1f} s "
              f"= {rates[n_jobs]:.2f} evaluations/s", flush=True)
    print(f"speedup n_jobs=2 / n_jobs=1: {rates[2] / rates[1]:.2f}x "
          f"(target >= 1.7x) on {len(datasets)} datasets")


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
            i: keel_family(datasets.at[i, "name"], manifest["origin"].get(datasets.at[i, "name"]))
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
                "dataset_id": held_out,
                "family": family,
                "top1_key": (top["strategy"], top["config_key"]),
                "sbs_key": sbs_key,
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


def _fold_normalized(scores, failed):
    """Normalized scores (median 0, best 1, failures -1) of one dataset's
    configurations, from one score each."""
    ok = scores[~failed]
    median, best = np.median(ok), ok.max()
    if best <= median:
        normalized = np.ones_like(scores)
    else:
        normalized = np.clip((scores - median) / (best - median), -1.0, 1.0)
    return np.where(failed, -1.0, normalized)


def noise_ceiling(kb, results):
    """Print the top-1's share of the gap on held-back folds, against the
    one-fold oracle's, and as the folds it is scored on grow."""
    runs = main_protocol(kb.evaluations()).drop_duplicates(
        subset=["dataset_id", "strategy", "config_key"])
    rows = []
    for result in results.itertuples():
        test = runs[runs["dataset_id"] == result.dataset_id]
        keys = list(zip(test["strategy"], test["config_key"], strict=True))
        failed = ~test["status"].eq("ok").to_numpy()
        folds = np.array([fs if not bad else [np.nan] * 3
                          for fs, bad in zip(test["fold_scores"], failed, strict=True)], float)
        if folds.ndim != 2 or folds.shape[1] != 3:
            continue
        failed |= np.isnan(folds).any(axis=1)
        top1, sbs = keys.index(result.top1_key), keys.index(result.sbs_key)
        for k in range(3):
            others = [j for j in range(3) if j != k]
            scored = _fold_normalized(folds[:, others].mean(axis=1), failed)
            oracle = int(np.argmax(np.where(failed, -np.inf, folds[:, k])))
            row = {"family": result.family, "fold": k, "top1": scored[top1],
                   "sbs": scored[sbs], "oracle": scored[oracle], "vbs": scored.max()}
            # The same choices scored on 1 and on 3 folds.
            for n_folds, columns in ((1, [k]), (3, [0, 1, 2])):
                on = _fold_normalized(folds[:, columns].mean(axis=1), failed)
                row[f"top1_{n_folds}"], row[f"sbs_{n_folds}"] = on[top1], on[sbs]
            rows.append(row)
    table = pd.DataFrame(rows)

    def closed(part, column, sbs="sbs"):
        return (part[column] - part[sbs]).sum() / (1.0 - part[sbs]).sum()

    print("Noise ceiling: choose on one fold, score on the other two (each fold in turn).")
    for family, part in [*table.groupby("family"), ("overall", table)]:
        print(f"{family}: gap closed on the two other folds: top-1 {closed(part, 'top1'):.2f}, "
              f"one-fold oracle {closed(part, 'oracle'):.2f}; the top-1 scored on 1 / 2 / 3 "
              f"folds: {closed(part, 'top1_1', 'sbs_1'):.2f} / {closed(part, 'top1'):.2f} / "
              f"{closed(part, 'top1_3', 'sbs_3'):.2f}")
    return table


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
    parser.add_argument("--ceiling", action="store_true",
                        help="also print the noise ceiling of the quality measure")
    args = parser.parse_args(argv)
    if not args.skip_throughput:
        throughput(args.corpus)
    if not args.skip_quality:
        kb = open_kb(args.kb)
        results = quality(kb, args.corpus, seed=args.seed,
                          families=args.families.split(","))
        if args.ceiling:
            noise_ceiling(kb, results)


if __name__ == "__main__":
    main()
