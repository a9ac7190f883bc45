import gzip

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_diabetes, load_iris

from skmeta.datasets import (
    Dataset,
    as_datasets,
    infer_task,
    load_csv,
    load_folder,
    load_penguins,
)


@pytest.mark.parametrize(
    "y, task",
    [
        ([0, 1, 1, 0], "binary"),
        (["yes", "no", "no"], "binary"),
        ([True, False, True], "binary"),
        ([0, 1, 2, 3], "multiclass"),
        (pd.Series(["a", "b", "c"], dtype="category"), "multiclass"),
        ([0.5, 1.0, 2.25], "regression"),
        (np.arange(100), "regression"),  # many distinct integers: counts, ages
    ],
)
def test_infer_task(y, task):
    assert infer_task(y) == task


def test_dataset_from_numpy_names_columns():
    X, y = load_iris(return_X_y=True)
    data = Dataset(X, y, name="iris")
    assert list(data.X.columns) == ["x0", "x1", "x2", "x3"]
    assert data.task == "multiclass"
    assert data.y.shape == (150,)


def test_dataset_keeps_dataframe_dtypes_and_missing_values():
    data = load_penguins()
    assert data.task == "multiclass"
    assert data.X["island"].dtype != float
    assert data.X.isna().any().any()


def test_sparse_input_is_kept_sparse():
    X = sp.random(50, 8, density=0.2, random_state=0, format="coo")
    data = Dataset(X, np.arange(50) % 2)
    assert sp.issparse(data.X) and data.X.format == "csr"


def test_fingerprint_depends_on_content_only():
    X, y = load_iris(return_X_y=True)
    a = Dataset(X, y, name="a")
    b = Dataset(X.copy(), y.copy(), name="b")
    assert a.fingerprint == b.fingerprint
    X2 = X.copy()
    X2[0, 0] += 1
    assert Dataset(X2, y).fingerprint != a.fingerprint


@pytest.mark.parametrize(
    "X, y, message",
    [
        (np.empty((0, 3)), [], "X is empty"),
        (np.empty((5, 0)), [0, 1, 0, 1, 0], "X is empty"),
        (np.ones((5, 2)), [0, 1, 0], "inconsistent lengths"),
        (np.ones((3, 2)), [np.nan, np.nan, np.nan], "all missing"),
        (np.ones((3, 2)), [0.0, np.nan, 1.0], "missing values"),
        (np.ones((1, 2)), [1], "single row"),
        (np.array([[1.0, np.inf], [2.0, 3.0]]), [0, 1], "infinite values"),
        (np.ones((4, 2)), [1, 1, 1, 1], "single class"),
        (np.ones(4), [0, 1, 0, 1], "2-dimensional"),
        (pd.DataFrame([[1, 2], [3, 4]], columns=["a", "a"]), [0, 1], "duplicate column"),
    ],
)
def test_bad_input_names_the_problem(X, y, message):
    with pytest.raises(ValueError, match=message):
        Dataset(X, y)


def test_bad_task_and_type():
    with pytest.raises(ValueError, match="task must be one of"):
        Dataset(np.ones((4, 1)), [0, 1, 0, 1], task="ranking")
    with pytest.raises(ValueError, match="not numeric"):
        Dataset(np.ones((4, 1)), ["a", "b", "a", "b"], task="regression")
    with pytest.raises(TypeError, match="array-like"):
        Dataset("not data", [0, 1])


def test_load_csv_and_folder(tmp_path):
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    frame = X.assign(target=y)
    frame.iloc[:40].to_csv(tmp_path / "one.csv", index=False)
    with gzip.open(tmp_path / "two.csv.gz", "wt") as f:
        frame.iloc[40:90].to_csv(f, index=False)
    (tmp_path / "notes.txt").write_text("not a dataset")

    data = load_csv(tmp_path / "one.csv")
    assert data.name == "one" and data.task == "regression" and data.n_samples == 40
    datasets = load_folder(tmp_path)
    assert [d.name for d in datasets] == ["one", "two"]
    assert datasets[1].n_samples == 50


def test_load_csv_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_csv(tmp_path / "missing.csv")
    path = tmp_path / "data.csv"
    path.write_text("a,b\n1,2\n3,4\n")
    with pytest.raises(ValueError, match="target column 'target' is not in data.csv"):
        load_csv(path)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(ValueError, match="cannot read"):
        load_csv(empty, target="a")
    with pytest.raises(ValueError, match="no CSV files"):
        load_folder(tmp_path / ".." / tmp_path.name, pattern="*.parquet")


def test_as_datasets():
    X, y = load_iris(return_X_y=True)
    datasets = as_datasets([(X, y), Dataset(X[:60], y[:60], name="head")])
    assert [d.name for d in datasets] == ["dataset_0", "head"]
    with pytest.raises(TypeError, match="single"):
        as_datasets((X, y))
    with pytest.raises(ValueError, match="empty"):
        as_datasets([])
    with pytest.raises(ValueError, match="unique"):
        as_datasets([Dataset(X, y, name="a"), Dataset(X, y, name="a")])
    with pytest.raises(TypeError, match="item 0"):
        as_datasets([X])
