"""Tests of skmeta.metafeatures: names, inputs, edge cases, subsampling,
determinism, the transformer contract, validation and hand-computed values."""

import functools
import json
import pickle
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import scipy.stats
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine
from sklearn.decomposition import PCA
from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor
from sklearn.exceptions import NotFittedError
from sklearn.kernel_approximation import Nystroem
from sklearn.linear_model import (
    LinearRegression,
    LogisticRegression,
    Ridge,
    RidgeClassifier,
)
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.svm import SVC, LinearSVR
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skmeta import Dataset, load_penguins
from skmeta.metafeatures import (
    GROUPS,
    MetaFeatureExtractor,
    _learners,
    all_names,
    describe_metafeatures,
    extract_dataset_metafeatures,
    extract_metafeatures,
    landmarking,
    metafeature_names,
)
from skmeta.metafeatures._summary import SUMMARIES, summarize
from skmeta.metafeatures._table import MAX_CELLS, build_table, subsample_rows
from skmeta.metafeatures.landmarking import (
    MAX_LANDMARK_ROWS,
    MODEL_LEARNERS,
    fold_ids,
    fold_splits,
    model_landmarks,
)


def _without_timings(values):
    return values.drop([n for n in values.index if n.endswith(".fit_seconds")])


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


@pytest.fixture(autouse=True)
def _no_warnings():
    # Extraction must not leak warnings for legitimate data.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# -- names -----------------------------------------------------------------

LEARNERS_FOR_CLASSIFICATION = [
    name for name in metafeature_names("binary", "landmarking")
    if name.endswith(".score")
]


def test_classification_names_are_many_unique_and_shared():
    binary = metafeature_names("binary")
    assert binary == metafeature_names("multiclass")
    assert len(binary) >= 60
    assert len(set(binary)) == len(binary)
    for expected in ["n_rows", "class_entropy", "skewness.mean", "skewness.q25",
                     "skewness.median", "mutual_info.max", "lm_1nn.score",
                     "lm_1nn.fit_seconds", "lm_naive_bayes.score", "f1.min",
                     "pca.n_components_95", "can_cor.max"]:
        assert expected in binary


def test_regression_names_swap_class_measures_for_target_measures():
    names = metafeature_names("regression")
    assert len(set(names)) == len(names) >= 60
    assert "target_entropy" in names and "target_skewness" in names
    assert "target_abs_cor.max" in names
    class_only = ("class_", "n_classes", "lm_naive_bayes", "f1.")
    assert not any(n.startswith(class_only) for n in names)
    landmarks = {"lm_1nn.score", "lm_stump.score", "lm_ridge.score", "lm_tree.score",
                 "lm_svm_rbf.score", "lm_extra_trees.gap", "lm_ridge.gap"}
    assert landmarks <= set(names)
    assert "lm_logistic_regression.score" not in names


def test_group_names_partition_the_full_list():
    for task in ("binary", "regression"):
        by_group = [n for g in GROUPS for n in metafeature_names(task, g)]
        assert by_group == metafeature_names(task)
    general = metafeature_names("binary", "general")
    complexity = metafeature_names("binary", "complexity")
    both = metafeature_names("binary", ["complexity", "general"])
    assert both == general + complexity


def test_describe_documents_every_name():
    table = describe_metafeatures()
    assert table["name"].tolist() == all_names()
    every_task = set(metafeature_names("binary")) | set(metafeature_names("regression"))
    assert every_task == set(table["name"])
    assert table["description"].str.len().min() > 10
    labels = table.set_index("name")["tasks"]
    assert labels["n_rows"] == "all"
    assert labels["n_classes"] == "classification"
    assert labels["target_entropy"] == "regression"
    regression = describe_metafeatures("regression")
    assert regression["name"].tolist() == metafeature_names("regression")


def test_unknown_group_and_task_are_rejected():
    with pytest.raises(ValueError, match="unknown meta-feature groups"):
        metafeature_names("binary", groups=["general", "clustering"])
    with pytest.raises(ValueError, match="task must be one of"):
        metafeature_names("ranking")


# -- output shape and input kinds ------------------------------------------


def test_series_has_the_documented_names_in_order(iris):
    values = extract_metafeatures(*iris, random_state=0)
    assert isinstance(values, pd.Series)
    assert values.dtype == float
    assert values.index.tolist() == metafeature_names("multiclass")
    assert values.attrs == {"task": "multiclass", "n_rows_analysed": 150}
    assert values.notna().sum() >= 60


def test_groups_subset_gives_the_same_values_as_all(iris):
    everything = extract_metafeatures(*iris, random_state=3)
    groups = ["landmarking", "statistical"]
    part = extract_metafeatures(*iris, groups=groups, random_state=3)
    assert part.index.tolist() == metafeature_names("multiclass", groups[::-1])
    pd.testing.assert_series_equal(_without_timings(part),
                                   _without_timings(everything[part.index]))


def test_penguins_dataframe_with_categoricals_and_missing_values():
    penguins = load_penguins()
    values = extract_dataset_metafeatures(penguins, random_state=0)
    assert values.name == "penguins"
    frame = penguins.X
    assert values["n_categorical"] == 2 and values["n_numeric"] == 5
    assert values["missing_fraction"] == pytest.approx(frame.isna().to_numpy().mean())
    assert values["rows_with_missing_fraction"] == pytest.approx(
        frame.isna().any(axis=1).mean())
    levels = [frame[c].nunique() for c in ("island", "sex")]
    assert values["cat_levels.max"] == max(levels)
    assert _without_timings(values).notna().all()
    assert values["lm_1nn.score"] > 0.9


def test_sparse_input_equals_its_dense_version():
    rng = np.random.default_rng(0)
    X = sp.random(300, 20, density=0.15, random_state=1, format="csr")
    y = rng.integers(0, 3, 300)
    sparse = extract_metafeatures(X, y, random_state=0)
    dense = extract_metafeatures(X.toarray(), y, random_state=0)
    pd.testing.assert_series_equal(_without_timings(sparse), _without_timings(dense))
    assert sparse["sparsity"] == pytest.approx(1 - X.nnz / (300 * 20))


def test_task_can_be_given(iris):
    X, y = iris
    values = extract_metafeatures(X, y.astype(float), task="regression", random_state=0)
    assert values.index.tolist() == metafeature_names("regression")
    with pytest.raises(ValueError, match="binary"):
        extract_metafeatures(X, y, task="binary")


# -- undefined measures are NaN, not errors ---------------------------------


def test_constant_column_is_left_out_of_shape_measures():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 3))
    X[:, 1] = 7.0
    values = extract_metafeatures(X, (X[:, 0] > 0).astype(int), random_state=0)
    skew = scipy.stats.skew(X[:, [0, 2]], axis=0) * (79 / 80) ** 1.5
    assert values["skewness.mean"] == pytest.approx(skew.mean())
    assert values["sd.min"] == 0.0
    cor = np.corrcoef(X[:, 0], X[:, 2])[0, 1]
    assert values["abs_cor.max"] == pytest.approx(abs(cor))
    assert np.isnan(values["abs_cor.sd"])  # one defined pair only


def test_single_feature():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 1))
    values = extract_metafeatures(X, rng.integers(0, 2, 60), random_state=0)
    assert values["n_features"] == 1
    assert values[[f"abs_cor.{s}" for s in ("mean", "min", "max")]].isna().all()
    skew = scipy.stats.skew(X[:, 0]) * (59 / 60) ** 1.5
    assert values["skewness.mean"] == pytest.approx(skew)
    assert np.isnan(values["skewness.sd"])
    assert values["eigenvalues.max"] == pytest.approx(X[:, 0].var(ddof=1))
    assert 0 <= values["lm_stump.score"] <= 1


def test_all_categorical():
    rng = np.random.default_rng(2)
    X = pd.DataFrame({"a": rng.choice(["x", "y", "z"], 90),
                      "b": rng.choice(["p", "q"], 90)})
    y = (X["a"] == "x").astype(int)
    values = extract_metafeatures(X, y, random_state=0)
    assert values["n_categorical"] == 2 and values["n_numeric"] == 0
    assert values[metafeature_names("binary", "statistical")].isna().all()
    assert values["mutual_info.max"] == pytest.approx(values["class_entropy"])
    assert values["lm_stump.score"] == 1.0  # a = "x" is the class
    assert values["pca.n_components_95"] >= 1


def test_all_missing_column():
    rng = np.random.default_rng(3)
    X = pd.DataFrame(rng.normal(size=(70, 3)), columns=["a", "b", "c"])
    X["a"] = np.nan
    values = extract_metafeatures(X, rng.integers(0, 2, 70), random_state=0)
    assert values["missing_fraction"] == pytest.approx(1 / 3)
    assert values["features_with_missing_fraction"] == pytest.approx(1 / 3)
    assert values["rows_with_missing_fraction"] == 1.0
    assert values["mean.mean"] == pytest.approx(X[["b", "c"]].mean().mean())
    assert values["attr_entropy.min"] == 0.0  # all values are "missing"
    assert not np.isnan(values["lm_1nn.score"])


def test_all_constant_features_give_nan_landmarks():
    values = extract_metafeatures(np.ones((30, 2)), np.arange(30) % 3, random_state=0)
    assert values[metafeature_names("multiclass", "landmarking")].isna().all()
    assert np.isnan(values["skewness.mean"])
    assert values["n_rows"] == 30


@pytest.mark.parametrize("n_rows", [2, 3, 5])
def test_tiny_two_class_data(n_rows):
    X = np.arange(2.0 * n_rows).reshape(n_rows, 2) ** 1.5
    y = np.arange(n_rows) % 2
    values = extract_metafeatures(X, y, random_state=0)
    assert values["n_rows"] == n_rows and values["n_classes"] == 2
    assert 0 <= values["lm_1nn.score"] <= 1


def test_tiny_regression_data():
    X = [[1.0, 2.0], [2.0, 1.0], [3.0, 5.0]]
    values = extract_metafeatures(X, [0.5, 1.5, 0.25])
    assert values.attrs["task"] == "regression"
    assert values["n_rows"] == 3


def test_encoded_matrix_is_standardized_and_leaves_the_table_untouched():
    penguins = load_penguins()
    table, _ = build_table(penguins, max_rows=10_000, rng=np.random.default_rng(0))
    before = table.numeric.copy()
    encoded = table.encoded
    np.testing.assert_array_equal(table.numeric, before)
    assert encoded.flags["C_CONTIGUOUS"]
    np.testing.assert_allclose(encoded.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(encoded.std(axis=0), 1)
    # 5 numeric columns, island (3 levels) and sex (2 levels) one-hot encoded
    assert encoded.shape == (344, 5 + 3 + 2)


# -- large data --------------------------------------------------------------


def test_subsample_is_stratified_and_keeps_every_class():
    y = np.repeat([0, 1, 2], [5000, 1490, 1])
    rows = subsample_rows(y, "multiclass", 600, np.random.default_rng(0))
    counts = np.bincount(y[rows], minlength=3)
    assert np.all(np.diff(rows) > 0)
    assert abs(counts.sum() - 600) <= 1
    assert abs(counts[0] - 600 * 5000 / 6491) <= 1
    assert abs(counts[1] - 600 * 1490 / 6491) <= 1
    assert counts[2] == 1
    assert subsample_rows(y, "multiclass", 10_000, np.random.default_rng(0)) is None
    regression = subsample_rows(np.linspace(0, 1, 900), "regression", 100,
                                np.random.default_rng(0))
    assert len(regression) == len(np.unique(regression)) == 100


def test_extraction_subsamples_above_max_rows():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(3000, 4))
    y = np.where(rng.random(3000) < 0.1, "rare", "common")
    values = extract_metafeatures(X, y, max_rows=400, random_state=0)
    assert values.attrs["n_rows_analysed"] == 400
    assert values["n_rows"] == 3000  # counts describe every row
    assert values["class_freq.min"] == pytest.approx(np.mean(y == "rare"))
    full = extract_metafeatures(X, y, max_rows=3000, random_state=0)
    assert full.attrs["n_rows_analysed"] == 3000
    assert values["mean.mean"] == pytest.approx(full["mean.mean"], abs=0.1)


def _recorded_landmark_shapes(monkeypatch):
    """The shape of every matrix a landmarker is cross-validated on, in order."""
    shapes = []
    cross_validate = landmarking._cross_validate

    def recording(learner, X, *args, **kwargs):
        shapes.append(X.shape)
        return cross_validate(learner, X, *args, **kwargs)

    monkeypatch.setattr(landmarking, "_cross_validate", recording)
    return shapes


@pytest.mark.parametrize(("shape", "expected"), [
    ((20_000, 20), (landmarking.MAX_LANDMARK_ROWS, 20)),
    # Wide: fewer rows down to the minimum, then a subset of the columns.
    ((3_000, 400), (landmarking.MIN_LANDMARK_ROWS, 200)),
])
def test_landmarkers_run_within_their_row_and_cell_budgets(monkeypatch, shape,
                                                           expected):
    shapes = _recorded_landmark_shapes(monkeypatch)
    rng = np.random.default_rng(0)
    X = rng.normal(size=shape)
    y = (X[:, 0] + rng.normal(size=shape[0]) > 0).astype(int)
    values = extract_metafeatures(X, y, groups="landmarking", random_state=0)
    # Every learner, quick or model, once on the same rows: the gaps compare
    # the learners, not the rows.
    assert shapes == [expected] * (len(landmarking.LEARNERS) + len(MODEL_LEARNERS))
    gaps = values.filter(like=".gap")
    assert gaps.min() == 0.0 and (gaps >= 0).all()
    assert np.prod(expected) <= landmarking.MAX_LANDMARK_CELLS


def test_wide_tables_are_analysed_within_the_cell_budget():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3_000, 400))
    values = extract_metafeatures(X, X[:, 0] > 0, groups="general", random_state=0)
    assert values.attrs["n_rows_analysed"] == MAX_CELLS // 400
    assert values["n_rows"] == 3_000


def test_small_tables_keep_their_values():
    """Below every row budget the cheaper extraction gives the values it gave
    (but for the model landmarkers and the gaps, see the file's ``_about``)."""
    path = Path(__file__).parent / "data" / "small_table_metafeatures.json"
    expected = json.loads(path.read_text())
    datasets = [Dataset(*load_wine(return_X_y=True), name="wine"),
                Dataset(*load_diabetes(return_X_y=True), name="diabetes"),
                load_penguins()]
    for dataset in datasets:
        reference = pd.Series(expected[dataset.name], dtype=float)
        values = extract_dataset_metafeatures(dataset, random_state=0)
        np.testing.assert_allclose(values[reference.index], reference, rtol=1e-9,
                                   atol=1e-12, err_msg=dataset.name)


def test_a_large_table_is_extracted_deterministically():
    rng = np.random.default_rng(5)
    X = pd.DataFrame(rng.normal(size=(20_000, 20)))
    X[3] = X[3].mask(rng.random(20_000) < 0.1)
    X[4] = pd.Series(rng.choice(["a", "b", "c"], size=20_000))
    y = np.where(X[0] + rng.normal(size=20_000) > 0, "yes", "no")
    first = extract_metafeatures(X, y, random_state=3)
    again = extract_metafeatures(X, y, random_state=3)
    pd.testing.assert_series_equal(_without_timings(first), _without_timings(again))
    other = extract_metafeatures(X, y, random_state=4)  # other subsamples
    assert not _without_timings(other).equals(_without_timings(first))
    assert first.attrs["n_rows_analysed"] == 10_000


# -- determinism and the transformer ---------------------------------------


def test_same_random_state_same_values(iris):
    first = extract_metafeatures(*iris, random_state=7)
    second = extract_metafeatures(*iris, random_state=7)
    pd.testing.assert_series_equal(_without_timings(first), _without_timings(second))


def _collection():
    X, y = load_iris(return_X_y=True)
    Xw, yw = load_wine(return_X_y=True)
    Xd, yd = load_diabetes(return_X_y=True)
    return [Dataset(X, y, name="iris"), Dataset(Xw, yw, name="wine"),
            Dataset(Xd, yd, name="diabetes"), load_penguins()]


def test_extractor_table_and_parallel_determinism():
    datasets = _collection()
    serial = MetaFeatureExtractor(n_jobs=1, random_state=0).fit_transform(datasets)
    parallel = MetaFeatureExtractor(n_jobs=2, random_state=0).fit_transform(datasets)
    timings = [c for c in serial.columns if c.endswith(".fit_seconds")]
    pd.testing.assert_frame_equal(serial.drop(columns=timings),
                                  parallel.drop(columns=timings))
    assert serial.index.tolist() == ["iris", "wine", "diabetes", "penguins"]
    assert serial.columns.tolist() == all_names()
    assert np.isnan(serial.loc["diabetes", "n_classes"])
    assert np.isnan(serial.loc["iris", "target_entropy"])
    single = extract_dataset_metafeatures(datasets[1], random_state=0)
    pd.testing.assert_series_equal(
        _without_timings(single), _without_timings(serial.loc["wine", single.index]),
        check_names=False,
    )


def test_extractor_columns_follow_the_tasks_seen_in_fit(iris):
    extractor = MetaFeatureExtractor(groups="general").fit([iris])
    assert extractor.tasks_ == ["multiclass"]
    names = extractor.get_feature_names_out()
    assert names.tolist() == metafeature_names("multiclass", "general")
    table = extractor.transform([load_diabetes(return_X_y=True)])
    assert table.columns.tolist() == names.tolist()
    assert table.index.tolist() == ["dataset_0"]
    assert table.loc["dataset_0", "n_rows"] == 442


def test_extractor_follows_the_estimator_contract(iris):
    extractor = MetaFeatureExtractor(groups=["general", "landmarking"], max_rows=500,
                                     landmarking_folds=4, random_state=1)
    assert extractor.get_params()["landmarking_folds"] == 4
    copy = clone(extractor)
    assert copy.get_params() == extractor.get_params()
    copy.set_params(max_rows=-1, groups="nonsense")  # stored, not validated
    with pytest.raises(ValueError, match="unknown meta-feature groups"):
        copy.fit([iris])
    with pytest.raises(NotFittedError):
        extractor.transform([iris])
    table = extractor.fit_transform([iris])
    restored = pickle.loads(pickle.dumps(extractor))
    again = restored.transform([iris])
    timings = [c for c in table.columns if c.endswith(".fit_seconds")]
    pd.testing.assert_frame_equal(table.drop(columns=timings),
                                  again.drop(columns=timings))
    np.testing.assert_array_equal(restored.get_feature_names_out(), table.columns)


@pytest.mark.parametrize("params, message", [
    ({"max_rows": 1}, "max_rows"),
    ({"landmarking_folds": 1}, "landmarking_folds"),
    ({"landmarking_folds": 2.5}, "landmarking_folds"),
])
def test_invalid_parameters(iris, params, message):
    with pytest.raises(ValueError, match=message):
        MetaFeatureExtractor(**params).fit([iris])
    with pytest.raises(ValueError, match=message):
        extract_metafeatures(*iris, **params)


# -- bad input --------------------------------------------------------------


@pytest.mark.parametrize("X, y, message", [
    (np.empty((0, 3)), [], "empty"),
    (np.ones((4, 2)), [0, 1, 0], "inconsistent lengths"),
    (np.ones((3, 2)), [np.nan] * 3, "all missing"),
    (np.ones((1, 2)), [1], "single row"),
    (np.array([[1.0, np.inf], [2.0, 3.0], [3.0, 1.0]]), [0, 1, 0], "infinite"),
    (np.ones((3, 2)), [1, 1, 1], "single class"),
])
def test_bad_input_raises_a_value_error_naming_the_problem(X, y, message):
    with pytest.raises(ValueError, match=message):
        extract_metafeatures(X, y)


# -- hand-computed values ------------------------------------------------------


def test_general_values_by_hand():
    y = np.array(["a"] * 6 + ["b"] * 3 + ["c"] * 1)
    X = np.column_stack([np.arange(10.0), np.arange(10) % 2])
    values = extract_metafeatures(X, y, groups="general")
    shares = np.array([0.6, 0.3, 0.1])
    entropy = -np.sum(shares * np.log2(shares))
    assert values["class_entropy"] == pytest.approx(entropy)
    assert values["class_balance"] == pytest.approx(entropy / np.log2(3))
    assert values["imbalance_ratio"] == 6.0
    assert values["class_freq.sd"] == pytest.approx(shares.std(ddof=1))
    assert values["n_binary"] == 1
    assert values["log_dimensionality"] == pytest.approx(np.log(2 / 10))


def test_statistical_values_by_hand():
    X, y = load_iris(return_X_y=True)
    values = extract_metafeatures(X, y, groups="statistical")
    kurt = (scipy.stats.kurtosis(X, axis=0) + 3) * (149 / 150) ** 2 - 3
    assert values["kurtosis.q75"] == pytest.approx(np.percentile(kurt, 75))
    q1, q3 = np.percentile(X, [25, 75], axis=0)
    outside = (X < q1 - 1.5 * (q3 - q1)) | (X > q3 + 1.5 * (q3 - q1))
    assert values["outlier_fraction.max"] == pytest.approx(outside.mean(axis=0).max())
    normal = [scipy.stats.jarque_bera(column).pvalue > 0.05 for column in X.T]
    assert values["normal_fraction"] == pytest.approx(np.mean(normal))


def test_canonical_correlation_is_the_multiple_correlation_for_two_targets():
    X, y = load_breast_cancer(return_X_y=True)
    values = extract_metafeatures(X, y, groups="statistical")
    r2 = LinearRegression().fit(X, y).score(X, y)
    assert values["can_cor.max"] == pytest.approx(np.sqrt(r2), rel=1e-8)
    assert values["wilks_lambda"] == pytest.approx(1 - r2, rel=1e-8)
    Xd, yd = load_diabetes(return_X_y=True)
    regression = extract_metafeatures(Xd, yd, groups="statistical")
    assert regression["can_cor.max"] == pytest.approx(
        np.sqrt(LinearRegression().fit(Xd, yd).score(Xd, yd)), rel=1e-8)
    target_cor = [abs(np.corrcoef(column, yd)[0, 1]) for column in Xd.T]
    assert regression["target_abs_cor.median"] == pytest.approx(np.median(target_cor))


def test_pca_values_by_hand():
    X, y = load_wine(return_X_y=True)
    values = extract_metafeatures(X, y, groups="complexity")
    standardized = (X - X.mean(axis=0)) / X.std(axis=0)
    pca = PCA(n_components=0.95).fit(standardized)
    assert values["pca.n_components_95"] == pca.n_components_
    assert values["pca.first_explained_variance"] == pytest.approx(
        pca.explained_variance_ratio_[0])
    first = pca.transform(standardized)[:, 0]
    skew = abs(scipy.stats.skew(first)) * (177 / 178) ** 1.5
    assert abs(values["pca.first_component_skewness"]) == pytest.approx(skew)


def test_landmark_scores_match_scikit_learn_with_the_same_folds():
    X, y = load_breast_cancer(return_X_y=True)
    values = extract_metafeatures(X, y, groups="landmarking", landmarking_folds=4,
                                  random_state=5)
    standardized = (X - X.mean(axis=0)) / X.std(axis=0)
    folds, _ = fold_ids(y, "binary", 4, np.random.default_rng(
        _group_seed(5, "landmarking")))
    for name, model in [("1nn", KNeighborsClassifier(1)), ("naive_bayes", GaussianNB()),
                        ("ridge", RidgeClassifier(1.0)),
                        ("stump", DecisionTreeClassifier(max_depth=1))]:
        prediction = np.empty_like(y)
        for fold in range(4):
            test = folds == fold
            prediction[test] = model.fit(standardized[~test], y[~test]).predict(
                standardized[test])
        accuracy = np.mean(prediction == y)
        assert values[f"lm_{name}.score"] == pytest.approx(accuracy), name
        assert values[f"lm_{name}.fit_seconds"] > 0


def _cross_validated(model, X, y, folds):
    prediction = np.empty_like(y)
    for fold in np.unique(folds):
        test = folds == fold
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            prediction[test] = clone(model).fit(X[~test], y[~test]).predict(X[test])
    return prediction


def _seed_like_the_extractor(model, rng):
    if "random_state" in model.get_params():
        model.set_params(random_state=int(rng.integers(2**31 - 1)))
    return model


@pytest.mark.parametrize("loader", [load_breast_cancer, load_wine])
def test_model_landmarks_cross_validate_scikit_learn_models(loader):
    X, y = loader(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)  # as the encoded matrix
    X, y = X[:MAX_LANDMARK_ROWS], y[:MAX_LANDMARK_ROWS]  # no subsample
    task = "binary" if len(np.unique(y)) == 2 else "multiclass"
    values = model_landmarks(X, y, task, np.random.default_rng(0), n_folds=3)
    rng = np.random.default_rng(0)
    folds, _ = fold_ids(y, task, 3, rng)
    # Two classes: solved exactly by Newton's method, so against a tight lbfgs.
    logistic = (LogisticRegression(tol=1e-10, max_iter=10_000) if task == "binary"
                else LogisticRegression(max_iter=300))
    models = [("knn", KNeighborsClassifier(5)), ("logistic_regression", logistic),
              ("extra_trees", _seed_like_the_extractor(ExtraTreesClassifier(5), rng))]
    for name, model in models:
        accuracy = np.mean(_cross_validated(model, X, y, folds) == y)
        assert values[f"lm_{name}.score"] == pytest.approx(accuracy), name
        assert values[f"lm_{name}.fit_seconds"] > 0
    # The RBF SVM's stand-in scores about as the SVM does.
    svm = np.mean(_cross_validated(SVC(), X, y, folds) == y)
    assert values["lm_svm_rbf.score"] == pytest.approx(svm, abs=0.03)
    assert set(values) == {f"lm_{name}.{kind}" for name in MODEL_LEARNERS
                           for kind in ("score", "fit_seconds")}


def test_regression_model_landmarks_score_the_standardized_target():
    X, y = load_diabetes(return_X_y=True)
    values = model_landmarks(X, y, "regression", np.random.default_rng(1))
    rng = np.random.default_rng(1)
    folds, _ = fold_ids(y, "regression", 3, rng)
    z = (y - y.mean()) / y.std()
    for name, model in [("knn", KNeighborsRegressor(5)),
                        ("extra_trees", ExtraTreesRegressor(5))]:
        prediction = _cross_validated(_seed_like_the_extractor(model, rng), X, z, folds)
        r2 = 1 - np.sum((z - prediction) ** 2) / np.sum((z - z.mean()) ** 2)
        assert values[f"lm_{name}.score"] == pytest.approx(r2), name
    assert "lm_logistic_regression.score" not in values
    # The target's units do not matter (forests can break ties differently).
    rescaled = model_landmarks(X, y * 1000.0, "regression", np.random.default_rng(1))
    for name in ("knn", "svm_rbf"):
        assert rescaled[f"lm_{name}.score"] == pytest.approx(values[f"lm_{name}.score"])


def test_fold_splits_are_shared_read_only_parts_of_the_folds():
    X = np.arange(40.0).reshape(10, 4)
    folds, n_folds = fold_ids(np.arange(10) % 2, "binary", 3, np.random.default_rng(0))
    splits = fold_splits(X, folds, n_folds)
    assert len(splits) == n_folds == 3
    for fold, (test, X_train, X_test) in enumerate(splits):
        np.testing.assert_array_equal(test, folds == fold)
        np.testing.assert_array_equal(X_train, X[folds != fold])
        np.testing.assert_array_equal(X_test, X[folds == fold])
        with pytest.raises(ValueError, match="read-only"):
            X_train[0, 0] = 1.0  # the next landmarker gets the same rows


def test_landmark_gaps_measure_the_distance_to_the_best_landmarker():
    X, y = load_wine(return_X_y=True)
    values = extract_metafeatures(X, y, groups="landmarking", random_state=0)
    scores = values.filter(like=".score")
    gaps = values.filter(like=".gap")
    assert len(gaps) == len(scores) == len(LEARNERS_FOR_CLASSIFICATION)
    np.testing.assert_allclose(gaps.to_numpy(), scores.max() - scores.to_numpy())
    assert gaps.min() == 0.0


def test_a_model_landmarker_that_cannot_fit_is_nan():
    X = np.arange(10.0).reshape(5, 2) ** 1.5
    values = extract_metafeatures(X, np.arange(5) % 2, random_state=0)
    assert np.isnan(values["lm_knn.score"])  # 5 neighbours, 3 training rows
    assert np.isnan(values["lm_knn.gap"])
    assert not np.isnan(values["lm_1nn.score"])


def _group_seed(random_state, group):
    from skmeta.metafeatures._extract import _seeds
    return _seeds(random_state)[1][group]


@pytest.mark.parametrize("loader", [load_iris, load_wine, load_diabetes])
def test_learners_predict_as_scikit_learn(loader):
    X, y = loader(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    task = "regression" if loader is load_diabetes else "multiclass"
    folds, n_folds = fold_ids(y, task, 3, np.random.default_rng(0))
    five_nn = functools.partial(_learners.nearest_neighbours, k=5)
    if task == "regression":
        pairs = [(_learners.nearest_neighbour, [KNeighborsRegressor(1)]),
                 (five_nn, [KNeighborsRegressor(5)]),
                 (_learners.decision_stump, [DecisionTreeRegressor(max_depth=1)]),
                 (_learners.ridge, [Ridge(1.0)])]
    else:
        pairs = [(_learners.nearest_neighbour, [KNeighborsClassifier(1)]),
                 (five_nn, [KNeighborsClassifier(5)]),
                 (_learners.naive_bayes, [GaussianNB()]),
                 (_learners.ridge, [RidgeClassifier(1.0)])]
    # scikit-learn breaks ties between equally good splits at random: ours must
    # be one of its trees.
    tree = DecisionTreeRegressor if task == "regression" else DecisionTreeClassifier
    pairs.append((_learners.decision_tree,
                  [tree(max_depth=3, random_state=seed) for seed in range(10)]))
    for learner, models in pairs:
        ours = np.empty(len(y))
        theirs = np.empty((len(models), len(y)))
        for fold in range(n_folds):
            test = folds == fold
            ours[test] = learner(X[~test], y[~test], X[test], task)
            for i, model in enumerate(models):
                theirs[i, test] = model.fit(X[~test], y[~test]).predict(X[test])
        same = np.isclose(theirs, ours, rtol=1e-9, atol=1e-9).all(axis=1)
        assert same.any(), models[0]


@pytest.mark.parametrize("loader", [load_wine, load_diabetes])
def test_rbf_svm_is_a_linear_model_on_scikit_learns_nystroem_features(loader):
    X, y = loader(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    task = "regression" if loader is load_diabetes else "multiclass"
    if task == "regression":
        y = (y - y.mean()) / y.std()  # as the model landmarkers' target
    train = np.arange(len(y)) % 3 != 0
    # Every training row a centre: the map is exact whichever rows are drawn,
    # and the linear models do not depend on the basis of the features.
    n_train = int(train.sum())
    ours = _learners.rbf_svm(X[train], y[train], X[~train], task, n_components=n_train)
    gamma = 1.0 / (X.shape[1] * X[train].var())
    features = Nystroem(gamma=gamma, n_components=n_train, random_state=0)
    if task == "regression":
        linear = LinearSVR(epsilon=0.1, C=1.0, loss="epsilon_insensitive",
                           max_iter=100_000, tol=1e-8, random_state=0)
    else:
        linear = RidgeClassifier(1.0)
    theirs = make_pipeline(features, linear).fit(X[train], y[train]).predict(X[~train])
    if task == "regression":  # liblinear stops after 200 passes
        np.testing.assert_allclose(ours, theirs, atol=0.05)
    else:
        np.testing.assert_array_equal(ours, theirs)


def test_logistic_regression_is_scikit_learns_solved_exactly():
    X, y = load_breast_cancer(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    train = np.arange(len(y)) % 3 != 0
    ours = _learners.logistic_regression(X[train], y[train], X[~train], "binary")
    exact = LogisticRegression(tol=1e-10, max_iter=10_000).fit(X[train], y[train])
    np.testing.assert_array_equal(ours, exact.predict(X[~train]))
    labels = np.where(y == 1, "yes", "no")  # any two labels
    np.testing.assert_array_equal(
        _learners.logistic_regression(X[train], labels[train], X[~train], "binary"),
        np.where(ours == 1, "yes", "no"))
    with pytest.raises(ValueError, match="two classes"):
        _learners.logistic_regression(X, np.arange(len(y)) % 3, X, "multiclass")


@pytest.mark.parametrize("loader", [load_wine, load_breast_cancer, load_diabetes])
def test_extra_trees_are_scikit_learns_forest(loader):
    X, y = loader(return_X_y=True)
    task = "regression" if loader is load_diabetes else "multiclass"
    forest = ExtraTreesRegressor if task == "regression" else ExtraTreesClassifier
    train = np.arange(len(y)) % 3 != 0
    if task != "regression":
        train &= y != 0  # a class the training rows lack
    for seed in (0, 12345):
        theirs = forest(5, random_state=seed).fit(X[train], y[train]).predict(X)
        ours = _learners.extra_trees(X[train], y[train], X, task, seed=seed)
        np.testing.assert_array_equal(ours, theirs)
        assert ours.dtype == theirs.dtype


@pytest.mark.parametrize("loader", [load_wine, load_iris])
def test_multinomial_logistic_regression_is_scikit_learns(loader):
    X, y = loader(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    train = np.arange(len(y)) % 3 != 0
    theirs = LogisticRegression(max_iter=300).fit(X[train], y[train])
    # Not a tight solver: the same lbfgs path, so the same predictions everywhere,
    # including the rows that a converged fit would classify otherwise.
    ours = _learners.multinomial_logistic_regression(X[train], y[train], X,
                                                     "multiclass")
    np.testing.assert_array_equal(ours, theirs.predict(X))
    names = np.array(["a", "b", "c"])  # any labels
    np.testing.assert_array_equal(
        _learners.multinomial_logistic_regression(X[train], names[y[train]], X,
                                                  "multiclass"), names[ours])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn's ConvergenceWarning
        early = LogisticRegression(max_iter=2).fit(X[train], y[train])
        np.testing.assert_array_equal(
            _learners.multinomial_logistic_regression(X[train], y[train], X,
                                                      "multiclass", max_iter=2),
            early.predict(X))
    with pytest.raises(ValueError, match="two classes"):
        _learners.multinomial_logistic_regression(X, np.zeros(len(y)), X, "multiclass")


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 8, 13, 100, 4950])
def test_summaries_are_numpys_statistics(n):
    rng = np.random.default_rng(n)
    for scale in (1e-6, 1.0, 1e6):
        values = rng.standard_cauchy(n) * scale
        values[::3] = np.round(values[::3])  # ties
        with_undefined = rng.permutation(np.concatenate([values, [np.nan, np.inf]]))
        summary = summarize("x", with_undefined)
        values = with_undefined[np.isfinite(with_undefined)]  # in that order
        quartiles = np.percentile(values, [0, 25, 50, 75, 100])
        expected = [values.mean(), values.std(ddof=1) if n > 1 else np.nan, *quartiles]
        # Bit for bit: summaries are meta-features of the stored knowledge base.
        np.testing.assert_array_equal([summary[f"x.{s}"] for s in SUMMARIES],
                                      expected)


def test_nearest_neighbours_need_k_training_rows():
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match="5 neighbours"):
        _learners.nearest_neighbours(X, np.arange(4) % 2, X, "binary", k=5)


def test_info_theory_values_by_hand():
    X = np.column_stack([np.repeat([0.0, 1.0], 32), np.tile([0.0, 1.0], 32)])
    y = np.repeat([0, 1], 32)  # the first feature is the class, the second noise
    values = extract_metafeatures(X, y, groups="info_theory")
    assert values["attr_entropy.mean"] == pytest.approx(1.0)
    assert values["mutual_info.max"] == pytest.approx(1.0)
    assert values["mutual_info.min"] == pytest.approx(0.0, abs=1e-12)
    assert values["joint_entropy.max"] == pytest.approx(2.0)
    assert values["equivalent_n_features"] == pytest.approx(1 / 0.5)
    assert values["noise_signal_ratio"] == pytest.approx((2 - 1) / 1)


def test_complexity_values_by_hand():
    X = np.array([[0.0, 0.0], [1.0, 5.0], [2.0, 1.0], [3.0, 4.0]])
    y = np.array([0, 0, 1, 1])
    values = extract_metafeatures(X, y, groups="complexity")
    # Feature 0 separates the classes: class ranges [0, 1] and [2, 3].
    assert values["f3.max"] == 0.0
    assert values["f2.max"] == 0.0
    between = 2 * (0.5 - 1.5) ** 2 + 2 * (2.5 - 1.5) ** 2
    within = 4 * 0.25
    assert values["f1.min"] == pytest.approx(1 / (1 + between / within))


def test_a_learners_metafeatures_of_a_checked_dataset_are_those_of_its_raw_data():
    # MetaLearner.metafeatures_of takes the Dataset fit has already checked,
    # without checking it again: the values must be those of the raw data.
    from skmeta import MetaLearner
    from skmeta.datasets import Dataset

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=300), "b": rng.integers(0, 5, 300).astype(float),
                      "colour": rng.choice(["red", "green", None], 300)})
    X.loc[::7, "a"] = np.nan
    y = X["b"].to_numpy() + rng.normal(size=300)
    learner = MetaLearner(random_state=0)
    ours = learner.metafeatures_of(Dataset(X, y, task="regression"))
    raw = extract_metafeatures(X, y, task="regression", max_rows=learner.max_rows_metafeatures,
                               random_state=0)
    timings = [name for name in raw.index if name.endswith(".fit_seconds")]
    pd.testing.assert_series_equal(ours.drop(timings), raw.drop(timings), check_names=False)
