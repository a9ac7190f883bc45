"""Exchange documents as files: JSON text, optionally gzip-compressed.

Reading parses JSON into a document (validation is
:func:`skmeta.knowledge.exchange.validate_document`'s job), with the size
of the uncompressed text capped before it is read into memory; writing is
atomic and reproducible. The format itself is :mod:`skmeta.knowledge.exchange`.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import zlib
from pathlib import Path

from skmeta._atomic import atomic_path

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "decode_document",
    "parse_document",
    "read_document",
    "write_document",
]

#: Largest document accepted, in bytes of (uncompressed) JSON.
MAX_DOCUMENT_BYTES = 2**30
_GZIP_MAGIC = b"\x1f\x8b"


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
