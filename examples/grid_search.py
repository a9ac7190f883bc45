"""Tuning skmeta's own parameters with GridSearchCV.

The adjuster's settings (``temperature`` of the softmax policy,
``learning_rate``, ``prior_weight``, ``step_size``, ``cost_weight``) default
to values meta-learned with the knowledge base ("auto"); the size of the search
(``n_evaluations``) and of the final ensemble (``ensemble_size``) are yours to
choose. They are ordinary constructor parameters, so scikit-learn's searches
tune them like any other. The fitted meta-learner (the knowledge base and its
meta-models) is built once and shared by every candidate.

``SKMETA_EXAMPLE_FAST=1`` uses a smaller grid and fewer folds (the test
suite runs it that way).
"""

import os

import pandas as pd
from sklearn.datasets import load_wine
from sklearn.model_selection import GridSearchCV, train_test_split

from skmeta import MetaClassifier

FAST = os.environ.get("SKMETA_EXAMPLE_FAST") == "1"

X, y = load_wine(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)

if FAST:
    grid = {"temperature": ["auto", 1.0], "n_evaluations": [2, 4]}
else:
    grid = {"temperature": ["auto", 0.05, 1.0], "n_evaluations": [4, 8, 16],
            "ensemble_size": [1, 10]}
search = GridSearchCV(
    MetaClassifier(cv=3, ensemble_size=1 if FAST else 10, random_state=0),
    grid,
    cv=3 if FAST else 5,
    scoring="balanced_accuracy",
)
search.fit(X_train, y_train)

results = pd.DataFrame(search.cv_results_)
columns = [f"param_{name}" for name in grid] + ["mean_test_score", "rank_test_score"]
print(results[columns].sort_values("rank_test_score").to_string(index=False))
print(f"\nbest parameters: {search.best_params_}")
print(f"best cross-validated balanced accuracy: {search.best_score_:.3f}")
print("test balanced accuracy of the refitted best: "
      f"{search.score(X_test, y_test):.3f}")
print(f"its strategy: {search.best_estimator_.best_strategy_}")
