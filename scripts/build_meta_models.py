"""Build the meta-models shipped with skmeta from the shipped knowledge base.

Fits the performance and cost models of every task family exactly as
``MetaLearner.from_knowledge_base(KnowledgeBase.default(), n_jobs=-1)`` does
(the learner the estimators use by default), then writes them to
``skmeta/data/meta_models.npz`` (see :mod:`skmeta.selection.meta_models_file` for the
format), with the rest of what that learner derives from the knowledge base
(:func:`skmeta.learner.from_shipped_file.learner_state`), so that it can be built
without loading the knowledge base. Rerun it after
``scripts/build_knowledge_base.py``, and after any change to how meta-models
are fitted (bump ``skmeta.learner.SETTINGS_VERSION`` then):
``tests/test_shipped_models.py`` fails until the file is current.

Usage::

    python scripts/build_meta_models.py [--output FILE]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from skmeta import MetaLearner
from skmeta.knowledge import KnowledgeBase
from skmeta.learner import SETTINGS_VERSION
from skmeta.selection import meta_models_file
from skmeta.learner.from_shipped_file import learner_state

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "skmeta" / "data" / meta_models_file.FILENAME


def build(output=OUTPUT):
    """Fit the default learner's meta-models and write them; return the header."""
    start = time.perf_counter()
    with meta_models_file.disabled():
        learner = MetaLearner.from_knowledge_base(KnowledgeBase.default(), n_jobs=-1)
        models = {
            family: {"performance": learner.performance_models_[family],
                     "cost": learner.cost_models_[family]}
            for family in list(learner.performance_models_)
        }
        state = learner_state(learner)
    fitted = time.perf_counter() - start
    header = meta_models_file.save_meta_models(
        output, models, random_state=learner.random_state,
        settings_version=SETTINGS_VERSION,
        knowledge_base_signature=meta_models_file.knowledge_base_signature(),
        learner_state=state,
    )
    size = Path(output).stat().st_size
    print(f"fitted {sorted(models)} in {fitted:.1f} s; wrote {output} "
          f"({size / 1e6:.2f} MB)")
    return header


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    build(args.output)


if __name__ == "__main__":
    main()
