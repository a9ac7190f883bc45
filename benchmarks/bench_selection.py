"""Model-selection benchmark: skmeta against random search, FLAML and fixed defaults.

Leave-one-dataset-out over the corpus: every system is fit on a 75 % split
of each dataset and scored on the other 25 % (balanced accuracy or R²),
skmeta's meta-learner having never seen the dataset nor its KEEL family.
``benchmarks/PROTOCOL.md`` says exactly what each system is and how every
figure and target is computed; the work is done by the ``skbench`` package
beside this script (systems, runner, scoring, report, targets).

Usage::

    python benchmarks/bench_selection.py --quick --n-jobs 1 --parallel-fits 2
    python benchmarks/bench_selection.py --n-jobs 1 --parallel-fits 2  # all
    python benchmarks/bench_selection.py --datasets sklearn_wine,keel_bupa \\
        --seeds 0 --results /tmp/sel.csv
    python benchmarks/bench_selection.py --report-only
    # long runs: nohup python benchmarks/bench_selection.py ... > results/full.log &

Options: ``--kb``, ``--corpus``, ``--datasets a,b``, ``--quick``, ``--seeds
0,1``, ``--systems a,b``, ``--n-jobs 2``, ``--parallel-fits 1``,
``--skmeta-cv default|shared|K``, ``--max-train 20000``, ``--results``,
``--plot``, ``--plot-seconds``, ``--report-only``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pandas as pd

# Worker processes (joblib/loky) inherit this: learners' convergence warnings
# during a search are expected and would only flood the log.
os.environ.setdefault("PYTHONWARNINGS", "ignore")

from skbench.inputs import DEFAULT_CORPUS, ROOT  # noqa: E402
from skbench.report import report  # noqa: E402
from skbench.results import side_file  # noqa: E402
from skbench.runner import run  # noqa: E402
from skbench.systems import SYSTEMS  # noqa: E402

#: A fixed development slice: binary, multiclass and regression datasets of
#: at most ~3000 rows, interleaved so that a partial run covers every task.
QUICK = [
    "sklearn_wine", "sklearn_diabetes", "keel_bupa",
    "rdata_palmerpenguins_penguins", "rdata_aer_caschools", "keel_haberman",
    "rdata_dslabs_olive", "rdata_ecdat_clothing", "sklearn_breast_cancer",
    "rdata_aer_houseprices", "keel_saheart", "keel_vehicle",
    "rdata_islr_carseats", "keel_australian", "rdata_aer_cps1985",
    "keel_crx", "rdata_cardata_salaries", "rdata_cardata_mroz",
    "keel_vowel", "rdata_islr_college", "keel_mammographic",
    "rdata_modeldata_concrete", "keel_tic_tac_toe", "keel_contraceptive",
    "rdata_openintro_babies", "keel_yeast3", "rdata_modeldata_attrition",
    "rdata_mass_nlschools", "sklearn_digits", "rdata_islr_wage",
]


def _skmeta_cv(text):
    """The ``--skmeta-cv`` value: "shared", "default" or a number of folds."""
    if text in ("shared", "default") or (text.isdigit() and int(text) >= 2):
        return text
    raise argparse.ArgumentTypeError(
        f"expected 'shared', 'default' or a number of folds >= 2, got {text!r}")



def _names(text):
    """The names of a comma-separated list."""
    return [n for n in (part.strip() for part in text.split(",")) if n]


def main(argv=None):
    """Run the pending fits (unless ``--report-only``), then print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--kb", type=Path,
                        default=ROOT / "build" / "knowledge_base.sqlite")
    parser.add_argument("--datasets", help="comma-separated names (default: all)")
    parser.add_argument("--quick", action="store_true",
                        help=f"the fixed slice of {len(QUICK)} datasets")
    parser.add_argument("--seeds", default="0,1")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--n-jobs", type=int, default=2,
                        help="cores of every system's fit (the same for all)")
    parser.add_argument("--parallel-fits", type=int, default=1,
                        help="worker processes fitting different (dataset, seed) "
                             "pairs side by side (2 on a 2-core machine)")
    parser.add_argument("--skmeta-cv", type=_skmeta_cv, default="default",
                        help="skmeta-1/5/10 and cold-10: the shared 5 folds, "
                             "skmeta's own default cv, or a number of folds")
    parser.add_argument("--max-train", type=int, default=20000)
    parser.add_argument("--results", type=Path,
                        default=ROOT / "benchmarks" / "results" / "selection.csv")
    parser.add_argument("--plot", type=Path,
                        default=ROOT / "benchmarks" / "results" / "adaptation.png")
    parser.add_argument("--plot-seconds", type=Path,
                        help="the adaptation curve against wall seconds (default: "
                             "<plot>_seconds.png)")
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args(argv)
    args.seeds = [int(s) for s in _names(args.seeds)]
    systems = _names(args.systems)
    unknown = sorted(set(systems) - set(SYSTEMS))
    if unknown:
        parser.error(f"unknown systems {unknown}; choose from {', '.join(SYSTEMS)}")
    systems = [s for s in SYSTEMS if s in systems]

    if not args.report_only:
        manifest = pd.read_csv(Path(args.corpus) / "manifest.csv")
        if args.datasets:
            names = _names(args.datasets)
        elif args.quick:
            names = QUICK
        else:
            names = manifest["name"].tolist()
        unknown = sorted(set(names) - set(manifest["name"]))
        if unknown:
            parser.error(f"unknown datasets {unknown}")
        run(args, names, systems)
    plot_seconds = args.plot_seconds or side_file(args.plot, "_seconds.png")
    report(args.results, systems, args.plot, plot_seconds)


if __name__ == "__main__":
    main()
