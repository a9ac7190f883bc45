"""Why the priors differ: their rankings replayed on the stored results.

For every stored dataset ``D`` of the knowledge base, the learners of
``bench_selection.py``'s skmeta, static and size systems
(``skbench.systems.LEARNER_PARAMS``) are built without ``D``'s fold of KEEL
families (``skbench.held_out.fold_of``: 5 folds, so 5 learners per prior
instead of one per family) and rank ``D``'s own stored configurations (its
main protocol). Printed per task (regression, binary, multiclass): the mean
normalized score (:func:`skmeta.selection.normalized_scores`: 1 the best
stored configuration of ``D``, 0 the median) of the top-ranked configuration
and the best of the top 3 and top 10, the share of datasets where the
meta-feature prior's top 1 beats the static one, and the Spearman correlation
between each ranking and ``D``'s true scores. No model is fitted on ``D``'s
data: it is what the prior alone brings, before the search adapts (the
search's ten evaluations do not follow the ranking's top 10 exactly: the
adjuster spreads them over strategies and moves in configuration space).

Usage::

    python benchmarks/bench_prior_replay.py [--kb FILE] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from skbench.held_out import N_SETTINGS_FOLDS, family_groups, fold_of
from skbench.inputs import DEFAULT_CORPUS, open_kb
from skbench.systems import LEARNER_PARAMS

from skmeta import MetaLearner
from skmeta.adjust import AdjusterSettings
from skmeta.learner.training_data import task_family
from skmeta.selection import main_protocol, normalized_scores

PRIORS = {"meta-features": {}, **LEARNER_PARAMS}
TOP = (1, 3, 10)


def replay_fold(kb, fold, held_out, runs, metafeatures):
    """One row per (held-out dataset, prior): the normalized scores of its top k."""
    rows = []
    # Given, not learned by replay: only the performance model's ranking is used.
    settings = {f: AdjusterSettings() for f in ("classification", "regression")}
    for prior, params in PRIORS.items():
        start = time.perf_counter()
        learner = MetaLearner.from_knowledge_base(
            kb, exclude=list(held_out.index), adjuster_settings=settings,
            random_state=0, n_jobs=1, **params)
        for dataset_id, task in held_out["task"].items():
            family = task_family(task)
            own = runs[runs["dataset_id"] == dataset_id]
            own = own[own["status"] == "ok"]
            if len(own) < 2 or family not in learner.performance_models_:
                continue
            model = learner.performance_models_[family]
            predicted = model.predict(metafeatures.loc[dataset_id],
                                      own["strategy"].tolist(), own["config"].tolist())
            order = np.argsort(-predicted, kind="stable")
            truth = own["normalized"].to_numpy()
            rows.append({"dataset_id": dataset_id, "task": task, "prior": prior,
                         "fold": fold,
                         **{f"top{k}": truth[order[:k]].max() for k in TOP},
                         # NaN where every prediction is the same
                         "spearman": spearmanr(predicted, truth).statistic})
        seconds = time.perf_counter() - start
        print(f"  fold {fold} {prior}: {seconds:.0f} s", flush=True)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path,
                        default=Path("skmeta/data/knowledge_base.json.gz"))
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    kb = open_kb(args.kb)
    groups = family_groups(kb, args.corpus)
    datasets = kb.datasets()
    runs = main_protocol(kb.evaluations())
    runs = runs.assign(normalized=normalized_scores(runs).to_numpy())
    metafeatures = kb.metafeatures()
    fold = datasets["name"].map(lambda n: fold_of(groups.get(n, n)))
    rows = []
    for f in range(N_SETTINGS_FOLDS):
        rows += replay_fold(kb, f, datasets[fold == f], runs, metafeatures)
    table = pd.DataFrame(rows)
    print(f"\n{table['dataset_id'].nunique()} datasets, {len(PRIORS)} priors; mean "
          "normalized score of the best of the top k, Spearman of the ranking:")
    summary = table.groupby(["task", "prior"])[[f"top{k}" for k in TOP] + ["spearman"]]
    print(summary.mean().round(3).to_string())
    wide = table.pivot(index="dataset_id", columns="prior", values="top1")
    tasks = table.drop_duplicates("dataset_id").set_index("dataset_id")["task"]
    for task, ids in tasks.groupby(tasks).groups.items():
        part = wide.loc[ids]
        for other in LEARNER_PARAMS:
            wins = (part["meta-features"] > part[other]).mean()
            losses = (part["meta-features"] < part[other]).mean()
            print(f"{task}: top 1 of the meta-feature prior above the {other} one's on "
                  f"{wins:.0%} of {len(part)} datasets, below on {losses:.0%}")


if __name__ == "__main__":
    main()
