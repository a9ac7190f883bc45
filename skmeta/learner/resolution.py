"""The fitted MetaLearner an estimator's ``knowledge_base`` stands for.

:class:`~skmeta.MetaClassifier` and :class:`~skmeta.MetaRegressor` accept a
fitted learner, a knowledge base, a path or None (the shipped experience).
:func:`resolve_meta_learner` turns each into a fitted learner, and keeps the
learners it builds for the process: one per knowledge-base file while the
file is unchanged, and one default learner.
"""

from __future__ import annotations

import functools

from sklearn.utils.validation import check_is_fitted

from skmeta.knowledge import KnowledgeBase
from skmeta.knowledge.opening import open_knowledge_base
from skmeta.knowledge.paths import file_identity
from skmeta.learner.from_shipped_file import shipped_meta_learner
from skmeta.learner.meta_learner import MetaLearner

__all__ = ["resolve_meta_learner"]


def resolve_meta_learner(knowledge_base, *, create=False):
    """The fitted MetaLearner an estimator's ``knowledge_base`` stands for.

    A path that does not exist is created only if ``create`` (the estimator
    stores its evaluations: ``update_knowledge=True``).

    Examples
    --------
    >>> from skmeta.learner import resolve_meta_learner
    >>> learner = resolve_meta_learner(None)  # the shipped experience
    >>> learner is resolve_meta_learner(None)
    True
    """
    if isinstance(knowledge_base, MetaLearner):
        check_is_fitted(knowledge_base, "performance_models_",
                        msg="the MetaLearner given as knowledge_base is not fitted; "
                        "call its fit(datasets) first.")
        return knowledge_base
    if knowledge_base is None:
        return _default_meta_learner()
    if isinstance(knowledge_base, KnowledgeBase):
        return MetaLearner.from_knowledge_base(knowledge_base)
    return _learner_for_path(knowledge_base, create)


#: Meta-learners fitted for knowledge-base files in this process: resolved
#: path -> (file identity, learner).
_PATH_LEARNERS = {}


def _learner_for_path(path, create=False):
    """The meta-learner of a knowledge-base file, refit only when it changed.

    Fitted meta-models are reused while the file is the same file with the
    same content (:func:`~skmeta.knowledge.paths.file_identity`: its
    resolved path, so a relative path means the file it names now, and what
    it holds), so estimators pointed at one file pay for the meta-models
    once per process.
    """
    identity = file_identity(path)
    cached = _PATH_LEARNERS.get(identity[0]) if identity else None
    if cached is not None and cached[0] == identity:
        return cached[1]
    learner = MetaLearner.from_knowledge_base(open_knowledge_base(path, create=create))
    # Taken once the learner holds the file open (its -wal then exists).
    identity = file_identity(path)
    _PATH_LEARNERS[identity[0]] = (identity, learner)
    return learner


@functools.lru_cache(maxsize=1)
def _default_meta_learner():
    # Built once per process, from the shipped meta-models file alone while it
    # is current; else from the knowledge base, its meta-models read from that
    # file (fitted only if it is stale). Every core helps a fit: a forest grows
    # the same trees whatever its n_jobs, so recommendations do not depend on it.
    learner = shipped_meta_learner(n_jobs=-1)
    if learner is None:
        learner = MetaLearner.from_knowledge_base(KnowledgeBase.default(), n_jobs=-1)
    return learner
