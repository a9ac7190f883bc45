import numpy as np
import pandas as pd
import pytest

from skmeta.selection import (
    FAILED_SCORE,
    CostModel,
    MetaFeatureScaler,
    NearestDatasets,
    PerformanceModel,
    normalized_scores,
)
from skmeta.selection.cost import evaluated_rows
from skmeta.strategies import default_portfolio


def test_normalized_scores_per_dataset():
    runs = pd.DataFrame({
        "dataset_id": ["a", "a", "a", "b", "b", "b"],
        "score": [0.6, 0.8, 1.0, -5.0, 0.1, 0.2],
        "status": ["ok"] * 5 + ["timeout"],
    })
    normalized = normalized_scores(runs)
    assert normalized.tolist()[:3] == [-1.0, 0.0, 1.0]
    # b: median of (-5, 0.1) is -2.45, best 0.1; the timeout gets the floor.
    assert normalized.iloc[4] == 1.0
    assert normalized.iloc[5] == FAILED_SCORE
    assert normalized.between(-1, 1).all()


def test_scaler_ignores_constant_and_missing_columns_and_bounds_outliers():
    table = pd.DataFrame({
        "rows": [100.0, 1000.0, 1e6, 500.0],
        "constant": 1.0,
        "empty": np.nan,
        "ratio": [0.1, 0.2, np.nan, 0.4],
    })
    scaler = MetaFeatureScaler().fit(table)
    assert scaler.columns_ == ["rows", "ratio"]
    values = scaler.transform(table)
    assert values.shape == (4, 2)
    assert np.isfinite(values).all() and np.abs(values).max() <= 5
    shuffled = table[["ratio", "rows"]].iloc[:1]
    np.testing.assert_allclose(scaler.transform(shuffled), values[:1])


def test_nearest_datasets_excludes_on_request():
    table = pd.DataFrame({"x": [0.0, 1.0, 2.0, 10.0]}, index=list("abcd"))
    nearest = NearestDatasets(n_neighbors=2).fit(table)
    ids, distances = nearest.kneighbors(pd.Series({"x": 0.9}), exclude=["b"])
    assert ids == ["a", "c"]
    assert np.all(np.diff(distances) >= 0)


def test_performance_model_learns_which_strategy_suits_which_dataset():
    portfolio = default_portfolio("binary")[:2]
    names = [s.name for s in portfolio]
    rng = np.random.default_rng(0)
    rows, table = [], {}
    for i in range(40):
        kind = i % 2  # kind 0 datasets favour strategy 0, kind 1 strategy 1
        table[f"d{i}"] = {"kind": kind + rng.normal(0, 0.05), "noise": rng.normal()}
        for j, strategy in enumerate(portfolio):
            for k in range(3):
                config = strategy.sample_config(rng)
                score = 0.9 if j == kind else 0.6
                rows.append({"dataset_id": f"d{i}", "strategy": strategy.name,
                             "config": config, "score": score + rng.normal(0, 0.01),
                             "status": "ok"})
    table = pd.DataFrame(table).T
    model = PerformanceModel(portfolio, n_estimators=50, random_state=0)
    model.fit(table, pd.DataFrame(rows))
    configs = [s.default_config() for s in portfolio]
    for kind in (0, 1):
        predicted = model.predict(pd.Series({"kind": float(kind), "noise": 0.0}),
                                  names, configs)
        assert np.argmax(predicted) == kind
    with pytest.raises(ValueError, match="no evaluations"):
        PerformanceModel(portfolio).fit(table, pd.DataFrame(rows).assign(strategy="x"))


def _timed_runs(portfolio, n_datasets=30, seed=0):
    """Stored evaluations whose seconds grow with rows and (for the second
    strategy) are 16 times the first's."""
    rng = np.random.default_rng(seed)
    table, rows = {}, []
    for i in range(n_datasets):
        n_rows = float(rng.integers(100, 5000))
        table[f"d{i}"] = {"n_rows": n_rows, "log_n_features": rng.uniform(0.5, 2)}
        for j, strategy in enumerate(portfolio):
            for _ in range(3):
                seconds = 1e-4 * n_rows * (16.0 if j == 1 else 1.0)
                rows.append({"dataset_id": f"d{i}", "strategy": strategy.name,
                             "config": strategy.sample_config(rng), "status": "ok",
                             "cv": "KFold(n_splits=3)", "score": 0.5,
                             "fit_seconds": seconds * rng.uniform(0.9, 1.1),
                             "predict_seconds": 0.0})
    return pd.DataFrame(table).T, pd.DataFrame(rows)


def test_cost_model_learns_relative_costs_and_size():
    portfolio = default_portfolio("binary")[:3]
    table, runs = _timed_runs(portfolio[:2])
    model = CostModel(portfolio, n_estimators=30, random_state=0).fit(table, runs)
    assert model.timed_strategies_ == {portfolio[0].name, portfolio[1].name}
    names = [s.name for s in portfolio]
    configs = [s.default_config() for s in portfolio]
    small = model.predict(pd.Series({"n_rows": 300.0, "log_n_features": 1.0}), names, configs)
    large = model.predict(pd.Series({"n_rows": 4000.0, "log_n_features": 1.0}), names, configs)
    # Strategy 1 is 16 times slower: about 4 more log2 seconds.
    assert 3.0 < small[1] - small[0] < 5.0
    assert large[0] > small[0] + 2.0
    assert np.isnan(small[2])  # no timings of the third strategy


def test_cost_model_counts_the_rows_a_subsampled_evaluation_used():
    assert evaluated_rows("KFold(n_splits=3) on 5000 rows", 60000) == 5000
    assert evaluated_rows("KFold(n_splits=3) on 5000 rows", 800) == 800
    assert evaluated_rows("GroupKFold(n_splits=3)", 700) == 700
    assert evaluated_rows("odd on many rows", 700) == 700
    assert np.isnan(evaluated_rows("KFold(n_splits=3)", np.nan))
