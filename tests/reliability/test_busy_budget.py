"""The time budget on a busy machine: threads, workers, the ensemble's clock
and the model of last resort.

Behaviour only, never timing (performance is measured by
``benchmarks/bench_budget.py --busy``): the native threads a fit's learners
actually run with, ``n_jobs`` capped with a warning, the ensemble selection
asking the clock, and a model at the end of a budget that the cost model
misjudged.
"""

import json
import os
import time

import joblib
import numpy as np
import pytest
import scipy.sparse as sp
from faulty import faulty_strategy
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import Ridge
from threadpoolctl import threadpool_info

from skmeta import MetaClassifier, MetaRegressor
from skmeta.ensemble import ensemble_selection
from skmeta.strategies import Categorical, Strategy

from .helpers import classification_data, regression_data


class ThreadRecorder(RegressorMixin, BaseEstimator):
    """A ridge regression that appends, to ``log_path``, the rows it is
    fitted on and the most threads any native pool of its process may use."""

    def __init__(self, log_path="", alpha=1.0):
        self.log_path = log_path
        self.alpha = alpha

    def fit(self, X, y):
        threads = max(pool["num_threads"] for pool in threadpool_info())
        with open(self.log_path, "a") as log:
            log.write(json.dumps({"rows": len(X), "threads": threads,
                                  "pid": os.getpid()}) + "\n")
        self.model_ = Ridge(alpha=self.alpha).fit(X, y)
        return self

    def predict(self, X):
        return self.model_.predict(X)


def _recorder(log_path):
    return Strategy("thread_recorder", ThreadRecorder(str(log_path)),
                    {"alpha": Categorical([0.1, 1.0, 10.0])})


def _fits(log_path):
    return [json.loads(line) for line in log_path.read_text().splitlines()]


# -- 12: every fit uses the threads n_jobs allows ---------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_every_fit_uses_the_threads_n_jobs_allows(tmp_path, learner, n_jobs):
    log_path = tmp_path / "fits.jsonl"
    X, y = regression_data(120)
    model = MetaRegressor(meta_learner=learner, portfolio=[_recorder(log_path)],
                          n_evaluations=4, ensemble_size=1, n_jobs=n_jobs,
                          random_state=0).fit(X, y)
    fits = _fits(log_path)
    refits = [f for f in fits if f["rows"] == len(X)]
    folds = [f for f in fits if f["rows"] < len(X)]
    assert len(refits) == 1 and folds
    # The folds run side by side, one thread each; the one refit gets them all.
    assert [f["threads"] for f in folds] == [1] * len(folds)
    assert refits[0]["threads"] == n_jobs
    assert model.n_jobs_ == n_jobs


@pytest.mark.slow
def test_members_refit_side_by_side_share_the_threads(tmp_path, learner):
    log_path = tmp_path / "fits.jsonl"
    X, y = regression_data(120)
    model = MetaRegressor(meta_learner=learner, portfolio=[_recorder(log_path)],
                          n_evaluations=6, ensemble_size=20, n_jobs=2,
                          random_state=0).fit(X, y)
    refits = [f for f in _fits(log_path) if f["rows"] == len(X)]
    assert len(refits) == len(model.ensemble_)
    expected = 1 if len(refits) > 1 else 2
    assert [f["threads"] for f in refits] == [expected] * len(refits)


def test_a_zero_shot_fit_uses_the_threads_n_jobs_allows(tmp_path, learner):
    log_path = tmp_path / "fits.jsonl"
    X, y = regression_data(120)
    MetaRegressor(meta_learner=learner, portfolio=[_recorder(log_path)],
                  n_evaluations=1, n_jobs=1, random_state=0).fit(X, y)
    assert [f["threads"] for f in _fits(log_path)] == [1]


def test_a_cached_fold_still_counts_its_preprocessing_for_the_refit():
    from skmeta._fold_cache import FoldCache
    from skmeta.strategies.preprocessing import TabularPreprocessor

    X, _ = regression_data(200)
    train, test = np.arange(150), np.arange(150, 200)
    cache = FoldCache()
    first = cache.transform(TabularPreprocessor(), X, train, test)[3]
    again = cache.transform(TabularPreprocessor(), X, train, test)[3]
    # The refit preprocesses anew: a fold's timing that left it out (a cache
    # hit) predicted the refit too short.
    assert cache.hits == 1 and again == first > 0


# -- 13: n_jobs is capped at the usable cores ---------------------------------------

def test_n_jobs_above_the_cores_is_capped_with_a_warning(tmp_path, learner):
    log_path = tmp_path / "fits.jsonl"
    X, y = regression_data(120)
    cores = joblib.cpu_count()
    with pytest.warns(UserWarning, match=f"n_jobs=100 is more than the {cores} usable"):
        model = MetaRegressor(meta_learner=learner, portfolio=[_recorder(log_path)],
                              n_evaluations=4, n_jobs=100, time_budget=20,
                              random_state=0).fit(X, y)
    assert model.n_jobs_ == cores
    assert len(model.predict(X)) == len(X)
    assert max(f["threads"] for f in _fits(log_path)) <= cores


@pytest.mark.parametrize("n_jobs", [None, 1, -1])
def test_n_jobs_within_the_cores_is_kept_without_a_warning(learner, n_jobs, recwarn):
    X, y = regression_data(90)
    model = MetaRegressor(meta_learner=learner, portfolio=["ridge"], n_evaluations=2,
                          n_jobs=n_jobs, random_state=0).fit(X, y)
    assert model.n_jobs_ == joblib.effective_n_jobs(n_jobs)
    assert not [w for w in recwarn if "n_jobs" in str(w.message)]


# -- 14: the ensemble selection asks the clock --------------------------------------

def test_ensemble_selection_stops_when_the_clock_says_so():
    y = np.arange(50.0)
    predictions = [y + 1.0, y - 1.0, y[::-1].copy()]
    asked = []

    def should_stop():
        asked.append(True)
        return len(asked) >= 7

    weights = ensemble_selection(predictions, y, "regression", "r2", 10**9,
                                 should_stop=should_stop)
    assert len(asked) == 7  # asked before every pick after the first
    assert np.isclose(weights.sum(), 1.0)
    assert np.allclose(weights * 7, np.round(weights * 7))  # 7 picks so far


def test_a_huge_ensemble_stops_at_the_time_budget(learner):
    X, y = classification_data(120)
    began = time.monotonic()
    model = MetaClassifier(meta_learner=learner, n_evaluations=30,
                           ensemble_size=10**6, time_budget=3,
                           random_state=0).fit(X, y)
    # Generous: 10**6 picks take minutes; the budget is 3 s.
    assert time.monotonic() - began < 30
    assert len(model.predict(X)) == len(X)


# -- 15: a model of last resort, whatever the cost model predicts -------------------

@pytest.mark.slow
def test_wide_sparse_data_on_a_small_budget_gives_a_model():
    rng = np.random.default_rng(0)
    X = sp.random(300, 10_000, density=0.01, format="csr", random_state=0)
    scores = X @ rng.normal(size=10_000)
    y = (scores > np.median(scores)).astype(int)
    began = time.monotonic()
    # The shipped knowledge base: its cost model underpredicts boosting and
    # extra trees on such data.
    model = MetaClassifier(n_evaluations=1000, time_budget=6, random_state=0).fit(X, y)
    # Generous: before, the first fold alone ran for 30 s and more.
    assert time.monotonic() - began < 25
    assert model.predict(X).shape == (300,)
    assert model.best_strategy_ in set(model.trace_["strategy"])


def test_a_model_of_last_resort_that_cannot_predict_is_not_kept(learner):
    X, y = classification_data(90)
    # Every strategy fits but fails to predict: there is no model, and the
    # error says why, rather than a final model that raises at predict.
    portfolio = [faulty_strategy("binary", "predict_raises")]
    with pytest.raises(ValueError, match="every one of the .* evaluations failed"):
        MetaClassifier(meta_learner=learner, portfolio=portfolio, n_evaluations=3,
                       time_budget=20, random_state=0).fit(X, y)


def test_a_budget_on_rows_sorted_by_class_gives_a_model(learner):
    # The model of last resort is checked on the first rows, which here hold
    # one class: that check must not need both classes.
    X, y = classification_data(90)
    order = np.argsort(y, kind="stable")
    X, y = X.iloc[order].reset_index(drop=True), y[order]
    model = MetaClassifier(meta_learner=learner, n_evaluations=3, time_budget=20,
                           random_state=0).fit(X, y)
    assert model.predict(X).shape == (90,)


def test_meta_training_caps_n_jobs_at_the_cores():
    from joblib import cpu_count

    from skmeta import MetaLearner

    from .helpers import PORTFOLIO, small_datasets

    with pytest.warns(UserWarning, match=f"so {cpu_count()} workers are used"):
        MetaLearner(portfolio=PORTFOLIO, n_configs_per_strategy=0, cv=2,
                    evaluation_timeout=None, n_jobs=cpu_count() + 50,
                    random_state=0).fit(small_datasets()[:2])
