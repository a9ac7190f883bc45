"""The racing policy: promotion margins learned by races simulated on stored fold scores."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer

from skmeta import MetaClassifier, MetaLearner
from skmeta.knowledge import KnowledgeBase
from skmeta.learner import RACING_VERSION
from skmeta.race_policy import (
    DEFAULT_MARGIN,
    MARGIN_GRID,
    RacingPolicy,
    learn_racing_policy,
    simulate_race,
)


def _runs(n_datasets, n_rows, first_fold_noise, start=0, seed=0):
    """Stored 3-fold evaluations of 20 configurations per dataset: the mean
    scores are spread evenly; the first fold is off by ``first_fold_noise``."""
    rng = np.random.default_rng(seed)
    rows, records = {}, []
    for d in range(start, start + n_datasets):
        rows[f"d{d}"] = n_rows
        for c in range(20):
            mean = 0.6 + 0.01 * c
            offset = rng.normal(0, first_fold_noise)
            folds = [mean + offset, mean - offset / 2, mean - offset / 2]
            records.append({"dataset_id": f"d{d}", "strategy": "s", "config_key": str(c),
                            "cv": "3-fold", "status": "ok", "fit_seconds": 3.0,
                            "fold_scores": folds})
    return pd.DataFrame(records), rows


def test_a_policy_gives_the_margin_of_its_size_class():
    policy = RacingPolicy(bounds=(1000, 2000), margins=(2.0, 0.5, 0.0))
    assert [policy.margin(n) for n in (10, 1000, 1001, 2000, 5000, 10**6)] == [
        2.0, 2.0, 0.5, 0.5, 0.0, 0.0]
    assert RacingPolicy.from_dict(policy.to_dict()) == policy
    assert RacingPolicy().margin(300) == DEFAULT_MARGIN


@pytest.mark.parametrize("margins, message", [
    ((1.0, 1.0), "one margin per size class"),
    ((1.0, -0.5, 1.0), "finite and >= 0"),
    ((1.0, float("inf"), 1.0), "finite and >= 0"),
])
def test_a_bad_policy_is_refused(margins, message):
    with pytest.raises(ValueError, match=message):
        RacingPolicy(bounds=(1000, 2000), margins=margins)


def test_a_smaller_margin_completes_fewer_configurations():
    rng = np.random.default_rng(1)
    scores = 0.7 + rng.normal(0, 0.03, size=(20, 3))
    order = rng.integers(0, 20, size=30)
    seconds = {}
    for margin in (0.0, 2.0, 100.0):
        _, trace = simulate_race(scores, np.ones(20), order, margin)
        seconds[margin] = trace[-1][0]
    assert seconds[0.0] < seconds[2.0] <= seconds[100.0]
    # A margin no fold falls outside completes every proposal (3 folds each).
    assert seconds[100.0] == 3 * len(order)


def test_without_racing_the_best_proposal_is_found():
    scores = np.array([[0.5, 0.9, 0.9], [0.8, 0.6, 0.6], [0.7, 0.7, 0.7]])
    # Configuration 0 has a bad first fold and the best mean.
    best, _ = simulate_race(scores, np.ones(3), [1, 2, 0, 2], margin=100.0, n_evaluations=4)
    assert best == 0
    # Racing hard, its first fold keeps it from being completed.
    cheap, _ = simulate_race(scores, np.ones(3), [1, 2, 0, 2], margin=0.0, n_evaluations=4)
    assert cheap == 1


def test_the_policy_races_hard_where_the_first_fold_tells_all():
    clean, clean_rows = _runs(8, 3000, first_fold_noise=0.0)
    noisy, noisy_rows = _runs(12, 300, first_fold_noise=0.03, start=8)
    policy, results = learn_racing_policy(pd.concat([clean, noisy]),
                                          {**clean_rows, **noisy_rows}, n_repeats=4)
    # Where one fold is the mean, the cheapest margin loses nothing.
    assert policy.margin(3000) == 0.0
    # Where it is mostly noise, completing more proposals is worth its cost.
    assert policy.margin(300) > 0.0
    assert set(results["margin"]) == set(MARGIN_GRID)
    assert results.groupby("size_class")["chosen"].sum().eq(1).all()


def test_a_size_class_with_few_datasets_takes_the_family_wide_margin():
    runs, rows = _runs(8, 3000, first_fold_noise=0.0)
    few, few_rows = _runs(2, 300, first_fold_noise=0.08, start=8)
    policy, _ = learn_racing_policy(pd.concat([runs, few]), {**rows, **few_rows},
                                    n_repeats=2)
    assert policy.margin(300) == policy.margin(1500) == policy.margin(3000) == 0.0


def test_too_little_experience_gives_the_default_policy():
    runs, rows = _runs(3, 300, 0.01)
    policy, results = learn_racing_policy(runs.head(10), rows)
    assert policy == RacingPolicy() and results.empty


def test_a_learner_stores_its_policy_and_reuses_it():
    kb = KnowledgeBase.default().copy()
    stored = kb.get_property("racing_policy.regression")
    kb.set_property("racing_policy.regression",
                    {**stored, "policy": {"bounds": [1000, 2000], "margins": [0.5, 0.5, 0.5]}})
    learner = MetaLearner.from_knowledge_base(kb)
    assert learner.racing_policy("regression").margins == (0.5, 0.5, 0.5)
    relearned = learner.racing_policy("regression", relearn=True)
    assert relearned == RacingPolicy.from_dict(stored["policy"])
    assert kb.get_property("racing_policy.regression")["policy"] == stored["policy"]


def test_the_shipped_knowledge_base_carries_current_policies():
    # Learning them would cost a first fit seconds of simulated races.
    kb = KnowledgeBase.default()
    for family in ("classification", "regression"):
        stored = kb.get_property(f"racing_policy.{family}")
        assert stored is not None and stored["version"] == RACING_VERSION
        RacingPolicy.from_dict(stored["policy"])


def test_the_search_uses_the_policy_margin_for_its_rows():
    X, y = load_breast_cancer(return_X_y=True)
    model = MetaClassifier(n_evaluations=4, random_state=0).fit(X, y)
    policy = MetaLearner.from_knowledge_base(KnowledgeBase.default()).racing_policy(
        "classification")
    assert model.promotion_margin_ == policy.margin(model.n_search_samples_)
    assert MetaClassifier(n_evaluations=1, random_state=0).fit(X, y).promotion_margin_ is None


def test_the_old_module_name_still_works_with_a_future_warning(monkeypatch):
    import importlib
    import sys

    monkeypatch.delitem(sys.modules, "skmeta.racing", raising=False)
    with pytest.warns(FutureWarning, match=r"skmeta\.race_policy"):
        old = importlib.import_module("skmeta.racing")
    assert old.RacingPolicy is RacingPolicy
    assert old.learn_racing_policy is learn_racing_policy
    assert old.replay_race is simulate_race


def test_replay_race_was_renamed_simulate_race():
    import skmeta.race_policy

    with pytest.warns(FutureWarning, match="replay_race was renamed to simulate_race"):
        assert skmeta.race_policy.replay_race is simulate_race
