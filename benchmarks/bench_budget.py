"""Does ``time_budget`` hold? Budgeted fits, each in a fresh Python process.

Needs no corpus. Datasets (all generated with ``random_state=0``):

``clf-N``
    ``make_classification(N, n_features=30, n_informative=12, n_classes=2)``.
``reg-N``
    ``make_regression(N, n_features=30, n_informative=15, noise=10)``.
``mix-N``
    a 3-class ``make_classification(N, n_features=34, n_informative=12)``
    whose last 6 columns are cut into 3-12 string categories each, with 5 %
    of every column's cells set missing (NaN / None): categorical columns and
    NaN, as real tables have them.
``digits``
    scikit-learn's ``load_digits`` (1,797 x 64, 10 classes), whatever the sizes.

for N in ``--sizes`` (default 1,000, 10,000, 20,000, 100,000) and budgets B in
``--budgets`` (default 5, 10, 30 s). For each (dataset, B) a fresh
interpreter (``subprocess``, so that the first fit in a process, with its
one-off start-up, is what is measured) runs::

    t0; import skmeta; t1                        # import seconds
    X, y = <the dataset, from a pickle written by the parent>
    t2; MetaClassifier/MetaRegressor(n_evaluations=1000, time_budget=B,
                                      random_state=0, n_jobs=1).fit(X, y); t3
    model.predict(X[:200])                       # the model works

with ``OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=MKL_NUM_THREADS=1`` (one core).
Recorded per fit: ``ok`` (a model was returned and ``predict`` works) or the
error, ``fit_seconds`` (t3 - t2), ``wall_over_budget`` (fit_seconds / B),
``import_seconds`` (t1 - t0), ``fit_plus_import`` (their sum) and
``process_seconds`` (the whole child, interpreter start and data loading
included, timed by the parent). A child that runs past ``3 B + 120`` s is
killed and recorded as an error.

Printed: the table, the p95 and the max of wall / B (over all fits and per
budget), and the targets of issue 13 as PASS/FAIL:

- every fit returns a model;
- p95 of the fits' wall <= B x 1.05 + 0.3 s, i.e. the p95 over fits of
  ``fit_seconds / (1.05 B + 0.3)`` is at most 1.

The budget cases of issue 22 (``--issue22``), on a busy machine
(``--busy``, the default with ``--issue22``): a child process keeps both cores
busy with two busy-loop workers for the whole run (killed at the end), and
the fits run with the machine's default native threads (no
``OMP_NUM_THREADS``), as a user's process would. The cases:

``reg-100000``, B=10
    the final refit must use the threads ``n_jobs`` allows (item 12);
``clf-120 n_jobs=100``, B=10
    ``n_jobs`` above the cores (item 13);
``clf-1000 ensemble_size=100000``, B=5
    the ensemble selection must stop at the budget (item 14);
``sparse-300``, B=10
    300 x 10,000 sparse binary classification (density 1 %), where the cost
    model underpredicts trees: there must still be a model (item 15).

Each case runs ``--repeats`` times (default 3); the report gives p95 and max
of wall / B over them.

Rows are appended to ``--results`` (CSV) as they finish; (dataset, B) pairs
already there are skipped, so a run resumes. Start a new file when skmeta
changes.

Usage::

    python benchmarks/bench_budget.py --quick          # sizes 1,000, 20,000; B 5, 10
    python benchmarks/bench_budget.py                  # everything (~15-30 min)
    python benchmarks/bench_budget.py --budgets 5 --sizes 1000 --results /tmp/b.csv
    python benchmarks/bench_budget.py --report-only
    python benchmarks/bench_budget.py --issue22 --results /tmp/budget22.csv
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SIZES = (1_000, 10_000, 20_000, 100_000)
BUDGETS = (5.0, 10.0, 30.0)
QUICK_SIZES = (1_000, 20_000)
QUICK_BUDGETS = (5.0, 10.0)
KINDS = ("clf", "reg", "mix")
#: The budget cases of issue 22: (dataset, budget, estimator parameters).
ISSUE22 = (
    ("reg-100000", 10.0, {}),
    ("clf-120", 10.0, {"n_jobs": 100}),
    ("clf-1000", 5.0, {"ensemble_size": 100_000}),
    ("sparse-300", 10.0, {}),
)
COLUMNS = ["dataset", "task", "n_rows", "n_features", "budget", "ok", "fit_seconds",
           "wall_over_budget", "import_seconds", "fit_plus_import", "process_seconds",
           "n_evaluations", "error"]

CHILD = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
t0 = time.perf_counter()
import skmeta
from skmeta import MetaClassifier, MetaRegressor
t1 = time.perf_counter()
import pandas as pd
spec = json.loads(sys.argv[1])
X, y, task = pd.read_pickle(spec["data"])
out = {"import_seconds": t1 - t0, "ok": False, "error": ""}
cls = MetaRegressor if task == "regression" else MetaClassifier
params = {"n_jobs": 1, **spec.get("params", {})}
model = cls(n_evaluations=1000, time_budget=spec["budget"], random_state=0, **params)
t2 = time.perf_counter()
try:
    model.fit(X, y)
    out["fit_seconds"] = time.perf_counter() - t2
    predictions = model.predict(X[:200] if hasattr(X, "tocsr") else X.iloc[:200])
    if len(predictions) != min(200, X.shape[0]):
        raise RuntimeError(f"predict returned {len(predictions)} rows")
    out["ok"] = True
    out["n_evaluations"] = len(getattr(model, "trace_", ()))
except Exception as exc:
    out.setdefault("fit_seconds", time.perf_counter() - t2)
    out["error"] = f"{type(exc).__name__}: {exc}"[:300]
print("RESULT " + json.dumps(out), flush=True)
"""


# -- datasets -----------------------------------------------------------------------

def make_dataset(name):
    """(X DataFrame, y, task) of a dataset name (see the module docstring)."""
    from sklearn.datasets import load_digits, make_classification, make_regression

    if name == "digits":
        data = load_digits(as_frame=True)
        return data.data, data.target.to_numpy(), "multiclass"
    kind, n = name.split(" ")[0].split("-")
    n = int(n)
    if kind == "sparse":
        import scipy.sparse as sp

        X = sp.random(n, 10_000, density=0.01, format="csr", random_state=0)
        scores = X @ np.random.default_rng(0).normal(size=10_000)
        return X, (scores > np.median(scores)).astype(int), "binary"
    if kind == "clf":
        X, y = make_classification(n, n_features=30, n_informative=12, random_state=0)
        return pd.DataFrame(X, columns=[f"x{i}" for i in range(30)]), y, "binary"
    if kind == "reg":
        X, y = make_regression(n, n_features=30, n_informative=15, noise=10.0,
                               random_state=0)
        return pd.DataFrame(X, columns=[f"x{i}" for i in range(30)]), y, "regression"
    if kind == "mix":
        X, y = make_classification(n, n_features=34, n_informative=12, n_classes=3,
                                   random_state=0)
        rng = np.random.default_rng(0)
        frame = pd.DataFrame(X[:, :28], columns=[f"x{i}" for i in range(28)])
        for j in range(6):
            levels = 3 + 2 * j  # 3..13 categories
            edges = np.quantile(X[:, 28 + j], np.linspace(0, 1, levels + 1)[1:-1])
            codes = np.searchsorted(edges, X[:, 28 + j])
            frame[f"c{j}"] = pd.Series([f"level{c}" for c in codes], dtype=object)
        mask = rng.random(frame.shape) < 0.05
        frame = frame.mask(mask)
        return frame, y, "multiclass"
    raise ValueError(f"unknown dataset {name!r}")


def dataset_names(sizes):
    return [f"{kind}-{n}" for n in sizes for kind in KINDS] + ["digits"]


# -- the run ------------------------------------------------------------------------

BUSY = r"""
import multiprocessing, os, sys

def spin():
    while True:
        pass

if __name__ == "__main__":
    for _ in range(int(sys.argv[1])):
        multiprocessing.Process(target=spin, daemon=True).start()
    sys.stdin.read()  # until the benchmark closes the pipe or kills the group
"""


def start_busy(n_workers=2):
    """A process group of ``n_workers`` busy loops, until :func:`stop_busy`."""
    return subprocess.Popen([sys.executable, "-c", BUSY, str(n_workers)],
                            stdin=subprocess.PIPE, start_new_session=True)


def stop_busy(process):
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def run_child(data_path, budget, params=None, one_thread=True):
    """One budgeted fit in a fresh interpreter; the child's figures and its wall.

    ``one_thread`` sets ``OMP_NUM_THREADS=1`` (and BLAS's) for the child;
    otherwise it gets the machine's default threads.
    """
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    if one_thread:
        env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, json.dumps({"data": str(data_path),
                                                      "budget": budget,
                                                      "params": params or {}})],
            capture_output=True, text=True, env=env, timeout=3 * budget + 120,
            cwd=ROOT)
    except subprocess.TimeoutExpired:
        wall = time.perf_counter() - start
        return {"ok": False, "fit_seconds": np.nan,
                "error": f"killed after {wall:.0f} s"}, wall
    wall = time.perf_counter() - start
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):]), wall
    tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
    return {"ok": False, "fit_seconds": np.nan,
            "error": f"child exited {done.returncode}: {tail[0][:300]}"}, wall


def done_keys(results):
    if not results.is_file():
        return set()
    table = pd.read_csv(results)
    return set(zip(table["dataset"], table["budget"].astype(float), strict=True))


def fits_to_run(args):
    """(label, dataset, budget, estimator parameters) of every fit asked for."""
    if not args.issue22:
        return [(name, name, budget, {}) for name in dataset_names(args.sizes)
                for budget in args.budgets]
    fits = []
    for name, budget, params in ISSUE22:
        label = name + "".join(f" {key}={value}" for key, value in params.items())
        for repeat in range(args.repeats):
            fits.append((f"{label} #{repeat + 1}", name, budget, params))
    return fits


def run(args):
    done = done_keys(args.results)
    pending = [f for f in fits_to_run(args) if (f[0], f[2]) not in done]
    print(f"{len(pending)} budgeted fits to run ({len(done)} already in "
          f"{args.results}){'; cores kept busy' if args.busy else ''}", flush=True)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    busy = start_busy() if args.busy else None
    try:
        with tempfile.TemporaryDirectory(prefix="bench_budget_") as tmp:
            for name in dict.fromkeys(f[1] for f in pending):
                X, y, task = make_dataset(name)
                data_path = Path(tmp) / f"{name}.pkl"
                pd.to_pickle((X, y, task), data_path)
                for label, _, budget, params in (f for f in pending if f[1] == name):
                    out, wall = run_child(data_path, budget, params,
                                          one_thread=not args.busy)
                    record(args.results, label, task, X, budget, out, wall)
    finally:
        if busy is not None:
            stop_busy(busy)


def record(results, label, task, X, budget, out, wall):
    """Append one fit's row to the results and print it."""
    fit = out.get("fit_seconds", np.nan)
    imported = out.get("import_seconds", np.nan)
    row = {
        "dataset": label, "task": task, "n_rows": X.shape[0],
        "n_features": X.shape[1], "budget": budget,
        "ok": bool(out.get("ok")), "fit_seconds": round(fit, 3),
        "wall_over_budget": round(fit / budget, 4),
        "import_seconds": round(imported, 3),
        "fit_plus_import": round(fit + imported, 3),
        "process_seconds": round(wall, 3),
        "n_evaluations": out.get("n_evaluations", np.nan),
        "error": out.get("error", ""),
    }
    pd.DataFrame([row], columns=COLUMNS).to_csv(
        results, mode="a", index=False, header=not results.is_file())
    status = "ok" if row["ok"] else f"ERROR {row['error'][:100]}"
    print(f"  {label} B={budget:g}: fit {fit:.2f} s ({fit / budget:.2f} B), "
          f"import {imported:.2f} s, process {wall:.1f} s: {status}", flush=True)


# -- the report ---------------------------------------------------------------------

def _verdict(ok):
    return "PASS" if ok else "FAIL"


def report(results, names=None, budgets=None):
    if not results.is_file():
        raise SystemExit(f"no results file {results}; run the benchmark first.")
    table = pd.read_csv(results)
    table = table.drop_duplicates(["dataset", "budget"], keep="last")
    if names is not None:
        table = table[table["dataset"].isin(names)]
    if budgets is not None:
        table = table[table["budget"].isin(budgets)]
    if table.empty:
        print("no results yet.")
        return
    table = table.sort_values(["n_rows", "dataset", "budget"])
    shown = table[["dataset", "n_rows", "n_features", "budget", "ok", "fit_seconds",
                   "wall_over_budget", "import_seconds", "fit_plus_import",
                   "process_seconds", "n_evaluations"]]
    print()
    print(shown.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    failed = table[~table["ok"].astype(bool)]
    for row in failed.itertuples():
        print(f"  {row.dataset} B={row.budget:g}: {row.error}")
    ratio = table["wall_over_budget"].astype(float)
    allowed = table["fit_seconds"].astype(float) / (1.05 * table["budget"] + 0.3)
    print(f"\n{len(table)} fits: wall / B p95 {ratio.quantile(0.95):.3f}, max "
          f"{ratio.max():.3f} ({table.loc[ratio.idxmax(), 'dataset']}, "
          f"B={table.loc[ratio.idxmax(), 'budget']:g})")
    for budget, group in table.groupby("budget"):
        r = group["wall_over_budget"].astype(float)
        print(f"  B={budget:g}: {len(group)} fits, {int(group['ok'].astype(bool).sum())} "
              f"returned a model; wall / B median {r.median():.3f}, p95 "
              f"{r.quantile(0.95):.3f}, max {r.max():.3f}; fit + import median "
              f"{group['fit_plus_import'].median():.2f} s")
    print("\nTargets of issue 13:")
    n_ok = int(table["ok"].astype(bool).sum())
    print(f"  [{_verdict(n_ok == len(table))}] every fit returns a model: "
          f"{n_ok} of {len(table)}")
    p95 = float(allowed.quantile(0.95))
    print(f"  [{_verdict(p95 <= 1)}] p95 wall <= B x 1.05 + 0.3 s: p95 of "
          f"wall / (1.05 B + 0.3) = {p95:.3f} (needs <= 1; max {allowed.max():.3f})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", help="comma-separated seconds (default 5,10,30)")
    parser.add_argument("--sizes", help="comma-separated rows (default "
                        "1000,10000,20000,100000)")
    parser.add_argument("--quick", action="store_true",
                        help="sizes 1000, 20000 and budgets 5, 10 (unless given)")
    parser.add_argument("--results", type=Path,
                        default=ROOT / "benchmarks" / "results" / "budget.csv")
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument("--issue22", action="store_true",
                        help="the budget cases of issue 22 (busy cores by default)")
    parser.add_argument("--busy", action=argparse.BooleanOptionalAction, default=None,
                        help="keep both cores busy with another process during the "
                        "fits, which get the default native threads (default: on "
                        "with --issue22)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs of each --issue22 case (default 3)")
    args = parser.parse_args(argv)
    if args.busy is None:
        args.busy = args.issue22
    default_sizes, default_budgets = ((QUICK_SIZES, QUICK_BUDGETS) if args.quick
                                      else (SIZES, BUDGETS))
    args.sizes = ([int(s) for s in args.sizes.split(",") if s.strip()]
                  if args.sizes else list(default_sizes))
    args.budgets = ([float(b) for b in args.budgets.split(",") if b.strip()]
                    if args.budgets else list(default_budgets))
    if not args.report_only:
        run(args)
    fits = fits_to_run(args)
    report(args.results, [f[0] for f in fits], sorted({f[2] for f in fits}))


if __name__ == "__main__":
    main()
