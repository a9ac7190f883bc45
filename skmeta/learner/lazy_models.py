"""Meta-models fitted when first looked up, once, under a lock.

The performance and cost models of a :class:`~skmeta.MetaLearner` are kept
per task family and fitted (or read from the shipped file) on first use: a
process that only classifies never pays for the regression models. The lock
makes that first use safe when threads share one learner.
"""

from __future__ import annotations

import threading

__all__ = ["FIRST_USE_LOCK", "LazyModels", "PendingModel"]

#: Held while a lazy meta-model is fitted or read: two threads that look one
#: up at once fit it once. Reentrant: fitting may read the knowledge base,
#: which is loaded under it too.
FIRST_USE_LOCK = threading.RLock()


class PendingModel:
    """A meta-model and what it will learn from, fitted on first use."""

    def __init__(self, model, table, runs):
        self.model, self.table, self.runs = model, table, runs

    def fit(self):
        return self.model.fit(self.table, self.runs)


class LazyModels(dict):
    """Task family -> meta-model, each fitted when first looked up.

    ``dict.get(models, family)`` shows the :class:`PendingModel` without
    fitting it.
    """

    def __getitem__(self, family):
        value = super().__getitem__(family)
        if isinstance(value, PendingModel):
            with FIRST_USE_LOCK:
                value = super().__getitem__(family)  # another thread may have fitted it
                if isinstance(value, PendingModel):
                    value = value.fit()
                    super().__setitem__(family, value)
        return value
