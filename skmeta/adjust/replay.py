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
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from skmeta.adjust.adjuster import AdjusterSettings, StrategyAdjuster, run_adjuster

__all__ = ["ReplayProblem", "learn_settings", "replay_regret", "SETTINGS_GRID"]

#: Candidate values searched for each setting.
SETTINGS_GRID = {
    "temperature": [0.1, 0.25, 0.5, 1.0, 2.0],
    "learning_rate": [0.05, 0.25, 1.0, 4.0],
    "prior_weight": [0.0, 0.5, 1.0, 2.0],
    "step_size": [0.05, 0.15, 0.3],
}


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
        Strategy name -> (vectors of shape (n, d), normalized scores (n,)):
        the stored configurations of the strategy on this dataset.
    """

    strategies: list
    prior: np.ndarray
    warm_starts: dict
    stored: dict

    def lookup(self, strategy, config):
        """Stored normalized score of the nearest stored configuration."""
        vectors, scores = self.stored.get(strategy.name, (None, None))
        if vectors is None or len(vectors) == 0:
            return None
        vector = np.asarray(strategy.space.to_vector(config), dtype=float)
        if vectors.shape[1] == 0:
            return float(scores[0])
        nearest = np.argmin(((vectors - vector) ** 2).sum(axis=1))
        return float(scores[nearest])


def replay_regret(settings, problems, n_steps=(1, 3, 5), seeds=(0, 1), prior=True):
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

    Returns
    -------
    float
        Mean of ``1 - best normalized score found`` (0 is no regret).
    """
    regrets = []
    horizon = max(n_steps)
    for problem, seed in itertools.product(problems, seeds):
        adjuster = StrategyAdjuster(
            problem.strategies,
            problem.prior if prior else None,
            problem.warm_starts if prior else {},
            settings,
            random_state=seed,
        )

        def evaluate(proposals, seconds_left, problem=problem):
            return [{"score": problem.lookup(p.strategy, p.config)} for p in proposals]

        trace = run_adjuster(adjuster, evaluate, horizon)
        scores = np.array([np.nan if r["score"] is None else r["score"] for r in trace])
        best = np.fmax.accumulate(np.nan_to_num(scores, nan=-1.0))
        regrets.extend(1.0 - best[n - 1] for n in n_steps if n <= len(best))
    return float(np.mean(regrets))


def learn_settings(problems, grid=None, n_steps=(1, 3, 5), seeds=(0, 1), n_jobs=None):
    """Grid-search the adjuster settings with the lowest replay regret.

    Candidates are replayed in parallel with ``n_jobs`` (joblib); the result
    does not depend on it.

    Returns
    -------
    settings : AdjusterSettings
    results : DataFrame
        One row per candidate: its settings and ``regret``, best first.
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
    rows = [{**dict(zip(names, values)), "regret": regret}
            for values, regret in zip(candidates, regrets)]
    results = pd.DataFrame(rows).sort_values("regret", kind="stable").reset_index(drop=True)
    best = results.iloc[0]
    return AdjusterSettings(**{n: float(best[n]) for n in names}), results
