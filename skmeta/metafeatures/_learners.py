"""Small numpy learners for landmarking.

Each is a function ``fit_predict(X_train, y_train, X_test, task)`` returning
predictions for ``X_test``. For classification ``y_train`` holds integer class
codes. They implement the same decision rules as their scikit-learn
counterparts (``KNeighborsClassifier(1)`` and ``(5)``,
``DecisionTreeClassifier`` with gini, ``GaussianNB``, ``RidgeClassifier``,
``LogisticRegression``, and the regressors), without the per-call
validation that costs about a millisecond each and would dominate the
extraction time on small datasets. Tie-breaking can differ (the tree takes the
first of equally good splits where scikit-learn visits features in a random
order). :func:`extra_trees` grows scikit-learn's own trees with its tree
builder, as ``ExtraTreesClassifier`` and ``ExtraTreesRegressor`` do, without
the forest's per-tree cloning and checks: the same predictions.
:func:`rbf_svm` is the exception: a cheap stand-in for ``SVC()`` and
``SVR()``, not the same rule.
"""

from __future__ import annotations

import threading
import warnings

import numpy as np
from scipy import optimize
from scipy.special import expit
from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVR

from skmeta._sklearn_compat import (
    CRITERIA_CLF,
    CRITERIA_REG,
    DENSE_SPLITTERS,
    DepthFirstTreeBuilder,
    HalfMultinomialLoss,
    Tree,
)

_LOCAL = threading.local()

#: Elements of the largest temporary array a learner builds.
_BLOCK_ELEMENTS = 500_000
#: Two feature values closer than this are not split (as scikit-learn).
_FEATURE_THRESHOLD = 1e-7


def nearest_neighbour(X_train, y_train, X_test, task):
    """1-nearest neighbour, Euclidean distance; ties go to the first row."""
    return nearest_neighbours(X_train, y_train, X_test, task, k=1)


def nearest_neighbours(X_train, y_train, X_test, task, k=5):
    """k-nearest neighbours, Euclidean distance, uniform weights.

    The majority class of the ``k`` nearest training rows (the smallest of
    tied classes, as scikit-learn's), or the mean of their targets.

    Raises
    ------
    ValueError
        With fewer than ``k`` training rows (as scikit-learn).

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.metafeatures._learners import nearest_neighbours
    >>> X = np.array([[0.0], [1.0], [2.0], [10.0], [11.0]])
    >>> y = np.array([0, 0, 1, 1, 1])
    >>> nearest_neighbours(X, y, np.array([[0.5], [10.5]]), "binary", k=3).tolist()
    [0, 1]
    """
    if len(X_train) < k:
        raise ValueError(f"{k} neighbours, {len(X_train)} training rows.")
    squared_norms = np.einsum("ij,ij->i", X_train, X_train)
    neighbours = np.empty((len(X_test), k), dtype=np.int64)
    block = max(1, min(len(X_test), _BLOCK_ELEMENTS // max(1, len(X_train))))
    # One reused buffer: allocating large temporaries costs more than the math.
    distances = np.empty((block, len(X_train)))
    for start in range(0, len(X_test), block):
        rows = slice(start, start + block)
        part = distances[: len(X_test[rows])]
        # ||a - b||^2 = ||a||^2 - 2 a.b + ||b||^2; ||a||^2 does not change the order.
        np.matmul(X_test[rows], X_train.T, out=part)
        part *= -2.0
        part += squared_norms
        if k == 1:
            neighbours[rows, 0] = np.argmin(part, axis=1)
        else:
            neighbours[rows] = np.argpartition(part, k - 1, axis=1)[:, :k]
    if k == 1:
        return y_train[neighbours[:, 0]]
    if task == "regression":
        return y_train[neighbours].mean(axis=1)
    n_classes = int(y_train.max()) + 1
    codes = np.arange(len(X_test))[:, None] * n_classes + y_train[neighbours]
    votes = np.bincount(codes.ravel(), minlength=len(X_test) * n_classes)
    winner = np.argmax(votes.reshape(len(X_test), n_classes), axis=1)
    return winner.astype(y_train.dtype)


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


def logistic_regression(X_train, y_train, X_test, task, C=1.0):
    """Binary logistic regression, scikit-learn's L2 objective, by Newton's method.

    Minimizes ``sum(w**2) / 2 + C * sum(log_loss)`` with an unpenalized
    intercept (``LogisticRegression(C=C)``), solved to convergence instead of
    to lbfgs's tolerance; two classes only (scikit-learn fits several by a
    multinomial model).

    Raises
    ------
    ValueError
        Unless ``y_train`` has exactly two classes.

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.metafeatures._learners import logistic_regression
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> logistic_regression(X, np.array([0, 0, 1, 1]), np.array([[-3.0], [0.5]]),
    ...                     "binary").tolist()
    [0, 1]
    """
    classes = np.unique(y_train)
    if len(classes) != 2:
        raise ValueError(f"two classes needed, got {len(classes)}.")
    positive = (y_train == classes[1]).astype(float)
    design = np.hstack([X_train, np.ones((len(X_train), 1))])
    penalty = np.full(design.shape[1], 1.0 / C)
    penalty[-1] = 1e-12  # the intercept is not penalized (this keeps H invertible)
    beta = np.zeros(design.shape[1])
    for _ in range(100):
        p = expit(design @ beta)
        gradient = design.T @ (p - positive) + penalty * beta
        hessian = (design.T * (p * (1.0 - p))) @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) <= 1e-10 * max(1.0, np.max(np.abs(beta))):
            break
    scores = X_test @ beta[:-1] + beta[-1]
    return np.where(scores > 0, classes[1], classes[0])


def multinomial_logistic_regression(X_train, y_train, X_test, task, C=1.0,
                                    max_iter=300):
    """Multinomial logistic regression: ``LogisticRegression(C=C, max_iter=max_iter)``.

    scikit-learn's own fit for several classes, the same objective (its
    multinomial loss, mean over the rows, plus ``sum(w**2) / (2 * C * n)``, the
    intercepts unpenalized) with the same gradient, minimized by the same
    L-BFGS-B call from the same start, so the same coefficients; without
    ``fit``'s checks and the loss object's per-iteration overhead, which cost
    more than the optimization on a few hundred rows.

    Raises
    ------
    ValueError
        With fewer than two classes (as scikit-learn).

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.metafeatures._learners import multinomial_logistic_regression
    >>> X = np.array([[0.0], [0.2], [1.0], [1.2], [2.0], [2.2]])
    >>> y = np.array([0, 0, 1, 1, 2, 2])
    >>> multinomial_logistic_regression(X, y, np.array([[0.1], [2.1]]),
    ...                                 "multiclass").tolist()
    [0, 2]
    """
    classes, codes = np.unique(y_train, return_inverse=True)
    if len(classes) < 2:
        raise ValueError(f"at least two classes needed, got {len(classes)}.")
    if HalfMultinomialLoss is not None:
        try:
            return _multinomial_fit_predict(X_train, codes, classes, X_test, C, max_iter)
        except (TypeError, AttributeError):  # pragma: no cover - a changed private API
            pass
    model = LogisticRegression(C=C, max_iter=max_iter)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X_train, y_train).predict(X_test)


def _multinomial_fit_predict(X_train, codes, classes, X_test, C, max_iter):
    """:func:`multinomial_logistic_regression` by scikit-learn's private loss."""
    target = codes.astype(np.float64)
    n_rows, n_features = X_train.shape
    n_classes = len(classes)
    loss_function = HalfMultinomialLoss(n_classes=n_classes)
    l2 = 1.0 / (C * n_rows)

    # LinearModelLoss.loss_gradient's arithmetic, operation for operation (the
    # coefficients of a feature are contiguous, the intercepts last).
    def loss_gradient(coef):
        both = coef.reshape((n_classes, -1), order="F")
        weights, intercept = both[:, :-1], both[:, -1]
        raw = X_train @ weights.T + intercept
        loss, pointwise = loss_function.loss_gradient(
            y_true=target, raw_prediction=raw, sample_weight=None, n_threads=1)
        loss = float(np.sum(loss) / n_rows)
        flat = np.ravel(weights, order="K")
        loss += float(0.5 * l2 * np.dot(flat, flat))
        pointwise /= n_rows
        gradient = np.empty((n_classes, n_features + 1), order="F")
        gradient[:, :n_features] = pointwise.T @ X_train + l2 * weights
        gradient[:, -1] = np.sum(pointwise, axis=0)
        return loss, gradient.ravel(order="F")

    result = optimize.minimize(
        loss_gradient, np.zeros(n_classes * (n_features + 1)), method="L-BFGS-B",
        jac=True, options={"maxiter": max_iter, "maxls": 50, "gtol": 1e-4,
                           "ftol": 64 * np.finfo(float).eps})
    both = result.x.reshape((n_classes, -1), order="F")
    scores = X_test @ both[:, :-1].T + both[:, -1]
    return classes[np.argmax(scores, axis=1)]


def rbf_svm(X_train, y_train, X_test, task, n_components=100, seed=0):
    """A linear model on Nystroem features of an RBF kernel: a cheap kernel SVM.

    The kernel is scikit-learn's ``SVC()``'s, ``exp(-gamma * ||a - b||**2)``
    with ``gamma = 1 / (n_features * X_train.var())``; its Nystroem map is
    built on ``n_components`` training rows drawn with ``seed`` (all of them
    when there are fewer). On the mapped rows, classification fits
    :func:`ridge` (alpha=1): liblinear's hinge loss converges slowly and ranks
    datasets as ridge does. Regression fits ``SVR()``'s own loss,
    epsilon-insensitive with epsilon=0.1 and C=1 (for a standardized target),
    by liblinear in at most 200 passes: ridge's squared loss misses what the
    SVM's robustness to outlying targets says about a dataset. Either way the
    score tracks that of the RBF support vector machine at a fraction of its
    cost, which grows with the square of the rows.

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.metafeatures._learners import rbf_svm
    >>> X = np.array([[-2.0], [-1.5], [-0.1], [0.1], [1.5], [2.0]])
    >>> y = np.array([1, 1, 0, 0, 1, 1])  # not linearly separable
    >>> rbf_svm(X, y, np.array([[-1.8], [0.0], [1.7]]), "binary").tolist()
    [1, 0, 1]
    """
    variance = X_train.var()
    gamma = 1.0 / (X_train.shape[1] * variance) if variance > 0 else 1.0
    n_components = min(n_components, len(X_train))
    centres = X_train[np.random.default_rng(seed).choice(
        len(X_train), n_components, replace=False)]
    eigenvalues, eigenvectors = np.linalg.eigh(_rbf_kernel(centres, centres, gamma))
    # K_mm^(-1/2), its smallest eigenvalues left out (as scikit-learn's Nystroem).
    keep = eigenvalues > 1e-12 * max(eigenvalues.max(), 1e-300)
    projection = eigenvectors[:, keep] / np.sqrt(eigenvalues[keep])
    train = _rbf_kernel(X_train, centres, gamma) @ projection
    test = _rbf_kernel(X_test, centres, gamma) @ projection
    if task != "regression":
        return ridge(train, y_train, test, task)
    model = LinearSVR(epsilon=0.1, C=1.0, loss="epsilon_insensitive", dual=True,
                      max_iter=200, random_state=_legacy_random_state(seed))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(train, y_train).predict(test)


def extra_trees(X_train, y_train, X_test, task, n_trees=5, seed=0):
    """An extra-trees forest: ``ExtraTreesClassifier(n_trees, random_state=seed)``.

    Or ``ExtraTreesRegressor``: the same trees (each seeded as the forest seeds
    it), grown by scikit-learn's tree builder, and the same predictions, the
    mean of the trees' class shares (or values). The forest's ``fit`` clones
    and checks every tree, which costs more than growing five trees on a few
    hundred rows.

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.metafeatures._learners import extra_trees
    >>> X = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [12.0]])
    >>> y = np.array([0, 0, 0, 1, 1, 1])
    >>> extra_trees(X, y, np.array([[0.5], [11.5]]), "binary").tolist()
    [0, 1]
    """
    if Tree is not None:
        try:
            return _grown_extra_trees(X_train, y_train, X_test, task, n_trees, seed)
        except (TypeError, AttributeError):  # pragma: no cover - a changed private API
            pass
    forest = ExtraTreesRegressor if task == "regression" else ExtraTreesClassifier
    return forest(n_trees, random_state=seed).fit(X_train, y_train).predict(X_test)


def _grown_extra_trees(X_train, y_train, X_test, task, n_trees, seed):
    """:func:`extra_trees` by scikit-learn's private tree builder."""
    X_train = np.asarray(X_train, dtype=np.float32)
    X_test = np.asarray(X_test, dtype=np.float32)
    n_rows, n_features = X_train.shape
    if task == "regression":
        targets = np.ascontiguousarray(y_train, dtype=np.float64).reshape(-1, 1)
        n_classes = np.ones(1, dtype=np.intp)
        max_features = n_features  # the regressor's max_features=1.0
        total = np.zeros(len(X_test))
    else:
        classes, codes = np.unique(y_train, return_inverse=True)
        targets = codes.astype(np.float64).reshape(-1, 1)
        n_classes = np.array([len(classes)], dtype=np.intp)
        max_features = max(1, int(np.sqrt(n_features)))  # max_features="sqrt"
        total = np.zeros((len(X_test), len(classes)))
    max_int = np.iinfo(np.int32).max
    state = _legacy_random_state(seed)
    tree_seeds = [state.randint(max_int) for _ in range(n_trees)]  # as the forest
    for tree_seed in tree_seeds:
        tree_state = _legacy_random_state(tree_seed)  # drawn from as the tree is built
        criterion = (CRITERIA_REG["squared_error"](1, n_rows) if task == "regression"
                     else CRITERIA_CLF["gini"](1, n_classes))
        splitter = DENSE_SPLITTERS["random"](criterion, max_features, 1, 0.0,
                                             tree_state, None)
        tree = Tree(n_features, n_classes, 1)
        DepthFirstTreeBuilder(splitter, 2, 1, 0.0, max_int, 0.0).build(
            tree, X_train, targets, None, None)
        prediction = tree.predict(X_test)
        total += prediction[:, 0] if task == "regression" else prediction
    total /= n_trees
    if task == "regression":
        return total
    return classes.take(np.argmax(total, axis=1))


def _legacy_random_state(seed):
    """This thread's ``np.random.RandomState``, seeded with ``seed``.

    In the state of ``np.random.RandomState(seed)``, without building one: a
    new RandomState first seeds its generator from the operating system, which
    costs 0.1 ms, more than growing a tree on a few hundred rows. Its draws are
    the caller's until the next call in the thread.
    """
    state = getattr(_LOCAL, "random_state", None)
    if state is None:
        state = _LOCAL.random_state = np.random.RandomState()
    state.seed(seed)
    return state


def _rbf_kernel(A, B, gamma):
    squared = (np.einsum("ij,ij->i", A, A)[:, None] - 2.0 * (A @ B.T)
               + np.einsum("ij,ij->i", B, B)[None, :])
    return np.exp(-gamma * np.maximum(squared, 0.0))


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
    if depth == 0 or len(node_y) < 2 or np.all(node_y == node_y[0]):
        return _leaf(node_y, n_classes)
    split = _best_split(x_sorted, y[order], n_classes)
    if split is None:
        return _leaf(node_y, n_classes)
    feature, threshold = split
    goes_left = np.zeros(len(y), dtype=bool)
    goes_left[order[:, feature][x_sorted[:, feature] <= threshold]] = True
    if depth == 1:  # leaves below: their targets suffice, in the same row order
        first = order[:, 0]
        left = goes_left[first]
        return (feature, threshold, _leaf(y[first[left]], n_classes),
                _leaf(y[first[~left]], n_classes))
    left = goes_left[order]
    children = []
    for side in (left, ~left):
        size = int(side[:, 0].sum())
        children.append(_grow(
            x_sorted.T[side.T].reshape(-1, size).T,
            order.T[side.T].reshape(-1, size).T,
            y, n_classes, depth - 1,
        ))
    return (feature, threshold, *children)


def _leaf(node_y, n_classes):
    """A leaf: the node's most frequent class (the first of tied ones) or mean."""
    return (np.argmax(np.bincount(node_y, minlength=n_classes)) if n_classes
            else node_y.mean(),)


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
