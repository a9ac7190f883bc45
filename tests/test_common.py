"""scikit-learn's own estimator checks, over every skmeta estimator."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skmeta import MetaClassifier, MetaRegressor

# Small, fast settings; the shipped knowledge base gives the prior.
ESTIMATORS = [
    MetaClassifier(portfolio=["knn", "logistic_regression"], n_evaluations=2, cv=2,
                   ensemble_size=2, random_state=0),
    MetaRegressor(portfolio=["knn", "ridge"], n_evaluations=2, cv=2,
                  ensemble_size=2, random_state=0),
]


@parametrize_with_checks(ESTIMATORS)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)
