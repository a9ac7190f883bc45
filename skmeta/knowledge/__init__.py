"""The knowledge base: the durable memory of every evaluation.

- :mod:`skmeta.knowledge.records`: :class:`Evaluation`, one evaluation's
  record, and its identity (:class:`EvaluationKey`); a dataset's record.
- :mod:`skmeta.knowledge.configs`: a configuration as stored, and its key
  (:func:`config_key`).
- :mod:`skmeta.knowledge.limits`: the limits every stored record obeys, and
  the checks of one field against them.
- :mod:`skmeta.knowledge.store`: :class:`KnowledgeBase`, datasets,
  evaluations and properties (small named JSON values) in SQLite (a file or
  memory): its connection, copies and pickles. Its methods come from three
  private mixins, one concept each: ``_reads`` (queries), ``_writes``
  (storing datasets, evaluations and properties) and ``_import_export``
  (whole documents in and out); ``_tables`` holds what they share.
- :mod:`skmeta.knowledge.schema`: the SQLite file itself: its schema and
  migrations, durability and concurrency, and the checks a file passes
  before it is opened.
- :mod:`skmeta.knowledge.exchange`: the versioned JSON exchange format and
  its validation; :mod:`skmeta.knowledge.exchange_files` reads and writes
  its files; :mod:`skmeta.knowledge.properties` checks properties.
- :mod:`skmeta.knowledge.default_knowledge_base`: the knowledge base shipped
  with skmeta (:meth:`KnowledgeBase.default`), loaded into memory once per
  process.
- :mod:`skmeta.knowledge.opening`: :func:`open_knowledge_base
  <skmeta.knowledge.opening.open_knowledge_base>`, the one way to open what
  a user gives as a knowledge base (None, a KnowledgeBase, or a path: a JSON
  export or a SQLite file, read or created), for the Python API and the
  command line; :mod:`skmeta.knowledge.paths` checks a path without opening
  it.
- :mod:`skmeta.knowledge.checks`: stored configurations checked against
  their strategies' spaces (refused on import, skipped with a warning when
  stored, listed by ``skmeta kb check``).
"""

# Registers the loader of KnowledgeBase.default() with the store.
from skmeta.knowledge import default_knowledge_base as _default  # noqa: F401
from skmeta.knowledge.exchange import FORMAT, FORMAT_VERSION
from skmeta.knowledge.records import (
    STATUS_ERROR,
    STATUS_OK,
    STATUS_TIMEOUT,
    STATUSES,
    WEIGHTED_CV_SUFFIX,
    Evaluation,
    EvaluationKey,
    config_key,
)
from skmeta.knowledge.store import SCHEMA_VERSION, KnowledgeBase

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "SCHEMA_VERSION",
    "STATUSES",
    "STATUS_ERROR",
    "STATUS_OK",
    "STATUS_TIMEOUT",
    "WEIGHTED_CV_SUFFIX",
    "Evaluation",
    "EvaluationKey",
    "KnowledgeBase",
    "config_key",
]
