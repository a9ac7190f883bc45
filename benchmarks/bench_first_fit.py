"""The first fit's one-off start-up with the shipped knowledge base.

In each of ``--runs`` fresh interpreters: time ``MetaClassifier(n_evaluations=1,
random_state=0).fit`` on breast_cancer three times; the one-off is the first
fit's wall time minus the second's (the third shows how much a warm fit
varies). In another fresh interpreter per run: the start-up alone, building
the default meta-learner (from the shipped meta-models file alone, see
:mod:`skmeta.learner.from_shipped_file`) and reading its classification meta-models.
``--fit-meta-models`` reads the shipped knowledge base and fits them, as
before the shipped file existed (:func:`skmeta.selection.meta_models_file.disabled`). Medians are printed. Needs no
corpus.

Usage::

    python benchmarks/bench_first_fit.py [--runs 3] [--fit-meta-models]
        [--blas-threads 1]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

CHILD = r"""
import contextlib, json, sys, time
from sklearn.datasets import load_breast_cancer
from skmeta import MetaClassifier
from skmeta.learner.resolution import _default_meta_learner
from skmeta.selection import meta_models_file
X, y = load_breast_cancer(return_X_y=True)
context = meta_models_file.disabled() if sys.argv[1] == "fit" else contextlib.nullcontext()
with context:
    if sys.argv[2] == "start-up":
        start = time.perf_counter()
        learner = _default_meta_learner()
        learner.performance_models_["classification"], learner.cost_models_["classification"]
        print(json.dumps({"start_up": time.perf_counter() - start}))
        sys.exit()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        MetaClassifier(n_evaluations=1, random_state=0).fit(X, y)
        times.append(time.perf_counter() - start)
print(json.dumps({"first": times[0], "second": times[1], "third": times[2]}))
"""


def _run(mode, what, blas_threads):
    env = dict(os.environ)
    if blas_threads:
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env[name] = str(blas_threads)
    out = subprocess.run([sys.executable, "-c", CHILD, mode, what], check=True,
                         capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fit-meta-models", action="store_true")
    parser.add_argument("--blas-threads", type=int, default=1,
                        help="BLAS threads of the fits (0: the library's default); "
                        "one thread makes the MLP's time, hence the difference "
                        "of two fits, far less noisy on a shared machine")
    args = parser.parse_args(argv)
    mode = "fit" if args.fit_meta_models else "shipped"
    rows = []
    for _ in range(args.runs):
        row = _run(mode, "fits", args.blas_threads)
        row["one_off"] = row["first"] - row["second"]
        row.update(_run(mode, "start-up", args.blas_threads))
        rows.append(row)
        print(" ".join(f"{k} {v:.2f} s" for k, v in row.items()), flush=True)
    medians = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    print(f"median of {args.runs} ({mode} meta-models): "
          + ", ".join(f"{k} {v:.2f} s" for k, v in medians.items()))

if __name__ == "__main__":
    main()
