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
from skmeta.strategies import default_portfolio


@pytest.fixture(scope="module")
def strategies():
    return default_portfolio("binary")


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

    def slow(proposals, seconds_left):
        import time
        time.sleep(0.2)
        return [{"score": 0.5} for _ in proposals]

    trace = run_adjuster(adjuster, slow, 100, time_budget=0.5)
    assert 1 <= len(trace) <= 4


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
