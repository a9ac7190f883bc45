"""scikit-learn's own estimator checks, over every skmeta estimator."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from skmeta import MetaClassifier, MetaFeatureExtractor, MetaRegressor
from skmeta.estimators import EXPECTED_FAILED_CHECKS as META_ESTIMATOR_FAILURES
from skmeta.metafeatures._extractor import EXPECTED_FAILED_CHECKS

# Small, fast settings; the shipped knowledge base gives the prior. The
# classifier runs in three settings, since what its fitted model can do
# depends on them: the default portfolio and ensemble (often a fused model,
# whose decision_function comes from its probabilities), a small portfolio,
# and a single model with a decision function of its own.
ESTIMATORS = [
    MetaClassifier(n_evaluations=2, cv=2, random_state=0),
    MetaClassifier(portfolio=["knn", "logistic_regression"], n_evaluations=2, cv=2,
                   ensemble_size=2, random_state=0),
    MetaClassifier(portfolio=["logistic_regression"], n_evaluations=2, cv=2,
                   ensemble_size=1, random_state=0),
    MetaRegressor(portfolio=["knn", "ridge"], n_evaluations=2, cv=2,
                  ensemble_size=2, random_state=0),
    MetaFeatureExtractor(groups=["general", "statistical"], random_state=0),
]


def _expected_failed_checks(estimator):
    """Checks that fail by design, with the reasons the docs give.

    MetaFeatureExtractor's samples are datasets, not rows of a 2-D array;
    see its Notes. For the Meta* estimators a weight of 2 is not a repeated
    row, since a repeated row changes the folds (see MetaClassifier's Notes).
    """
    if isinstance(estimator, MetaFeatureExtractor):
        return EXPECTED_FAILED_CHECKS
    return META_ESTIMATOR_FAILURES


# Strict: a check listed as failing that starts to pass fails the suite, so
# the documented list cannot go stale.
@pytest.mark.slow
@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks,
                         xfail_strict=True)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


def test_expected_failures_are_documented():
    """Every expected failure is named, with its reason, in the class docstring."""
    notes = " ".join(MetaFeatureExtractor.__doc__.split())
    for check_name in EXPECTED_FAILED_CHECKS:
        assert check_name in notes, check_name
    notes = " ".join(MetaClassifier.__doc__.split())
    for check_name in META_ESTIMATOR_FAILURES:
        assert check_name in notes, check_name


def test_fused_decision_function_ranks_as_predict_proba():
    """An ensemble's decision function is the log-odds of its probabilities.

    Before, a fitted ensemble had no decision_function although the unfitted
    estimator promised one, and check_decision_proba_consistency failed.
    """
    import numpy as np
    from scipy.stats import rankdata
    from sklearn.datasets import make_classification

    from skmeta.ensemble import FusedClassifier

    # Noisy labels: no single configuration wins, the selection fuses several.
    X, y = make_classification(n_samples=120, n_features=6, n_informative=3,
                               flip_y=0.15, random_state=0)
    clf = MetaClassifier(portfolio=["knn", "gaussian_nb", "logistic_regression"],
                         n_evaluations=6, cv=3, ensemble_size=10,
                         random_state=0).fit(X, y)
    assert isinstance(clf.best_estimator_, FusedClassifier)
    scores = clf.decision_function(X)
    proba = clf.predict_proba(X)
    assert scores.shape == (120,)
    assert np.all(np.isfinite(scores))
    np.testing.assert_array_equal(rankdata(scores.round(10)),
                                  rankdata(np.log(proba[:, 1] / proba[:, 0]).round(10)))
    predicted = clf.classes_[(scores > 0).astype(int)]
    np.testing.assert_array_equal(clf.predict(X), predicted)
