"""Contaminated and heavy-tailed regression targets: does any system collapse?

Four cases, each on a fixed set of corpus regression tables (below), each
split 75/25 by ``outer_split`` with seeds 0 and 1:

- ``contaminated``: one of 20 tables whose target is tame, with a few
  training targets made extreme: 3 training rows drawn at random get
  ``factor x`` the training target's 99th percentile, ``factor`` drawn
  uniformly from 10 to 100 (the test rows are left as they are);
- ``one-extreme``: the same with one such row (the issue's table had one,
  12 x the 99th percentile), so the mean, and the constant predictor, is
  less spoilt;
- ``clean``: the same tables and splits without contamination (what the
  fix must not hurt);
- ``heavy``: the corpus's real count, cost and heavy-tailed targets as they
  are, picked by the tail ratio ``(max - median) / (99th percentile -
  median) >= 2.8`` or skewness >= 4, at most 10,000 rows.

Systems, side by side in one run, one core each: ``skmeta-10`` and
``skmeta-1`` (zero-shot; ``MetaRegressor`` with the shipped meta-learner,
as a user gets it), the constant predictor (the training mean),
``rs-20-cheap`` (the user's ``RandomizedSearchCV``) and ``hgb-default``
(see ``PROTOCOL.md``). Printed: test R^2 per table, seed and system, and per
case and system the mean and median R^2, the mean of R^2 clipped below at
the constant's minus one, the collapse count (a test R^2 more than 0.1
below the constant predictor's where ``rs-20-cheap``'s is not) and the
median wall seconds of a fit, and the median over pairs of its seconds over
``hgb-default``'s (a ratio within one run; borrowed rows come from another).

The shipped meta-learner has seen the clean corpus tables (not their
contamination): its zero-shot picks on ``clean`` and ``heavy`` are
optimistic; the collapses this benchmark looks for come from the targets.

Usage (from the repository root; rows are appended to ``--results`` and
skipped on a rerun, so a run resumes, and ``--report-only`` prints)::

    nice -n 5 python benchmarks/bench_contaminated.py --results /tmp/contaminated.csv
    python benchmarks/bench_contaminated.py --cases contaminated --seeds 0 \\
        --tables sklearn_diabetes --systems skmeta-10,constant
    python benchmarks/bench_contaminated.py --results /tmp/contaminated.csv \
        --report-only --baseline-label main

Options: ``--corpus``, ``--cases contaminated,one-extreme,clean,heavy``,
``--tables a,b``
(default: every table of the cases), ``--seeds 0,1``, ``--systems``,
``--results``, ``--label`` (a name for the code under test, a column of
the results: compare two versions of skmeta in one file), ``--baseline-label``
(in the report, systems a label did not run come from this label's rows:
rerun only skmeta after a change of skmeta), ``--report-only``.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from pathlib import Path

os.environ.setdefault("PYTHONWARNINGS", "ignore")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from skbench.inputs import DEFAULT_CORPUS, load_corpus  # noqa: E402
from skbench.runner import outer_split  # noqa: E402
from skbench.scoring import constant_predictor, holdout_score  # noqa: E402
from skbench.systems import fit_system  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

#: Tame targets (tail ratio below 2.2), 150 to 3,000 rows, made contaminated.
CONTAMINATED = (
    "sklearn_diabetes", "rdata_islr_carseats", "rdata_aer_caschools",
    "rdata_islr_credit", "rdata_cardata_salaries", "rdata_aer_houseprices",
    "rdata_modeldata_concrete", "rdata_openintro_babies", "rdata_mass_nlschools",
    "rdata_islr_wage", "pmlb_522_pm10", "rdata_islr_hitters", "pmlb_547_no2",
    "rdata_histdata_galtonfamilies", "rdata_modeldata_biomass", "rdata_ecdat_diamond",
    "rdata_modeldata_car_prices", "rdata_openintro_satgpa", "pmlb_712_chscase_geyser1",
    "pmlb_1027_esl",
)
#: Real heavy-tailed targets: counts (visits, publications, stays, offences),
#: costs and gifts, profits; tail ratio >= 2.8 or skewness >= 4.
HEAVY = (
    "rdata_aer_recreationdemand", "rdata_islr_college", "rdata_aer_phdpublications",
    "rdata_aer_medicaid1986", "rdata_count_medpar", "rdata_hsaur_forbes2000",
    "rdata_wooldridge_crime1", "rdata_wooldridge_charity",
    "pmlb_557_analcatdata_apnea1",
    "rdata_count_rwm1984",
)
CASES = {"contaminated": CONTAMINATED, "one-extreme": CONTAMINATED,
         "clean": CONTAMINATED, "heavy": HEAVY}
#: Training rows made extreme, per case.
N_EXTREME = {"contaminated": 3, "one-extreme": 1}
SYSTEMS = ("skmeta-10", "skmeta-1", "constant", "rs-20-cheap", "hgb-default")
#: How far below the constant predictor's test R^2 is a collapse.
COLLAPSE = 0.1


def contaminate(y, seed, n_extreme=3):
    """``y`` with ``n_extreme`` entries set to 10-100 x its 99th percentile.

    >>> y = np.arange(100.0)
    >>> wild = contaminate(y, 0)
    >>> int((wild != y).sum()), bool(wild.max() > 10 * np.quantile(y, 0.99))
    (3, True)
    """
    rng = np.random.default_rng(seed)
    y = np.array(y, dtype=float)
    rows = rng.choice(len(y), size=n_extreme, replace=False)
    scale = abs(np.quantile(y, 0.99)) or np.ptp(y) or 1.0
    y[rows] = rng.uniform(10, 100, size=n_extreme) * scale
    return y


def fit_and_score(system, X_train, y_train, X_test, y_test, seed):
    """Fit one system on one core; its test R^2, seconds and error."""
    start = time.perf_counter()
    try:
        with warnings.catch_warnings(), threadpool_limits(1):
            warnings.simplefilter("ignore")
            if system == "constant":
                model = constant_predictor("regression").fit(X_train, y_train)
            else:
                model, _ = fit_system(system, X_train, y_train, "regression",
                                      learner=None, folds=5, seed=seed, n_jobs=1,
                                      skmeta_cv="default")
            score = holdout_score("regression", y_test, model.predict(X_test))
        return score, time.perf_counter() - start, ""
    except Exception as exc:  # recorded, the run goes on
        return np.nan, time.perf_counter() - start, f"{type(exc).__name__}: {exc}"[:300]


def _done(path):
    if not path.is_file():
        return set()
    rows = pd.read_csv(path)
    return set(zip(rows["label"], rows["case"], rows["dataset"], rows["seed"],
                   rows["system"], strict=True))


def run(args):
    """Fit every pending (case, table, seed, system); append rows as they finish."""
    done = _done(args.results)
    for case in args.cases:
        names = [n for n in CASES[case] if not args.tables or n in args.tables]
        for dataset in load_corpus(args.corpus, names):
            for seed in args.seeds:
                pending = [s for s in args.systems
                           if (args.label, case, dataset.name, seed, s) not in done]
                if not pending:
                    continue
                X_train, X_test, y_train, y_test = outer_split(dataset, seed, 20000)
                if case in N_EXTREME:
                    y_train = contaminate(y_train, seed, N_EXTREME[case])
                for system in pending:
                    score, seconds, error = fit_and_score(system, X_train, y_train,
                                                          X_test, y_test, seed)
                    row = {"label": args.label, "case": case, "dataset": dataset.name,
                           "seed": seed, "system": system, "r2": score,
                           "seconds": round(seconds, 2), "n_train": len(y_train),
                           "error": error}
                    pd.DataFrame([row]).to_csv(args.results, mode="a", index=False,
                                               header=not args.results.is_file())
                    print(f"{case} {dataset.name} seed={seed} {system}: "
                          f"{score:.4f} ({seconds:.1f} s) {error}", flush=True)


def collapses(table, system):
    """(case, dataset, seed) rows where ``system`` collapses: R^2 more than
    ``COLLAPSE`` below the constant's where ``rs-20-cheap``'s is not."""
    floor = table["constant"] - COLLAPSE
    return (table[system] < floor) & (table["rs-20-cheap"] >= floor)


def _median_ratio(seconds, system):
    """Median over pairs of a system's seconds over hgb-default's in the same run."""
    if "hgb-default" not in seconds:
        return np.nan
    return (seconds[system] / seconds["hgb-default"].clip(lower=0.01)).median()


def report(path, baseline_label=None):
    """Per label (code version): R^2 per table and seed, then per case the
    mean, the median, the clipped mean and the collapses.

    With ``baseline_label``, a label's missing systems are taken from that
    label's rows (systems whose code did not change need not be rerun).
    """
    rows = pd.read_csv(path)
    for name, part in rows.groupby("label", sort=False):
        if baseline_label is not None and name != baseline_label:
            borrowed = rows[(rows["label"] == baseline_label)
                            & ~rows["system"].isin(part["system"].unique())]
            part = pd.concat([part, borrowed])
        table = part.pivot_table(index=["case", "dataset", "seed"], columns="system",
                                 values="r2")
        seconds = part.pivot_table(index=["case", "dataset", "seed"], columns="system",
                                   values="seconds")
        systems = [s for s in SYSTEMS if s in table.columns]
        table = table[systems].dropna()
        print(f"\n== {name}: test R^2 ({len(table)} table-seed pairs) ==")
        with pd.option_context("display.width", 200, "display.max_rows", 500):
            print(table.round(3).to_string())
        if "constant" not in table or "rs-20-cheap" not in table:
            continue
        summary = {}
        for case, block in table.groupby(level="case", sort=False):
            floor = block["constant"] - 1.0
            for system in systems:
                summary[(case, system)] = {
                    "mean R2": block[system].mean(),
                    "median R2": block[system].median(),
                    "mean R2 (clipped at constant-1)":
                        block[system].clip(lower=floor).mean(),
                    "collapses": int(collapses(block, system).sum()),
                    "pairs": len(block),
                    "median seconds": seconds.loc[block.index, system].median(),
                    "median x hgb": _median_ratio(seconds.loc[block.index], system),
                }
        print(f"\n== {name}: per case ==")
        print(pd.DataFrame(summary).T.round(3).to_string())


def main(argv=None):
    """Run the pending fits (unless ``--report-only``), then print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--tables", default="")
    parser.add_argument("--seeds", default="0,1")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--results", type=Path,
                        default=Path("benchmarks/results/contaminated.csv"))
    parser.add_argument("--label", default="current")
    parser.add_argument("--baseline-label",
                        help="report: take a label's missing systems from this label")
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args(argv)
    args.cases = [c for c in args.cases.split(",") if c]
    args.tables = [t for t in args.tables.split(",") if t]
    args.seeds = [int(s) for s in args.seeds.split(",") if s]
    args.systems = [s for s in args.systems.split(",") if s]
    unknown = (sorted(set(args.systems) - set(SYSTEMS))
               + sorted(set(args.cases) - set(CASES)))
    if unknown:
        parser.error(f"unknown systems or cases {unknown}")
    if not args.report_only:
        args.results.parent.mkdir(parents=True, exist_ok=True)
        run(args)
    report(args.results, args.baseline_label)


if __name__ == "__main__":
    main()
