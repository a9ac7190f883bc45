"""Small numpy learners for landmarking.

Each is a function ``fit_predict(X_train, y_train, X_test, task)`` returning
predictions for ``X_test``. For classification ``y_train`` holds integer class
codes. They implement the same decision rules as their scikit-learn
counterparts (``KNeighborsClassifier(1)``, ``DecisionTreeClassifier`` with
gini, ``GaussianNB``, ``RidgeClassifier``, and the regressors), without the
per-call validation that costs about a millisecond each and would dominate the
extraction time on small datasets. Tie-breaking can differ (the tree takes the
first of equally good splits where scikit-learn visits features in a random
order).
"""

from __future__ import annotations

import numpy as np

#: Elements of the largest temporary array a learner builds.
_BLOCK_ELEMENTS = 500_000
#: Two feature values closer than this are not split (as scikit-learn).
_FEATURE_THRESHOLD = 1e-7


def nearest_neighbour(X_train, y_train, X_test, task):
    """1-nearest neighbour, Euclidean distance; ties go to the first row."""
    squared_norms = np.einsum("ij,ij->i", X_train, X_train)
    prediction = np.empty(len(X_test), dtype=y_train.dtype)
    block = max(1, min(len(X_test), _BLOCK_ELEMENTS // max(1, len(X_train))))
    # One reused buffer: allocating large temporaries costs more than the math.
    distances = np.empty((block, len(X_train)))
    for start in range(0, len(X_test), block):
        rows = slice(start, start + block)
        part = distances[: len(X_test[rows])]
        # ||a - b||^2 = ||a||^2 - 2 a.b + ||b||^2; ||a||^2 does not change the argmin.
        np.matmul(X_test[rows], X_train.T, out=part)
        part *= -2.0
        part += squared_norms
        prediction[rows] = y_train[np.argmin(part, axis=1)]
    return prediction


def naive_bayes(X_train, y_train, X_test, task):
    """Gaussian naive Bayes with scikit-learn's variance smoothing (1e-9)."""
    classes, counts = np.unique(y_train, return_counts=True)
    smoothing = 1e-9 * X_train.var(axis=0).max(initial=0.0)
    log_likelihood = np.empty((len(X_test), len(classes)))
    for i, c in enumerate(classes):
        members = X_train[y_train == c]
        mean = members.mean(axis=0)
        var = members.var(axis=0) + smoothing
        log_likelihood[:, i] = (
            np.log(counts[i] / len(y_train))
            - 0.5 * np.sum(np.log(2.0 * np.pi * var))
            - 0.5 * np.sum((X_test - mean) ** 2 / var, axis=1)
        )
    return classes[np.argmax(log_likelihood, axis=1)]


def ridge(X_train, y_train, X_test, task, alpha=1.0):
    """Ridge regression (alpha=1); as a classifier on +-1 one-hot targets."""
    if task == "regression":
        targets = y_train[:, None]
    else:
        classes = np.unique(y_train)
        targets = np.where(y_train[:, None] == classes[None, :], 1.0, -1.0)
    x_mean, t_mean = X_train.mean(axis=0), targets.mean(axis=0)
    xc, tc = X_train - x_mean, targets - t_mean
    n, d = xc.shape
    if d <= n:
        coef = np.linalg.solve(xc.T @ xc + alpha * np.eye(d), xc.T @ tc)
    else:  # the dual form is the smaller system
        coef = xc.T @ np.linalg.solve(xc @ xc.T + alpha * np.eye(n), tc)
    scores = (X_test - x_mean) @ coef + t_mean
    if task == "regression":
        return scores.ravel()
    return classes[np.argmax(scores, axis=1)]


def decision_tree(X_train, y_train, X_test, task, max_depth=3):
    """CART tree (gini or squared error) grown to ``max_depth``, no pruning."""
    n_classes = int(y_train.max()) + 1 if task != "regression" else 0
    # Sorted once; a child node keeps its rows' part of each sorted column.
    order = np.argsort(X_train, axis=0, kind="stable")
    x_sorted = np.take_along_axis(X_train, order, axis=0)
    tree = _grow(x_sorted, order, y_train, n_classes, max_depth)
    return _predict(tree, X_test, y_train.dtype)


def decision_stump(X_train, y_train, X_test, task):
    """A decision tree of depth one."""
    return decision_tree(X_train, y_train, X_test, task, max_depth=1)


def _grow(x_sorted, order, y, n_classes, depth):
    """A tree of nested tuples: ``(value,)`` or ``(feature, threshold, left, right)``.

    Column ``j`` of ``order`` lists the node's rows sorted by feature ``j``,
    and column ``j`` of ``x_sorted`` their values of feature ``j``.
    """
    node_y = y[order[:, 0]]
    leaf = (np.argmax(np.bincount(node_y, minlength=n_classes)) if n_classes
            else node_y.mean(),)
    if depth == 0 or len(node_y) < 2 or np.all(node_y == node_y[0]):
        return leaf
    split = _best_split(x_sorted, y[order], n_classes)
    if split is None:
        return leaf
    feature, threshold = split
    goes_left = np.zeros(len(y), dtype=bool)
    goes_left[order[:, feature][x_sorted[:, feature] <= threshold]] = True
    children = []
    for side in (goes_left[order], ~goes_left[order]):
        size = int(side[:, 0].sum())
        children.append(_grow(
            x_sorted.T[side.T].reshape(-1, size).T,
            order.T[side.T].reshape(-1, size).T,
            y, n_classes, depth - 1,
        ))
    return (feature, threshold, *children)


def _best_split(x_sorted, y_sorted, n_classes):
    """The (feature, threshold) of the best split of a node, or None.

    ``x_sorted`` and ``y_sorted`` hold each feature's values in increasing
    order and the targets in that order. Maximizes scikit-learn's proxy of
    the impurity decrease over every feature and every position between two
    distinct values at once: ``sum_k L_k**2 / n_L + sum_k R_k**2 / n_R`` for
    gini (class counts left and right) and ``S_L**2 / n_L + S_R**2 / n_R``
    for squared error (target sums).
    """
    n, d = x_sorted.shape
    node_classes = np.unique(y_sorted[:, 0]) if n_classes else None
    best_proxy, best = -np.inf, None
    width = max(1, _BLOCK_ELEMENTS // n)
    for start in range(0, d, width):
        block = slice(start, start + width)
        xs, ys = x_sorted[:, block], y_sorted[:, block]
        # Candidate splits: after row i of sorted column j, where valid[i, j].
        valid = xs[1:] > xs[:-1] + _FEATURE_THRESHOLD
        if not valid.any():
            continue
        n_left = np.broadcast_to(np.arange(1.0, n)[:, None], valid.shape)[valid]
        n_right = n - n_left
        if n_classes:
            proxy = np.zeros(len(n_left))
            for k in node_classes:
                counts = np.cumsum(ys == k, axis=0)
                left = counts[:-1][valid]
                right = counts[-1, 0] - left
                proxy += left * left / n_left + right * right / n_right
        else:
            sums = np.cumsum(ys, axis=0)
            left = sums[:-1][valid]
            right = (sums[-1] - sums[:-1])[valid]
            proxy = left * left / n_left + right * right / n_right
        candidate = np.argmax(proxy)
        if proxy[candidate] > best_proxy:
            best_proxy = proxy[candidate]
            i, j = divmod(int(np.flatnonzero(valid)[candidate]), valid.shape[1])
            low, high = xs[i, j], xs[i + 1, j]
            threshold = (low + high) / 2.0
            if threshold == high:  # rounding: keep the high value on the right
                threshold = low
            best = (start + j, threshold)
    return best


def _predict(node, X, dtype):
    if len(node) == 1:
        return np.full(len(X), node[0], dtype=dtype)
    feature, threshold, left, right = node
    goes_left = X[:, feature] <= threshold
    prediction = np.empty(len(X), dtype=dtype)
    prediction[goes_left] = _predict(left, X[goes_left], dtype)
    prediction[~goes_left] = _predict(right, X[~goes_left], dtype)
    return prediction
