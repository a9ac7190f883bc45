"""MetaLearner: meta-train on a collection of datasets, recommend for new ones.

One concept a module, each importing only those above it:

=======================  ======================================================
``training_data``        what the meta-models learn from: a knowledge base,
                         read per task family
``grid``                 the meta-training grid: every configuration of the
                         portfolio cross-validated on every dataset
``learned_settings``     adjuster settings and racing policies learned from
                         stored experience; when stored ones are reused
``lazy_models``          meta-models and learned settings made on first use,
                         once, under a lock
``shipped_models``       meta-models read from the shipped file instead
``fitted_state``         the fitted state, and the one way to compute it
``recommendation``       ``recommend``, ``warm_start``, ``predicted_seconds``
``meta_test``            ``evaluate``: recommendations on held-out datasets
``meta_learner``         :class:`MetaLearner` itself: parameters, ``fit``,
                         ``from_knowledge_base``, learned settings
``from_shipped_file``    the default learner, from the shipped file alone
``resolution``           the learner an estimator's ``knowledge_base`` means
=======================  ======================================================
"""

import warnings

from skmeta.learner.learned_settings import (
    RACING_VERSION,
    RELEARN_GROWTH,
    SETTINGS_VERSION,
)
from skmeta.learner.meta_learner import MetaLearner
from skmeta.learner.resolution import resolve_meta_learner
from skmeta.learner.training_data import task_family

__all__ = [
    "RACING_VERSION",
    "RELEARN_GROWTH",
    "SETTINGS_VERSION",
    "MetaLearner",
    "resolve_meta_learner",
    "task_family",
]


def __getattr__(name):
    # Deprecated in 0.1: skmeta.knowledge.opening.open_knowledge_base is the one
    # way to open a knowledge base.
    if name == "open_knowledge_base":
        warnings.warn(
            "skmeta.learner.open_knowledge_base is deprecated and will be removed "
            "in 0.3; use skmeta.knowledge.opening.open_knowledge_base "
            "(where None is the shipped knowledge base; pass KnowledgeBase() for "
            "a new in-memory one).",
            FutureWarning, stacklevel=2,
        )
        return _open_knowledge_base
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _open_knowledge_base(knowledge_base, *, create=True):
    from skmeta.learner.meta_learner import _open_experience

    return _open_experience(knowledge_base, create=create)
