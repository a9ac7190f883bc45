"""Quick start: a classifier that picks and tunes its own learning strategy.

``MetaClassifier`` starts from the knowledge base shipped with skmeta: the
meta-features of the training data give every strategy of the portfolio a
prior and warm-start configurations, then a few cross-validated evaluations
adapt the choice to this dataset. The script prints what the knowledge base
recommends, the adaptation trace, and the held-out accuracy next to a
default logistic regression.

Run it with ``python examples/quick_start.py``; ``SKMETA_EXAMPLE_FAST=1``
uses fewer evaluations (the test suite runs it that way).
"""

import os

from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmeta import MetaClassifier, extract_metafeatures
from skmeta.learner import resolve_meta_learner

FAST = os.environ.get("SKMETA_EXAMPLE_FAST") == "1"
N_EVALUATIONS = 4 if FAST else 20

X, y = load_breast_cancer(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

# 1. What the dataset looks like: about 150 meta-features.
metafeatures = extract_metafeatures(X_train, y_train, random_state=0)
print("Some meta-features of the training data:")
print(metafeatures[["n_rows", "n_features", "class_entropy", "lm_1nn.score"]].round(3))

# 2. What the shipped knowledge base expects to work (no model fitted yet).
learner = resolve_meta_learner(None)  # the shipped knowledge base, meta-learned
print("\nRecommended before any evaluation:")
print(learner.recommend(X_train, y_train, k=3)[["strategy", "predicted_score"]])

# 3. Adapt: a few cross-validated evaluations, then refit on all the data.
clf = MetaClassifier(n_evaluations=N_EVALUATIONS, cv=3, random_state=0)
clf.fit(X_train, y_train)
print(f"\nAdaptation trace ({len(clf.trace_)} evaluations):")
print(clf.trace_[["strategy", "score", "seconds"]].round(3))
print(f"best strategy: {clf.best_strategy_}, "
      f"cross-validated score {clf.best_score_:.3f}")

# 4. Held-out accuracy, next to a default model.
baseline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
baseline.fit(X_train, y_train)
print(f"\ntest accuracy  MetaClassifier: {clf.score(X_test, y_test):.3f}"
      f"  default logistic regression: {baseline.score(X_test, y_test):.3f}")
