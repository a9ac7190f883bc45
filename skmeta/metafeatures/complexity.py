"""PCA and data-complexity meta-features.

PCA runs on the standardized encoded matrix (the one the landmarkers see, at
most ``MAX_PAIRWISE_FEATURES`` of its columns, a random subset beyond), so it
is scale-free and includes categorical features; pymfe's t3/t4 use the raw
numeric matrix instead. ``eigenvalues`` are those of the raw covariance matrix
of the numeric features, as pymfe's.

The complexity measures of Ho and Basu (2002), as defined by ECoL and pymfe,
are computed on the numeric features for classification:

- ``f1``: per feature, ``1 / (1 + r)`` with ``r`` Fisher's discriminant ratio
  ``sum_c n_c (mean_c - mean)**2 / sum_c sum_(i in c) (x_i - mean_c)**2``;
  small values mean a feature that separates the classes. ``f1.min`` is
  ``1 / (1 + max r)``, the original F1.
- ``f2``: per pair of classes, the product over features of the overlap of
  the two classes' value ranges relative to their joint range (a feature
  with no range, or no values in a class, overlaps fully; pymfe gives NaN).
- ``f3``: per pair of classes, the share of the pair's rows that the most
  efficient single feature leaves in the overlap region (1 - maximum
  feature efficiency).

The pair measures use at most ``MAX_CLASS_PAIRS`` pairs (a random subset
beyond).
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from skmeta.metafeatures._summary import (
    Measure,
    per_feature,
    skewness_kurtosis,
    summarize,
)
from skmeta.metafeatures._table import MAX_PAIRWISE_FEATURES

#: Most class pairs entering f2 and f3.
MAX_CLASS_PAIRS = 500

MEASURES = [
    Measure("pca.n_components_95", "all",
            "number of principal components explaining 95% of the variance of "
            "the standardized encoded features"),
    Measure("pca.fraction_components_95", "all",
            "pca.n_components_95 / number of encoded features (pymfe t4 on "
            "standardized data)"),
    Measure("pca.first_explained_variance", "all",
            "share of the variance explained by the first principal component"),
    Measure("pca.first_component_skewness", "all",
            "skewness (type 3) of the first principal component, oriented so "
            "that its largest loading is positive"),
    Measure("pca.first_component_kurtosis", "all",
            "excess kurtosis (type 3) of the first principal component"),
    per_feature("eigenvalues", "all",
                "eigenvalues of the covariance matrix of the numeric features "
                "(pymfe eigenvalues)"),
    per_feature("f1", "classification",
                "1 / (1 + Fisher's discriminant ratio) of each numeric feature "
                "(pymfe/ECoL f1)"),
    Measure("f2.mean", "classification",
            "mean over class pairs of the volume of the overlapping region (ECoL f2)"),
    Measure("f2.max", "classification",
            "maximum over class pairs of the volume of the overlapping region"),
    Measure("f3.mean", "classification",
            "mean over class pairs of 1 - maximum feature efficiency (ECoL f3)"),
    Measure("f3.max", "classification",
            "maximum over class pairs of 1 - maximum feature efficiency"),
]


def compute(table, y, task, rng):
    """PCA and complexity meta-features of an analysed table.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skmeta.metafeatures import extract_metafeatures
    >>> X, y = load_iris(return_X_y=True)
    >>> values = extract_metafeatures(X, y, groups="complexity")
    >>> values[["pca.n_components_95", "f1.min"]].round(4).tolist()
    [2.0, 0.0586]
    """
    out = _pca(table.encoded, rng)
    cov, _ = table.covariance
    finite = np.isfinite(cov).all(axis=0)
    out.update(summarize("eigenvalues", np.linalg.eigvalsh(cov[finite][:, finite])))
    if task != "regression" and table.numeric.shape[1]:
        out.update(summarize("f1", _fisher_f1(table.numeric, y)))
        pairs = _class_pairs(y, rng)
        volume = _overlap_volume(table.numeric, y, pairs)
        out.update(summarize("f2", volume, ("mean", "max")))
        share = _overlap_share(table.numeric, y, pairs)
        out.update(summarize("f3", share, ("mean", "max")))
    return out


def _pca(encoded, rng):
    n, d = encoded.shape
    if d > MAX_PAIRWISE_FEATURES:
        chosen = rng.choice(d, MAX_PAIRWISE_FEATURES, replace=False)
        encoded = encoded[:, np.sort(chosen)]
        d = MAX_PAIRWISE_FEATURES
    if d == 0 or n < 2:
        return {}
    eigenvalues, eigenvectors = np.linalg.eigh(encoded.T @ encoded / (n - 1))
    eigenvalues = np.clip(eigenvalues[::-1], 0.0, None)
    ratio = eigenvalues / eigenvalues.sum()
    # scikit-learn's PCA(n_components=0.95) rule.
    n_components = int(np.searchsorted(np.cumsum(ratio), 0.95, side="right")) + 1
    n_components = min(n_components, d)
    first = eigenvectors[:, -1]
    first = first * np.sign(first[np.argmax(np.abs(first))])
    skew, kurt = skewness_kurtosis(encoded @ first)
    return {
        "pca.n_components_95": n_components,
        "pca.fraction_components_95": n_components / d,
        "pca.first_explained_variance": ratio[0],
        "pca.first_component_skewness": skew[0],
        "pca.first_component_kurtosis": kurt[0],
    }


def _fisher_f1(x, y):
    present = ~np.isnan(x)
    onehot = (y[:, None] == np.arange(int(y.max()) + 1)).astype(float)
    class_counts = onehot.T @ present  # (n_classes, n_features), without missing
    class_means = (onehot.T @ np.where(present, x, 0.0)) / class_counts
    overall = np.nansum(x, axis=0) / present.sum(axis=0)
    between = np.nansum(class_counts * (class_means - overall) ** 2, axis=0)
    within = np.nansum((x - class_means[y]) ** 2, axis=0)
    return np.where(between + within > 0, 1.0 / (1.0 + between / within), np.nan)


def _class_pairs(y, rng):
    pairs = list(combinations(np.unique(y), 2))
    if len(pairs) > MAX_CLASS_PAIRS:
        chosen = np.sort(rng.choice(len(pairs), MAX_CLASS_PAIRS, replace=False))
        pairs = [pairs[i] for i in chosen]
    return pairs


def _class_ranges(x, y):
    classes = int(y.max()) + 1
    low = np.full((classes, x.shape[1]), np.nan)
    high = np.full((classes, x.shape[1]), np.nan)
    for c in np.unique(y):
        members = x[y == c]
        low[c] = np.fmin.reduce(members, axis=0)
        high[c] = np.fmax.reduce(members, axis=0)
    return low, high


def _overlap_bounds(low, high, a, b):
    """The overlap region [maxmin, minmax] of classes a and b per feature."""
    return np.maximum(low[a], low[b]), np.minimum(high[a], high[b])


def _overlap_volume(x, y, pairs):
    low, high = _class_ranges(x, y)
    volumes = []
    for a, b in pairs:
        maxmin, minmax = _overlap_bounds(low, high, a, b)
        span = np.maximum(high[a], high[b]) - np.minimum(low[a], low[b])
        with np.errstate(all="ignore"):
            overlap = np.maximum(0.0, minmax - maxmin) / span
        volumes.append(np.prod(np.where(np.isfinite(overlap), overlap, 1.0)))
    return volumes


def _overlap_share(x, y, pairs):
    low, high = _class_ranges(x, y)
    shares = []
    for a, b in pairs:
        maxmin, minmax = _overlap_bounds(low, high, a, b)
        members = x[(y == a) | (y == b)]
        inside = np.sum((members >= maxmin) & (members <= minmax), axis=0)
        undefined = ~(np.isfinite(maxmin) & np.isfinite(minmax))
        inside = np.where(undefined, len(members), inside)
        shares.append(inside.min() / len(members))
    return shares
