"""Per-row sample weights: one non-negative number per row, scale-free.

Only the ratios of weights count, so they are scaled to a mean of 1, and
equal weights are the same as none.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_class_weights", "check_sample_weight"]


def check_sample_weight(sample_weight, n_samples):
    """Validate per-row weights and scale them to a mean of 1; None when
    there are none (or all are equal).

    Only the ratios of weights matter: they are divided by their mean (by
    their largest first, so that neither 1e308 nor 1e-300 overflows or
    underflows on the way). Equal weights everywhere are the same as no
    weights, and are treated as none, so that the result is identical to an
    unweighted fit.

    Parameters
    ----------
    sample_weight : array-like of shape (n_samples,) or None
    n_samples : int

    Returns
    -------
    ndarray of float64 of shape (n_samples,), or None

    Raises
    ------
    ValueError
        If the weights are not one number per row, or are missing (NaN),
        infinite, negative, or zero on every row but one (or all).

    Examples
    --------
    >>> from skmeta.datasets import check_sample_weight
    >>> check_sample_weight([1, 2, 1], 3)
    array([0.75, 1.5 , 0.75])
    >>> check_sample_weight([1e308, 1e308, 1e308], 3) is None
    True
    """
    if sample_weight is None:
        return None
    try:
        weights = np.asarray(sample_weight, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            "sample_weight must hold numbers, one weight per row; got values of "
            f"type {np.asarray(sample_weight).dtype}."
        ) from None
    if weights.ndim != 1:
        raise ValueError(
            f"sample_weight must be 1-dimensional, got shape {np.shape(sample_weight)}."
        )
    if len(weights) != n_samples:
        raise ValueError(
            f"sample_weight has {len(weights)} values but X has {n_samples} rows; "
            "pass one weight per row."
        )
    if np.isnan(weights).any():
        raise ValueError(
            f"sample_weight has {int(np.isnan(weights).sum())} missing values (NaN); "
            "give every row a weight."
        )
    if np.isinf(weights).any():
        raise ValueError("sample_weight contains infinite values.")
    if (weights < 0).any():
        raise ValueError(
            f"sample_weight has {int((weights < 0).sum())} negative values (e.g. "
            f"{weights[weights < 0][0]:g}); weights must be >= 0."
        )
    if not weights.any():
        raise ValueError(
            "sample_weight is zero for every row; nothing would be learned.")
    positive = np.flatnonzero(weights)
    if len(positive) == 1:
        raise ValueError(
            f"sample_weight is non-zero on a single row (row {positive[0]}), so "
            "the model would learn from that row alone; give at least two rows a "
            "positive weight."
        )
    weights = weights / weights.max()
    weights = weights / weights.mean()
    if (weights == 1).all():
        return None
    return weights


def check_class_weights(sample_weight, y):
    """Refuse weights that are zero on every row of a class.

    A class of no weight cannot be learned, yet it is still a class of
    ``y``: a search would score a model that never predicts it.

    Raises
    ------
    ValueError
        Naming the first such class.
    """
    if sample_weight is None:
        return
    classes, codes = np.unique(y, return_inverse=True)
    totals = np.bincount(codes, weights=sample_weight, minlength=len(classes))
    counts = np.bincount(codes, minlength=len(classes))
    for label, total, count in zip(classes.tolist(), totals, counts, strict=True):
        if total == 0:
            raise ValueError(
                f"sample_weight is zero on every row of class {label!r} ({count} "
                "rows), so no model can learn it; give those rows a positive "
                "weight, or drop them (and the class) from X and y."
            )
