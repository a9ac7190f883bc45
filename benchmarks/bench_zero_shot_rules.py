"""Which rule should choose the zero-shot pick? Held-out, on the corpus.

The zero-shot pick (``n_evaluations=1``) is the candidate with the best
predicted normalized score, less ``ZERO_SHOT_COST_WEIGHT`` per doubling of
its predicted cost, among those predicted no slower than
HistGradientBoosting's defaults (``skmeta._meta_search``). This benchmark
asks whether another rule over the same leave-one-family-out meta-models
would pick better, and prints each rule's test scores beside
HistGradientBoosting's defaults (``hgb-default`` of ``bench_selection.py``):

- ``current``: the rule above (the pick of ``MetaRegressor`` /
  ``MetaClassifier``, before the wild-target check);
- ``lcb``: a lower confidence bound, the prediction less ``LCB_WIDTH`` times
  the spread of the forests' trees (a risk-aware choice);
- ``size-vote``: the mean normalized score of each candidate on the
  ``SIZE_NEIGHBOURS`` training datasets nearest in log rows;
- ``size-blend``: the mean of the prediction and the size vote.

Every rule keeps the cost price and bound. Each distinct pick is fitted
once on the 75 % training split (``outer_split``, one core) and scored on
the rest (R^2, balanced accuracy). The normalized score and the rank are
``bench_selection.py``'s, among the rules and hgb-default; seconds are the
pick's fit alone, one core, and are not compared here.

Usage (from the repository root; the settings cache is
``bench_selection.py``'s, beside ``--results``)::

    python benchmarks/bench_zero_shot_rules.py --results /tmp/rules.csv \\
        --datasets pmlb_537_houses,rdata_boot_amis --seeds 0,1

and ``--report-only --results <csv>`` prints the tables of a finished run.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from pathlib import Path
from types import SimpleNamespace

os.environ.setdefault("PYTHONWARNINGS", "ignore")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from skbench.held_out import HeldOutLearner, fold_of  # noqa: E402
from skbench.inputs import DEFAULT_CORPUS, load_corpus  # noqa: E402
from skbench.runner import _worker_state, prepare_split  # noqa: E402
from skbench.scoring import holdout_score, score_table  # noqa: E402
from skbench.systems import fit_default  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from skmeta._final_model import refit_configuration  # noqa: E402
from skmeta._meta_search import ZERO_SHOT_REFERENCE  # noqa: E402
from skmeta.adjust.warm_start import (  # noqa: E402
    ZERO_SHOT_COST_WEIGHT,
    warm_start_from_predictions,
)
from skmeta.datasets import Dataset  # noqa: E402
from skmeta.knowledge.records import config_key  # noqa: E402
from skmeta.learner import task_family  # noqa: E402
from skmeta.selection import main_protocol, normalized_scores  # noqa: E402
from skmeta.selection.performance import candidate_features  # noqa: E402
from skmeta.strategies import resolve_portfolio  # noqa: E402

#: How many tree spreads the ``lcb`` rule subtracts.
LCB_WIDTH = 1.0
#: Training datasets that vote in ``size-vote`` and ``size-blend``.
SIZE_NEIGHBOURS = 10
RULES = ("current", "lcb", "size-vote", "size-blend")
KB = Path(__file__).resolve().parents[1] / "skmeta" / "data" / "knowledge_base.json.gz"


def tree_spread(model, metafeatures, strategies, configs):
    """Per candidate: the spread (std) of the performance model's trees,
    blended as its predictions are (``shared_weight`` on the grid)."""
    scaled = model.scaler_.transform(metafeatures)
    design = np.hstack([np.repeat(scaled, len(strategies), axis=0),
                        candidate_features(model.portfolio, strategies, configs)])
    forest, shared_forest = model.forest_, model.shared_forest_
    weight = model.shared_weight
    spread = forest.arrays["value"][forest.apply(design)][:, :, 0].std(axis=0)
    if shared_forest is not None:
        shared = shared_forest.arrays["value"][shared_forest.apply(scaled)][:, 0, :]
        by_key = dict(zip(model.shared_keys_, shared.std(axis=0), strict=True))
        keys = zip(strategies, map(config_key, configs), strict=True)
        for j, key in enumerate(keys):
            if key in by_key:
                spread[j] = weight * by_key[key] + (1 - weight) * spread[j]
    return spread


def size_vote(grid, rows, train_ids, n_rows, keys):
    """Mean normalized score of each candidate on the training datasets
    nearest in log rows (NaN where none of them evaluated it).

    ``rows`` are the stored tables' whole row counts, ``n_rows`` the rows
    the new dataset is fitted on (a training split: about 0.3 less in log).
    """
    log_rows = np.log(rows.reindex(train_ids).to_numpy(float))
    order = np.argsort(np.abs(log_rows - np.log(n_rows)), kind="stable")
    votes = grid.reindex([train_ids[i] for i in order[:SIZE_NEIGHBOURS]])
    return np.array([votes[key].mean() if key in votes.columns else np.nan
                     for key in keys])


def rule_picks(learner, dataset, grid, rows):
    """Rule -> (strategy, config) of the zero-shot pick, on ``dataset``."""
    task, family = dataset.task, task_family(dataset.task)
    metafeatures = learner.metafeatures_of(dataset)
    ranked = learner._rank(family, task, metafeatures)
    strategies, configs = ranked["strategy"].tolist(), ranked["config"].tolist()
    predicted = ranked["predicted_score"].to_numpy()
    log_cost = np.log2(learner.predicted_seconds(task, metafeatures, strategies,
                                                 configs))
    [reference] = resolve_portfolio([ZERO_SHOT_REFERENCE], task)
    bound = np.log2(1.001 * learner.predicted_seconds(
        task, metafeatures, [reference.name], [reference.default_config()])[0])
    spread = tree_spread(learner.performance_models_[family], metafeatures,
                         strategies, configs)
    keys = list(zip(strategies, map(config_key, configs), strict=True))
    vote = size_vote(grid, rows, list(learner.nearest_[family].dataset_ids_),
                     dataset.n_samples, keys)
    utilities = {
        "current": predicted,
        "lcb": predicted - LCB_WIDTH * spread,
        "size-vote": np.where(np.isfinite(vote), vote, -np.inf),
        "size-blend": np.where(np.isfinite(vote), 0.5 * (vote + predicted),
                               predicted),
    }
    # Each rule's utility takes the prediction's place in the estimators'
    # own zero-shot choice (cost price and bound included).
    portfolio = resolve_portfolio(sorted(set(strategies)), task)
    picks = {}
    for rule, utility in utilities.items():
        start = warm_start_from_predictions(
            portfolio, strategies, configs, utility, log_cost,
            first_cost_weight=ZERO_SHOT_COST_WEIGHT, max_log_cost=bound)
        name = portfolio[start.first].name
        picks[rule] = name, start.configurations[name][0]
    return picks


def run_pair(state, corpus_dataset, seed, grid, rows):
    """One (table, seed): every rule's pick fitted and scored, and hgb-default."""
    X_train, X_test, y_train, y_test, _, constant, _ = prepare_split(
        corpus_dataset, seed, None)
    task = corpus_dataset.task
    learner = HeldOutLearner(state["kb"], corpus_dataset.name, state["groups"],
                             state["settings"], 1)()
    data = Dataset(X_train, y_train, task=task)
    portfolio = {s.name: s for s in resolve_portfolio("default", task)}
    row = {"dataset": corpus_dataset.name, "seed": seed, "task": task,
           "n_rows": corpus_dataset.n_samples, "constant": constant}
    fitted = {}
    for rule, (name, config) in rule_picks(learner, data, grid, rows).items():
        key = (name, config_key(config))
        if key not in fitted:
            began = time.perf_counter()
            model, _ = refit_configuration(portfolio[name], config, data.X, data.y,
                                           None, 1)
            seconds = time.perf_counter() - began
            score = (np.nan if model is None
                     else holdout_score(task, y_test, model.predict(X_test)))
            fitted[key] = score, seconds
        row[rule], row[f"{rule}_seconds"] = fitted[key]
        row[f"{rule}_pick"] = name
    began = time.perf_counter()
    model, _ = fit_default(X_train, y_train, task, kind="hgb", seed=seed, n_jobs=1)
    row["hgb_seconds"] = time.perf_counter() - began
    row["hgb-default"] = holdout_score(task, y_test, model.predict(X_test))
    return row


def report(results):
    """Mean score, mean normalized score and rank (``bench_selection.py``'s
    :func:`~skbench.scoring.score_table`, among the rules and hgb-default),
    and wins/losses against hgb-default, per task family and size class."""
    systems = [*RULES, "hgb-default"]
    seconds = {rule: f"{rule}_seconds" for rule in RULES}
    seconds["hgb-default"] = "hgb_seconds"
    long = pd.concat([
        results[["dataset", "seed", "constant"]].assign(
            system=system, score=results[system], seconds=results[seconds[system]])
        for system in systems])
    size = pd.cut(results["n_rows"], [0, 1000, 5000, np.inf],
                  labels=["< 1,000", "1,000-5,000", "> 5,000"])
    family = results["task"].map(task_family)
    groups = results.groupby([family, size], observed=True).groups
    for (fam, cls), index in groups.items():
        pairs = results.loc[index, ["dataset", "seed"]]
        part = long.merge(pairs, on=["dataset", "seed"])
        summary = score_table(part, systems)[0]
        scores, hgb = results.loc[index, systems], results.loc[index, "hgb-default"]
        summary.insert(0, "mean_score", scores.mean())
        summary["wins/losses vs hgb"] = [f"{(scores[s] > hgb + 1e-3).sum()}/"
                                         f"{(scores[s] < hgb - 1e-3).sum()}"
                                         for s in systems]
        print(f"\n{fam} {cls} rows ({len(index)} pairs):")
        # Seconds are not compared: the picks' fits are timed alone.
        print(summary.drop(columns=["failures", "median_seconds", "p95_seconds"])
              .round(4).to_string())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=DEFAULT_CORPUS)
    parser.add_argument("--kb", default=str(KB))
    parser.add_argument("--datasets", default="", help="comma-separated names")
    parser.add_argument("--seeds", default="0,1")
    parser.add_argument("--results", type=Path, required=True)
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if args.report_only:
        report(pd.read_csv(args.results))
        return
    names, seeds = args.datasets.split(","), [int(s) for s in args.seeds.split(",")]
    state = _worker_state(SimpleNamespace(kb=args.kb, corpus=args.corpus,
                                          results=args.results, n_jobs=1,
                                          parallel_fits=1))
    state["settings"].prepare(fold_of(state["groups"].get(n, n)) for n in names)
    evaluations = main_protocol(state["kb"].evaluations())
    grid = (evaluations.assign(normalized=normalized_scores(evaluations).to_numpy())
            .groupby(["dataset_id", "strategy", "config_key"])["normalized"].mean()
            .unstack(["strategy", "config_key"]))
    rows = state["kb"].datasets()["n_samples"]
    done = pd.read_csv(args.results) if args.results.is_file() else pd.DataFrame()
    for corpus_dataset in load_corpus(args.corpus, names):
        for seed in seeds:
            if len(done) and ((done["dataset"] == corpus_dataset.name)
                              & (done["seed"] == seed)).any():
                continue
            with threadpool_limits(1):  # one core per fit, as bench_selection.py
                row = run_pair(state, corpus_dataset, seed, grid, rows)
            print(corpus_dataset.name, seed,
                  {r: round(row[r], 4) for r in [*RULES, "hgb-default"]}, flush=True)
            done = pd.concat([done, pd.DataFrame([row])], ignore_index=True)
            done.to_csv(args.results, index=False)
    report(done)


if __name__ == "__main__":
    main()
