"""Checks of an estimator's settings against its data, run before any work.

scikit-learn's parameter constraints check each setting alone; these check
the settings that only make sense together with the data (``cv`` against
the rows the search will see, a group splitter against ``groups``), so that
a mistake is reported at the start of ``fit``, before the meta-features are
computed, and in skmeta's words rather than a splitter's.
"""

from __future__ import annotations

from numbers import Integral

from skmeta._sklearn_compat import GroupsConsumerMixin

__all__ = ["check_search_settings"]


def _needs_groups(cv):
    return isinstance(cv, GroupsConsumerMixin)


def check_search_settings(cv, max_samples, n_rows, groups, y=None):
    """Refuse ``cv``, ``max_samples`` and ``groups`` that cannot work together.

    Parameters
    ----------
    cv : int, splitter or iterable
    max_samples : int or None
    n_rows : int
        Rows of ``X``.
    groups : array-like or None
    y : array-like, optional
        Class labels, for a classifier: an integer ``cv`` is lowered to the
        smallest class's size, so fewer rows than folds only fails when a
        class has a single member (unstratified folds). None: a regressor.

    Raises
    ------
    ValueError
        If the search would have fewer rows than folds, or a group splitter
        gets no groups.
    """
    if n_rows < 2:
        return  # the data's own check says so
    explicit = not (isinstance(cv, Integral) or hasattr(cv, "split"))
    rows = n_rows if explicit or max_samples is None else min(n_rows, max_samples)
    n_splits = cv if isinstance(cv, Integral) else getattr(cv, "n_splits", None)
    lowered = False
    if isinstance(cv, Integral) and y is not None and rows == n_rows:
        import numpy as np

        _, counts = np.unique(np.asarray(y), return_counts=True)
        lowered = len(counts) > 0 and counts.min() >= 2
    if isinstance(n_splits, Integral) and rows < n_splits and not lowered:
        if rows < n_rows:
            cause = (f"max_samples={max_samples} leaves the search {rows} of the "
                     f"{n_rows} rows")
            remedy = f"raise max_samples to at least {n_splits}, or lower cv"
        else:
            cause = f"X has {n_rows} rows"
            remedy = "lower cv"
        raise ValueError(
            f"{cause}, fewer than the {n_splits} cross-validation folds (cv); "
            f"{remedy}."
        )
    if explicit and isinstance(cv, (list, tuple)):  # not a generator: it is read once
        _check_explicit_splits(cv, n_rows)
    if hasattr(cv, "split") and groups is None and _needs_groups(cv):
        raise ValueError(
            f"cv is a {type(cv).__name__}, which splits by groups, but fit got "
            "no groups; pass them: fit(X, y, groups=...)."
        )


def _check_explicit_splits(cv, n_rows):
    """``cv`` as a list of (train, test) index arrays must index rows of X."""
    import numpy as np

    if not cv:
        raise ValueError("cv is an empty list; give (train, test) index pairs, or "
                         "a number of folds.")
    for i, split in enumerate(cv):
        if not (isinstance(split, (tuple, list)) and len(split) == 2):
            raise ValueError(
                f"cv[{i}] is {type(split).__name__} {split!r:.60}, not a (train, "
                "test) pair of row indices; give a list of such pairs, or a "
                "number of folds."
            )
        for part, indices in zip(("train", "test"), split, strict=True):
            indices = np.asarray(indices)
            if indices.dtype.kind == "b" and indices.shape == (n_rows,):
                continue  # a boolean mask of the rows
            if indices.dtype.kind not in "iu" or indices.ndim != 1 or not len(indices):
                raise ValueError(
                    f"cv[{i}]'s {part} part must be a non-empty 1-D array of "
                    f"integer row indices, got dtype {indices.dtype} and shape "
                    f"{indices.shape}."
                )
            outside = indices[(indices < -n_rows) | (indices >= n_rows)]
            if len(outside):
                raise ValueError(
                    f"cv[{i}]'s {part} part indexes row {int(outside[0])}, but "
                    f"X has {n_rows} rows (0 to {n_rows - 1})."
                )
