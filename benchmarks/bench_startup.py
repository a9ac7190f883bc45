"""Start-up costs of skmeta: import, the first fit's one-off, the CLI's ``recommend``.

Needs no corpus. Three figures, each in fresh interpreters (``subprocess``,
the current ``sys.executable``, so in this environment):

(a) import
    ``python -X importtime -c "import skmeta"``: the cumulative time of the
    top-level ``skmeta`` line of the ``-X importtime`` report, against the
    same for ``python -X importtime -c "import sklearn.base, pandas"`` (the
    sum of the cumulative times of its top-level ``sklearn...`` and
    ``pandas...`` lines). Median of ``--runs`` (5) runs each, alternating;
    printed with the difference. Goal: skmeta costs at most 0.2 s more.
(b) first-fit one-off
    In a fresh process: ``import skmeta``, ``load_breast_cancer(as_frame=True)``,
    then ``MetaClassifier(n_evaluations=1, random_state=0).fit(X, y)`` timed,
    then a second, identical estimator fit the same way in the same process.
    One-off = first - second. Median of 3 processes. Goal: <= 1 s.
(c) ``skmeta recommend data.csv --target target -k 5``
    on a generated 1,000-row CSV (``make_classification(1000, n_features=20,
    random_state=0)``, a ``target`` column), the console script next to the
    interpreter (or ``python -c "from skmeta.cli import main; main()"``),
    wall time of the whole subprocess, interpreter start included. Median of
    3. Goal: <= 1.5 s.

Children run with ``OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=MKL_NUM_THREADS=1``.

Usage::

    python benchmarks/bench_startup.py            # about a minute
    python benchmarks/bench_startup.py --runs 9
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
           MKL_NUM_THREADS="1", PYTHONWARNINGS="ignore")

IMPORT_GOAL = 0.2
ONE_OFF_GOAL = 1.0
RECOMMEND_GOAL = 1.5

FIRST_FIT = r"""
import json, time, warnings
warnings.simplefilter("ignore")
from sklearn.datasets import load_breast_cancer
from skmeta import MetaClassifier
X, y = load_breast_cancer(return_X_y=True, as_frame=True)
times = []
for _ in range(2):
    start = time.perf_counter()
    MetaClassifier(n_evaluations=1, random_state=0).fit(X, y)
    times.append(time.perf_counter() - start)
print("RESULT " + json.dumps(times), flush=True)
"""


def _run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, env=ENV, cwd=ROOT,
                          **kwargs)


def importtime(statement, roots):
    """Seconds: the cumulative times of the top-level lines of the given packages."""
    done = _run([sys.executable, "-X", "importtime", "-c", statement])
    if done.returncode:
        raise RuntimeError(f"{statement!r} failed: {done.stderr.strip()[-300:]}")
    total = 0.0
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line[len("import time:"):].split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue  # the header line
        name = parts[2]
        top_level = name.startswith(" ") and not name.startswith("  ")
        if top_level and name.strip().split(".")[0] in roots:
            total += int(parts[1]) / 1e6
    return total


def measure_import(runs):
    skmeta, baseline = [], []
    for _ in range(runs):
        skmeta.append(importtime("import skmeta", {"skmeta"}))
        baseline.append(importtime("import sklearn.base, pandas", {"sklearn", "pandas"}))
    return statistics.median(skmeta), statistics.median(baseline)


def measure_first_fit(processes=3):
    first, second = [], []
    for _ in range(processes):
        done = _run([sys.executable, "-c", FIRST_FIT])
        result = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        if not result:
            raise RuntimeError("first-fit child failed: "
                               + (done.stderr.strip().splitlines() or ["?"])[-1])
        a, b = json.loads(result[-1][len("RESULT "):])
        first.append(a)
        second.append(b)
    one_off = [a - b for a, b in zip(first, second, strict=True)]
    return statistics.median(first), statistics.median(second), statistics.median(one_off)


def recommend_command():
    script = Path(sys.executable).parent / "skmeta"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from skmeta.cli import main; "
            "sys.exit(main())"]


def measure_recommend(runs=3):
    import pandas as pd
    from sklearn.datasets import make_classification

    X, y = make_classification(1000, n_features=20, random_state=0)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(20)])
    frame["target"] = y
    walls = []
    with tempfile.TemporaryDirectory(prefix="bench_startup_") as tmp:
        path = Path(tmp) / "data.csv"
        frame.to_csv(path, index=False)
        command = recommend_command() + ["recommend", str(path), "--target", "target",
                                         "-k", "5"]
        for _ in range(runs):
            start = time.perf_counter()
            done = _run(command)
            walls.append(time.perf_counter() - start)
            if done.returncode:
                raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: "
                                   f"{done.stderr.strip()[-300:]}")
    return statistics.median(walls), command


def _verdict(ok):
    return "PASS" if ok else "FAIL"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5,
                        help="runs of each import measurement (median)")
    args = parser.parse_args(argv)
    print(f"python {sys.executable}")

    lines = []
    skmeta, baseline = measure_import(args.runs)
    extra = skmeta - baseline
    print(f"(a) import (-X importtime, median of {args.runs}): skmeta {skmeta:.3f} s, "
          f"sklearn.base + pandas {baseline:.3f} s, difference {extra:+.3f} s", flush=True)
    lines.append(f"  [{_verdict(extra <= IMPORT_GOAL)}] import skmeta costs <= "
                 f"{IMPORT_GOAL} s more than sklearn.base + pandas: {extra:+.3f} s")

    try:
        first, second, one_off = measure_first_fit()
        print(f"(b) first fit (MetaClassifier(n_evaluations=1) on breast_cancer, median "
              f"of 3 processes): first {first:.2f} s, second {second:.2f} s, one-off "
              f"{one_off:.2f} s", flush=True)
        lines.append(f"  [{_verdict(one_off <= ONE_OFF_GOAL)}] first-fit one-off <= "
                     f"{ONE_OFF_GOAL} s: {one_off:.2f} s")
    except RuntimeError as exc:
        print(f"(b) first fit: {exc}", flush=True)
        lines.append(f"  [FAIL] first-fit one-off <= {ONE_OFF_GOAL} s: {exc}")

    try:
        wall, command = measure_recommend()
        print(f"(c) `skmeta recommend data.csv --target target -k 5` on 1,000 rows "
              f"(median of 3, interpreter start included): {wall:.2f} s", flush=True)
        lines.append(f"  [{_verdict(wall <= RECOMMEND_GOAL)}] skmeta recommend <= "
                     f"{RECOMMEND_GOAL} s: {wall:.2f} s")
    except RuntimeError as exc:
        print(f"(c) skmeta recommend: {exc}", flush=True)
        lines.append(f"  [FAIL] skmeta recommend <= {RECOMMEND_GOAL} s: {exc}")

    print("\nGoals of issue 13:")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
