"""The constraints of parameters that mean the same in every skmeta estimator.

scikit-learn checks an estimator's parameters at ``fit`` against its
class-level ``_parameter_constraints`` (``sklearn.utils._param_validation``),
with messages that name the parameter, what it must be, and what it got.
:class:`~skmeta.MetaClassifier`, :class:`~skmeta.MetaRegressor` and
:class:`~skmeta.MetaLearner` share the constraint lists below, so that a
parameter of the same meaning follows the same rule everywhere; the command
line checks ``--max-samples`` against the same bound.

Examples
--------
>>> from skmeta._validation.parameters import MIN_MAX_SAMPLES, MAX_SAMPLES
>>> MIN_MAX_SAMPLES
10
>>> any(c is None for c in MAX_SAMPLES)
True
"""

from __future__ import annotations

from numbers import Integral, Real

from skmeta._sklearn_compat import Interval

__all__ = [
    "CV",
    "MAX_SAMPLES",
    "MIN_MAX_SAMPLES",
    "N_JOBS",
    "RANDOM_STATE",
    "SCORING",
    "TIMEOUT",
    "VERBOSE",
]

#: The fewest rows ``max_samples`` may keep: fewer leave too few rows to
#: cross-validate or to describe a dataset by.
MIN_MAX_SAMPLES = 10

#: ``max_samples``: evaluate on a subsample of at most this many rows; an
#: integer >= :data:`MIN_MAX_SAMPLES`, or None for every row.
MAX_SAMPLES = [None, Interval(Integral, MIN_MAX_SAMPLES, None, closed="left")]

#: ``cv``: a number of folds (>= 2), a splitter, or (train, test) index
#: pairs, as in scikit-learn's searches (None: scikit-learn's 5 folds).
CV = ["cv_object"]

#: ``timeout``: seconds one evaluation may take, or None for no limit.
TIMEOUT = [None, Interval(Real, 0, None, closed="neither")]

#: ``scoring``: the name of a metric (``skmeta.evaluation.SCORINGS``), or None
#: for the task's default.
SCORING = [None, str]

#: ``n_jobs``: None (one), -1 (all cores), or a non-zero number of workers.
N_JOBS = [None, Interval(Integral, None, -1, closed="right"),
          Interval(Integral, 1, None, closed="left")]

RANDOM_STATE = ["random_state"]

VERBOSE = ["verbose"]
