"""The report of bench_selection.py: tables per task family, targets, adaptation.

It uses the (dataset, seed) pairs for which every selected system has a row
(:func:`~skbench.scoring.complete_blocks`), prints a table per task family
and overall, the failures, the PASS/FAIL lines of
:data:`~skbench.targets.SELECTION_TARGETS`, and the adaptation curves
(printed, and plotted with matplotlib).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .plots import plot_adaptation, plot_adaptation_seconds
from .results import load_curves, side_file
from .scoring import (
    SECONDS_SYSTEMS,
    adaptation_by_seconds,
    adaptation_curves,
    complete_blocks,
    evaluations_to_reach,
    family_summaries,
)


def _verdict(ok):
    return "PASS" if ok else "FAIL"


def _targets_issue13(tables, systems):
    """The targets of issue 13, as PASS/FAIL lines with the figures."""
    have = set(systems)
    lines = []
    if {"skmeta-10", "rs-20-cheap"} <= have:
        oks = []
        for family in ("classification", "regression"):
            if family not in tables:
                lines.append(f"  [----] (a) {family}: no complete pair yet")
                oks.append(False)
                continue
            summary, seconds = tables[family][0], tables[family][5]
            a, b = summary.loc["skmeta-10"], summary.loc["rs-20-cheap"]
            ratio = a["median_seconds"] / b["median_seconds"]
            per_pair = float((seconds["skmeta-10"] / seconds["rs-20-cheap"]).median())
            ok = ratio <= 0.5 and a["mean_normalized"] >= b["mean_normalized"]
            oks.append(ok)
            lines.append(
                f"  [{_verdict(ok)}] (a) {family}: skmeta-10 vs rs-20-cheap median wall "
                f"{a['median_seconds']:.2f} vs {b['median_seconds']:.2f} s (ratio of "
                f"medians {ratio:.2f}, needs <= 0.5; per-pair median ratio "
                f"{per_pair:.2f}), normalized {a['mean_normalized']:.3f} vs "
                f"{b['mean_normalized']:.3f} (needs >=)")
        summary, seconds = tables["overall"][0], tables["overall"][5]
        per_pair = float((seconds["skmeta-10"] / seconds["rs-20-cheap"]).median())
        ratio = (summary.loc["skmeta-10", "median_seconds"]
                 / summary.loc["rs-20-cheap", "median_seconds"])
        lines.append(f"  [{_verdict(all(oks))}] (a) both families; overall: ratio of "
                     f"medians {ratio:.2f}, per-pair median ratio {per_pair:.2f}")
    if {"skmeta-1", "hgb-default", "rf-default"} <= have:
        summary = tables["overall"][0]
        z, h, r = (summary.loc[k] for k in ("skmeta-1", "hgb-default", "rf-default"))
        ratio = z["median_seconds"] / h["median_seconds"]
        ok_wall, ok_p95 = ratio <= 3, z["p95_seconds"] <= 3
        ok_score = z["mean_normalized"] > max(h["mean_normalized"], r["mean_normalized"])
        lines.append(
            f"  [{_verdict(ok_wall and ok_p95 and ok_score)}] (b) zero-shot skmeta-1: "
            f"median wall {z['median_seconds']:.2f} s = {ratio:.2f}x hgb-default's "
            f"{h['median_seconds']:.2f} s (needs <= 3x) [{_verdict(ok_wall)}], p95 "
            f"{z['p95_seconds']:.2f} s (needs <= 3 s) [{_verdict(ok_p95)}], normalized "
            f"{z['mean_normalized']:.3f} vs hgb {h['mean_normalized']:.3f}, rf "
            f"{r['mean_normalized']:.3f} (needs above both) [{_verdict(ok_score)}]")
    if {"skmeta-b10", "flaml-30"} <= have:
        for family, table in tables.items():
            summary = table[0]
            a, b = summary.loc["skmeta-b10"], summary.loc["flaml-30"]
            ok = (a["mean_normalized"] > b["mean_normalized"]
                  and a["mean_rank"] < b["mean_rank"])
            lines.append(
                f"  [{_verdict(ok)}] (c) {family}: skmeta-b10 beats flaml-30: "
                f"normalized {a['mean_normalized']:.3f} vs {b['mean_normalized']:.3f}, "
                f"rank {a['mean_rank']:.2f} vs {b['mean_rank']:.2f}")
    return lines


def _targets_issue14(rows, tables, systems):
    """The regression targets of issue 14, as PASS/FAIL lines with the figures."""
    if not {"skmeta-10", "rs-20-cheap"} <= set(systems) or "regression" not in tables:
        return ["  [----] needs skmeta-10 and rs-20-cheap on regression pairs"]
    summary = tables["regression"][0]
    a, b = summary.loc["skmeta-10"], summary.loc["rs-20-cheap"]
    ok = a["mean_normalized"] >= b["mean_normalized"] + 0.02
    lines = [f"  [{_verdict(ok)}] regression normalized: skmeta-10 "
             f"{a['mean_normalized']:.3f} vs rs-20-cheap {b['mean_normalized']:.3f} "
             f"(needs >= +0.02, got {a['mean_normalized'] - b['mean_normalized']:+.3f})"]
    part = rows[rows["task"] == "regression"]
    r2 = part.pivot(index=["dataset", "seed"], columns="system", values="score")
    constant = part.groupby(["dataset", "seed"])["constant"].first()
    ours, theirs = r2["skmeta-10"].fillna(constant), r2["rs-20-cheap"].fillna(constant)
    ok = ours.mean() >= theirs.mean()
    lines.append(f"  [{_verdict(ok)}] regression mean R^2: skmeta-10 {ours.mean():.3f} "
                 f"vs rs-20-cheap {theirs.mean():.3f} (needs >=)")
    collapsed = (ours < constant - 0.1) & (theirs > constant)
    named = ", ".join(f"{d} (seed {s}: {ours[d, s]:.3f} vs constant {constant[d, s]:.3f})"
                      for d, s in collapsed[collapsed].index)
    lines.append(f"  [{_verdict(not collapsed.any())}] no pair where skmeta-10's R^2 is "
                 f"more than 0.1 below the constant's while rs-20-cheap's is above it"
                 f"{': ' + named if named else ''}")
    return lines


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
    curves = load_curves(side_file(results, "_curves.jsonl"), blocks, systems)
    print_targets(rows, tables, curves, systems)
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


def print_targets(rows, tables, curves, systems):
    """The PASS/FAIL lines of the targets."""
    print("\nTargets of issue 13:")
    for line in _targets_issue13(tables, systems):
        print(line)

    print("\nRegression targets of issue 14:")
    for line in _targets_issue14(rows, tables, systems):
        print(line)

    print("\nEarlier targets:")
    s = tables["overall"][0]
    if {"skmeta-10", "rs-30"} <= set(systems):
        a, b = s.loc["skmeta-10"], s.loc["rs-30"]
        ratio = a["median_seconds"] / b["median_seconds"]
        ok = (a["mean_normalized"] > b["mean_normalized"]
              and a["mean_rank"] < b["mean_rank"] and ratio < 0.5)
        print(f"  [{_verdict(ok)}] skmeta-10 beats rs-30: normalized "
              f"{a['mean_normalized']:.3f} vs {b['mean_normalized']:.3f} "
              f"({a['mean_normalized'] - b['mean_normalized']:+.3f}), rank "
              f"{a['mean_rank']:.2f} vs {b['mean_rank']:.2f} "
              f"({a['mean_rank'] - b['mean_rank']:+.2f}), median seconds "
              f"{a['median_seconds']:.1f} vs {b['median_seconds']:.1f} "
              f"(ratio {ratio:.2f}, needs < 0.5)")
    if {"skmeta-1", "hgb-default", "rf-default"} <= set(systems):
        z = s.loc["skmeta-1", "mean_normalized"]
        h = s.loc["hgb-default", "mean_normalized"]
        r = s.loc["rf-default", "mean_normalized"]
        print(f"  [{_verdict(z > max(h, r))}] zero-shot skmeta-1 beats the defaults: "
              f"normalized {z:.3f} vs hgb {h:.3f} ({z - h:+.3f}), rf {r:.3f} "
              f"({z - r:+.3f})")
    if {"skmeta-10", "cold-10"} <= set(systems):
        w = s.loc["skmeta-10", "mean_normalized"]
        c = s.loc["cold-10", "mean_normalized"]
        wr, cr = s.loc["skmeta-10", "mean_rank"], s.loc["cold-10", "mean_rank"]
        print(f"  [{_verdict(w > c)}] warm start beats cold start at 10 evaluations: "
              f"normalized {w:.3f} vs {c:.3f} ({w - c:+.3f}); "
              f"rank {wr:.2f} vs {cr:.2f}")
    needed = evaluations_to_reach(curves)
    if len(needed):
        needed_cold = evaluations_to_reach(curves, system="cold-10")
        cold = f"{float(np.median(needed_cold)):g}" if len(needed_cold) else "-"
        median = float(np.median(needed))
        print(f"  [{_verdict(median <= 3)}] median evaluations for skmeta-10 to reach "
              f"99% of rs-30's best CV score: {median:g} (target <= 3; over "
              f"{len(needed)} pairs, never within 10: {int(np.isinf(needed).sum())}; "
              f"cold-10: median {cold})")



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

