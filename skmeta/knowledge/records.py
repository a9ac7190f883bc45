"""Evaluation records: what one cross-validated evaluation leaves behind.

An :class:`Evaluation` is one run of one strategy configuration on one
dataset: its score, timings and outcome. Its identity, :attr:`Evaluation.key`,
is ``(dataset_id, strategy, config_key, metric, cv, seed)``: the same
configuration of the same strategy, scored with the same metric and
cross-validation on the same data with the same seed, is the same evaluation,
and a knowledge base stores it once.

Records are plain, JSON-able values with bounded sizes, so that a knowledge
base file can be validated field by field and never carries code: the limits
below apply to every record, whether built in Python or read from a file.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import NamedTuple

import numpy as np
import pandas as pd

STATUS_OK = "ok"
STATUS_ERROR = "error"
STATUS_TIMEOUT = "timeout"
#: The outcomes of an evaluation: scored, failed with an exception, or stopped.
STATUSES = (STATUS_OK, STATUS_ERROR, STATUS_TIMEOUT)

#: Longest dataset id, dataset name, strategy, metric, meta-feature name or
#: hyperparameter name.
MAX_NAME_LENGTH = 200
#: Longest cross-validation description, e.g. ``"KFold(n_splits=5)"``.
MAX_CV_LENGTH = 500
#: Longest string hyperparameter value.
MAX_CONFIG_STRING_LENGTH = 1_000
#: Most hyperparameters in one configuration, and most items in a list value.
MAX_CONFIG_ITEMS = 200
#: Longest error text; longer errors keep their last characters (the end of a
#: traceback says what went wrong).
MAX_ERROR_LENGTH = 10_000
#: Most cross-validation folds in one evaluation.
MAX_FOLDS = 1_000
#: Longest stored time of one evaluation's fits (or predictions), summed over
#: its folds, in seconds (115 days): the cost model learns from them, and a
#: larger one is a damaged record.
MAX_SECONDS = 1e7
#: Largest magnitude of a stored meta-feature: the meta-models compute in
#: float32 (largest 3.4e38), where a larger one overflows.
MAX_METAFEATURE_MAGNITUDE = 1e37
#: Longest version or timestamp string.
MAX_SHORT_TEXT_LENGTH = 64
#: Length of :func:`config_key` (hexadecimal digits of a SHA-256 digest).
CONFIG_KEY_LENGTH = 16

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1

# One encoder for every canonical dump: sorted keys, no spaces, no NaN.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)
_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _fast_canonical_encoder():
    # The C encoder called directly skips JSONEncoder's Python wrappers, which
    # cost as much as the encoding itself for small configs (bulk imports).
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return _CANONICAL.encode

    def default(value):
        raise TypeError(f"{type(value).__name__} is not JSON serializable")

    encode = make(None, default, json.encoder.encode_basestring, None, ":", ",",
                  True, False, False)
    return lambda config: "".join(encode(config, 0))


_canonical_encode = _fast_canonical_encoder()

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


def _describe(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_name(value, name, max_length=MAX_NAME_LENGTH):
    if type(value) is not str:
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string, got {_describe(value)}.")
        value = str(value)
    if not value:
        raise ValueError(f"{name} must be a non-empty string, got ''.")
    if len(value) > max_length:
        raise ValueError(
            f"{name} must have at most {max_length} characters, got {len(value)}."
        )
    return value


def _check_text(value, name, max_length):
    if type(value) is not str:
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string, got {_describe(value)}.")
        value = str(value)
    if len(value) > max_length:
        raise ValueError(
            f"{name} must have at most {max_length} characters, got {len(value)}."
        )
    return value


def _check_int(value, name, minimum=_INT64_MIN):
    if type(value) is not int:
        if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, numbers.Integral
        ):
            raise TypeError(f"{name} must be an integer, got {_describe(value)}.")
        value = int(value)
    if not minimum <= value <= _INT64_MAX:
        raise ValueError(
            f"{name} must be an integer in [{minimum}, 2**63 - 1], got {value}."
        )
    return value


def _check_float(value, name, *, minimum=None, maximum=None, allow_none=False):
    """A finite float (ints accepted); None (and NaN) when ``allow_none``."""
    if type(value) is not float:
        if value is None and allow_none:
            return None
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            extra = " or null" if allow_none else ""
            raise TypeError(f"{name} must be a number{extra}, got {_describe(value)}.")
        value = float(value)
    if not math.isfinite(value):
        if allow_none and value != value:
            return None
        raise ValueError(f"{name} must be a finite number, got {value}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum:g}, got {value}.")
    return value


def _scalar(value, name):
    """A JSON scalar hyperparameter value, numpy scalars turned into Python ones."""
    kind = type(value)
    if kind is str:
        if len(value) > MAX_CONFIG_STRING_LENGTH:
            raise ValueError(
                f"{name} must have at most {MAX_CONFIG_STRING_LENGTH} characters, "
                f"got {len(value)}."
            )
        return value
    if kind is bool or value is None:
        return value
    if kind is int:
        return _check_int(value, name)
    if kind is float:
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value}.")
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return _check_int(value, name)
    if isinstance(value, numbers.Real):
        return _scalar(float(value), name)
    if isinstance(value, str):
        return _scalar(str(value), name)
    raise TypeError(
        f"{name} must be a string, number, boolean or null (or a flat list of "
        f"those), got {type(value).__name__} {_describe(value)}."
    )


def _normalize_config(config, name="config"):
    """Return ``config`` as a dict of JSON scalars (or flat lists of them)."""
    if not isinstance(config, dict):
        raise TypeError(
            f"{name} must be a dict of hyperparameters, got {type(config).__name__}."
        )
    if len(config) > MAX_CONFIG_ITEMS:
        raise ValueError(
            f"{name} must have at most {MAX_CONFIG_ITEMS} hyperparameters, "
            f"got {len(config)}."
        )
    normalized = {}
    for param, value in config.items():
        if type(param) is not str or not param or len(param) > MAX_NAME_LENGTH:
            raise ValueError(
                f"{name} keys must be non-empty strings of at most "
                f"{MAX_NAME_LENGTH} characters, got {_describe(param)}."
            )
        where = f"{name}[{param!r}]"
        if isinstance(value, (list, tuple)):
            if len(value) > MAX_CONFIG_ITEMS:
                raise ValueError(
                    f"{where} must have at most {MAX_CONFIG_ITEMS} items, "
                    f"got {len(value)}."
                )
            items = []
            for i, item in enumerate(value):
                if isinstance(item, (list, tuple, dict)):
                    raise TypeError(
                        f"{where}[{i}] is a nested {type(item).__name__}; "
                        "hyperparameter values must be scalars or flat lists."
                    )
                items.append(_scalar(item, f"{where}[{i}]"))
            normalized[param] = items
        else:
            normalized[param] = _scalar(value, where)
    return normalized


def _canonical_json(config):
    return _canonical_encode(config)


def _key_of_canonical(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:CONFIG_KEY_LENGTH]


def config_key(config):
    """Hash a configuration: equal hyperparameters, equal key.

    The key is the start of the SHA-256 digest of the configuration as
    canonical JSON (sorted keys, no spaces), so key order does not matter;
    values are compared as JSON (``1`` and ``1.0`` differ, a tuple equals the
    list with the same items).

    Parameters
    ----------
    config : dict
        Hyperparameter names to JSON scalars (str, int, float, bool, None) or
        flat lists of them; numpy scalars are accepted.

    Returns
    -------
    key : str
        16 hexadecimal digits.

    Examples
    --------
    >>> from skmeta.knowledge import config_key
    >>> a = config_key({"C": 1.0, "kernel": "rbf"})
    >>> a == config_key({"kernel": "rbf", "C": 1.0})
    True
    >>> len(config_key({}))
    16
    """
    return _key_of_canonical(_canonical_json(_normalize_config(config)))


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


def _fast_config_text(config):
    """Canonical JSON of a config of plain Python scalars, or None if not plain."""
    if type(config) is not dict or len(config) > MAX_CONFIG_ITEMS:
        return None
    for param, value in config.items():
        if type(param) is not str or not 0 < len(param) <= MAX_NAME_LENGTH:
            return None
        kind = type(value)
        if kind is float or kind is bool or value is None:
            continue  # the encoder refuses NaN and infinities
        if kind is str:
            if len(value) > MAX_CONFIG_STRING_LENGTH:
                return None
        elif kind is not int or not _INT64_MIN <= value <= _INT64_MAX:
            return None
    try:
        return _canonical_encode(config)
    except ValueError:
        return None


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


#: Most meta-features of one dataset.
MAX_METAFEATURES = 10_000


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
    if len(metafeatures) > MAX_METAFEATURES:
        raise ValueError(
            f"{name} must have at most {MAX_METAFEATURES} entries, "
            f"got {len(metafeatures)}."
        )
    normalized = {}
    for feature, value in metafeatures.items():
        if type(feature) is not str or not feature or len(feature) > MAX_NAME_LENGTH:
            raise ValueError(
                f"{name} names must be non-empty strings of at most "
                f"{MAX_NAME_LENGTH} characters, got {_describe(feature)}."
            )
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
