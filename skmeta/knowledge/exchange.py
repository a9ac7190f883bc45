"""The knowledge base exchange format: versioned JSON, validated on import.

A knowledge base travels as one JSON document, optionally gzip-compressed
(``.json.gz``; a gzip file is recognised by its content, not its name). It is
plain data: loading one parses JSON and checks it field by field, it never
runs code (no pickle anywhere).

Format, version 1
-----------------
::

    {
      "format": "skmeta-knowledge-base",
      "format_version": 1,
      "skmeta_version": "0.1.0",
      "description": "optional free text",
      "properties": {
        "adjuster_settings.classification": {"settings": {"temperature": 0.1},
                                             "n_datasets": 80}
      },
      "datasets": [
        {"dataset_id": "3f2a...", "name": "iris", "task": "multiclass",
         "n_samples": 150, "n_features": 4,
         "metafeatures": {"n_samples": 150.0, "class_entropy": 1.58, "skew": null}}
      ],
      "evaluations": [
        {"dataset_id": "3f2a...", "strategy": "svc", "config": {"C": 1.0},
         "metric": "accuracy", "cv": "StratifiedKFold(n_splits=3, shuffle=True)",
         "seed": 0, "status": "ok", "score": 0.96, "fold_scores": [0.96, 0.94, 0.98],
         "fit_seconds": 0.01, "predict_seconds": 0.002, "error": "",
         "skmeta_version": "0.1.0", "created_at": "2025-01-01T00:00:00+00:00"}
      ]
    }

Rules, each enforced on import with a message that names the place, e.g.
``evaluations[12].score must be a number or null, got 'abc'``:

- ``format`` is exactly ``"skmeta-knowledge-base"``; ``format_version`` is an
  integer this skmeta reads (1); a newer version asks to upgrade skmeta.
- No other top-level keys; ``description`` and ``properties`` may be left
  out (a document without properties is what skmeta wrote before properties
  existed, and is still valid). Every record is an object with exactly the
  fields above. ``error``, ``skmeta_version`` (default: the document's) and
  ``created_at`` (default: ``""``) may be left out of an evaluation.
- ``dataset_id``, ``name``, ``strategy``, ``metric``, meta-feature and
  hyperparameter names: non-empty strings of at most 200 characters;
  ``cv`` at most 500; ``error`` at most 10,000; string hyperparameter values at
  most 1,000. ``task`` is ``"binary"``, ``"multiclass"`` or ``"regression"``.
- ``config`` maps names to strings, numbers, booleans, null or flat lists of
  those (no nested objects); ``seed``, ``n_samples`` and ``n_features`` are
  64-bit integers (the latter two non-negative).
- ``score`` is a finite number, or null when ``status`` is ``"error"`` or
  ``"timeout"``; ``status`` is ``"ok"``, ``"error"`` or ``"timeout"``.
  ``fold_scores`` is a list of numbers, null for a failed fold.
  Meta-features are numbers, null for missing.
- ``properties`` maps names (non-empty strings of at most 200 characters) to
  small JSON values: objects with string keys, lists, strings of at most
  1,000 characters, finite numbers (integers within 64 bits), booleans and
  null, with containers nested at most :data:`MAX_PROPERTY_DEPTH` (4) levels
  deep and at most :data:`MAX_PROPERTY_BYTES` (100 kB) as compact JSON.
- Dataset ids are unique; every evaluation's ``dataset_id`` is one of the
  document's datasets or already in the knowledge base it is imported into.
- The ``config`` of an evaluation of a default strategy fits that strategy's
  space for the dataset's task: every hyperparameter known, none missing,
  every value in range (see :mod:`skmeta.knowledge.checks`).
- The document is at most :data:`MAX_DOCUMENT_BYTES` bytes (uncompressed).

Evaluations with the same identity (see :class:`~skmeta.knowledge.Evaluation`)
as a stored one are skipped on import: importing is a merge that never
changes or loses what is stored. Properties likewise: a property the knowledge
base lacks is added, one stored with an equal value is skipped, and one stored
with a different value keeps its stored value and is counted as conflicting
(see :meth:`KnowledgeBase.import_dict
<skmeta.knowledge.KnowledgeBase.import_dict>`).

This module holds the format and its validation; reading and writing the
files is :mod:`skmeta.knowledge.exchange_files`, and a property's checks
:mod:`skmeta.knowledge.properties` (their names are importable from here
too).
"""

from __future__ import annotations

import json
from typing import NamedTuple

from skmeta.knowledge.configs import _COMPACT
from skmeta.knowledge.exchange_files import (
    MAX_DOCUMENT_BYTES,
    decode_document,
    parse_document,
    read_document,
    write_document,
)
from skmeta.knowledge.limits import (
    MAX_ERROR_LENGTH,
    MAX_SHORT_TEXT_LENGTH,
    _check_name,
    _check_text,
    _describe,
)
from skmeta.knowledge.properties import (
    MAX_PROPERTY_BYTES,
    MAX_PROPERTY_DEPTH,
    MAX_PROPERTY_NAME_LENGTH,
    MAX_PROPERTY_STRING_LENGTH,
    property_row,
)
from skmeta.knowledge.records import (
    EVALUATION_FIELDS,
    REQUIRED_FIELDS,
    _check_record_fields,
    _normalize_dataset,
    evaluation_row,
)

FORMAT = "skmeta-knowledge-base"
FORMAT_VERSION = 1
#: Longest free-text ``description``.
MAX_DESCRIPTION_LENGTH = 10_000
#: How many problems a validation error lists before "... and N more".
MAX_REPORTED_PROBLEMS = 20

_TOP_LEVEL_REQUIRED = {"format", "format_version", "skmeta_version", "datasets",
                       "evaluations"}
_TOP_LEVEL_ALLOWED = _TOP_LEVEL_REQUIRED | {"description", "properties"}
_DATASET_FIELDS = ("dataset_id", "name", "task", "n_samples", "n_features",
                   "metafeatures")
_ALLOWED_EVALUATION_FIELDS = frozenset(EVALUATION_FIELDS)

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_DOCUMENT_BYTES",
    "MAX_PROPERTY_BYTES",
    "MAX_PROPERTY_DEPTH",
    "MAX_PROPERTY_NAME_LENGTH",
    "MAX_PROPERTY_STRING_LENGTH",
    "ValidDocument",
    "decode_document",
    "parse_document",
    "read_document",
    "validate_document",
    "write_document",
]


class ValidDocument(NamedTuple):
    """A validated document as rows ready for the knowledge base's tables."""

    #: (dataset_id, name, task, n_samples, n_features, metafeatures_json)
    datasets: list
    #: (dataset_id, strategy, config_key, config_json, metric, cv, seed, status,
    #: score, fold_scores_json, fit_seconds, predict_seconds, error,
    #: skmeta_version, created_at)
    evaluations: list
    #: (name, value_json), sorted by name
    properties: list


class _Problems:
    """Collects validation problems and raises them together."""

    def __init__(self, source):
        self.source = source
        self.messages = []
        self.count = 0

    def add(self, message):
        self.count += 1
        if len(self.messages) < MAX_REPORTED_PROBLEMS:
            self.messages.append(message)

    def raise_if_any(self):
        if not self.count:
            return
        more = self.count - len(self.messages)
        lines = "\n".join(f"  - {m}" for m in self.messages)
        tail = f"\n  ... and {more} more." if more else ""
        noun = "problem" if self.count == 1 else "problems"
        raise ValueError(
            f"{self.source} is not a valid skmeta knowledge base ({self.count} "
            f"{noun}); nothing was imported:\n{lines}{tail}"
        )


def _metafeatures_json(metafeatures):
    return _COMPACT.encode(metafeatures)


def dataset_row(dataset_id, name, task, metafeatures, n_samples, n_features):
    """Validate a dataset and return its table row (see :class:`ValidDocument`)."""
    dataset_id, name, task, n_samples, n_features, metafeatures = _normalize_dataset(
        dataset_id, name, task, metafeatures, n_samples, n_features
    )
    metafeatures = _metafeatures_json(metafeatures)
    return dataset_id, name, task, n_samples, n_features, metafeatures


def _validate_header(document, problems):
    if not isinstance(document, dict):
        problems.add(f"the document must be a JSON object, got {_describe(document)}")
        return None
    missing = sorted(_TOP_LEVEL_REQUIRED - document.keys())
    unknown = sorted(map(str, document.keys() - _TOP_LEVEL_ALLOWED))
    if missing:
        problems.add(f"the document is missing the keys {missing}")
    if unknown:
        problems.add(f"the document has unknown keys {unknown[:10]}")
    if document.get("format", FORMAT) != FORMAT:
        problems.add(
            f"format must be {FORMAT!r}, got {_describe(document['format'])}: this "
            "is not a skmeta knowledge base file"
        )
    version = document.get("format_version", FORMAT_VERSION)
    if type(version) is not int:
        problems.add(f"format_version must be an integer, got {_describe(version)}")
    elif version > FORMAT_VERSION:
        problems.add(
            f"format_version {version} is newer than this skmeta reads "
            f"({FORMAT_VERSION}): upgrade skmeta to load this file"
        )
    elif version < 1:
        problems.add(f"format_version must be >= 1, got {version}")
    skmeta_version = document.get("skmeta_version")
    try:
        if skmeta_version is not None:
            skmeta_version = _check_name(
                skmeta_version, "skmeta_version", MAX_SHORT_TEXT_LENGTH
            )
        _check_text(document.get("description", ""), "description",
                    MAX_DESCRIPTION_LENGTH)
    except (TypeError, ValueError) as exc:
        problems.add(str(exc).rstrip("."))
        skmeta_version = None
    for key in ("datasets", "evaluations"):
        if key in document and not isinstance(document[key], list):
            problems.add(f"{key} must be a list, got {type(document[key]).__name__}")
    if not isinstance(document.get("properties", {}), dict):
        problems.add("properties must be an object (names to values), got "
                     f"{type(document['properties']).__name__}")
    if problems.count:
        return None
    return skmeta_version


def _validate_datasets(records, problems):
    rows, seen = [], set()
    for i, record in enumerate(records):
        where = f"datasets[{i}]"
        if not isinstance(record, dict) or set(record) != set(_DATASET_FIELDS):
            if not isinstance(record, dict):
                problems.add(f"{where} must be an object, got {_describe(record)}")
            else:
                missing = sorted(set(_DATASET_FIELDS) - record.keys())
                unknown = sorted(map(str, record.keys() - set(_DATASET_FIELDS)))
                parts = ([f"is missing the fields {missing}"] if missing else []) + (
                    [f"has unknown fields {unknown[:10]}"] if unknown else [])
                problems.add(f"{where} {' and '.join(parts)}")
            continue
        try:
            row = dataset_row(**record)
        except (TypeError, ValueError) as exc:
            problems.add(f"{where}.{str(exc).rstrip('.')}")
            continue
        if row[0] in seen:
            problems.add(f"{where}.dataset_id {row[0]!r} appears twice")
            continue
        seen.add(row[0])
        rows.append(row)
    return rows


def _validate_evaluations(records, default_version, problems):
    rows = []
    optional = {"error": "", "skmeta_version": default_version, "created_at": ""}
    for i, record in enumerate(records):
        if type(record) is not dict or not (
            REQUIRED_FIELDS <= record.keys() <= _ALLOWED_EVALUATION_FIELDS
        ):
            try:
                _check_record_fields(record, f"evaluations[{i}]")
            except (TypeError, ValueError) as exc:
                problems.add(str(exc).rstrip("."))
                continue
        if len(record) != len(EVALUATION_FIELDS):
            record = {**optional, **record}
        error = record["error"]
        try:
            if type(error) is str and len(error) > MAX_ERROR_LENGTH:
                raise ValueError(
                    f"error must have at most {MAX_ERROR_LENGTH} characters, "
                    f"got {len(error)}"
                )
            rows.append(evaluation_row(record))
        except (TypeError, ValueError) as exc:
            problems.add(f"evaluations[{i}].{str(exc).rstrip('.')}")
    return rows


def _validate_configurations(datasets, evaluations, problems):
    """Every configuration must fit its strategy's space (see ``checks``)."""
    from skmeta.knowledge.checks import row_problems

    tasks = {row[0]: row[2] for row in datasets}
    for position, message in row_problems(evaluations, tasks):
        problems.add(f"evaluations[{position}]: {message}")


def _validate_properties(properties, problems):
    from skmeta.knowledge.checks import setting_problem

    rows = []
    for name, value in properties.items():
        try:
            row = property_row(name, value)
        except (TypeError, ValueError) as exc:
            message = str(exc).rstrip(".")
            problems.add(message if message.startswith("properties[")
                         else f"properties: {message}")
            continue
        # A learned setting a fit reads must be one it can use.
        problem = setting_problem(row[0], json.loads(row[1]))
        if problem:
            problems.add(f"properties[{row[0]!r}] is not a setting skmeta can use: "
                         f"{problem}")
        else:
            rows.append(row)
    return sorted(rows)


def validate_document(document, source="the document"):
    """Check a parsed document against the format; return its table rows.

    Parameters
    ----------
    document : dict
        A parsed JSON document.
    source : str
        How to name the document in error messages (e.g. its file name).

    Returns
    -------
    ValidDocument

    Raises
    ------
    ValueError
        Listing up to 20 problems, each with its place in the document.

    Examples
    --------
    >>> from skmeta.knowledge.exchange import validate_document
    >>> validate_document({"format": "skmeta-knowledge-base", "format_version": 1,
    ...                    "skmeta_version": "0.1.0", "datasets": [],
    ...                    "evaluations": [{"seed": "zero"}]})
    Traceback (most recent call last):
    ...
    ValueError: the document is not a valid skmeta knowledge base (1 problem); ...
    """
    problems = _Problems(source)
    default_version = _validate_header(document, problems)
    problems.raise_if_any()
    datasets = _validate_datasets(document["datasets"], problems)
    evaluations = _validate_evaluations(document["evaluations"], default_version,
                                        problems)
    if not problems.count:  # row positions are the records' positions
        _validate_configurations(datasets, evaluations, problems)
    properties = _validate_properties(document.get("properties", {}), problems)
    problems.raise_if_any()
    return ValidDocument(datasets, evaluations, properties)
