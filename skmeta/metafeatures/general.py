"""General meta-features: size, feature types, missing values, the target.

Counts (``n_rows``, ``n_features``, ``n_numeric``, ``n_categorical``) and the
class or target measures use every row; the other measures use the analysed
rows (see :mod:`skmeta.metafeatures`).
"""

from __future__ import annotations

import numpy as np

from skmeta.metafeatures._summary import (
    Measure,
    entropy_bits,
    per_feature,
    skewness_kurtosis,
    summarize,
)

MEASURES = [
    Measure("n_rows", "all", "number of rows (pymfe nr_inst)"),
    Measure("n_features", "all", "number of features (pymfe nr_attr)"),
    Measure("n_numeric", "all",
            "number of numeric (and boolean) features (pymfe nr_num)"),
    Measure("n_categorical", "all",
            "number of categorical (string, object, category) features (pymfe nr_cat)"),
    Measure("categorical_fraction", "all", "n_categorical / n_features"),
    Measure("n_binary", "all",
            "number of features with exactly two distinct values (pymfe nr_bin)"),
    Measure("log_n_rows", "all", "natural log of n_rows"),
    Measure("log_n_features", "all", "natural log of n_features"),
    Measure("dimensionality", "all", "n_features / n_rows (pymfe attr_to_inst)"),
    Measure("log_dimensionality", "all", "log(n_features / n_rows)"),
    Measure("rows_per_feature", "all", "n_rows / n_features (pymfe inst_to_attr)"),
    Measure("missing_fraction", "all", "share of missing cells"),
    Measure("rows_with_missing_fraction", "all", "share of rows with a missing value"),
    Measure("features_with_missing_fraction", "all",
            "share of features with a missing value"),
    per_feature("cat_levels", "all",
                "number of distinct levels of each categorical feature"),
    Measure("n_classes", "classification", "number of classes (pymfe nr_class)"),
    Measure("class_entropy", "classification",
            "Shannon entropy of the class, in bits (pymfe class_ent)"),
    Measure("class_balance", "classification",
            "class entropy / log2(n_classes): 1 for balanced classes "
            "(pymfe/ECoL complexity c1)"),
    Measure("class_freq.min", "classification", "share of the rarest class"),
    Measure("class_freq.max", "classification", "share of the most frequent class"),
    Measure("class_freq.sd", "classification",
            "standard deviation (ddof=1) of the class shares (pymfe freq_class.sd)"),
    Measure("imbalance_ratio", "classification",
            "size of the largest class / size of the smallest class"),
    Measure("target_skewness", "regression", "skewness (type 3) of the target"),
    Measure("target_kurtosis", "regression", "excess kurtosis (type 3) of the target"),
    Measure("target_unique_fraction", "regression",
            "number of distinct target values / n_rows"),
    Measure("target_outlier_fraction", "regression",
            "share of target values beyond 1.5 IQR from the quartiles"),
]


def compute(table, y, task, rng):
    """General meta-features of an analysed table.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skmeta.metafeatures import extract_metafeatures
    >>> X, y = load_iris(return_X_y=True)
    >>> values = extract_metafeatures(X, y, groups="general")
    >>> values[["n_rows", "n_classes", "class_entropy"]].round(4).tolist()
    [150.0, 3.0, 1.585]
    """
    n, p = table.n_rows, table.n_features
    missing = np.hstack([np.isnan(table.numeric), table.categorical < 0])
    n_binary = np.sum(table.n_distinct == 2) + np.sum(table.n_levels == 2)
    if table.columns_sampled:
        n_binary = n_binary * p / missing.shape[1]
    out = {
        "n_rows": n,
        "n_features": p,
        "n_numeric": table.n_numeric,
        "n_categorical": table.n_categorical,
        "categorical_fraction": table.n_categorical / p,
        "n_binary": n_binary,
        "log_n_rows": np.log(n),
        "log_n_features": np.log(p),
        "dimensionality": p / n,
        "log_dimensionality": np.log(p / n),
        "rows_per_feature": n / p,
        "missing_fraction": missing.mean(),
        "rows_with_missing_fraction": missing.any(axis=1).mean(),
        "features_with_missing_fraction": missing.any(axis=0).mean(),
    }
    out.update(summarize("cat_levels", table.n_levels))
    if task == "regression":
        out.update(_target_measures(table.target))
    else:
        out.update(_class_measures(table.class_counts))
    return out


def _class_measures(counts):
    counts = counts[counts > 0]
    shares = counts / counts.sum()
    entropy = entropy_bits(counts)
    return {
        "n_classes": len(counts),
        "class_entropy": entropy,
        "class_balance": entropy / np.log2(len(counts)),
        "class_freq.min": shares.min(),
        "class_freq.max": shares.max(),
        "class_freq.sd": shares.std(ddof=1),
        "imbalance_ratio": counts.max() / counts.min(),
    }


def _target_measures(target):
    skew, kurt = skewness_kurtosis(target)
    q1, q3 = np.percentile(target, [25, 75])
    fence = 1.5 * (q3 - q1)
    outside = (target < q1 - fence) | (target > q3 + fence)
    return {
        "target_skewness": skew[0],
        "target_kurtosis": kurt[0],
        "target_unique_fraction": len(np.unique(target)) / len(target),
        "target_outlier_fraction": outside.mean(),
    }
