"""Tests of the benchmarks' package: its examples, and the report's PASS/FAIL lines.

Not part of the project's suite (``testpaths``); run them with
``python -m pytest benchmarks/tests -p no:cacheprovider`` (about a minute).
"""

import doctest
import importlib
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from skbench.figures import Figures
from skbench.targets import Line, Section, Target, check_section

BENCHMARKS = Path(__file__).resolve().parents[1]
REPORTS = BENCHMARKS / "reports"
MODULES = ["figures", "held_out", "inputs", "random_search", "results", "scoring",
           "systems", "targets"]


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name):
    module = importlib.import_module(f"skbench.{name}")
    assert doctest.testmod(module).failed == 0


# Selection reports kept with the CSV they were printed from; their curves are
# not kept, so the one line computed from curves cannot be reproduced.
@pytest.mark.parametrize("name", ["quick13", "quick15", "reg14", "reg16", "baselines24", "full24", "full24b", "baselines24b"])
def test_report_reprints_the_kept_pass_fail_lines(name, tmp_path):
    results = REPORTS / f"selection_{name}.csv"
    systems = ",".join(pd.read_csv(results)["system"].unique())
    printed = subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench_selection.py"), "--report-only",
         "--results", str(results), "--systems", systems,
         "--plot", str(tmp_path / "adaptation.png")],
        capture_output=True, text=True, check=True).stdout.splitlines()
    kept = (REPORTS / f"selection_{name}.txt").read_text().splitlines()
    kept = [line for line in kept if line.startswith("  [")]
    assert kept
    assert [line for line in kept if line not in printed] == []


def _figures(**scopes):
    return {scope: Figures(scope, pd.DataFrame(
                {"mean_normalized": normalized, "mean_rank": [1.0, 2.0],
                 "median_seconds": [1.0, 4.0], "p95_seconds": [2.0, 8.0]},
                index=["a", "b"]))
            for scope, normalized in scopes.items()}


BEATS = Target("score", "mean_normalized(a)", ">", "mean_normalized(b)")
FASTER = Target("wall", "median_seconds_ratio(a, b)", "<=", 0.5)


def test_a_line_passes_when_every_target_does():
    line = Line("a vs b: {median_seconds_ratio(a, b):.2f} [{passed[score]}]",
                (BEATS, FASTER), systems=("a", "b"))
    figures = _figures(overall=[0.9, 0.8])
    assert check_section(Section("s", (line,)), figures, ["a", "b"]) == [
        "  [PASS] a vs b: 0.25 [PASS]"]
    figures = _figures(overall=[0.7, 0.8])
    assert check_section(Section("s", (line,)), figures, ["a", "b"]) == [
        "  [FAIL] a vs b: 0.25 [FAIL]"]


def test_lines_of_systems_not_run_are_left_out():
    line = Line("a vs b", (BEATS,), systems=("a", "b"))
    figures = _figures(overall=[0.9, 0.8])
    assert check_section(Section("s", (line,)), figures, ["a"]) == []


def test_a_scope_without_pairs():
    per_family = Line("{scope}", (BEATS,), systems=("a", "b"),
                      scopes=("classification", "regression"), missing="{scope}: none")
    both = Line("both", (BEATS,), systems=("a", "b"),
                checked_in=("classification", "regression"))
    figures = _figures(classification=[0.9, 0.8], overall=[0.9, 0.8])
    assert check_section(Section("s", (per_family, both)), figures, ["a", "b"]) == [
        "  [PASS] classification", "  [----] regression: none", "  [FAIL] both"]
    unavailable = Section("s", (per_family,), unavailable="needs both families")
    assert check_section(unavailable, figures, ["a", "b"]) == [
        "  [----] needs both families"]


def test_size_vote_averages_the_datasets_nearest_in_log_rows():
    from bench_zero_shot_rules import SIZE_NEIGHBOURS, size_vote

    ids = [f"d{i}" for i in range(SIZE_NEIGHBOURS + 2)]
    rows = pd.Series([10 ** (i + 1) for i in range(len(ids))], index=ids)
    # The candidate scores 1 on the small datasets and -1 on the two largest.
    grid = pd.DataFrame({("ridge", "a"): [1.0] * SIZE_NEIGHBOURS + [-1.0, -1.0]},
                        index=ids)
    keys = [("ridge", "a"), ("ridge", "never evaluated")]
    small = size_vote(grid, rows, ids, n_rows=10, keys=keys)
    large = size_vote(grid, rows, ids, n_rows=10 ** len(ids), keys=keys)
    assert small[0] == 1.0 and pd.isna(small[1])
    assert large[0] == (SIZE_NEIGHBOURS - 4) / SIZE_NEIGHBOURS
