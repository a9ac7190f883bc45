"""Preprocessed folds, shared by the evaluations of one search.

The strategies of a portfolio share a handful of preprocessing recipes
(:data:`~skmeta.strategies.PREPROCESSING_KINDS`), and a search evaluates many
configurations on the same folds: without sharing, every fold of every
proposal imputes, encodes and scales its rows again, which on a few hundred
rows costs as much as fitting a linear model. A :class:`FoldCache` fits each
recipe once per fold and hands out the fitted preprocessor with the
transformed training and test rows; the numbers are those a fresh pipeline
would compute (the preprocessing never sees the target nor the weights).

A cache belongs to one search (one ``X`` and one list of folds) and lives in
its process: evaluations in worker processes preprocess for themselves.
"""

from __future__ import annotations

import time

from skmeta._sklearn_compat import _safe_indexing
from skmeta.strategies.preprocessing import TabularPreprocessor

__all__ = ["FoldCache"]

#: Cells (rows x input columns) a cache keeps at most, over all its folds
#: (about 160 MB of float64); folds past it are preprocessed but not kept.
MAX_CACHED_CELLS = 20_000_000


class FoldCache:
    """Fitted preprocessors and transformed rows by (fold, recipe).

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta._fold_cache import FoldCache
    >>> from skmeta.strategies import TabularPreprocessor
    >>> X = np.arange(12.0).reshape(6, 2)
    >>> train, test = np.arange(4), np.arange(4, 6)
    >>> cache = FoldCache()
    >>> first = cache.transform(TabularPreprocessor(scale=True), X, train, test)
    >>> again = cache.transform(TabularPreprocessor(scale=True), X, train, test)
    >>> again[0] is first[0], cache.hits
    (True, 1)
    """

    def __init__(self):
        self._entries = {}
        self._cells = 0
        self.hits = 0

    @staticmethod
    def handles(preprocessor):
        """Whether a preprocessing step can be shared: skmeta's own, unless it
        encodes categories by the target (then it is fitted with the fold's
        target, in the pipeline)."""
        return (type(preprocessor) is TabularPreprocessor
                and preprocessor.categorical != "target")

    def transform(self, preprocessor, X, train, test):
        """``(fitted preprocessor, transformed train rows, transformed test
        rows, seconds)`` for an unfitted ``preprocessor``. The seconds are
        those of preprocessing the fold, also when it was cached: a fold's
        timing predicts what the same fit costs elsewhere (the final refit,
        the stored experience), where nothing is cached."""
        key = (id(X), id(train), id(test),
               tuple(sorted(preprocessor.get_params(deep=False).items())))
        entry = self._entries.get(key)
        # The arrays are kept with the entry, so their ids cannot be reused.
        if entry is not None and entry[0] is X and entry[1] is train and entry[2] is test:
            self.hits += 1
            return entry[3], entry[4], entry[5], entry[6]
        start = time.perf_counter()
        transformed_train = preprocessor.fit_transform(_safe_indexing(X, train))
        transformed_test = preprocessor.transform(_safe_indexing(X, test))
        seconds = time.perf_counter() - start
        cells = (len(train) + len(test)) * max(X.shape[1], 1)
        if self._cells + cells <= MAX_CACHED_CELLS:
            self._cells += cells
            self._entries[key] = (X, train, test, preprocessor, transformed_train,
                                  transformed_test, seconds)
        return preprocessor, transformed_train, transformed_test, seconds
