"""The warm-started gradient/softmax strategy adjuster.

The adjuster decides *what* to evaluate next; *how* a candidate is evaluated
is the caller's ``evaluate`` function (cross-validation in the estimators, a
look-up of stored scores when replaying experience). One run:

1. ``pi = softmax(H / temperature)`` over the strategies, ``H`` warm-started
   from the meta-model's predicted scores (:class:`~skmeta.adjust.policy.SoftmaxPolicy`);
2. choose strategies: the most probable one first, then samples from ``pi``
   (seeded);
3. each chosen strategy proposes a configuration
   (:class:`~skmeta.adjust.proposals.ConfigurationProposer`), unless none
   it offers may beat its evaluated neighbours (a configuration already
   evaluated, or any of a strategy whose scores never moved): then another
   strategy is chosen (:mod:`skmeta.adjust.noise_floor`);
4. evaluate the batch, then update ``H`` and the proposers with the scores.

It stops after ``n_evaluations``, when ``time_budget`` seconds have passed,
or when the caller's ``should_stop`` says so (the estimators stop when the
time left would not cover the next evaluation and the final refit). The clock
only stops the run: which candidate comes next never depends on it, so a fixed
``n_evaluations`` gives the same run every time.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import numpy as np

from skmeta.adjust.noise_floor import NoiseFloor
from skmeta.adjust.policy import SoftmaxPolicy
from skmeta.adjust.proposals import ConfigurationProposer

__all__ = ["AdjusterSettings", "Proposal", "StrategyAdjuster", "run_adjuster",
           "trace_row"]

#: Proposals a strategy gets to offer one that may beat its evaluated
#: neighbours (:class:`~skmeta.adjust.noise_floor.NoiseFloor`), before it
#: is settled.
REDRAWS = 3


@dataclass(frozen=True)
class AdjusterSettings:
    """The adjuster's hyperparameters (meta-learned by ``MetaLearner.fit``).

    Attributes
    ----------
    temperature : float
        Softmax temperature: lower is greedier.
    learning_rate : float
        Step of the preference update.
    prior_weight : float
        Weight of the meta-model's prior in the starting preferences.
    step_size : float
        Standard deviation of configuration proposals in the normalized space.
    cost_weight : float
        Price of predicted cost in the starting preferences: a candidate
        twice as slow as the median must be predicted ``cost_weight`` better
        (in normalized score) to rank the same
        (:mod:`skmeta.adjust.warm_start`). 0 ignores cost.
    """

    temperature: float = 0.1
    learning_rate: float = 1.0
    prior_weight: float = 1.0
    step_size: float = 0.15
    cost_weight: float = 0.0

    def __post_init__(self):
        for name in ("temperature", "learning_rate", "step_size"):
            value = getattr(self, name)
            if not (np.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a positive number, got {value!r}.")
        for name in ("prior_weight", "cost_weight"):
            value = getattr(self, name)
            if not (np.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a non-negative number, got {value!r}.")


@dataclass
class Proposal:
    """One candidate chosen by the adjuster."""

    step: int
    strategy_index: int
    strategy: object
    config: dict
    probabilities: np.ndarray = field(repr=False)


class StrategyAdjuster:
    """Choose strategies and configurations, and learn from their scores.

    Parameters
    ----------
    strategies : list of Strategy
    prior : array-like of shape (n_strategies,) or None
        Predicted (normalized) score of every strategy; None for a uniform
        start (cold start).
    warm_starts : dict, optional
        Strategy name -> configurations to try first, best first.
    settings : AdjusterSettings
    random_state : int or None
    first : int, optional
        Index of the strategy evaluated first (the zero-shot pick, see
        :class:`~skmeta.adjust.warm_start.WarmStart`); by default the one
        with the highest prior. Ignored when ``settings.prior_weight`` is 0
        (a uniform start).

    fallbacks : list of (int, dict), optional
        (strategy index, configuration) pairs proposed, in order, while
        every evaluation so far has failed: the estimators put the cheapest
        predicted candidates here, so that a search whose first, expensive
        pick ran out of time still ends with a model.

    Notes
    -----
    A strategy whose evaluation failed (crashed, timed out, scored NaN) is
    not proposed again while another strategy has not failed: failures tend
    to repeat on a dataset (a slow learner, too many neighbours for the rows)
    and an evaluation spent on them is lost. Nor is a *settled* strategy,
    one whose configurations cannot beat the evaluated ones on this dataset
    (see :meth:`tell`'s ``fold_scores``).

    Examples
    --------
    >>> from skmeta.adjust import AdjusterSettings, StrategyAdjuster, run_adjuster
    >>> from skmeta.strategies import default_portfolio
    >>> strategies = default_portfolio("binary")[:3]
    >>> adjuster = StrategyAdjuster(strategies, [1.0, 0.0, 0.0], {},
    ...                             AdjusterSettings(), random_state=0)
    >>> scores = {strategies[0].name: 0.9, strategies[1].name: 0.7,
    ...           strategies[2].name: 0.6}
    >>> def evaluate(proposals, seconds_left):
    ...     return [{"score": scores[p.strategy.name]} for p in proposals]
    >>> trace = run_adjuster(adjuster, evaluate, n_evaluations=4)
    >>> trace[0]["strategy"] == strategies[0].name
    True
    """

    def __init__(self, strategies, prior, warm_starts, settings, random_state=None,
                 first=None, fallbacks=None):
        if not strategies:
            raise ValueError("the adjuster needs at least one strategy.")
        self.strategies = list(strategies)
        prior = np.zeros(len(self.strategies)) if prior is None else np.asarray(prior, float)
        if prior.shape != (len(self.strategies),):
            raise ValueError(
                f"prior has shape {prior.shape}, expected ({len(self.strategies)},)."
            )
        self.settings = settings
        self.rng = np.random.default_rng(random_state)
        self.policy = SoftmaxPolicy(
            prior, settings.prior_weight, settings.temperature, settings.learning_rate
        )
        warm_starts = warm_starts or {}
        self.proposers = [
            ConfigurationProposer(
                s, warm_starts.get(s.name, []), settings.step_size, self.rng
            )
            for s in self.strategies
        ]
        if first is not None and not 0 <= first < len(self.strategies):
            raise ValueError(
                f"first must index one of the {len(self.strategies)} strategies, got {first!r}."
            )
        # A zero prior weight is a uniform start, zero-shot pick included.
        self.first = first if settings.prior_weight > 0 else None
        self.step = 0
        self.failed = np.zeros(len(self.strategies), dtype=bool)
        self.settled = np.zeros(len(self.strategies), dtype=bool)
        self.noise_floor = NoiseFloor()
        self.succeeded = False
        self.fallbacks = list(fallbacks or [])

    def ask(self, n=1):
        """Propose ``n`` candidates from the current policy."""
        pi = self._eligible(self.policy.probabilities())
        proposals = []
        for _ in range(n):
            if self.step > 0 and not self.succeeded and self.fallbacks:
                index, config = self.fallbacks.pop(0)
                proposals.append(
                    Proposal(self.step, index, self.strategies[index], config, pi.copy())
                )
                continue
            if self.step == 0 and not proposals:
                # zero-shot: the most promising first
                index = int(np.argmax(pi)) if self.first is None else self.first
                config = self.proposers[index].propose()
            else:
                index, config = self._informative_proposal(pi)
            proposals.append(
                Proposal(self.step, index, self.strategies[index], config, pi.copy())
            )
        self.step += 1
        return proposals

    def _informative_proposal(self, pi):
        """A strategy drawn from ``pi`` and a configuration of it that may beat
        its evaluated neighbours (see :mod:`skmeta.adjust.noise_floor`).

        A strategy that offers no such configuration in
        :data:`REDRAWS` proposals is *settled*: it is not drawn again while
        another strategy is neither settled nor failed.
        """
        while True:
            index = int(self.rng.choice(len(pi), p=pi))
            proposer = self.proposers[index]
            for _ in range(REDRAWS):
                config = proposer.propose()
                vector = self.strategies[index].space.to_vector(config)
                if not self.noise_floor.redundant(index, vector):
                    return index, config
            self.settled[index] = True
            if (self.failed | self.settled).all():
                return index, config
            pi = self._eligible(self.policy.probabilities())

    def _eligible(self, pi):
        """``pi`` over the strategies neither failed nor settled (over those
        not failed if there are none; over all if all failed)."""
        excluded = self.failed | self.settled
        if excluded.all():
            excluded = self.failed
        if not excluded.any() or excluded.all():
            return pi
        kept = np.where(excluded, 0.0, pi)
        if kept.sum() == 0:  # a greedy policy put all its mass on excluded ones
            kept = (~excluded).astype(float)
        return kept / kept.sum()

    def tell(self, proposal, score, fold_scores=None):
        """Learn from one evaluated proposal (``score`` None if it failed).

        ``fold_scores``, when the evaluation covered two folds or more,
        tell the noise of its score (see :mod:`skmeta.adjust.noise_floor`).
        """
        if score is None or not np.isfinite(score):
            self.failed[proposal.strategy_index] = True
        else:
            self.succeeded = True
            vector = proposal.strategy.space.to_vector(proposal.config)
            self.noise_floor.add(proposal.strategy_index, vector, score,
                                 fold_scores or ())
        advantage = self.policy.update(proposal.strategy_index, score)
        self.proposers[proposal.strategy_index].tell(proposal.config, advantage)
        return advantage


def run_adjuster(
    adjuster, evaluate, n_evaluations, *, batch_size=1, on_result=None, should_stop=None,
    time_budget="deprecated",
):
    """Run the adjuster until ``n_evaluations``, or until ``should_stop()``.

    Parameters
    ----------
    adjuster : StrategyAdjuster
    evaluate : callable
        ``evaluate(proposals, seconds_left)`` returns one dict per proposal
        with at least ``"score"`` (None or NaN for a failure) and optionally
        ``"started"`` (False: not evaluated at all, the adjuster learns
        nothing from it); other keys are copied to the trace. ``seconds_left``
        is None (but with the deprecated ``time_budget``).
    n_evaluations : int
    batch_size : int, default=1
        Proposals per step, evaluated together (in parallel by the caller).
    on_result : callable, optional
        Called with each trace row as it is recorded.
    should_stop : callable, optional
        ``should_stop()`` is asked before every step but the first; True
        ends the run (for a time budget, as
        :meth:`skmeta.fold_race.FoldRace.should_stop` does).
    time_budget : float, optional
        Seconds; no new step starts after it is spent (the first step always
        runs).

        .. deprecated:: 0.2
           No caller gave it; pass ``should_stop`` instead. It goes in 0.3.

    Returns
    -------
    list of dict
        One row per evaluation: ``evaluation``, ``step``, ``strategy``,
        ``config``, ``probabilities`` (strategy name -> pi), ``score``,
        ``seconds`` (since the start) and whatever ``evaluate`` returned.
    """
    if time_budget != "deprecated":
        warnings.warn(
            "`time_budget` of run_adjuster is deprecated in 0.2 and will be removed "
            "in 0.3; pass `should_stop` instead.", FutureWarning, stacklevel=2)
        if time_budget is not None:
            evaluate, should_stop = _with_time_budget(evaluate, should_stop, time_budget)
    start = time.monotonic()
    names = [s.name for s in adjuster.strategies]
    trace = []
    while len(trace) < n_evaluations:
        # The first step always runs, so that a search has a result.
        if trace and should_stop is not None and should_stop():
            break
        n = min(batch_size, n_evaluations - len(trace))
        proposals = adjuster.ask(n)
        results = evaluate(proposals, None)
        for proposal, result in zip(proposals, results):
            score = result.get("score")
            if score is not None and not np.isfinite(score):
                score = None
            # A proposal the caller did not start (no time left) says
            # nothing about its strategy.
            if result.get("started", True):
                adjuster.tell(proposal, score, result.get("fold_scores"))
            row = trace_row(
                len(trace), proposal.strategy.name, proposal.config,
                {**result, "score": score}, step=proposal.step,
                probabilities=dict(zip(names, proposal.probabilities.round(6))),
                seconds=time.monotonic() - start,
            )
            trace.append(row)
            if on_result is not None:
                on_result(row)
    return trace


def trace_row(evaluation, strategy, config, result, *, step=None, probabilities=None,
              seconds=None):
    """One row of a search's trace: which candidate, then how it went.

    The one place the row layout is written: :func:`run_adjuster` builds
    every row of a search with it, and the estimators the rows of a model
    fitted once without a search (:func:`skmeta._search_results.unscored_row`).

    Parameters
    ----------
    evaluation : int
        The row's position in the trace.
    strategy : str
    config : dict
    result : dict
        How the evaluation went (``score``, ...); copied into the row after
        the candidate's columns, in its order.
    step, probabilities, seconds : optional
        The adjuster's step, its policy before the step (strategy name ->
        pi) and the seconds since the search started; left out of the row
        when None.

    Returns
    -------
    dict

    Examples
    --------
    >>> from skmeta.adjust.adjuster import trace_row
    >>> trace_row(0, "ridge", {"alpha": 1.0}, {"score": 0.5}, step=0, seconds=0.1)
    {'evaluation': 0, 'step': 0, 'strategy': 'ridge', 'config': {'alpha': 1.0},
     'score': 0.5, 'seconds': 0.1}
    """
    row = {"evaluation": evaluation, "step": step, "strategy": strategy,
           "config": config, "probabilities": probabilities, **result,
           "seconds": seconds}
    return {key: value for key, value in row.items()
            if value is not None or key not in ("step", "probabilities", "seconds")}


def _with_time_budget(evaluate, should_stop, time_budget):
    """The deprecated ``time_budget`` of :func:`run_adjuster` as what it meant:
    a stop once it is spent, and the seconds left passed to ``evaluate``."""
    start = time.monotonic()

    def left():
        return max(time_budget - (time.monotonic() - start), 0.0)

    def stop():
        return left() <= 0.0 or (should_stop is not None and should_stop())

    return (lambda proposals, _: evaluate(proposals, left())), stop
