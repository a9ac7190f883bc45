"""The meta-models shipped with skmeta: forests as arrays, the file, its use."""

import json
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
from sklearn.ensemble import ExtraTreesRegressor

from skmeta import MetaLearner
from skmeta.knowledge import KnowledgeBase
from skmeta.learner import SETTINGS_VERSION, _ShippedModel
from skmeta.selection import CostModel, PerformanceModel, shipped
from skmeta.selection.forest_arrays import ForestArrays

# -- ForestArrays -------------------------------------------------------------


def _edge_rows(forest, X):
    """Rows whose values sit exactly on, and just beside, the thresholds."""
    rows = [X]
    for tree in forest.estimators_[:5]:
        t = tree.tree_
        internal = t.children_left != -1
        for feature, threshold in zip(t.feature[internal], t.threshold[internal], strict=True):
            for value in (threshold, np.nextafter(threshold, np.inf),
                          np.nextafter(threshold, -np.inf),
                          float(np.float32(threshold)),
                          float(np.nextafter(np.float32(threshold), np.float32(np.inf)))):
                row = X[:1].copy()
                row[0, feature] = value
                rows.append(row)
    return np.vstack(rows)


@pytest.mark.parametrize("n_outputs", [1, 3])
def test_forest_arrays_predict_like_scikit_learn(n_outputs):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 6)) * [1, 10, 1e3, 1e-3, 1, 1]
    y = rng.normal(size=(400, n_outputs)) if n_outputs > 1 else rng.normal(size=400)
    forest = ExtraTreesRegressor(n_estimators=25, min_samples_leaf=2, max_features=0.5,
                                 random_state=0).fit(X, y)
    arrays = ForestArrays.from_forest(forest)
    test = _edge_rows(forest, rng.normal(size=(300, 6)) * [1, 10, 1e3, 1e-3, 1, 1])
    expected = forest.predict(test)
    predicted = arrays.predict(test)
    assert predicted.shape == expected.shape
    np.testing.assert_allclose(predicted, expected, rtol=0, atol=1e-6)
    # Same leaves as scikit-learn, tree by tree: every decision agrees.
    sk_leaves = forest.apply(test.astype(np.float32))
    for j, tree in enumerate(forest.estimators_):
        values = tree.tree_.value[sk_leaves[:, j], :, 0]
        leaf_values = arrays.arrays["value"][arrays.apply(test)[j]]
        np.testing.assert_allclose(leaf_values, values, rtol=1e-6, atol=1e-7)


def test_forest_arrays_route_missing_values_like_scikit_learn():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 4))
    X[rng.random(X.shape) < 0.2] = np.nan
    forest = ExtraTreesRegressor(n_estimators=10, random_state=0).fit(X, rng.normal(size=300))
    arrays = ForestArrays.from_forest(forest)
    np.testing.assert_allclose(arrays.predict(X), forest.predict(X), rtol=0, atol=1e-6)


def test_forest_arrays_round_trip_through_npz_without_pickle(tmp_path):
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(100, 3)), rng.normal(size=100)
    forest = ExtraTreesRegressor(n_estimators=5, random_state=0).fit(X, y)
    arrays = ForestArrays.from_forest(forest)
    np.savez_compressed(tmp_path / "forest.npz", **arrays.to_arrays())
    with np.load(tmp_path / "forest.npz", allow_pickle=False) as npz:
        copy = ForestArrays.from_arrays(dict(npz))
    assert np.array_equal(copy.predict(X), arrays.predict(X))
    assert copy.arrays["threshold"].dtype == np.float32
    assert copy.arrays["left"].dtype == np.int16


def test_forest_arrays_reject_inconsistent_arrays_and_inputs():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(60, 3)), rng.normal(size=60)
    arrays = ForestArrays.from_forest(
        ExtraTreesRegressor(n_estimators=3, random_state=0).fit(X, y)).to_arrays()
    with pytest.raises(ValueError, match="lack"):
        ForestArrays.from_arrays({k: v for k, v in arrays.items() if k != "value"})
    bad = dict(arrays, left=arrays["left"] + 1000)
    with pytest.raises(ValueError, match="child index is out of range"):
        ForestArrays.from_arrays(bad)
    cycle = dict(arrays, left=arrays["left"].copy())
    cycle["left"][1] = 0  # the second internal node of tree 0 points back to the root
    with pytest.raises(ValueError, match="before its parent"):
        ForestArrays.from_arrays(cycle)
    with pytest.raises(ValueError, match="feature index"):
        ForestArrays.from_arrays(dict(arrays, feature=arrays["feature"] + 5))
    with pytest.raises(ValueError, match="one row per leaf"):
        ForestArrays.from_arrays(dict(arrays, value=arrays["value"][:-1]))
    forest = ForestArrays.from_arrays(arrays)
    with pytest.raises(ValueError, match="shape"):
        forest.predict(X[:, :2])
    with pytest.raises(ValueError, match="infinity"):
        forest.predict(np.full((1, 3), 1e300))
    with pytest.raises(ValueError, match="not fitted"):
        ForestArrays.from_forest(ExtraTreesRegressor())


# -- the shipped file ---------------------------------------------------------


def test_shipped_meta_models_are_current():
    models = shipped.ShippedModels.open()
    assert models is not None, f"build skmeta/data/{shipped.FILENAME} with {shipped.BUILD_SCRIPT}"
    learner = MetaLearner.from_knowledge_base(KnowledgeBase.default())
    with shipped.disabled():
        fresh = MetaLearner.from_knowledge_base(KnowledgeBase.default())
    pending = {f: {"performance": dict.get(fresh.performance_models_, f).model,
                   "cost": dict.get(fresh.cost_models_, f).model}
               for f in fresh.performance_models_}
    reasons = models.stale_reasons(pending, SETTINGS_VERSION)
    assert not reasons, (
        f"skmeta/data/{shipped.FILENAME} is stale ({'; '.join(reasons)}): "
        f"run python {shipped.BUILD_SCRIPT}"
    )
    assert models.header["knowledge_base_signature"] == shipped.knowledge_base_signature(), (
        f"the knowledge base changed: run python {shipped.BUILD_SCRIPT}"
    )
    # The default learner reads them, lazily.
    assert isinstance(dict.get(learner.performance_models_, "classification"), _ShippedModel)
    assert isinstance(learner.performance_models_["classification"].forest_, ForestArrays)


def test_shipped_file_is_small_and_loads_without_pickle():
    path = shipped.shipped_models_path()
    # 11.9 MB for the 236-task knowledge base (the forests grew with it).
    assert path.stat().st_size < 15e6
    with np.load(path, allow_pickle=False) as npz:
        header = json.loads(npz["header"].tobytes())
        dtypes = {npz[name].dtype.kind for name in npz.files}
    assert header["format"] == shipped.FORMAT
    assert header["format_version"] == shipped.FORMAT_VERSION
    assert "O" not in dtypes


@pytest.fixture(scope="module")
def loaded_and_fitted():
    kb = KnowledgeBase.default()
    loaded = MetaLearner.from_knowledge_base(kb, n_jobs=-1)
    with shipped.disabled():
        fitted = MetaLearner.from_knowledge_base(kb, n_jobs=-1)
        for family in ("classification", "regression"):
            fitted.performance_models_[family], fitted.cost_models_[family]
    return loaded, fitted


def test_loaded_models_recommend_as_the_fitted_ones(loaded_and_fitted):
    loaded, fitted = loaded_and_fitted
    assert isinstance(fitted.performance_models_["regression"].forest_, ExtraTreesRegressor)
    for X, y in (load_breast_cancer(return_X_y=True), load_iris(return_X_y=True),
                 load_diabetes(return_X_y=True)):
        a = loaded.recommend(X, y, k=1000)
        b = fitted.recommend(X, y, k=1000)
        assert a["strategy"].tolist() == b["strategy"].tolist()
        assert a["config"].tolist() == b["config"].tolist()
        np.testing.assert_allclose(a["predicted_score"], b["predicted_score"],
                                   rtol=0, atol=1e-6)


def test_loaded_models_rank_every_stored_dataset_as_the_fitted_ones(loaded_and_fitted):
    loaded, fitted = loaded_and_fitted
    table = loaded.knowledge_base_.metafeatures()
    for family, task in (("classification", "multiclass"), ("regression", "regression")):
        for dataset_id in fitted.training_ids_[family]:
            meta = table.loc[dataset_id]
            a = loaded._rank(family, task, meta)
            b = fitted._rank(family, task, meta)
            assert a.index.tolist() == b.index.tolist(), dataset_id
            np.testing.assert_allclose(a["predicted_score"], b["predicted_score"],
                                       rtol=0, atol=1e-6)
            strategies, configs = a["strategy"].tolist(), a["config"].tolist()
            np.testing.assert_allclose(
                loaded.cost_models_[family].predict(meta, strategies, configs),
                fitted.cost_models_[family].predict(meta, strategies, configs),
                rtol=0, atol=1e-5)


def test_shipped_models_apply_only_to_the_shipped_knowledge_base_as_is():
    kb = KnowledgeBase.default()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        other_seed = MetaLearner.from_knowledge_base(kb, random_state=1)
        names = kb.datasets()["name"].iloc[:1].tolist()
        excluded = MetaLearner.from_knowledge_base(kb, exclude=names)
        portfolio = MetaLearner.from_knowledge_base(kb, portfolio=["ridge", "knn"])
    for learner in (other_seed, excluded, portfolio):
        assert not isinstance(dict.get(learner.performance_models_, "regression"),
                              _ShippedModel)


def _pending(learner):
    return {f: {"performance": dict.get(learner.performance_models_, f).model,
                "cost": dict.get(learner.cost_models_, f).model}
            for f in learner.performance_models_}


def test_a_stale_or_broken_file_is_not_used_and_says_how_to_rebuild(tmp_path,
                                                                    loaded_and_fitted):
    _, fitted = loaded_and_fitted
    models = {f: {"performance": fitted.performance_models_[f],
                  "cost": fitted.cost_models_[f]} for f in ("classification", "regression")}
    with shipped.disabled():
        pending = _pending(MetaLearner.from_knowledge_base(KnowledgeBase.default()))
    path = tmp_path / "meta_models.npz"
    shipped.save_meta_models(path, models, random_state=0,
                             settings_version=SETTINGS_VERSION,
                             knowledge_base_signature="sha256:0")
    with pytest.warns(UserWarning, match=r"another knowledge base.*build_meta_models"):
        assert shipped.open_for(pending, 0, SETTINGS_VERSION, path=path) is None
    with pytest.warns(UserWarning, match="SETTINGS_VERSION"):
        assert shipped.open_for(pending, 0, SETTINGS_VERSION + 1, path=path) is None
    # Fitted with another seed: not stale, just not these models.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert shipped.open_for(pending, 1, SETTINGS_VERSION, path=path) is None
    # A current file written by save_meta_models is read back.
    shipped.save_meta_models(path, models, random_state=0,
                             settings_version=SETTINGS_VERSION,
                             knowledge_base_signature=shipped.knowledge_base_signature())
    current = shipped.open_for(pending, 0, SETTINGS_VERSION, path=path)
    model = current.load("regression", "cost", pending["regression"]["cost"].portfolio)
    assert isinstance(model, CostModel) and isinstance(model.forest_, ForestArrays)
    with pytest.raises(ValueError, match="fitted for the strategies"):
        current.load("classification", "performance",
                     pending["regression"]["performance"].portfolio)
    broken = tmp_path / "broken.npz"
    for content in (b"not a zip file", path.read_bytes()[:5000]):
        broken.write_bytes(content)
        with pytest.warns(UserWarning, match="not a shipped meta-models file"):
            assert shipped.open_for(pending, 0, SETTINGS_VERSION, path=broken) is None
    # A model whose arrays are damaged: one clear error when it is read.
    with np.load(path, allow_pickle=False) as npz:
        arrays = dict(npz)
    arrays["regression/cost/forest/right"] = arrays["regression/cost/forest/right"][:-1]
    np.savez_compressed(broken, **arrays)
    damaged = shipped.ShippedModels.open(broken)
    with pytest.raises(ValueError, match="regression cost model cannot be read"):
        damaged.load("regression", "cost", pending["regression"]["cost"].portfolio)
    # A learner given such a file fits the model instead, and says why.
    with shipped.disabled():
        learner = MetaLearner.from_knowledge_base(KnowledgeBase.default())
    lazy = _ShippedModel(damaged, "regression", "cost",
                         dict.get(learner.cost_models_, "regression"))
    with pytest.warns(UserWarning, match="fitting it instead"):
        model = lazy.fit()
    assert isinstance(model.forest_, ExtraTreesRegressor)


def test_models_convert_to_arrays_and_back_exactly(loaded_and_fitted):
    _, fitted = loaded_and_fitted
    model = fitted.performance_models_["classification"]
    copy = PerformanceModel.from_arrays(model.portfolio, *model.to_arrays())
    header, arrays = copy.to_arrays()
    json.dumps(header)  # JSON-able
    again = PerformanceModel.from_arrays(model.portfolio, header, arrays)
    assert again.shared_keys_ == model.shared_keys_
    assert again.scaler_.columns_ == model.scaler_.columns_
    meta = fitted.knowledge_base_.metafeatures().iloc[0]
    strategies = [s for s, _ in fitted.candidates_["classification"]]
    configs = [c for _, c in fitted.candidates_["classification"]]
    assert np.array_equal(again.predict(meta, strategies, configs),
                          copy.predict(meta, strategies, configs))


@pytest.mark.slow
def test_the_build_script_reproduces_the_shipped_file(tmp_path, capsys):
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / shipped.BUILD_SCRIPT
    spec = importlib.util.spec_from_file_location("build_meta_models", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    header = module.build(tmp_path / "meta_models.npz")
    assert "wrote" in capsys.readouterr().out
    with np.load(shipped.shipped_models_path(), allow_pickle=False) as npz:
        shipped_arrays = dict(npz)
    with np.load(tmp_path / "meta_models.npz", allow_pickle=False) as npz:
        built = dict(npz)
    stored = json.loads(shipped_arrays.pop("header").tobytes())
    built.pop("header")
    hint = (f"skmeta/data/{shipped.FILENAME} is not what {shipped.BUILD_SCRIPT} builds "
            f"from this code: run python {shipped.BUILD_SCRIPT}")
    assert header["families"] == stored["families"], hint
    assert sorted(built) == sorted(shipped_arrays), hint
    for name, values in built.items():
        assert np.array_equal(values, shipped_arrays[name]), f"{name}: {hint}"
