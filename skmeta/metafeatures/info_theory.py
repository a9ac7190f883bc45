"""Information-theoretic meta-features.

Every feature is made discrete first, as pymfe does: numeric features are cut
into ``int(n ** (1/3))`` equal-frequency bins (``n`` analysed rows),
categorical features keep their levels, and a missing value is a value of its
own. For regression the target is discretized the same way, and the class
measures become measures of the discretized target. Entropies are in bits.

pymfe computes the joint entropy from a contingency table with ``1e-8`` added
to every cell; the exact value is used here (differences near 1e-5).
"""

from __future__ import annotations

import numpy as np

from skmeta.metafeatures._summary import Measure, entropy_bits, per_feature, summarize
from skmeta.metafeatures._table import equal_frequency_codes

MEASURES = [
    Measure("target_entropy", "regression",
            "entropy of the discretized target (the class entropy of regression)"),
    per_feature("attr_entropy", "all",
                "entropy of each discretized feature (pymfe attr_ent)"),
    per_feature("mutual_info", "all",
                "mutual information between each discretized feature and the "
                "class (pymfe mut_inf)"),
    per_feature("joint_entropy", "all",
                "joint entropy of each discretized feature and the class "
                "(pymfe joint_ent)"),
    Measure("equivalent_n_features", "all",
            "class entropy / mean mutual information: the number of features "
            "needed to explain the class if they were independent (pymfe eq_num_attr)"),
    Measure("noise_signal_ratio", "all",
            "(sum of feature entropies - sum of mutual informations) / sum of "
            "mutual informations (pymfe ns_ratio)"),
]


def compute(table, y, task, rng):
    """Information-theoretic meta-features of an analysed table.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skmeta.metafeatures import extract_metafeatures
    >>> X, y = load_iris(return_X_y=True)
    >>> values = extract_metafeatures(X, y, groups="info_theory")
    >>> values[["mutual_info.mean", "noise_signal_ratio"]].round(4).tolist()
    [0.8439, 1.6983]
    """
    codes, n_codes = table.discretized
    if task == "regression":
        y = equal_frequency_codes(y, table.n_bins).ravel()
    n_classes = int(y.max()) + 1
    class_entropy = entropy_bits(np.bincount(y))
    attr_entropy = _column_entropies(codes, n_codes)
    joint_codes = codes * n_classes + y[:, None]
    joint_entropy = _column_entropies(joint_codes, n_codes * n_classes)
    mutual_info = attr_entropy + class_entropy - joint_entropy
    out = {}
    if task == "regression":
        out["target_entropy"] = class_entropy
    out.update(summarize("attr_entropy", attr_entropy))
    out.update(summarize("mutual_info", mutual_info))
    out.update(summarize("joint_entropy", joint_entropy))
    total_info = mutual_info.sum()
    if codes.shape[1] and total_info > 1e-12:
        out["equivalent_n_features"] = class_entropy / mutual_info.mean()
        out["noise_signal_ratio"] = (attr_entropy.sum() - total_info) / total_info
    return out


def _column_entropies(codes, n_codes):
    """Entropy (bits) of each column of a matrix of codes, all at once.

    Column ``j`` holds codes ``0..n_codes[j]-1``; one ``bincount`` over the
    columns' code ranges laid end to end counts every column's values.
    """
    n_rows, n_columns = codes.shape
    if n_columns == 0:
        return np.empty(0)
    offsets = np.concatenate(([0], np.cumsum(n_codes)[:-1]))
    counts = np.bincount((codes + offsets).ravel(), minlength=int(n_codes.sum()))
    share = counts / n_rows
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(counts > 0, share * np.log2(share), 0.0)
    column_of_code = np.repeat(np.arange(n_columns), n_codes)
    return -np.bincount(column_of_code, weights=terms, minlength=n_columns)
