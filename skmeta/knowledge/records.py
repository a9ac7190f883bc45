"""Evaluation records: what one cross-validated evaluation leaves behind.

An :class:`Evaluation` is one run of one strategy configuration on one
dataset: its score, timings and outcome. Its identity, :attr:`Evaluation.key`,
is ``(dataset_id, strategy, config_key, metric, cv, seed)``: the same
configuration of the same strategy, scored with the same metric and
cross-validation on the same data with the same seed, is the same evaluation,
and a knowledge base stores it once.

Records are plain, JSON-able values with bounded sizes, so that a knowledge
base file can be validated field by field and never carries code: the limits
of :mod:`skmeta.knowledge.limits` apply to every record, whether built in
Python or read from a file. A configuration, and its key, are
:mod:`skmeta.knowledge.configs`. This module also checks a dataset's record.
"""

from __future__ import annotations

import json
import math
import numbers
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import NamedTuple

import numpy as np
import pandas as pd

from skmeta.knowledge.configs import (
    _CANONICAL,
    _canonical_json,
    _fast_config_text,
    _key_of_canonical,
    _normalize_config,
    config_key,
)
from skmeta.knowledge.limits import (
    _INT64_MAX,
    _INT64_MIN,
    MAX_CONFIG_ITEMS,
    MAX_CONFIG_STRING_LENGTH,
    MAX_CV_LENGTH,
    MAX_ERROR_LENGTH,
    MAX_FOLDS,
    MAX_METAFEATURE_MAGNITUDE,
    MAX_METAFEATURES,
    MAX_NAME_LENGTH,
    MAX_SECONDS,
    MAX_SHORT_TEXT_LENGTH,
    _check_float,
    _check_int,
    _check_key,
    _check_name,
    _check_size,
    _check_text,
    _describe,
)

STATUS_OK = "ok"
STATUS_ERROR = "error"
STATUS_TIMEOUT = "timeout"
#: The outcomes of an evaluation: scored, failed with an exception, or stopped.
STATUSES = (STATUS_OK, STATUS_ERROR, STATUS_TIMEOUT)

__all__ = [
    "MAX_CONFIG_ITEMS",
    "MAX_CONFIG_STRING_LENGTH",
    "MAX_CV_LENGTH",
    "MAX_ERROR_LENGTH",
    "MAX_FOLDS",
    "MAX_NAME_LENGTH",
    "STATUSES",
    "STATUS_ERROR",
    "STATUS_OK",
    "STATUS_TIMEOUT",
    "WEIGHTED_CV_SUFFIX",
    "Evaluation",
    "EvaluationKey",
    "config_key",
]


#: Ends the ``cv`` of an evaluation fitted and scored with sample weights:
#: part of its identity, so a weighted and an unweighted evaluation of the
#: same configuration are two evaluations.
WEIGHTED_CV_SUFFIX = " with sample weights"


class EvaluationKey(NamedTuple):
    """The identity of an evaluation; a knowledge base stores each key once."""

    dataset_id: str
    strategy: str
    config_key: str
    metric: str
    cv: str
    seed: int


def _now():
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _skmeta_version():
    from skmeta import __version__  # late: skmeta imports this package

    return __version__


def _truncate_error(text):
    if len(text) <= MAX_ERROR_LENGTH:
        return text
    marker = "[...]\n"
    return marker + text[-(MAX_ERROR_LENGTH - len(marker)):]


def _fold_scores(values, name="fold_scores"):
    if isinstance(values, (str, bytes, dict)) or not hasattr(values, "__len__"):
        raise TypeError(f"{name} must be a list of numbers, got {_describe(values)}.")
    if len(values) > MAX_FOLDS:
        raise ValueError(
            f"{name} must have at most {MAX_FOLDS} values, got {len(values)}."
        )
    scores = []
    for i, value in enumerate(values):
        if type(value) is float and value == value:
            if value in (math.inf, -math.inf):
                raise ValueError(
                    f"{name}[{i}] must be finite or NaN/null, got {value}."
                )
            scores.append(value)
        else:
            value = _check_float(value, f"{name}[{i}]", allow_none=True)
            scores.append(math.nan if value is None else value)
    return tuple(scores)


#: The fields of an evaluation record, in storage order.
EVALUATION_FIELDS = (
    "dataset_id", "strategy", "config", "metric", "cv", "seed", "status", "score",
    "fold_scores", "fit_seconds", "predict_seconds", "error", "skmeta_version",
    "created_at",
)
#: Fields a JSON record may leave out, with what they then mean.
OPTIONAL_FIELDS = {"error": "", "skmeta_version": None, "created_at": None}
REQUIRED_FIELDS = frozenset(EVALUATION_FIELDS) - frozenset(OPTIONAL_FIELDS)


def _normalize_evaluation(values):
    """Validate the fields of one evaluation and return them normalized.

    ``values`` maps every name of ``EVALUATION_FIELDS`` to a value (the
    optional ones may be None). Returns a tuple in ``EVALUATION_FIELDS``
    order, followed by the canonical config JSON and its key. Messages start
    with the field name, so callers can prefix where the record came from.
    """
    dataset_id = _check_name(values["dataset_id"], "dataset_id")
    strategy = _check_name(values["strategy"], "strategy")
    config = _normalize_config(values["config"])
    metric = _check_name(values["metric"], "metric")
    cv = _check_text(values["cv"], "cv", MAX_CV_LENGTH)
    seed = _check_int(values["seed"], "seed")
    status = values["status"]
    if status not in STATUSES or type(status) is not str:
        raise ValueError(f"status must be one of {STATUSES}, got {_describe(status)}.")
    score = _check_float(values["score"], "score", allow_none=True)
    if status == STATUS_OK and score is None:
        raise ValueError("score must be a finite number when status is 'ok', got null.")
    fold_scores = _fold_scores(values["fold_scores"])
    fit_seconds = _check_float(values["fit_seconds"], "fit_seconds", minimum=0.0,
                               maximum=MAX_SECONDS)
    predict_seconds = _check_float(
        values["predict_seconds"], "predict_seconds", minimum=0.0, maximum=MAX_SECONDS
    )
    error = values["error"]
    if error is None:
        error = ""
    else:
        error = _truncate_error(_check_text(error, "error", math.inf))
    version = values["skmeta_version"]
    version = (
        _skmeta_version() if version is None
        else _check_name(version, "skmeta_version", MAX_SHORT_TEXT_LENGTH)
    )
    created_at = values["created_at"]
    created_at = (
        _now() if created_at is None
        else _check_text(created_at, "created_at", MAX_SHORT_TEXT_LENGTH)
    )
    canonical = _canonical_json(config)
    return (
        dataset_id, strategy, config, metric, cv, seed, status, score, fold_scores,
        fit_seconds, predict_seconds, error, version, created_at,
        canonical, _key_of_canonical(canonical),
    )


def _fold_scores_text(scores):
    """Fold scores as JSON text; NaN becomes null."""
    return "[" + ", ".join("null" if s != s else repr(s) for s in scores) + "]"


def _row_from_normalized(normalized):
    (dataset_id, strategy, _, metric, cv, seed, status, score, fold_scores,
     fit_seconds, predict_seconds, error, version, created_at, canonical,
     key) = normalized
    return (dataset_id, strategy, key, canonical, metric, cv, seed, status, score,
            _fold_scores_text(fold_scores), fit_seconds, predict_seconds, error,
            version, created_at)


_STATUS_SET = frozenset(STATUSES)


def evaluation_row(values):
    """The table row of an evaluation given as a dict of all its fields.

    Same result as ``_row_from_normalized(_normalize_evaluation(values))``,
    which it falls back to; the common case of plain, valid Python values is
    checked in one pass, several times faster (bulk imports of 100k records).
    Row order: dataset_id, strategy, config_key, config, metric, cv, seed,
    status, score, fold_scores, fit_seconds, predict_seconds, error,
    skmeta_version, created_at.
    """
    dataset_id = values["dataset_id"]
    strategy = values["strategy"]
    metric = values["metric"]
    cv = values["cv"]
    seed = values["seed"]
    status = values["status"]
    score = values["score"]
    folds = values["fold_scores"]
    fit_seconds = values["fit_seconds"]
    predict_seconds = values["predict_seconds"]
    error = values["error"]
    version = values["skmeta_version"]
    created_at = values["created_at"]
    if (
        type(dataset_id) is str and 0 < len(dataset_id) <= MAX_NAME_LENGTH
        and type(strategy) is str and 0 < len(strategy) <= MAX_NAME_LENGTH
        and type(metric) is str and 0 < len(metric) <= MAX_NAME_LENGTH
        and type(cv) is str and len(cv) <= MAX_CV_LENGTH
        and type(seed) is int and _INT64_MIN <= seed <= _INT64_MAX
        and type(status) is str and status in _STATUS_SET
        and (type(score) is float and score - score == 0.0
             or score is None and status != STATUS_OK)
        and type(fit_seconds) is float and 0.0 <= fit_seconds <= MAX_SECONDS
        and type(predict_seconds) is float and 0.0 <= predict_seconds <= MAX_SECONDS
        and type(error) is str and len(error) <= MAX_ERROR_LENGTH
        and type(version) is str and 0 < len(version) <= MAX_SHORT_TEXT_LENGTH
        and type(created_at) is str and len(created_at) <= MAX_SHORT_TEXT_LENGTH
        and type(folds) is list and len(folds) <= MAX_FOLDS
        and all(type(s) is float for s in folds)
    ):
        folds_text = repr(folds)
        canonical = _fast_config_text(values["config"])
        # Finite floats print without an "n"; "nan" and "inf" have one.
        if canonical is not None and "n" not in folds_text:
            return (dataset_id, strategy, _key_of_canonical(canonical), canonical,
                    metric, cv, seed, status, score, folds_text, fit_seconds,
                    predict_seconds, error, version, created_at)
    return _row_from_normalized(_normalize_evaluation(values))


@dataclass(frozen=True, eq=True)
class Evaluation:
    """One cross-validated evaluation of a strategy configuration on a dataset.

    Fields are validated and normalized on construction (numpy scalars become
    Python numbers, tuples in ``config`` become lists, a NaN score becomes
    None, an over-long error keeps its last characters).

    Parameters
    ----------
    dataset_id : str
        The dataset's id in the knowledge base (usually ``Dataset.fingerprint``).
    strategy : str
        The strategy's name.
    config : dict
        Hyperparameters: names to JSON scalars or flat lists of them.
    metric : str
        The scorer's name, e.g. ``"balanced_accuracy"``; scores are greater
        is better.
    cv : str
        How the score was cross-validated, e.g.
        ``"StratifiedKFold(n_splits=3, shuffle=True)"``; part of the identity.
        It ends with :data:`WEIGHTED_CV_SUFFIX` when the folds were fitted
        and scored with sample weights (see :attr:`weighted`).
    seed : int
        The random seed of the splits and of the estimator.
    status : {"ok", "error", "timeout"}, default="ok"
        ``"ok"`` requires a finite ``score``.
    score : float or None, default=None
        Mean cross-validation score.
    fold_scores : sequence of float, default=()
        Score per fold (NaN for a failed fold). Stored as a tuple.
    fit_seconds, predict_seconds : float, default=0.0
        Time to fit, and to predict and score, summed over the folds (divide
        by the number of folds for a mean per fold).
    error : str, default=""
        The error message (or traceback) of a failed evaluation.
    skmeta_version : str, optional
        Defaults to the running ``skmeta.__version__``.
    created_at : str, optional
        ISO 8601 timestamp; defaults to now (UTC).

    Attributes
    ----------
    key : EvaluationKey
        ``(dataset_id, strategy, config_key, metric, cv, seed)``.
    config_key : str
        :func:`config_key` of ``config``.

    Examples
    --------
    >>> from skmeta.knowledge import Evaluation
    >>> ev = Evaluation("iris", "svc", {"C": 1.0}, "accuracy", "KFold(n_splits=3)",
    ...                 seed=0, score=0.95, fold_scores=[0.94, 0.96, 0.95])
    >>> ev.key.strategy, ev.status, ev.score
    ('svc', 'ok', 0.95)
    """

    dataset_id: str
    strategy: str
    config: dict
    metric: str
    cv: str
    seed: int
    status: str = STATUS_OK
    score: float | None = None
    fold_scores: tuple = ()
    fit_seconds: float = 0.0
    predict_seconds: float = 0.0
    error: str = ""
    skmeta_version: str | None = None
    created_at: str | None = None
    config_key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        normalized = _normalize_evaluation(
            {name: getattr(self, name) for name in EVALUATION_FIELDS}
        )
        fields = normalized[: len(EVALUATION_FIELDS)]
        for name, value in zip(EVALUATION_FIELDS, fields, strict=True):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "config_key", normalized[-1])

    def __hash__(self):
        return hash(self.key)

    def _row(self):
        """The knowledge base table row (see :func:`evaluation_row`)."""
        return _row_from_normalized(
            [getattr(self, name) for name in EVALUATION_FIELDS]
            + [_canonical_json(self.config), self.config_key]
        )

    @property
    def weighted(self):
        """Whether the evaluation was fitted and scored with sample weights."""
        return self.cv.endswith(WEIGHTED_CV_SUFFIX)

    @property
    def key(self):
        """The identity of this evaluation (an :class:`EvaluationKey`)."""
        return EvaluationKey(
            self.dataset_id, self.strategy, self.config_key, self.metric, self.cv,
            self.seed,
        )

    def to_record(self):
        """The evaluation as a JSON-able dict (NaN fold scores become None)."""
        record = {name: getattr(self, name) for name in EVALUATION_FIELDS}
        record["config"] = json.loads(_CANONICAL.encode(self.config))
        record["fold_scores"] = [None if s != s else s for s in self.fold_scores]
        return record

    @classmethod
    def from_record(cls, record):
        """Build an evaluation from a dict such as :meth:`to_record` returns.

        Raises
        ------
        ValueError, TypeError
            If a field is missing, unknown or invalid.
        """
        _check_record_fields(record)
        values = {**OPTIONAL_FIELDS, **record}
        return cls(**values)


def _check_record_fields(record, where=""):
    if not isinstance(record, dict):
        raise TypeError(
            f"{where or 'record'} must be an object, got {_describe(record)}."
        )
    keys = record.keys()
    if not (REQUIRED_FIELDS <= keys and keys <= set(EVALUATION_FIELDS)):
        missing = sorted(REQUIRED_FIELDS - keys)
        unknown = sorted(map(str, keys - set(EVALUATION_FIELDS)))
        parts = []
        if missing:
            parts.append(f"is missing the fields {missing}")
        if unknown:
            parts.append(f"has unknown fields {unknown[:10]}")
        raise ValueError(f"{where or 'record'} {' and '.join(parts)}.")


def _normalize_metafeatures(metafeatures, name="metafeatures"):
    """Meta-feature names to finite floats; missing or non-finite become None."""
    if hasattr(metafeatures, "to_dict") and not isinstance(metafeatures, dict):
        if getattr(metafeatures, "ndim", 1) != 1:
            raise TypeError(
                f"{name} must be a dict or a pandas Series (one dataset), got "
                f"{type(metafeatures).__name__} with {metafeatures.ndim} dimensions."
            )
        metafeatures = metafeatures.to_dict()
    if not isinstance(metafeatures, dict):
        raise TypeError(
            f"{name} must be a dict of names to numbers or a pandas Series, got "
            f"{type(metafeatures).__name__}."
        )
    _check_size(metafeatures, name, MAX_METAFEATURES, "entries")
    normalized = {}
    for feature, value in metafeatures.items():
        _check_key(feature, name, "names")
        if type(value) is not float:
            if value is None or value is pd.NA:
                normalized[feature] = None
                continue
            if isinstance(value, str) or not isinstance(
                value, (numbers.Real, np.bool_)
            ):
                raise TypeError(
                    f"{name}[{feature!r}] must be a number or null, got "
                    f"{_describe(value)}."
                )
            value = float(value)
        if abs(value) > MAX_METAFEATURE_MAGNITUDE and math.isfinite(value):
            raise ValueError(
                f"{name}[{feature!r}] must be at most {MAX_METAFEATURE_MAGNITUDE:g} "
                f"in magnitude (the meta-models compute in float32), got {value}."
            )
        normalized[feature] = value if math.isfinite(value) else None
    return normalized


def _normalize_dataset(dataset_id, name, task, metafeatures, n_samples, n_features):
    """Validate one dataset record; return its fields normalized, in order."""
    from skmeta.datasets import TASKS

    dataset_id = _check_name(dataset_id, "dataset_id")
    name = _check_name(name, "name")
    if task not in TASKS or type(task) is not str:
        raise ValueError(f"task must be one of {TASKS}, got {_describe(task)}.")
    n_samples = _check_int(n_samples, "n_samples", minimum=0)
    n_features = _check_int(n_features, "n_features", minimum=0)
    metafeatures = _normalize_metafeatures(metafeatures)
    return dataset_id, name, task, n_samples, n_features, metafeatures
