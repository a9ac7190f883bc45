"""Sample weights: validation, the weighted search, refit, routing, knowledge."""

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn import metrics
from sklearn.datasets import load_iris, make_classification
from sklearn.model_selection import GridSearchCV, KFold, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from skmeta import Dataset, MetaClassifier, MetaLearner, MetaRegressor
from skmeta.ensemble import ensemble_selection
from skmeta.evaluation import evaluate_config, make_cv, score_predictions
from skmeta.knowledge import WEIGHTED_CV_SUFFIX, Evaluation, KnowledgeBase
from skmeta.strategies import default_portfolio


def _two_levels(n=300, seed=0):
    """A target that is 0 on half the rows and 10 on the other half, with
    features that say nothing, and weights of 9 on the rows at 10.

    A weighted fit predicts about the weighted mean, 9; an unweighted one 5.
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = np.where(np.arange(n) % 2 == 0, 0.0, 10.0)
    weights = np.where(y == 10.0, 9.0, 1.0)
    return X, y, weights


RIDGE = {"portfolio": ["ridge"], "n_evaluations": 2, "cv": 3, "ensemble_size": 1,
         "random_state": 0}


def _noisy_half(seed=0):
    """Labels that follow x0 on rows of weight 1 and are random on rows of
    weight 0.01: the weighted metric sees a clean task, the plain one not."""
    rng = np.random.default_rng(seed)
    n = 400
    X = rng.normal(size=(n, 4))
    clean = np.arange(n) < n // 2
    y = np.where(clean, (X[:, 0] > 0).astype(int), rng.integers(0, 2, n))
    return X, y, np.where(clean, 1.0, 0.01)


# -- validation ------------------------------------------------------------------


@pytest.mark.parametrize("weights, message", [
    (np.ones(5), "has 5 values but X has 150 rows"),
    (np.full(150, -1.0), "negative values"),
    (np.r_[np.nan, np.ones(149)], "missing values"),
    (np.r_[np.inf, np.ones(149)], "infinite"),
    (np.zeros(150), "zero for every row"),
    (np.ones((150, 2)), "1-dimensional"),
    (np.array(["a"] * 150), "must hold numbers"),
])
def test_bad_weights_are_refused_with_a_clear_error(weights, message):
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match=message):
        MetaClassifier(n_evaluations=1).fit(X, y, sample_weight=weights)


def test_dataset_checks_its_weights():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="negative"):
        Dataset(X, y, sample_weight=-np.ones(150))
    assert Dataset(X, y, sample_weight=np.ones(150)).sample_weight is None
    weights = Dataset(X, y, sample_weight=np.arange(150.0) + 1).sample_weight
    assert weights[3] / weights[0] == pytest.approx(4.0)  # scaled to a mean of 1
    assert weights.mean() == pytest.approx(1.0)


# -- metrics and ensembles ---------------------------------------------------------


def test_weighted_metrics_are_scikit_learns():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 200)
    proba = rng.dirichlet(np.ones(3), 200)
    weights = rng.uniform(0, 3, 200)
    labels = np.argmax(proba, axis=1)
    expected = metrics.balanced_accuracy_score(y, labels, sample_weight=weights)
    got = score_predictions(y, proba, "multiclass", sample_weight=weights)
    assert got == pytest.approx(expected)
    assert got != pytest.approx(score_predictions(y, proba, "multiclass"))
    expected = -metrics.log_loss(y, proba, sample_weight=weights)
    assert score_predictions(y, proba, "multiclass", "neg_log_loss",
                             sample_weight=weights) == pytest.approx(expected)


def test_ensemble_selection_follows_the_weights():
    y = np.array([0.0, 0.0, 10.0, 10.0])
    first_half, second_half = np.array([0, 0, 5, 5.0]), np.array([5, 5, 10, 10.0])
    on_first = np.array([1.0, 1.0, 0.01, 0.01])
    on_second = on_first[::-1].copy()
    picks = [ensemble_selection([first_half, second_half], y, "regression", "r2", 1,
                                sample_weight=w).tolist() for w in (on_first, on_second)]
    assert picks == [[1.0, 0.0], [0.0, 1.0]]


def test_evaluate_config_fits_and_scores_with_weights():
    X, y, weights = _two_levels()
    X = pd.DataFrame(X, columns=["a", "b", "c"])
    ridge = {s.name: s for s in default_portfolio("regression")}["ridge"]
    splits = list(make_cv(3, "regression", random_state=0).split(X, y))
    plain = evaluate_config(ridge, {}, X, y, "regression", splits,
                            scoring="neg_mean_absolute_error", return_oof=True)
    weighted = evaluate_config(ridge, {}, X, y, "regression", splits,
                               scoring="neg_mean_absolute_error", return_oof=True,
                               sample_weight=weights)
    assert plain.ok and weighted.ok
    # Fitted with weights: out-of-fold predictions near the weighted mean, 9.
    assert abs(np.mean(plain.oof_predictions) - 5) < 0.5
    assert abs(np.mean(weighted.oof_predictions) - 9) < 0.5
    assert weighted.score > plain.score  # and scored where it is right


# -- the estimators ------------------------------------------------------------------


def test_weights_reach_the_search_and_the_refit():
    X, y, weights = _two_levels()
    plain = MetaRegressor(**RIDGE).fit(X, y)
    weighted = MetaRegressor(**RIDGE).fit(X, y, sample_weight=weights)
    assert abs(plain.predict(X).mean() - 5) < 0.5
    assert abs(weighted.predict(X).mean() - 9) < 0.5
    zero_shot = MetaRegressor(**{**RIDGE, "n_evaluations": 1})
    assert abs(zero_shot.fit(X, y, sample_weight=weights).predict(X).mean() - 9) < 0.5
    # Folds run in a worker process that a time limit can kill: weights too.
    limited = MetaRegressor(evaluation_timeout=60, **RIDGE).fit(
        X, y, sample_weight=weights)
    pd.testing.assert_frame_equal(limited.trace_[["config", "score"]],
                                  weighted.trace_[["config", "score"]])


def test_equal_weights_give_the_same_fit_as_none():
    X, y = make_classification(300, 6, random_state=0)
    settings = {"portfolio": ["logistic_regression", "random_forest", "knn"],
                "n_evaluations": 4, "cv": 3, "random_state": 0}
    plain = MetaClassifier(**settings).fit(X, y)
    ones = MetaClassifier(**settings).fit(X, y, sample_weight=np.ones(len(y)))
    columns = ["strategy", "config", "score", "n_folds"]
    pd.testing.assert_frame_equal(plain.trace_[columns], ones.trace_[columns])
    np.testing.assert_array_equal(plain.predict_proba(X), ones.predict_proba(X))
    assert ones.skipped_strategies_ == {}


def test_weights_that_matter_change_the_search():
    X, y, weights = _noisy_half()
    settings = {"portfolio": ["logistic_regression", "knn", "gaussian_nb"],
                "n_evaluations": 4, "cv": 3, "random_state": 0}
    plain = MetaClassifier(**settings).fit(X, y)
    weighted = MetaClassifier(**settings).fit(X, y, sample_weight=weights)
    # The weighted metric scores the clean half: far better than the mix.
    assert weighted.best_score_ > plain.best_score_ + 0.15
    assert not np.allclose(plain.trace_["score"], weighted.trace_["score"])
    # k-NN cannot fit with weights: left out, and said so.
    assert set(weighted.skipped_strategies_) == {"knn"}
    assert "knn" not in set(weighted.trace_["strategy"])
    assert "knn" not in weighted.strategy_probabilities_.index


def test_only_unweighable_strategies_is_an_error():
    X, y, weights = _noisy_half()
    with pytest.raises(ValueError, match="no strategy of the portfolio can fit with"):
        MetaClassifier(portfolio=["knn"], n_evaluations=2).fit(X, y,
                                                               sample_weight=weights)


@pytest.mark.slow
def test_weighted_search_is_the_same_with_one_or_two_jobs():
    X, y, weights = _noisy_half()
    settings = {"portfolio": ["logistic_regression", "random_forest"],
                "n_evaluations": 4, "cv": 3, "random_state": 0}
    one = MetaClassifier(n_jobs=1, **settings).fit(X, y, sample_weight=weights)
    two = MetaClassifier(n_jobs=2, **settings).fit(X, y, sample_weight=weights)
    columns = ["strategy", "config", "score"]
    pd.testing.assert_frame_equal(one.trace_[columns], two.trace_[columns])
    np.testing.assert_allclose(one.predict_proba(X), two.predict_proba(X))


# -- metadata routing -----------------------------------------------------------


def test_weights_routed_through_pipeline_cross_validate_and_grid_search():
    X, y, weights = _two_levels()
    with sklearn.config_context(enable_metadata_routing=True):
        pipeline = Pipeline([
            ("scale", StandardScaler().set_fit_request(sample_weight=False)),
            ("model", MetaRegressor(**RIDGE).set_fit_request(sample_weight=True)),
        ])
        assert abs(pipeline.fit(X, y, sample_weight=weights).predict(X).mean() - 9) < 0.5

        # Weights for the inner search and for the outer scores alike.
        routed = (MetaRegressor(**RIDGE).set_fit_request(sample_weight=True)
                  .set_score_request(sample_weight=True))
        results = cross_validate(
            routed, X, y,
            cv=KFold(3), params={"sample_weight": weights}, return_estimator=True,
        )
        for fitted in results["estimator"]:
            assert abs(fitted.predict(X).mean() - 9) < 0.5

        search = GridSearchCV(
            routed, {"ensemble_size": [1, 2]}, cv=KFold(2),
        ).fit(X, y, sample_weight=weights)
        assert abs(search.best_estimator_.predict(X).mean() - 9) < 0.5

    # Without routing, a Pipeline takes step-prefixed weights as usual.
    pipeline = Pipeline([("scale", StandardScaler()), ("model", MetaRegressor(**RIDGE))])
    pipeline.fit(X, y, model__sample_weight=weights)
    assert abs(pipeline.predict(X).mean() - 9) < 0.5


# -- the knowledge base ---------------------------------------------------------


def test_meta_learner_records_weighted_evaluations(tmp_path):
    X, y, weights = _noisy_half()
    datasets = [Dataset(X, y, name="weighted", sample_weight=weights),
                Dataset(*load_iris(return_X_y=True), name="iris")]
    kb = KnowledgeBase(tmp_path / "kb.sqlite")
    learner = MetaLearner(kb, portfolio=["knn", "gaussian_nb"],
                          n_configs_per_strategy=1, random_state=0).fit(datasets)
    ids = kb.datasets()
    stored = dict(zip(ids["name"], ids.index))
    weighted = kb.evaluations(dataset_id=stored["weighted"])
    # k-NN cannot take weights: not evaluated on the weighted dataset.
    assert set(weighted["strategy"]) == {"gaussian_nb"}
    assert weighted["cv"].str.endswith(WEIGHTED_CV_SUFFIX).all()
    plain = kb.evaluations(dataset_id=stored["iris"])
    assert set(plain["strategy"]) == {"knn", "gaussian_nb"}
    assert not plain["cv"].str.endswith(WEIGHTED_CV_SUFFIX).any()
    assert learner.n_evaluated_ == len(weighted) + len(plain)
    row = weighted.iloc[0]
    evaluation = Evaluation(row.dataset_id, row.strategy, row.config, row.metric,
                            row.cv, int(row.seed), score=row.score)
    assert evaluation.weighted


@pytest.mark.slow
def test_update_knowledge_records_a_weighted_fit(tmp_path):
    X, y, weights = _noisy_half()
    path = tmp_path / "kb.sqlite"
    KnowledgeBase.default().copy(path)
    clf = MetaClassifier(knowledge_base=str(path), portfolio=["logistic_regression"],
                         n_evaluations=2, cv=3, update_knowledge=True, random_state=0)
    clf.fit(X, y, sample_weight=weights)
    kb = KnowledgeBase(path)
    ids = kb.datasets()
    stored = kb.evaluations(dataset_id=ids.index[ids["name"] == "fit"][0])
    assert len(stored) and stored["cv"].str.endswith(WEIGHTED_CV_SUFFIX).all()
