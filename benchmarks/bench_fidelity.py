"""Fidelity benchmark: how well cheap evaluations rank configurations.

The knowledge base build (``scripts/build_knowledge_base.py``) scores the
same configurations of a dataset under its main protocol (3-fold on at most
5,000 rows) and, for datasets of at least 2,000 rows, on a 1,000-row
subsample; each evaluation keeps its fold scores. From them alone, with no
new fit, this prints for each cheap protocol against the main one:

- the median Spearman correlation between the configurations' scores;
- the regret of picking by the cheap protocol: the main normalized score
  (median configuration 0, best 1) lost when the best of the cheap
  protocol's top 1 / top 3 is taken instead of the best;
- the cost: the cheap protocol's fit seconds over the main one's.

The cheap protocols are "fold 0" (the first fold of the main protocol, what
skmeta's fold race scores first), "1,000 rows" (3-fold on the subsample) and
"1,000 rows, fold 0".

Then the racing policy learned from the same fold scores
(:func:`skmeta.race_policy.learn_racing_policy`): per task family and size class,
the objective of every promotion margin in simulated races and the one chosen.

Usage::

    python benchmarks/bench_fidelity.py [--kb FILE.sqlite|FILE.json.gz]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from skmeta.knowledge import KnowledgeBase
from skmeta.race_policy import learn_racing_policy
from skmeta.selection import main_protocol

ROOT = Path(__file__).resolve().parents[1]
SUBSAMPLE = " on 1000 rows"


def _first_fold(fold_scores):
    scores = json.loads(fold_scores) if isinstance(fold_scores, str) else fold_scores
    return float(scores[0]) if len(scores) else np.nan


def _normalized(scores):
    """As the meta-models see them: median 0, best 1, floor -1."""
    median, best = np.median(scores), np.max(scores)
    if best <= median:
        return np.zeros_like(scores)
    return np.clip((scores - median) / (best - median), -1.0, 1.0)


def _compare(main, cheap):
    """Agreement of two score vectors over the same configurations."""
    rho = spearmanr(main, cheap).statistic if np.ptp(cheap) > 0 else np.nan
    normalized = _normalized(main)
    order = np.argsort(-cheap, kind="stable")
    return {"spearman": rho, "regret_top1": 1.0 - normalized[order[0]],
            "regret_top3": 1.0 - normalized[order[:3]].max()}


def fidelity_table(kb):
    """One row per (dataset, cheap protocol): agreement with the main one."""
    evaluations = kb.evaluations(status="ok")
    datasets = kb.datasets()
    main = main_protocol(evaluations)
    rows = []
    for dataset_id, runs in main.groupby("dataset_id"):
        runs = runs.drop_duplicates(subset=["strategy", "config_key"])
        if len(runs) < 5:
            continue
        cv = runs["cv"].iloc[0]
        keyed = runs.set_index(["strategy", "config_key"])
        cheap_protocols = {"fold 0": (keyed["score"], keyed["fold_scores"].map(_first_fold),
                                      keyed["fit_seconds"].sum() / 3)}
        sub_cv = cv.removesuffix(" on 5000 rows") + SUBSAMPLE
        sub = evaluations[(evaluations["dataset_id"] == dataset_id)
                          & (evaluations["cv"] == sub_cv)]
        sub = sub.drop_duplicates(subset=["strategy", "config_key"]).set_index(
            ["strategy", "config_key"])
        shared = keyed.index.intersection(sub.index)
        if len(shared) >= 5:
            ratio = sub.loc[shared, "fit_seconds"].sum()
            cheap_protocols["1,000 rows"] = (keyed.loc[shared, "score"],
                                             sub.loc[shared, "score"], ratio)
            cheap_protocols["1,000 rows, fold 0"] = (
                keyed.loc[shared, "score"],
                sub.loc[shared, "fold_scores"].map(_first_fold), ratio / 3)
        for name, (full, cheap, seconds) in cheap_protocols.items():
            full_seconds = keyed.loc[full.index, "fit_seconds"].sum()
            rows.append({
                "dataset": datasets.at[dataset_id, "name"],
                "task": datasets.at[dataset_id, "task"],
                "n_samples": datasets.at[dataset_id, "n_samples"],
                "protocol": name,
                "n_configs": len(full),
                **_compare(full.to_numpy(float), cheap.to_numpy(float)),
                "cost": seconds / full_seconds if full_seconds > 0 else np.nan,
            })
    return pd.DataFrame(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path,
                        default=ROOT / "skmeta" / "data" / "knowledge_base.json.gz")
    parser.add_argument("--csv", type=Path, help="also write the per-dataset rows here")
    args = parser.parse_args(argv)
    kb = (KnowledgeBase.from_json(args.kb) if args.kb.name.endswith((".json", ".json.gz"))
          else KnowledgeBase(args.kb))
    table = fidelity_table(kb)
    if args.csv:
        table.to_csv(args.csv, index=False)
    table["family"] = np.where(table["task"] == "regression", "regression",
                               "classification")
    table["size"] = pd.cut(table["n_samples"], [0, 2000, 5000, np.inf],
                           labels=["< 2,000 rows", "2,000-5,000", "> 5,000"])
    summary = table.groupby(["protocol", "family", "size"], observed=True).agg(
        datasets=("dataset", "size"), spearman=("spearman", "median"),
        regret_top1=("regret_top1", "mean"), regret_top3=("regret_top3", "mean"),
        cost=("cost", "median"),
    )
    with pd.option_context("display.width", 140, "display.float_format", "{:.3f}".format):
        print(f"{kb.summary()['n_datasets']} datasets; cheap protocols against the main "
              "one (3-fold on at most 5,000 rows), from the stored evaluations")
        print("spearman: median rank correlation of the configurations' scores; "
              "regret: main normalized score lost (mean) picking the best of the "
              "cheap top 1 / top 3; cost: cheap / main fit seconds (median)")
        print(summary.to_string())
        print_racing_policies(kb)


def print_racing_policies(kb):
    """The racing policy learned per task family, with the objective in
    simulated races of every margin (``skmeta.race_policy.learn_racing_policy``, as a learner of
    the whole knowledge base learns it)."""
    evaluations = main_protocol(kb.evaluations())
    datasets = kb.datasets()
    rows = datasets["n_samples"].to_dict()
    print("\nRacing policies, by races simulated on the stored fold scores "
          "(objective: mean of the regret after 10 evaluations and within 5, 10, 20 "
          "median evaluation times; the chosen margin is the smallest within one "
          "standard error of the best)")
    for family, tasks in (("classification", ("binary", "multiclass")),
                          ("regression", ("regression",))):
        ids = datasets.index[datasets["task"].isin(tasks)]
        policy, results = learn_racing_policy(
            evaluations[evaluations["dataset_id"].isin(ids)], rows)
        print(f"{family}: {policy}")
        print(results.to_string(index=False))


if __name__ == "__main__":
    main()
