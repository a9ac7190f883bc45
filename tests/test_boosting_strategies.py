"""Tests of the optional strategies: LightGBM, XGBoost and CatBoost.

They need the boosting extra; ``test_boosting_import.py`` tests skmeta
without it.
"""

import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.datasets import load_iris, make_regression
from sklearn.utils.estimator_checks import parametrize_with_checks

from skmeta import Dataset, MetaClassifier, MetaLearner, MetaRegressor, load_penguins
from skmeta.knowledge import KnowledgeBase
from skmeta.strategies import (
    default_portfolio,
    default_strategy_names,
    fit_model,
    known_portfolio,
    optional_strategy,
    optional_strategy_names,
    resolve_portfolio,
)
from skmeta.strategies.boosting_adapters import (
    CatBoostFrameClassifier,
    CatBoostFrameRegressor,
    XGBClassifierAnyLabels,
)

lightgbm = pytest.importorskip("lightgbm")
xgboost = pytest.importorskip("xgboost")
catboost = pytest.importorskip("catboost")

NAMES = ["lightgbm", "xgboost", "catboost"]
KINDS = ["classification", "regression"]
TASK_OF = {"classification": "multiclass", "regression": "regression"}

#: The fewest trees each space holds: every fit takes well under a second.
FEWEST_TREES = {"lightgbm": 32, "xgboost": 32, "catboost": 100}

every_strategy = pytest.mark.parametrize(
    "kind, name", [(k, n) for k in KINDS for n in NAMES],
    ids=[f"{k}-{n}" for k in KINDS for n in NAMES],
)


def _strategy(kind, name):
    return optional_strategy(name, TASK_OF[kind])


def _fast_model(kind, name):
    return _strategy(kind, name).build({"n_estimators": FEWEST_TREES[name]})


@pytest.fixture(scope="module")
def penguins():
    """String categories with missing values; species labels are strings."""
    data = load_penguins()
    frame = data.X.reset_index(drop=True)
    species = np.asarray(data.y)
    regression = frame[frame["body_mass_g"].notna()].reset_index(drop=True)
    y_reg = regression.pop("body_mass_g").to_numpy(dtype=float)
    return {"classification": (frame, species), "regression": (regression, y_reg)}


def _check_predictions(model, X, y, kind):
    predictions = model.predict(X)
    assert predictions.shape == (X.shape[0],)
    if kind == "classification":
        assert set(predictions) <= set(np.unique(y))
        proba = model.predict_proba(X)
        assert proba.shape == (X.shape[0], len(np.unique(y)))
        np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-6)
        np.testing.assert_array_equal(model.classes_, np.unique(y))
    else:
        assert np.all(np.isfinite(predictions))
    return predictions


# -- names, portfolios ---------------------------------------------------------


def test_optional_names_resolve_but_stay_out_of_the_defaults():
    assert optional_strategy_names() == NAMES
    assert not set(NAMES) & set(default_strategy_names())
    for task in ("binary", "multiclass", "regression"):
        assert not set(NAMES) & {s.name for s in default_portfolio(task)}
    portfolio = resolve_portfolio(["lightgbm", "ridge"], "regression")
    assert [s.name for s in portfolio] == ["lightgbm", "ridge"]
    assert [s.name for s in resolve_portfolio(NAMES, "binary")] == NAMES
    with pytest.raises(ValueError, match="optional ones"):
        resolve_portfolio(["lightgbn"], "binary")
    with pytest.raises(ValueError, match="unknown optional strategy"):
        optional_strategy("sklearn", "binary")
    with pytest.raises(ValueError, match="task must be one of"):
        optional_strategy("lightgbm", "ranking")


@pytest.mark.parametrize("name", NAMES)
def test_strategies_fit_one_thread_with_weights_and_native_categories(name):
    for task in ("binary", "regression"):
        strategy = optional_strategy(name, task)
        assert strategy.supports(task) and strategy.preprocessing == "native"
        assert strategy.accepts_sample_weight
        assert not strategy.handles_sparse
        # Equal strategies, built twice: the knowledge base keys on them.
        assert optional_strategy(name, task) == strategy


# -- the battery over every optional strategy -----------------------------------


@every_strategy
def test_numeric_array_with_nan(kind, name, numeric_data):
    X, y = numeric_data[kind]
    model = _fast_model(kind, name).fit(X, y)
    predictions = _check_predictions(model, X, y, kind)
    if kind == "classification":
        assert np.mean(predictions == y) > 0.6  # chance: 1/3
    else:
        assert model.score(X, y) > 0.5


@every_strategy
def test_frame_with_string_categories_missing_values_and_string_labels(
    kind, name, penguins
):
    X, y = penguins[kind]
    before = X.copy()
    model = _fast_model(kind, name).fit(X, y)
    _check_predictions(model, X, y, kind)
    assert model.score(X, y) > 0.8
    pd.testing.assert_frame_equal(X, before)  # the input is left as it was
    X_new = X.head(6).copy()
    X_new["island"] = ["Atlantis", None, "Biscoe", "Atlantis", "Mars", "Dream"]
    X_new["sex"] = np.nan
    X_new["bill_length_mm"] = np.nan
    _check_predictions(model, X_new, y, kind)


@every_strategy
def test_sparse_input_is_densified(kind, name):
    rng = np.random.default_rng(1)
    X = sp.random(120, 30, density=0.1, format="csr", random_state=1)
    y = (rng.integers(0, 2, 120) if kind == "classification"
         else np.asarray(X.sum(axis=1)).ravel())
    model = _fast_model(kind, name).fit(X, y)
    _check_predictions(model, X[:10], y, kind)


@every_strategy
def test_default_config_is_in_space_and_sampled_configs_fit(kind, name, numeric_data):
    strategy = _strategy(kind, name)
    config = strategy.default_config()
    assert strategy.space.validate(config, complete=True) == config
    X, y = numeric_data[kind]
    sampled = {**strategy.sample_config(3), "n_estimators": FEWEST_TREES[name]}
    first = strategy.build(sampled, random_state=7).fit(X, y).predict(X)
    second = strategy.build(sampled, random_state=7).fit(X, y).predict(X)
    np.testing.assert_array_equal(first, second)


@every_strategy
def test_weights_change_the_model(kind, name, numeric_data):
    X, y = numeric_data[kind]
    weights = np.where(np.arange(len(y)) % 2 == 0, 10.0, 0.1)
    plain = fit_model(_fast_model(kind, name), X, y).predict(X)
    weighted = fit_model(_fast_model(kind, name), X, y, weights).predict(X)
    assert not np.array_equal(plain, weighted)


@every_strategy
def test_fitted_pipeline_pickles_and_clones(kind, name, penguins):
    X, y = penguins[kind]
    model = _fast_model(kind, name).fit(X, y)
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))
    refitted = clone(model).fit(X, y)
    np.testing.assert_array_equal(refitted.predict(X), model.predict(X))


@every_strategy
def test_a_shared_preprocessed_fold_is_left_as_it_was(kind, name, penguins):
    # The fold cache hands the same transformed frame to every evaluation.
    X, y = penguins[kind]
    model = _fast_model(kind, name)
    fold = model["preprocess"].fit_transform(X)
    before = fold.copy()
    model["estimator"].fit(fold, y).predict(fold)
    pd.testing.assert_frame_equal(fold, before)


@every_strategy
def test_nothing_printed_and_no_files_written(kind, name, penguins, capfd,
                                             tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    X, y = penguins[kind]
    _fast_model(kind, name).fit(X, y).predict(X)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert list(tmp_path.iterdir()) == []  # no catboost_info directory


# -- defaults are the libraries' -----------------------------------------------


def _regression_table():
    X, y = make_regression(n_samples=200, n_features=6, noise=10.0, random_state=2)
    return X, y


def test_lightgbm_default_config_is_lightgbm_defaults():
    X, y = _regression_table()
    ours = optional_strategy("lightgbm", "regression").build().fit(X, y)
    theirs = lightgbm.LGBMRegressor(n_jobs=1, random_state=0, verbose=-1).fit(X, y)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


def test_xgboost_default_config_is_xgboost_defaults():
    X, y = _regression_table()
    ours = optional_strategy("xgboost", "regression").build().fit(X, y)
    theirs = xgboost.XGBRegressor(n_jobs=1, random_state=0).fit(X, y)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    labels = (y > 0).astype(int)
    ours = optional_strategy("xgboost", "binary").build().fit(X, labels)
    theirs = xgboost.XGBClassifier(n_jobs=1, random_state=0).fit(X, labels)
    np.testing.assert_array_equal(ours.predict_proba(X), theirs.predict_proba(X))


def test_catboost_default_config_is_catboost_with_its_fixed_learning_rate():
    X, y = _regression_table()
    ours = optional_strategy("catboost", "regression").build().fit(X, y)
    theirs = catboost.CatBoostRegressor(
        learning_rate=0.03, thread_count=1, random_seed=0, logging_level="Silent",
        allow_writing_files=False,
    ).fit(X, y)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


# -- the estimators that adapt the libraries ------------------------------------


def test_catboost_takes_string_categories_with_missing_values_and_arrays():
    rng = np.random.default_rng(0)
    colors = rng.choice(["red", "blue", "green", None], size=200)
    size = rng.normal(size=200)
    size[:10] = np.nan
    X = pd.DataFrame({"color": colors, "size": size})
    y = np.where(pd.Series(colors).isin(["red", None]), "warm", "cold")
    model = CatBoostFrameClassifier(n_estimators=50).fit(X, y)
    assert model.categorical_columns_ == ["color"]
    assert model.score(X, y) == 1.0  # learnt from the category, missing included
    assert X["color"].isna().sum() > 0  # the caller's frame kept its None
    array_model = CatBoostFrameRegressor(n_estimators=50).fit(
        X[["size"]].to_numpy(), np.nan_to_num(size))
    assert array_model.categorical_columns_ == []
    assert array_model.predict(np.array([[0.5]])).shape == (1,)


@pytest.mark.parametrize("estimator", [
    XGBClassifierAnyLabels(n_estimators=10),
    CatBoostFrameClassifier(n_estimators=10),
    CatBoostFrameRegressor(n_estimators=10),
], ids=lambda e: type(e).__name__)
def test_wrappers_follow_the_estimator_contract(estimator):
    X, y = load_iris(return_X_y=True)
    assert clone(estimator).get_params() == estimator.get_params()
    assert estimator.set_params(random_state=3).random_state == 3
    assert not hasattr(clone(estimator), "model_")  # __init__ only stores
    fitted = estimator.fit(X, y)
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.predict(X), fitted.predict(X))
    assert fitted.n_features_in_ == 4


#: In CatBoost a weight of 2 is not a repeated row (its bootstrap and ordered
#: target statistics work on rows): a property of the library.
_CATBOOST_WEIGHTS = {
    "check_sample_weight_equivalence_on_dense_data": "CatBoost: weights != repeats",
    "check_sample_weight_equivalence_on_sparse_data": "CatBoost: weights != repeats",
}


@pytest.mark.slow  # scikit-learn's estimator checks (DEVELOPMENT.md)
@parametrize_with_checks(
    [XGBClassifierAnyLabels(n_estimators=5), CatBoostFrameClassifier(n_estimators=5),
     CatBoostFrameRegressor(n_estimators=50)],
    expected_failed_checks=lambda e: {} if isinstance(e, XGBClassifierAnyLabels)
    else _CATBOOST_WEIGHTS,
)
def test_adapters_pass_scikit_learn_checks(estimator, check):
    check(estimator)


def test_classifiers_refuse_a_single_class():
    X = np.arange(20.0).reshape(10, 2)
    for model in (XGBClassifierAnyLabels(), CatBoostFrameClassifier()):
        with pytest.raises(ValueError, match="at least two classes"):
            model.fit(X, np.zeros(10))


# -- in a search -----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:the knowledge base has no")  # a cold start
@pytest.mark.parametrize("kind", KINDS)
def test_search_is_the_same_with_one_or_two_jobs(kind):
    if kind == "classification":
        X, y = load_iris(return_X_y=True)
        estimator_class = MetaClassifier
    else:
        X, y = make_regression(n_samples=120, n_features=5, noise=5.0, random_state=0)
        estimator_class = MetaRegressor
    settings = dict(portfolio=NAMES, knowledge_base=KnowledgeBase(),
                    n_evaluations=4, cv=3, ensemble_size=2, random_state=0)
    one = estimator_class(n_jobs=1, **settings).fit(X, y)
    two = estimator_class(n_jobs=2, **settings).fit(X, y)
    columns = ["strategy", "config", "score"]
    assert set(one.trace_["strategy"]) <= set(NAMES)
    pd.testing.assert_frame_equal(one.trace_[columns], two.trace_[columns])
    np.testing.assert_array_equal(one.predict(X), two.predict(X))


# -- the default portfolio and the meta-models ----------------------------------


def test_stand_ins_have_the_spaces_of_the_strategies():
    # The shipped meta-models are fitted on the stand-ins; a search proposes
    # the real strategies. Their names, spaces and defaults must agree.
    for task in ("binary", "regression"):
        stand_ins = known_portfolio(task)[-len(NAMES):]
        reals = resolve_portfolio(NAMES, task)
        for stand_in, real in zip(stand_ins, reals, strict=True):
            assert stand_in.name == real.name
            assert stand_in.space == real.space
            assert stand_in.default_config() == real.default_config()
            assert type(stand_in.estimator).__name__.startswith("MissingLibrary")


@pytest.mark.filterwarnings("ignore:the knowledge base has no")
def test_default_portfolio_searches_the_optional_strategies_the_knowledge_base_knows():
    X, y = make_regression(n_samples=150, n_features=4, noise=5.0, random_state=0)
    datasets = [Dataset(X, y, task="regression", name="a"),
                Dataset(X[:, :3], y + X[:, 3], task="regression", name="b")]
    learner = MetaLearner(portfolio=["ridge", "lightgbm"], n_configs_per_strategy=1,
                          knowledge_base=KnowledgeBase(), random_state=0).fit(datasets)
    model = MetaRegressor(meta_learner=learner, portfolio="default", n_evaluations=3,
                          random_state=0).fit(X, y)
    searched = set(model.strategy_probabilities_.index)
    assert "lightgbm" in searched and "ridge" in searched
    assert {"xgboost", "catboost"}.isdisjoint(searched)
    assert set(model.skipped_strategies_) == {"xgboost", "catboost"}
    assert "no evaluation of it" in model.skipped_strategies_["catboost"]
    # A portfolio that names a strategy searches it, experience or not.
    named = MetaRegressor(meta_learner=learner, portfolio=["ridge", "xgboost"],
                          n_evaluations=2, random_state=0).fit(X, y)
    assert set(named.strategy_probabilities_.index) == {"ridge", "xgboost"}
    assert named.skipped_strategies_ == {}
