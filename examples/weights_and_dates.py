"""Sample weights and date columns, as users of FLAML and AutoGluon pass them.

1. **Weights that matter.** Bike rentals on generated hours: the
   target follows the hour and the weekday, and the rows of the last month
   (of five) are noise (a sensor fault). Weighting those rows down changes what the
   search sees and picks: it is scored, fitted and refitted on the clean
   rows, and predicts the clean month better.
2. **A date column.** The timestamp is one column of ``datetime64``: skmeta
   turns it into numeric parts (elapsed days, month, day, weekday, hour)
   chosen at ``fit`` and applied the same way at ``predict``; as text, one
   category per value, it carries nearly nothing.

``SKMETA_EXAMPLE_FAST=1`` uses fewer evaluations (the test suite runs it
that way).
"""

import os

import numpy as np
import pandas as pd
from sklearn.metrics import r2_score

from skmeta import MetaRegressor

FAST = os.environ.get("SKMETA_EXAMPLE_FAST") == "1"
SETTINGS = {"n_evaluations": 3 if FAST else 10, "cv": 3, "random_state": 0}

rng = np.random.default_rng(0)
when = pd.date_range("2024-01-01", periods=24 * 152, freq="h")
rush = np.isin(when.hour, [8, 17]) & (when.day_of_week < 5)
rentals = 20 + 80 * rush + 30 * (when.day_of_week >= 5) + rng.normal(0, 5, len(when))
X = pd.DataFrame({"when": when, "temperature": rng.normal(15, 8, len(when))})
y = rentals.copy()
faulty = when >= pd.Timestamp("2024-05-01")
y[faulty] = rng.uniform(0, 200, faulty.sum())  # what the sensor reported

train = rng.random(len(X)) < 0.5
test = ~train & ~faulty  # judged on what really happened
weights = np.where(faulty, 0.01, 1.0)

print("1. Weights that matter")
plain = MetaRegressor(**SETTINGS).fit(X[train], y[train])
weighted = MetaRegressor(**SETTINGS).fit(X[train], y[train],
                                         sample_weight=weights[train])
for name, model in [("unweighted", plain), ("weighted", weighted)]:
    print(f"{name:>10}: best {model.best_strategy_}, cross-validated R^2 "
          f"{model.best_score_:.3f}, test R^2 {model.score(X[test], rentals[test]):.3f}")
print(f"left out of the weighted search: {weighted.skipped_strategies_}")

print("\n2. A date column")
as_text = X.assign(when=X["when"].astype(str))
one_hot = MetaRegressor(**SETTINGS).fit(as_text[train], y[train],
                                        sample_weight=weights[train])
print(f"the timestamp as parts: test R^2 {weighted.score(X[test], rentals[test]):.3f}; "
      f"as text: {one_hot.score(as_text[test], rentals[test]):.3f}")
predicted = weighted.predict(as_text[test])  # dates read back as text parse again
print(f"predicting from text dates: R^2 {r2_score(rentals[test], predicted):.3f}")
