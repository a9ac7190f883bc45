"""skmeta's estimators wherever a scikit-learn estimator goes.

Pipelines and column transformers, the hyperparameter searches, the
cross-validation helpers, cloning, pickling, ensembles of estimators, the
HTML repr and metadata routing. Settings are tiny (two strategies, a couple
of evaluations, 2-3 folds); the shipped knowledge base gives the prior.
"""

import io
import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
import sklearn
from scipy.stats import loguniform
from sklearn.base import clone
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.datasets import load_diabetes, load_iris, load_wine
from sklearn.ensemble import StackingClassifier, VotingClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    GroupKFold,
    HalvingGridSearchCV,
    KFold,
    RandomizedSearchCV,
    cross_val_score,
    cross_validate,
    train_test_split,
)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.utils import estimator_html_repr

from skmeta import (
    MetaClassifier,
    MetaFeatureExtractor,
    MetaRegressor,
    load_penguins,
)

FAST = {"n_evaluations": 2, "cv": 2, "ensemble_size": 1, "random_state": 0}
CLASSIFIERS = ["logistic_regression", "knn"]
REGRESSORS = ["ridge", "knn"]


def _classifier(**params):
    return MetaClassifier(**{"portfolio": CLASSIFIERS, **FAST, **params})


def _regressor(**params):
    return MetaRegressor(**{"portfolio": REGRESSORS, **FAST, **params})


@pytest.fixture(scope="module")
def penguins():
    """Split penguins: a DataFrame with categorical columns and missing values."""
    data = load_penguins()
    assert data.X.isna().any().any()
    assert not all(pd.api.types.is_numeric_dtype(t) for t in data.X.dtypes)
    return train_test_split(data.X, data.y, test_size=0.3, stratify=data.y,
                            random_state=0)


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


@pytest.fixture(scope="module")
def diabetes():
    return load_diabetes(return_X_y=True)


# -- pipelines ----------------------------------------------------------------


def test_pipeline_with_column_transformer_preprocessing(penguins):
    X_train, X_test, y_train, y_test = penguins
    preprocess = ColumnTransformer([
        ("numbers", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
         make_column_selector(dtype_include="number")),
        ("categories", OneHotEncoder(handle_unknown="ignore"),
         make_column_selector(dtype_exclude="number")),
    ])
    model = Pipeline([("preprocess", preprocess), ("meta", _classifier())])
    model.fit(X_train, y_train)
    meta = model.named_steps["meta"]
    # One-hot columns: island (3) and sex (2 + missing) beside 5 numbers.
    assert meta.n_features_in_ == preprocess.transform(X_train).shape[1] >= 10
    assert meta.best_strategy_ in CLASSIFIERS
    assert model.score(X_test, y_test) > 0.9
    assert set(model.predict(X_test)) <= set(y_train)


def test_column_transformer_passes_categories_and_missing_values_through(penguins):
    """skmeta takes the raw categorical and missing columns itself."""
    X_train, X_test, y_train, y_test = penguins
    select = ColumnTransformer([("drop_year", "drop", ["year"])],
                               remainder="passthrough", verbose_feature_names_out=False)
    model = make_pipeline(select.set_output(transform="pandas"), _classifier())
    model.fit(X_train, y_train)
    meta = model[-1]
    assert list(meta.feature_names_in_) == [c for c in X_train.columns if c != "year"]
    assert model.score(X_test, y_test) > 0.9


def test_regressor_in_a_pipeline(diabetes):
    X, y = diabetes
    model = make_pipeline(StandardScaler(), _regressor()).fit(X[:300], y[:300])
    assert model[-1].best_strategy_ in REGRESSORS
    assert model.score(X[300:], y[300:]) > 0.3


def test_meta_feature_extractor_set_output_and_tags():
    datasets = [load_iris(return_X_y=True), load_diabetes(return_X_y=True)]
    extractor = MetaFeatureExtractor(groups="general", random_state=0)
    default = extractor.fit_transform(datasets)
    as_pandas = clone(extractor).set_output(transform="pandas").fit_transform(datasets)
    pd.testing.assert_frame_equal(default, as_pandas, check_names=False)
    with sklearn.config_context(transform_output="pandas"):
        assert isinstance(clone(extractor).fit(datasets).transform(datasets),
                          pd.DataFrame)
    assert list(default.columns) == list(extractor.get_feature_names_out())
    # Landmarking timings make the table differ from run to run.
    assert not sklearn.utils.get_tags(extractor).non_deterministic
    assert sklearn.utils.get_tags(MetaFeatureExtractor()).non_deterministic
    with pytest.raises(TypeError, match="collection of datasets"):
        extractor.fit(datasets[0][0])


# -- searches -----------------------------------------------------------------


def test_grid_search_over_skmeta_parameters(iris):
    X, y = iris
    grid = {"temperature": ["auto", 1.0], "n_evaluations": [1, 2]}
    search = GridSearchCV(_classifier(), grid, cv=2).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert search.best_params_["temperature"] in grid["temperature"]
    assert search.best_params_["n_evaluations"] in grid["n_evaluations"]
    assert search.best_score_ > 0.8
    best = search.best_estimator_
    assert len(best.trace_) == search.best_params_["n_evaluations"]
    np.testing.assert_array_equal(search.predict(X), best.predict(X))


def test_randomized_search_over_skmeta_parameters(iris):
    X, y = iris
    space = {"temperature": loguniform(0.01, 10.0), "n_evaluations": [1, 2]}
    search = RandomizedSearchCV(_classifier(), space, n_iter=3, cv=2,
                                random_state=0).fit(X, y)
    temperatures = [p["temperature"] for p in search.cv_results_["params"]]
    assert len(set(temperatures)) == 3
    assert all(0.01 <= t <= 10.0 for t in temperatures)
    assert search.best_params_["n_evaluations"] in (1, 2)
    assert search.best_score_ > 0.8


def test_halving_search_with_n_evaluations_as_the_budget(iris):
    """Successive halving spends skmeta's evaluations as its resource."""
    X, y = iris
    search = HalvingGridSearchCV(
        _classifier(n_evaluations=1),
        {"temperature": [0.05, 0.5, 1.0, 5.0]},
        resource="n_evaluations", min_resources=1, max_resources=4, factor=2,
        cv=2, random_state=0,
    ).fit(X, y)
    resources = search.cv_results_["n_resources"]
    # 4 candidates get 1 evaluation, the best 2 get 2, the last one 4.
    assert sorted(resources) == [1, 1, 1, 1, 2, 2, 4]
    assert list(search.n_candidates_) == [4, 2, 1]
    assert search.best_params_["temperature"] in (0.05, 0.5, 1.0, 5.0)
    assert search.best_params_["n_evaluations"] == 4
    assert len(search.best_estimator_.trace_) == 4
    assert search.best_score_ > 0.8


def test_halving_search_over_samples(iris):
    X, y = iris
    search = HalvingGridSearchCV(
        _classifier(), {"temperature": [0.1, 1.0], "n_evaluations": [1, 2]},
        factor=2, min_resources=60, cv=2, random_state=0,
    ).fit(X, y)
    assert search.n_resources_[0] == 60
    assert search.best_params_["n_evaluations"] in (1, 2)
    assert search.best_score_ > 0.8


# -- cross-validation helpers -------------------------------------------------


def test_cross_val_score_and_cross_validate(iris, diabetes):
    X, y = iris
    scores = cross_val_score(_classifier(), X, y, cv=3)
    assert scores.shape == (3,) and scores.min() > 0.8
    Xr, yr = diabetes
    results = cross_validate(_regressor(), Xr, yr, cv=3, return_estimator=True,
                             scoring=["r2", "neg_mean_absolute_error"])
    assert results["test_r2"].mean() > 0.3
    assert (results["test_neg_mean_absolute_error"] < 0).all()
    for estimator in results["estimator"]:
        assert len(estimator.trace_) == FAST["n_evaluations"]


# -- clone, pickle, joblib ------------------------------------------------------


def test_clone_keeps_parameters_and_drops_fitted_state(iris):
    X, y = iris
    clf = _classifier(temperature=0.3).fit(X, y)
    copy = clone(clf)
    assert copy.get_params() == clf.get_params()
    assert not hasattr(copy, "trace_") and not hasattr(copy, "estimator_")
    assert copy is not clf


def _joblib_dumps(model):
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=3)
    return buffer.getvalue()


def _joblib_loads(data):
    return joblib.load(io.BytesIO(data))


@pytest.mark.parametrize("dump, load", [
    (pickle.dumps, pickle.loads),
    (_joblib_dumps, _joblib_loads),
], ids=["pickle", "joblib"])
def test_round_trip_gives_identical_predictions(dump, load, penguins, diabetes):
    X_train, X_test, y_train, _ = penguins
    clf = _classifier(ensemble_size=3).fit(X_train, y_train)
    restored = load(dump(clf))
    np.testing.assert_array_equal(restored.predict(X_test), clf.predict(X_test))
    np.testing.assert_array_equal(restored.predict_proba(X_test),
                                  clf.predict_proba(X_test))
    pd.testing.assert_frame_equal(restored.trace_, clf.trace_)

    Xr, yr = diabetes
    reg = _regressor().fit(Xr[:300], yr[:300])
    np.testing.assert_array_equal(load(dump(reg)).predict(Xr[300:]),
                                  reg.predict(Xr[300:]))


# -- ensembles of estimators --------------------------------------------------


def test_voting_and_stacking_with_skmeta_members():
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y,
                                                        random_state=0)
    members = [("meta", _classifier()),
               ("knn", make_pipeline(StandardScaler(), KNeighborsClassifier()))]
    voting = VotingClassifier(members, voting="soft").fit(X_train, y_train)
    assert voting.named_estimators_["meta"].best_strategy_ in CLASSIFIERS
    assert voting.predict_proba(X_test).shape == (len(X_test), 3)
    assert voting.score(X_test, y_test) > 0.85

    stacking = StackingClassifier(members, final_estimator=LogisticRegression(),
                                  cv=3).fit(X_train, y_train)
    assert stacking.score(X_test, y_test) > 0.85
    # The final estimator sees 3 class probabilities from each member.
    assert stacking.final_estimator_.n_features_in_ == 6


# -- HTML repr ------------------------------------------------------------------


def test_html_repr_renders(iris):
    X, y = iris
    clf = _classifier(temperature=0.3)
    html = clf._repr_html_()
    assert "MetaClassifier" in html and "temperature" in html
    fitted = clf.fit(X, y)._repr_html_()
    assert "MetaClassifier" in fitted and "Fitted" in fitted
    pipeline = make_pipeline(StandardScaler(), _regressor())
    page = estimator_html_repr(pipeline)
    assert "MetaRegressor" in page and "StandardScaler" in page


# -- metadata routing -----------------------------------------------------------


def _grouped_duplicates():
    """Groups of near-identical rows, labelled at random per group.

    The features say nothing about the label across groups, so a split that
    keeps each group together scores at chance; a split that ignores the
    groups leaks a group's label through its copies and scores near 1.
    """
    rng = np.random.default_rng(0)
    n_groups, copies = 120, 4
    centers = rng.normal(size=(n_groups, 4))
    labels = rng.permutation(np.repeat([0, 1], n_groups // 2))
    X = np.repeat(centers, copies, axis=0)
    X = X + rng.normal(scale=1e-3, size=X.shape)
    return X, np.repeat(labels, copies), np.repeat(np.arange(n_groups), copies)


@pytest.mark.slow
def test_groups_routed_to_cv():
    X, y, groups = _grouped_duplicates()
    settings = {"portfolio": ["random_forest"], "n_evaluations": 2,
                "ensemble_size": 1, "random_state": 0}

    leaky = MetaClassifier(cv=KFold(3, shuffle=True, random_state=0), **settings)
    assert leaky.fit(X, y).best_score_ > 0.9  # the leak the groups prevent

    grouped = MetaClassifier(cv=GroupKFold(3), **settings).fit(X, y, groups=groups)
    assert grouped.best_score_ < 0.75

    with sklearn.config_context(enable_metadata_routing=True):
        estimator = MetaClassifier(cv=GroupKFold(3), **settings)
        results = cross_validate(
            estimator.set_fit_request(groups=True), X, y, cv=GroupKFold(3),
            params={"groups": groups}, return_estimator=True,
        )
    assert results["test_score"].mean() < 0.75
    for fitted in results["estimator"]:
        assert fitted.best_score_ < 0.75  # the inner search saw the groups too
