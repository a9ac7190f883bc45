"""What else was tried for the top-1 recommendation: variants of its model.

``bench_metatrain.py`` measures the shipped performance model. This script
measures variants of its *shared-grid* half (an extra-trees forest from a
dataset's meta-features to the normalized scores of the configuration grid
every stored dataset has evaluated; alone it closes the same share of the
SBS-VBS gap as the blend that ships, 0.42) under the same leave-one-dataset-out
protocol with families held out together, so that a variant's figure can be
read against the default's printed in the same run:

- ``default``: the shipped forest (300 trees, ``min_samples_leaf=2``,
  ``max_features=0.3``), with the forest's seed 0, 1, 2 for its spread;
- targets: per-dataset ranks instead of normalized scores; normalized scores
  floored at 0 or -0.5 (only the top of a dataset's grid matters to an
  argmax; failures and configurations at the floor of the scale stay at -1),
  or clipped at 0 (all of them); ``exp(3 x)`` of the normalized score; a
  low-rank (3-12 components) reconstruction of the training grid (denoised);
- the choice: among the SBS's top 10 / 20 only; shrunk towards the training
  mean; risk-averse (mean minus 0.5 / 1 standard deviation over the trees);
- the forest: ``min_samples_leaf`` 1 / 5, ``max_features`` 0.1 / 1.0;
- meta-features: landmarkers only; landmarkers and size measures.

Usage::

    python benchmarks/bench_top1_variants.py [--kb FILE] [--variants default,rank,...]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from skbench.inputs import DEFAULT_CORPUS, keel_family, open_kb
from sklearn.ensemble import ExtraTreesRegressor

from skmeta.learner.training_data import reproducible_metafeatures as _reproducible
from skmeta.selection import main_protocol, normalized_scores
from skmeta.selection.neighbors import MetaFeatureScaler

SIZE_MEASURES = {
    "log_n_rows", "log_n_features", "n_classes", "categorical_fraction",
    "log_dimensionality", "missing_fraction", "class_balance", "imbalance_ratio",
    "rows_per_feature", "n_rows", "n_features",
}


def is_landmarker(name):
    return name.startswith("lm_")


VARIANTS = {
    "default": {},
    "seed 1": {"seed": 1},
    "seed 2": {"seed": 2},
    "rank target": {"target": "rank"},
    "floor 0": {"floor": 0.0},
    "floor -0.5": {"floor": -0.5},
    "clip at 0": {"target": "clipped"},
    "exp(3 x) target": {"target": "exp"},
    "low rank 3": {"rank": 3},
    "low rank 5": {"rank": 5},
    "low rank 8": {"rank": 8},
    "low rank 12": {"rank": 12},
    "SBS top 10": {"top_k": 10},
    "SBS top 20": {"top_k": 20},
    "shrink 0.3": {"shrink": 0.3},
    "risk 0.5": {"risk": 0.5},
    "risk 1": {"risk": 1.0},
    "leaf 1 max_features 0.1": {"leaf": 1, "max_features": 0.1},
    "leaf 5": {"leaf": 5},
    "max_features 1": {"max_features": 1.0},
    "landmarkers": {"columns": is_landmarker, "max_features": 1.0},
    "landmarkers + size": {
        "columns": lambda c: is_landmarker(c) or c in SIZE_MEASURES, "max_features": 0.5},
    "landmarkers + size max_features 1": {
        "columns": lambda c: is_landmarker(c) or c in SIZE_MEASURES, "max_features": 1.0},
}


def load(kb, corpus):
    """Per task family: meta-features, the normalized grid, the groups."""
    manifest = pd.read_csv(Path(corpus) / "manifest.csv").set_index("name")
    datasets = kb.datasets()
    runs = main_protocol(kb.evaluations())
    runs = runs.assign(normalized=normalized_scores(runs))
    metafeatures = kb.metafeatures()
    families = {}
    for family, tasks in (("classification", ["binary", "multiclass"]),
                          ("regression", ["regression"])):
        ids = datasets.index[datasets["task"].isin(tasks)]
        grid = runs[runs["dataset_id"].isin(ids)].drop_duplicates(
            subset=["dataset_id", "strategy", "config_key"]).pivot(
            index="dataset_id", columns=["strategy", "config_key"], values="normalized")
        names = datasets.loc[ids, "name"]
        families[family] = {
            "X": _reproducible(metafeatures.loc[ids]).dropna(axis=1, how="all"),
            "Y": grid.loc[ids],
            "groups": np.array([keel_family(n, manifest["origin"].get(n)) for n in names]),
        }
    return families


def recommend(X_train, Y_train, x_test, available, *, seed=0, target="normalized",
              floor=None, rank=None, top_k=None, shrink=0.0, risk=0.0, leaf=2,
              max_features=0.3, columns=None):
    """Index of the recommended grid configuration for one held-out dataset."""
    if columns is not None:
        keep = [c for c in X_train.columns if columns(c)]
        X_train, x_test = X_train[keep], x_test[keep]
    scaler = MetaFeatureScaler().fit(X_train)
    T = Y_train.to_numpy()
    if target == "rank":
        T = pd.DataFrame(T).rank(axis=1, pct=True).to_numpy()
    elif target == "clipped":
        T = np.maximum(T, 0.0)
    elif target == "exp":
        T = np.exp(3.0 * T)
    if floor is not None:
        T = np.where(T <= -1.0, -1.0, np.maximum(T, floor))
    if rank is not None:
        mean = T.mean(axis=0)
        U, S, Vt = np.linalg.svd(T - mean, full_matrices=False)
        T = (U[:, :rank] * S[:rank]) @ Vt[:rank] + mean
    forest = ExtraTreesRegressor(n_estimators=300, min_samples_leaf=leaf,
                                 max_features=max_features, random_state=seed,
                                 n_jobs=1).fit(scaler.transform(X_train), T)
    x = scaler.transform(x_test)
    per_tree = np.array([tree.predict(x)[0] for tree in forest.estimators_])
    predicted = per_tree.mean(axis=0) - risk * per_tree.std(axis=0)
    predicted = (1 - shrink) * predicted + shrink * T.mean(axis=0)
    if top_k is not None:
        allowed = np.zeros(len(predicted), bool)
        allowed[np.argsort(-Y_train.mean().to_numpy())[:top_k]] = True
        predicted = np.where(allowed, predicted, -np.inf)
    return int(np.argmax(np.where(available, predicted, -np.inf)))


def gap_closed(families, options):
    """Share of the SBS-VBS gap closed, per family and overall."""
    closed, totals = {}, np.zeros(2)
    for family, data in families.items():
        X, Y, groups = data["X"], data["Y"], data["groups"]
        gained = gap = 0.0
        for k in range(len(Y)):
            train = groups != groups[k]
            scores = Y.iloc[k].to_numpy()
            available = ~np.isnan(scores)
            sbs_rank = np.where(available, Y[train].mean().to_numpy(), -np.inf)
            sbs = scores[int(np.argmax(sbs_rank))]
            chosen = recommend(X[train], Y[train], X.iloc[k], available, **options)
            gained += scores[chosen] - sbs
            gap += np.nanmax(scores) - sbs
        closed[family] = gained / gap
        totals += (gained, gap)
    closed["overall"] = totals[0] / totals[1]
    return closed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--kb", type=Path, help="knowledge base (default: the shipped one)")
    parser.add_argument("--variants", help="comma-separated names (default: all)")
    args = parser.parse_args(argv)
    kb = open_kb(args.kb)
    names = args.variants.split(",") if args.variants else list(VARIANTS)
    unknown = sorted(set(names) - set(VARIANTS))
    if unknown:
        parser.error(f"unknown variants {unknown}; choose from {list(VARIANTS)}")
    families = load(kb, args.corpus)
    print("SBS-VBS gap closed by the top-1 of the shared-grid forest alone "
          "(overall, classification, regression):")
    for name in names:
        start = time.perf_counter()
        closed = gap_closed(families, VARIANTS[name])
        print(f"  {name:<28} {closed['overall']:.3f} ({closed['classification']:.3f}, "
              f"{closed['regression']:.3f})   [{time.perf_counter() - start:.0f} s]",
              flush=True)


if __name__ == "__main__":
    main()
