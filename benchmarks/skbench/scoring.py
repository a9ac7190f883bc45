"""Scores of the systems: held-out score, normalized score, ranks, adaptation.

Per (dataset, seed) pair, a system's test score is normalized as
``(score - constant) / (best of all systems - constant)``, the constant
predictor fit on the same training set; the adaptation curves normalize the
best cross-validation score so far the same way (see ``PROTOCOL.md``).

>>> holdout_score("regression", [1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
1.0
>>> best_so_far(np.array([np.nan, 0.5, 0.4, 0.7])).tolist()
[nan, 0.5, 0.5, 0.7]
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.metrics import balanced_accuracy_score, r2_score, roc_auc_score


def holdout_score(task, y_true, y_pred):
    """The test score: R² for regression, balanced accuracy otherwise."""
    if task == "regression":
        return float(r2_score(y_true, y_pred))
    return float(balanced_accuracy_score(y_true, y_pred))


def holdout_roc_auc(y_true, proba, classes):
    """The test ROC AUC of class probabilities (one-vs-rest, macro, for
    several classes); NaN when the test set holds a single class.

    >>> holdout_roc_auc(np.array(["a", "b", "b"]), np.array([[.9, .1], [.2, .8],
    ...                 [.6, .4]]), np.array(["a", "b"]))
    1.0
    """
    classes = np.asarray(classes)
    y_true = np.asarray(y_true)
    if len(np.unique(y_true)) < 2:
        return float("nan")
    if len(classes) == 2:
        return float(roc_auc_score(y_true == classes[1], proba[:, 1]))
    present = np.isin(classes, np.unique(y_true))
    if present.all():
        return float(roc_auc_score(y_true, proba, labels=classes, multi_class="ovr"))
    # Classes absent from the test set: the one-vs-rest mean over the others.
    return float(np.mean([roc_auc_score(y_true == c, proba[:, i])
                          for i, c in enumerate(classes) if present[i]]))


def constant_predictor(task):
    """The baseline every score is normalized against (most frequent class, mean)."""
    if task == "regression":
        return DummyRegressor(strategy="mean")
    return DummyClassifier(strategy="most_frequent")


def complete_blocks(table, systems):
    """Rows of the (dataset, seed) pairs where every system has a result.

    Pairs whose outer split failed (no constant predictor score) are left out.
    """
    table = table[table["system"].isin(systems) & table["constant"].notna()]
    table = table.drop_duplicates(["dataset", "seed", "system"], keep="last")
    counts = table.groupby(["dataset", "seed"])["system"].nunique()
    complete = counts[counts == len(systems)].index
    keyed = table.set_index(["dataset", "seed"])
    return keyed.loc[keyed.index.isin(complete)].reset_index()


def score_table(rows, systems):
    """Per system: mean normalized score, mean rank, median, p95 seconds, failures."""
    scores = rows.pivot(index=["dataset", "seed"], columns="system",
                        values="score")[systems]
    constant = rows.groupby(["dataset", "seed"])["constant"].first()
    best = scores.max(axis=1)
    gap = best - constant
    usable = gap > 0
    normalized = scores.sub(constant, axis=0).div(gap, axis=0)[usable]
    clipped = int((normalized < -1).sum().sum())
    normalized = normalized.fillna(0.0).clip(lower=-1.0)
    ranks = scores.fillna(-np.inf).rank(axis=1, ascending=False, method="average")
    seconds = rows.pivot(index=["dataset", "seed"], columns="system",
                         values="seconds")[systems]
    failures = scores.isna().sum()
    summary = pd.DataFrame({
        "mean_normalized": normalized.mean(),
        "mean_rank": ranks.mean(),
        "median_seconds": seconds.median(),
        "p95_seconds": seconds.quantile(0.95),
        "failures": failures,
    }).loc[systems]
    return summary, normalized, ranks, int((~usable).sum()), clipped, seconds


def family_of(task):
    """The task family a report groups by: classification or regression."""
    return "regression" if task == "regression" else "classification"

#: Size classes of a dataset's rows (training and test together), as
#: (name, lowest, highest): the issues' "small" and "more than 5,000 rows".
SIZE_CLASSES = (("< 1,000 rows", 0, 1000), ("1,000-5,000 rows", 1000, 5000),
                ("> 5,000 rows", 5000, math.inf))


def scope_rows(rows, scope):
    """The rows of a report scope: "overall", a family, or "<family> <size class>".

    >>> rows = pd.DataFrame({"task": ["binary", "regression", "regression"],
    ...                      "n_train": [600, 600, 6000], "n_test": [200, 200, 2000]})
    >>> scope_rows(rows, "regression > 5,000 rows").index.tolist()
    [2]
    """
    if scope == "overall":
        return rows
    family, _, size = scope.partition(" ")
    part = rows[rows["task"].map(family_of) == family]
    if not size:
        return part
    _, low, high = next(c for c in SIZE_CLASSES if c[0] == size)
    n_rows = part["n_train"] + part["n_test"]
    return part[(n_rows > low) & (n_rows <= high)]


def family_summaries(rows, systems):
    """{"classification": ..., "regression": ..., "overall": ...} -> score_table."""
    out = {}
    for family in ("classification", "regression"):
        part = scope_rows(rows, family)
        if not part.empty:
            out[family] = score_table(part, systems)
    out["overall"] = score_table(rows, systems)
    return out


def size_summaries(rows, systems):
    """{"<family> <size class>": score_table}, for the scopes with pairs.

    Printed after the families' tables; the issues set targets by size.
    """
    out = {}
    for family in ("classification", "regression"):
        for size, _, _ in SIZE_CLASSES:
            part = scope_rows(rows, f"{family} {size}")
            if not part.empty:
                out[f"{family} {size}"] = score_table(part, systems)
    return out


def roc_auc_tables(rows, systems):
    """{"classification <scope>": table of mean ROC AUC, mean rank, pairs won
    against catboost-default}, overall and per size class.

    Only systems with a ROC AUC on every pair of the scope are tabulated
    (those with ``predict_proba``).
    """
    out = {}
    scopes = ["classification"] + [
        f"classification {size}" for size, _, _ in SIZE_CLASSES]
    for scope in scopes:
        part = scope_rows(rows, scope)
        if part.empty:
            continue
        auc = part.pivot_table(index=["dataset", "seed"], columns="system",
                               values="roc_auc", aggfunc="first")
        auc = auc[[s for s in systems if s in auc and auc[s].notna().all()]]
        if auc.empty:
            continue
        table = pd.DataFrame({"mean_roc_auc": auc.mean(),
                              "mean_rank": auc.rank(axis=1, ascending=False).mean()})
        if "catboost-default" in auc:
            table["won_vs_catboost"] = auc.gt(auc["catboost-default"], axis=0).sum()
            table["lost_vs_catboost"] = auc.lt(auc["catboost-default"], axis=0).sum()
        table.index.name = f"{len(auc)} pairs"
        out[scope] = table
    return out


def task_summaries(rows, systems):
    """{"binary": ..., "multiclass": ...} -> score_table, for the tasks with pairs.

    Printed beside the families' tables; the targets are checked per family.
    """
    return {task: score_table(rows[rows["task"] == task], systems)
            for task in ("binary", "multiclass") if (rows["task"] == task).any()}


def best_so_far(curve):
    """The best score after each evaluation of a search."""
    return np.fmax.accumulate(curve)  # NaN (failures) until the first success


def evaluations_to_reach(curves, system="skmeta-10", reference="rs-30"):
    """Per block: first evaluation of ``system`` within 1 % of the reference's best."""
    needed = []
    for by_system in curves.values():
        if system not in by_system or reference not in by_system:
            continue
        target_curve = by_system[reference][0]
        if np.all(np.isnan(target_curve)):
            continue
        target = np.nanmax(target_curve)
        target -= 0.01 * abs(target)
        reached = np.flatnonzero(best_so_far(by_system[system][0]) >= target)
        needed.append(reached[0] + 1 if len(reached) else math.inf)
    return np.array(needed, dtype=float)


def _block_normalizer(by_system):
    """(constant cv, best cv of every search of the block), or None if unusable."""
    constant = next(iter(by_system.values()))[1]
    best = max((np.nanmax(c[0]) for c in by_system.values()
                if not np.all(np.isnan(c[0]))), default=np.nan)
    if not np.isfinite(best) or best <= constant:
        return None
    return constant, best


def adaptation_curves(curves, systems=("skmeta-10", "cold-10", "rs-30")):
    """Mean normalized best-so-far CV score after each evaluation, per system."""
    per_system = {s: [] for s in systems}
    for by_system in curves.values():
        if not all(s in by_system for s in systems):
            continue
        norm = _block_normalizer(by_system)
        if norm is None:
            continue
        constant, best = norm
        for s in systems:
            normalized = (best_so_far(by_system[s][0]) - constant) / (best - constant)
            per_system[s].append(np.clip(np.nan_to_num(normalized, nan=0.0), -1, 1))
    lengths = {s: min((len(v) for v in per_system[s]), default=0) for s in systems}
    return {s: np.mean(np.vstack([c[:lengths[s]] for c in v]), axis=0) if v
            else np.array([]) for s, v in per_system.items()}, \
        len(next(iter(per_system.values())))


SECONDS_SYSTEMS = ("skmeta-10", "skmeta-b30", "rs-20-cheap")


def adaptation_by_seconds(curves, systems=SECONDS_SYSTEMS, grid=None):
    """Mean normalized best-so-far CV score at each time of a log grid of seconds.

    Per block (only blocks where every system has a timed curve): at time t,
    the best CV score among the evaluations finished by t (0 before the first
    success; a finished search keeps its last value), normalized as in
    :func:`adaptation_curves`.
    """
    usable = {key: by_system for key, by_system in curves.items()
              if all(s in by_system and by_system[s][2] is not None
                     and len(by_system[s][2]) == len(by_system[s][0])
                     for s in systems)}
    if grid is None:
        last = max((np.nanmax(by_system[s][2]) for by_system in usable.values()
                    for s in systems if len(by_system[s][2])), default=1.0)
        grid = np.geomspace(0.05, max(1.2 * float(last), 1.0), 80)
    per_system = {s: [] for s in systems}
    for by_system in usable.values():
        norm = _block_normalizer(by_system)
        if norm is None:
            continue
        constant, best = norm
        for s in systems:
            curve, _, seconds = by_system[s]
            order = np.argsort(seconds, kind="stable")
            finished = np.searchsorted(seconds[order], grid, side="right")
            running = np.concatenate([[np.nan], best_so_far(curve[order])])
            normalized = (running[finished] - constant) / (best - constant)
            per_system[s].append(np.clip(np.nan_to_num(normalized, nan=0.0), -1, 1))
    n_blocks = len(next(iter(per_system.values())))
    means = {s: np.mean(np.vstack(v), axis=0) if v else np.array([])
             for s, v in per_system.items()}
    return grid, means, n_blocks

