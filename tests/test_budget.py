"""What issue 13 promises: a cheap zero-shot fit, a kept time budget, start-up
paid once per knowledge base, settings not re-learned on every update."""

import time

import numpy as np
import pandas as pd
import pytest
from faulty import faulty_strategy
from sklearn.datasets import make_classification

from skmeta import Dataset, KnowledgeBase, MetaClassifier, MetaLearner
from skmeta.adjust import AdjusterSettings, StrategyAdjuster, run_adjuster
from skmeta.adjust.warm_start import warm_start_from_predictions
from skmeta.learner import RELEARN_GROWTH, resolve_meta_learner
from skmeta.selection import CostModel
from skmeta.strategies import default_portfolio

PORTFOLIO = ["knn", "logistic_regression", "gaussian_nb"]


def _datasets(n, start=0):
    return [Dataset(*make_classification(80 + 10 * i, 4, random_state=i), name=f"d{i}")
            for i in range(start, start + n)]


@pytest.fixture(scope="module")
def learner():
    return MetaLearner(portfolio=PORTFOLIO, n_configs_per_strategy=1,
                       evaluation_timeout=None, random_state=0).fit(_datasets(4))


def test_zero_shot_is_one_fit_on_all_rows(learner):
    X, y = make_classification(300, 5, random_state=1)
    clf = MetaClassifier(meta_learner=learner, n_evaluations=1,
                         random_state=0).fit(X, y)
    assert len(clf.trace_) == 1
    row = clf.trace_.iloc[0]
    assert row["n_folds"] == 0 and row["status"] == "ok"
    assert np.isnan(clf.best_score_)
    assert clf.n_refit_samples_ == 300
    assert clf.score(X, y) > 0.8


def test_the_zero_shot_pick_prices_cost():
    portfolio = default_portfolio("binary")
    names = ["svm_rbf", "logistic_regression"]
    configs = [{"C": 1.0, "gamma": 0.05}, {"C": 1.0, "class_weight": None}]
    log_cost = [np.log2(50.0), 0.0]  # the SVM predicted 50 times slower

    def first(predicted, weight):
        start = warm_start_from_predictions(portfolio, names, configs, predicted,
                                            log_cost, 0.0, weight)
        return portfolio[start.first].name

    assert first([0.6, 0.5], 0.0) == "svm_rbf"  # cost ignored
    assert first([0.6, 0.5], 0.05) == "logistic_regression"  # not clearly better
    assert first([0.9, 0.5], 0.05) == "svm_rbf"  # clearly better


def test_too_slow_candidates_are_not_the_zero_shot_pick():
    portfolio = default_portfolio("binary")
    names = ["svm_rbf", "logistic_regression"]
    configs = [{"C": 1.0, "gamma": 0.05}, {"C": 1.0, "class_weight": None}]
    start = warm_start_from_predictions(portfolio, names, configs, [0.9, 0.1],
                                        [10.0, 0.0], max_log_cost=5.0)
    assert portfolio[start.first].name == "logistic_regression"


def test_fallbacks_are_cheap_and_sound():
    portfolio = default_portfolio("binary")
    names = ["svm_rbf", "logistic_regression", "gaussian_nb", "knn"]
    configs = [{}, {}, {}, {}]
    start = warm_start_from_predictions(portfolio, names, configs,
                                        [0.9, 0.2, -0.5, 0.1], [6.0, 1.0, -3.0, 0.5])
    by_index = [portfolio[i].name for i, _ in start.fallbacks]
    # Cheapest first, and never one predicted below the median.
    assert by_index == ["knn", "logistic_regression", "svm_rbf"]


def test_a_failed_first_pick_is_followed_by_a_fallback():
    strategies = [faulty_strategy("binary", "fit_raises"), *default_portfolio("binary")[:3]]
    cheap = len(strategies) - 1
    adjuster = StrategyAdjuster(strategies, [1.0, 0.0, 0.0, 0.0], {},
                                AdjusterSettings(temperature=0.01), random_state=0,
                                first=0, fallbacks=[(cheap, strategies[cheap].default_config())])

    def evaluate(proposals, seconds_left):
        return [{"score": None if p.strategy_index == 0 else 0.8} for p in proposals]

    trace = run_adjuster(adjuster, evaluate, n_evaluations=2)
    assert [row["strategy"] for row in trace] == [strategies[0].name,
                                                  strategies[cheap].name]


def test_a_budget_with_a_hanging_learner_still_returns_a_model(learner):
    X, y = make_classification(300, 5, random_state=2)
    sleepy = faulty_strategy("binary", "sleeps", seconds=60)
    clf = MetaClassifier(meta_learner=learner, portfolio=[sleepy, *PORTFOLIO],
                         prior_weight=0.0, n_evaluations=1000, time_budget=4.0,
                         random_state=0)
    began = time.monotonic()
    with pytest.warns(UserWarning):
        clf.fit(X, y)
    # The promise is B x 1.05 + 0.3 s; the margin here is for loaded CI machines.
    assert time.monotonic() - began < 4.0 * 1.05 + 3.0
    assert clf.trace_["strategy"].iloc[0] == sleepy.name
    assert clf.trace_["status"].iloc[0] == "timeout"
    assert clf.best_strategy_ != sleepy.name
    assert clf.score(X, y) > 0.7


def test_a_longer_budget_is_never_worse_on_cross_validation(learner):
    X, y = make_classification(400, 6, random_state=3)
    scores = [MetaClassifier(meta_learner=learner, n_evaluations=6, time_budget=budget,
                             random_state=0).fit(X, y).best_score_
              for budget in (2.0, 60.0)]
    assert scores[1] >= scores[0]


def test_a_knowledge_base_file_is_learned_from_once_while_unchanged(tmp_path):
    path = tmp_path / "kb.sqlite"
    MetaLearner(knowledge_base=str(path), portfolio=PORTFOLIO, n_configs_per_strategy=0,
                evaluation_timeout=None, random_state=0).fit(_datasets(3))
    first = resolve_meta_learner(str(path))
    assert resolve_meta_learner(str(path)) is first
    with KnowledgeBase(path) as kb:
        learner = MetaLearner(knowledge_base=kb, portfolio=PORTFOLIO,
                              n_configs_per_strategy=0, evaluation_timeout=None,
                              random_state=0)
        learner.fit(_datasets(1, start=3))
    assert resolve_meta_learner(str(path)) is not first


@pytest.mark.slow
def test_settings_are_relearned_only_when_the_knowledge_base_grew_enough(tmp_path):
    path = tmp_path / "kb.sqlite"
    params = dict(portfolio=PORTFOLIO, n_configs_per_strategy=0,
                  evaluation_timeout=None, random_state=0)
    MetaLearner(knowledge_base=str(path), **params).fit(_datasets(10))
    stored = KnowledgeBase(path).get_property("adjuster_settings.classification")
    assert stored["n_datasets"] == 10
    # One more dataset (as update_knowledge=True adds): the stored settings stay.
    grown = MetaLearner(knowledge_base=str(path), **params).fit(_datasets(1, start=10))
    assert "classification" not in grown.replay_results_
    assert grown.adjuster_settings_["classification"] == AdjusterSettings(
        **stored["settings"])
    # An explicit call learns them again, on all of it.
    grown.relearn_settings("classification")
    assert "classification" in grown.replay_results_
    again = KnowledgeBase(path).get_property("adjuster_settings.classification")
    assert again["n_datasets"] == 11
    assert 10 * (1 + RELEARN_GROWTH) < 13


def test_the_cost_model_grows_past_the_largest_timed_size():
    kb = KnowledgeBase.default()
    datasets, runs = kb.datasets(), kb.evaluations()
    ids = datasets.index[datasets["task"] != "regression"]
    portfolio = default_portfolio("binary")
    model = CostModel(portfolio, n_estimators=10, random_state=0)
    model.fit(kb.metafeatures().loc[ids], runs[runs["dataset_id"].isin(ids)])
    meta = kb.metafeatures().loc[ids[0]].copy()
    largest = 10 ** model.max_log_rows_
    seconds = []
    for rows in (largest, 4 * largest):
        meta["n_rows"] = rows
        seconds.append(model.predict(meta, ["svm_rbf", "gaussian_nb"],
                                     [{"C": 1.0, "gamma": 0.05}, {"var_smoothing": 1e-9}]))
    growth = seconds[1] - seconds[0]  # log2 seconds
    np.testing.assert_allclose(growth, [2.0 * 2, 1.0 * 2], atol=1e-9)
    assert isinstance(pd.Series(seconds[0]).iloc[0], float)


def test_a_strategy_timed_on_fewer_rows_grows_past_its_own_largest_size():
    # The shipped knowledge base times the kernel SVM on at most 5,000 rows
    # and the other strategies on up to 20,000: at 20,000 rows the SVM is
    # predicted by its quadratic growth from 5,000, not by the trees.
    kb = KnowledgeBase.default()
    datasets, runs = kb.datasets(), kb.evaluations()
    ids = datasets.index[datasets["task"] != "regression"]
    model = CostModel(default_portfolio("binary"), n_estimators=10, random_state=0)
    model.fit(kb.metafeatures().loc[ids], runs[runs["dataset_id"].isin(ids)])
    svm_largest = 10 ** model.max_log_rows_by_strategy_["svm_rbf"]
    assert svm_largest < 10 ** model.max_log_rows_
    meta = kb.metafeatures().loc[ids[0]].copy()
    seconds = []
    for rows in (svm_largest, 4 * svm_largest):
        meta["n_rows"] = rows
        seconds.append(model.predict(meta, ["svm_rbf"], [{"C": 1.0, "gamma": 0.05}])[0])
    assert seconds[1] - seconds[0] == pytest.approx(2.0 * 2)
    copy = CostModel.from_arrays(model.portfolio, *model.to_arrays())
    assert copy.predict(meta, ["svm_rbf"], [{"C": 1.0, "gamma": 0.05}])[0] == pytest.approx(
        seconds[1])
