"""Meta-learning the adjuster's settings by replaying stored experience.

Every stored dataset becomes a *replay problem*: the adjuster runs on it as it
would on a new dataset, with a prior and warm starts from a performance model
that never saw that dataset, but an evaluation is a look-up of the stored
score of the nearest stored configuration instead of a model fit. The
settings with the lowest mean regret after a few steps (``1 - best normalized
score found``, averaged over datasets, steps and seeds) become the defaults
that ``"auto"`` means in the estimators.

This is the meta-objective ``sum_i [L(theta | D_i) + alpha * L(lambda | D_i)]``
of the design: ``L(theta | D_i)`` is the zero-shot regret of the performance
model (its first recommendation), ``L(lambda | D_i)`` the regret of the
adjuster with settings ``lambda`` after ``n_steps`` evaluations.

The price of cost (``cost_weight``) cannot be learned on regret per
evaluation alone, which ignores time; it is learned second, with the other
settings fixed, on the mean of that regret and the regret per *second*: the
best score found within budgets of 5, 10 and 20 times the dataset's median
evaluation time, where an evaluation takes the stored seconds of the
configuration it looks up.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from skmeta.adjust.adjuster import AdjusterSettings, StrategyAdjuster, run_adjuster
from skmeta.adjust.warm_start import WarmStart, warm_start_from_predictions

__all__ = [
    "COST_WEIGHTS", "ReplayProblem", "SETTINGS_GRID", "TIME_BUDGETS", "learn_settings",
    "replay_regret",
]

#: Candidate values searched for each setting.
SETTINGS_GRID = {
    "temperature": [0.1, 0.25, 0.5, 1.0, 2.0],
    "learning_rate": [0.05, 0.25, 1.0, 4.0],
    "prior_weight": [0.0, 0.5, 1.0, 2.0],
    "step_size": [0.05, 0.15, 0.3],
}

#: Candidate values of ``cost_weight`` (learned after the others).
COST_WEIGHTS = [0.0, 0.05, 0.1, 0.2, 0.3, 0.5]

#: Time budgets of the cost objective, in median evaluation times.
TIME_BUDGETS = (5, 10, 20)

#: Evaluations a replay on a time budget may run at most.
_MAX_TIME_REPLAY_EVALUATIONS = 30


@dataclass
class ReplayProblem:
    """One stored dataset, ready for replay.

    Attributes
    ----------
    strategies : list of Strategy
    prior : ndarray of shape (n_strategies,)
        Predicted normalized score of each strategy (from a model that did
        not see this dataset).
    warm_starts : dict
        Strategy name -> configurations, best predicted first.
    stored : dict
        Strategy name -> (vectors of shape (n, d), normalized scores (n,))
        or (vectors, normalized scores, seconds (n,)): the stored
        configurations of the strategy on this dataset.
    candidates : tuple, optional
        (strategy names, configurations, predicted scores, predicted
        ``log2`` costs) of every candidate: with them, the start depends on
        ``cost_weight`` (:func:`~skmeta.adjust.warm_start_from_predictions`).
    """

    strategies: list
    prior: np.ndarray
    warm_starts: dict
    stored: dict
    candidates: tuple | None = None

    def start(self, cost_weight=0.0):
        """The :class:`~skmeta.adjust.WarmStart` for a price of cost."""
        if self.candidates is None:
            return WarmStart(self.prior, self.warm_starts)
        names, configs, predicted, log_cost = self.candidates
        return warm_start_from_predictions(
            self.strategies, names, configs, predicted, log_cost, cost_weight
        )

    def _nearest(self, strategy, config):
        entry = self.stored.get(strategy.name)
        if entry is None or len(entry[0]) == 0:
            return None, None
        vectors = entry[0]
        if vectors.shape[1] == 0:
            return entry, 0
        vector = np.asarray(strategy.space.to_vector(config), dtype=float)
        return entry, int(np.argmin(((vectors - vector) ** 2).sum(axis=1)))

    def lookup(self, strategy, config):
        """Stored normalized score of the nearest stored configuration."""
        entry, index = self._nearest(strategy, config)
        return None if entry is None else float(entry[1][index])

    @property
    def median_seconds(self):
        """Median stored evaluation time (NaN without timings)."""
        seconds = [e[2] for e in self.stored.values() if len(e) > 2 and len(e[2])]
        return float(np.median(np.concatenate(seconds))) if seconds else np.nan

    def seconds(self, strategy, config):
        """Stored seconds of the nearest stored configuration (the median
        evaluation time for a strategy without stored timings)."""
        entry, index = self._nearest(strategy, config)
        if entry is None or len(entry) < 3:
            return self.median_seconds
        return float(entry[2][index])


def _best_so_far(trace):
    scores = np.array([np.nan if r["score"] is None else r["score"] for r in trace])
    return np.fmax.accumulate(np.nan_to_num(scores, nan=-1.0))


def replay_regret(settings, problems, n_steps=(1, 3, 5), seeds=(0, 1), prior=True,
                  time_budgets=None):
    """Mean regret of the adjuster on replay problems.

    Parameters
    ----------
    settings : AdjusterSettings
    problems : list of ReplayProblem
    n_steps : tuple of int
        Regret is averaged over these evaluation counts.
    seeds : tuple of int
    prior : bool, default=True
        False replays a cold start (uniform prior, default configurations).
    time_budgets : tuple of float, optional
        Average the regret over these time budgets instead, in multiples of
        each problem's median stored evaluation time (problems without
        timings are skipped); nothing found within a budget counts as the
        failed score, -1.

    Returns
    -------
    float
        Mean of ``1 - best normalized score found`` (0 is no regret).
    """
    regrets = []
    for problem, seed in itertools.product(problems, seeds):
        unit = problem.median_seconds
        if time_budgets is not None and not (np.isfinite(unit) and unit > 0):
            continue
        start = problem.start(settings.cost_weight) if prior else WarmStart(None, {})
        adjuster = StrategyAdjuster(
            problem.strategies, start.prior, start.configurations, settings,
            random_state=seed, first=start.first,
        )

        def evaluate(proposals, seconds_left, problem=problem):
            return [{"score": problem.lookup(p.strategy, p.config),
                     "cost": problem.seconds(p.strategy, p.config) if time_budgets else 0.0}
                    for p in proposals]

        horizon = max(n_steps) if time_budgets is None else _MAX_TIME_REPLAY_EVALUATIONS
        trace = run_adjuster(adjuster, evaluate, horizon)
        best = _best_so_far(trace)
        if time_budgets is None:
            regrets.extend(1.0 - best[n - 1] for n in n_steps if n <= len(best))
            continue
        elapsed = np.cumsum([r["cost"] for r in trace]) / unit
        for budget in time_budgets:
            within = elapsed <= budget
            regrets.append(1.0 - (best[within].max() if within.any() else -1.0))
    return float(np.mean(regrets)) if regrets else float("nan")


def learn_settings(problems, grid=None, n_steps=(1, 3, 5), seeds=(0, 1), n_jobs=None,
                   cost_weights=None):
    """Grid-search the adjuster settings with the lowest replay regret.

    First ``temperature``, ``learning_rate``, ``prior_weight`` and
    ``step_size`` (``grid``) on regret per evaluation; then, with those
    fixed, ``cost_weight`` (``cost_weights``, default :data:`COST_WEIGHTS`)
    on the regret per second over :data:`TIME_BUDGETS`: the best score found
    within a time, which is what a user of a cost-aware search waits for
    (the regret per evaluation is reported beside it; on the shipped
    knowledge base it differs between cost weights by less than its
    seed-to-seed noise, while real searches with a higher weight finish in
    a fraction of the time, see ``benchmarks/bench_selection.py``). The second
    stage runs only when the problems have candidates with predicted costs
    and stored timings. Candidates are replayed in parallel with ``n_jobs``
    (joblib); the result does not depend on it.

    Returns
    -------
    settings : AdjusterSettings
    results : DataFrame
        One row per candidate: its settings, ``objective`` (``"evaluations"``
        or ``"cost"``) and ``regret`` (for ``"cost"``, ``time_regret``, with
        ``evaluation_regret`` beside it); best first within each objective.
    """
    if not problems:
        raise ValueError("no replay problems: meta-train on some datasets first.")
    grid = SETTINGS_GRID if grid is None else grid
    names = list(grid)
    candidates = list(itertools.product(*(grid[n] for n in names)))
    regrets = Parallel(n_jobs=n_jobs)(
        delayed(replay_regret)(AdjusterSettings(**dict(zip(names, values))),
                               problems, n_steps, seeds)
        for values in candidates
    )
    rows = [{**dict(zip(names, values)), "objective": "evaluations", "regret": regret}
            for values, regret in zip(candidates, regrets)]
    results = pd.DataFrame(rows).sort_values("regret", kind="stable").reset_index(drop=True)
    best = AdjusterSettings(**{n: float(results.at[0, n]) for n in names})
    timed = [p for p in problems if p.candidates is not None
             and p.candidates[3] is not None and np.isfinite(p.median_seconds)]
    if timed:
        weights = COST_WEIGHTS if cost_weights is None else cost_weights
        jobs = [(replace(best, cost_weight=float(w)), budgets)
                for w in weights for budgets in (None, TIME_BUDGETS)]
        regrets = Parallel(n_jobs=n_jobs)(
            delayed(replay_regret)(settings, timed, n_steps, seeds, time_budgets=budgets)
            for settings, budgets in jobs
        )
        per_evaluation, per_time = regrets[0::2], regrets[1::2]
        costs = pd.DataFrame([
            {**{n: getattr(best, n) for n in names}, "cost_weight": float(w),
             "objective": "cost", "regret": t,
             "evaluation_regret": e, "time_regret": t}
            for w, e, t in zip(weights, per_evaluation, per_time, strict=True)
        ]).sort_values("regret", kind="stable").reset_index(drop=True)
        best = replace(best, cost_weight=float(costs.at[0, "cost_weight"]))
        results = pd.concat([results, costs], ignore_index=True)
    return best, results
