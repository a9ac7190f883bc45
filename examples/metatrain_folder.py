"""Meta-training your own knowledge base on a folder of CSV files.

The shipped knowledge base was meta-trained on real tabular datasets. To
bring skmeta's experience closer to your own data, meta-train a
``MetaLearner`` on a folder of CSV files (one dataset per file, a ``target``
column in each): every strategy of the portfolio is cross-validated on every
dataset, each result is stored in a SQLite knowledge base as it completes (a
rerun resumes), and meta-models learn which configurations do well on which
kind of dataset.

Then the recommendations are meta-tested on datasets kept out of
meta-training, a ``MetaClassifier`` adapts from the new knowledge base, and
the knowledge base is exported to the JSON exchange format. This script
writes its CSV files (from scikit-learn's bundled and generated datasets) to
a temporary folder.

``SKMETA_EXAMPLE_FAST=1`` uses fewer datasets, strategies and configurations
(the test suite runs it that way).
"""

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import (
    load_breast_cancer,
    load_iris,
    load_wine,
    make_circles,
    make_classification,
    make_moons,
)

from skmeta import KnowledgeBase, MetaClassifier, MetaLearner, load_csv

FAST = os.environ.get("SKMETA_EXAMPLE_FAST") == "1"


def write_csv(folder, name, X, y):
    table = pd.DataFrame(np.asarray(X)).add_prefix("x")
    table["target"] = y
    table.to_csv(folder / f"{name}.csv", index=False)


def training_datasets():
    yield "iris", *load_iris(return_X_y=True)
    yield "wine", *load_wine(return_X_y=True)
    yield "breast_cancer", *load_breast_cancer(return_X_y=True)
    yield "moons", *make_moons(300, noise=0.3, random_state=0)
    n_generated = 3 if FAST else 12
    for i in range(n_generated):
        yield f"generated_{i}", *make_classification(
            n_samples=200 + 100 * i, n_features=5 + 3 * i, n_informative=3 + i,
            n_classes=2 + i % 3, flip_y=0.02 * i, random_state=i,
        )


def held_out_datasets():
    yield "circles", *make_circles(400, noise=0.2, factor=0.5, random_state=1)
    yield "held_out_generated", *make_classification(
        n_samples=500, n_features=12, n_informative=6, n_classes=3, random_state=99
    )


with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    train_folder, test_folder = tmp / "train", tmp / "held_out"
    train_folder.mkdir()
    test_folder.mkdir()
    for name, X, y in training_datasets():
        write_csv(train_folder, name, X, y)
    for name, X, y in held_out_datasets():
        write_csv(test_folder, name, X, y)
    print(f"{len(list(train_folder.glob('*.csv')))} training and "
          f"{len(list(test_folder.glob('*.csv')))} held-out CSV files")

    # Meta-train: every (strategy, configuration) on every dataset, stored.
    portfolio = (["logistic_regression", "knn", "gaussian_nb"] if FAST
                 else ["logistic_regression", "knn", "gaussian_nb", "random_forest",
                       "hist_gradient_boosting", "svm_rbf"])
    learner = MetaLearner(
        knowledge_base=tmp / "kb.sqlite",
        portfolio=portfolio,
        n_configs_per_strategy=1 if FAST else 5,
        cv=3,
        n_jobs=2,
        random_state=0,
    )
    learner.fit(train_folder)
    summary = learner.knowledge_base_.summary()
    print(f"knowledge base: {summary['n_datasets']} datasets, "
          f"{summary['n_evaluations']} evaluations "
          f"({learner.n_evaluated_} run now, {learner.n_reused_} reused)")

    # Run it again: everything is found in the knowledge base, nothing re-runs.
    again = MetaLearner(**learner.get_params()).fit(train_folder)
    print(f"second fit: {again.n_evaluated_} run, {again.n_reused_} reused")

    # Meta-test: how good is the top recommendation on unseen datasets?
    report = learner.evaluate(test_folder)
    print("\nmeta-test on held-out datasets (normalized_score: 1 = best configuration,"
          " 0 = median):")
    print(report[["dataset", "recommended_strategy", "recommended_score",
                  "best_strategy", "best_score", "normalized_score"]]
          .round(3).to_string(index=False))

    # Adapt to a held-out dataset, starting from this knowledge base.
    data = load_csv(test_folder / "circles.csv", target="target")
    clf = MetaClassifier(meta_learner=learner, n_evaluations=3 if FAST else 10,
                         cv=3, random_state=0)
    clf.fit(data.X, data.y)
    print(f"\nMetaClassifier on circles: {clf.best_strategy_}, "
          f"cross-validated score {clf.best_score_:.3f}")

    # Exchange: a versioned JSON document, validated on import, never unpickled.
    learner.knowledge_base_.export_json(tmp / "kb.json.gz")
    copy = KnowledgeBase.from_json(tmp / "kb.json.gz")
    print(f"exported and re-imported: {len(copy)} evaluations")
    copy.close()
    again.knowledge_base_.close()
    learner.knowledge_base_.close()
