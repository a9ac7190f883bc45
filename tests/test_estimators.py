import pickle

import numpy as np
import pandas as pd
import pytest
from faulty import faulty_strategy, refit_failing_strategy
from sklearn.base import clone
from sklearn.datasets import (
    load_breast_cancer,
    make_classification,
    make_friedman1,
    make_regression,
)
from sklearn.model_selection import GridSearchCV, train_test_split

from skmeta import (
    Dataset,
    KnowledgeBase,
    MetaClassifier,
    MetaLearner,
    MetaRegressor,
    load_penguins,
)
from skmeta._meta_search import LEARNED_PRICE_MAX_ROWS
from skmeta.adjust.warm_start import ZERO_SHOT_COST_WEIGHT
from skmeta.learner import resolve_meta_learner
from skmeta.strategies import resolve_portfolio

PORTFOLIO = ["knn", "logistic_regression", "gaussian_nb", "ridge"]


@pytest.fixture(scope="module")
def learner():
    """A small meta-learner, meta-trained on generated and bundled datasets."""
    datasets = [Dataset(*load_breast_cancer(return_X_y=True), name="breast_cancer")]
    for i in range(6):
        X, y = make_classification(100 + 30 * i, 4 + i, n_informative=3,
                                   n_redundant=0, n_classes=2 + i % 2,
                                   random_state=i)
        datasets.append(Dataset(X, y, name=f"classification_{i}"))
        X, y = make_regression(100 + 30 * i, 4 + i, noise=10.0, random_state=i)
        datasets.append(Dataset(X, y, name=f"regression_{i}"))
    return MetaLearner(portfolio=PORTFOLIO, n_configs_per_strategy=2,
                       evaluation_timeout=None, random_state=0).fit(datasets)


def _penguin_regression():
    data = load_penguins()
    X = data.X.drop(columns="body_mass_g")
    y = data.X["body_mass_g"]
    keep = y.notna().to_numpy()
    return X[keep], y[keep].to_numpy()


def test_classifier_on_categorical_and_missing_data(learner):
    data = load_penguins()
    X_train, X_test, y_train, y_test = train_test_split(
        data.X, data.y, stratify=data.y, random_state=0)
    clf = MetaClassifier(meta_learner=learner, n_evaluations=5, cv=3,
                         random_state=0).fit(X_train, y_train)
    assert clf.score(X_test, y_test) > 0.9
    assert list(clf.classes_) == ["Adelie", "Chinstrap", "Gentoo"]
    assert clf.n_features_in_ == 7
    assert list(clf.feature_names_in_) == list(data.X.columns)
    proba = clf.predict_proba(X_test)
    assert proba.shape == (len(X_test), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # The trace shows the adaptation.
    trace = clf.trace_
    assert len(trace) == 5
    assert {"step", "strategy", "config", "probabilities", "score", "fold_scores",
            "seconds", "status"} <= set(trace.columns)
    # cv=3: promoted proposals are scored on every fold, the others on one.
    assert all(len(p) == (3 if promoted else 1)
               for p, promoted in zip(trace["fold_scores"], trace["promoted"]))
    assert trace["promoted"].iloc[0]
    assert all(abs(sum(p.values()) - 1) < 1e-5 for p in trace["probabilities"])
    assert clf.best_score_ == trace["score"].max()
    assert clf.strategy_probabilities_.sum() == pytest.approx(1.0)
    assert set(clf.strategy_probabilities_.index) == {"knn", "logistic_regression",
                                                      "gaussian_nb"}


def test_zero_shot_follows_the_prior(learner):
    X, y = make_classification(200, 6, random_state=11)
    clf = MetaClassifier(meta_learner=learner, n_evaluations=1, cv=3,
                         prior_weight=1.0, random_state=0).fit(X, y)
    top = learner.recommend(X, y, k=1).iloc[0]
    assert clf.trace_["strategy"].iloc[0] == top["strategy"]
    assert clf.trace_["config"].iloc[0] == top["config"]


def test_auto_cost_weight_is_learned_under_a_time_budget_or_on_few_rows():
    # The learned weight is learned on time budgets, over datasets half of
    # which have fewer than 1,000 rows; without a budget, on larger tables,
    # it kept held-out searches among cheap learners where only slow ones do well.
    X, y = make_classification(LEARNED_PRICE_MAX_ROWS, 8, random_state=12)
    learned = MetaLearner.from_knowledge_base(KnowledgeBase.default()) \
        .adjuster_settings("classification").cost_weight
    assert learned > ZERO_SHOT_COST_WEIGHT
    common = dict(n_evaluations=2, proposals_per_step=1, cv=3, ensemble_size=1,
                  random_state=0)

    def weight(X, y, **params):
        return MetaClassifier(**common, **params).fit(X, y).adjuster_settings_.cost_weight

    assert weight(X, y) == ZERO_SHOT_COST_WEIGHT
    assert weight(X[:300], y[:300]) == learned
    # the rows searched on count, not the rows given
    assert weight(X, y, max_samples=300) == learned
    assert weight(X, y, time_budget=120) == learned
    assert weight(X, y, cost_weight=0.2) == 0.2


def test_zero_shot_pick_costs_at_most_a_default_hist_gradient_boosting():
    # Before the bound, regression's zero-shot pick here was CatBoost,
    # predicted 4.5 times slower than HistGradientBoosting's default.
    X, y = make_friedman1(3000, 10, noise=1.0, random_state=0)
    learner = resolve_meta_learner(None)
    meta = learner.metafeatures_of(Dataset(X, y))
    hgb = resolve_portfolio(["hist_gradient_boosting"], "regression")[0]

    def predicted_seconds(model):
        pick = model.trace_.loc[0]
        return learner.predicted_seconds("regression", meta, [pick["strategy"], hgb.name],
                                         [pick["config"], hgb.default_config()])

    bounded = MetaRegressor(n_evaluations=1, random_state=0).fit(X, y)
    pick_seconds, hgb_seconds = predicted_seconds(bounded)
    assert pick_seconds <= hgb_seconds * 1.001
    # cost_weight=0 turns cost off, the bound included: the best predicted
    # candidate is then a slower one.
    free = MetaRegressor(n_evaluations=1, cost_weight=0, random_state=0).fit(X, y)
    assert predicted_seconds(free)[0] > hgb_seconds


def test_cost_weight_prices_slow_strategies_but_not_the_zero_shot_pick():
    X, y = make_classification(300, 8, random_state=12)
    runs = {}
    for cost_weight in (0.0, 1.0):
        runs[cost_weight] = MetaClassifier(
            n_evaluations=2, proposals_per_step=1, cv=3, ensemble_size=1,
            cost_weight=cost_weight, random_state=0,
        ).fit(X, y)
    free, priced = runs[0.0].trace_, runs[1.0].trace_
    # The zero-shot pick pays only ZERO_SHOT_COST_WEIGHT: of two candidates
    # predicted about as good, the cheaper one (here CatBoost, best predicted,
    # gives way to XGBoost).
    learner = MetaLearner.from_knowledge_base(KnowledgeBase.default())
    cost = learner.cost_models_["classification"]
    metafeatures = learner.metafeatures_of(Dataset(X, y))
    first = {run: (trace.loc[0, "strategy"], trace.loc[0, "config"])
             for run, trace in (("free", free), ("priced", priced))}
    if first["free"] != first["priced"]:
        free_cost, priced_cost = cost.predict(
            metafeatures, [first["free"][0], first["priced"][0]],
            [first["free"][1], first["priced"][1]])
        assert priced_cost < free_cost
    names = list(free.loc[0, "probabilities"])
    portfolio = {s.name: s for s in cost.portfolio}
    log_cost = cost.predict(metafeatures, names, [portfolio[n].default_config() for n in names])
    cheap = [n for n, c in zip(names, log_cost, strict=True) if c < np.median(log_cost)]

    def cheap_probability(trace):
        return sum(trace.loc[0, "probabilities"][n] for n in cheap)

    assert cheap_probability(priced) > cheap_probability(free) + 0.1


def test_binary_and_regression(learner):
    X, y = make_classification(200, 5, random_state=3)
    clf = MetaClassifier(meta_learner=learner, n_evaluations=4, cv=3,
                         random_state=0).fit(X, y)
    assert set(clf.predict(X)) <= {0, 1}
    X, y = _penguin_regression()
    reg = MetaRegressor(meta_learner=learner, n_evaluations=4, cv=3,
                        random_state=0).fit(X, y)
    assert reg.score(X, y) > 0.7
    assert reg.best_strategy_ in {"knn", "ridge"}


def test_ensemble_selection_fuses_several_members(learner):
    X, y = make_classification(300, 8, n_informative=5, random_state=5)
    clf = MetaClassifier(meta_learner=learner, n_evaluations=6, cv=3,
                         ensemble_size=10, random_state=0).fit(X, y)
    assert clf.ensemble_["weight"].sum() == pytest.approx(1.0)
    single = MetaClassifier(meta_learner=learner, n_evaluations=6, cv=3,
                            ensemble_size=1, random_state=0).fit(X, y)
    assert len(single.ensemble_) == 1
    assert single.ensemble_["evaluation"].iloc[0] == single.best_index_
    # Same search either way: fusion only changes the final model.
    pd.testing.assert_frame_equal(
        clf.trace_.drop(columns=["seconds", "fit_seconds", "predict_seconds"]),
        single.trace_.drop(columns=["seconds", "fit_seconds", "predict_seconds"]))


def test_same_result_with_one_and_two_jobs(learner):
    X, y = make_classification(250, 6, random_state=8)
    fits = [MetaClassifier(meta_learner=learner, n_evaluations=6, cv=3,
                           n_jobs=n_jobs, random_state=4).fit(X, y)
            for n_jobs in (1, 2)]
    columns = ["strategy", "config", "score", "fold_scores", "status"]
    pd.testing.assert_frame_equal(fits[0].trace_[columns], fits[1].trace_[columns])
    np.testing.assert_array_equal(fits[0].predict_proba(X), fits[1].predict_proba(X))


def test_grid_search_over_adjuster_settings(learner):
    X, y = make_classification(150, 5, random_state=2)
    search = GridSearchCV(
        MetaClassifier(meta_learner=learner, cv=2, random_state=0),
        {"temperature": [0.1, 1.0], "n_evaluations": [1, 2]}, cv=2,
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert search.best_estimator_.n_evaluations in (1, 2)


def test_clone_and_pickle(learner):
    X, y = make_classification(120, 4, random_state=1)
    clf = MetaClassifier(meta_learner=learner, n_evaluations=2, cv=2, random_state=0)
    cloned = clone(clf)
    assert cloned.get_params()["n_evaluations"] == 2
    assert cloned.meta_learner is learner
    clf.fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict(X), clf.predict(X))


def test_failing_strategies_are_skipped(learner):
    X, y = make_classification(150, 4, random_state=0)
    portfolio = [faulty_strategy("binary", "fit_raises"), "logistic_regression"]
    with pytest.warns(UserWarning, match="evaluations failed"):
        clf = MetaClassifier(meta_learner=learner, portfolio=portfolio,
                             n_evaluations=6, cv=3, temperature=5.0,
                             random_state=0).fit(X, y)
    assert clf.best_strategy_ == "logistic_regression"
    failed = clf.trace_[clf.trace_["status"] == "error"]
    assert len(failed) > 0
    assert failed["error"].str.contains("deliberate failure").all()


def test_every_strategy_failing_raises_one_clear_error(learner):
    X, y = make_classification(100, 4, random_state=0)
    portfolio = [faulty_strategy("binary", "fit_raises"),
                 faulty_strategy("binary", "nan")]
    with pytest.raises(ValueError, match="every one of the 3 evaluations failed") as info:
        MetaClassifier(meta_learner=learner, portfolio=portfolio, n_evaluations=3,
                       cv=2, random_state=0).fit(X, y)
    assert "deliberate failure in fit" in str(info.value)
    assert "NaN" in str(info.value)


def test_update_knowledge_adds_experience(tmp_path):
    path = tmp_path / "kb.sqlite"
    datasets = [Dataset(*make_classification(100 + 20 * i, 4, random_state=i),
                        name=f"d{i}") for i in range(3)]
    MetaLearner(knowledge_base=str(path), portfolio=["knn", "gaussian_nb"],
                n_configs_per_strategy=1, evaluation_timeout=None,
                random_state=0).fit(datasets)
    before = len(KnowledgeBase(path))
    X, y = make_classification(140, 5, random_state=9)
    clf = MetaClassifier(knowledge_base=str(path), portfolio=["knn", "gaussian_nb"],
                         n_evaluations=3, cv=2, update_knowledge=True,
                         random_state=0).fit(X, y)
    kb = KnowledgeBase(path)
    # Proposals scored on every fold are stored; those left at one are not.
    promoted = int(clf.trace_["promoted"].sum())
    assert 1 <= promoted <= 3
    assert len(kb) == before + promoted
    assert len(kb.datasets()) == 4


def test_time_budget_stops_the_search(learner):
    X, y = make_classification(2000, 20, random_state=0)
    clf = MetaClassifier(meta_learner=learner, n_evaluations=500, time_budget=3,
                         cv=3, random_state=0).fit(X, y)
    assert 1 <= len(clf.trace_) < 500
    assert clf.trace_["seconds"].iloc[-1] < 3 + 5


@pytest.mark.parametrize(
    "params, message",
    [
        ({"n_evaluations": 0}, "n_evaluations"),
        ({"time_budget": 0}, "time_budget"),
        ({"time_budget": -5}, "time_budget"),
        ({"temperature": "hot"}, "temperature"),
        ({"cost_weight": -1.0}, "cost_weight"),
        ({"ensemble_size": 0}, "ensemble_size"),
        ({"portfolio": ["no_such_strategy"]}, "unknown"),
        ({"portfolio": ["ridge"]}, "no strategy for task"),
    ],
)
def test_bad_parameters(learner, params, message):
    X, y = make_classification(60, 3, n_informative=2, n_redundant=0, random_state=0)
    with pytest.raises(ValueError, match=message):
        MetaClassifier(meta_learner=learner, **params).fit(X, y)


def test_predict_checks_its_input(learner):
    data = load_penguins()
    clf = MetaClassifier(meta_learner=learner, n_evaluations=1, cv=2,
                         random_state=0).fit(data.X, data.y)
    with pytest.raises(ValueError, match=r"X lacks column\(s\) \['island'\] seen at fit"):
        clf.predict(data.X.drop(columns="island"))
    with pytest.raises(ValueError, match="features"):
        MetaClassifier(meta_learner=learner, n_evaluations=1, cv=2, random_state=0) \
            .fit(*make_classification(50, 4, random_state=0)).predict(np.ones((2, 3)))
    with pytest.raises(Exception, match="not fitted"):
        MetaClassifier().predict(data.X)


def test_max_samples_subsamples_the_search_not_the_refit(learner):
    X, y = make_classification(400, 5, random_state=4)
    clf = MetaClassifier(meta_learner=learner, n_evaluations=2, cv=3,
                         max_samples=120, ensemble_size=1, random_state=0).fit(X, y)
    assert clf.n_search_samples_ == 120
    assert clf.n_refit_samples_ == 400
    # Out-of-fold predictions of the search cover exactly its subsample.
    assert clf.trace_["status"].eq("ok").all()


def test_groups_reach_a_group_splitter(learner):
    from sklearn.model_selection import GroupKFold

    X, y = make_classification(120, 4, random_state=6)
    groups = np.repeat(np.arange(6), 20)
    clf = MetaClassifier(meta_learner=learner, n_evaluations=2,
                         cv=GroupKFold(3), random_state=0)
    clf.fit(X, y, groups=groups)
    assert all(len(s) == 3 for s in clf.trace_["fold_scores"])
    with pytest.raises(ValueError, match="groups"):
        clf.fit(X, y)  # GroupKFold needs the groups
    with pytest.raises(ValueError, match="one group label per row"):
        clf.fit(X, y, groups=groups[:-1])


def test_a_failed_refit_falls_back_to_the_next_best(learner):
    X, y = make_classification(300, 5, random_state=7)
    # Fits on folds of 2/3 of the rows, fails on all 300 of them.
    shaky = refit_failing_strategy("binary", max_rows=250)
    with pytest.warns(UserWarning, match="refitting on all the rows failed"):
        clf = MetaClassifier(meta_learner=learner,
                             portfolio=[shaky, "gaussian_nb"], n_evaluations=4, cv=3,
                             temperature=10.0, random_state=0).fit(X, y)
    assert (clf.trace_["strategy"] == shaky.name).any()
    assert set(clf.refit_errors_) <= set(clf.trace_.index[clf.trace_["strategy"] == shaky.name])
    assert clf.refit_errors_
    assert shaky.name not in set(clf.ensemble_["strategy"])
    assert clf.best_strategy_ == "gaussian_nb"
    assert clf.score(X, y) > 0.5


def test_explicit_splits_are_not_subsampled(learner):
    from sklearn.model_selection import KFold

    X, y = make_classification(120, 4, random_state=9)
    splits = list(KFold(3, shuffle=True, random_state=0).split(X))
    clf = MetaClassifier(meta_learner=learner, n_evaluations=2, cv=splits,
                         max_samples=50, random_state=0).fit(X, y)
    assert clf.n_search_samples_ == 120
    assert all(len(s) == (3 if promoted else 1)
               for s, promoted in zip(clf.trace_["fold_scores"], clf.trace_["promoted"]))


@pytest.mark.parametrize("task, scoring", [
    ("multiclass", "balanced_accuracy"), ("multiclass", "accuracy"),
    ("binary", "balanced_accuracy"), ("multiclass", "f1_macro"),
    ("multiclass", "neg_log_loss"), ("regression", "r2"),
    ("regression", "neg_mean_squared_error"), ("regression", "neg_root_mean_squared_error"),
    ("regression", "neg_mean_absolute_error"),
])
def test_ensemble_selection_scores_as_the_metrics_do(task, scoring):
    from skmeta.ensemble import _scorer
    from skmeta.evaluation import score_predictions

    rng = np.random.default_rng(0)
    if task == "regression":
        y = rng.normal(size=80)
        predictions = [y + rng.normal(scale=s, size=80) for s in (0.3, 1.0, 2.0)]
        classes = None
    else:
        n_classes = 2 if task == "binary" else 4
        classes = np.array(["a", "b", "c", "d"][:n_classes])
        y = classes[rng.integers(n_classes, size=80)]
        predictions = [rng.dirichlet(np.ones(n_classes), size=80) for _ in range(3)]
    score = _scorer(y, task, scoring, classes)
    for p in predictions:
        assert score(p) == pytest.approx(score_predictions(y, p, task, scoring, classes))


def test_auto_folds_are_five_for_classification_and_three_for_regression():
    from skmeta.estimators import AUTO_FOLDS

    X, y = make_classification(200, 5, random_state=0)
    clf = MetaClassifier(n_evaluations=2, random_state=0).fit(X, y)
    Xr, yr = make_regression(200, 5, noise=1.0, random_state=0)
    reg = MetaRegressor(n_evaluations=2, random_state=0).fit(Xr, yr)
    assert clf.cv == reg.cv == "auto"
    assert (clf.n_splits_, reg.n_splits_) == (AUTO_FOLDS["classification"],
                                              AUTO_FOLDS["regression"]) == (5, 3)
    assert set(reg.trace_["n_folds"]) <= {1, 3}
    assert MetaRegressor(n_evaluations=2, cv=4, random_state=0).fit(Xr, yr).n_splits_ == 4
    assert MetaRegressor(n_evaluations=1, random_state=0).fit(Xr, yr).n_splits_ is None
