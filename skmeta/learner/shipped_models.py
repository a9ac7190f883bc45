"""Meta-models read from the shipped file instead of fitted.

``skmeta/data/meta_models.npz`` (:mod:`skmeta.selection.meta_models_file`) holds the
performance and cost models fitted on the shipped knowledge base with the
default portfolio. A learner of that knowledge base reads them from it, per
task family and on first use, while the file is current.
"""

from __future__ import annotations

import warnings

from skmeta.learner.lazy_models import PendingModel
from skmeta.learner.learned_settings import SETTINGS_VERSION

__all__ = ["use_shipped_models"]


class _ShippedModel(PendingModel):
    """A meta-model read from the shipped file on first use (fitted instead
    if the file turns out to be unreadable)."""

    def __init__(self, models, family, kind, pending):
        self.models, self.family, self.kind, self.pending = models, family, kind, pending

    def fit(self):
        try:
            return self.models.load(self.family, self.kind, self.pending.model.portfolio)
        except (OSError, ValueError, KeyError) as exc:
            warnings.warn(f"cannot read the shipped {self.family} {self.kind} model "
                          f"({exc}); fitting it instead.", UserWarning, stacklevel=3)
            return self.pending.fit()


def use_shipped_models(learner, kb, performance_models, cost_models):
    """Read the shipped meta-models instead of fitting them, when they apply.

    They apply to the shipped knowledge base with the default portfolio, no
    excluded dataset and the ``random_state`` they were fitted with, while
    :mod:`skmeta.selection.meta_models_file` finds them current. The pending models
    of ``performance_models`` and ``cost_models`` (task family ->
    :class:`~skmeta.learner.lazy_models.PendingModel`) are replaced in place;
    loading stays lazy, per task family, like fitting.
    """
    if not isinstance(learner.portfolio, str) or learner.portfolio != "default":
        return
    from skmeta.selection import meta_models_file

    if not meta_models_file.is_default_knowledge_base(kb):
        return
    pending = {
        family: {"performance": dict.get(performance_models, family),
                 "cost": dict.get(cost_models, family)}
        for family in performance_models
    }
    unfitted = {f: {k: m.model for k, m in by_kind.items()} for f, by_kind in pending.items()}
    models = meta_models_file.open_for(unfitted, learner.random_state, SETTINGS_VERSION)
    if models is None:
        return
    for family, by_kind in pending.items():
        for kind, table in (("performance", performance_models), ("cost", cost_models)):
            dict.__setitem__(table, family,
                             _ShippedModel(models, family, kind, by_kind[kind]))
