"""The zero-shot regressor's check of wild targets decides as two fresh
cross-validations would, with each fold preprocessed once and a fold
without a clipped training target fit once."""

import numpy as np
import pandas as pd
import pytest

from skmeta._zero_shot_check import check_folds, check_scores
from skmeta.datasets import Dataset
from skmeta.evaluation import evaluate_config
from skmeta.guard import fold_mean_score, winsorize
from skmeta.strategies import default_portfolio


def _wild_table(n=240, n_wild=1, seed=0):
    """Numeric and categorical columns, a target with ``n_wild`` extreme values."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n),
                      "city": rng.choice(["x", "y", "z"], n)})
    y = 10 + 3 * X["a"].to_numpy() + (X["city"] == "y") + rng.normal(size=n)
    y[rng.choice(n, n_wild, replace=False)] = 80 * np.quantile(y, 0.99)
    return Dataset(X, y, task="regression")


@pytest.mark.parametrize("name", ["ridge", "knn", "svm_rbf"])
@pytest.mark.parametrize("n_wild", [1, 3])
def test_the_check_scores_as_two_fresh_cross_validations(name, n_wild):
    data = _wild_table(n_wild=n_wild)
    clipped, wild = winsorize(data.y)
    assert wild
    strategy = {s.name: s for s in default_portfolio("regression")}[name]
    config = strategy.default_config()
    splits, changed = check_folds(data, clipped, seed=0)
    fresh = [evaluate_config(strategy, config, data.X, target, "regression", splits,
                             scoring="r2", return_oof=True).oof_predictions
             for target in (data.y, clipped)]
    expected = [fold_mean_score(p, data.y, splits) for p in fresh]
    scores = check_scores(strategy, config, data, clipped, splits, changed, "r2", 1)
    np.testing.assert_allclose(scores, expected, rtol=1e-10)


def test_a_fold_without_a_clipped_training_target_is_fit_once():
    data = _wild_table(n_wild=1)
    clipped, _ = winsorize(data.y)
    splits, changed = check_folds(data, clipped, seed=0)
    wild_row = np.flatnonzero(clipped != data.y)
    assert len(wild_row) == 1 and len(splits) == 3
    # The wild row trains two folds; the third, which tests it, has nothing clipped.
    assert len(changed) == 2
    assert all(wild_row[0] in train for train, _ in changed)


def test_a_tail_just_beyond_the_fences_is_not_checked():
    from skmeta import MetaRegressor
    from skmeta._final_model import refit_configuration
    from skmeta._zero_shot_check import FAR_BEYOND, beyond_fences
    from skmeta.guard import target_summary

    data = _wild_table(n=300, n_wild=0)
    y = data.y.copy()
    _, low, high = target_summary(y, None, "robust")
    y[:6] = high + 0.5 * (high - low)  # a heavy tail, not a handful of wild values
    assert winsorize(y)[1] and beyond_fences(y) < FAR_BEYOND
    model = MetaRegressor(n_evaluations=1, random_state=0, n_jobs=1).fit(data.X, y)
    strategy = {s.name: s for s in default_portfolio("regression")}[model.best_strategy_]
    alone, _ = refit_configuration(strategy, model.best_config_, data.X, y)
    np.testing.assert_array_equal(model.predict(data.X), alone.predict(data.X))


def test_a_target_80_times_the_99th_percentile_counts_as_far():
    from skmeta._zero_shot_check import FAR_BEYOND, beyond_fences

    data = _wild_table(n_wild=1)
    assert beyond_fences(data.y) > 10 * FAR_BEYOND  # 80 x the 99th percentile
