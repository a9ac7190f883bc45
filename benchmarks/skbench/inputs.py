"""The inputs every benchmark shares: the corpus of datasets and a knowledge base.

>>> keel_family("keel_car_good", "KEEL imbalanced (family: car)")
'car'
>>> keel_family("sklearn_wine", "scikit-learn")
'sklearn_wine'
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from skmeta.knowledge import KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from build_knowledge_base import DEFAULT_CORPUS, load_corpus  # noqa: E402

__all__ = ["DEFAULT_CORPUS", "ROOT", "keel_family", "load_corpus", "open_kb",
           "open_kb_in_memory"]


def keel_family(name, origin):
    """The KEEL family a corpus dataset belongs to, or its own name.

    Variants of one KEEL dataset (``origin`` says "family: <name>") share a
    family, so that leave-one-dataset-out can leave out the whole family.
    """
    match = re.search(r"family: ([^)]+)", str(origin))
    if match:
        return match.group(1)
    for base in ("vehicle", "vowel", "led7digit"):
        if name == f"keel_{base}":
            return base
    return name


def open_kb(path):
    """The knowledge base at ``path`` (SQLite or JSON export; None: the shipped one)."""
    if path is None:
        return KnowledgeBase.default()
    if path.suffix == ".sqlite":
        return KnowledgeBase(path)
    return KnowledgeBase.from_json(path)


def open_kb_in_memory(path):
    """An in-memory copy of a knowledge base file (SQLite or JSON export)."""
    path = Path(path)
    if not path.is_file():
        raise SystemExit(f"no knowledge base at {path}; build it with "
                         "scripts/build_knowledge_base.py or pass --kb.")
    if path.name.endswith((".json", ".json.gz")):
        return KnowledgeBase.from_json(path)
    source = KnowledgeBase(path)
    try:
        return source.copy()
    finally:
        source.close()

