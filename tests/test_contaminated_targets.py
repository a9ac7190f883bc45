"""A few wild training targets: the robust range, winsorized refits, no collapse.

On a table whose training target holds one value 50 times its 99th
percentile, a learner that puts it in a leaf predicts it for every row of
that leaf; skmeta's test R^2 fell far below the constant predictor's
(issue 24).
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import r2_score
from sklearn.model_selection import KFold, train_test_split

from skmeta import MetaRegressor
from skmeta._final_model import refit_configuration
from skmeta._zero_shot_check import FAR_BEYOND, beyond_fences
from skmeta.guard import (
    choose_guard,
    error_ratios,
    fold_mean_score,
    target_summary,
    winsorize,
)
from skmeta.strategies import default_portfolio


def _diamonds(n, seed):
    """Prices convex in the carat, with colour and clarity: like a diamond table."""
    rng = np.random.default_rng(seed)
    carat = rng.choice(np.round(np.arange(0.18, 1.11, 0.01), 2), n)
    colour, clarity = rng.integers(0, 6, n), rng.integers(0, 5, n)
    X = pd.DataFrame({"carat": carat, "colour": colour, "clarity": clarity})
    log_price = 8.8 + 2.0 * np.log(carat) - 0.08 * colour - 0.1 * clarity
    return X, np.round(np.exp(log_price + rng.normal(0, 0.1, n)))


def _with_a_wild_target(y, seed, factor=50.0):
    y = y.copy()
    y[np.random.default_rng(seed).integers(len(y))] = factor * np.quantile(y, 0.99)
    return y


def _fit_on_a_wild_target(seed, **params):
    """A MetaRegressor fit on diamonds with one wild training target; it
    and its test R^2 and the constant predictor's."""
    X, y = _diamonds(400, seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25,
                                                        random_state=seed)
    y_train = _with_a_wild_target(y_train, seed)
    model = MetaRegressor(random_state=0, n_jobs=1, **params).fit(X_train, y_train)
    constant = r2_score(y_test, np.full(len(y_test), y_train.mean()))
    return model, r2_score(y_test, model.predict(X_test)), constant


@pytest.mark.parametrize("seed", [1, 4])
def test_a_wild_training_target_does_not_sink_the_model_below_the_constant(seed):
    # Extra trees, as chosen on the table: the wild target sits in a leaf.
    model, score, constant = _fit_on_a_wild_target(
        seed, portfolio=["extra_trees"], n_evaluations=6, cv=3)
    assert score > constant - 0.1
    assert score > 0.5  # the prices are learnt, not merely the mean
    assert model.target_guard_["winsorized"]


@pytest.mark.parametrize("seed", [1, 4])
def test_a_wild_training_target_does_not_sink_the_zero_shot_pick(seed):
    _, score, constant = _fit_on_a_wild_target(seed, n_evaluations=1)
    assert score > constant - 0.1
    assert score > 0.5


def test_a_tame_targets_zero_shot_model_is_the_pick_fitted_as_it_was():
    X, y = _diamonds(300, 0)
    assert not winsorize(y)[1]
    model = MetaRegressor(n_evaluations=1, random_state=0, n_jobs=1).fit(X, y)
    strategy = {s.name: s for s in default_portfolio("regression")}[model.best_strategy_]
    alone, _ = refit_configuration(strategy, model.best_config_, X, y)
    np.testing.assert_array_equal(model.predict(X), alone.predict(X))


def test_a_tame_target_is_not_winsorized():
    X, y = _diamonds(300, 0)
    model = MetaRegressor(portfolio=["extra_trees"], n_evaluations=3, cv=3,
                          random_state=0, n_jobs=1).fit(X, y)
    assert not winsorize(y)[1]
    assert model.target_guard_["winsorized"] is False


def test_the_robust_range_ignores_a_few_wild_targets():
    rng = np.random.default_rng(0)
    y = rng.normal(100, 10, 300)
    wild = y.copy()
    wild[:3] = 1e5
    center, low, high = target_summary(wild, value_range="robust")
    assert center > 1000  # the mean is spoilt: the guard's center stays the mean
    assert low == wild.min() and 100 < high < 200  # the range is not
    assert target_summary(wild)[2] == 1e5


def test_the_robust_range_weighs_rows():
    y = np.r_[np.zeros(10), np.arange(1.0, 11.0), 1000.0]
    heavy_tail = np.r_[np.ones(20), 20.0]  # the wild row weighs as much as the rest
    assert target_summary(y, value_range="robust")[2] < 1000
    assert target_summary(y, heavy_tail, value_range="robust")[2] == 1000


def test_equal_quartiles_leave_the_full_range():
    y = np.r_[np.zeros(90), np.arange(1.0, 11.0)]  # counts, mostly zero
    assert target_summary(y, value_range="robust") == target_summary(y)
    assert not winsorize(y)[1]


def test_an_unknown_range_is_refused():
    with pytest.raises(ValueError, match="value_range must be 'full' or 'robust'"):
        target_summary([1.0, 2.0], value_range="quantile")


def test_a_leaf_holding_a_wild_target_is_clipped_to_the_robust_range():
    rng = np.random.default_rng(0)
    y = rng.uniform(0, 10, 300)
    y[0] = 5000.0  # one wild training target
    predictions = y + rng.normal(scale=0.5, size=300)
    predictions[0] = 5.0  # out of fold, its own row is predicted as the others
    predictions[1:30] = 500.0  # its leaf: the rows near it get a share of it
    splits = list(KFold(4, shuffle=True, random_state=0).split(y))
    guard = choose_guard(predictions, y, splits)
    assert guard["range"] == "robust" and guard["shrink"] == 1.0
    assert guard["score"] > guard["unguarded_score"] + 0.05


def test_the_fold_mean_sees_a_model_spoilt_on_the_folds_without_the_wild_target():
    y = np.r_[np.arange(1.0, 100.0), 1e4]
    splits = list(KFold(4).split(y))
    good, spoilt = y.copy(), y.copy()
    good[-1] = 50.0  # no model predicts the wild target out of fold
    spoilt[-1] = 50.0
    spoilt[:20] = 1e3
    pooled = [r2_score(y, p) for p in (good, spoilt)]
    folds = [fold_mean_score(p, y, splits) for p in (good, spoilt)]
    assert pooled[0] - pooled[1] < 0.25  # all rows at once: the wild one dominates
    assert folds[0] - folds[1] > 10


@pytest.mark.parametrize("n_evaluations", [4, 1])
def test_the_winsorized_refit_does_not_depend_on_n_jobs(n_evaluations):
    X, y = _diamonds(300, 1)
    y = _with_a_wild_target(y, 1)
    fits = [MetaRegressor(portfolio=["extra_trees"], n_evaluations=n_evaluations,
                          cv=3, random_state=0, n_jobs=n_jobs).fit(X, y)
            for n_jobs in (1, 2)]
    assert fits[0].target_guard_ == fits[1].target_guard_
    if n_evaluations > 1:
        assert fits[0].target_guard_["winsorized"]
    np.testing.assert_array_equal(fits[0].predict(X), fits[1].predict(X))


def test_wild_targets_do_not_pull_the_guard_toward_their_mean():
    # Scored on all the rows at once, three wild targets make nearly all the
    # variance, and shrinking toward the mean they spoil looked better.
    rng = np.random.default_rng(0)
    y = rng.normal(10, 1, 300)
    predictions = y + rng.normal(0, 0.3, 300)
    y[[0, 2, 4]] = 1e4
    splits = list(KFold(4, shuffle=True, random_state=0).split(y))
    guard = choose_guard(predictions, y, splits)
    assert guard["shrink"] == 1.0


def _with_wild_targets_in_every_fold(y, seed, n_wild=6):
    """``y`` with ``n_wild`` training targets made 10-100 times its 99th
    percentile (bench_contaminated's contamination): with 3 folds, nearly
    every fold holds some."""
    rng = np.random.default_rng(seed)
    y = y.copy()
    rows = rng.choice(len(y), n_wild, replace=False)
    y[rows] = rng.uniform(10, 100, n_wild) * np.quantile(y, 0.99)
    return y


@pytest.mark.parametrize("seed", [0, 1])
def test_wild_targets_in_every_fold_do_not_sink_the_search(seed):
    # With a wild target in every fold, each fold's R^2 is nearly all the
    # wild row's: the fits that lean toward them scored better, and the guard
    # shrank toward the mean they pulled (test R^2 -12.7 and -4.9 here before).
    X, y = _diamonds(400, seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25,
                                                        random_state=seed)
    y_train = _with_wild_targets_in_every_fold(y_train, seed)
    model = MetaRegressor(n_evaluations=6, cv=3, random_state=0,
                          n_jobs=1).fit(X_train, y_train)
    assert r2_score(y_test, model.predict(X_test)) > 0.8
    assert model.target_guard_["winsorized"]


def test_a_real_heavy_tail_is_not_winsorized():
    # Prices exponential in a feature: the far tail is predictable, and the
    # test rows have it too.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    y = np.exp(2.0 * X[:, 0]) + rng.normal(0, 0.1, 400)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25,
                                                        random_state=0)
    assert beyond_fences(y_train) > FAR_BEYOND
    model = MetaRegressor(n_evaluations=6, cv=3, random_state=0,
                          n_jobs=1).fit(X_train, y_train)
    assert not model.target_guard_["winsorized"]
    assert r2_score(y_test, model.predict(X_test)) > 0.6  # clipped: 0.07


def test_error_ratios_tell_a_predicted_tail_from_contamination():
    rng = np.random.default_rng(0)
    y = rng.normal(10, 1, 300)
    y[:3] = [400.0, 600.0, 800.0]
    clipped, _ = winsorize(y)
    clipped_fit = np.r_[clipped[:3], y[3:] + rng.normal(0, 0.5, 297)]
    predicting = np.r_[y[:3] * 0.9, y[3:] + rng.normal(0, 0.6, 297)]
    leaning = np.r_[np.full(3, 30.0), y[3:] + 5.0 + rng.normal(0, 0.5, 297)]
    assert error_ratios(predicting, clipped_fit, y, clipped)[0] < 0.1
    wild, others = error_ratios(leaning, clipped_fit, y, clipped)
    assert wild > 0.9 and others > 1
    # All the rows at once, the leaning fit scores better than the clipped one.
    assert r2_score(y, leaning) > r2_score(y, clipped_fit)


def test_the_guard_shrinks_toward_the_mean_of_the_target_the_model_was_fit_on():
    # A model fit on the clipped target, scored on the target as it is with a
    # wild target in every fold: every fold's score is nearly all the wild
    # row's, so the constant at the mean they pulled scores best there.
    rng = np.random.default_rng(0)
    y = rng.normal(10, 1, 300)
    y[[0, 100, 200]] = 1e3
    clipped, _ = winsorize(y)
    predictions = 10 + rng.normal(0, 1, 300)
    splits = list(KFold(3).split(y))
    toward_the_wild_mean = choose_guard(predictions, y, splits)
    assert toward_the_wild_mean["shrink"] == 0.0  # every row predicted about 20
    kept = choose_guard(predictions, y, splits, fit_target=clipped)
    assert kept["shrink"] == 1.0
