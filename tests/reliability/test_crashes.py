"""``skmeta metatrain`` killed at random moments, and two of them on one file.

Each run is the real command in its own process. Right before a SIGKILL the
test reads the evaluations it can see in the knowledge base; after the kill
the file must pass ``PRAGMA integrity_check`` and still hold every one of
them, unchanged. A last, uninterrupted run must then complete the grid
without evaluating again anything that was stored.
"""

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from skmeta import KnowledgeBase
from skmeta.learner.grid import configuration_grid
from skmeta.strategies import resolve_portfolio

from .helpers import classification_data, regression_data

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
    pytest.mark.slow,
]

REPO = Path(__file__).resolve().parents[2]
STRATEGIES = ["knn", "gaussian_nb", "logistic_regression", "ridge"]
N_CONFIGS = 4
KEY = "dataset_id, strategy, config_key, metric, cv, seed"
N_BINARY, N_REGRESSION = 5, 2
MIN_KILLS = 10
#: Seconds the kill loop may take; it stops once enough runs were killed
#: (10 kills take 30-60 s on two busy cores).
KILL_LOOP_SECONDS = 100


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Seven tiny CSV files: five binary, two regression.

    Five: from six datasets of a family on, meta-training also learns the
    adjuster's settings by replay, which takes longer than the evaluations.
    """
    folder = tmp_path_factory.mktemp("crash") / "data"
    folder.mkdir()
    for i in range(N_BINARY):
        X, y = classification_data(60, seed=i)
        X.assign(target=y).to_csv(folder / f"c{i}.csv", index=False)
    for i in range(N_REGRESSION):
        X, y = regression_data(60, seed=i)
        X.assign(target=y).to_csv(folder / f"r{i}.csv", index=False)
    return folder


def _grid_size(n_configs):
    """How many evaluations meta-training on the folder runs."""
    return sum(
        n_datasets * len(configuration_grid(strategy, n_configs, random_state=0))
        for task, n_datasets in (("binary", N_BINARY), ("regression", N_REGRESSION))
        for strategy in resolve_portfolio(STRATEGIES, task)
    )


def _start(folder, kb, n_configs=N_CONFIGS):
    command = [sys.executable, "-m", "skmeta.cli", "metatrain", str(folder),
               "--kb", str(kb), "--portfolio", ",".join(STRATEGIES),
               "--n-configs", str(n_configs), "--cv", "2", "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _rows(kb):
    """Stored evaluations: key -> (id, score, fold_scores, created_at).

    Empty while the file or its schema does not exist yet. A plain
    connection: a read-only one cannot read a WAL file whose -shm file is gone.
    """
    if not kb.exists():
        return {}
    with closing(sqlite3.connect(kb, timeout=10)) as conn:
        try:
            rows = conn.execute(
                f"SELECT {KEY}, id, score, fold_scores, created_at FROM evaluations"
            ).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                raise
            return {}
    return {row[:6]: row[6:] for row in rows}


def _check_sound(kb):
    with closing(sqlite3.connect(kb)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:  # killed before the schema (one transaction) was made
            return
        duplicates = conn.execute(
            f"SELECT {KEY}, count(*) FROM evaluations GROUP BY {KEY} "
            "HAVING count(*) > 1"
        ).fetchall()
        assert duplicates == []
        count = conn.execute("SELECT count(*) FROM evaluations").fetchone()[0]
    with KnowledgeBase(kb) as opened:  # and skmeta opens it as it is
        assert len(opened) == count


def _kill_at_a_random_moment(process, kb, rng):
    """Kill ``process`` at a random moment; returns the rows seen just before.

    A third of the kills come at a random time (start-up, meta-features or
    evaluations); the others a random delay after a random number of new
    evaluations were stored. Returns None when the run ended by itself.
    """
    start_rows = len(_rows(kb))
    if rng.random() < 1 / 3:
        deadline = time.monotonic() + rng.uniform(0.2, 2.5)
        while time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.01)
    else:
        target = start_rows + rng.randint(1, 6)
        give_up = time.monotonic() + 20
        while (len(_rows(kb)) < target and process.poll() is None
               and time.monotonic() < give_up):
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.1))
    seen = _rows(kb)
    if process.poll() is not None:
        return None
    process.send_signal(signal.SIGKILL)
    process.communicate()
    return seen


def test_killed_metatrain_runs_lose_nothing_and_a_rerun_completes(folder, tmp_path):
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    kb = tmp_path / "kb.sqlite"
    total = _grid_size(N_CONFIGS)
    kills, finished_runs = 0, 0
    loop_end = time.monotonic() + KILL_LOOP_SECONDS
    while kills < MIN_KILLS and time.monotonic() < loop_end:
        process = _start(folder, kb)
        seen = _kill_at_a_random_moment(process, kb, rng)
        if seen is None:  # finished before the kill: nothing to check here
            finished_runs += 1
            assert process.returncode == 0, process.stderr.read()
            break
        kills += 1
        if kb.exists():
            _check_sound(kb)
        after = _rows(kb)
        lost = {key for key in seen if after.get(key) != seen[key]}
        assert not lost, f"seed {seed}, kill {kills}: lost {sorted(lost)[:3]}"
        assert len(after) < total or kills > 1, f"seed {seed}: the grid is too small"
    assert kills >= MIN_KILLS, (
        f"seed {seed}: only {kills} runs were killed midway ({finished_runs} finished)"
    )

    stored = _rows(kb)
    process = _start(folder, kb)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    match = re.search(
        r"evaluations run: (\d+), reused from the knowledge base: (\d+)", out)
    assert match, out
    assert (int(match[1]), int(match[2])) == (total - len(stored), len(stored))
    final = _rows(kb)
    assert len(final) == total
    assert all(final[key] == value for key, value in stored.items())
    _check_sound(kb)


def test_two_metatrain_processes_on_one_file(folder, tmp_path):
    kb = tmp_path / "kb.sqlite"
    total = _grid_size(0)
    processes = [_start(folder, kb, n_configs=0) for _ in range(2)]
    outputs = [process.communicate(timeout=120) for process in processes]
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert f"meta-trained on {N_BINARY + N_REGRESSION} datasets" in out
    runs = [int(re.search(r"evaluations run: (\d+)", out)[1]) for out, _ in outputs]
    assert sum(runs) >= total  # both may evaluate a key; it is stored once
    assert len(_rows(kb)) == total
    _check_sound(kb)
    with closing(sqlite3.connect(kb)) as conn:
        assert conn.execute("SELECT count(*) FROM datasets").fetchone() == (
            N_BINARY + N_REGRESSION,
        )
