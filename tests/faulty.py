"""A deliberately faulty learner, to plug into portfolios in tests."""

import time

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.dummy import DummyClassifier, DummyRegressor

from skmeta.strategies import Categorical, Strategy

FAULTS = ("none", "fit_raises", "predict_raises", "sleeps", "nan", "inf",
          "wrong_shape", "memory")


class _Faulty(BaseEstimator):
    def __init__(self, fault="none", seconds=30.0):
        self.fault = fault
        self.seconds = seconds

    def fit(self, X, y):
        if self.fault == "fit_raises":
            raise RuntimeError("deliberate failure in fit")
        if self.fault == "sleeps":
            time.sleep(self.seconds)
        if self.fault == "memory":
            # A bounded large allocation (2 GiB) that then fails.
            block = np.ones(2**28)
            raise MemoryError(f"deliberate failure after allocating {block.nbytes} bytes")
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
