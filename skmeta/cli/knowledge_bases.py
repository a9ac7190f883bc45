"""What ``--kb`` stands for: its name in messages, and its meta-learner.

``--kb`` is opened by :func:`skmeta.knowledge.opening.open_knowledge_base`,
as in the Python API: none is the shipped knowledge base.
"""

from __future__ import annotations

from skmeta.cli.errors import (
    CommandError,
)

SHIPPED_NAME = "the shipped knowledge base"


def _kb_name(kb, path):
    return SHIPPED_NAME if kb.read_only else str(path)


def _describe_knowledge_base(kb):
    summary = kb.summary()
    return _describe(_kb_name(kb, summary["path"] or "memory"), summary)


def _describe_learners_knowledge_base(learner):
    """:func:`_describe_knowledge_base` of a learner's knowledge base, without
    loading the shipped one when the learner was built without it."""
    summary = learner._shipped_summary()
    if summary is None:
        return _describe_knowledge_base(learner.knowledge_base_)
    return _describe(SHIPPED_NAME, summary)


def _describe(where, summary):
    return (f"{where}: {summary['n_datasets']} datasets, "
            f"{summary['n_evaluations']} evaluations")


def _meta_learner(kb_path, verbose=0, n_jobs=None):
    """The fitted MetaLearner that ``--kb`` stands for (None: the shipped one)."""
    from skmeta.knowledge.opening import open_knowledge_base
    from skmeta.learner import MetaLearner, resolve_meta_learner

    if kb_path is None:
        return resolve_meta_learner(None)
    kb = open_knowledge_base(kb_path)
    if not len(kb):
        raise CommandError(
            f"{kb_path} holds no evaluations yet; fill it with `skmeta metatrain`"
        )
    return MetaLearner.from_knowledge_base(kb, verbose=verbose, n_jobs=n_jobs)
