"""The regression guard: shrinkage toward the mean and clipping, chosen out of fold."""

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyRegressor
from sklearn.metrics import r2_score
from sklearn.model_selection import KFold

import skmeta.guard as guard_module
from skmeta import MetaRegressor
from skmeta.guard import GuardedRegressor, choose_guard


def _splits(n):
    return list(KFold(4, shuffle=True, random_state=0).split(np.zeros(n)))


def test_a_good_model_is_left_as_it_is():
    rng = np.random.default_rng(0)
    y = rng.normal(size=300)
    guard = choose_guard(y + rng.normal(scale=0.1, size=300), y, _splits(300))
    assert (guard["shrink"], guard["overshoot"]) == (1.0, np.inf)
    assert guard["score"] == guard["unguarded_score"] > 0.95


def test_noise_is_shrunk_to_the_mean():
    rng = np.random.default_rng(0)
    y = rng.normal(size=300)
    guard = choose_guard(rng.normal(scale=3, size=300), y, _splits(300))
    assert guard["shrink"] == 0.0
    # Scored fold by fold, the constant (each fold's training mean) is a
    # little below 0 on the other rows.
    assert guard["unguarded_score"] < -5 and abs(guard["score"]) < 0.1


def test_wild_extrapolations_are_clipped():
    rng = np.random.default_rng(0)
    y = rng.uniform(0, 10, 300)
    predictions = y + rng.normal(scale=0.5, size=300)
    predictions[:5] = 1e4  # a learner that extrapolates on a few rows
    guard = choose_guard(predictions, y, _splits(300))
    assert np.isfinite(guard["overshoot"]) and guard["shrink"] == 1.0
    assert guard["unguarded_score"] < -100 and guard["score"] > 0.85


def test_weights_center_the_guard():
    y = np.r_[np.zeros(100), np.full(100, 10.0)]
    weights = np.r_[np.full(100, 1.0), np.full(100, 9.0)]
    noise = np.random.default_rng(0).normal(scale=50, size=200)
    splits = _splits(200)
    guard = choose_guard(noise, y, splits, sample_weight=weights)
    assert guard["shrink"] == 0.0
    fitted = DummyRegressor().fit(np.zeros((200, 1)), noise)
    model = GuardedRegressor(fitted, 9.0, 0.0, 10.0, shrink=0.0)
    assert model.predict(np.zeros((3, 1))).tolist() == [9.0, 9.0, 9.0]


def test_a_target_of_heavy_tailed_noise_ends_no_worse_than_the_constant():
    rng = np.random.default_rng(2)
    X = pd.DataFrame(rng.normal(size=(800, 4)), columns=list("abcd"))
    y = 10 * rng.standard_t(2, 800)  # nothing to learn, and outliers
    train, test = slice(0, 600), slice(600, None)
    model = MetaRegressor(portfolio=["knn"], n_evaluations=2, cv=3, ensemble_size=1,
                          random_state=0).fit(X[train], y[train])
    guard = model.target_guard_
    assert guard["shrink"] < 1.0 and guard["score"] > guard["unguarded_score"]
    constant = r2_score(y[test], np.full(200, y[train].mean()))
    unguarded = r2_score(y[test], model.best_estimator_.regressor.predict(X[test]))
    guarded = r2_score(y[test], model.predict(X[test]))
    assert guarded > constant - 0.01
    # The outliers are far out: k-NN was refit on the clipped target, and the
    # shrinkage still adds to that.
    assert guard["winsorized"] and unguarded < guarded - 0.005


def test_zero_shot_has_no_guard():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(100, 3)), rng.normal(size=100)
    model = MetaRegressor(portfolio=["ridge"], n_evaluations=1).fit(X, y)
    assert model.target_guard_ is None
    with pytest.raises(AttributeError):
        MetaRegressor().target_guard_  # noqa: B018 - fitted attribute, unfitted model


def _fitted_line():
    from sklearn.linear_model import LinearRegression

    X, y = np.arange(10.0).reshape(-1, 1), np.arange(10.0)
    return LinearRegression().fit(X, y)


def test_margin_was_renamed_overshoot():
    new = GuardedRegressor(_fitted_line(), 4.5, 0.0, 9.0, overshoot=0.1)
    with pytest.warns(FutureWarning, match="`margin` was renamed to `overshoot`"):
        old = GuardedRegressor(_fitted_line(), 4.5, 0.0, 9.0, margin=0.1).predict([[100.0]])
    assert old.tolist() == new.predict([[100.0]]).tolist() == [9.9]
    with pytest.raises(ValueError, match="deprecated name of `overshoot`: give `overshoot` only"):
        GuardedRegressor(_fitted_line(), 4.5, 0.0, 9.0, overshoot=0.1, margin=0.1).fit(None)
    with pytest.warns(FutureWarning, match="MARGINS was renamed to OVERSHOOTS"):
        assert guard_module.MARGINS == guard_module.OVERSHOOTS


def test_the_chosen_guard_keeps_its_old_key_for_one_release():
    y = np.arange(300.0)
    chosen = choose_guard(y[::-1].copy(), y, _splits(300))
    assert chosen["margin"] == chosen["overshoot"]


def test_a_guard_saved_before_the_rename_still_predicts():
    import pickle

    model = GuardedRegressor(_fitted_line(), 4.5, 0.0, 9.0, overshoot=0.1)
    state = model.__getstate__()
    state["margin"] = state.pop("overshoot")  # as saved by skmeta 0.0
    old = GuardedRegressor.__new__(GuardedRegressor)
    old.__setstate__(state)
    assert pickle.loads(pickle.dumps(old)).predict([[100.0]]).tolist() == [9.9]
