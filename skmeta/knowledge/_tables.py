"""The knowledge base's tables as the parts of the store share them.

Column orders, the insert every writer runs, what an evaluation's key may
be given as, and decoding the JSON text stored in the tables. The parts are
:mod:`skmeta.knowledge.store` (the connection and its lifecycle),
``_reads``, ``_writes`` and ``_import_export`` (the methods of
:class:`~skmeta.knowledge.KnowledgeBase` that query, store, and move whole
documents in and out).
"""

from __future__ import annotations

import json

from skmeta.knowledge.records import Evaluation, EvaluationKey

#: The columns of the evaluations table, in storage order.
EVALUATION_COLUMNS = (
    "dataset_id", "strategy", "config_key", "config", "metric", "cv", "seed",
    "status", "score", "fold_scores", "fit_seconds", "predict_seconds", "error",
    "skmeta_version", "created_at",
)
#: The columns of an evaluation's identity (:class:`EvaluationKey`).
KEY_COLUMNS = ("dataset_id", "strategy", "config_key", "metric", "cv", "seed")
#: Stores a row of EVALUATION_COLUMNS unless its key is stored.
INSERT_EVALUATION = (
    f"INSERT OR IGNORE INTO evaluations ({', '.join(EVALUATION_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(EVALUATION_COLUMNS))})"
)


def as_evaluation_key(key):
    """An :class:`EvaluationKey` from a key, an Evaluation or a 6-tuple."""
    if isinstance(key, Evaluation):
        return key.key
    try:
        key = EvaluationKey(*key)
        return key._replace(seed=int(key.seed))  # numpy integers from frames
    except (TypeError, ValueError):
        raise TypeError(
            "a key is an Evaluation or a tuple (dataset_id, strategy, "
            f"config_key, metric, cv, seed), got {key!r}."
        ) from None


def decode_json(text, what):
    """Decode stored JSON text; a clear error for anything else in the file."""
    try:
        if not isinstance(text, str):
            raise TypeError
        return json.loads(text)
    except (TypeError, ValueError):
        shown = repr(text)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        raise ValueError(
            f"the knowledge base holds {what} that is not JSON text ({shown}): "
            "the file was not written by skmeta, or it is damaged."
        ) from None
