"""Small data, a small meta-learner and checks shared by the reliability suite."""

import hashlib
import sqlite3
from contextlib import closing

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification, make_regression

from skmeta import Dataset, MetaLearner

#: Real, fast strategies the suite runs beside the faulty ones.
PORTFOLIO = ["gaussian_nb", "logistic_regression", "knn", "ridge"]


def classification_data(n_samples=90, seed=0):
    X, y = make_classification(n_samples, 5, n_informative=3, n_redundant=0,
                               random_state=seed)
    return pd.DataFrame(X, columns=[f"f{i}" for i in range(5)]), y


def regression_data(n_samples=90, seed=0):
    X, y = make_regression(n_samples, 5, n_informative=3, noise=5.0, random_state=seed)
    return pd.DataFrame(X, columns=[f"f{i}" for i in range(5)]), y


def small_datasets():
    """Three tiny classification and three tiny regression datasets."""
    datasets = []
    for i in range(3):
        X, y = classification_data(60 + 10 * i, seed=10 + i)
        datasets.append(Dataset(X, y, name=f"classification_{i}"))
        X, y = regression_data(60 + 10 * i, seed=20 + i)
        datasets.append(Dataset(X, y, name=f"regression_{i}"))
    return datasets


def small_learner(knowledge_base=None, **params):
    """A MetaLearner meta-trained on :func:`small_datasets` (a few seconds)."""
    params = {"portfolio": PORTFOLIO, "n_configs_per_strategy": 0, "cv": 2,
              "evaluation_timeout": None, "random_state": 0, **params}
    return MetaLearner(knowledge_base=knowledge_base, **params).fit(small_datasets())


def search_params(learner, params):
    """``params`` for a MetaClassifier or MetaRegressor that starts from the
    fitted ``learner`` (``meta_learner``), unless they give a ``knowledge_base``
    (the two do not go together)."""
    return params if "knowledge_base" in params else {"meta_learner": learner, **params}


def all_finite(values):
    return bool(np.all(np.isfinite(np.asarray(values, dtype=float))))


def database_digest(path):
    """A hash of every row of every table of a SQLite file, and its row counts.

    Read through SQLite (WAL included), so it compares contents, not bytes.
    """
    digest = hashlib.sha256()
    counts = {}
    with closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            rows = conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
            counts[table] = len(rows)
            digest.update(table.encode())
            digest.update(repr(rows).encode())
        digest.update(repr(conn.execute("PRAGMA user_version").fetchall()).encode())
    return digest.hexdigest(), counts
