"""Cross-check of skmeta meta-features against pymfe, a peer implementation.

31 pymfe meta-features are defined as skmeta's (see the pymfe names in
``describe_metafeatures()``) and are compared on scikit-learn's bundled
datasets and on the penguins sample (with missing values imputed, which
pymfe needs):

- ``EXACT`` (relative 1e-9, absolute 1e-12): counts, ratios, class shares and
  entropy, per-feature moments and spreads, correlations, covariances and
  their eigenvalues, attribute entropies, outliers and the complexity
  measures f1, f2, f3 and c1.
- ``CONTINGENCY`` (relative 1e-4, absolute 1e-5): measures built on the joint
  entropy, where pymfe adds 1e-8 to every cell of the contingency table.
- ``CANONICAL`` (relative 1e-4): canonical correlations, which pymfe
  approximates with scikit-learn's iterative CCA (checked on multiclass data;
  for two classes skmeta's exact value is tested against a regression R² in
  test_metafeatures.py).
"""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine

from skmeta import load_penguins
from skmeta.metafeatures import extract_metafeatures

pymfe_mfe = pytest.importorskip("pymfe.mfe")

# pymfe name -> skmeta name (a per-feature measure maps its prefix).
EXACT = {
    "nr_inst": "n_rows",
    "nr_attr": "n_features",
    "nr_num": "n_numeric",
    "nr_cat": "n_categorical",
    "nr_bin": "n_binary",
    "attr_to_inst": "dimensionality",
    "inst_to_attr": "rows_per_feature",
    "nr_class": "n_classes",
    "class_ent": "class_entropy",
    "freq_class": "class_freq",
    "mean": "mean",
    "sd": "sd",
    "iq_range": "iq_range",
    "skewness": "skewness",
    "kurtosis": "kurtosis",
    "cor": "abs_cor",
    "cov": "abs_cov",
    "nr_cor_attr": "high_cor_fraction",
    "nr_outliers": "n_outlier_features",
    "eigenvalues": "eigenvalues",
    "attr_ent": "attr_entropy",
    "f1": "f1",
    "f2": "f2",
    "f3": "f3",
    "c1": "class_balance",
}
CONTINGENCY = {
    "mut_inf": "mutual_info",
    "joint_ent": "joint_entropy",
    "eq_num_attr": "equivalent_n_features",
    "ns_ratio": "noise_signal_ratio",
}
CANONICAL = {"can_cor": "can_cor", "w_lambda": "wilks_lambda"}

#: Measures that do not use the target, for regression (pymfe takes a
#: continuous target for classes).
UNSUPERVISED = [
    "nr_inst", "nr_attr", "nr_num", "nr_cat", "nr_bin", "attr_to_inst", "inst_to_attr",
    "mean", "sd", "iq_range", "skewness", "kurtosis", "cor", "cov", "nr_cor_attr",
    "nr_outliers", "eigenvalues", "attr_ent",
]

def _pymfe_values(X, y, features, cat_cols=None):
    mfe = pymfe_mfe.MFE(
        groups=["general", "statistical", "info-theory", "complexity"],
        features=features,
        # pymfe 0.4.4's "quantiles" summary gives NaN with numpy 2; the
        # quartiles are checked by hand in test_metafeatures.py.
        summary=["mean", "sd", "min", "median", "max"],
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # No shared precomputations: with a regression target they would
        # take its distinct values for classes and run for seconds.
        mfe.fit(X, y, cat_cols=cat_cols if cat_cols is not None else "auto",
                precomp_groups=None)
        names, values = mfe.extract()
    return dict(zip(names, np.asarray(values, dtype=float), strict=True))


def _pairs(pymfe_values, ours, mapping):
    """(pymfe name, skmeta name, pymfe value, skmeta value) for mapped names."""
    pairs = []
    for name, value in pymfe_values.items():
        base, _, summary = name.partition(".")
        if base not in mapping:
            continue
        ours_name = mapping[base]
        if summary:
            ours_name = f"{ours_name}.{summary}"
        if ours_name in ours.index:
            pairs.append((name, ours_name, value, ours[ours_name]))
    return pairs


def _assert_close(pairs, rtol, atol):
    assert pairs
    mismatches = [
        f"{theirs} / {mine}: pymfe {a!r}, skmeta {b!r}"
        for theirs, mine, a, b in pairs
        if not np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=True)
    ]
    assert not mismatches, "\n".join(mismatches)


CLASSIFICATION = [load_iris, load_wine, load_breast_cancer]


@pytest.mark.parametrize("loader", CLASSIFICATION, ids=lambda f: f.__name__)
def test_classification_measures_match_pymfe(loader):
    X, y = loader(return_X_y=True)
    mapping = {**EXACT, **CONTINGENCY, **CANONICAL}
    theirs = _pymfe_values(X, y, list(mapping))
    ours = extract_metafeatures(X, y, random_state=0)
    exact = _pairs(theirs, ours, EXACT)
    # Every exact measure is compared (per-feature ones with 5 summaries).
    assert {p[0].partition(".")[0] for p in exact} == set(EXACT)
    assert len(exact) >= 65
    _assert_close(exact, rtol=1e-9, atol=1e-12)
    _assert_close(_pairs(theirs, ours, CONTINGENCY), rtol=1e-4, atol=1e-5)
    if loader is not load_breast_cancer:  # pymfe's CCA is inexact for 2 classes
        canonical = _pairs(theirs, ours, CANONICAL)
        compared = {p[1] for p in canonical}
        assert compared >= {"can_cor.max", "can_cor.mean", "wilks_lambda"}
        _assert_close(canonical, rtol=1e-4, atol=0)


def test_regression_measures_match_pymfe():
    X, y = load_diabetes(return_X_y=True)
    theirs = _pymfe_values(X, y, UNSUPERVISED)
    ours = extract_metafeatures(X, y, random_state=0)
    pairs = _pairs(theirs, ours, {k: v for k, v in EXACT.items() if k in UNSUPERVISED})
    assert len(pairs) >= 50
    _assert_close(pairs, rtol=1e-9, atol=1e-12)


def test_categorical_measures_match_pymfe():
    penguins = load_penguins()
    X = penguins.X.copy()
    for column in X.columns:  # pymfe cannot take missing values
        numeric = X[column].dtype.kind in "if"
        X[column] = X[column].fillna(
            X[column].median() if numeric else X[column].mode()[0])
    categorical = [i for i, dtype in enumerate(X.dtypes) if dtype.kind not in "if"]
    assert len(categorical) == 2
    features = ["nr_inst", "nr_attr", "nr_num", "nr_cat", "nr_bin", "nr_class",
                "class_ent", "attr_ent", *CONTINGENCY]
    theirs = _pymfe_values(X.to_numpy(dtype=object), penguins.y, features,
                           cat_cols=categorical)
    ours = extract_metafeatures(X, penguins.y, random_state=0)
    assert ours["missing_fraction"] == 0 and ours["n_categorical"] == 2
    _assert_close(_pairs(theirs, ours, EXACT), rtol=1e-9, atol=1e-12)
    _assert_close(_pairs(theirs, ours, CONTINGENCY), rtol=1e-4, atol=1e-5)
