"""Faulty strategies during a search and during meta-training.

A deliberately bad strategy (``tests/faulty.py``) is put first in a portfolio
beside real, fast ones. With ``prior_weight=0`` the policy starts uniform and
the adjuster's first, zero-shot pick is the first strategy, so the faulty one
is always evaluated. For each fault: the fit finishes, the fault is recorded
with its status and message, the other strategies' scores are exactly those
they get without the faulty one, and the final model is one that worked.
"""

import warnings

import numpy as np
import pytest
from faulty import faulty_strategy, refit_failing_strategy
from sklearn.model_selection import KFold, StratifiedKFold

from skmeta import KnowledgeBase, MetaClassifier, MetaLearner, MetaRegressor
from skmeta.evaluation import evaluate_config
from skmeta.strategies import resolve_portfolio

from .helpers import all_finite, classification_data, regression_data, small_datasets

#: Seconds an evaluation may take: the sleeping strategy sleeps 30, the real
#: ones take milliseconds (the worker's start-up is not counted).
TIMEOUT = 1.0


def _timeout(fault):
    # The first touch of 2 GiB can take seconds on a virtual machine: the
    # memory fault runs in-process, without a limit (the path without one).
    return None if fault == "memory" else TIMEOUT

#: fault -> (status, a regex its recorded error matches)
EXPECTED = {
    "fit_raises": ("error", r"RuntimeError: deliberate failure in fit"),
    "predict_raises": ("error", r"deliberate failure in predict"),
    "sleeps": ("timeout", r"exceeded the time limit"),
    "nan": ("error", r"NaN or infinite"),
    "inf": ("error", r"NaN or infinite"),
    "wrong_shape": ("error", r"shape|rows"),
    "memory": ("error", r"MemoryError: deliberate failure after allocating 2147483648"),
}
FAULTS = list(EXPECTED)

TASKS = {
    "classification": (MetaClassifier, classification_data, "binary",
                       ["gaussian_nb", "logistic_regression"]),
    "regression": (MetaRegressor, regression_data, "regression", ["ridge", "knn"]),
}


def _splitter(task):
    # An explicit splitter: the test knows the folds the search used.
    if task == "regression":
        return KFold(2, shuffle=True, random_state=0)
    return StratifiedKFold(2, shuffle=True, random_state=0)


def _check_trace_rows(trace, name, fault):
    status, message = EXPECTED[fault]
    failed = trace[trace["strategy"] == name]
    assert len(failed) >= 1, "the faulty strategy was never evaluated"
    assert (failed["status"] == status).all(), failed[["status", "error"]]
    assert failed["error"].str.contains(message).all(), failed["error"].tolist()
    assert failed["score"].isna().all()


def _check_final_model(estimator, X, name, n_classes=None):
    assert estimator.best_strategy_ != name
    assert name not in set(estimator.ensemble_["strategy"])
    predictions = estimator.predict(X)
    assert predictions.shape == (len(X),)
    if n_classes is None:
        assert all_finite(predictions)
    else:
        assert set(predictions) <= set(estimator.classes_)
        proba = estimator.predict_proba(X)
        assert proba.shape == (len(X), n_classes) and all_finite(proba)
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def _case(task, fault):
    # Allocating 2 GiB takes seconds on a busy machine: the full suite only.
    marks = pytest.mark.slow if fault == "memory" else ()
    return pytest.param(task, fault, marks=marks)


#: Sleeping and allocating happen in ``fit`` before anything depends on the
#: task: a classifier tries them; both tasks try the faults of their output.
SEARCH_CASES = [_case("classification", fault) for fault in FAULTS] + [
    _case("regression", fault) for fault in FAULTS if fault not in ("sleeps", "memory")
]


@pytest.mark.parametrize("task, fault", SEARCH_CASES)
def test_search_records_the_fault_and_keeps_a_working_model(learner, task, fault):
    Estimator, make_data, task_type, real = TASKS[task]
    X, y = make_data()
    faulty = faulty_strategy(task_type, fault, seconds=30)
    splitter = _splitter(task)
    estimator = Estimator(
        meta_learner=learner, portfolio=[faulty, *real], n_evaluations=3,
        proposals_per_step=1, cv=splitter, evaluation_timeout=_timeout(fault),
        prior_weight=0.0, ensemble_size=3, random_state=0,
    )
    with pytest.warns(UserWarning, match=r"evaluations failed; see trace_\['error'\]"):
        estimator.fit(X, y)
    trace = estimator.trace_
    assert trace["strategy"].iloc[0] == faulty.name  # the zero-shot pick
    _check_trace_rows(trace, faulty.name, fault)

    # The other evaluations are intact: the scores they get on their own.
    ok = trace[trace["strategy"] != faulty.name]
    assert len(ok) >= 1 and (ok["status"] == "ok").all()
    by_name = {s.name: s for s in resolve_portfolio(real, task_type)}
    splits = list(splitter.split(X, y))
    for row in ok.itertuples():
        alone = evaluate_config(by_name[row.strategy], row.config, X, y, task_type,
                                splits)
        # A proposal left at its first fold was scored on that fold alone.
        folds = len(row.fold_scores)
        assert folds == (len(splits) if row.promoted else 1)
        assert alone.fold_scores[:folds] == pytest.approx(list(row.fold_scores))
        if row.promoted:
            assert row.score == pytest.approx(alone.score)

    _check_final_model(estimator, X, faulty.name,
                       n_classes=None if task == "regression" else 2)


def _metatrain(extra, knowledge_base=None, evaluation_timeout=TIMEOUT):
    """Meta-train on three tiny classification datasets."""
    datasets = [d for d in small_datasets() if d.name.startswith("classification")]
    portfolio = [*extra, "gaussian_nb", "logistic_regression"]
    return MetaLearner(knowledge_base=knowledge_base, portfolio=portfolio,
                       n_configs_per_strategy=0, cv=2,
                       evaluation_timeout=evaluation_timeout,
                       random_state=0).fit(datasets)


@pytest.fixture(scope="module")
def clean_runs():
    """The evaluations of a meta-training without a faulty strategy."""
    return _metatrain([], evaluation_timeout=None).knowledge_base_.evaluations()


def _keyed(runs):
    columns = ["dataset_id", "strategy", "config_key", "status", "score", "fold_scores"]
    runs = runs[columns].sort_values(["dataset_id", "strategy"]).reset_index(drop=True)
    runs["fold_scores"] = runs["fold_scores"].map(tuple)
    return runs


@pytest.mark.slow
@pytest.mark.parametrize("fault", FAULTS)
def test_metatraining_records_the_fault_in_the_knowledge_base(
    fault, clean_runs, tmp_path
):
    faulty = faulty_strategy("binary", fault, seconds=30)
    path = tmp_path / "kb.sqlite"
    learner = _metatrain([faulty], knowledge_base=str(path),
                         evaluation_timeout=_timeout(fault))
    runs = KnowledgeBase(path).evaluations()
    status, message = EXPECTED[fault]
    failed = runs[runs["strategy"] == faulty.name]
    assert len(failed) == 3  # one per dataset
    assert (failed["status"] == status).all()
    assert failed["error"].str.contains(message).all(), failed["error"].tolist()
    assert failed["score"].isna().all()
    # Everything else is stored exactly as in a run without the faulty strategy.
    others = runs[runs["strategy"] != faulty.name]
    assert (others["status"] == "ok").all()
    assert _keyed(others).equals(_keyed(clean_runs))
    # The meta-models learned from what worked: they recommend a real strategy.
    ranked = learner.recommend(*classification_data(seed=5), k=3)
    assert ranked["strategy"].iloc[0] != faulty.name
    assert ranked["strategy"].iloc[-1] == faulty.name


@pytest.mark.parametrize("task", list(TASKS))
def test_every_strategy_failing_raises_one_error_listing_the_causes(learner, task):
    Estimator, make_data, task_type, _ = TASKS[task]
    X, y = make_data()
    faults = ["fit_raises", "predict_raises", "nan", "wrong_shape"]
    portfolio = [faulty_strategy(task_type, fault) for fault in faults]
    with pytest.raises(ValueError) as error:
        Estimator(meta_learner=learner, portfolio=portfolio, n_evaluations=12,
                  cv=2, prior_weight=0.0, random_state=0).fit(X, y)
    message = str(error.value)
    assert message.startswith("every one of the 12 evaluations failed")
    for fault in faults:
        assert f"faulty_{fault}: " in message
    for cause in ("deliberate failure in fit", "deliberate failure in predict",
                  "NaN or infinite", "shape"):
        assert cause in message


def test_metatraining_where_every_strategy_fails_raises_one_error(tmp_path):
    # Needs MetaLearner.fit to refuse to fit meta-models on failures only.
    path = tmp_path / "kb.sqlite"
    portfolio = [faulty_strategy("binary", "fit_raises"),
                 faulty_strategy("binary", "nan")]
    datasets = [d for d in small_datasets() if d.name.startswith("classification")]
    with pytest.raises(ValueError, match="failed") as error:
        MetaLearner(knowledge_base=str(path), portfolio=portfolio,
                    n_configs_per_strategy=0, cv=2, evaluation_timeout=None,
                    random_state=0).fit(datasets)
    assert "deliberate failure in fit" in str(error.value)
    assert "NaN or infinite" in str(error.value)
    # The failures themselves are experience: they are stored.
    assert len(KnowledgeBase(path)) == 2 * len(datasets)


@pytest.mark.parametrize("ensemble_size", [1, 5])
def test_refit_failure_falls_back_to_next_best(learner, ensemble_size):
    # Needs the final refit to fall back on the next best configuration.
    X, y = classification_data(n_samples=120, seed=3)
    # Folds of 2/3 of the rows (80) fit; the refit on all 120 rows raises.
    failing = refit_failing_strategy("binary", max_rows=100)
    estimator = MetaClassifier(
        meta_learner=learner, portfolio=[failing, "gaussian_nb"], n_evaluations=4,
        proposals_per_step=1, cv=3, prior_weight=0.0, ensemble_size=ensemble_size,
        random_state=0,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        estimator.fit(X, y)
    trace = estimator.trace_
    assert (trace["status"] == "ok").all()
    best = trace.loc[trace["score"].astype(float).idxmax(), "strategy"]
    assert best == failing.name, "the test needs the failing strategy to win the CV"
    assert failing.name not in set(estimator.ensemble_["strategy"])
    assert any(failing.name in str(w.message) for w in caught), (
        "a warning should name the strategy whose refit failed"
    )
    _check_final_model(estimator, X, failing.name, n_classes=2)
