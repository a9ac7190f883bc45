"""The same random_state gives the same results, with one job or two, run after run.

Compared: the search trace (strategy, configuration, scores, status), the
predictions, and the whole knowledge base (datasets, meta-features,
evaluations, properties), leaving out only what measures time: the
``seconds`` columns, ``created_at`` and the ``*.fit_seconds`` meta-features.
"""

import contextlib
import sqlite3

import numpy as np
import pandas as pd
import pytest

from skmeta import KnowledgeBase, MetaClassifier, MetaLearner, MetaRegressor

from .helpers import PORTFOLIO, classification_data, regression_data, small_datasets

#: (n_jobs, run): two runs with one job, one with two.
RUNS = [(1, 0), (1, 1), (2, 0)]
TRACE_COLUMNS = ["evaluation", "step", "strategy", "config", "probabilities", "score",
                 "fold_scores", "status", "error"]


def _timeless(document):
    """A knowledge base document without timings."""
    for dataset in document["datasets"]:
        dataset["metafeatures"] = {
            name: value for name, value in dataset["metafeatures"].items()
            if not name.endswith(".fit_seconds")
        }
    for evaluation in document["evaluations"]:
        for name in ("fit_seconds", "predict_seconds", "created_at"):
            del evaluation[name]
    return document


def _copy(source, target):
    with contextlib.closing(sqlite3.connect(source)) as src, \
            contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A knowledge base file with experience of both task families."""
    path = tmp_path_factory.mktemp("determinism") / "kb.sqlite"
    MetaLearner(knowledge_base=str(path), portfolio=PORTFOLIO, n_configs_per_strategy=1,
                cv=2, evaluation_timeout=None, random_state=0).fit(small_datasets())
    return path


@pytest.mark.parametrize("Estimator, make_data", [
    (MetaClassifier, classification_data), (MetaRegressor, regression_data),
], ids=["classifier", "regressor"])
def test_search_trace_predictions_and_knowledge(stored, tmp_path, Estimator, make_data):
    X, y = make_data(120, seed=9)
    X_new, _ = make_data(40, seed=10)
    results = []
    for n_jobs, run in RUNS:
        path = _copy(stored, tmp_path / f"kb_{n_jobs}_{run}.sqlite")
        estimator = Estimator(knowledge_base=str(path), n_evaluations=6,
                              proposals_per_step=2, cv=3, ensemble_size=5,
                              update_knowledge=True,
                              n_jobs=n_jobs, random_state=7).fit(X, y)
        predict = getattr(estimator, "predict_proba", estimator.predict)
        with KnowledgeBase(path) as kb:
            document = _timeless(kb.to_dict())
        results.append((estimator, predict(X_new), document))
    first, predictions, document = results[0]
    assert len(document["evaluations"]) > len(_timeless(
        KnowledgeBase(stored).to_dict())["evaluations"])  # the fit added experience
    for estimator, other_predictions, other_document in results[1:]:
        pd.testing.assert_frame_equal(estimator.trace_[TRACE_COLUMNS],
                                      first.trace_[TRACE_COLUMNS])
        pd.testing.assert_frame_equal(estimator.ensemble_, first.ensemble_)
        np.testing.assert_array_equal(other_predictions, predictions)
        assert other_document == document


@pytest.mark.slow
def test_meta_training_knowledge_and_recommendations(tmp_path):
    X, y = classification_data(100, seed=11)
    results = []
    for n_jobs, run in RUNS:
        path = tmp_path / f"kb_{n_jobs}_{run}.sqlite"
        learner = MetaLearner(knowledge_base=str(path), portfolio=PORTFOLIO,
                              n_configs_per_strategy=1, cv=2, evaluation_timeout=None,
                              n_jobs=n_jobs, random_state=3).fit(small_datasets())
        with KnowledgeBase(path) as kb:
            document = _timeless(kb.to_dict())
        results.append((document, learner.recommend(X, y, k=5)))
    document, ranking = results[0]
    assert len(document["evaluations"]) > 0
    for other_document, other_ranking in results[1:]:
        assert other_document == document
        pd.testing.assert_frame_equal(other_ranking, ranking)
