"""A deliberately faulty learner, to plug into portfolios in tests."""

import time

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.linear_model import LogisticRegression, Ridge

from skmeta.strategies import Categorical, Strategy

FAULTS = ("none", "fit_raises", "predict_raises", "sleeps", "nan", "inf",
          "wrong_shape", "memory")


class _Faulty(BaseEstimator):
    """A dummy model with the fault ``fault``.

    ``"large_fit_raises"`` is a good linear model that raises when fitted on
    more than ``max_rows`` rows: it scores well on cross-validation folds and
    fails on the final refit on all the data.
    """

    def __init__(self, fault="none", seconds=30.0, max_rows=None):
        self.fault = fault
        self.seconds = seconds
        self.max_rows = max_rows

    def fit(self, X, y):
        if self.fault == "fit_raises":
            raise RuntimeError("deliberate failure in fit")
        if self.fault == "sleeps":
            time.sleep(self.seconds)
        if self.fault == "memory":
            # A bounded large allocation (2 GiB) that then fails.
            block = np.ones(2**28)
            raise MemoryError(
                f"deliberate failure after allocating {block.nbytes} bytes"
            )
        if self.fault == "large_fit_raises":
            if len(X) > self.max_rows:
                raise RuntimeError(
                    f"deliberate failure on {len(X)} rows (more than {self.max_rows})"
                )
            self.model_ = self._good().fit(X, y)
        else:
            self.model_ = self._dummy().fit(X, y)
        if hasattr(self.model_, "classes_"):
            self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        if self.fault == "predict_raises":
            raise ValueError("deliberate failure in predict")
        predictions = self.model_.predict(X)
        if self.fault in ("nan", "inf"):
            return np.full(len(predictions), np.nan if self.fault == "nan" else np.inf)
        if self.fault == "wrong_shape":
            return predictions[:-1]
        return predictions


class FaultyClassifier(ClassifierMixin, _Faulty):
    def _dummy(self):
        return DummyClassifier(strategy="most_frequent")

    def _good(self):
        return LogisticRegression()

    def predict_proba(self, X):
        proba = self.model_.predict_proba(X)
        if self.fault in ("nan", "inf"):
            return np.full_like(proba, np.nan if self.fault == "nan" else np.inf)
        if self.fault == "wrong_shape":
            return proba[:-1]
        if self.fault == "predict_raises":
            raise ValueError("deliberate failure in predict")
        return proba


class FaultyRegressor(RegressorMixin, _Faulty):
    def _dummy(self):
        return DummyRegressor()

    def _good(self):
        return Ridge(alpha=1e-3)


def faulty_strategy(task, fault, seconds=30.0, name=None):
    """A Strategy whose only configuration has the given fault."""
    estimator = (FaultyRegressor if task == "regression" else FaultyClassifier)(
        fault=fault, seconds=seconds
    )
    return Strategy(
        name or f"faulty_{fault}",
        estimator,
        {"fault": Categorical([fault])},
        preprocessing="none",
    )


def refit_failing_strategy(task, max_rows, name="fails_on_full_data"):
    """A good linear Strategy whose fit raises on more than ``max_rows`` rows.

    Cross-validation folds are smaller than the data, so it scores (well) in
    the search and fails only when the winner is refitted on all the data.
    """
    estimator = (FaultyRegressor if task == "regression" else FaultyClassifier)(
        fault="large_fit_raises", max_rows=max_rows
    )
    return Strategy(name, estimator, {"fault": Categorical(["large_fit_raises"])},
                    preprocessing="none")
