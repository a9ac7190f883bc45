import importlib.util
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression

# scikit-learn's estimator checks include an array-API check that is skipped
# unless SciPy's array API mode is on; turn it on (before SciPy is imported)
# so that the check runs instead of being skipped.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

# On a busy machine, OpenMP threads that spin while they wait for work
# (HistGradientBoosting's) take the cores from every other process: a test
# of a small fit took 20 s instead of 1 s. Waiting threads sleep instead;
# results are unchanged. Set before the OpenMP runtime is loaded.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

# Test helpers (e.g. the faulty learner) live beside the tests.
sys.path.insert(0, str(Path(__file__).parent))

#: Doctests in skmeta/ that take more than a second or two; they run in the
#: full suite only, like every test marked ``slow``.
SLOW_DOCTESTS = {
    "skmeta.selection.performance.PerformanceModel",
}


# Small numeric arrays with NaN: the default and the optional strategies'
# tests fit every strategy on them.
@pytest.fixture(scope="module")
def numeric_data():
    """Small numeric arrays with missing values, per task kind."""
    X, y = make_classification(
        n_samples=150, n_features=8, n_informative=5, n_classes=3, random_state=0
    )
    Xr, yr = make_regression(n_samples=150, n_features=8, noise=5.0, random_state=0)
    rng = np.random.default_rng(0)
    for features in (X, Xr):
        features[rng.random(features.shape) < 0.05] = np.nan
    return {"classification": (X, y), "regression": (Xr, 1000 + 50 * yr)}


#: Doctests that fit LightGBM, XGBoost or CatBoost (the boosting extra).
BOOSTING_DOCTESTS = ("skmeta.strategies.boosting.",
                     "skmeta.strategies.boosting_adapters.")


def _boosting_installed():
    try:
        return all(importlib.util.find_spec(name) is not None
                   for name in ("lightgbm", "xgboost", "catboost"))
    except ImportError:  # a finder that refuses them
        return False


def pytest_collection_modifyitems(items):
    without_boosting = pytest.mark.skip(reason='needs pip install "skmeta[boosting]"')
    boosting_installed = _boosting_installed()
    for item in items:
        if not isinstance(item, pytest.DoctestItem):
            continue
        if item.name in SLOW_DOCTESTS:
            item.add_marker(pytest.mark.slow)
        if not boosting_installed and item.name.startswith(BOOSTING_DOCTESTS):
            item.add_marker(without_boosting)
