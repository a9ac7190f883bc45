"""The meta-models shipped with skmeta: forests as arrays, the file, its use."""

import copy
import json
import os
import pickle
import subprocess
import sys
import time
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_iris,
    make_classification,
)
from sklearn.ensemble import ExtraTreesRegressor

from skmeta import Dataset, MetaLearner
from skmeta.knowledge import KnowledgeBase
from skmeta.learner import SETTINGS_VERSION, resolve_meta_learner
from skmeta.learner.from_shipped_file import shipped_meta_learner
from skmeta.learner.shipped_models import _ShippedModel
from skmeta.selection import CostModel, PerformanceModel, meta_models_file
from skmeta.selection.forest_arrays import ForestArrays
from skmeta.strategies import known_portfolio

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
    models = meta_models_file.ShippedModels.open()
    assert models is not None, f"build skmeta/data/{meta_models_file.FILENAME} with {meta_models_file.BUILD_SCRIPT}"
    learner = MetaLearner.from_knowledge_base(KnowledgeBase.default())
    with meta_models_file.disabled():
        fresh = MetaLearner.from_knowledge_base(KnowledgeBase.default())
    pending = {f: {"performance": dict.get(fresh.performance_models_, f).model,
                   "cost": dict.get(fresh.cost_models_, f).model}
               for f in fresh.performance_models_}
    reasons = models.stale_reasons(pending, SETTINGS_VERSION)
    assert not reasons, (
        f"skmeta/data/{meta_models_file.FILENAME} is stale ({'; '.join(reasons)}): "
        f"run python {meta_models_file.BUILD_SCRIPT}"
    )
    assert models.header["knowledge_base_signature"] == meta_models_file.knowledge_base_signature(), (
        f"the knowledge base changed: run python {meta_models_file.BUILD_SCRIPT}"
    )
    # The default learner reads them, lazily.
    assert isinstance(dict.get(learner.performance_models_, "classification"), _ShippedModel)
    assert isinstance(learner.performance_models_["classification"].forest_, ForestArrays)


def test_shipped_file_is_small_and_loads_without_pickle():
    path = meta_models_file.shipped_models_path()
    # 15.6 MB for the 236-task knowledge base of 20,584 evaluations (the
    # forests grow with it: 12.1 MB before the boosting strategies; the
    # learner's state is 0.2 MB).
    assert path.stat().st_size < 18e6
    with np.load(path, allow_pickle=False) as npz:
        header = json.loads(npz["header"].tobytes())
        dtypes = {npz[name].dtype.kind for name in npz.files}
    assert header["format"] == meta_models_file.FORMAT
    assert header["format_version"] == meta_models_file.FORMAT_VERSION
    assert "O" not in dtypes


# Fits every meta-model from the whole shipped knowledge base: each test that
# uses it is marked slow.
@pytest.fixture(scope="module")
def loaded_and_fitted():
    kb = KnowledgeBase.default()
    loaded = MetaLearner.from_knowledge_base(kb, n_jobs=-1)
    assert isinstance(dict.get(loaded.performance_models_, "regression"), _ShippedModel)
    with meta_models_file.disabled():
        fitted = MetaLearner.from_knowledge_base(kb, n_jobs=-1)
        assert not isinstance(dict.get(fitted.performance_models_, "regression"),
                              _ShippedModel)
        for family in ("classification", "regression"):
            fitted.performance_models_[family], fitted.cost_models_[family]
    return loaded, fitted


@pytest.mark.slow
def test_loaded_models_recommend_as_the_fitted_ones(loaded_and_fitted):
    loaded, fitted = loaded_and_fitted
    for X, y in (load_breast_cancer(return_X_y=True), load_iris(return_X_y=True),
                 load_diabetes(return_X_y=True)):
        a = loaded.recommend(X, y, k=1000)
        b = fitted.recommend(X, y, k=1000)
        assert a["strategy"].tolist() == b["strategy"].tolist()
        assert a["config"].tolist() == b["config"].tolist()
        np.testing.assert_allclose(a["predicted_score"], b["predicted_score"],
                                   rtol=0, atol=1e-6)


@pytest.mark.slow
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


@pytest.mark.slow
def test_a_stale_or_broken_file_is_not_used_and_says_how_to_rebuild(tmp_path,
                                                                    loaded_and_fitted):
    _, fitted = loaded_and_fitted
    models = {f: {"performance": fitted.performance_models_[f],
                  "cost": fitted.cost_models_[f]} for f in ("classification", "regression")}
    with meta_models_file.disabled():
        pending = _pending(MetaLearner.from_knowledge_base(KnowledgeBase.default()))
    path = tmp_path / "meta_models.npz"
    meta_models_file.save_meta_models(path, models, random_state=0,
                             settings_version=SETTINGS_VERSION,
                             knowledge_base_signature="sha256:0")
    with pytest.warns(UserWarning, match=r"another knowledge base.*build_meta_models"):
        assert meta_models_file.open_for(pending, 0, SETTINGS_VERSION, path=path) is None
    with pytest.warns(UserWarning, match="SETTINGS_VERSION"):
        assert meta_models_file.open_for(pending, 0, SETTINGS_VERSION + 1, path=path) is None
    # Fitted with another seed: not stale, just not these models.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert meta_models_file.open_for(pending, 1, SETTINGS_VERSION, path=path) is None
    # A current file written by save_meta_models is read back.
    meta_models_file.save_meta_models(path, models, random_state=0,
                             settings_version=SETTINGS_VERSION,
                             knowledge_base_signature=meta_models_file.knowledge_base_signature())
    current = meta_models_file.open_for(pending, 0, SETTINGS_VERSION, path=path)
    model = current.load("regression", "cost", pending["regression"]["cost"].portfolio)
    assert isinstance(model, CostModel) and isinstance(model.forest_, ForestArrays)
    with pytest.raises(ValueError, match="fitted for the strategies"):
        current.load("classification", "performance",
                     pending["regression"]["performance"].portfolio)
    broken = tmp_path / "broken.npz"
    for content in (b"not a zip file", path.read_bytes()[:5000]):
        broken.write_bytes(content)
        with pytest.warns(UserWarning, match="not a shipped meta-models file"):
            assert meta_models_file.open_for(pending, 0, SETTINGS_VERSION, path=broken) is None
    # A model whose arrays are damaged: one clear error when it is read.
    with np.load(path, allow_pickle=False) as npz:
        arrays = dict(npz)
    arrays["regression/cost/forest/right"] = arrays["regression/cost/forest/right"][:-1]
    np.savez_compressed(broken, **arrays)
    damaged = meta_models_file.ShippedModels.open(broken)
    with pytest.raises(ValueError, match="regression cost model cannot be read"):
        damaged.load("regression", "cost", pending["regression"]["cost"].portfolio)
    # A learner given such a file fits the model instead, and says why.
    with meta_models_file.disabled():
        learner = MetaLearner.from_knowledge_base(KnowledgeBase.default())
    lazy = _ShippedModel(damaged, "regression", "cost",
                         dict.get(learner.cost_models_, "regression"))
    with pytest.warns(UserWarning, match="fitting it instead"):
        model = lazy.fit()
    assert isinstance(model, CostModel) and model.timed_strategies_


@pytest.mark.slow
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

    script = Path(__file__).resolve().parents[1] / meta_models_file.BUILD_SCRIPT
    spec = importlib.util.spec_from_file_location("build_meta_models", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    header = module.build(tmp_path / "meta_models.npz")
    assert "wrote" in capsys.readouterr().out
    with np.load(meta_models_file.shipped_models_path(), allow_pickle=False) as npz:
        shipped_arrays = dict(npz)
    with np.load(tmp_path / "meta_models.npz", allow_pickle=False) as npz:
        built = dict(npz)
    stored = json.loads(shipped_arrays.pop("header").tobytes())
    built.pop("header")
    hint = (f"skmeta/data/{meta_models_file.FILENAME} is not what {meta_models_file.BUILD_SCRIPT} builds "
            f"from this code: run python {meta_models_file.BUILD_SCRIPT}")
    assert header["families"] == stored["families"], hint
    assert header["learner"] == stored["learner"], hint
    assert sorted(built) == sorted(shipped_arrays), hint
    for name, values in built.items():
        assert np.array_equal(values, shipped_arrays[name]), f"{name}: {hint}"


# -- the default learner, built from the file alone ---------------------------


@pytest.fixture(scope="module")
def from_file():
    learner = shipped_meta_learner(n_jobs=-1)
    assert learner is not None, f"run python {meta_models_file.BUILD_SCRIPT}"
    return learner


@pytest.mark.slow
def test_the_default_learner_is_built_without_loading_the_knowledge_base():
    code = (
        "import sys; from sklearn.datasets import load_iris\n"
        "from skmeta.learner import resolve_meta_learner\n"
        "learner = resolve_meta_learner(None)\n"
        "learner.recommend(*load_iris(return_X_y=True), k=3)\n"
        "learner.warm_start('multiclass', learner.metafeatures_of("
        "__import__('skmeta').Dataset(*load_iris(return_X_y=True))), [])\n"
        "learner.adjuster_settings('regression'), learner.racing_policy('regression')\n"
        "import skmeta.knowledge.default_knowledge_base as kb\n"
        "print(len(kb._LOADED), 'knowledge_base_' in vars(learner))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONWARNINGS="error::UserWarning"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["0", "False"]


@pytest.mark.slow
def test_the_learner_from_the_file_is_the_one_from_the_knowledge_base(from_file,
                                                                     loaded_and_fitted):
    loaded, _ = loaded_and_fitted
    hint = f"the learner state is stale: run python {meta_models_file.BUILD_SCRIPT}"
    assert from_file.get_params(deep=False).keys() == loaded.get_params(deep=False).keys()
    assert list(from_file.performance_models_) == list(loaded.performance_models_)
    for family in loaded.performance_models_:
        assert from_file.training_ids_[family] == loaded.training_ids_[family], hint
        # The same candidates in the same order, their keys too (they are printed).
        assert ([(s, list(c.items())) for s, c in from_file.candidates_[family]]
                == [(s, list(c.items())) for s, c in loaded.candidates_[family]]), hint
        a, b = from_file.nearest_[family], loaded.nearest_[family]
        assert a.dataset_ids_ == b.dataset_ids_ and a.n_neighbors == b.n_neighbors, hint
        assert a.scaler_.columns_ == b.scaler_.columns_, hint
        for name in ("points_",):
            assert np.array_equal(getattr(a, name), getattr(b, name)), hint
        for name in ("log_columns_", "median_", "scale_"):
            assert np.array_equal(getattr(a.scaler_, name), getattr(b.scaler_, name)), hint
        assert from_file.adjuster_settings(family) == loaded.adjuster_settings(family)
        assert from_file.racing_policy(family) == loaded.racing_policy(family)
        assert (from_file.performance_models_[family]
                is loaded.performance_models_[family])  # read once per process
    kb = KnowledgeBase.default()
    assert from_file._shipped["dataset_names"] == kb.datasets()["name"].to_dict(), hint
    assert from_file._shipped_summary() == kb.summary(), hint
    assert loaded._shipped_summary() is None


@pytest.mark.slow
def test_the_learner_from_the_file_recommends_and_warm_starts_the_same(from_file,
                                                                      loaded_and_fitted):
    from skmeta import Dataset
    from skmeta.strategies import default_portfolio

    loaded, _ = loaded_and_fitted
    for X, y in (load_breast_cancer(return_X_y=True), load_diabetes(return_X_y=True)):
        a = from_file.recommend(X, y, k=1000)
        pd.testing.assert_frame_equal(a, loaded.recommend(X, y, k=1000))
        dataset = Dataset(X, y)
        meta = from_file.metafeatures_of(dataset)
        portfolio = default_portfolio(dataset.task)
        start, again = (learner.warm_start(dataset.task, meta, portfolio, cost_weight=0.3)
                        for learner in (from_file, loaded))
        np.testing.assert_array_equal(start.prior, again.prior)
        assert start.first == again.first
        names, configs = a["strategy"].tolist(), a["config"].tolist()
        np.testing.assert_array_equal(
            from_file.predicted_seconds(dataset.task, meta, names, configs),
            loaded.predicted_seconds(dataset.task, meta, names, configs))


def test_the_learner_from_the_file_loads_its_knowledge_base_on_first_read():
    learner = shipped_meta_learner()
    assert "knowledge_base_" not in vars(learner) and "knowledge_base" not in vars(learner)
    assert learner.knowledge_base_ is KnowledgeBase.default()
    assert learner.get_params()["knowledge_base"] is KnowledgeBase.default()
    assert clone(learner) is learner and copy.deepcopy(learner) is learner
    # Unfitted learners have no such attribute, as before.
    assert not hasattr(MetaLearner(), "knowledge_base_")
    assert MetaLearner().knowledge_base is None


def test_the_learner_from_the_file_pickles(from_file):
    X, y = load_iris(return_X_y=True)
    expected = from_file.recommend(X, y)
    fresh = pickle.loads(pickle.dumps(shipped_meta_learner()))
    assert "knowledge_base_" not in vars(fresh)
    pd.testing.assert_frame_equal(fresh.recommend(X, y), expected)
    again = pickle.loads(pickle.dumps(from_file))
    pd.testing.assert_frame_equal(again.recommend(X, y), expected)
    assert again.knowledge_base_ is KnowledgeBase.default()


@pytest.mark.slow
def test_the_cli_describes_the_knowledge_base_without_loading_it(from_file,
                                                                loaded_and_fitted):
    from skmeta.cli.knowledge_bases import _describe_learners_knowledge_base

    learner = shipped_meta_learner()
    text = _describe_learners_knowledge_base(learner)
    assert "knowledge_base_" not in vars(learner)
    assert text == _describe_learners_knowledge_base(loaded_and_fitted[0])
    assert text.startswith("the shipped knowledge base: ")


@pytest.mark.slow
def test_the_learner_from_the_file_relearns_from_its_knowledge_base(from_file,
                                                                   loaded_and_fitted):
    learner = shipped_meta_learner()
    policy = learner.racing_policy("regression", relearn=True)
    assert policy == loaded_and_fitted[0].racing_policy("regression", relearn=True)
    assert "knowledge_base_" in vars(learner)


@pytest.fixture(scope="module")
def shipped_arrays():
    with np.load(meta_models_file.shipped_models_path(), allow_pickle=False) as npz:
        arrays = dict(npz)
    return json.loads(arrays.pop("header").tobytes()), arrays


def _write(path, header, arrays):
    encoded = json.dumps(header).encode()
    np.savez(path, header=np.frombuffer(encoded, dtype=np.uint8), **arrays)
    return path


def _use_file(monkeypatch, path):
    monkeypatch.setattr(meta_models_file, "shipped_models_path", lambda: path)


def test_a_stale_or_damaged_file_builds_the_learner_from_the_knowledge_base(
        tmp_path, monkeypatch, shipped_arrays):
    header, arrays = shipped_arrays
    # The file as shipped is used.
    _use_file(monkeypatch, _write(tmp_path / "same.npz", header, arrays))
    assert shipped_meta_learner() is not None
    stale = copy.deepcopy(header)
    stale["knowledge_base_signature"] = "sha256:0"
    old = dict(copy.deepcopy(header), format_version=1)
    no_state = {k: v for k, v in header.items() if k != "learner"}
    relearn = copy.deepcopy(header)
    relearn["learner"]["properties"]["adjuster_settings.regression"]["version"] = -1
    tampered = copy.deepcopy(header)
    candidates = tampered["learner"]["families"]["classification"]["candidates"]
    candidates[0][1] = json.dumps({"n_neighbors": "all"})
    damaged = dict(arrays)
    damaged["learner/regression/nearest/points"] = arrays[
        "learner/regression/nearest/points"][:-1]
    variants = {"stale": (stale, arrays), "old": (old, arrays),
                "no_state": (no_state, arrays), "relearn": (relearn, arrays),
                "tampered": (tampered, arrays), "damaged": (header, damaged)}
    for name, (content, values) in variants.items():
        _use_file(monkeypatch, _write(tmp_path / f"{name}.npz", content, values))
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # quietly: the fallback says why
            assert shipped_meta_learner() is None, name
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a zip file")
    _use_file(monkeypatch, broken)
    assert shipped_meta_learner() is None
    # Another portfolio or seed is not the default learner.
    monkeypatch.undo()
    assert shipped_meta_learner(random_state=1) is None
    assert shipped_meta_learner(portfolio=["ridge", "knn"]) is None


def test_the_default_learner_falls_back_to_the_knowledge_base(tmp_path, monkeypatch,
                                                              shipped_arrays):
    from skmeta.learner.resolution import _default_meta_learner

    header, arrays = shipped_arrays
    stale = dict(copy.deepcopy(header), settings_version=-1)
    _use_file(monkeypatch, _write(tmp_path / "stale.npz", stale, arrays))
    _default_meta_learner.cache_clear()
    try:
        with pytest.warns(UserWarning, match="SETTINGS_VERSION"):
            learner = _default_meta_learner()
        assert learner._shipped_summary() is None
        assert "knowledge_base_" in vars(learner)
    finally:
        _default_meta_learner.cache_clear()


@pytest.mark.slow
def test_an_unreadable_shipped_model_is_fitted_from_the_knowledge_base(
        tmp_path, monkeypatch, shipped_arrays, loaded_and_fitted):
    header, arrays = shipped_arrays
    damaged = dict(arrays)
    damaged["regression/cost/forest/right"] = arrays["regression/cost/forest/right"][:-1]
    _use_file(monkeypatch, _write(tmp_path / "damaged.npz", header, damaged))
    learner = shipped_meta_learner(n_jobs=-1)
    with pytest.warns(UserWarning, match="fitting it instead"):
        model = learner.cost_models_["regression"]
    fitted = loaded_and_fitted[1].cost_models_["regression"]
    meta = KnowledgeBase.default().metafeatures().iloc[0]
    strategies = [s for s, _ in learner.candidates_["regression"]]
    configs = [c for _, c in learner.candidates_["regression"]]
    np.testing.assert_array_equal(model.predict(meta, strategies, configs),
                                  fitted.predict(meta, strategies, configs))


def test_reading_a_fitted_learner_changes_nothing_but_its_lazy_models():
    learner = shipped_meta_learner()
    settings = dict(learner.adjuster_settings_)
    policies = dict(learner.racing_policies_)
    assert sorted(settings) == sorted(policies) == ["classification", "regression"]
    before = {name: value for name, value in vars(learner).items()
              if name not in ("performance_models_", "cost_models_")}
    X, y = load_iris(return_X_y=True)
    for family in ("classification", "regression"):
        assert learner.adjuster_settings(family) is settings[family]
        assert learner.racing_policy(family) is policies[family]
    learner.recommend(X, y)
    after = {name: value for name, value in vars(learner).items()
             if name not in ("performance_models_", "cost_models_")}
    assert after.keys() == before.keys()
    assert all(after[name] is before[name] for name in before)
    assert learner.adjuster_settings_ == settings and learner.racing_policies_ == policies


def test_repr_of_the_default_learner_does_not_load_the_knowledge_base():
    learner = shipped_meta_learner(n_jobs=-1)
    assert repr(learner) == "MetaLearner(knowledge_base=KnowledgeBase.default(), n_jobs=-1)"
    assert "knowledge_base_" not in vars(learner) and "knowledge_base" not in vars(learner)


def test_threads_sharing_a_learner_fit_each_lazy_model_once(monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    from skmeta.learner.lazy_models import PendingModel

    learner = shipped_meta_learner()
    pending = dict.get(learner.performance_models_, "classification")
    calls = []
    original = type(pending).fit

    def slow_fit(self):
        calls.append(self)
        time.sleep(0.2)  # long enough for every thread to ask meanwhile
        return original(self)

    monkeypatch.setattr(type(pending), "fit", slow_fit)
    assert isinstance(pending, PendingModel)
    with ThreadPoolExecutor(4) as pool:
        models = list(pool.map(lambda _: learner.performance_models_["classification"],
                               range(4)))
    assert len(calls) == 1
    assert all(model is models[0] for model in models)


def test_the_old_module_name_still_works_with_a_future_warning(monkeypatch):
    import importlib

    monkeypatch.delitem(sys.modules, "skmeta.shipped_learner", raising=False)
    with pytest.warns(FutureWarning, match=r"skmeta\.learner\.from_shipped_file"):
        old = importlib.import_module("skmeta.shipped_learner")
    assert old.shipped_meta_learner is shipped_meta_learner


def test_a_learner_of_part_of_the_knowledge_base_replays_nothing_when_loaded():
    from skmeta.learner.lazy_models import PendingValue

    # Another seed cannot reuse the stored settings: they are learned by
    # replay (a minute a family on the shipped knowledge base) when a search
    # first needs them, not when the learner is loaded.
    learner = MetaLearner.from_knowledge_base(KnowledgeBase.default(), random_state=1)
    for family in ("classification", "regression"):
        assert isinstance(dict.get(learner.adjuster_settings_, family), PendingValue)
        assert isinstance(dict.get(learner.racing_policies_, family), PendingValue)


def test_the_old_meta_models_module_name_still_works_with_a_future_warning(monkeypatch):
    import importlib

    monkeypatch.delitem(sys.modules, "skmeta.selection.shipped", raising=False)
    with pytest.warns(FutureWarning, match=r"skmeta\.selection\.meta_models_file"):
        old = importlib.import_module("skmeta.selection.shipped")
    assert old.ShippedModels is meta_models_file.ShippedModels
    assert old.disabled is meta_models_file.disabled


def test_the_shipped_cost_model_knows_catboost_is_slow_and_slower_with_classes():
    # Issue 25: CatBoost grows one output per class; the search must know
    # its cost before it starts one. The stand-ins give the default
    # configurations without the library.
    learner = resolve_meta_learner(None)
    strategies = {s.name: s for s in known_portfolio("multiclass")}
    names = ["catboost", "lightgbm", "hist_gradient_boosting"]
    configs = [strategies[name].default_config() for name in names]
    seconds = {}
    for n_classes in (2, 20):
        X, y = make_classification(4000, 16, n_informative=12, n_classes=n_classes,
                                   n_clusters_per_class=1, random_state=0)
        task = "binary" if n_classes == 2 else "multiclass"
        meta = learner.metafeatures_of(Dataset(X, y))
        seconds[n_classes] = dict(zip(
            names, learner.predicted_seconds(task, meta, names, configs), strict=True))
    for predicted in seconds.values():
        assert predicted["catboost"] > 1.5 * max(predicted["lightgbm"],
                                                 predicted["hist_gradient_boosting"])
    assert seconds[20]["catboost"] > 2 * seconds[2]["catboost"]
