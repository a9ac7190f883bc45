"""The report of bench_selection.py: tables per task family, targets, adaptation.

It uses the (dataset, seed) pairs for which every selected system has a row
(:func:`~skbench.scoring.complete_blocks`), prints a table per task family
and overall, then binary and multiclass apart, the failures, the PASS/FAIL lines of
:data:`~skbench.targets.SELECTION_TARGETS`, and the adaptation curves
(printed, and plotted with matplotlib). Each family's pairs are also
tabulated by size class (:data:`~skbench.scoring.SIZE_CLASSES`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .figures import Figures
from .plots import plot_adaptation, plot_adaptation_seconds
from .results import load_curves, side_file
from .scoring import (
    SECONDS_SYSTEMS,
    adaptation_by_seconds,
    adaptation_curves,
    complete_blocks,
    family_summaries,
    roc_auc_tables,
    scope_rows,
    size_summaries,
    task_summaries,
)
from .targets import SELECTION_TARGETS, check_section


def scope_figures(rows, tables, curves):
    """Scope -> :class:`~skbench.figures.Figures`, for every scope with pairs."""
    return {scope: Figures(scope, table[0], seconds=table[5],
                           rows=scope_rows(rows, scope), curves=curves)
            for scope, table in tables.items()}


def report(results, systems, plot_path, plot_seconds_path=None):
    """Print the report of the results file (and write the plots) for ``systems``."""
    if not results.is_file():
        raise SystemExit(f"no results file {results}; run the benchmark first.")
    table = pd.read_csv(results)
    rows = complete_blocks(table, systems)
    if rows.empty:
        print("no (dataset, seed) pair has a result for every system yet.")
        return
    blocks = set(zip(rows["dataset"], rows["seed"].astype(int), strict=True))
    tables = family_summaries(rows, list(systems))
    print_tables(rows, blocks, tables)
    print_task_tables(rows, list(systems))
    sizes = size_summaries(rows, list(systems))
    print_size_tables(sizes)
    print_roc_auc(rows, list(systems))
    curves = load_curves(side_file(results, "_curves.jsonl"), blocks, systems)
    print_targets(scope_figures(rows, {**tables, **sizes}, curves), systems)
    print_adaptation(curves, systems, plot_path, plot_seconds_path)


def print_tables(rows, blocks, tables):
    """The pairs used, then per scope the score table, then the failures."""
    n_datasets = rows["dataset"].nunique()
    seeds = sorted(int(s) for s in rows["seed"].unique())
    tasks = rows.drop_duplicates("dataset")["task"].value_counts().to_dict()
    kbs = sorted(rows["kb"].dropna().unique())
    skipped, clipped = tables["overall"][3:5]
    print(f"\n{len(blocks)} (dataset, seed) pairs: {n_datasets} datasets {tasks}, "
          f"seeds {seeds}; knowledge base {', '.join(kbs)}")
    if skipped:
        print(f"{skipped} pairs where no system beat the constant predictor are "
              "left out of the normalized score.")
    if clipped:
        print(f"{clipped} normalized scores below -1 clipped to -1.")
    for family, family_table in tables.items():
        n_pairs = len(family_table[2])
        print(f"\n{family} ({n_pairs} pairs):")
        print(family_table[0].to_string(float_format=lambda v: f"{v:.3f}"))
    errors = rows[rows["error"].notna() & (rows["error"] != "")]
    if len(errors):
        print("\nFailures (first error of each system):")
        for system, group in errors.groupby("system"):
            print(f"  {system}: {len(group)} x, e.g. {group['error'].iloc[0][:160]}")


def print_task_tables(rows, systems):
    """The classification pairs' tables again, binary and multiclass apart."""
    for task, task_table in task_summaries(rows, systems).items():
        print(f"\n{task} ({len(task_table[2])} pairs):")
        print(task_table[0].to_string(float_format=lambda v: f"{v:.3f}"))


def print_size_tables(sizes):
    """Each family's tables again, by size class of the datasets' rows."""
    for scope, size_table in sizes.items():
        print(f"\n{scope} ({len(size_table[2])} pairs):")
        print(size_table[0].to_string(float_format=lambda v: f"{v:.3f}"))


def print_roc_auc(rows, systems):
    """Classification's mean test ROC AUC per system, overall and by size
    class, for the systems that have it on every pair of the scope."""
    if "roc_auc" not in rows:
        return
    tables = roc_auc_tables(rows, systems)
    for scope, table in tables.items():
        print(f"\nROC AUC, {scope}:")
        print(table.to_string(float_format=lambda v: f"{v:.4f}"))


def print_targets(figures, systems):
    """The PASS/FAIL lines of every section of :data:`SELECTION_TARGETS`."""
    for section in SELECTION_TARGETS:
        print(f"\n{section.title}:")
        for line in check_section(section, figures, systems):
            print(line)


def print_adaptation(curves, systems, plot_path, plot_seconds_path):
    """The adaptation curves against evaluations and seconds, printed and plotted."""
    plotted = [s for s in ("skmeta-10", "cold-10", "rs-30") if s in systems]
    means, n_curves = adaptation_curves(curves, plotted) if plotted else ({}, 0)
    if n_curves:
        print("\nAdaptation (mean normalized best CV score after evaluation "
              "1, 3, 5, 10, 30):")
        for system, mean in means.items():
            points = ", ".join(f"{mean[i - 1]:.3f}" if i <= len(mean) else "-"
                               for i in (1, 3, 5, 10, 30))
            print(f"  {system:>10}: {points}")
        plot_adaptation(means, n_curves, plot_path)

    timed = [s for s in SECONDS_SYSTEMS if s in systems]
    if timed and plot_seconds_path is not None:
        grid, by_seconds, n_timed = adaptation_by_seconds(curves, timed)
        if n_timed:
            marks = (0.5, 1, 2, 5, 10, 30)
            print("\nAdaptation against wall seconds (mean normalized best CV score "
                  f"at {', '.join(f'{m:g}' for m in marks)} s; {n_timed} pairs):")
            _, at_marks, _ = adaptation_by_seconds(curves, timed, np.array(marks))
            for system, at in at_marks.items():
                print(f"  {system:>11}: {', '.join(f'{v:.3f}' for v in at)}")
            plot_adaptation_seconds(grid, by_seconds, n_timed, plot_seconds_path)
        else:
            print("\nno pair has a timed curve of every one of "
                  f"{', '.join(timed)}: no adaptation-against-seconds plot")

