"""Every private scikit-learn name skmeta uses, each with its fallback beside it.

scikit-learn may move or change a private name in any release. Importing
them all here, and nowhere else (``tests/test_sklearn_compat.py`` checks
that), means a new scikit-learn breaks one module, not a dozen, and each
name says what skmeta does without it. imbalanced-learn keeps its
``utils/_sklearn_compat.py`` for the same reason.

========================  ====================================  ==========================
name                      used by                               without it
========================  ====================================  ==========================
``Interval``,             the estimators' and the meta-feature  none: scikit-learn >= 1.6
``StrOptions``,           extractor's ``_parameter_constraints`` (skmeta's minimum) has
``Hidden``                                                      them
``_fit_context``          ``fit`` of the estimators             validate the parameters,
                                                                then fit
``_safe_indexing``        rows of a fold (``evaluation``,       ``.iloc`` for pandas, ``[]``
                          ``_fold_cache``)                      otherwise
``GroupsConsumerMixin``   does a splitter need ``groups``       its class name holds
                          (``_validation``)                     "Group"
``HalfMultinomialLoss``   the landmarkers' logistic regression  ``LogisticRegression``
                          (``metafeatures._learners``)          (None here)
``Tree`` and its builder  the landmarkers' extra trees          the ``ExtraTrees`` forests
                                                                (None here)
========================  ====================================  ==========================

Examples
--------
>>> import pandas as pd
>>> from skmeta._sklearn_compat import _safe_indexing
>>> _safe_indexing(pd.Series([10, 20, 30]), [2, 0]).tolist()
[30, 10]
"""

import functools

# Parameter constraints: no public home yet, and present in every scikit-learn
# skmeta supports, so no fallback.
from sklearn.utils._param_validation import Hidden, Interval, StrOptions

__all__ = [
    "CRITERIA_CLF", "CRITERIA_REG", "DENSE_SPLITTERS", "DepthFirstTreeBuilder",
    "GroupsConsumerMixin", "HalfMultinomialLoss", "Hidden", "Interval", "StrOptions",
    "Tree", "_fit_context", "_safe_indexing",
]

try:
    from sklearn.base import _fit_context
except ImportError:  # pragma: no cover - a scikit-learn that moved it

    def _fit_context(*, prefer_skip_nested_validation):
        """Validate the estimator's parameters, then run the decorated ``fit``."""

        def decorator(fit):
            @functools.wraps(fit)
            def wrapper(estimator, *args, **kwargs):
                estimator._validate_params()
                return fit(estimator, *args, **kwargs)

            return wrapper

        return decorator


try:
    from sklearn.utils import _safe_indexing
except ImportError:  # pragma: no cover - a scikit-learn that moved it

    def _safe_indexing(X, indices):
        """Rows ``indices`` of an array or a pandas object."""
        return X.iloc[indices] if hasattr(X, "iloc") else X[indices]


try:  # the base of scikit-learn's splitters that split by groups (GroupKFold, ...)
    from sklearn.model_selection._split import GroupsConsumerMixin
except ImportError:  # pragma: no cover - a scikit-learn that moved it

    class _NamedForGroups(type):
        def __instancecheck__(cls, splitter):
            return "Group" in type(splitter).__name__

    class GroupsConsumerMixin(metaclass=_NamedForGroups):
        """A splitter whose class name says it splits by groups."""


try:  # the multinomial loss scikit-learn's LogisticRegression minimizes
    from sklearn._loss.loss import HalfMultinomialLoss
except ImportError:  # pragma: no cover - a scikit-learn that moved it
    HalfMultinomialLoss = None

try:  # the builder scikit-learn's forests grow their trees with
    from sklearn.tree._classes import CRITERIA_CLF, CRITERIA_REG, DENSE_SPLITTERS
    from sklearn.tree._tree import DepthFirstTreeBuilder, Tree
except ImportError:  # pragma: no cover - a scikit-learn that moved them
    CRITERIA_CLF = CRITERIA_REG = DENSE_SPLITTERS = DepthFirstTreeBuilder = Tree = None
