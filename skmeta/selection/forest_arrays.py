"""A fitted regression forest as plain numpy arrays, and predictions from them.

The meta-models shipped with skmeta (``skmeta/data/meta_models.npz``, see
:mod:`skmeta.selection.meta_models_file`) are extra-trees forests. Storing them with
pickle would tie the file to one scikit-learn version and run code on load;
:class:`ForestArrays` keeps only what a prediction needs, as arrays that
:func:`numpy.load` reads with ``allow_pickle=False``, and predicts with
vectorized numpy: every (tree, sample) pair descends one level per step.

Layout (all trees concatenated, tree by tree):

- ``n_internal``, ``n_leaves`` (int32, one per tree): node counts.
- ``feature`` (int16, or int32 for wide inputs), ``threshold`` (float32),
  ``missing_left`` (bool), ``left`` and ``right`` (int16, or int32 for big
  trees): one entry per *internal* node, in scikit-learn's depth-first
  order. A child ``c >= 0`` is the tree's internal node ``c`` (always after
  its parent); ``c < 0`` is its leaf ``-1 - c``.
- ``value`` (float32, shape ``(n_leaves_total, n_outputs)``): one row per leaf.

Thresholds are stored as float32 without changing a single decision.
scikit-learn casts ``X`` to float32 and compares it with a float64
threshold ``t``; for a float32 ``x``, ``x <= t`` exactly when ``x <=
floor32(t)``, the largest float32 not above ``t`` -- which is what is stored.
Leaf values are float32 (a relative error below 6e-8 per leaf, so
predictions agree with scikit-learn's to about 1e-7); float16 would save
little once compressed and changes predictions by about 1e-4.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ForestArrays", "prefixed", "unprefixed"]

#: Array names of a forest, in the order they are stored.
ARRAY_NAMES = ("n_internal", "n_leaves", "feature", "threshold", "missing_left",
               "left", "right", "value")


def prefixed(prefix, arrays):
    """``arrays`` with every name as ``prefix/name``.

    Examples
    --------
    >>> from skmeta.selection.forest_arrays import prefixed, unprefixed
    >>> stored = prefixed("scaler", {"median": 1})
    >>> stored
    {'scaler/median': 1}
    >>> unprefixed("scaler", stored)
    {'median': 1}
    """
    return {f"{prefix}/{name}": value for name, value in arrays.items()}


def unprefixed(prefix, arrays):
    """The entries of ``arrays`` named ``prefix/name``, as ``name``."""
    start = f"{prefix}/"
    return {name[len(start):]: arrays[name] for name in arrays if name.startswith(start)}


def _floor_float32(values):
    """The largest float32 not above each float64 value."""
    values = np.asarray(values, dtype=np.float64)
    rounded = values.astype(np.float32)
    above = rounded.astype(np.float64) > values
    rounded[above] = np.nextafter(rounded[above], np.float32(-np.inf))
    return rounded


def _index_dtype(max_value):
    return np.int16 if max_value < np.iinfo(np.int16).max else np.int32


class ForestArrays:
    """A fitted ``ExtraTreesRegressor`` (or any forest regressor) as arrays.

    Build one with :meth:`from_forest` or :meth:`from_arrays`; it predicts
    like the forest (:meth:`predict`) and converts back to arrays with
    :meth:`to_arrays`.

    Attributes
    ----------
    n_trees : int
    n_features_in_ : int
    n_outputs_ : int
    arrays : dict of str to ndarray
        The stored layout (see the module's description).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import ExtraTreesRegressor
    >>> from skmeta.selection.forest_arrays import ForestArrays
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(200, 4)), rng.normal(size=200)
    >>> forest = ExtraTreesRegressor(n_estimators=20, random_state=0).fit(X, y)
    >>> arrays = ForestArrays.from_forest(forest)
    >>> bool(np.allclose(arrays.predict(X), forest.predict(X), rtol=0, atol=1e-6))
    True
    >>> copy = ForestArrays.from_arrays(arrays.to_arrays())
    >>> bool(np.array_equal(copy.predict(X), arrays.predict(X)))
    True
    """

    def __init__(self, arrays, n_features_in):
        self.arrays = arrays
        self.n_features_in_ = int(n_features_in)
        self.n_trees = len(arrays["n_internal"])
        self.n_outputs_ = arrays["value"].shape[1]
        self._compile()

    # -- conversion ----------------------------------------------------------
    @classmethod
    def from_forest(cls, forest):
        """Convert a fitted scikit-learn forest regressor.

        Parameters
        ----------
        forest : ExtraTreesRegressor or RandomForestRegressor
            Fitted, with one or several outputs.

        Returns
        -------
        ForestArrays
        """
        trees = getattr(forest, "estimators_", None)
        if not trees:
            raise ValueError("the forest is not fitted (it has no estimators_).")
        parts = {name: [] for name in ARRAY_NAMES}
        for estimator in trees:
            tree = estimator.tree_
            if tree.value.shape[2] != 1:
                raise ValueError("only regression forests can be converted.")
            is_leaf = tree.children_left == -1
            internal = np.flatnonzero(~is_leaf)
            leaves = np.flatnonzero(is_leaf)
            code = np.empty(tree.node_count, dtype=np.int64)
            code[internal] = np.arange(len(internal))
            code[leaves] = -1 - np.arange(len(leaves))
            if len(internal) and code[0] != 0:
                raise ValueError("a tree's root must be its first node.")
            parts["n_internal"].append([len(internal)])
            parts["n_leaves"].append([len(leaves)])
            parts["feature"].append(tree.feature[internal])
            parts["threshold"].append(_floor_float32(tree.threshold[internal]))
            missing = getattr(tree, "missing_go_to_left", None)
            parts["missing_left"].append(
                np.zeros(len(internal), bool) if missing is None
                else np.asarray(missing, bool)[internal]
            )
            parts["left"].append(code[tree.children_left[internal]])
            parts["right"].append(code[tree.children_right[internal]])
            parts["value"].append(tree.value[leaves, :, 0].astype(np.float32))
        arrays = {name: np.concatenate(parts[name]) for name in ARRAY_NAMES}
        arrays["n_internal"] = arrays["n_internal"].astype(np.int32)
        arrays["n_leaves"] = arrays["n_leaves"].astype(np.int32)
        arrays["feature"] = arrays["feature"].astype(_index_dtype(forest.n_features_in_))
        widest = max(int(arrays["n_internal"].max()), int(arrays["n_leaves"].max()))
        for name in ("left", "right"):
            arrays[name] = arrays[name].astype(_index_dtype(widest))
        return cls(arrays, forest.n_features_in_)

    def to_arrays(self):
        """The arrays to store (see the module's description), and the width.

        Returns
        -------
        dict of str to ndarray
            The layout's arrays plus ``n_features_in`` (a 0-d int64 array).
        """
        return {**self.arrays, "n_features_in": np.asarray(self.n_features_in_, np.int64)}

    @classmethod
    def from_arrays(cls, arrays):
        """Rebuild from :meth:`to_arrays`'s output, checking its consistency.

        Raises
        ------
        ValueError
            If an array is missing or the arrays do not describe a forest.
        """
        missing = [n for n in (*ARRAY_NAMES, "n_features_in") if n not in arrays]
        if missing:
            raise ValueError(f"the forest's arrays lack {missing}.")
        arrays = {name: np.asarray(arrays[name]) for name in (*ARRAY_NAMES, "n_features_in")}
        n_internal, n_leaves = arrays["n_internal"], arrays["n_leaves"]
        total = int(n_internal.sum())
        value = arrays["value"]
        problems = []
        if len(n_internal) == 0 or len(n_leaves) != len(n_internal):
            problems.append("the per-tree node counts disagree")
        if (n_leaves != n_internal + 1).any():
            problems.append("a binary tree has one leaf more than internal nodes")
        for name in ("feature", "threshold", "missing_left", "left", "right"):
            if arrays[name].shape != (total,):
                problems.append(f"{name} must have one entry per internal node")
        if value.ndim != 2 or value.shape[0] != int(n_leaves.sum()):
            problems.append("value must have one row per leaf")
        n_features = int(arrays["n_features_in"])
        if total and not problems and (
            arrays["feature"].min() < 0 or arrays["feature"].max() >= n_features
        ):
            problems.append("a feature index is out of range")
        if problems:
            raise ValueError("not a forest: " + "; ".join(problems) + ".")
        forest = cls({n: arrays[n] for n in ARRAY_NAMES}, n_features)
        return forest

    # -- prediction ----------------------------------------------------------
    def _compile(self):
        """Global node numbers: internal nodes first, then leaves."""
        a = self.arrays
        n_internal = a["n_internal"].astype(np.int64)
        n_leaves = a["n_leaves"].astype(np.int64)
        internal_start = np.concatenate([[0], np.cumsum(n_internal)[:-1]])
        leaf_start = np.concatenate([[0], np.cumsum(n_leaves)[:-1]])
        self._n_internal = int(n_internal.sum())
        tree_of = np.repeat(np.arange(self.n_trees), n_internal)
        local = np.arange(self._n_internal) - internal_start[tree_of]
        children = []
        for name in ("left", "right"):
            code = a[name].astype(np.int64)
            glob = np.where(code >= 0, internal_start[tree_of] + code,
                            self._n_internal + leaf_start[tree_of] - 1 - code)
            if self._n_internal and (
                glob.min() < 0
                or glob.max() >= self._n_internal + len(a["value"])
                or ((code >= 0) & (code >= n_internal[tree_of])).any()
                or ((code < 0) & (-1 - code >= n_leaves[tree_of])).any()
            ):
                raise ValueError("not a forest: a child index is out of range.")
            # Children come after their parent (depth-first order), so every
            # descent ends at a leaf: no cycle can make predict loop.
            if ((code >= 0) & (code <= local)).any():
                raise ValueError("not a forest: a child comes before its parent.")
            children.append(glob.astype(np.int32 if glob.max(initial=0) < 2**31 else np.int64))
        self._left, self._right = children
        self._roots = np.where(n_internal > 0, internal_start,
                               self._n_internal + leaf_start)
        self._feature = a["feature"].astype(np.intp)
        self._threshold = a["threshold"].astype(np.float32)
        self._missing_left = a["missing_left"].astype(bool)

    def apply(self, X):
        """The leaf reached in every tree, as an index into ``value``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_in_)

        Returns
        -------
        ndarray of shape (n_trees, n_samples)
        """
        X = self._check_X(X)
        n_samples = X.shape[0]
        nodes = np.repeat(self._roots, n_samples)
        samples = np.tile(np.arange(n_samples), self.n_trees)
        active = np.flatnonzero(nodes < self._n_internal)
        has_nan = bool(np.isnan(X).any())
        # One step per level: every (tree, sample) pair not yet at a leaf
        # moves to a child; the pairs that reach a leaf drop out.
        while active.size:
            node = nodes[active]
            x = X[samples[active], self._feature[node]]
            left = x <= self._threshold[node]
            if has_nan:
                nan = np.isnan(x)
                left[nan] = self._missing_left[node[nan]]
            child = np.where(left, self._left[node], self._right[node])
            nodes[active] = child
            active = active[child < self._n_internal]
        return (nodes - self._n_internal).reshape(self.n_trees, n_samples)

    def predict(self, X):
        """The mean of the trees' predictions, as the forest's ``predict``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_in_)
            Cast to float32 first, as scikit-learn does.

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_outputs_)
        """
        leaves = self.apply(X)
        values = self.arrays["value"][leaves]  # (n_trees, n_samples, n_outputs)
        predicted = values.sum(axis=0, dtype=np.float64) / self.n_trees
        return predicted[:, 0] if self.n_outputs_ == 1 else predicted

    def _check_X(self, X):
        with np.errstate(over="ignore"):  # too large for float32: inf, refused below
            X = np.asarray(X, dtype=np.float32)
        if X.ndim != 2 or X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X must have shape (n_samples, {self.n_features_in_}), got {X.shape}."
            )
        if np.isinf(X).any():
            raise ValueError("X contains infinity or a value too large for float32.")
        return X

    @property
    def n_nodes(self):
        """Internal nodes plus leaves, over all trees."""
        return self._n_internal + len(self.arrays["value"])
