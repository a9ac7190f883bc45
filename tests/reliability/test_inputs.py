"""Inputs to fit and predict that used to give silent wrong results.

Columns are matched by name whenever ``fit`` saw names, whatever their type;
sample weights are normalised so that uniform weights are no weights, and
weights that leave nothing to learn are refused; class labels that are
unambiguous are accepted whatever holds them; the adjuster's softmax stays a
probability distribution for any setting its constraints accept.
"""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from skmeta import Dataset, KnowledgeBase, MetaClassifier, MetaRegressor
from skmeta.adjust import AdjusterSettings, StrategyAdjuster
from skmeta.adjust.policy import SoftmaxPolicy, softmax
from skmeta.knowledge import WEIGHTED_CV_SUFFIX
from skmeta.strategies import default_portfolio

from .helpers import classification_data, regression_data, search_params

#: Column names of each kind a fit accepts: strings, integers, tuples, and
#: a mix of non-string types.
NAMES = {
    "str": ["f0", "f1", "f2", "f3", "f4"],
    "int": [0, 1, 2, 3, 4],
    "tuple": [("a", 0), ("a", 1), ("b", 0), ("b", 1), ("c", 0)],
    "mixed": [10, ("a", 1), 2.5, -1, (0, "z")],
}


def _estimator(kind, learner, **params):
    cls = MetaClassifier if kind == "classifier" else MetaRegressor
    params = {"n_evaluations": 2, "cv": 2, "random_state": 0, **params}
    return cls(**search_params(learner, params))


def _data(kind, names):
    X, y = (classification_data if kind == "classifier" else regression_data)(120)
    return X.set_axis(NAMES[names], axis=1), y


@pytest.fixture(scope="module")
def fitted(learner):
    """(kind, names) -> (estimator, X, y), fitted once per module."""
    cache = {}

    def get(kind, names):
        if (kind, names) not in cache:
            X, y = _data(kind, names)
            cache[kind, names] = (_estimator(kind, learner).fit(X, y), X, y)
        return cache[kind, names]
    return get


# -- columns are matched by name -------------------------------------------------------

def _outputs(model, X, y):
    """Everything a fitted model computes from X, by method name."""
    methods = ["predict", "predict_proba", "decision_function"]
    outputs = {m: getattr(model, m)(X) for m in methods if hasattr(model, m)}
    outputs["score"] = model.score(X, y)
    return outputs


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
@pytest.mark.parametrize("names", list(NAMES))
def test_reordered_columns_are_matched_by_name(fitted, kind, names):
    model, X, y = fitted(kind, names)
    expected = _outputs(model, X, y)
    shuffled = X[[X.columns[i] for i in (3, 0, 4, 2, 1)]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no feature-name warning either
        got = _outputs(model, shuffled, y)
    for method, values in expected.items():
        np.testing.assert_array_equal(got[method], values, err_msg=method)


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
@pytest.mark.parametrize("names", ["int", "tuple", "mixed"])
def test_columns_that_do_not_match_by_name_are_refused(fitted, kind, names):
    model, X, y = fitted(kind, names)
    first, last = X.columns[0], X.columns[-1]
    renamed = X.set_axis([77, *X.columns[1:]], axis=1)
    for method in ("predict", "score"):
        call = getattr(model, method)
        args = (y,) if method == "score" else ()
        with pytest.raises(ValueError, match=(
                rf"X lacks column\(s\) \[{_re(first)}\] seen at fit and has column\(s\) "
                r"\[77\] not seen at fit; pass the columns the model was fitted "
                r"on \(in any order\)")):
            call(renamed, *args)
    with pytest.raises(ValueError, match=rf"X lacks column\(s\) \[{_re(last)}\] seen "
                                         r"at fit; pass"):
        model.predict(X.drop(columns=[last]))
    with pytest.raises(ValueError, match=r"has column\(s\) \[99\] not seen at fit"):
        model.predict(pd.concat([X, pd.DataFrame({99: np.zeros(len(X))})], axis=1))


def _re(name):
    """A column name as the error shows it, as a regular expression."""
    return re.escape(repr(name.item() if isinstance(name, np.generic) else name))


def test_an_array_after_integer_names_is_taken_by_position(fitted):
    model, X, y = fitted("classifier", "int")
    np.testing.assert_array_equal(model.predict(X.to_numpy()), model.predict(X))


# -- sample weights --------------------------------------------------------------------

def _fit_classifier(learner, X, y, sample_weight=None, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no overflow on the way
        return _estimator("classifier", learner, **params).fit(
            X, y, sample_weight=sample_weight)


def _same_fit(first, second, X, rtol=0.0):
    """The same search and model (to rounding of the weights, with ``rtol``)."""
    pd.testing.assert_frame_equal(first.trace_[["strategy", "score"]],
                                  second.trace_[["strategy", "score"]],
                                  check_exact=not rtol, rtol=rtol)
    np.testing.assert_allclose(first.predict_proba(X), second.predict_proba(X),
                               rtol=rtol, atol=0)


@pytest.mark.parametrize("value", [1e308, 1e-300, 5e-324, 7.0])
def test_uniform_weights_are_no_weights(learner, value):
    X, y = classification_data(120)
    plain = _fit_classifier(learner, X, y)
    weighted = _fit_classifier(learner, X, y, np.full(len(y), value))
    _same_fit(weighted, plain, X)
    assert weighted.best_score_ > 0.6


def test_weights_are_scale_free(learner):
    X, y = classification_data(120)
    weights = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    reference = _fit_classifier(learner, X, y, weights)
    for scale in (1e300, 1e-300):
        _same_fit(_fit_classifier(learner, X, y, weights * scale), reference, X,
                  rtol=1e-9)


def test_a_class_without_weight_is_refused(learner):
    X, y = classification_data(120)
    labels = np.where(y == 1, "yes", "no")
    weights = np.where(labels == "yes", 0.0, 1.0)
    message = (r"sample_weight is zero on every row of class 'yes' \(\d+ rows\), so "
               r"no model can learn it; give those rows a positive weight, or drop them")
    with pytest.raises(ValueError, match=message):
        _fit_classifier(learner, X, labels, weights)
    with pytest.raises(ValueError, match=message):
        Dataset(X, labels, sample_weight=weights)


def test_weights_on_a_single_row_are_refused(learner):
    X, y = regression_data(60)
    weights = np.zeros(len(y))
    weights[7] = 3.0
    message = r"sample_weight is non-zero on a single row \(row 7\)"
    with pytest.raises(ValueError, match=message):
        _estimator("regressor", learner).fit(X, y, sample_weight=weights)
    with pytest.raises(ValueError, match=message):
        Dataset(X, y, sample_weight=weights)


@pytest.mark.filterwarnings("ignore:the knowledge base has no classification")
def test_uniform_weights_are_stored_as_unweighted_experience(learner, tmp_path):
    X, y = classification_data(120)
    kb = tmp_path / "kb.sqlite"
    _fit_classifier(learner, X, y, np.full(len(y), 1e-300), knowledge_base=str(kb),
                    update_knowledge=True, portfolio=["logistic_regression"])
    stored = KnowledgeBase(kb).evaluations()
    assert len(stored) and np.isfinite(stored["score"]).all()
    assert not stored["cv"].str.endswith(WEIGHTED_CV_SUFFIX).any()
    assert Dataset(X, y, sample_weight=np.full(len(y), 1e308)).sample_weight is None


# -- class labels ----------------------------------------------------------------------

@pytest.mark.parametrize("labels", ["int", "bool"])
def test_numbers_or_booleans_in_an_object_series_are_labels(learner, labels):
    X, y = classification_data(120)
    y = y.astype(bool) if labels == "bool" else y * 3 + 1
    plain = _estimator("classifier", learner).fit(X, y)
    boxed = _estimator("classifier", learner).fit(X, pd.Series(y, dtype=object))
    np.testing.assert_array_equal(boxed.classes_, plain.classes_)
    assert boxed.classes_.dtype == plain.classes_.dtype
    np.testing.assert_array_equal(boxed.predict(X), plain.predict(X))


# -- the adjuster's settings -----------------------------------------------------------

def test_softmax_is_a_distribution_for_extreme_inputs():
    cases = [([1e308, -1e308, 0.0], 1e-320), ([np.inf, 0.0, np.inf], 1.0),
             ([-np.inf, 0.0, 1.0], 1e300), ([1e308, 1e308], 1e-300)]
    for preferences, temperature in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            pi = softmax(preferences, temperature)
        assert np.isfinite(pi).all() and pi.sum() == pytest.approx(1.0), pi
    assert softmax([np.inf, 0.0, np.inf]).tolist() == [0.5, 0.0, 0.5]


@pytest.mark.parametrize("settings", [
    {"temperature": 1e-320}, {"temperature": 1e308}, {"prior_weight": 1e308},
    {"learning_rate": 1e308}, {"learning_rate": 1e308, "prior_weight": 1e308},
    {"cost_weight": 1e308}, {"step_size": 5e-324},
])
def test_extreme_adjuster_settings_still_search(learner, settings):
    X, y = classification_data(120)
    model = _fit_classifier(learner, X, y, n_evaluations=6, **settings)
    assert len(model.trace_) == 6
    assert np.isfinite(model.strategy_probabilities_).all()
    policy = SoftmaxPolicy([2.0, -1.0, 0.5], settings.get("prior_weight", 1.0),
                           settings.get("temperature", 1.0),
                           settings.get("learning_rate", 1.0))
    for chosen, score in enumerate([0.9, 0.1, 0.5, None, 0.7]):
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            policy.update(chosen % 3, score)
        assert np.isfinite(policy.preferences).all()
        assert policy.probabilities().sum() == pytest.approx(1.0)


def test_a_greedy_policy_whose_pick_failed_picks_another():
    strategies = default_portfolio("binary")[:3]
    settings = AdjusterSettings(temperature=1e-320)
    adjuster = StrategyAdjuster(strategies, [1.0, 0.0, 0.0], {}, settings,
                                random_state=0)
    [first] = adjuster.ask(1)
    adjuster.tell(first, None)  # all of pi was on it
    chosen = {p.strategy_index for p in adjuster.ask(4)}
    assert first.strategy_index not in chosen
