"""The racing policy: how far a first fold may fall below the best and still
be promoted, learned by races simulated on stored fold scores.

A search scores each proposal on one fold first and completes only those
whose first fold is not clearly below the best complete candidate's score
on that fold (:class:`~skmeta.fold_race.FoldRace`). "Clearly" is a number of
that candidate's fold-to-fold standard deviations: the *promotion margin*.
A small margin saves folds and risks dropping the proposal that would have
been best; a large one spends folds to be sure. Which is worth it depends on
the data: on a few hundred rows one fold says little about the others, on
many thousands it says almost everything (``benchmarks/bench_fidelity.py``).

:func:`learn_racing_policy` chooses the margin for each size of dataset by
simulating races on the stored fold scores of the knowledge base, with no
fit: on every stored dataset, sequences of configurations drawn from the
better half of its stored ones (what a warm-started search proposes) are
raced as a search would race them, two at a time, and each margin is scored
by the objective that prices cost in the adjuster's replay
(:mod:`skmeta.adjust.replay`): the mean of the regret after 10 evaluations
and the regret within 5, 10 and 20 times the dataset's median evaluation
seconds. For each size class the policy
takes the *smallest* margin whose objective is within one standard error of
the best margin's (the one-standard-error rule: the cheapest protocol that
is as good as the best within what the simulation can tell apart).

("Replay" in skmeta is the adjuster's: its runs replayed on stored
experience, :mod:`skmeta.adjust.replay`. A race here is *simulated*:
:func:`simulate_race` was called ``replay_race`` before 0.1.)
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from skmeta._deprecation import renamed_attributes
from skmeta.adjust.replay import TIME_BUDGETS
from skmeta.fold_race import first_batch_threshold, promotion_threshold
from skmeta.selection.cost import evaluated_rows

__all__ = [
    "DEFAULT_MARGIN", "MARGIN_GRID", "RacingPolicy", "SIZE_BOUNDS",
    "learn_racing_policy", "simulate_race",
]

#: Upper bounds (rows evaluated on) of the size classes; the last class is
#: everything larger (the knowledge base's main protocol evaluates at most
#: 5,000 rows, so what it learns on 2,000-5,000 rows stands for more too).
SIZE_BOUNDS = (1000, 2000)

#: Promotion margins tried, in standard deviations of the best candidate's
#: fold scores.
MARGIN_GRID = (0.0, 0.25, 0.5, 1.0, 2.0)

#: The margin without learned experience.
DEFAULT_MARGIN = 1.0

#: A size class with fewer stored datasets takes the margin chosen on all
#: datasets of the family.
MIN_DATASETS_PER_CLASS = 8

#: Configurations in one simulated race, the evaluations the regret is read
#: after, and how many proposals are raced together.
RACE_LENGTH, RACE_EVALUATIONS, RACE_BATCH = 30, 10, 2

#: Stored configurations a dataset needs for its races to be simulated.
MIN_CONFIGURATIONS = 12



@dataclass(frozen=True)
class RacingPolicy:
    """Promotion margins by the size of the data a search evaluates on.

    Parameters
    ----------
    bounds : tuple of int
        Upper bounds of the size classes (rows); the last class has none.
    margins : tuple of float
        One margin per class (``len(bounds) + 1``), in standard deviations
        of the best candidate's fold scores.

    Examples
    --------
    >>> from skmeta.race_policy import RacingPolicy
    >>> policy = RacingPolicy(bounds=(1000,), margins=(1.0, 0.25))
    >>> policy.margin(300), policy.margin(20000)
    (1.0, 0.25)
    >>> RacingPolicy.from_dict(policy.to_dict()) == policy
    True
    """

    bounds: tuple = SIZE_BOUNDS
    margins: tuple = (DEFAULT_MARGIN,) * (len(SIZE_BOUNDS) + 1)

    def __post_init__(self):
        object.__setattr__(self, "bounds", tuple(int(b) for b in self.bounds))
        object.__setattr__(self, "margins", tuple(float(m) for m in self.margins))
        if len(self.margins) != len(self.bounds) + 1:
            raise ValueError(
                f"a racing policy needs one margin per size class: "
                f"{len(self.bounds) + 1} for bounds {self.bounds}, got "
                f"{len(self.margins)}"
            )
        if any(not m >= 0 or not math.isfinite(m) for m in self.margins):
            raise ValueError(f"promotion margins must be finite and >= 0, got {self.margins}")

    def margin(self, n_rows):
        """The promotion margin for a search on ``n_rows`` rows."""
        return self.margins[_size_class(n_rows, self.bounds)]

    def to_dict(self):
        return {"bounds": list(self.bounds), "margins": list(self.margins)}

    @classmethod
    def from_dict(cls, values):
        return cls(bounds=tuple(values["bounds"]), margins=tuple(values["margins"]))


def _size_class(n_rows, bounds):
    return int(np.searchsorted(np.asarray(bounds), n_rows, side="left"))


def simulate_race(fold_scores, fold_seconds, order, margin, n_evaluations=RACE_EVALUATIONS,
                batch_size=RACE_BATCH):
    """Race stored configurations as a search would, on their fold scores.

    Parameters
    ----------
    fold_scores : ndarray of shape (n_configs, n_folds)
        Higher is better.
    fold_seconds : ndarray of shape (n_configs,)
        Seconds of one fold of each configuration.
    order : sequence of int
        The configurations proposed, in order (repeats allowed).
    margin : float
        The promotion margin.
    n_evaluations : int, default=10
        Proposals after which ``best_after`` is read.
    batch_size : int, default=2

    Returns
    -------
    best_after : int
        The best complete configuration after ``n_evaluations`` proposals.
    trace : list of (float, int)
        After each proposal: seconds spent so far and the best complete
        configuration then.

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.race_policy import simulate_race
    >>> scores = np.array([[0.80, 0.82, 0.81], [0.60, 0.62, 0.61], [0.85, 0.86, 0.84]])
    >>> best, trace = simulate_race(scores, np.ones(3), [0, 1, 2, 1], margin=1.0,
    ...                             n_evaluations=4)
    >>> int(best), [round(seconds) for seconds, _ in trace]
    (2, [3, 4, 7, 8])
    """
    scores = np.asarray(fold_scores, dtype=float)
    n_folds = scores.shape[1]
    means = scores.mean(axis=1)
    complete, trace, best_after, spent = [], [], None, 0.0
    for start in range(0, len(order), batch_size):
        batch = list(order[start:start + batch_size])
        reference = max(complete, key=lambda i: means[i]) if complete else None
        if reference is None:
            threshold = first_batch_threshold(scores[batch, 0].max())
        else:
            threshold = promotion_threshold(scores[reference], margin)
        for i in batch:
            spent += fold_seconds[i]
            if scores[i, 0] >= threshold:
                complete.append(i)
                spent += (n_folds - 1) * fold_seconds[i]
            trace.append((spent, max(complete, key=lambda j: means[j]) if complete else None))
            if len(trace) == n_evaluations:
                best_after = trace[-1][1]
    if best_after is None and trace:
        best_after = trace[-1][1]
    return best_after, trace


__getattr__ = renamed_attributes(__name__, {"replay_race": "simulate_race"})


def _race_problems(runs, rows):
    """Per stored dataset: (rows, fold scores, fold seconds, normalized scores)."""
    problems = []
    for dataset_id, group in runs.groupby("dataset_id", sort=True):
        group = group[group["status"] == "ok"].drop_duplicates(
            subset=["strategy", "config_key"])
        folds = [json.loads(s) if isinstance(s, str) else list(s)
                 for s in group["fold_scores"]]
        n_folds = max((len(f) for f in folds), default=0)
        keep = np.array([len(f) == n_folds for f in folds], dtype=bool)
        if n_folds < 2 or keep.sum() < MIN_CONFIGURATIONS:
            continue
        scores = np.array([f for f, k in zip(folds, keep) if k], dtype=float)
        if not np.isfinite(scores).all():
            continue
        seconds = np.maximum(group["fit_seconds"].to_numpy(dtype=float)[keep], 1e-3) / n_folds
        means = scores.mean(axis=1)
        median, best = np.median(means), means.max()
        normalized = np.clip((means - median) / max(best - median, 1e-12), -1.0, 1.0)
        cv = group["cv"].iloc[0]
        problems.append((dataset_id, evaluated_rows(cv, rows.get(dataset_id, np.nan)),
                         scores, seconds, normalized))
    return problems


def _objective(problem, margin, orders):
    _, _, scores, seconds, normalized = problem
    median_evaluation = float(np.median(seconds)) * scores.shape[1]
    values = []
    for order in orders:
        best, trace = simulate_race(scores, seconds, order, margin)
        regret = 1.0 - normalized[best]
        within = []
        for budget in TIME_BUDGETS:
            found = [j for spent, j in trace
                     if spent <= budget * median_evaluation and j is not None]
            within.append(1.0 - (normalized[found[-1]] if found else -1.0))
        values.append((regret + float(np.mean(within))) / 2)
    return float(np.mean(values))


def learn_racing_policy(runs, rows, *, margins=MARGIN_GRID, bounds=SIZE_BOUNDS,
                        n_repeats=10, random_state=0):
    """Choose a promotion margin per size class by simulating races on stored fold scores.

    Parameters
    ----------
    runs : DataFrame
        Stored evaluations of one task family under each dataset's main
        protocol, with ``dataset_id``, ``strategy``, ``config_key``, ``cv``,
        ``status``, ``fold_scores`` and ``fit_seconds``.
    rows : mapping
        Dataset id -> number of rows.
    margins : sequence of float, default=MARGIN_GRID
    bounds : tuple of int, default=SIZE_BOUNDS
    n_repeats : int, default=10
        Simulated races per dataset and margin.
    random_state : int, default=0

    Returns
    -------
    policy : RacingPolicy
    results : DataFrame
        One row per (size class, margin): ``datasets``, ``objective`` (mean),
        ``standard_error`` (of its difference to the best margin of the
        class) and ``chosen``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from skmeta.race_policy import learn_racing_policy
    >>> rng = np.random.default_rng(0)
    >>> runs = pd.DataFrame([
    ...     {"dataset_id": f"d{d}", "strategy": "s", "config_key": str(c), "cv": "3-fold",
    ...      "status": "ok", "fit_seconds": 1.0,
    ...      "fold_scores": list(0.5 + 0.01 * c + rng.normal(0, 0.01, 3))}
    ...     for d in range(3) for c in range(20)])
    >>> policy, results = learn_racing_policy(runs, {"d0": 100, "d1": 100, "d2": 100},
    ...                                       n_repeats=2)
    >>> len(policy.margins), int(results["chosen"].sum())  # one size class stored
    (3, 1)
    """
    margins = sorted(float(m) for m in margins)
    problems = _race_problems(runs, rows)
    rng = np.random.default_rng(random_state)
    records = []
    for problem in problems:
        normalized = problem[4]
        better_half = np.argsort(-normalized, kind="stable")[:max(RACE_EVALUATIONS,
                                                                 len(normalized) // 2)]
        orders = [rng.choice(better_half, size=RACE_LENGTH, replace=True)
                  for _ in range(n_repeats)]
        size = _size_class(problem[1], bounds)
        for margin in margins:
            records.append({"dataset_id": problem[0], "size_class": size,
                            "margin": margin, "objective": _objective(problem, margin, orders)})
    table = pd.DataFrame(records, columns=["dataset_id", "size_class", "margin", "objective"])
    if table.empty:
        return RacingPolicy(bounds, (DEFAULT_MARGIN,) * (len(bounds) + 1)), pd.DataFrame(
            columns=["size_class", "margin", "datasets", "objective", "standard_error",
                     "chosen"])
    overall = _choose(table)[0]
    chosen, rows_out = [], []
    for size in range(len(bounds) + 1):
        part = table[table["size_class"] == size]
        n_datasets = part["dataset_id"].nunique()
        if n_datasets >= MIN_DATASETS_PER_CLASS:
            margin, summary = _choose(part)
        else:
            margin, summary = overall, _choose(part)[1] if n_datasets else None
        chosen.append(margin)
        if summary is not None:
            summary = summary.assign(size_class=size, datasets=n_datasets,
                                     chosen=summary["margin"] == margin)
            rows_out.append(summary)
    results = pd.concat(rows_out, ignore_index=True)[
        ["size_class", "margin", "datasets", "objective", "standard_error", "chosen"]]
    return RacingPolicy(bounds, tuple(chosen)), results


def _choose(table):
    """The smallest margin within one standard error of the best; the summary."""
    wide = table.pivot_table(index="dataset_id", columns="margin", values="objective")
    means = wide.mean()
    best = means.idxmin()
    differences = wide.sub(wide[best], axis=0)
    errors = differences.std(ddof=1).fillna(0.0) / np.sqrt(len(wide))
    within = [m for m in means.index if means[m] - means[best] <= errors[m]]
    summary = pd.DataFrame({"margin": means.index, "objective": means.to_numpy(),
                            "standard_error": errors.to_numpy()})
    return float(min(within)), summary
