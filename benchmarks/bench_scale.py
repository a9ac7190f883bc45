"""Benchmark: a MetaClassifier (or MetaRegressor) fit on a large generated dataset.

The scale guardrail of skmeta: ``fit`` on 1,000,000 rows x 50 features with
``time_budget=120`` must return within 150 s and stay under 8 GiB of memory
(subsampling for meta-features and evaluations does the work).

What is measured:

- wall seconds of the first ``fit`` of a process, which includes loading the
  shipped knowledge base (printed apart); the data is generated before the
  clock starts;
- peak memory of this process and its worker processes together: a
  background thread samples the resident memory of the process tree every
  0.1 s (with psutil; without it, ``resource.getrusage``'s peaks of the
  process and of its largest finished child are added, a coarser figure);
  the peak after generating the data is printed too, so the fit's own share
  can be read off;
- the progress lines of the fit (``verbose=1``), each prefixed with the
  seconds since ``fit`` started, to see which phase takes the time;
- the score on 50,000 held-out rows, to show the model is a real one.

It uses the shipped knowledge base. Not part of the test suite: it takes a
few minutes and several GiB. Run it from the repository root::

    python benchmarks/bench_scale.py
    python benchmarks/bench_scale.py --task regression --n-jobs 2
    python benchmarks/bench_scale.py --rows 200000 --time-budget 30   # a quick look
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import threading
import time

import numpy as np
import pandas as pd

TARGET_SECONDS = 150.0
TARGET_BYTES = 8 * 2**30
N_HELD_OUT = 50_000


class _PeakMemory:
    """Peak resident memory of this process and its descendants, sampled."""

    def __init__(self, interval=0.1):
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        try:
            import psutil
        except ImportError:
            self._process = None
        else:
            self._process = psutil.Process()
            self._psutil = psutil
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def sampled(self):
        return self._process is not None

    def current(self):
        if self._process is None:
            return 0
        total = 0
        for process in [self._process, *self._process.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except (self._psutil.NoSuchProcess, self._psutil.AccessDenied):
                pass
        return total

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.current())
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.current())


def _getrusage_peak():
    """Peak RSS of this process plus that of its largest finished child (bytes)."""
    scale = 1 if sys.platform == "darwin" else 1024  # Linux reports KiB
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale
    return own + children


class _Timestamped:
    """A text stream that prefixes each line with the seconds since ``start``."""

    def __init__(self, stream, start):
        self.stream = stream
        self.start = start
        self.at_line_start = True

    def write(self, text):
        for piece in text.splitlines(keepends=True):
            if self.at_line_start:
                self.stream.write(f"[{time.monotonic() - self.start:7.1f} s] ")
            self.stream.write(piece)
            self.at_line_start = piece.endswith("\n")
        return len(text)

    def flush(self):
        self.stream.flush()

    def isatty(self):
        return False


def _data(task, n_rows, n_features, seed):
    from sklearn.datasets import make_classification, make_regression

    n_total = n_rows + N_HELD_OUT
    if task == "classification":
        X, y = make_classification(n_total, n_features, n_informative=10,
                                   n_redundant=5, n_classes=2, flip_y=0.05,
                                   random_state=seed)
    else:
        X, y = make_regression(n_total, n_features, n_informative=10, noise=10.0,
                               random_state=seed)
    X = pd.DataFrame(X.astype(np.float64), columns=[f"x{i}" for i in range(n_features)])
    return X.iloc[:n_rows], y[:n_rows], X.iloc[n_rows:], y[n_rows:]


def _gib(n_bytes):
    return n_bytes / 2**30


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--task", choices=("classification", "regression"),
                        default="classification")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=50)
    parser.add_argument("--time-budget", type=float, default=120.0)
    parser.add_argument("--n-jobs", type=int, default=None)
    parser.add_argument("--random-state", type=int, default=0)
    args = parser.parse_args(argv)

    from skmeta import MetaClassifier, MetaRegressor
    from skmeta.learner import resolve_meta_learner

    print(f"bench_scale: {args.task}, {args.rows:,} x {args.features}, "
          f"time_budget={args.time_budget:g} s, n_jobs={args.n_jobs}, "
          f"{os.cpu_count()} cores", flush=True)
    start = time.monotonic()
    X, y, X_test, y_test = _data(args.task, args.rows, args.features,
                                 args.random_state)
    print(f"generated the data in {time.monotonic() - start:.1f} s "
          f"({_gib(X.memory_usage(deep=True).sum()):.2f} GiB as a DataFrame)")
    Estimator = MetaClassifier if args.task == "classification" else MetaRegressor
    estimator = Estimator(time_budget=args.time_budget, n_jobs=args.n_jobs,
                          random_state=args.random_state, verbose=1)
    with _PeakMemory() as memory:
        before_fit = memory.current() or _getrusage_peak()
        start = time.monotonic()
        # The first fit of a process loads the shipped knowledge base (once per
        # process): it is part of the figure, and timed apart here.
        resolve_meta_learner(None)
        loading = time.monotonic() - start
        print(f"[{loading:7.1f} s] loaded the shipped knowledge base", flush=True)
        stderr = sys.stderr
        sys.stderr = _Timestamped(stderr, start)
        try:
            estimator.fit(X, y)
        finally:
            sys.stderr = stderr
        seconds = time.monotonic() - start
    peak = memory.peak if memory.sampled else _getrusage_peak()

    start = time.monotonic()
    score = estimator.score(X_test, y_test)
    predict_seconds = time.monotonic() - start
    trace = estimator.trace_
    print()
    print(f"evaluations: {len(trace)} ({(trace['status'] == 'ok').sum()} ok); best "
          f"{estimator.best_strategy_} {estimator.best_score_:.4f}; ensemble of "
          f"{len(estimator.ensemble_)}")
    print(f"held-out score ({'accuracy' if args.task == 'classification' else 'R2'}, "
          f"{N_HELD_OUT:,} rows): {score:.4f} (predict {predict_seconds:.1f} s)")
    how = "sampled every 0.1 s, process tree" if memory.sampled else "getrusage"
    print(f"memory before fit: {_gib(before_fit):.2f} GiB")
    ok_time = seconds < TARGET_SECONDS
    ok_memory = peak < TARGET_BYTES
    print(f"fit wall time: {seconds:.1f} s, of which {loading:.1f} s loading the "
          f"shipped knowledge base (target < {TARGET_SECONDS:g} s): "
          f"{'OK' if ok_time else 'MISSED'}")
    print(f"peak memory: {_gib(peak):.2f} GiB ({how}; target < "
          f"{_gib(TARGET_BYTES):g} GiB): {'OK' if ok_memory else 'MISSED'}")
    return 0 if ok_time and ok_memory else 1


if __name__ == "__main__":
    sys.exit(main())
