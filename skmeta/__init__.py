"""skmeta: a scikit-learn compatible AutoML meta-learner.

skmeta describes datasets by their meta-features, remembers how learning
strategies performed on them in a knowledge base, and uses that experience to
choose and tune a strategy for a new dataset in a few evaluations.

The names below are imported on first use, so that ``import skmeta`` (and a
command-line call that needs only part of the package) does not pay for the
learners and meta-models it does not touch.
"""

import importlib

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_EXPORTS = {
    "Dataset": "skmeta.datasets",
    "infer_task": "skmeta.datasets",
    "load_csv": "skmeta.datasets",
    "load_folder": "skmeta.datasets",
    "load_penguins": "skmeta.datasets",
    "MetaFeatureExtractor": "skmeta.metafeatures",
    "extract_metafeatures": "skmeta.metafeatures",
    "KnowledgeBase": "skmeta.knowledge",
    "MetaLearner": "skmeta.learner",
    "MetaClassifier": "skmeta.estimators",
    "MetaRegressor": "skmeta.estimators",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'skmeta' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
