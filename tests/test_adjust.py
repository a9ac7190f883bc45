from dataclasses import replace

import numpy as np
import pytest

from skmeta.adjust import (
    AdjusterSettings,
    ConfigurationProposer,
    SoftmaxPolicy,
    StrategyAdjuster,
    run_adjuster,
    softmax,
)
from skmeta.adjust.replay import ReplayProblem, learn_settings, replay_regret
from skmeta.adjust.warm_start import warm_start_from_predictions
from skmeta.strategies import default_portfolio


@pytest.fixture(scope="module")
def strategies():
    # Eight strategies: the runs below are sized for them.
    return default_portfolio("binary")[:8]


def _table_evaluator(scores):
    """Scores by strategy name, for runs without model fits."""
    def evaluate(proposals, seconds_left):
        return [{"score": scores[p.strategy.name]} for p in proposals]
    return evaluate


def test_softmax_is_a_distribution():
    pi = softmax([3.0, 1.0, -2.0], temperature=0.5)
    assert pi.sum() == pytest.approx(1.0)
    assert np.all(np.diff(pi) < 0)
    # Large preferences do not overflow.
    assert np.isfinite(softmax([1e6, 0.0])).all()


def test_gradient_bandit_update_follows_the_rule():
    policy = SoftmaxPolicy([0.0, 0.0, 0.0], prior_weight=1.0, temperature=1.0,
                           learning_rate=0.5)
    policy.update(0, 0.5)
    policy.update(1, 0.7)  # baseline 0.5 with spread fallback
    pi_before = softmax([0.0, 0.0, 0.0])
    # After the first update (advantage 0) preferences are unchanged; the
    # second moves H[1] up and the others down by lr * A * pi.
    assert policy.preferences[1] > 0 > policy.preferences[0]
    assert policy.preferences[0] == pytest.approx(policy.preferences[2])
    advantage = policy.preferences[1] / (0.5 * (1 - pi_before[1]))
    assert policy.preferences[0] == pytest.approx(-0.5 * advantage * pi_before[0])


def test_failures_push_a_strategy_down():
    policy = SoftmaxPolicy([0.0, 0.0], 1.0, 1.0, 1.0)
    policy.update(0, None)
    assert policy.probabilities()[0] < 0.5


def test_a_strategy_that_failed_is_skipped_until_every_one_has(strategies):
    prior = np.zeros(len(strategies))
    prior[0] = 5.0  # a strong favourite that always fails
    scores = {s.name: 0.5 for s in strategies}
    scores[strategies[0].name] = None
    adjuster = StrategyAdjuster(strategies[:3], prior[:3], {},
                                AdjusterSettings(temperature=0.1), random_state=0)
    trace = run_adjuster(adjuster, _table_evaluator(scores), 10)
    names = [row["strategy"] for row in trace]
    assert names[0] == strategies[0].name
    assert strategies[0].name not in names[1:]
    # When every strategy has failed, all are proposed again.
    everything_fails = {s.name: None for s in strategies[:2]}
    adjuster = StrategyAdjuster(strategies[:2], None, {}, AdjusterSettings(),
                                random_state=0)
    trace = run_adjuster(adjuster, _table_evaluator(everything_fails), 12)
    assert len(trace) == 12
    assert {row["strategy"] for row in trace} == set(everything_fails)


def test_prior_weight_zero_is_a_uniform_start(strategies):
    adjuster = StrategyAdjuster(strategies, np.arange(len(strategies)), {},
                                AdjusterSettings(prior_weight=0.0), random_state=0)
    np.testing.assert_allclose(adjuster.policy.probabilities(), 1 / len(strategies))


def test_adjuster_starts_with_the_prior_favourite_and_learns(strategies):
    prior = np.zeros(len(strategies))
    prior[2] = 1.0
    scores = {s.name: 0.5 for s in strategies}
    scores[strategies[2].name] = 0.6  # the favourite
    scores[strategies[5].name] = 0.9  # the true best, unknown to the prior
    settings = AdjusterSettings(temperature=0.5, learning_rate=2.0)
    adjuster = StrategyAdjuster(strategies, prior, {}, settings, random_state=0)
    trace = run_adjuster(adjuster, _table_evaluator(scores), 40)
    assert trace[0]["strategy"] == strategies[2].name
    assert len(trace) == 40
    assert set(trace[0]["probabilities"]) == {s.name for s in strategies}
    # Once found, the best strategy dominates the policy.
    final = adjuster.policy.probabilities()
    assert np.argmax(final) == 5


def test_runs_are_reproducible_and_batches_fill(strategies):
    scores = {s.name: i / 10 for i, s in enumerate(strategies)}

    def run(seed):
        adjuster = StrategyAdjuster(strategies, None, {}, AdjusterSettings(), seed)
        return run_adjuster(adjuster, _table_evaluator(scores), 7, batch_size=3)

    first, second = run(1), run(1)
    assert [r["strategy"] for r in first] == [r["strategy"] for r in second]
    assert [r["config"] for r in first] == [r["config"] for r in second]
    assert [r["step"] for r in first] == [0, 0, 0, 1, 1, 1, 2]


def test_time_budget_stops_the_run(strategies):
    adjuster = StrategyAdjuster(strategies, None, {}, AdjusterSettings(), 0)
    left = []

    def slow(proposals, seconds_left):
        import time
        left.append(seconds_left)
        time.sleep(0.2)
        return [{"score": 0.5} for _ in proposals]

    with pytest.warns(FutureWarning, match="`time_budget` of run_adjuster is deprecated"):
        trace = run_adjuster(adjuster, slow, 100, time_budget=0.5)
    assert 1 <= len(trace) <= 4
    assert 0.5 >= left[0] > left[-1] >= 0.0


def test_should_stop_ends_the_run_after_the_first_step(strategies):
    adjuster = StrategyAdjuster(strategies, None, {}, AdjusterSettings(), 0)
    asked = []

    def stop_at_once():
        asked.append(True)
        return True

    trace = run_adjuster(adjuster, _table_evaluator({s.name: 0.5 for s in strategies}),
                         10, batch_size=2, should_stop=stop_at_once)
    assert len(trace) == 2 and len(asked) == 1


def test_proposer_warm_starts_then_moves_towards_better_configs(strategies):
    hgb = strategies[0]
    warm = [hgb.default_config(), hgb.sample_config(np.random.default_rng(1))]
    proposer = ConfigurationProposer(hgb, warm, 0.2, np.random.default_rng(0))
    assert proposer.propose() == warm[0]
    assert proposer.propose() == warm[1]
    third = proposer.propose()
    assert third not in warm
    before = proposer.mean.copy()
    target = np.asarray(hgb.space.to_vector(third))
    proposer.tell(third, advantage=2.0)
    mask = np.asarray(hgb.space.continuous_mask)
    moved_closer = (np.abs(proposer.mean - target) <= np.abs(before - target) + 1e-12)
    assert moved_closer[mask].all()
    assert np.all((proposer.mean >= 0) & (proposer.mean <= 1))


def test_settings_are_validated():
    with pytest.raises(ValueError, match="temperature"):
        AdjusterSettings(temperature=0.0)
    with pytest.raises(ValueError, match="prior_weight"):
        AdjusterSettings(prior_weight=-1.0)


def test_replay_learns_to_trust_a_good_prior(strategies):
    rng = np.random.default_rng(0)
    problems = []
    for _ in range(6):
        best = int(rng.integers(len(strategies)))
        prior = np.full(len(strategies), -0.5)
        prior[best] = 1.0  # an informative prior
        stored = {
            s.name: (np.zeros((1, len(s.space))), np.array([1.0 if i == best else 0.0]))
            for i, s in enumerate(strategies)
        }
        problems.append(ReplayProblem(strategies, prior, {}, stored))
    informed = replay_regret(AdjusterSettings(prior_weight=2.0), problems)
    uniform = replay_regret(AdjusterSettings(prior_weight=2.0), problems, prior=False)
    assert informed == 0.0 < uniform
    settings, results = learn_settings(
        problems, grid={"prior_weight": [0.0, 2.0], "temperature": [0.1]}
    )
    assert settings.prior_weight == 2.0
    assert results["regret"].is_monotonic_increasing


def test_settings_validate_the_cost_weight():
    with pytest.raises(ValueError, match="cost_weight"):
        AdjusterSettings(cost_weight=-0.1)
    assert AdjusterSettings().cost_weight == 0.0


def test_warm_start_prices_cost_but_the_zero_shot_pick_is_the_best(strategies):
    portfolio = strategies[:3]
    names = [s.name for s in portfolio for _ in range(2)]
    configs = [{"i": i} for i in range(6)]
    predicted = [0.9, 0.5, 0.8, 0.7, 0.2, 0.1]
    log_cost = [6.0, 6.0, 0.0, 0.0, np.nan, 0.0]    # strategy 0 is 64 times slower
    free = warm_start_from_predictions(portfolio, names, configs, predicted)
    np.testing.assert_allclose(free.prior, [0.9, 0.8, 0.2])
    assert free.first == 0
    priced = warm_start_from_predictions(portfolio, names, configs, predicted,
                                         log_cost, cost_weight=0.1)
    # The median log cost is 0: strategy 0 pays 0.6, the unknown cost nothing.
    np.testing.assert_allclose(priced.prior, [0.3, 0.8, 0.2])
    assert priced.first == 0 and priced.configurations[portfolio[0].name][0] == {"i": 0}
    assert priced.configurations[portfolio[2].name] == [{"i": 4}, {"i": 5}]
    unknown = warm_start_from_predictions(portfolio, ["nope"], [{}], [1.0])
    assert unknown.first is None and np.isnan(unknown.prior).all()


def test_adjuster_evaluates_the_given_first_strategy_first(strategies):
    prior = np.zeros(len(strategies))
    prior[2] = 5.0
    adjuster = StrategyAdjuster(strategies, prior, {}, AdjusterSettings(), 0, first=4)
    [proposal] = adjuster.ask(1)
    assert proposal.strategy is strategies[4]
    assert adjuster.ask(1)[0].strategy is strategies[2]     # the policy's favourite
    with pytest.raises(ValueError, match="first must index"):
        StrategyAdjuster(strategies, prior, {}, AdjusterSettings(), 0, first=99)
    uniform = StrategyAdjuster(strategies, prior, {}, AdjusterSettings(prior_weight=0.0),
                               0, first=4)
    assert uniform.ask(1)[0].strategy is strategies[0]     # argmax of a uniform policy


def _timed_problems(strategies, n=6):
    """Problems where the predicted best (strategy 0) fails, the next best
    (strategy 1) scores 1 but takes 50 times the median evaluation, and the
    third (strategy 2) scores 1 at the median time."""
    names = [s.name for s in strategies]
    configs = [s.default_config() for s in strategies]
    predicted = np.array([1.0, 0.9, 0.85] + [0.0] * (len(strategies) - 3))
    log_cost = np.log2([1.0, 50.0] + [1.0] * (len(strategies) - 2))
    stored = {
        s.name: (np.zeros((1, len(s.space))), np.array([1.0 if i in (1, 2) else 0.0]),
                 np.array([50.0 if i == 1 else 1.0]))
        for i, s in enumerate(strategies) if i > 0
    }
    start = warm_start_from_predictions(strategies, names, configs, predicted)
    return [ReplayProblem(strategies, start.prior, start.configurations, stored,
                          (names, configs, predicted, log_cost)) for _ in range(n)]


def test_replay_on_time_budgets_rewards_cheap_strategies(strategies):
    problems = _timed_problems(strategies)
    assert problems[0].median_seconds == 1.0
    assert problems[0].seconds(strategies[1], strategies[1].default_config()) == 50.0
    assert problems[0].lookup(strategies[0], strategies[0].default_config()) is None
    settings = AdjusterSettings(temperature=0.05)
    budgets = (5, 10, 20)
    free = replay_regret(settings, problems, seeds=range(4), time_budgets=budgets)
    priced = replay_regret(replace(settings, cost_weight=0.2), problems,
                           seeds=range(4), time_budgets=budgets)
    # Priced, strategy 2 comes right after the failed zero-shot pick.
    assert priced == 0.0 < free
    learned, results = learn_settings(problems, grid={"temperature": [0.05]},
                                      cost_weights=[0.0, 0.2])
    assert learned.cost_weight == 0.2 and learned.temperature == 0.05
    assert set(results["objective"]) == {"evaluations", "cost"}
