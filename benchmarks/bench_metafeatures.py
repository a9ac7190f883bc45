"""Benchmark: skmeta's meta-feature extraction against pymfe's default MFE().

For every dataset of the corpus (a folder of ``<name>.csv.gz`` files with a
``target`` column and a ``manifest.csv`` giving each task type), extracts the
meta-features once with :func:`skmeta.metafeatures.extract_dataset_metafeatures`
and once with pymfe, and prints per-dataset times and the number of values
each extracts, then the median ratio of pymfe's time to skmeta's over all
datasets and over those with >= 1,000 rows, the worst ratio, skmeta's worst
time below 20,000 rows and the numbers of values, with PASS/FAIL for the
targets of issue 14 (>= 10x at both medians, < 0.3 s below 20,000 rows, at
least as many values as pymfe).

What is compared, to keep it fair:

- classification: pymfe's default ``MFE(random_state=0)`` (groups general,
  statistical, info-theory, model-based, landmarking; mean and sd
  summaries: 111 values);
- regression: pymfe has no regression mode (the default takes a continuous
  target for classes, building models with hundreds of classes), so it runs
  ``MFE(groups=["general", "statistical"], random_state=0)``, its cheap
  groups; the two medians are reported apart;
- pymfe cannot take missing values: it gets the features with numeric
  missing values replaced by the median and categorical ones by the mode, and
  the categorical columns through ``cat_cols``; this preparation, and building
  skmeta's ``Dataset`` (validation), are not timed;
- both run with one BLAS thread (skmeta limits itself; pymfe's worker is
  limited the same way), one run each, after a warm-up, on the same machine;
- pymfe runs in a worker process killed after ``--pymfe-timeout`` seconds; a
  timeout counts as that many seconds (so its ratio is a lower bound);
- ``--pymfe-from`` takes pymfe's results from an earlier run's ``--csv``
  instead of running it again (pymfe's time does not depend on skmeta; the
  report says so by the command line it was made with).

Usage::

    python benchmarks/bench_metafeatures.py               # whole corpus
    python benchmarks/bench_metafeatures.py --quick       # 12 datasets of all sizes
    python benchmarks/bench_metafeatures.py --datasets keel_bupa,sklearn_wine
    python benchmarks/bench_metafeatures.py --pymfe-timeout 30 --csv results.csv
    python benchmarks/bench_metafeatures.py --pymfe-from results.csv  # skmeta again
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / ".." / "shared" / "corpus"
N_QUICK = 12
#: The columns of pymfe's result in a results table.
PYMFE_COLUMNS = ("pymfe_status", "pymfe_seconds", "pymfe_values", "pymfe_finite",
                 "pymfe_error")


def _pymfe_worker(connection):
    """Extract with pymfe for each job received until None arrives."""
    import warnings

    from pymfe.mfe import MFE
    from threadpoolctl import threadpool_limits

    warnings.filterwarnings("ignore")
    threadpool_limits(1)
    while True:
        job = connection.recv()
        if job is None:
            return
        X, y, cat_cols, groups = job
        start = time.perf_counter()
        try:
            mfe = MFE(groups=groups, random_state=0)
            mfe.fit(X, y, cat_cols=cat_cols, suppress_warnings=True)
            names, values = mfe.extract(suppress_warnings=True)
            seconds = time.perf_counter() - start
            finite = int(np.isfinite(np.asarray(values, dtype=float)).sum())
            connection.send(("ok", seconds, len(names), finite))
        except Exception as exc:  # a failure is a result to report
            connection.send(("error", time.perf_counter() - start, 0, repr(exc)[:120]))


class PymfeRunner:
    """A pymfe worker process that can be killed at a time limit."""

    def __init__(self, timeout):
        self.timeout = timeout
        self._context = multiprocessing.get_context("spawn")
        self._start()

    def _start(self):
        self._connection, child = self._context.Pipe()
        self._process = self._context.Process(
            target=_pymfe_worker, args=(child,), daemon=True
        )
        self._process.start()

    def run(self, X, y, cat_cols, groups):
        """("ok" | "error" | "timeout", seconds, n_values, n_finite_or_message)."""
        self._connection.send((X, y, cat_cols, groups))
        if self._connection.poll(self.timeout):
            return self._connection.recv()
        self._process.kill()
        self._process.join()
        self._start()
        return ("timeout", self.timeout, 0, 0)

    def close(self):
        self._connection.send(None)
        self._process.join(timeout=10)


def pymfe_inputs(dataset):
    """Features pymfe can take: imputed, categorical columns as strings."""
    frame = dataset.X
    if not isinstance(frame, pd.DataFrame):
        frame = pd.DataFrame(frame.toarray())
    frame = frame.copy()
    cat_cols = []
    for i, column in enumerate(frame.columns):
        values = frame[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            median = values.median()
            fill = 0.0 if np.isnan(median) else median
            frame[column] = values.astype(float).fillna(fill)
        else:
            mode = values.mode()
            fill = mode.iloc[0] if len(mode) else "missing"
            frame[column] = values.fillna(fill).astype(str)
            cat_cols.append(i)
    X = frame.to_numpy(dtype=object if cat_cols else float)
    groups = ["general", "statistical"] if dataset.task == "regression" else "default"
    return X, dataset.y, cat_cols, groups


def select(manifest, names, quick):
    if names:
        wanted = [n.strip() for n in names.split(",") if n.strip()]
        unknown = sorted(set(wanted) - set(manifest["name"]))
        if unknown:
            sys.exit(f"unknown datasets: {unknown}")
        return manifest.set_index("name").loc[wanted].reset_index()
    if quick:
        by_size = manifest.assign(cells=manifest.n_rows * manifest.n_features)
        by_size = by_size.sort_values("cells").reset_index(drop=True)
        ranks = np.linspace(0, len(by_size) - 1, N_QUICK).round().astype(int)
        return by_size.iloc[ranks].reset_index(drop=True)
    return manifest


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="folder of <name>.csv.gz files and manifest.csv")
    parser.add_argument("--datasets", help="comma-separated dataset names")
    parser.add_argument("--quick", action="store_true",
                        help=f"{N_QUICK} datasets spread over the corpus sizes")
    parser.add_argument("--pymfe-timeout", type=float, default=60.0,
                        help="seconds before pymfe is stopped (default 60)")
    parser.add_argument("--skip-pymfe", action="store_true", help="time skmeta only")
    parser.add_argument("--pymfe-from", type=Path,
                        help="reuse pymfe's results of an earlier --csv for the "
                             "datasets it has (pymfe's times do not depend on skmeta)")
    parser.add_argument("--csv", type=Path, help="also write the results to a CSV")
    args = parser.parse_args(argv)

    # This checkout's skmeta, not whichever one is installed (an editable
    # install of another work tree would be measured instead).
    sys.path.insert(0, str(ROOT))
    import skmeta
    from skmeta.datasets import load_csv
    from skmeta.metafeatures import extract_dataset_metafeatures, extract_metafeatures

    print(f"skmeta from {Path(skmeta.__file__).parent}")

    manifest = pd.read_csv(args.corpus / "manifest.csv")
    chosen = select(manifest, args.datasets, args.quick)
    earlier = {}
    if args.pymfe_from:
        previous = pd.read_csv(args.pymfe_from, dtype={"pymfe_error": object})
        previous["pymfe_error"] = previous["pymfe_error"].fillna("")
        earlier = previous.set_index("dataset")[list(PYMFE_COLUMNS)].to_dict("index")
    needs_pymfe = not set(chosen["name"]) <= set(earlier)
    runner = None
    if needs_pymfe and not args.skip_pymfe:
        runner = PymfeRunner(args.pymfe_timeout)
    warm_up = np.random.default_rng(0).normal(size=(50, 3))
    for target in (np.arange(50) % 2, np.arange(50) % 3, warm_up[:, 0] ** 2):
        extract_metafeatures(warm_up, target)  # each task's code paths

    header = (f"{'dataset':42s} {'task':10s} {'rows':>6s} {'cols':>4s} "
              f"{'skmeta_s':>9s} {'pymfe_s':>9s} {'ratio':>8s} {'values sk/pm':>13s}")
    print(header)
    print("-" * len(header))
    results = []
    for row in chosen.itertuples():
        path = args.corpus / f"{row.name}.csv.gz"
        dataset = load_csv(path, task=row.task, name=row.name)
        start = time.perf_counter()
        values = extract_dataset_metafeatures(dataset, random_state=0)
        skmeta_seconds = time.perf_counter() - start
        result = {
            "dataset": row.name, "task": row.task, "rows": dataset.n_samples,
            "cols": dataset.n_features, "skmeta_seconds": skmeta_seconds,
            "skmeta_values": len(values), "skmeta_finite": int(values.notna().sum()),
            "pymfe_status": "skipped", "pymfe_seconds": np.nan, "pymfe_values": 0,
            "pymfe_finite": 0, "pymfe_error": "",
        }
        if row.name in earlier:
            result.update(earlier[row.name])
        elif runner is not None:
            status, seconds, n_values, detail = runner.run(*pymfe_inputs(dataset))
            result.update(pymfe_status=status, pymfe_seconds=seconds,
                          pymfe_values=n_values)
            if status == "ok":
                result["pymfe_finite"] = detail
            elif status == "error":
                result["pymfe_error"] = detail
        result["ratio"] = result["pymfe_seconds"] / skmeta_seconds
        results.append(result)
        print(_format(result, args.pymfe_timeout), flush=True)
    if runner is not None:
        runner.close()
    table = pd.DataFrame(results)
    if args.csv:
        table.to_csv(args.csv, index=False)
    summarize(table, args.pymfe_timeout)
    return table


def _format(result, timeout):
    pymfe = {
        "ok": f"{result['pymfe_seconds']:9.3f}",
        "timeout": f">={timeout:7.0f}",
        "error": "    error",
        "skipped": "        -",
    }[result["pymfe_status"]]
    return (
        f"{result['dataset'][:42]:42s} {result['task']:10s} {result['rows']:6d} "
        f"{result['cols']:4d} {result['skmeta_seconds']:9.4f} {pymfe} "
        f"{result['ratio']:8.1f} "
        f"{result['skmeta_finite']:6d}/{result['pymfe_finite']:<6d}"
    )


#: The targets of issue 14.
TARGET_RATIO = 10.0
LARGE_ROWS = 1_000
MAX_SECONDS = 0.3
MAX_SECONDS_BELOW_ROWS = 20_000


def _verdict(passed):
    return "PASS" if passed else "FAIL"


def summarize(table, timeout):
    """Print the medians, the worst cases, the value counts and the targets."""
    print()
    print(f"datasets: {len(table)}; skmeta median "
          f"{table.skmeta_seconds.median() * 1000:.1f} ms, "
          f"max {table.skmeta_seconds.max():.2f} s")
    below = table[table.rows < MAX_SECONDS_BELOW_ROWS]
    if len(below):
        worst = below.loc[below.skmeta_seconds.idxmax()]
        print(f"worst skmeta seconds below {MAX_SECONDS_BELOW_ROWS:,} rows: "
              f"{worst.skmeta_seconds:.3f} s ({worst.dataset}, {worst.rows} x "
              f"{worst.cols}) [{_verdict(worst.skmeta_seconds < MAX_SECONDS)}: "
              f"< {MAX_SECONDS} s]")
    timed = table[table.pymfe_status.isin(["ok", "timeout"])]
    if timed.empty:
        return
    is_classification = timed.task != "regression"
    large = timed[timed.rows >= LARGE_ROWS]
    parts = [
        ("all", timed, True),
        (f">= {LARGE_ROWS:,} rows", large, True),
        ("classification (default MFE)", timed[is_classification], False),
        ("regression (general + statistical)", timed[~is_classification], False),
        (f"classification, >= {LARGE_ROWS:,} rows", large[large.task != "regression"],
         False),
        (f"regression, >= {LARGE_ROWS:,} rows", large[large.task == "regression"],
         False),
    ]
    for label, part, is_target in parts:
        if len(part):
            median = statistics.median(part.ratio)
            target = (f" [{_verdict(median >= TARGET_RATIO)}: >= {TARGET_RATIO:.0f}x]"
                      if is_target else "")
            print(f"median ratio pymfe/skmeta, {label}: {median:.1f} over "
                  f"{len(part)} datasets{target}")
    worst = timed.loc[timed.ratio.idxmin()]
    print(f"worst ratio: {worst.ratio:.2f} ({worst.dataset}, {worst.rows} x "
          f"{worst.cols}, "
          f"{worst.task}: skmeta {worst.skmeta_seconds:.3f} s, pymfe "
          f"{worst.pymfe_seconds:.3f} s)")
    n_timeouts = int((table.pymfe_status == "timeout").sum())
    n_errors = int((table.pymfe_status == "error").sum())
    print(f"pymfe timeouts (>= {timeout:.0f} s, counted as {timeout:.0f} s, so their "
          f"ratios are lower bounds): {n_timeouts}; errors: {n_errors}")
    ok = table[table.pymfe_status == "ok"]
    for label, is_task in [("classification", table.task != "regression"),
                           ("regression", table.task == "regression")]:
        ours, theirs = table[is_task], ok[is_task[ok.index]]
        if len(ours) and len(theirs):
            print(f"values per {label} dataset: skmeta {ours.skmeta_values.max()} "
                  f"(median {ours.skmeta_finite.median():.0f} defined), pymfe "
                  f"{theirs.pymfe_values.median():.0f} "
                  f"(median {theirs.pymfe_finite.median():.0f} defined)")
    if len(ok):
        fewer = ok[ok.skmeta_values < ok.pymfe_values]
        print(f"datasets where skmeta extracts fewer values than pymfe: {len(fewer)} "
              f"of {len(ok)} [{_verdict(fewer.empty)}: skmeta >= pymfe's number of "
              f"values]")
        undefined = ok[ok.skmeta_finite < ok.pymfe_finite]
        if len(undefined):
            # Without numeric features skmeta's statistical measures are NaN;
            # pymfe's take the categorical features' dummy columns.
            print(f"datasets where fewer of skmeta's values are defined: "
                  f"{len(undefined)} ({', '.join(undefined.dataset)})")


if __name__ == "__main__":
    main()
