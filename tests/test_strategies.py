"""Tests of skmeta.strategies: dimensions, spaces, strategies and portfolios.

Every default strategy of every task runs the same battery (discovered from
``default_portfolio``, so a new strategy cannot skip it).
"""

import json
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import make_regression
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils.estimator_checks import parametrize_with_checks

from skmeta import load_penguins
from skmeta.strategies import (
    Categorical,
    Integer,
    LogUniform,
    Space,
    Strategy,
    TabularPreprocessor,
    Uniform,
    default_portfolio,
    default_strategy_names,
    installed_optional_names,
    resolve_portfolio,
    single_hidden_layer,
)

CLASSIFICATION = default_portfolio("binary")
REGRESSION = default_portfolio("regression")
ALL_STRATEGIES = [("classification", s) for s in CLASSIFICATION] + [
    ("regression", s) for s in REGRESSION
]
ALL_IDS = [f"{kind}-{s.name}" for kind, s in ALL_STRATEGIES]
SEEDS = [0, 1, 2, 3, 4]

#: Default strategies that densify sparse input (they still accept it).
DENSIFYING = {"hist_gradient_boosting", "hist_gradient_boosting_l1",
              "hist_gradient_boosting_transformed", "gaussian_nb",
              "hist_gradient_boosting_target_encoded"}

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def _strategy_params(strategies):
    return pytest.mark.parametrize(
        "kind, strategy", strategies, ids=[f"{k}-{s.name}" for k, s in strategies]
    )


all_strategies = _strategy_params(ALL_STRATEGIES)


# -- data ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def penguins():
    """Penguins as a DataFrame: species (classification) or body mass (regression)."""
    data = load_penguins()
    frame = data.X.copy()
    frame["species"] = data.y
    frame = frame.reset_index(drop=True)
    X_class = frame.drop(columns="species")
    regression = frame[frame["body_mass_g"].notna()].reset_index(drop=True)
    y_reg = regression.pop("body_mass_g").to_numpy(dtype=float)
    return {
        "classification": (X_class, data.y),
        "regression": (regression, y_reg),
    }


@pytest.fixture(scope="module")
def sparse_data():
    rng = np.random.default_rng(1)
    X = sp.random(120, 30, density=0.1, format="csr", random_state=1)
    y_class = rng.integers(0, 2, 120)
    y_class[:2] = [0, 1]
    y_reg = np.asarray(X.sum(axis=1)).ravel() + rng.normal(0, 0.1, 120)
    return {"classification": (X, y_class), "regression": (X, y_reg)}


def _check_predictions(model, X, y, kind):
    predictions = model.predict(X)
    assert predictions.shape == (X.shape[0],)
    if kind == "classification":
        assert set(np.unique(predictions)) <= set(np.unique(y))
        if hasattr(model, "predict_proba"):
            proba = model.predict_proba(X)
            assert proba.shape == (X.shape[0], len(np.unique(y)))
            np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-6)
    else:
        assert np.all(np.isfinite(predictions))
    return predictions


# -- the battery over every default strategy -----------------------------------


@all_strategies
def test_default_config_fits_numeric_array_with_nan(kind, strategy, numeric_data):
    X, y = numeric_data[kind]
    model = strategy.build().fit(X, y)
    predictions = _check_predictions(model, X, y, kind)
    if kind == "classification":
        assert np.mean(predictions == y) > 0.5  # better than chance (1/3)
    else:
        assert model.score(X, y) > 0.3


@all_strategies
def test_default_config_fits_dataframe_with_categories_and_missing(
    kind, strategy, penguins
):
    X, y = penguins[kind]
    assert X.isna().any().any()
    assert not all(pd.api.types.is_numeric_dtype(t) for t in X.dtypes)
    model = strategy.build().fit(X, y)
    _check_predictions(model, X, y, kind)
    if kind == "classification":
        assert model.score(X, y) > 0.6


@all_strategies
def test_sparse_input(kind, strategy, sparse_data):
    X, y = sparse_data[kind]
    model = strategy.build().fit(X, y)
    _check_predictions(model, X[:10], y, kind)
    assert strategy.handles_sparse == (strategy.name not in DENSIFYING)
    transformed = model["preprocess"].transform(X)
    assert sp.issparse(transformed) == strategy.handles_sparse


@all_strategies
def test_unseen_categories_and_all_missing_columns_at_predict(kind, strategy, penguins):
    X, y = penguins[kind]
    model = strategy.build().fit(X, y)
    X_new = X.head(6).copy()
    X_new["island"] = ["Atlantis", None, "Biscoe", "Atlantis", "Mars", "Dream"]
    X_new["sex"] = np.nan
    X_new["bill_length_mm"] = np.nan
    _check_predictions(model, X_new, y, kind)


@all_strategies
@pytest.mark.parametrize("columns", ["numeric", "categorical"])
def test_frames_with_a_single_kind_of_column(kind, strategy, columns, penguins):
    X, y = penguins[kind]
    if columns == "numeric":
        X = X.select_dtypes("number").set_axis(
            range(X.select_dtypes("number").shape[1]), axis=1
        )  # non-string column names
    else:
        X = X[["island", "sex"]]
    model = strategy.build().fit(X, y)
    _check_predictions(model, X.head(20), y, kind)


@all_strategies
def test_default_config_is_in_space_and_json_serializable(kind, strategy):
    config = strategy.default_config()
    assert list(config) == list(strategy.space.names)
    assert strategy.space.validate(config, complete=True) == config
    assert json.loads(json.dumps(config)) == config
    vector = strategy.space.to_vector(config)
    assert vector.shape == (len(strategy.space),)
    assert np.all((vector >= 0) & (vector <= 1))
    config["not_a_key"] = 1
    assert "not_a_key" not in strategy.default_config()  # a copy every time


@all_strategies
@pytest.mark.parametrize("seed", SEEDS)
def test_sampled_configs_are_valid_and_round_trip(kind, strategy, seed):
    config = strategy.sample_config(seed)
    assert strategy.space.validate(config, complete=True) == config
    assert json.loads(json.dumps(config)) == config
    for value in config.values():
        assert type(value) in (float, int, str, bool, type(None))

    vector = strategy.space.to_vector(config)
    assert np.all((vector >= 0) & (vector <= 1))
    back = strategy.space.from_vector(vector)
    for name, dim in strategy.space.items():
        if isinstance(dim, (Uniform, LogUniform)):
            assert back[name] == pytest.approx(config[name], rel=1e-9)
        else:
            assert back[name] == config[name] and type(back[name]) is type(config[name])
    pipeline = strategy.build(config)
    estimator = pipeline["estimator"]
    # The wrappers build adds; a prototype that is a wrapper keeps its own.
    if strategy.target_scaling and isinstance(estimator, TransformedTargetRegressor):
        estimator = estimator.regressor
    if isinstance(estimator, CalibratedClassifierCV):
        estimator = estimator.estimator
    for name in config:
        expected = strategy.converters.get(name, lambda v: v)(config[name])
        value = estimator.get_params()[name]
        if hasattr(expected, "get_params"):  # a converted estimator: a new instance
            assert type(value) is type(expected)
            assert value.get_params() == expected.get_params()
        else:
            assert value == expected


@all_strategies
def test_a_sampled_config_fits(kind, strategy, numeric_data):
    X, y = numeric_data[kind]
    model = strategy.build(strategy.sample_config(7)).fit(X, y)
    _check_predictions(model, X, y, kind)


@all_strategies
def test_sampling_is_deterministic_given_a_seed(kind, strategy):
    first = [strategy.sample_config(np.random.default_rng(3)) for _ in range(2)]
    assert first[0] == first[1]
    rng = np.random.default_rng(3)
    stream = [strategy.sample_config(rng) for _ in range(5)]
    assert stream[0] == first[0]
    if len(strategy.space):
        assert any(config != stream[0] for config in stream[1:])


@all_strategies
def test_fit_is_deterministic(kind, strategy, numeric_data):
    X, y = numeric_data[kind]
    first = strategy.build().fit(X, y).predict(X)
    second = strategy.build().fit(X, y).predict(X)
    np.testing.assert_array_equal(first, second)


@all_strategies
def test_strategy_and_fitted_pipeline_pickle(kind, strategy, penguins):
    restored = pickle.loads(pickle.dumps(strategy))
    assert restored == strategy and hash(restored) == hash(strategy)
    assert restored.default_config() == strategy.default_config()

    X, y = penguins[kind]
    model = strategy.build().fit(X, y)
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(model)).predict(X), model.predict(X)
    )
    clone(model)  # a built pipeline is an ordinary, clonable estimator


@all_strategies
def test_estimators_run_single_threaded(kind, strategy):
    params = strategy.build()["estimator"].get_params()
    if "n_jobs" in params:
        assert params["n_jobs"] in (None, 1)
    for key in [k for k in params if k.endswith("random_state")]:
        if params.get(key, "absent") is None:
            pytest.fail(
                f"{strategy.name}: {key} is None; fits would not be reproducible"
            )


def test_default_classifiers_all_predict_probabilities(numeric_data):
    X, y = numeric_data["classification"]
    for strategy in CLASSIFICATION:
        assert hasattr(strategy.build().fit(X, y), "predict_proba"), strategy.name


def test_default_portfolios():
    names = {s.name for s in CLASSIFICATION}
    assert {
        "hist_gradient_boosting",
        "random_forest",
        "extra_trees",
        "logistic_regression",
        "svm_rbf",
        "knn",
        "mlp",
        "gaussian_nb",
    } <= names
    assert {s.name for s in REGRESSION} >= {
        "hist_gradient_boosting",
        "random_forest",
        "extra_trees",
        "ridge",
        "svm_rbf",
        "knn",
        "mlp",
    }
    assert default_portfolio("multiclass") == CLASSIFICATION
    assert all(
        s.supports("binary") and s.supports("multiclass") for s in CLASSIFICATION
    )
    assert all(
        s.supports("regression") and not s.supports("binary") for s in REGRESSION
    )
    assert all(len(s.space) >= 1 for s in CLASSIFICATION + REGRESSION)
    assert default_strategy_names("regression") == [s.name for s in REGRESSION]
    assert set(default_strategy_names()) == names | {s.name for s in REGRESSION}
    with pytest.raises(ValueError, match="task must be one of"):
        default_portfolio("ranking")


def test_default_spaces_are_the_documented_ones():
    by_name = {s.name: s for s in CLASSIFICATION}
    hgb = by_name["hist_gradient_boosting"]
    assert hgb.space["learning_rate"] == LogUniform(0.01, 0.3)
    assert hgb.space["max_leaf_nodes"] == Integer(8, 128, log=True)
    assert hgb.default_config()["learning_rate"] == 0.1  # scikit-learn's default
    assert hgb.default_config()["max_leaf_nodes"] == 31
    assert by_name["logistic_regression"].space["C"] == LogUniform(1e-3, 1e3)
    assert by_name["knn"].default_config() == {
        "n_neighbors": 5,
        "weights": "uniform",
        "p": 2,
    }
    assert by_name["mlp"].build()["estimator"].hidden_layer_sizes == (100,)
    svm = by_name["svm_rbf"].build({"C": 10.0})["estimator"]
    assert isinstance(svm, CalibratedClassifierCV) and svm.estimator.C == 10.0


# -- dimensions ----------------------------------------------------------------


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: Uniform(1.0, 1.0), "smaller than high"),
        (lambda: Uniform(2.0, 1.0), "smaller than high"),
        (lambda: Uniform(0.0, np.inf), "finite"),
        (lambda: Uniform("a", 1.0), "real number"),
        (lambda: LogUniform(0.0, 1.0), "low > 0"),
        (lambda: LogUniform(-1.0, 1.0), "low > 0"),
        (lambda: Integer(5, 5), "smaller than high"),
        (lambda: Integer(1.5, 5), "integer"),
        (lambda: Integer(0, 10, log=True), "low >= 1"),
        (lambda: Categorical([]), "at least one"),
        (lambda: Categorical(["a", "a"]), "distinct"),
        (lambda: Categorical([(1, 2)]), "JSON"),
        (lambda: Categorical("ab"), "list of values"),
    ],
)
def test_dimensions_reject_bad_bounds(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_uniform_and_log_uniform_mappings():
    uniform = Uniform(-1.0, 3.0)
    assert uniform.from_unit(0.0) == -1.0 and uniform.from_unit(1.0) == 3.0
    assert uniform.from_unit(0.25) == 0.0
    assert uniform.from_unit(-5) == -1.0 and uniform.from_unit(7) == 3.0  # clipped
    assert uniform.to_unit(10.0) == 1.0
    log = LogUniform(1e-4, 1.0)
    assert log.from_unit(0.5) == pytest.approx(1e-2)
    assert log.to_unit(1e-3) == pytest.approx(0.25)
    assert log.from_unit(1.0) == 1.0  # exactly the bound, not 1.0000000000000002
    values = [log.sample(np.random.default_rng(seed)) for seed in range(200)]
    assert all(type(v) is float and 1e-4 <= v <= 1.0 for v in values)
    assert np.mean(np.array(values) < 1e-2) == pytest.approx(0.5, abs=0.12)
    with pytest.raises(ValueError, match="NaN"):
        log.from_unit(float("nan"))


@pytest.mark.parametrize(
    "dim", [Integer(1, 50, log=True), Integer(-3, 12), Integer(2, 3)]
)
def test_integer_round_trips_every_value(dim):
    for value in range(dim.low, dim.high + 1):
        u = dim.to_unit(value)
        assert 0.0 <= u <= 1.0
        assert dim.from_unit(u) == value and type(dim.from_unit(u)) is int
    assert dim.from_unit(0.0) == dim.low and dim.from_unit(1.0) == dim.high
    samples = {dim.sample(np.random.default_rng(seed)) for seed in range(300)}
    assert samples <= set(range(dim.low, dim.high + 1))
    if dim.high - dim.low < 20:
        assert samples == set(range(dim.low, dim.high + 1))


def test_integer_log_scale_favours_small_values():
    dim = Integer(1, 100, log=True)
    samples = np.array([dim.sample(np.random.default_rng(seed)) for seed in range(400)])
    assert np.mean(samples <= 10) == pytest.approx(0.5, abs=0.1)


def test_categorical_bins_and_types():
    dim = Categorical([None, True, 1, "a"])
    assert [dim.from_unit(u) for u in (0.0, 0.3, 0.6, 0.99, 1.0)] == [
        None,
        True,
        1,
        "a",
        "a",
    ]
    assert dim.to_unit(True) == pytest.approx(0.375)
    assert dim.to_unit(1) == pytest.approx(0.625)  # 1 is not True
    assert dim.validate(np.int64(1)) == 1 and type(dim.validate(np.int64(1))) is int
    with pytest.raises(ValueError, match="not one of"):
        dim.to_unit("b")
    assert not dim.is_continuous
    assert Categorical(["only"]).from_unit(0.7) == "only"


def test_dimension_equality_hash_and_repr():
    for dim in (
        LogUniform(0.01, 0.3),
        Uniform(0.1, 1.0),
        Integer(8, 128, log=True),
        Integer(1, 5),
        Categorical(["gini", None, True]),
    ):
        assert eval(repr(dim)) == dim
        assert hash(eval(repr(dim))) == hash(dim)
    assert Uniform(0.1, 1.0) != LogUniform(0.1, 1.0)
    assert Integer(1, 5) != Integer(1, 5, log=True)
    assert Categorical([1, 2]) != Categorical([True, 2])


# -- spaces --------------------------------------------------------------------


@pytest.fixture
def space():
    return Space(
        {
            "C": LogUniform(1e-3, 1e3),
            "fraction": Uniform(0.1, 1.0),
            "k": Integer(1, 50, log=True),
            "weights": Categorical(["uniform", "distance"]),
        }
    )


def test_space_basics(space):
    assert space.names == ("C", "fraction", "k", "weights")
    assert len(space) == 4 and list(space) == list(space.names) and "k" in space
    np.testing.assert_array_equal(space.continuous_mask, [True, True, True, False])
    assert eval(repr(space)) == space
    assert pickle.loads(pickle.dumps(space)) == space


def test_space_vector_round_trip(space):
    rng = np.random.default_rng(0)
    for _ in range(20):
        vector = rng.random(len(space))
        config = space.from_vector(vector)
        again = space.from_vector(space.to_vector(config))
        assert again["k"] == config["k"] and again["weights"] == config["weights"]
        assert again["C"] == pytest.approx(config["C"])
        assert again["fraction"] == pytest.approx(config["fraction"])
    config = space.from_vector(np.array([-1.0, 2.0, 0.5, 1.0]))  # clipped
    assert (
        config["C"] == 1e-3
        and config["fraction"] == 1.0
        and config["weights"] == "distance"
    )


def test_space_validate_names_the_key(space):
    assert space.validate({"k": np.int64(3), "C": 1}) == {"C": 1.0, "k": 3}
    with pytest.raises(ValueError, match="unknown hyperparameter 'gamma'"):
        space.validate({"gamma": 1.0})
    with pytest.raises(ValueError, match="'C'.*outside"):
        space.validate({"C": 1e6})
    with pytest.raises(ValueError, match="'k'.*integer"):
        space.validate({"k": 2.5})
    with pytest.raises(ValueError, match="'weights'"):
        space.validate({"weights": "cosine"})
    with pytest.raises(ValueError, match="no value for"):
        space.validate({"k": 3}, complete=True)
    with pytest.raises(TypeError, match="dict"):
        space.validate([("k", 3)])


def test_space_vector_errors(space):
    config = space.sample(0)
    with pytest.raises(ValueError, match="no value for"):
        space.to_vector({k: v for k, v in config.items() if k != "C"})
    with pytest.raises(ValueError, match="unknown hyperparameter 'extra'"):
        space.to_vector({**config, "extra": 1})
    with pytest.raises(ValueError, match=r"shape \(4,\)"):
        space.from_vector(np.zeros(3))
    with pytest.raises(ValueError, match="NaN"):
        space.from_vector([0.1, np.nan, 0.2, 0.3])


def test_space_sampling_is_seeded(space):
    assert space.sample(5) == space.sample(5)
    assert space.sample(np.random.default_rng(5)) == space.sample(5)
    assert space.sample(5) != space.sample(6)
    assert isinstance(space.sample(np.random.RandomState(0)), dict)
    with pytest.raises(TypeError, match="rng"):
        space.sample("seed")


def test_empty_space():
    empty = Space({})
    assert len(empty) == 0 and empty.sample(0) == {} and Space() == empty
    assert empty.to_vector({}).shape == (0,)
    assert empty.from_vector(np.zeros(0)) == {}
    assert empty.continuous_mask.shape == (0,)


def test_space_rejects_bad_dimensions():
    with pytest.raises(TypeError, match="must be a Dimension"):
        Space({"C": (0.1, 10)})
    with pytest.raises(TypeError, match="dict"):
        Space([LogUniform(0.1, 1)])


# -- user-defined strategies ---------------------------------------------------


def test_user_strategy_with_a_plain_dict_space(penguins):
    tree = Strategy(
        "my_tree", DecisionTreeClassifier(random_state=0), {"max_depth": Integer(1, 20)}
    )
    assert isinstance(tree.space, Space)
    assert tree.tasks == ("binary", "multiclass") and tree.preprocessing == "ordinal"
    # the estimator's default (None) is outside the space: the midpoint is used
    assert tree.default_config() == {"max_depth": 11}
    X, y = penguins["classification"]
    model = tree.build({"max_depth": 2}).fit(X, y)
    assert model["estimator"].get_depth() <= 2
    assert resolve_portfolio([tree, "knn"], "multiclass")[0] is tree
    assert pickle.loads(pickle.dumps(tree)) == tree


def test_strategy_defaults_fall_back_to_the_estimator():
    knn = Strategy(
        "k",
        KNeighborsClassifier(n_neighbors=7),
        {
            "n_neighbors": Integer(1, 50),
            "weights": Categorical(["uniform", "distance"]),
        },
        defaults={"weights": "distance"},
    )
    assert knn.default_config() == {"n_neighbors": 7, "weights": "distance"}
    assert (
        knn.build({"n_neighbors": 3})["estimator"].get_params()["weights"] == "distance"
    )


def test_strategy_rejects_bad_definitions():
    with pytest.raises(ValueError, match="no parameter 'depth'"):
        Strategy("t", DecisionTreeClassifier(), {"depth": Integer(1, 5)})
    with pytest.raises(ValueError, match="'max_depth'.*outside"):
        Strategy(
            "t",
            DecisionTreeClassifier(),
            {"max_depth": Integer(1, 5)},
            defaults={"max_depth": 9},
        )
    with pytest.raises(ValueError, match="unknown hyperparameter"):
        Strategy("t", DecisionTreeClassifier(), {}, defaults={"max_depth": 3})
    with pytest.raises(TypeError, match="estimator"):
        Strategy("t", DecisionTreeClassifier, {})
    with pytest.raises(ValueError, match="name"):
        Strategy("", DecisionTreeClassifier())
    with pytest.raises(ValueError, match="tasks"):
        Strategy("t", DecisionTreeClassifier(), tasks=("ranking",))
    with pytest.raises(ValueError, match="preprocessing"):
        Strategy("t", DecisionTreeClassifier(), preprocessing="magic")
    with pytest.raises(TypeError, match="preprocessing"):
        Strategy("t", DecisionTreeClassifier(), preprocessing=3)
    with pytest.raises(ValueError, match="target_scaling"):
        Strategy("t", DecisionTreeClassifier(), target_scaling=True)
    with pytest.raises(ValueError, match="converter"):
        Strategy("t", DecisionTreeClassifier(), converters={"max_depth": int})
    with pytest.raises(ValueError, match="neither a classifier nor a regressor"):
        Strategy("t", StandardScaler())


def test_build_rejects_configs_outside_the_space():
    tree = Strategy("t", DecisionTreeClassifier(), {"max_depth": Integer(1, 5)})
    with pytest.raises(
        ValueError, match="'t'.*unknown hyperparameter 'min_samples_leaf'"
    ):
        tree.build({"min_samples_leaf": 3})
    with pytest.raises(ValueError, match="'max_depth'.*outside"):
        tree.build({"max_depth": 50})


def test_build_sets_random_state_and_supports():
    tree = Strategy("t", DecisionTreeClassifier(random_state=0), {})
    assert tree.build(random_state=42)["estimator"].random_state == 42
    assert tree.build()["estimator"].random_state == 0
    assert tree.build() is not tree.build()
    assert tree.supports("binary") and not tree.supports("regression")
    with pytest.raises(ValueError, match="task must be one of"):
        tree.supports("clustering")
    assert Strategy("r", DecisionTreeRegressor()).tasks == ("regression",)


def test_preprocessing_choices(numeric_data):
    X, y = numeric_data["classification"]
    assert Strategy("h", HistGradientBoostingClassifier()).preprocessing == "native"
    assert Strategy("l", LogisticRegression()).preprocessing == "scale"
    passthrough = Strategy("l", LogisticRegression(), preprocessing="none")
    assert passthrough.build()["preprocess"] == "passthrough"
    scaler = StandardScaler()
    custom = Strategy("l", LogisticRegression(), preprocessing=scaler)
    built = custom.build()
    assert (
        isinstance(built["preprocess"], StandardScaler)
        and built["preprocess"] is not scaler
    )
    built.fit(np.nan_to_num(X), y)
    assert "StandardScaler" in repr(custom)
    # max_bins below 255 bounds the native categories too
    small_bins = Strategy("h", HistGradientBoostingClassifier(max_bins=31))
    assert small_bins.build()["preprocess"].max_categories == 31


def test_converters_and_target_scaling():
    from sklearn.neural_network import MLPRegressor

    mlp = Strategy(
        "m",
        MLPRegressor(max_iter=50, random_state=0),
        {"hidden_layer_sizes": Integer(4, 64, log=True)},
        defaults={"hidden_layer_sizes": 8},
        converters={"hidden_layer_sizes": single_hidden_layer},
        target_scaling=True,
    )
    pipeline = mlp.build({"hidden_layer_sizes": 16})
    wrapped = pipeline["estimator"]
    assert isinstance(wrapped, TransformedTargetRegressor)
    assert wrapped.regressor.hidden_layer_sizes == (16,)
    assert mlp.default_config() == {"hidden_layer_sizes": 8}


def test_strategy_equality_and_repr():
    a = Strategy("t", DecisionTreeClassifier(), {"max_depth": Integer(1, 5)})
    b = Strategy("t", DecisionTreeClassifier(), {"max_depth": Integer(1, 5)})
    c = Strategy("t", DecisionTreeClassifier(), {"max_depth": Integer(1, 6)})
    d = Strategy(
        "t", DecisionTreeClassifier(criterion="entropy"), {"max_depth": Integer(1, 5)}
    )
    assert a == b and a != c and a != d and hash(a) == hash(c)
    assert repr(a) == (
        "Strategy('t', DecisionTreeClassifier, space=['max_depth'], "
        "preprocessing='ordinal', tasks=('binary', 'multiclass'))"
    )
    assert default_portfolio("binary") == default_portfolio("multiclass")


# -- resolve_portfolio ---------------------------------------------------------


def test_resolve_portfolio_default_and_names():
    # "default": the scikit-learn strategies, then the installed optional ones.
    installed = installed_optional_names()
    for task, expected in (("binary", CLASSIFICATION), ("regression", REGRESSION)):
        resolved = resolve_portfolio("default", task)
        assert resolved[:len(expected)] == expected
        assert [s.name for s in resolved[len(expected):]] == installed
    resolved = resolve_portfolio(("svm_rbf", "random_forest"), "regression")
    assert [s.name for s in resolved] == ["svm_rbf", "random_forest"]
    assert isinstance(resolved[0].estimator, type(REGRESSION[4].estimator))
    classifiers = resolve_portfolio(["svm_rbf", "gaussian_nb"], "binary")
    assert isinstance(classifiers[0].estimator, SVC)


def test_resolve_portfolio_filters_by_task():
    tree = Strategy("tree", DecisionTreeRegressor(), {"max_depth": Integer(1, 8)})
    resolved = resolve_portfolio([tree, "gaussian_nb", "knn"], "regression")
    assert [s.name for s in resolved] == ["tree", "knn"]
    with pytest.raises(
        ValueError, match="portfolio has no strategy for task 'regression'"
    ):
        resolve_portfolio(["gaussian_nb", "logistic_regression"], "regression")
    with pytest.raises(ValueError, match="portfolio has no strategy for task 'binary'"):
        resolve_portfolio([tree], "binary")


def test_resolve_portfolio_errors():
    with pytest.raises(
        ValueError, match="unknown strategy name 'adaboost'.*random_forest"
    ):
        resolve_portfolio(["random_forest", "adaboost"], "binary")
    with pytest.raises(ValueError, match=r"unique; repeated: \['knn'\]"):
        resolve_portfolio(["knn", "knn"], "binary")
    custom_knn = Strategy("knn", KNeighborsClassifier(), {})
    with pytest.raises(ValueError, match="repeated"):
        resolve_portfolio([custom_knn, "knn"], "binary")
    with pytest.raises(ValueError, match="empty"):
        resolve_portfolio([], "binary")
    with pytest.raises(ValueError, match="'default'"):
        resolve_portfolio("best", "binary")
    with pytest.raises(ValueError, match="task must be one of"):
        resolve_portfolio("default", "ranking")
    with pytest.raises(TypeError, match="portfolio must be"):
        resolve_portfolio({"knn": KNeighborsClassifier()}, "binary")
    with pytest.raises(TypeError, match="portfolio must be"):
        resolve_portfolio(custom_knn, "binary")
    with pytest.raises(TypeError, match="item 1"):
        resolve_portfolio(["knn", KNeighborsClassifier()], "binary")


# -- preprocessing -------------------------------------------------------------


def test_native_categories_handle_high_cardinality_and_unknowns():
    rng = np.random.default_rng(0)
    n = 600
    X = pd.DataFrame(
        {
            "id_like": [f"v{i}" for i in rng.integers(0, 400, n)],  # > 255 categories
            "level": pd.Categorical(rng.choice(["low", "mid", "high"], n)),
            "x": rng.normal(size=n),
        }
    )
    y = (X["x"] > 0).astype(int).to_numpy()
    hgb = CLASSIFICATION[0]
    assert hgb.name == "hist_gradient_boosting"
    model = hgb.build().fit(X, y)
    assert model["estimator"].is_categorical_.tolist() == [False, True, True]
    assert len(model["preprocess"].transform(X)["cat0"].cat.categories) == 255
    X_new = X.head(3).assign(
        id_like=["never", "seen", None], level=["low", "new", None]
    )
    assert model.predict(X_new).shape == (3,)


def test_onehot_width_is_bounded_and_sparse_stays_sparse():
    X = pd.DataFrame(
        {"city": [f"c{i % 100}" for i in range(300)], "x": np.arange(300.0)}
    )
    out = TabularPreprocessor(scale=True, max_categories=20).fit_transform(X)
    assert out.shape == (300, 1 + 20)
    X_sparse = sp.random(50, 10, density=0.2, format="csr", random_state=0)
    scaled = TabularPreprocessor(scale=True).fit(X_sparse).transform(X_sparse)
    assert sp.issparse(scaled) and scaled.nnz == X_sparse.nnz
    dense = TabularPreprocessor(dense=True).fit_transform(X_sparse)
    assert isinstance(dense, np.ndarray)


def test_preprocessor_handles_awkward_dtypes():
    X = pd.DataFrame(
        {
            "mixed": ["a", 1, 2.5, None, "a", 1],
            "nullable_int": pd.array([1, None, 3, 4, 5, 6], dtype="Int64"),
            "flag": [True, False, True, True, False, False],
            "empty": [np.nan] * 6,
            "codes": pd.Categorical([10, 20, 10, None, 20, 30]),
        }
    )
    for kind in ("onehot", "ordinal"):
        pre = TabularPreprocessor(categorical=kind)
        out = pre.fit_transform(X)
        assert np.isfinite(out).all()
        assert pre.categorical_columns_ == ["mixed", "codes"]
    native = TabularPreprocessor(categorical="native", impute=False).fit_transform(X)
    assert list(native.dtypes.astype(str)) == ["float64"] * 3 + ["category"] * 2


def test_preprocessor_errors():
    X = pd.DataFrame({"a": ["x", "y", "x"], "b": [1.0, 2.0, 3.0]})
    pre = TabularPreprocessor().fit(X)
    with pytest.raises(ValueError, match="feature names should match"):
        pre.transform(X[["b"]])
    integer_names = TabularPreprocessor().fit(X.set_axis([0, 1], axis=1))
    with pytest.raises(ValueError, match=r"missing the columns \[1\]"):
        integer_names.transform(X.set_axis([0, 2], axis=1))
    with pytest.raises(ValueError, match="DataFrame with the same columns"):
        pre.transform(np.ones((2, 2)))
    numeric = TabularPreprocessor().fit(np.ones((3, 2)))
    with pytest.raises(ValueError, match="3 features"):
        numeric.transform(np.ones((2, 3)))
    with pytest.raises(ValueError, match="could not convert string to float"):
        TabularPreprocessor().fit(np.array([["a", "b"], ["c", "d"]], dtype=object))
    with pytest.raises(ValueError, match="categorical must be one of"):
        TabularPreprocessor(categorical="hash").fit(X)


def _many_categories(n_rows=300, n_categories=60, seed=0):
    """A high-cardinality column whose categories carry the target, with gaps."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, n_categories, n_rows)
    city = np.array([f"city{c}" for c in codes], dtype=object)
    city[rng.random(n_rows) < 0.05] = None
    X = pd.DataFrame({"city": city, "size": rng.normal(size=n_rows)})
    y = np.where(codes % 3 == 0, "high", np.where(codes % 3 == 1, "mid", "low"))
    return X, y, codes


def test_target_encoding_cross_fits_and_encodes_unknown_and_missing():
    X, y, codes = _many_categories()
    pre = TabularPreprocessor(categorical="target")
    crossed = pre.fit_transform(X, y)
    assert crossed.shape == (len(X), 1 + 3)  # size, then one column per class
    refitted = pre.transform(X)
    # A training row's codes come from the other folds: not the full fit's.
    assert not np.allclose(crossed[:, 1:], refitted[:, 1:])
    np.testing.assert_array_equal(crossed, clone(pre).fit_transform(X, y))  # seeded
    new = pd.DataFrame({"city": ["Atlantis", None, "city3"], "size": [0.0] * 3})
    encoded = pre.transform(new)
    assert np.isfinite(encoded).all()
    np.testing.assert_allclose(encoded[0, 1:], pre.encoder_.target_mean_)  # unknown
    # The codes carry the target: high-cardinality cities become three columns.
    model = LogisticRegression().fit(refitted, y)
    assert model.score(refitted, y) > 0.9


def test_target_encoding_of_a_regression_target_scaled():
    X, _, codes = _many_categories()
    y = 100.0 * codes + np.random.default_rng(1).normal(size=len(codes))
    pre = TabularPreprocessor(categorical="target", target_type="continuous",
                              scale=True)
    out = pre.fit_transform(X, y)
    assert out.shape == (len(X), 2)
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-9)
    np.testing.assert_allclose(out.std(axis=0), 1.0)
    assert np.corrcoef(pre.transform(X)[:, 1], y)[0, 1] > 0.9


def test_target_encoding_needs_the_target_and_leaves_numeric_input_alone():
    X, y, _ = _many_categories()
    with pytest.raises(ValueError, match="pass y"):
        TabularPreprocessor(categorical="target").fit(X)
    numeric = np.arange(12.0).reshape(6, 2)
    np.testing.assert_array_equal(
        TabularPreprocessor(categorical="target").fit_transform(numeric), numeric)


def test_target_encoding_in_a_strategy_pipeline():
    X, y, _ = _many_categories()
    strategy = Strategy("te_logistic", LogisticRegression(),
                        {"C": LogUniform(1e-2, 1e2)},
                        preprocessing=TabularPreprocessor(categorical="target",
                                                          scale=True))
    model = strategy.build().fit(X, y)
    assert model.score(X, y) > 0.9
    assert model["preprocess"].encoder_ is not None


def test_no_warnings_on_unseen_categories(penguins):
    X, y = penguins["classification"]
    model = CLASSIFICATION[3].build().fit(X, y)  # one-hot path
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.predict(X.head(2).assign(island=["Atlantis", "Mars"]))


@parametrize_with_checks(
    [
        TabularPreprocessor(),
        TabularPreprocessor(scale=True),
        TabularPreprocessor(categorical="ordinal"),
        TabularPreprocessor(categorical="native", impute=False, dense=True),
        TabularPreprocessor(categorical="target", scale=True),
    ]
)
def test_preprocessor_follows_the_scikit_learn_contract(estimator, check):
    check(estimator)


def test_build_lowers_neighbours_to_the_rows_of_tiny_data():
    knn = next(s for s in default_portfolio("regression") if s.name == "knn")
    X, y = make_regression(10, 3, random_state=0)
    model = knn.build({"n_neighbors": 34}, n_rows=len(y)).fit(X, y)
    assert model[-1].n_neighbors == 10
    np.testing.assert_allclose(model.predict(X[:2]), y.mean())  # every row votes
    assert knn.build({"n_neighbors": 34}, n_rows=100)[-1].n_neighbors == 34
    with pytest.raises(ValueError, match="n_neighbors"):
        knn.build({"n_neighbors": 34}).fit(X, y).predict(X)
