"""Meta-models and learned settings made when first looked up, once, under a lock.

The performance and cost models, the adjuster settings and the racing
policies of a :class:`~skmeta.MetaLearner` are kept per task family and
fitted, learned (settings by replay, policies by simulated races) or read
from the knowledge base or the shipped file on first use: a process that
only classifies never pays for the regression ones, and a learner of a
subset of a large knowledge base does not learn every family's when it is
loaded. The lock makes that first use
safe when threads share one learner; it is the only change a fitted learner
sees after it is fitted or loaded.
"""

from __future__ import annotations

import threading

__all__ = ["FIRST_USE_LOCK", "LazyModels", "PendingModel", "PendingValue"]

#: Held while a lazy meta-model is fitted or read: two threads that look one
#: up at once fit it once. Reentrant: fitting may read the knowledge base,
#: which is loaded under it too.
FIRST_USE_LOCK = threading.RLock()


class PendingValue:
    """A value made by ``make()`` on first use."""

    def __init__(self, make):
        self.make = make

    def fit(self):
        return self.make()


class PendingModel(PendingValue):
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
        if isinstance(value, PendingValue):
            with FIRST_USE_LOCK:
                value = super().__getitem__(family)  # another thread may have fitted it
                if isinstance(value, PendingValue):
                    value = value.fit()
                    super().__setitem__(family, value)
        return value

    def get(self, family, default=None):
        return self[family] if family in self else default
