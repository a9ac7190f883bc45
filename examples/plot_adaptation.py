"""Plotting the adaptation: how fast the search found a good model.

A fitted ``MetaClassifier`` keeps one row per evaluation in ``trace_``. This
script fits one on the digits dataset and saves three pictures to the
current directory:

- ``adaptation.png``: the best cross-validated score so far, against the
  evaluations done and against the seconds spent (task adaptation time);
- ``strategy_probabilities.png``: the adjuster's softmax policy over the
  strategies, step by step, starting from the knowledge base's prior;
- ``knowledge_map.png``: the knowledge base's datasets in meta-feature space,
  with digits and its nearest stored datasets marked.

Needs matplotlib (``pip install "skmeta[plot]"``). ``SKMETA_EXAMPLE_FAST=1``
uses fewer evaluations and rows (the test suite runs it that way).
"""

import os

import matplotlib

matplotlib.use("Agg")  # files only, no window
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402

from skmeta import MetaClassifier  # noqa: E402
from skmeta.learner import resolve_meta_learner  # noqa: E402
from skmeta.plotting import (  # noqa: E402
    plot_adaptation_figure,
    plot_knowledge_map,
    plot_strategy_probabilities,
)

FAST = os.environ.get("SKMETA_EXAMPLE_FAST") == "1"
N_EVALUATIONS = 4 if FAST else 20

X, y = load_digits(return_X_y=True)
if FAST:
    X, y = X[:500], y[:500]

clf = MetaClassifier(n_evaluations=N_EVALUATIONS, cv=3, random_state=0).fit(X, y)
print(clf.trace_[["strategy", "score", "seconds"]].round(3))

figure = plot_adaptation_figure(clf)
figure.savefig("adaptation.png", dpi=100)

ax = plot_strategy_probabilities(clf)
ax.figure.savefig("strategy_probabilities.png", dpi=100)

learner = resolve_meta_learner(None)  # the shipped knowledge base, meta-learned
ax = plot_knowledge_map(learner, X, y)
ax.figure.savefig("knowledge_map.png", dpi=100)
plt.close("all")

for name in ("adaptation.png", "strategy_probabilities.png", "knowledge_map.png"):
    print(f"wrote {name} ({os.path.getsize(name) // 1024} kB)")
