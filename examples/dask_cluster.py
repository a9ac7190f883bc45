"""Running skmeta's evaluations on a dask cluster.

skmeta parallelizes with joblib: ``MetaLearner.fit`` runs its evaluations
with ``n_jobs``, and ``MetaClassifier`` / ``MetaRegressor`` evaluate each
step's batch of proposals with ``n_jobs``. Under joblib's dask backend those
tasks go to the workers of a dask cluster instead of local processes; the
results do not depend on where they ran.

This script starts a local cluster, meta-trains a knowledge base on it, and
adapts a ``MetaClassifier`` to a new dataset from that knowledge base. For a
real cluster, connect the client to its scheduler instead:
``Client("tcp://scheduler-address:8786")``; the workers need skmeta
installed. Needs ``pip install "skmeta[dask]"``. ``SKMETA_EXAMPLE_FAST=1``
uses fewer datasets and evaluations (the test suite runs it that way).
"""

import os

import joblib
from distributed import Client, LocalCluster
from sklearn.datasets import (
    load_breast_cancer,
    load_iris,
    load_wine,
    make_classification,
)

from skmeta import MetaClassifier, MetaLearner

FAST = os.environ.get("SKMETA_EXAMPLE_FAST") == "1"
N_EVALUATIONS = 4 if FAST else 20


def collection():
    datasets = [load_iris(return_X_y=True), load_wine(return_X_y=True),
                load_breast_cancer(return_X_y=True)]
    for i in range(2 if FAST else 10):
        datasets.append(make_classification(n_samples=300, n_features=8 + i,
                                            random_state=i))
    return datasets


def main():
    datasets = collection()
    X, y = make_classification(n_samples=400, n_features=15, n_informative=5,
                               n_classes=3, random_state=42)  # not in the collection
    # processes=False keeps the fast run light; a real cluster has processes.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=not FAST,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        print(f"dask cluster with {len(client.scheduler_info()['workers'])} workers")
        with joblib.parallel_config(backend="dask"):
            learner = MetaLearner(
                portfolio=["logistic_regression", "knn", "gaussian_nb"],
                n_configs_per_strategy=1 if FAST else 5, n_jobs=-1, random_state=0,
            )
            learner.fit(datasets)
            print(f"meta-trained on {len(datasets)} datasets: "
                  f"{learner.n_evaluated_} evaluations ran on the cluster")

            clf = MetaClassifier(meta_learner=learner, n_evaluations=N_EVALUATIONS,
                                 proposals_per_step=2, cv=3, n_jobs=-1, random_state=0)
            clf.fit(X, y)
            print(f"MetaClassifier on a new dataset: {clf.best_strategy_}, "
                  f"cross-validated score {clf.best_score_:.3f}")

    # The same fit without the cluster makes the same search.
    local = MetaClassifier(meta_learner=learner, n_evaluations=N_EVALUATIONS,
                           proposals_per_step=2, cv=3, random_state=0).fit(X, y)
    same = local.trace_["strategy"].tolist() == clf.trace_["strategy"].tolist()
    print(f"same search without the cluster: {same}")


if __name__ == "__main__":  # dask's worker processes import this file
    main()
