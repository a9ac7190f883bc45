"""Do the wild rows of a target look predictable or contaminated?

For ``MetaRegressor``'s rule on targets far beyond the fences
(``skmeta.estimators.UNPREDICTED_WILD_ROWS``): on each training split, the
out-of-fold squared errors of HistGradientBoosting's defaults fit on the
target as it is over those of the same fit on the target clipped to the
fences (:func:`skmeta.guard.error_ratios`), on the rows beyond the fences
("wild") and on the others, 3 folds.

Cases: ``real``, the corpus's regression tables whose 75 % training split
(``outer_split``, seeds 0 and 1) has a target further beyond the fences
than they are apart (``beyond_fences > 1``), up to 8,000 training rows;
``contaminated`` and ``one-extreme``, ``bench_contaminated.py``'s tables
with 3 or 1 training targets set to 10-100 times the 99th percentile.

Usage (from the repository root; prints one row per case, table and seed,
then the range of each ratio per case)::

    python benchmarks/bench_wild_rows.py --results /tmp/wild_rows.csv
"""

from __future__ import annotations

import argparse
import os
import warnings
from pathlib import Path

os.environ.setdefault("PYTHONWARNINGS", "ignore")

import pandas as pd  # noqa: E402
from bench_contaminated import CONTAMINATED, N_EXTREME, contaminate  # noqa: E402
from skbench.inputs import DEFAULT_CORPUS, load_corpus  # noqa: E402
from skbench.runner import outer_split  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from skmeta._zero_shot_check import beyond_fences  # noqa: E402
from skmeta.datasets import Dataset  # noqa: E402
from skmeta.evaluation import evaluate_config, make_cv  # noqa: E402
from skmeta.guard import error_ratios, winsorize  # noqa: E402
from skmeta.strategies import resolve_portfolio  # noqa: E402

#: The largest training split of a ``real`` case (the fits are on one core).
MAX_ROWS = 8000


def ratios(X, y, seed):
    """(rows beyond the fences, how far, wild-row ratio, other-row ratio)."""
    [hgb] = resolve_portfolio(["hist_gradient_boosting"], "regression")
    data = Dataset(X, y, task="regression")
    clipped, _ = winsorize(data.y)
    splits = list(make_cv(3, "regression", data.y, seed).split(data.X, data.y))
    predictions = [
        evaluate_config(hgb, hgb.default_config(), data.X, target, "regression",
                        splits, scoring="r2", return_oof=True).oof_predictions
        for target in (data.y, clipped)
    ]
    wild, others = error_ratios(*predictions, data.y, clipped)
    return int((clipped != data.y).sum()), beyond_fences(data.y), wild, others


def cases(corpus):
    """(case, table, seed, X_train, y_train) of every case."""
    manifest = pd.read_csv(corpus / "manifest.csv")
    for dataset in load_corpus(corpus, manifest.loc[manifest.task == "regression",
                                                    "name"].tolist()):
        for seed in (0, 1):
            X, _, y, _ = outer_split(dataset, seed, 20000)
            if len(y) <= MAX_ROWS and beyond_fences(y) > 1:
                yield "real", dataset.name, seed, X, y
    for dataset in load_corpus(corpus, list(CONTAMINATED)):
        for seed in (0, 1):
            X, _, y, _ = outer_split(dataset, seed, 20000)
            for case, n_extreme in N_EXTREME.items():
                yield case, dataset.name, seed, X, contaminate(y, seed, n_extreme)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--results", type=Path, default=Path("wild_rows.csv"))
    args = parser.parse_args(argv)
    rows = []
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("ignore")
        for case, name, seed, X, y in cases(args.corpus):
            n_wild, beyond, wild, others = ratios(X, y, seed)
            rows.append({"case": case, "dataset": name, "seed": seed, "n_train": len(y),
                         "n_wild": n_wild, "beyond": round(beyond, 2),
                         "wild_ratio": round(wild, 3), "other_ratio": round(others, 3)})
            print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    table.to_csv(args.results, index=False)
    print(table.groupby("case")[["wild_ratio", "other_ratio"]].agg(["min", "max"]))


if __name__ == "__main__":
    main()
