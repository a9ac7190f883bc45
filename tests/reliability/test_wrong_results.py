"""Regression tests of inputs that used to give wrong results or lose work.

One test (or a few) per defect of issue 15, items 1-7; each fails on the
code before its fix.
"""

import numpy as np
import pandas as pd
import pytest

from skmeta import Dataset, MetaClassifier
from skmeta.datasets import check_features

from .helpers import classification_data


def _classifier(learner, **params):
    params = {"knowledge_base": learner, "n_evaluations": 2, "cv": 2,
              "ensemble_size": 1, "random_state": 0, **params}
    return MetaClassifier(**params)


# -- 1. a missing label is refused whatever the container --------------------------

def _labels_with_nan(y):
    labels = np.where(y == 1, "a", "b").astype(object)
    labels[3] = np.nan
    return labels


@pytest.mark.parametrize("container", [
    "list", "numpy <U array", "object array", "Series", "list with None",
])
def test_missing_labels_are_refused_in_any_container(learner, container):
    X, y = classification_data()
    labels = _labels_with_nan(y)
    given = {
        "list": labels.tolist(),
        "numpy <U array": np.array(labels.tolist()),  # np.nan becomes 'nan'
        "object array": labels,
        "Series": pd.Series(labels),
        "list with None": [None if v is np.nan else v for v in labels.tolist()],
    }[container]
    with pytest.raises(ValueError, match=r"missing|'nan'"):
        _classifier(learner).fit(X, given)


def test_labels_mixing_numbers_and_strings_are_named(learner):
    X, y = classification_data()
    labels = np.array([1 if v else "b" for v in y], dtype=object)  # ints and strings
    with pytest.raises(ValueError, match=r"y mixes numbers and strings .*astype\(str\)"):
        _classifier(learner).fit(X, labels)


# -- 2. numbers written as text are numbers, at fit and at predict -------------------

def test_numbers_as_text_are_numbers_at_fit_and_predict(learner):
    X, y = classification_data()
    as_text = [[repr(float(v)) for v in row] for row in X.to_numpy()]
    from_text = _classifier(learner).fit(as_text, y)
    from_numbers = _classifier(learner).fit(X.to_numpy(), y)
    # The same values, the same search: before, text columns were categories
    # at fit (best_score_ 0.5) and numbers at predict.
    assert from_text.best_score_ == pytest.approx(from_numbers.best_score_)
    assert from_text.best_strategy_ == from_numbers.best_strategy_
    np.testing.assert_array_equal(from_text.predict(as_text),
                                  from_numbers.predict(X.to_numpy()))
    np.testing.assert_array_equal(from_text.predict(as_text),
                                  from_text.predict(X.to_numpy()))


def test_an_object_column_of_numeric_strings_is_numeric(learner):
    X, y = classification_data()
    text = X.assign(f1=X["f1"].map(lambda v: f"{v:.6f}").astype(object))
    fitted = _classifier(learner).fit(text, y)
    assert "f1" in fitted._numeric_columns
    assert fitted.best_score_ == pytest.approx(
        _classifier(learner).fit(X.assign(f1=X["f1"].round(6)), y).best_score_)
    np.testing.assert_array_equal(fitted.predict(text),
                                  fitted.predict(X.assign(f1=X["f1"].round(6))))


def test_the_text_rule_in_check_features():
    frame = pd.DataFrame({
        "numbers": ["1.5", "2", None, " 3 ", "1e3"],
        "words": ["1", "a", "2", "3", "4"],  # one word: categorical
        "category": pd.Series(["1", "2", "1", "2", "1"], dtype="category"),
        "mixed": pd.Series([1, "2.5", 3.0, None, "4"], dtype=object),
    })
    checked = check_features(frame)
    assert checked["numbers"].dtype == np.float64
    assert checked["numbers"].tolist()[:2] == [1.5, 2.0]
    assert np.isnan(checked["numbers"].iloc[2])
    assert checked["mixed"].dtype == np.float64
    assert not pd.api.types.is_numeric_dtype(checked["words"])
    assert isinstance(checked["category"].dtype, pd.CategoricalDtype)
    assert not pd.api.types.is_numeric_dtype(frame["numbers"])  # the caller's frame is not changed
    # Dataset (meta-training, load_csv) follows the same rule.
    assert Dataset(frame, [0, 1, 0, 1, 0]).X["numbers"].dtype == np.float64
