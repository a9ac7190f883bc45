"""Meta-features: what a dataset looks like, as a fixed-length vector.

:func:`extract_metafeatures` describes one dataset by the standard
meta-feature families of the meta-learning literature (auto-sklearn, pymfe,
OpenML), one module per group:

=================  ============================================================
group              measures
=================  ============================================================
``general``        size, log sizes and their ratio, feature types, missing
                   values, number of classes, class entropy and imbalance (or,
                   for regression, the target's shape)
``statistical``    per-feature mean, sd, IQR, skewness, kurtosis and outliers;
                   sparsity, normality, correlations and covariances between
                   features, canonical correlations with the target
``info_theory``    feature entropies, mutual information and joint entropy
                   with the class, equivalent number of features,
                   noise-signal ratio
``landmarking``    cross-validated scores of cheap learners (1-NN, decision
                   stump, naive Bayes, ridge, depth-3 tree, and small
                   versions of the portfolio's 5-NN, logistic regression,
                   RBF SVM and extra trees), how far each falls behind the
                   best, and their times
``complexity``     PCA (components for 95% variance, first component's share,
                   skewness and kurtosis), covariance eigenvalues, Fisher's
                   discriminant ratio (f1), overlap volume (f2), feature
                   efficiency (f3)
=================  ============================================================

:func:`describe_metafeatures` documents every name; :func:`metafeature_names`
gives the ordered names of a task, which is exactly the index of the returned
Series (binary and multiclass share a list of 164 names; regression has 150).

Conventions
-----------
Names
    pymfe-like: a single value is ``name`` (``n_rows``, ``class_entropy``); a
    measure taken per feature (per pair of features, per eigenvalue) is
    summarized as ``name.mean``, ``name.sd`` (ddof=1), ``name.min``,
    ``name.q25``, ``name.median``, ``name.q75`` and ``name.max``, so the
    vector has the same length for every dataset of a task. Landmarkers are
    ``lm_<learner>.score``, ``lm_<learner>.gap`` and
    ``lm_<learner>.fit_seconds``. For regression the class measures become
    target measures (``target_entropy``, ``target_skewness``,
    ``target_abs_cor.*``) and the landmarkers regressors.
Undefined values
    A measure that does not exist for a dataset is NaN, never an error: the
    statistical measures of a dataset without numeric features, the skewness
    of a constant column, a correlation with one feature. Summaries leave out
    undefined per-feature values.
Input
    numpy arrays, sparse matrices and DataFrames with categorical (string,
    object, category) columns and missing values; nothing to preprocess.
    Booleans count as numeric. Validation is :class:`skmeta.Dataset`'s.
Large data
    Above ``max_rows`` rows (default 10,000), measures other than the counts
    and the class or target measures of ``general`` run on a subsample,
    stratified on the class for classification; the landmarkers use at most
    2,000 of those rows and 100,000 cells. A sparse matrix is densified after
    subsampling; at most 1 million cells are analysed (wider data uses fewer
    rows, at least 1,000, and beyond 1,000 columns a random subset of
    columns). Pairwise measures and PCA use at most 100 features (a random
    subset beyond). So the extraction takes a few hundredths of a second on a
    few hundred rows and at most about 0.2 s whatever the size (on the corpus,
    one core), plus validating the input when the dataset is built (a few
    seconds for 1,000,000 x 50).
Determinism
    Equal ``random_state``, equal values, except the ``*.fit_seconds``
    timings.

Compared with pymfe
-------------------
Many measures follow pymfe's definitions exactly and are tested against it
(the description of such a measure names its pymfe counterpart). Where they
differ: statistical measures leave categorical features out (pymfe adds
their dummy columns), missing values are left out (pymfe cannot take them),
canonical correlations are computed exactly (pymfe iterates scikit-learn's
CCA), normality uses the Jarque-Bera test (pymfe: Shapiro-Wilk), PCA is
computed on standardized data, and the landmarkers use ``landmarking_folds``
shuffled folds and score out-of-fold predictions (pymfe: 10 ordered folds).

Examples
--------
>>> from skmeta import load_penguins
>>> from skmeta.metafeatures import extract_dataset_metafeatures, metafeature_names
>>> values = extract_dataset_metafeatures(load_penguins(), random_state=0)
>>> values.index.tolist() == metafeature_names("multiclass")
True
>>> values[["n_rows", "n_categorical", "n_classes"]].tolist()
[344.0, 2.0, 3.0]
>>> len(metafeature_names("binary")), len(metafeature_names("regression"))
(164, 150)
"""

from skmeta.metafeatures._extract import (
    GROUPS,
    all_names,
    describe_metafeatures,
    extract_dataset_metafeatures,
    extract_metafeatures,
    metafeature_names,
)
from skmeta.metafeatures._extractor import MetaFeatureExtractor

__all__ = [
    "GROUPS",
    "MetaFeatureExtractor",
    "all_names",
    "describe_metafeatures",
    "extract_dataset_metafeatures",
    "extract_metafeatures",
    "metafeature_names",
]
