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
"""

from __future__ import annotations

import gzip
import json
import math
import numbers
import os
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np

from skmeta._atomic import atomic_path
from skmeta.knowledge.records import (
    _CANONICAL,
    _COMPACT,
    EVALUATION_FIELDS,
    MAX_ERROR_LENGTH,
    MAX_NAME_LENGTH,
    MAX_SHORT_TEXT_LENGTH,
    REQUIRED_FIELDS,
    _check_int,
    _check_name,
    _check_record_fields,
    _check_text,
    _describe,
    _normalize_dataset,
    evaluation_row,
)

FORMAT = "skmeta-knowledge-base"
FORMAT_VERSION = 1
#: Largest document accepted, in bytes of (uncompressed) JSON.
MAX_DOCUMENT_BYTES = 2**30
#: Longest free-text ``description``.
MAX_DESCRIPTION_LENGTH = 10_000
#: How many problems a validation error lists before "... and N more".
MAX_REPORTED_PROBLEMS = 20
#: Longest property name.
MAX_PROPERTY_NAME_LENGTH = MAX_NAME_LENGTH
#: Longest string (value or object key) inside a property value.
MAX_PROPERTY_STRING_LENGTH = 1_000
#: Deepest nesting of objects and lists in a property value (a flat object is 1).
MAX_PROPERTY_DEPTH = 4
#: Largest property value, in bytes of compact UTF-8 JSON.
MAX_PROPERTY_BYTES = 100_000

_TOP_LEVEL_REQUIRED = {"format", "format_version", "skmeta_version", "datasets",
                       "evaluations"}
_TOP_LEVEL_ALLOWED = _TOP_LEVEL_REQUIRED | {"description", "properties"}
_DATASET_FIELDS = ("dataset_id", "name", "task", "n_samples", "n_features",
                   "metafeatures")
_ALLOWED_EVALUATION_FIELDS = frozenset(EVALUATION_FIELDS)
_GZIP_MAGIC = b"\x1f\x8b"

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


def _property_value(value, root, where, depth, nodes):
    """``value`` as plain JSON data (numpy scalars become Python ones).

    ``root`` names the property, ``where`` the place inside it; ``depth``
    counts the containers around ``value`` and ``nodes`` (a one-item list)
    the values seen so far, to stop early on a value too large to keep.
    """
    nodes[0] += 1
    if nodes[0] > MAX_PROPERTY_BYTES:  # every value takes at least one byte
        raise ValueError(
            f"{root} is larger than {MAX_PROPERTY_BYTES} bytes as JSON; store "
            "small settings and summaries, not data."
        )
    kind = type(value)
    if isinstance(value, str):
        if len(value) > MAX_PROPERTY_STRING_LENGTH:
            raise ValueError(
                f"{where} must have at most {MAX_PROPERTY_STRING_LENGTH} "
                f"characters, got {len(value)}."
            )
        return str(value)
    if value is None or kind is bool:
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return _check_int(value, where)
    if isinstance(value, numbers.Real):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"{where} must be a finite number, got {value}.")
        return value
    if isinstance(value, (dict, list, tuple)):
        if depth >= MAX_PROPERTY_DEPTH:
            raise ValueError(
                f"{root} is nested deeper than {MAX_PROPERTY_DEPTH} levels "
                f"(at {where})."
            )
        if isinstance(value, dict):
            normalized = {}
            for key, item in value.items():
                if not isinstance(key, str):
                    raise TypeError(
                        f"{where} keys must be strings, got {_describe(key)}."
                    )
                if len(key) > MAX_PROPERTY_STRING_LENGTH:
                    raise ValueError(
                        f"{where} keys must have at most "
                        f"{MAX_PROPERTY_STRING_LENGTH} characters, got {len(key)}."
                    )
                normalized[str(key)] = _property_value(
                    item, root, f"{where}[{key!r}]", depth + 1, nodes)
            return normalized
        return [_property_value(item, root, f"{where}[{i}]", depth + 1, nodes)
                for i, item in enumerate(value)]
    raise TypeError(
        f"{where} must be an object, list, string, number, boolean or null, got "
        f"{type(value).__name__} {_describe(value)}."
    )


def property_row(name, value):
    """Validate a property and return its table row ``(name, value_json)``.

    Parameters
    ----------
    name : str
        A non-empty string of at most 200 characters.
    value : JSON-able
        Dicts with string keys, lists (or tuples), strings of at most 1,000
        characters, finite numbers, booleans and None; containers nested at
        most :data:`MAX_PROPERTY_DEPTH` levels, at most
        :data:`MAX_PROPERTY_BYTES` bytes as compact JSON. Numpy scalars are
        accepted and stored as Python numbers.

    Raises
    ------
    TypeError, ValueError
        Naming the place of the problem, e.g. ``properties['x']['a']``.

    Examples
    --------
    >>> from skmeta.knowledge.exchange import property_row
    >>> property_row("settings", {"temperature": 0.1, "sizes": (1, 2)})
    ('settings', '{"temperature":0.1,"sizes":[1,2]}')
    >>> property_row("settings", {"temperature": float("nan")})
    Traceback (most recent call last):
    ...
    ValueError: properties['settings']['temperature'] must be a finite number, got nan.
    """
    name = _check_name(name, "property name", MAX_PROPERTY_NAME_LENGTH)
    root = f"properties[{name!r}]"
    normalized = _property_value(value, root, root, 0, [0])
    text = _COMPACT.encode(normalized)
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise ValueError(
            f"{root} holds text that is not valid Unicode (a lone surrogate)."
        ) from None
    if size > MAX_PROPERTY_BYTES:
        raise ValueError(
            f"{root} is {size} bytes as JSON, more than {MAX_PROPERTY_BYTES}; store "
            "small settings and summaries, not data."
        )
    return name, text


def same_property_value(text_a, text_b):
    """Whether two stored property values are equal as JSON.

    Key order does not matter; types do (``1``, ``1.0`` and ``true`` differ).
    """
    if text_a == text_b:
        return True
    return _CANONICAL.encode(json.loads(text_a)) == _CANONICAL.encode(
        json.loads(text_b))


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


def _parse_constant(name):
    # Python's json writes NaN/Infinity by default; accept them, validation
    # then decides where a non-finite number is allowed.
    return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[name]


def parse_document(text, source="the document"):
    """Parse JSON text into a document, turning every failure into ValueError."""
    if len(text) > MAX_DOCUMENT_BYTES:
        raise ValueError(
            f"{source} is larger than {MAX_DOCUMENT_BYTES} bytes; not loading it."
        )
    try:
        return json.loads(text, parse_constant=_parse_constant)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{source} is not valid JSON: {exc}.") from None
    except RecursionError:
        raise ValueError(
            f"{source} is nested too deeply to be a skmeta knowledge base."
        ) from None
    except ValueError as exc:  # e.g. an integer with thousands of digits
        raise ValueError(f"{source} is not a valid JSON document: {exc}.") from None


def read_document(path, *, max_bytes=MAX_DOCUMENT_BYTES):
    """Read and parse a ``.json`` or gzip-compressed ``.json.gz`` document.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If it is not (gzip-compressed) UTF-8 JSON, is truncated, or is larger
        than ``max_bytes`` uncompressed.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such knowledge base file: {path}")
    with open(path, "rb") as file:
        return decode_document(file, source=str(path), max_bytes=max_bytes)


def decode_document(file, source="the document", *, max_bytes=MAX_DOCUMENT_BYTES):
    """Parse a document from a seekable binary file object (gzip-compressed or not).

    Its size is checked against ``max_bytes`` before it is read into memory:
    a gzip file is first decompressed as a stream that keeps nothing and
    stops at the cap, so a small "gzip bomb" costs little memory.
    """
    try:
        compressed = file.read(2) == _GZIP_MAGIC
        file.seek(0)
        if compressed:
            size = _unzipped_size(file, max_bytes)
            file.seek(0)
        else:
            size = file.seek(0, os.SEEK_END)
            file.seek(0)
        if size > max_bytes:
            raise ValueError(
                f"{source} is larger than {max_bytes} bytes; not loading it.")
        if compressed:
            with gzip.GzipFile(fileobj=file, mode="rb") as unzipped:
                data = unzipped.read()
        else:
            data = file.read()
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise ValueError(
            f"{source} is not a valid gzip file (truncated or corrupt): {exc}"
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{source} is not UTF-8 text: {exc}") from None
    return parse_document(text, source=source)


def _unzipped_size(file, max_bytes, chunk=2**20):
    """The decompressed size of a gzip file, counted up to just past ``max_bytes``."""
    size = 0
    with gzip.GzipFile(fileobj=file, mode="rb") as unzipped:
        while size <= max_bytes:
            read = len(unzipped.read(chunk))
            if not read:
                break
            size += read
    return size


def write_document(document, path):
    """Write a document as JSON, gzip-compressed when ``path`` ends in ``.gz``.

    One record per line, so files diff well; written to a temporary file and
    renamed, so a crash never leaves half a file under ``path``. Compressed
    output is byte-for-byte reproducible (no timestamp in the gzip header).

    Returns
    -------
    path : pathlib.Path
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(
            f"cannot write {path}: the folder {path.parent} does not exist."
        )
    with atomic_path(path) as temporary, open(temporary, "wb") as raw:
        if path.name.endswith(".gz"):
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                               compresslevel=6) as zipped:
                _write_json(document, zipped)
        else:
            _write_json(document, raw)
    return path


def _write_json(document, binary):
    def dump(value):
        return json.dumps(value, ensure_ascii=False, allow_nan=False)

    header = {k: v for k, v in document.items()
              if k not in ("properties", "datasets", "evaluations")}
    chunks = ["{\n"]
    chunks.extend(f"{dump(k)}: {dump(v)},\n" for k, v in header.items())
    if document.get("properties"):  # one property a line, like records
        chunks.append('"properties": {\n')
        chunks.append(",\n".join(
            f"{dump(name)}: {dump(value)}"
            for name, value in document["properties"].items()))
        chunks.append("\n},\n")
    for i, key in enumerate(("datasets", "evaluations")):
        records = document[key]
        chunks.append(f'"{key}": [\n' if records else f'"{key}": [')
        chunks.append(",\n".join(map(dump, records)))
        chunks.append("\n]" if records else "]")
        chunks.append(",\n" if i == 0 else "\n}\n")
    binary.write("".join(chunks).encode("utf-8"))
