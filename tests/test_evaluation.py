import time

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import KFold
from faulty import faulty_strategy
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
from sklearn.linear_model import LogisticRegression

from skmeta.evaluation import (
    SCORINGS,
    check_scoring_name,
    evaluate_config,
    make_cv,
    score_predictions,
)
from skmeta.strategies import default_portfolio


def _strategy(task, name):
    return {s.name: s for s in default_portfolio(task)}[name]


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True, as_frame=True)
    y = y.to_numpy()
    return X, y, list(make_cv(3, "multiclass", y, random_state=0).split(X, y))


def test_scores_and_out_of_fold_predictions(iris):
    X, y, splits = iris
    knn = _strategy("multiclass", "knn")
    result = evaluate_config(knn, knn.default_config(), X, y, "multiclass", splits,
                             return_oof=True)
    assert result.status == "ok" and result.error == ""
    assert len(result.fold_scores) == 3
    assert result.score == pytest.approx(np.mean(result.fold_scores))
    assert result.oof_predictions.shape == (150, 3)
    np.testing.assert_allclose(result.oof_predictions.sum(axis=1), 1.0)
    # The out-of-fold predictions give back the fold scores' metric.
    oof_score = score_predictions(y, result.oof_predictions, "multiclass")
    assert oof_score == pytest.approx(result.score, abs=0.03)


def test_regression_with_named_metric():
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    y = y.to_numpy()
    splits = list(make_cv(3, "regression", random_state=0).split(X, y))
    ridge = _strategy("regression", "ridge")
    r2 = evaluate_config(ridge, {}, X, y, "regression", splits)
    mse = evaluate_config(ridge, {}, X, y, "regression", splits,
                          scoring="neg_mean_squared_error")
    assert 0.3 < r2.score < 0.7
    assert mse.score < 0


def test_timed_out_evaluation_is_killed_and_recorded(iris):
    X, y, splits = iris
    sleeper = faulty_strategy("multiclass", "sleeps", seconds=60)
    start = time.monotonic()
    result = evaluate_config(sleeper, {}, X, y, "multiclass", splits, timeout=1.0)
    assert time.monotonic() - start < 10
    assert result.status == "timeout"
    assert "time limit of 1 s" in result.error


@pytest.mark.parametrize(
    "fault, message",
    [
        ("fit_raises", "RuntimeError: deliberate failure in fit"),
        ("predict_raises", "deliberate failure in predict"),
        ("nan", "NaN"),
        ("wrong_shape", "shape"),
        # Allocating 2 GiB takes seconds on a busy machine: the full suite only.
        pytest.param("memory", "MemoryError", marks=pytest.mark.slow),
    ],
)
@pytest.mark.parametrize("timeout", [None, 30.0])
def test_faults_are_recorded_not_raised(iris, fault, message, timeout):
    X, y, splits = iris
    result = evaluate_config(faulty_strategy("multiclass", fault), {}, X, y,
                             "multiclass", splits, scoring="neg_log_loss",
                             timeout=timeout)
    assert result.status == "error"
    assert message in result.error
    assert result.score is None


def test_nan_regression_predictions_are_an_error():
    X, y = load_diabetes(return_X_y=True)
    splits = list(make_cv(3, "regression", random_state=0).split(X, y))
    result = evaluate_config(faulty_strategy("regression", "inf"), {}, X, y,
                             "regression", splits)
    assert result.status == "error" and "infinite" in result.error


def test_make_cv():
    y = np.array([0] * 10 + [1] * 2)
    assert make_cv(5, "binary", y, random_state=0).get_n_splits() == 2
    with pytest.warns(UserWarning, match="single member"):
        assert isinstance(make_cv(5, "binary", np.array([0, 0, 0, 1])), KFold)
    with pytest.raises(ValueError, match="at least 2 folds"):
        make_cv(1, "binary")
    assert make_cv(4, "regression", random_state=1).get_n_splits() == 4


def test_scoring_names():
    assert check_scoring_name(None, "regression") == "r2"
    with pytest.raises(ValueError, match="one of"):
        check_scoring_name("precision_at_k", "binary")
    with pytest.raises(ValueError, match="does not apply"):
        check_scoring_name("r2", "binary")
    assert all(spec.tasks for spec in SCORINGS.values())


def test_roc_auc_binary():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    y = y.to_numpy()
    splits = list(make_cv(3, "binary", y, random_state=0).split(X, y))
    lr = _strategy("binary", "logistic_regression")
    result = evaluate_config(lr, {}, X, y, "binary", splits, scoring="roc_auc")
    assert result.score > 0.98


@pytest.mark.slow
def test_a_fold_cache_shares_preprocessing_without_changing_scores():
    from skmeta._fold_cache import FoldCache

    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    y = y.to_numpy()
    splits = list(make_cv(3, "binary", y, random_state=0).split(X, y))
    by_name = {s.name: s for s in default_portfolio("binary")}
    cache = FoldCache()
    weights = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    for name in ("logistic_regression", "svm_rbf", "random_forest", "logistic_regression"):
        strategy = by_name[name]
        for sample_weight in (None, weights):
            fresh = evaluate_config(strategy, strategy.default_config(), X, y, "binary",
                                    splits, return_oof=True, sample_weight=sample_weight)
            shared = evaluate_config(strategy, strategy.default_config(), X, y, "binary",
                                     splits, return_oof=True, sample_weight=sample_weight,
                                     fold_cache=cache)
            assert shared.fold_scores == fresh.fold_scores
            np.testing.assert_array_equal(shared.oof_predictions, fresh.oof_predictions)
    # Logistic regression and the SVM share the scaled folds, the forest has its
    # own: 2 recipes x 3 folds were preprocessed, every other fold was reused.
    assert cache.hits == 8 * 3 - 2 * 3


def test_a_fold_cache_leaves_target_encoding_to_the_pipeline():
    from skmeta._fold_cache import FoldCache
    from skmeta.strategies import LogUniform, Strategy, TabularPreprocessor

    rng = np.random.default_rng(0)
    codes = rng.integers(0, 40, 200)
    X = pd.DataFrame({"city": [f"c{c}" for c in codes], "size": rng.normal(size=200)})
    y = (codes % 2).astype(int)
    encoding = TabularPreprocessor(categorical="target", scale=True)
    assert not FoldCache.handles(encoding)  # it must see each fold's target
    strategy = Strategy("te_logistic", LogisticRegression(),
                        {"C": LogUniform(1e-2, 1e2)}, preprocessing=encoding)
    splits = list(make_cv(3, "binary", y, random_state=0).split(X, y))
    cache = FoldCache()
    fresh = evaluate_config(strategy, {}, X, y, "binary", splits)
    shared = evaluate_config(strategy, {}, X, y, "binary", splits, fold_cache=cache)
    assert shared.fold_scores == fresh.fold_scores and cache.hits == 0
    assert fresh.score > 0.9  # the cities carry the target


def test_a_fold_cache_keeps_no_more_than_its_cells(monkeypatch):
    import skmeta._fold_cache as fold_cache
    from skmeta.strategies import TabularPreprocessor

    X = np.random.default_rng(0).normal(size=(100, 4))
    folds = [(np.arange(50), np.arange(50, 100)), (np.arange(50, 100), np.arange(50))]
    monkeypatch.setattr(fold_cache, "MAX_CACHED_CELLS", 100 * 4)  # one fold's worth
    cache = fold_cache.FoldCache()
    for _ in range(2):
        for train, test in folds:
            cache.transform(TabularPreprocessor(scale=True), X, train, test)
    assert cache.hits == 1  # the first fold was kept, the second not
