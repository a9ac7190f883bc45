"""The fold race: cheap first looks, promotion, and the time budget."""

import math
import time

import numpy as np
import pytest
from faulty import faulty_strategy
from sklearn.datasets import load_breast_cancer

from skmeta.adjust.adjuster import Proposal
from skmeta.evaluation import make_cv
from skmeta.fold_race import Clock, FoldRace
from skmeta.strategies import default_portfolio


@pytest.fixture(scope="module")
def data():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    splits = list(make_cv(5, "binary", y.to_numpy(), random_state=0).split(X, y))
    return X, y.to_numpy(), splits


def _proposal(strategy, config=None, step=0):
    config = strategy.default_config() if config is None else config
    return Proposal(step, 0, strategy, config, np.ones(1))


def _race(data, budget=None, **kwargs):
    X, y, splits = data
    return FoldRace(X, y, "binary", splits, "balanced_accuracy", keep_oof=True,
                    clock=Clock(budget), n_refit_rows=len(y), **kwargs)


def test_a_clearly_worse_candidate_stops_after_one_fold(data):
    logistic = {s.name: s for s in default_portfolio("binary")}["logistic_regression"]
    constant = faulty_strategy("binary", "none", name="constant")
    race = _race(data)
    [good] = race([_proposal(logistic)])
    assert good["promoted"] and good["n_folds"] == 5
    [bad] = race([_proposal(constant, step=1)])
    assert not bad["promoted"] and bad["n_folds"] == 1
    # Its score is an estimate on the scale of full cross-validated means.
    assert bad["score"] < good["score"] - 0.3
    assert [r.complete for r in race.records] == [True, False]
    assert race.records[1].result.oof_predictions is None
    assert race.best() is race.records[0]


def test_in_the_first_batch_siblings_race_each_other(data):
    logistic = {s.name: s for s in default_portfolio("binary")}["logistic_regression"]
    constant = faulty_strategy("binary", "none", name="constant")
    rows = _race(data)([_proposal(logistic), _proposal(constant)])
    assert [r["promoted"] for r in rows] == [True, False]


def test_a_close_candidate_is_promoted(data):
    logistic = {s.name: s for s in default_portfolio("binary")}["logistic_regression"]
    race = _race(data)
    race([_proposal(logistic)])
    [again] = race([_proposal(logistic, {"C": 1.01, "class_weight": None}, step=1)])
    assert again["promoted"] and again["n_folds"] == 5


def test_a_fold_predicted_not_to_finish_is_not_started(data):
    logistic = {s.name: s for s in default_portfolio("binary")}["logistic_regression"]
    race = _race(data, budget=5.0, predict_seconds=lambda name, config: 1e6)
    began = time.monotonic()
    [row] = race([_proposal(logistic)])
    assert time.monotonic() - began < 1.0
    assert row["status"] == "timeout"
    assert "not started" in row["error"]


def test_a_slow_fold_is_stopped_at_the_deadline(data):
    sleepy = faulty_strategy("binary", "sleeps", seconds=30.0)
    race = _race(data, budget=2.0)  # unknown cost: a killable worker
    began = time.monotonic()
    [row] = race([_proposal(sleepy)])
    assert time.monotonic() - began < 10.0
    assert row["status"] == "timeout"
    assert race.best() is None


def test_the_refit_reserve_comes_from_the_best_candidates_timings(data):
    forest = {s.name: s for s in default_portfolio("binary")}["random_forest"]
    race = _race(data, budget=1000.0)
    assert race.reserve() == pytest.approx(0.05 * 1000.0)  # fusing the final model
    race([_proposal(forest)])
    best = race.best()
    per_fold = best.result.fit_seconds / 5
    assert race.reserve() == pytest.approx(race.refit_seconds(best) + 0.05 * 1000.0)
    assert race.reserve() > per_fold  # more rows than a fold
    assert race.search_left() < race.clock.left()
    assert not race.should_stop()


def test_a_search_that_can_start_nothing_stops(data):
    logistic = {s.name: s for s in default_portfolio("binary")}["logistic_regression"]
    race = _race(data, budget=5.0, predict_seconds=lambda name, config: 1e6)
    for step in range(3):
        assert not race.should_stop()
        race([_proposal(logistic, step=step)])
    assert race.should_stop()


def test_without_a_budget_the_race_never_stops_itself(data):
    race = _race(data)
    assert math.isinf(race.search_left())
    assert not race.should_stop()


def test_clock_counts_down():
    clock = Clock(0.2)
    assert 0 < clock.left() <= 0.2
    time.sleep(0.25)
    assert clock.left() < 0
    assert clock.elapsed() >= 0.25


def test_a_clock_started_earlier_is_deprecated():
    with pytest.warns(FutureWarning, match="`start` of Clock is deprecated"):
        clock = Clock(1.0, start=time.monotonic() - 2.0)
    assert clock.left() < 0
    assert clock.elapsed() >= 2.0


def test_the_old_module_name_still_works_with_a_future_warning(monkeypatch):
    import importlib
    import sys

    monkeypatch.delitem(sys.modules, "skmeta.search", raising=False)
    with pytest.warns(FutureWarning, match=r"skmeta\.fold_race"):
        old = importlib.import_module("skmeta.search")
    assert old.FoldRace is FoldRace and old.Clock is Clock
