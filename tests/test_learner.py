import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import numpy as np
import pandas as pd
import pytest
from faulty import faulty_strategy
from sklearn.base import clone
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_iris,
    load_wine,
    make_classification,
    make_regression,
)

from skmeta import Dataset, KnowledgeBase, MetaLearner
from skmeta.metafeatures import metafeature_names

PORTFOLIO = ["knn", "gaussian_nb", "logistic_regression"]


def _classification_datasets():
    datasets = [
        Dataset(*load_iris(return_X_y=True), name="iris"),
        Dataset(*load_wine(return_X_y=True), name="wine"),
        Dataset(*load_breast_cancer(return_X_y=True), name="breast_cancer"),
    ]
    for i in range(4):
        X, y = make_classification(120 + 40 * i, 4 + 2 * i, n_informative=3,
                                   n_redundant=0, random_state=i)
        datasets.append(Dataset(X, y, name=f"generated_{i}"))
    return datasets


@pytest.fixture(scope="module")
def fitted():
    learner = MetaLearner(portfolio=PORTFOLIO, n_configs_per_strategy=1,
                          evaluation_timeout=None, random_state=0)
    return learner.fit(_classification_datasets())


def _contents(kb):
    """Stored evaluations without what varies between runs (timings)."""
    runs = kb.evaluations()
    columns = ["dataset_id", "strategy", "config_key", "status", "score", "fold_scores"]
    runs = runs[columns].sort_values(["dataset_id", "strategy", "config_key"])
    runs["fold_scores"] = runs["fold_scores"].map(tuple)
    return runs.reset_index(drop=True)


def test_fit_stores_the_full_grid(fitted):
    kb = fitted.knowledge_base_
    # 7 datasets x 3 strategies x (default + 1 sampled) configurations.
    assert fitted.n_evaluated_ == 7 * 3 * 2 == len(kb)
    assert len(kb.datasets()) == 7
    runs = kb.evaluations()
    assert (runs["status"] == "ok").all()
    assert runs.groupby("dataset_id")["config_key"].nunique().eq(6).all()
    # The grid is shared: every dataset has the same configurations.
    grids = runs.groupby("dataset_id")["config_key"].apply(frozenset)
    assert grids.nunique() == 1
    assert set(fitted.performance_models_) == {"classification"}
    assert fitted.adjuster_settings("classification").temperature > 0


def test_recommend_ranks_configurations(fitted):
    X, y = make_classification(300, 6, random_state=42)
    table = fitted.recommend(X, y, k=4)
    assert list(table.columns) == ["strategy", "config", "predicted_score", "nearest_datasets"]
    assert len(table) == 4
    assert table["predicted_score"].is_monotonic_decreasing
    assert set(table["strategy"]) <= set(PORTFOLIO)
    assert "generated_" in table["nearest_datasets"].iloc[0]
    with pytest.raises(ValueError, match="no regression experience"):
        fitted.recommend(*make_regression(50, 3, random_state=0))
    with pytest.raises(ValueError, match="k must be"):
        fitted.recommend(X, y, k=0)


def test_evaluate_on_held_out_datasets(fitted):
    learner = clone(fitted)  # unfitted clone of a fitted learner is itself
    assert learner is fitted
    X, y = make_classification(200, 5, random_state=7)
    table = fitted.evaluate([Dataset(X, y, name="held_out")])
    row = table.iloc[0]
    assert row["dataset"] == "held_out"
    assert row["regret"] >= 0
    assert row["best_score"] >= row["recommended_score"]
    assert 1 <= row["rank_of_best"] <= 6
    assert -1 <= row["normalized_score"] <= 1
    with pytest.raises(ValueError, match="used for meta-training"):
        fitted.evaluate([Dataset(*load_iris(return_X_y=True), name="iris")])


def test_second_fit_reuses_stored_results(tmp_path):
    path = tmp_path / "kb.sqlite"
    datasets = _classification_datasets()[:2]
    params = dict(portfolio=["knn"], n_configs_per_strategy=1, evaluation_timeout=None,
                  random_state=0)
    first = MetaLearner(knowledge_base=str(path), **params).fit(datasets)
    second = MetaLearner(knowledge_base=str(path), **params).fit(datasets)
    assert (first.n_evaluated_, first.n_reused_) == (4, 0)
    assert (second.n_evaluated_, second.n_reused_) == (0, 4)
    # Another seed is another grid and other folds: evaluated afresh.
    third = MetaLearner(knowledge_base=str(path), **{**params, "random_state": 1})
    assert third.fit(datasets).n_evaluated_ == 4


def test_a_fit_refreshes_meta_features_of_an_older_extractor(tmp_path):
    datasets = _classification_datasets()[:2]
    kb = KnowledgeBase(tmp_path / "kb.sqlite")
    old = datasets[0]
    kb.add_dataset(old.fingerprint, old.name, old.task, {"n_rows": 1.0, "gone": 2.0},
                   old.n_samples, old.n_features)
    MetaLearner(knowledge_base=kb, portfolio=["knn"], n_configs_per_strategy=0,
                evaluation_timeout=None, random_state=0).fit(datasets)
    names = kb.metafeature_names_by_dataset()
    assert names[old.fingerprint] == set(metafeature_names("binary"))
    assert kb.metafeatures().loc[old.fingerprint, "n_rows"] == old.n_samples
    assert names[datasets[1].fingerprint] == names[old.fingerprint]


@pytest.mark.slow
def test_same_results_with_one_and_two_jobs():
    datasets = _classification_datasets()[:3]
    runs = []
    for n_jobs in (1, 2):
        learner = MetaLearner(portfolio=PORTFOLIO, n_configs_per_strategy=1,
                              n_jobs=n_jobs, evaluation_timeout=60, random_state=3)
        runs.append(_contents(learner.fit(datasets).knowledge_base_))
    pd.testing.assert_frame_equal(runs[0], runs[1])


def test_regression_and_mixed_collections():
    X, y = load_diabetes(return_X_y=True)
    datasets = [Dataset(X, y, name="diabetes")] + _classification_datasets()[:1]
    for i in range(2):
        Xr, yr = make_regression(100 + 50 * i, 4, noise=5.0, random_state=i)
        datasets.append(Dataset(Xr, yr, name=f"regression_{i}"))
    learner = MetaLearner(portfolio=["knn", "ridge", "logistic_regression"],
                          n_configs_per_strategy=0, evaluation_timeout=None,
                          random_state=0)
    learner.fit(datasets)
    assert set(learner.performance_models_) == {"classification", "regression"}
    runs = learner.knowledge_base_.evaluations()
    regression_strategies = set(runs.loc[runs["dataset_name"] == "diabetes", "strategy"])
    assert regression_strategies == {"knn", "ridge"}
    table = learner.recommend(*make_regression(80, 4, random_state=5), k=2)
    assert set(table["strategy"]) <= {"knn", "ridge"}


@pytest.mark.slow
def test_failing_strategies_are_recorded_and_the_fit_goes_on():
    datasets = _classification_datasets()[:2]
    portfolio = ["knn", faulty_strategy("binary", "fit_raises"),
                 faulty_strategy("binary", "sleeps", seconds=30)]
    learner = MetaLearner(portfolio=portfolio, n_configs_per_strategy=0,
                          evaluation_timeout=2, random_state=0).fit(datasets)
    runs = learner.knowledge_base_.evaluations()
    status = runs.groupby("strategy")["status"].agg(set)
    assert status["knn"] == {"ok"}
    assert status["faulty_fit_raises"] == {"error"}
    assert status["faulty_sleeps"] == {"timeout"}
    errors = runs.loc[runs["strategy"] == "faulty_fit_raises", "error"]
    assert errors.str.contains("deliberate failure in fit").all()


@pytest.mark.parametrize(
    "params, message",
    [
        ({"n_configs_per_strategy": -1}, "n_configs_per_strategy"),
        ({"evaluation_timeout": 0}, "evaluation_timeout"),
        ({"max_samples": 3}, "max_samples"),
        ({"portfolio": ["no_such_strategy"]}, "unknown"),
        ({"scoring": "r2"}, "does not apply"),
        ({"knowledge_base": 42}, "knowledge_base must be"),
    ],
)
def test_bad_parameters(params, message):
    with pytest.raises((ValueError, TypeError), match=message):
        MetaLearner(**params).fit(_classification_datasets()[:1])


def test_max_samples_follows_one_rule_everywhere():
    from skmeta import MetaClassifier, MetaRegressor
    from skmeta._validation.parameters import MAX_SAMPLES, MIN_MAX_SAMPLES
    from skmeta.cli import _NUMBER_RULES

    for cls in (MetaClassifier, MetaRegressor, MetaLearner):
        assert cls._parameter_constraints["max_samples"] is MAX_SAMPLES
    assert _NUMBER_RULES["max_samples"] == (MIN_MAX_SAMPLES, False)
    for cls in (MetaClassifier, MetaLearner):
        with pytest.raises(ValueError, match=r"'max_samples' parameter .* \[10, inf\)"):
            cls(max_samples=MIN_MAX_SAMPLES - 1)._validate_params()
        cls(max_samples=MIN_MAX_SAMPLES)._validate_params()


def test_large_datasets_are_subsampled_for_evaluation():
    X, y = make_classification(3000, 5, random_state=0)
    learner = MetaLearner(portfolio=["gaussian_nb"], n_configs_per_strategy=0,
                          max_samples=500, evaluation_timeout=None, random_state=0)
    runs = learner.fit([Dataset(X, y, name="big")]).knowledge_base_.evaluations()
    assert runs["cv"].iloc[0].endswith("on 500 rows")


_RESUMABLE_SCRIPT = textwrap.dedent("""
    import sys
    from sklearn.datasets import make_classification
    from skmeta import Dataset, MetaLearner
    datasets = [Dataset(*make_classification(150, 5, random_state=i), name=f"d{i}")
                for i in range(6)]
    MetaLearner(knowledge_base=sys.argv[1], portfolio=["knn", "logistic_regression"],
                n_configs_per_strategy=2, evaluation_timeout=None,
                random_state=0).fit(datasets)
""")


def _count(path):
    try:
        with sqlite3.connect(path, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM evaluations").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_a_killed_run_resumes_without_repeating(tmp_path):
    path = tmp_path / "kb.sqlite"
    script = tmp_path / "metatrain.py"
    script.write_text(_RESUMABLE_SCRIPT)
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    process = subprocess.Popen([sys.executable, str(script), str(path)], env=env)
    deadline = time.monotonic() + 120
    while _count(path) < 5 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    stored_before = _count(path)
    assert 5 <= stored_before < 36, "the run should be killed midway"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    datasets = [Dataset(*make_classification(150, 5, random_state=i), name=f"d{i}")
                for i in range(6)]
    learner = MetaLearner(knowledge_base=str(path), portfolio=["knn", "logistic_regression"],
                          n_configs_per_strategy=2, evaluation_timeout=None,
                          random_state=0)
    learner.fit(datasets)
    assert learner.n_reused_ == stored_before
    assert learner.n_evaluated_ == 36 - stored_before
    kb = KnowledgeBase(path)
    assert len(kb) == 36
    assert kb.evaluations()["config_key"].groupby(kb.evaluations()["dataset_id"]).nunique().eq(6).all()


@pytest.mark.slow
def test_runs_on_a_dask_cluster():
    distributed = pytest.importorskip("distributed")
    import joblib

    datasets = _classification_datasets()[:2]
    params = dict(portfolio=["knn", "gaussian_nb"], n_configs_per_strategy=1,
                  evaluation_timeout=60, random_state=0)
    local = _contents(MetaLearner(**params).fit(datasets).knowledge_base_)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                  processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        with joblib.parallel_config(backend="dask"):
            learner = MetaLearner(n_jobs=-1, **params).fit(datasets)
    pd.testing.assert_frame_equal(_contents(learner.knowledge_base_), local)
    assert np.all(learner.knowledge_base_.evaluations()["status"] == "ok")


def test_scores_are_compared_within_each_datasets_main_protocol(tmp_path):
    """A cheaper protocol's evaluations time the cost model but are not
    normalized together with the main one's (their scores differ in scale)."""
    datasets = [Dataset(*load_breast_cancer(return_X_y=True), name="cancer"),
                Dataset(*load_wine(return_X_y=True), name="wine"),
                Dataset(*load_iris(return_X_y=True), name="iris")]
    kb = KnowledgeBase(tmp_path / "kb.sqlite")
    settings = {"portfolio": ["knn", "gaussian_nb"], "n_configs_per_strategy": 1,
                "random_state": 0}
    MetaLearner(kb, **settings).fit(datasets)
    learner = MetaLearner(kb, max_samples=100, **settings).fit(datasets)  # a fidelity
    assert kb.evaluations()["cv"].str.endswith(" on 100 rows").sum() == 12
    performance = dict.get(learner.performance_models_, "classification")
    cost = dict.get(learner.cost_models_, "classification")
    assert not performance.runs["cv"].str.endswith(" on 100 rows").any()
    assert len(performance.runs) == 12 and len(cost.runs) == 24
