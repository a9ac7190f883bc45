"""Statistical meta-features of the numeric features.

Per-feature moments and spread, outliers, normality, sparsity, pairwise
correlations and covariances, and canonical correlations with the target.
Categorical features do not enter these measures (pymfe includes their
dummy-coded columns); every measure is NaN when there is no numeric feature.
Missing values are left out of each feature's measures, and each pairwise
measure uses the rows where both features are present. Pairwise measures use
at most ``MAX_PAIRWISE_FEATURES`` numeric features (a random subset beyond).
"""

from __future__ import annotations

import numpy as np

from skmeta.metafeatures._summary import (
    Measure,
    per_feature,
    skewness_kurtosis,
    summarize,
)

MEASURES = [
    per_feature("mean", "all", "mean of each numeric feature (pymfe mean)"),
    per_feature("sd", "all",
                "standard deviation (ddof=1) of each numeric feature (pymfe sd)"),
    per_feature("iq_range", "all",
                "interquartile range of each numeric feature (pymfe iq_range)"),
    per_feature("skewness", "all",
                "skewness (type 3: m3 / s**3) of each numeric feature "
                "(pymfe skewness)"),
    per_feature("kurtosis", "all",
                "excess kurtosis (type 3: m4 / s**4 - 3) of each numeric feature "
                "(pymfe kurtosis)"),
    per_feature("outlier_fraction", "all",
                "share of a numeric feature's values beyond 1.5 IQR from its "
                "quartiles"),
    Measure("n_outlier_features", "all",
            "number of numeric features with a value beyond 1.5 IQR from their "
            "quartiles (pymfe nr_outliers)"),
    Measure("sparsity", "all", "share of numeric values that are exactly zero"),
    Measure("normal_fraction", "all",
            "share of numeric features (with at least 8 values) whose "
            "Jarque-Bera test does not reject normality at the 5% level"),
    per_feature("abs_cor", "all",
                "absolute Pearson correlation of each pair of numeric features "
                "(pymfe cor)"),
    per_feature("abs_cov", "all",
                "absolute covariance of each pair of numeric features (pymfe cov)"),
    Measure("high_cor_fraction", "all",
            "share of pairs of numeric features with absolute correlation >= 0.5 "
            "(pymfe nr_cor_attr)"),
    Measure("can_cor.max", "all",
            "first canonical correlation between the numeric features and the "
            "one-hot classes; for regression the multiple correlation with the "
            "target"),
    Measure("can_cor.mean", "classification",
            "mean of the canonical correlations (at most n_classes - 1) "
            "(pymfe can_cor.mean)"),
    Measure("wilks_lambda", "classification",
            "Wilks' lambda, the product of (1 - can_cor**2) (pymfe w_lambda)"),
    per_feature("target_abs_cor", "regression",
                "absolute Pearson correlation of each numeric feature with the "
                "target (ECoL c1/c2 use Spearman's)"),
]

#: Fewest values of a feature for the Jarque-Bera test to be used.
MIN_VALUES_NORMALITY = 8


def compute(table, y, task, rng):
    """Statistical meta-features of an analysed table.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skmeta.metafeatures import extract_metafeatures
    >>> X, y = load_iris(return_X_y=True)
    >>> values = extract_metafeatures(X, y, groups="statistical")
    >>> values[["abs_cor.max", "can_cor.max"]].round(4).tolist()
    [0.9629, 0.9848]
    """
    x = table.numeric
    count = table.observed
    skew, kurt = skewness_kurtosis(x)
    q25, q75 = table.quantiles([0.25, 0.75])
    iqr = q75 - q25
    outside = (x < q25 - 1.5 * iqr) | (x > q75 + 1.5 * iqr)
    has_values = count > 0
    out = {}
    out.update(summarize("mean", np.nansum(x, axis=0)[has_values] / count[has_values]))
    out.update(summarize("sd", np.nanstd(x[:, count > 1], axis=0, ddof=1)))
    out.update(summarize("iq_range", iqr))
    out.update(summarize("skewness", skew))
    out.update(summarize("kurtosis", kurt))
    outlier_fraction = outside.sum(axis=0)[has_values] / count[has_values]
    out.update(summarize("outlier_fraction", outlier_fraction))
    n_numeric = x.shape[1]
    out["n_outlier_features"] = np.sum(outside.any(axis=0)) if n_numeric else np.nan
    out["sparsity"] = np.sum(x == 0) / count.sum() if count.sum() else np.nan
    out["normal_fraction"] = _normal_fraction(skew, kurt, count)

    cov, cor = table.covariance
    lower = np.tril_indices(len(table.pairwise_columns), k=-1)
    abs_cor = np.abs(cor[lower])
    abs_cor = abs_cor[~np.isnan(abs_cor)]
    out.update(summarize("abs_cor", abs_cor))
    out.update(summarize("abs_cov", np.abs(cov[lower])))
    out["high_cor_fraction"] = np.mean(abs_cor >= 0.5) if abs_cor.size else np.nan

    pairwise = table.imputed_numeric[:, table.pairwise_columns]
    if task == "regression":
        out["can_cor.max"] = _first_or_nan(_canonical_correlations(pairwise, y, task))
        target_cor = np.where(table.is_constant, np.nan, _target_correlations(x, y))
        out.update(summarize("target_abs_cor", np.abs(target_cor)))
    else:
        can_cor = _canonical_correlations(pairwise, y, task)
        out["can_cor.max"] = _first_or_nan(can_cor)
        out["can_cor.mean"] = can_cor.mean() if can_cor.size else np.nan
        out["wilks_lambda"] = np.prod(1 - can_cor**2) if can_cor.size else np.nan
    return out


def _first_or_nan(values):
    return values[0] if len(values) else np.nan


def _normal_fraction(skew, kurt, count):
    """Share of features not rejected by the Jarque-Bera test at 5%."""
    usable = (count >= MIN_VALUES_NORMALITY) & ~np.isnan(skew)
    if not usable.any():
        return np.nan
    n = count[usable].astype(float)
    # Jarque-Bera uses the biased moment ratios; undo the type 3 corrections.
    g1 = skew[usable] / ((n - 1) / n) ** 1.5
    g2 = (kurt[usable] + 3) / (1 - 1 / n) ** 2 - 3
    statistic = n / 6 * (g1**2 + g2**2 / 4)
    p_value = np.exp(-statistic / 2)  # chi-squared survival function, 2 dof
    return float(np.mean(p_value > 0.05))


def _canonical_correlations(x, y, task):
    """Canonical correlations between the columns of ``x`` and the target.

    The target is the one-hot class matrix (at most n_classes - 1
    correlations) or the regression target (one correlation, the multiple
    correlation). Computed exactly: the singular values of ``Z W`` where
    ``W`` whitens the scatter ``X'X`` of the standardized features
    (rank-revealing, so collinear or constant features are fine) and
    ``Z'Z = X' P_Y X`` is the scatter explained by the target; in descending
    order.
    """
    x = x - x.mean(axis=0)
    scale = np.sqrt(np.sum(x * x, axis=0))
    x = x[:, scale > 0] / scale[scale > 0]  # the correlations are scale-free
    if x.shape[1] == 0:
        return np.empty(0)
    if task == "regression":
        centered = y - y.mean()
        norm = np.sqrt(centered @ centered)
        if norm == 0:
            return np.empty(0)
        z = (centered @ x)[None, :] / norm
        n_max = 1
    else:
        counts = np.bincount(y)
        present = counts > 0
        onehot = y[:, None] == np.flatnonzero(present)[None, :]
        class_sums = onehot.T.astype(float) @ x
        z = class_sums / np.sqrt(counts[present])[:, None]  # sqrt(n_c) * class mean
        n_max = int(present.sum()) - 1
    eigenvalues, eigenvectors = np.linalg.eigh(x.T @ x)
    if eigenvalues[-1] <= 0:
        return np.empty(0)
    keep = eigenvalues > eigenvalues[-1] * 1e-10
    whiten = eigenvectors[:, keep] / np.sqrt(eigenvalues[keep])
    correlations = np.linalg.svd(z @ whiten, compute_uv=False)
    return np.clip(correlations[: min(n_max, int(keep.sum()))], 0.0, 1.0)


def _target_correlations(x, y):
    """Pearson correlation of each column of ``x`` with ``y``, ignoring NaN."""
    present = ~np.isnan(x)
    count = present.sum(axis=0)
    x_centered = np.where(present, x - np.nansum(x, axis=0) / count, 0.0)
    y_centered = y - y.mean()
    weights = present.astype(float)
    y_mean = (weights.T @ y_centered) / count  # target mean over each column's rows
    sxy = x_centered.T @ y_centered
    sxx = np.sum(x_centered**2, axis=0)
    syy = weights.T @ y_centered**2 - count * y_mean**2
    with np.errstate(all="ignore"):
        correlation = sxy / np.sqrt(sxx * syy)
    return np.where((sxx > 0) & (syy > 0), np.clip(correlation, -1, 1), np.nan)
