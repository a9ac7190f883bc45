"""Landmarking meta-features: how well cheap learners do on the dataset.

The landmarkers see the encoded matrix of the analysed table (median-imputed
numeric features and one-hot categorical levels, standardized; see
:attr:`Table.encoded <skmeta.metafeatures._table.Table.encoded>`), within a
budget that keeps the quadratic 1-NN cheap: at most :data:`MAX_LANDMARK_ROWS`
rows (a further subsample, stratified for classification) and
:data:`MAX_LANDMARK_CELLS` cells (wider data: fewer rows, at least
:data:`MIN_LANDMARK_ROWS`, then a random subset of the encoded features).

- Quick learners (:data:`LEARNERS`: 1-NN, stump, naive Bayes, ridge, depth-3
  tree; numpy implementations) are evaluated by ``n_folds``-fold
  cross-validation, stratified for classification, their score computed once
  on the out-of-fold predictions of all folds.
- Model landmarkers (:data:`MODEL_LEARNERS`: small scikit-learn versions of
  the default portfolio's learners) are cross-validated the same way on at
  most :data:`MAX_MODEL_LANDMARK_ROWS` of those rows (for regression, on the
  standardized target).

Scores are accuracy for classification and R² for regression.
``lm_<learner>.gap`` is how far a learner falls behind the best landmarker
(0 for the best): which kind of learner wins on a dataset says more about the
strategies that suit it than the scores themselves do, and a tree-based
meta-model cannot subtract two meta-features by itself.

``lm_<learner>.fit_seconds`` is the mean time to fit the learner and predict
one fold; it measures the machine as well as the data and is not
reproducible. pymfe's landmarkers use 10 unshuffled folds and report the mean
and sd of fold accuracies, so their values differ from these.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.svm import SVC, SVR

from skmeta.metafeatures._learners import (
    decision_stump,
    decision_tree,
    naive_bayes,
    nearest_neighbour,
    ridge,
)
from skmeta.metafeatures._summary import Measure
from skmeta.metafeatures._table import subsample_rows

#: Most rows the landmarkers are evaluated on.
MAX_LANDMARK_ROWS = 5_000
#: Most cells (rows x encoded features) the landmarkers are evaluated on.
MAX_LANDMARK_CELLS = 1_000_000
#: Fewest rows kept when the cell budget lowers the row budget.
MIN_LANDMARK_ROWS = 1_000

#: Most rows the model landmarkers are evaluated on.
MAX_MODEL_LANDMARK_ROWS = 2_000

#: name -> (learner, tasks, description)
LEARNERS = {
    "1nn": (nearest_neighbour, "all", "1-nearest neighbour (Euclidean)"),
    "stump": (decision_stump, "all", "decision stump (depth-1 CART tree)"),
    "naive_bayes": (naive_bayes, "classification", "Gaussian naive Bayes"),
    "ridge": (ridge, "all", "ridge (alpha=1) classifier or regressor"),
    "tree": (decision_tree, "all", "depth-3 CART tree"),
}

#: name -> (classifier, regressor or None, description). The names are those
#: of the default portfolio's strategies; a model with a ``random_state`` gets
#: one from the group's generator.
MODEL_LEARNERS = {
    "knn": (KNeighborsClassifier(5), KNeighborsRegressor(5), "5-nearest-neighbours model"),
    "logistic_regression": (LogisticRegression(max_iter=300), None,
                            "logistic regression (C=1)"),
    "svm_rbf": (SVC(), SVR(), "support vector machine (RBF kernel, C=1)"),
    "extra_trees": (ExtraTreesClassifier(10), ExtraTreesRegressor(10),
                    "extra-trees forest of 10 trees"),
}

_KINDS = {
    "score": "accuracy (R² for regression) of a {learner}, {how}",
    "fit_seconds": "mean seconds to fit and predict one fold with a {learner} "
                   "(not reproducible)",
    "gap": "best landmarker score minus that of a {learner} (0 for the best)",
}


def _measures():
    learners = [
        (name, tasks, description, "cross-validated")
        for name, (_, tasks, description) in LEARNERS.items()
    ] + [
        (name, "all" if regressor is not None else "classification", description,
         f"cross-validated on at most {MAX_MODEL_LANDMARK_ROWS} rows")
        for name, (_, regressor, description) in MODEL_LEARNERS.items()
    ]
    return [
        Measure(f"lm_{name}.{kind}", tasks, text.format(learner=description, how=how))
        for name, tasks, description, how in learners
        for kind, text in _KINDS.items()
    ]


MEASURES = _measures()


def compute(table, y, task, rng, *, n_folds=3):
    """Landmarking meta-features of an analysed table.

    NaN when no feature varies.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skmeta.metafeatures import extract_metafeatures
    >>> X, y = load_iris(return_X_y=True)
    >>> values = extract_metafeatures(X, y, groups="landmarking", random_state=0)
    >>> bool(values["lm_1nn.score"] > 0.9)
    True
    """
    X = table.encoded
    out = {}
    if X.shape[1] == 0:
        return out
    n_rows = min(MAX_LANDMARK_ROWS,
                 max(MIN_LANDMARK_ROWS, MAX_LANDMARK_CELLS // X.shape[1]))
    rows = subsample_rows(y, task, n_rows, rng)
    if rows is not None:
        X, y = X[rows], y[rows]
    n_features = max(1, MAX_LANDMARK_CELLS // len(y))
    if X.shape[1] > n_features:
        X = X[:, np.sort(rng.choice(X.shape[1], n_features, replace=False))]
    folds, n_folds = fold_ids(y, task, n_folds, rng)
    for name, (learner, tasks, _) in LEARNERS.items():
        if tasks == "classification" and task == "regression":
            continue
        prediction = np.empty_like(y)
        seconds = []
        for fold in range(n_folds):
            test = folds == fold
            start = time.perf_counter()
            prediction[test] = learner(X[~test], y[~test], X[test], task)
            seconds.append(time.perf_counter() - start)
        out[f"lm_{name}.score"] = score(y, prediction, task)
        out[f"lm_{name}.fit_seconds"] = float(np.mean(seconds))
    out.update(model_landmarks(X, y, task, rng, n_folds=n_folds))
    scores = {key: value for key, value in out.items() if key.endswith(".score")}
    if not np.all(np.isnan(list(scores.values()))):
        best = np.nanmax(list(scores.values()))
        for key, value in scores.items():
            out[key.replace(".score", ".gap")] = best - value
    return out


def model_landmarks(X, y, task, rng, *, n_folds=3):
    """Scores and timings of the :data:`MODEL_LEARNERS`.

    Cross-validated on at most :data:`MAX_MODEL_LANDMARK_ROWS` rows; NaN for
    a learner that cannot be fitted (such as 5-NN on fewer than 5 rows).
    """
    rows = subsample_rows(y, task, MAX_MODEL_LANDMARK_ROWS, rng)
    if rows is not None:
        X, y = X[rows], y[rows]
    if task == "regression":
        # SVR's epsilon is in target units: the score must not depend on them.
        y = (y - y.mean()) / (y.std() or 1.0)
    folds, n_folds = fold_ids(y, task, n_folds, rng)
    out = {}
    for name, (classifier, regressor, _) in MODEL_LEARNERS.items():
        model = regressor if task == "regression" else classifier
        if model is None:
            continue
        if "random_state" in model.get_params():
            model = clone(model).set_params(random_state=int(rng.integers(2**31 - 1)))
        prediction = np.empty_like(y)
        seconds = []
        for fold in range(n_folds):
            test = folds == fold
            start = time.perf_counter()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    fitted = clone(model).fit(X[~test], y[~test])
                prediction[test] = fitted.predict(X[test])
            except ValueError:  # e.g. fewer training rows than neighbours
                prediction = None
                break
            finally:
                seconds.append(time.perf_counter() - start)
        out[f"lm_{name}.score"] = np.nan if prediction is None else score(y, prediction, task)
        out[f"lm_{name}.fit_seconds"] = float(np.mean(seconds))
    return out


def fold_ids(y, task, n_folds, rng):
    """Fold number of each row, and the number of folds (at most one per row).

    Rows are shuffled and, for classification, grouped by class before being
    dealt out to the folds in turn, so every fold gets its share of each class.
    """
    n = len(y)
    n_folds = min(n_folds, n)
    order = rng.permutation(n)
    if task != "regression":
        order = order[np.argsort(y[order], kind="stable")]
    folds = np.empty(n, dtype=np.int64)
    folds[order] = np.arange(n) % n_folds
    return folds, n_folds


def score(y, prediction, task):
    """Accuracy for classification, R² for regression (NaN for a constant target)."""
    if task != "regression":
        return float(np.mean(prediction == y))
    total = np.sum((y - y.mean()) ** 2)
    if total == 0:
        return np.nan
    return float(1.0 - np.sum((y - prediction) ** 2) / total)
