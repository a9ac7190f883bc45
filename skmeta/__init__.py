"""skmeta: a scikit-learn compatible AutoML meta-learner.

skmeta describes datasets by their meta-features, remembers how learning
strategies performed on them in a knowledge base, and uses that experience to
choose and tune a strategy for a new dataset in a few evaluations.
"""

__version__ = "0.1.0"

from skmeta.datasets import Dataset, infer_task, load_csv, load_folder, load_penguins
from skmeta.metafeatures import MetaFeatureExtractor, extract_metafeatures
from skmeta.knowledge import KnowledgeBase
from skmeta.learner import MetaLearner
from skmeta.estimators import MetaClassifier, MetaRegressor

__all__ = [
    "Dataset",
    "KnowledgeBase",
    "MetaClassifier",
    "MetaFeatureExtractor",
    "MetaLearner",
    "MetaRegressor",
    "__version__",
    "extract_metafeatures",
    "infer_task",
    "load_csv",
    "load_folder",
    "load_penguins",
]
