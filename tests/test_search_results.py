"""The fitted estimators read like a scikit-learn search (issue 23):
``cv_results_``, ``best_estimator_``, ``best_params_``, ``scorer_``,
``refit_time_``, ``score`` by the search's metric."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_diabetes, load_iris, make_classification
from sklearn.linear_model import RidgeClassifier
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    log_loss,
    mean_absolute_error,
    r2_score,
)

from skmeta import MetaClassifier, MetaRegressor
from skmeta._search_results import SearchScorer, cv_results, unscored_row
from skmeta.fold_race import FoldRace
from skmeta.strategies import resolve_portfolio


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


@pytest.fixture(scope="module")
def fitted(iris):
    X, y = iris
    return MetaClassifier(n_evaluations=6, cv=3, random_state=0).fit(X, y)


def test_cv_results_has_scikit_learns_keys_one_entry_per_trace_row(fitted):
    results = fitted.cv_results_
    n_rows = len(fitted.trace_)
    expected = {"params", "mean_test_score", "std_test_score", "rank_test_score",
                "mean_fit_time", "mean_score_time", "param_strategy",
                "split0_test_score", "split1_test_score", "split2_test_score",
                "strategy", "n_folds", "status"}
    assert expected <= set(results)
    assert "split3_test_score" not in results
    for key, values in results.items():
        assert len(values) == n_rows, key
    assert results["rank_test_score"].dtype == np.int32
    assert len(pd.DataFrame(results)) == n_rows


def test_cv_results_agrees_with_trace(fitted):
    results, trace = fitted.cv_results_, fitted.trace_
    for i, row in trace.iterrows():
        assert results["params"][i] == {"strategy": row["strategy"], **row["config"]}
        assert results["strategy"][i] == row["strategy"]
        assert results["n_folds"][i] == row["n_folds"]
        assert results["status"][i] == row["status"]
        folds = [results[f"split{k}_test_score"][i] for k in range(3)]
        # Folds not run are NaN, as scikit-learn gives failed fits.
        np.testing.assert_array_equal(folds[:len(row["fold_scores"])], row["fold_scores"])
        assert np.isnan(folds[len(row["fold_scores"]):]).all()
        if row["promoted"] and row["status"] == "ok":
            assert results["mean_test_score"][i] == row["score"]
            assert results["std_test_score"][i] == pytest.approx(np.std(row["fold_scores"]))
        else:
            assert np.isnan(results["mean_test_score"][i])
        assert results["mean_fit_time"][i] == pytest.approx(
            row["fit_seconds"] / max(row["n_folds"], 1))


def test_best_index_is_the_top_ranked_row(fitted):
    results = fitted.cv_results_
    best = fitted.best_index_
    assert results["rank_test_score"][best] == 1
    assert results["mean_test_score"][best] == fitted.best_score_
    assert fitted.trace_.at[best, "strategy"] == fitted.best_strategy_
    assert np.nanmax(results["mean_test_score"]) == fitted.best_score_


def test_param_columns_are_masked_where_a_configuration_lacks_them(fitted):
    results = fitted.cv_results_
    assert not np.ma.getmaskarray(results["param_strategy"]).any()
    for key, column in results.items():
        if key.startswith("param_") and key != "param_strategy":
            name = key[len("param_"):]
            has = np.array([name in p for p in results["params"]])
            np.testing.assert_array_equal(~np.ma.getmaskarray(column), has)


def test_best_params_are_the_strategy_and_its_configuration(fitted):
    assert fitted.best_params_ == {"strategy": fitted.best_strategy_,
                                   **fitted.best_config_}
    assert fitted.best_params_ == fitted.cv_results_["params"][fitted.best_index_]
    # best_config_ is what the strategy builds its learner from.
    [strategy] = resolve_portfolio([fitted.best_strategy_], "multiclass")
    strategy.build(fitted.best_config_)


def test_score_uses_the_searchs_scorer(fitted, iris):
    X, y = iris
    assert isinstance(fitted.scorer_, SearchScorer)
    assert fitted.score(X, y) == pytest.approx(balanced_accuracy_score(y, fitted.predict(X)))
    weights = np.linspace(0.5, 2.0, len(y))
    assert fitted.score(X, y, sample_weight=weights) == pytest.approx(
        balanced_accuracy_score(y, fitted.predict(X), sample_weight=weights))


def test_score_follows_scoring():
    X, y = make_classification(200, 5, weights=[0.8], random_state=0)
    clf = MetaClassifier(n_evaluations=2, cv=3, scoring="neg_log_loss",
                         ensemble_size=1, random_state=0).fit(X, y)
    assert clf.score(X, y) == pytest.approx(-log_loss(y, clf.predict_proba(X)))
    clf = MetaClassifier(n_evaluations=1, scoring="accuracy", random_state=0).fit(X, y)
    assert clf.score(X, y) == pytest.approx(accuracy_score(y, clf.predict(X)))
    X, y = load_diabetes(return_X_y=True)
    reg = MetaRegressor(n_evaluations=1, random_state=0).fit(X, y)
    assert reg.score(X, y) == pytest.approx(r2_score(y, reg.predict(X)))
    reg.set_params(scoring="neg_mean_absolute_error").fit(X, y)
    assert reg.score(X, y) == pytest.approx(-mean_absolute_error(y, reg.predict(X)))


def test_refit_time_is_measured(fitted):
    assert 0 < fitted.refit_time_ < 60


def test_zero_shot_results(iris):
    X, y = iris
    clf = MetaClassifier(n_evaluations=1, random_state=0).fit(X, y)
    results = clf.cv_results_
    assert not any(key.startswith("split") for key in results)
    assert np.isnan(results["mean_test_score"]).all()
    np.testing.assert_array_equal(results["rank_test_score"], 1)
    np.testing.assert_array_equal(results["n_folds"], 0)
    assert clf.best_index_ == len(clf.trace_) - 1
    assert clf.refit_time_ == clf.trace_.at[clf.best_index_, "fit_seconds"]
    assert clf.best_params_["strategy"] == clf.best_strategy_


def test_the_model_of_last_resort_is_the_last_row(monkeypatch, iris):
    X, y = iris
    # As if no evaluation had finished in the time budget.
    monkeypatch.setattr(FoldRace, "best", lambda self: None)
    clf = MetaClassifier(n_evaluations=2, time_budget=60, cv=3, random_state=0)
    with pytest.warns(UserWarning, match="no evaluation finished"):
        clf.fit(X, y)
    last = len(clf.trace_) - 1
    assert clf.best_index_ == last == 2
    assert clf.trace_.at[last, "n_folds"] == 0
    assert clf.cv_results_["params"][last] == clf.best_params_
    assert clf.refit_time_ == clf.trace_.at[last, "fit_seconds"]
    assert np.isnan(clf.best_score_)


def test_estimator_is_a_deprecated_alias_of_best_estimator(fitted):
    with pytest.warns(FutureWarning, match="best_estimator_"):
        assert fitted.estimator_ is fitted.best_estimator_
    unfitted = MetaClassifier()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not hasattr(unfitted, "estimator_")
        assert not hasattr(unfitted, "best_estimator_")


def test_a_model_pickled_before_the_rename_still_predicts(fitted, iris):
    X, _ = iris
    state = dict(fitted.__getstate__())
    state["estimator_"] = state.pop("best_estimator_")
    old = MetaClassifier.__new__(MetaClassifier)
    old.__setstate__(state)
    restored = pickle.loads(pickle.dumps(old))
    np.testing.assert_array_equal(restored.predict(X), fitted.predict(X))


def test_predict_proba_is_there_only_if_the_final_model_has_it(fitted, iris):
    X, y = iris
    assert hasattr(MetaClassifier(), "predict_proba")
    assert hasattr(fitted, "predict_proba")
    without = pickle.loads(pickle.dumps(fitted))
    without.best_estimator_ = RidgeClassifier().fit(X, y)
    assert not hasattr(without, "predict_proba")
    assert hasattr(without, "decision_function")


def test_cv_results_of_a_trace_with_failures_and_unscored_rows():
    trace = pd.DataFrame([
        {"strategy": "a", "config": {"x": 1}, "score": None, "fold_scores": [],
         "n_folds": 0, "promoted": False, "status": "error", "fit_seconds": 0.1,
         "predict_seconds": 0.0},
        unscored_row(1, "b", {"y": "z"}, 0.5),
    ])
    results = cv_results(trace, n_splits=2)
    assert np.isnan(results["mean_test_score"]).all()
    np.testing.assert_array_equal(results["rank_test_score"], [1, 1])
    assert results["param_x"].mask.tolist() == [False, True]
    assert results["param_y"].dtype == object
    assert results["mean_fit_time"].tolist() == [0.1, 0.5]
