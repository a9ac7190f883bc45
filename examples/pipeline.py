"""MetaClassifier and MetaRegressor inside scikit-learn pipelines.

skmeta's estimators take DataFrames with categorical columns and missing
values as they are (each strategy brings its own preprocessing), but they are
ordinary scikit-learn estimators, so they also sit at the end of a
``Pipeline`` after your own feature engineering. On the bundled penguins
sample (categorical columns, missing values) this script

1. classifies the species with a ``ColumnTransformer`` that drops a column,
   imputes and scales the measurements and one-hot encodes the categories,
   and cross-validates the whole pipeline;
2. predicts the body mass with a ``MetaRegressor`` behind a simple pipeline.

``SKMETA_EXAMPLE_FAST=1`` uses fewer evaluations (the test suite runs it
that way).
"""

import os

from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skmeta import MetaClassifier, MetaRegressor, load_penguins

FAST = os.environ.get("SKMETA_EXAMPLE_FAST") == "1"
N_EVALUATIONS = 2 if FAST else 10
CV = 3 if FAST else 5

penguins = load_penguins()
X, species = penguins.X, penguins.y
print(f"penguins: {X.shape[0]} rows; missing values per column:")
print(X.isna().sum().to_string())

# 1. Species: the user's preprocessing, then the meta-learned classifier.
preprocess = ColumnTransformer(
    [
        ("numbers", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
         make_column_selector(dtype_include="number")),
        ("categories", OneHotEncoder(handle_unknown="ignore"),
         make_column_selector(dtype_exclude="number")),
    ],
    remainder="drop",
)


def without_year():
    """Drop the ``year`` column; keep a DataFrame for the steps that follow."""
    drop = ColumnTransformer([("drop_year", "drop", ["year"])],
                             remainder="passthrough", verbose_feature_names_out=False)
    return drop.set_output(transform="pandas")  # later steps select columns by dtype


classifier = make_pipeline(
    without_year(),
    preprocess,
    MetaClassifier(n_evaluations=N_EVALUATIONS, cv=3, ensemble_size=3, random_state=0),
)
scores = cross_val_score(classifier, X, species, cv=CV)
print(f"\nspecies, {CV}-fold accuracy of the pipeline: {scores.mean():.3f} "
      f"(+/- {scores.std():.3f})")

classifier.fit(X, species)
meta = classifier[-1]
print(f"chosen strategy: {meta.best_strategy_}; "
      f"{meta.n_features_in_} features after preprocessing")

# 2. Body mass: a regression target taken out of the same table.
mass_known = X["body_mass_g"].notna()
Xr = X.loc[mass_known].drop(columns="body_mass_g")
mass = X.loc[mass_known, "body_mass_g"].to_numpy()
Xr_train, Xr_test, mass_train, mass_test = train_test_split(Xr, mass, random_state=0)
regressor = make_pipeline(
    without_year(),  # skmeta handles the categories and missing values itself
    MetaRegressor(n_evaluations=N_EVALUATIONS, cv=3, random_state=0),
)
regressor.fit(Xr_train, mass_train)
print(f"\nbody mass, test R^2: {regressor.score(Xr_test, mass_test):.3f} "
      f"(strategy: {regressor[-1].best_strategy_})")
