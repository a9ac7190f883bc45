"""Landmarking meta-features: how well cheap learners do on the dataset.

The landmarkers see the encoded matrix of the analysed table (median-imputed
numeric features and one-hot categorical levels, standardized; see
:attr:`Table.encoded <skmeta.metafeatures._table.Table.encoded>`), within a
budget that bounds their time whatever the size of the table (see
:func:`within_budget`): at most :data:`MAX_LANDMARK_ROWS` rows (a further
subsample, stratified for classification) and :data:`MAX_LANDMARK_CELLS`
cells (wider data: fewer rows, at least :data:`MIN_LANDMARK_ROWS`, then a
random subset of the encoded features).

- Quick learners (:data:`LEARNERS`: 1-NN, stump, naive Bayes, ridge, depth-3
  tree; numpy implementations) and model landmarkers (:data:`MODEL_LEARNERS`:
  small versions of the default portfolio's learners: 5-NN and two-class
  logistic regression in numpy, scikit-learn's multinomial logistic
  regression and extra trees without their estimators' overhead, and a
  linear model on Nystroem features of the RBF kernel standing in for the RBF
  SVM) are evaluated by ``n_folds``-fold cross-validation on those rows,
  stratified for classification, their score computed once on the
  out-of-fold predictions of all folds (each fold's rows split once for all).

The model landmarkers need the rows: which of them wins, and by how much,
carries the recommendation quality, and on a few hundred rows it lost much of
it (see ``benchmarks/reports/metatrain_quality15.txt``). On 2,000 rows the RBF
SVM itself would cost most of the extraction time (its fit grows with the
square of the rows); the stand-in, a linear model on 100 Nystroem components
of the same kernel (see :func:`~skmeta.metafeatures._learners.rbf_svm`),
costs a few milliseconds and scores the datasets as the SVM does (Spearman
0.98 over the corpus's classification tasks, 0.99 over its regression tasks).

Scores are accuracy for classification and R² for regression.
``lm_<learner>.gap`` is how far a learner falls behind the best landmarker
(0 for the best): which kind of learner wins on a dataset says more about the
strategies that suit it than the scores themselves do, and a tree-based
meta-model cannot subtract two meta-features by itself. Every learner is
scored on the same rows and folds, so a gap measures the learners, not the
rows.

``lm_<learner>.fit_seconds`` is the mean time to fit the learner and predict
one fold; it measures the machine as well as the data and is not
reproducible. pymfe's landmarkers use 10 unshuffled folds and report the mean
and sd of fold accuracies, so their values differ from these.
"""

from __future__ import annotations

import time
from functools import partial

import numpy as np
from sklearn import config_context

from skmeta.metafeatures._learners import (
    decision_stump,
    decision_tree,
    extra_trees,
    logistic_regression,
    multinomial_logistic_regression,
    naive_bayes,
    nearest_neighbour,
    nearest_neighbours,
    rbf_svm,
    ridge,
)
from skmeta.metafeatures._summary import Measure
from skmeta.metafeatures._table import subsample_rows

#: Most rows the landmarkers are evaluated on.
MAX_LANDMARK_ROWS = 2_000
#: Most cells (rows x encoded features) the landmarkers are evaluated on.
MAX_LANDMARK_CELLS = 100_000
#: Fewest rows kept when the cell budget lowers the row budget.
MIN_LANDMARK_ROWS = 500

#: name -> (learner, tasks, description)
LEARNERS = {
    "1nn": (nearest_neighbour, "all", "1-nearest neighbour (Euclidean)"),
    "stump": (decision_stump, "all", "decision stump (depth-1 CART tree)"),
    "naive_bayes": (naive_bayes, "classification", "Gaussian naive Bayes"),
    "ridge": (ridge, "all", "ridge (alpha=1) classifier or regressor"),
    "tree": (decision_tree, "all", "depth-3 CART tree"),
}


def _binary_or_multinomial(X_train, y_train, X_test, task):
    """Logistic regression: Newton's method for two classes, else scikit-learn's."""
    if len(np.unique(y_train)) == 2:
        return logistic_regression(X_train, y_train, X_test, task)
    return multinomial_logistic_regression(X_train, y_train, X_test, task)


#: name -> (classifier, regressor or None, description). The names are those
#: of the default portfolio's strategies; a learner of :data:`SEEDED` gets a
#: seed from the group's generator. Each is a learner of ``_learners``: the
#: scikit-learn model's decision rule (or its own fit) without its per-call
#: overhead, which costs more than the fit on a few hundred rows.
MODEL_LEARNERS = {
    "knn": (partial(nearest_neighbours, k=5), partial(nearest_neighbours, k=5),
            "5-nearest-neighbours model"),
    "logistic_regression": (_binary_or_multinomial, None, "logistic regression (C=1)"),
    # The portfolio's RBF SVM, as a linear model on 100 Nystroem components of
    # its kernel.
    "svm_rbf": (rbf_svm, rbf_svm,
                "linear model on Nystroem features of an RBF kernel (a cheap RBF SVM)"),
    # Five trees rank datasets as ten do (Spearman 0.99 over the corpus, as
    # close as two seeds of ten) at half the cost.
    "extra_trees": (partial(extra_trees, n_trees=5), partial(extra_trees, n_trees=5),
                    "extra-trees forest of 5 trees"),
}
#: The function learners of MODEL_LEARNERS that take a ``seed``.
SEEDED = frozenset({"extra_trees"})

_KINDS = {
    "score": "accuracy (R² for regression) of a {learner}, {how}",
    "fit_seconds": "mean seconds to fit and predict one fold with a {learner} "
                   "(not reproducible)",
    "gap": "best landmarker score minus that of a {learner} (0 for the best), all "
           "scored on the same rows and folds",
}


def _measures():
    learners = [
        (name, tasks, description)
        for name, (_, tasks, description) in LEARNERS.items()
    ] + [
        (name, "all" if regressor is not None else "classification", description)
        for name, (_, regressor, description) in MODEL_LEARNERS.items()
    ]
    how = f"cross-validated on at most {MAX_LANDMARK_ROWS} rows"
    return [
        Measure(f"lm_{name}.{kind}", tasks, text.format(learner=description, how=how))
        for name, tasks, description in learners
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
    X, y = within_budget(X, y, task, rng, MAX_LANDMARK_ROWS, MIN_LANDMARK_ROWS,
                         MAX_LANDMARK_CELLS)
    splits = fold_splits(X, *fold_ids(y, task, n_folds, rng))
    out.update(_quick_landmarks(X, y, task, splits))
    out.update(_model_landmarks(X, y, task, rng, splits))
    scores = {key: value for key, value in out.items() if key.endswith(".score")}
    if not np.all(np.isnan(list(scores.values()))):
        best = np.nanmax(list(scores.values()))
        for key, value in scores.items():
            out[key.replace(".score", ".gap")] = best - value
    return out


def _quick_landmarks(X, y, task, splits):
    out = {}
    for name, (learner, tasks, _) in LEARNERS.items():
        if tasks == "classification" and task == "regression":
            continue
        out[f"lm_{name}.score"], out[f"lm_{name}.fit_seconds"] = _cross_validate(
            learner, X, y, task, splits)
    return out


def within_budget(X, y, task, rng, max_rows, min_rows, max_cells):
    """Rows and columns of ``X`` (and ``y``) within a row and a cell budget.

    At most ``max_rows`` rows (a subsample, stratified for classification),
    fewer for wide data so that ``max_cells`` are not exceeded, but at least
    ``min_rows``; then, if still needed, a random subset of the columns.
    The generator is used only when something is left out.
    """
    n_rows = min(max_rows, max(min_rows, max_cells // X.shape[1]))
    rows = subsample_rows(y, task, n_rows, rng)
    if rows is not None:
        X, y = X[rows], y[rows]
    n_features = max(1, max_cells // len(y))
    if X.shape[1] > n_features:
        X = X[:, np.sort(rng.choice(X.shape[1], n_features, replace=False))]
    return X, y


def model_landmarks(X, y, task, rng, *, n_folds=3):
    """Scores and timings of the :data:`MODEL_LEARNERS` on all rows of ``X``.

    NaN for a learner that cannot be fitted (such as 5-NN on fewer than 5
    rows).
    """
    splits = fold_splits(X, *fold_ids(y, task, n_folds, rng))
    return _model_landmarks(X, y, task, rng, splits)


def _model_landmarks(X, y, task, rng, splits):
    if task == "regression":
        # The SVM's epsilon is in target units: the score must not depend on them.
        y = (y - y.mean()) / (y.std() or 1.0)
    out = {}
    # The models' parameters are fixed and the matrix is finite: scikit-learn's
    # checks of both cost more than fitting on a few hundred rows.
    with config_context(assume_finite=True, skip_parameter_validation=True):
        for name, (classifier, regressor, _) in MODEL_LEARNERS.items():
            model = regressor if task == "regression" else classifier
            if model is None:
                continue
            if name in SEEDED:
                model = partial(model, seed=int(rng.integers(2**31 - 1)))
            out[f"lm_{name}.score"], out[f"lm_{name}.fit_seconds"] = _cross_validate(
                model, X, y, task, splits, errors=(ValueError,))
    return out


def _cross_validate(learner, X, y, task, splits, errors=()):
    """Score of the out-of-fold predictions, and mean seconds per fold.

    ``splits`` are :func:`fold_splits` of ``X``. The score is NaN if a fold
    raises one of ``errors`` (e.g. fewer training rows than neighbours).
    """
    prediction = np.empty_like(y)
    seconds = []
    for test, X_train, X_test in splits:
        start = time.perf_counter()
        try:
            prediction[test] = learner(X_train, y[~test], X_test, task)
        except errors:
            return np.nan, float(np.mean([*seconds, time.perf_counter() - start]))
        seconds.append(time.perf_counter() - start)
    return score(y, prediction, task), float(np.mean(seconds))


def fold_splits(X, folds, n_folds):
    """Each fold's test rows (a mask) and training and test parts of ``X``.

    Made once for all the landmarkers, read-only (a learner must not change
    the rows the next one is given).
    """
    splits = []
    for fold in range(n_folds):
        test = folds == fold
        X_train, X_test = X[~test], X[test]
        X_train.flags.writeable = X_test.flags.writeable = False
        splits.append((test, X_train, X_test))
    return splits


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
