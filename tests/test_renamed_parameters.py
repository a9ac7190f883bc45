"""Parameters renamed in 0.2: the new names work, the old ones still do (with a
FutureWarning, for one release), and giving both is an error.

- estimators: ``batch_size`` -> ``proposals_per_step``, ``timeout`` ->
  ``evaluation_timeout``, a MetaLearner as ``knowledge_base`` -> ``meta_learner``;
- ``MetaLearner``: ``timeout`` -> ``evaluation_timeout``;
- ``skmeta metatrain`` / ``evaluate``: ``--timeout`` -> ``--evaluation-timeout``.
"""

import warnings

import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_iris, load_wine, make_classification
from sklearn.exceptions import NotFittedError

from skmeta import MetaClassifier, MetaLearner, MetaRegressor
from skmeta.cli import build_parser, metatraining
from skmeta.cli.errors import CommandError
from skmeta.cli.printing import _compact_warnings

PORTFOLIO = ["gaussian_nb", "logistic_regression"]


@pytest.fixture(scope="module")
def learner():
    datasets = [load(return_X_y=True) for load in (load_iris, load_wine,
                                                   load_breast_cancer)]
    return MetaLearner(portfolio=PORTFOLIO, n_configs_per_strategy=1,
                       evaluation_timeout=None, random_state=0).fit(datasets)


@pytest.fixture(scope="module")
def data():
    return make_classification(120, 4, random_state=1)


def _trace(estimator, X, y):
    columns = ["strategy", "score", "n_folds", "status"]
    return estimator.fit(X, y).trace_[columns]


def _future_warnings(caught):
    return [str(w.message) for w in caught if issubclass(w.category, FutureWarning)]


@pytest.mark.parametrize("Estimator", [MetaClassifier, MetaRegressor])
def test_get_params_lists_the_new_names(Estimator):
    params = Estimator().get_params()
    assert {"proposals_per_step", "evaluation_timeout", "meta_learner"} <= set(params)
    assert params["proposals_per_step"] == 2 and params["evaluation_timeout"] is None
    assert params["meta_learner"] is None


@pytest.mark.parametrize("old, new, value", [
    ("batch_size", "proposals_per_step", 3),
    ("timeout", "evaluation_timeout", 60.0),
])
def test_an_old_estimator_name_works_with_a_future_warning(learner, data, old, new, value):
    common = dict(meta_learner=learner, n_evaluations=4, cv=2, ensemble_size=1,
                  random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        expected = _trace(MetaClassifier(**common, **{new: value}), *data)
        assert not _future_warnings(caught)
        old_trace = _trace(MetaClassifier(**common, **{old: value}), *data)
    assert _future_warnings(caught) == [
        f"`{old}` was renamed to `{new}` in 0.2 and will be removed in 0.3; use `{new}`."
    ]
    assert caught[-1].filename == __file__  # points at the caller of fit
    pd.testing.assert_frame_equal(old_trace, expected)


@pytest.mark.parametrize("params", [
    {"batch_size": 1, "proposals_per_step": 3},
    {"timeout": 10.0, "evaluation_timeout": 60.0},
    {"meta_learner": "learner", "knowledge_base": "learner"},
])
def test_giving_the_old_and_the_new_name_is_an_error(learner, data, params):
    params = {k: learner if v == "learner" else v for k, v in params.items()}
    with pytest.raises(ValueError, match="give|not both"):
        MetaClassifier(n_evaluations=2, cv=2, **params).fit(*data)


def test_meta_learner_is_used_as_it_is(learner, data):
    common = dict(n_evaluations=3, cv=2, ensemble_size=1, random_state=0)
    clf = MetaClassifier(meta_learner=learner, **common)
    assert clone(clf).meta_learner is learner  # shared by clones, not copied
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        expected = _trace(clf, *data)
        assert not _future_warnings(caught)
        old_trace = _trace(MetaClassifier(knowledge_base=learner, **common), *data)
    [message] = _future_warnings(caught)
    assert "knowledge_base is deprecated" in message and "meta_learner=" in message
    pd.testing.assert_frame_equal(old_trace, expected)
    assert set(expected["strategy"]) <= set(PORTFOLIO)


def test_an_unfitted_meta_learner_is_refused(data):
    with pytest.raises(NotFittedError, match="meta_learner is not fitted"):
        MetaClassifier(meta_learner=MetaLearner(), n_evaluations=2).fit(*data)


def test_meta_learner_takes_only_a_meta_learner(data):
    with pytest.raises(ValueError, match="meta_learner"):
        MetaClassifier(meta_learner="kb.sqlite", n_evaluations=2).fit(*data)


def test_meta_learner_timeout_old_and_new_names():
    datasets = [load_iris(return_X_y=True)]
    params = dict(portfolio=["gaussian_nb"], n_configs_per_strategy=0)
    assert MetaLearner().get_params()["evaluation_timeout"] == 300
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        new = MetaLearner(evaluation_timeout=30, **params).fit(datasets)
        assert not _future_warnings(caught)
        old = MetaLearner(timeout=30, **params).fit(datasets)
    assert _future_warnings(caught) == [
        "`timeout` was renamed to `evaluation_timeout` in 0.2 and will be removed "
        "in 0.3; use `evaluation_timeout`."
    ]
    stored = [m.knowledge_base_.evaluations()["score"].tolist() for m in (new, old)]
    assert stored[0] == stored[1]
    with pytest.raises(ValueError, match="give `evaluation_timeout` only"):
        MetaLearner(timeout=30, evaluation_timeout=60, **params).fit(datasets)
    with pytest.raises(ValueError, match="'evaluation_timeout' parameter of MetaLearner"):
        MetaLearner(evaluation_timeout=0, **params).fit(datasets)


def _metatrain_timeout(*options):
    args = build_parser().parse_args(["metatrain", "folder", "--kb", "kb.sqlite",
                                      *options])
    with _compact_warnings("metatrain"):
        return metatraining._learner_params(args)["evaluation_timeout"]


def test_cli_evaluation_timeout_and_its_deprecated_alias(capsys):
    assert _metatrain_timeout() == 300
    assert _metatrain_timeout("--evaluation-timeout", "20") == 20
    assert capsys.readouterr().err == ""
    assert _metatrain_timeout("--timeout", "20") == 20
    assert capsys.readouterr().err == (
        "skmeta metatrain: warning: --timeout was renamed --evaluation-timeout in "
        "0.2 and will be removed in 0.3\n"
    )
    with pytest.raises(CommandError, match="give --evaluation-timeout only"):
        _metatrain_timeout("--timeout", "20", "--evaluation-timeout", "30")
