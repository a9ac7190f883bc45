"""The cost model: how long will evaluating a configuration take on a dataset?

Strategies differ in cost by orders of magnitude (a ridge fits in
milliseconds where an MLP takes seconds), and so do configurations of one
strategy (a 256-unit MLP, a forest with no leaf limit). The knowledge base
stores the seconds of every evaluation; one extra-trees forest learns

    (rows, features, classes, categorical columns, strategy, configuration)
        -> log2 seconds

so that the search can prefer, among configurations predicted to score about
as well, the cheaper ones (``cost_weight`` of
:class:`~skmeta.adjust.AdjusterSettings`).

Only *relative* costs are used (a candidate against the median candidate of
the same dataset), so a knowledge base timed on another machine still ranks
costs correctly. Timings vary from run to run: two meta-training runs give
the same scores but not the same cost model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.ensemble import ExtraTreesRegressor

from skmeta.selection.forest_arrays import ForestArrays, prefixed, unprefixed
from skmeta.selection.performance import (
    _check_portfolio,
    candidate_features,
)

__all__ = ["COST_METAFEATURES", "CostModel", "evaluated_rows"]

#: How an evaluation's seconds grow with the rows, past the largest timed
#: evaluation (seconds ~ rows ** exponent; 1 for the others): a kernel SVM's
#: fit is about quadratic, k-NN's cross-validated prediction too.
ROW_EXPONENTS = {"svm_rbf": 2.0, "knn": 1.5, "mlp": 1.0}

#: Meta-features that drive a learner's cost besides the number of rows.
COST_METAFEATURES = (
    "log_n_features", "n_classes", "n_categorical", "cat_levels.mean",
    "missing_fraction",
)


def evaluated_rows(cv, n_rows):
    """Rows an evaluation used: ``n_rows``, or the subsample its cv names.

    Examples
    --------
    >>> from skmeta.selection.cost import evaluated_rows
    >>> evaluated_rows("KFold(n_splits=3) on 5000 rows", 60000)
    5000.0
    >>> evaluated_rows("KFold(n_splits=3)", 300)
    300.0
    """
    n_rows = float(n_rows)
    marker = " on "
    if marker in cv and cv.endswith(" rows"):
        try:
            return min(float(cv.rsplit(marker, 1)[1].split()[0]), n_rows)
        except ValueError:
            pass
    return n_rows


def _finite(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        return np.nan
    return value if np.isfinite(value) else np.nan


def _log_rows(n_rows):
    n_rows = _finite(n_rows)
    return np.log10(max(n_rows, 1.0)) if np.isfinite(n_rows) else 0.0


def _shape_features(metafeatures):
    """The :data:`COST_METAFEATURES` of one dataset (a missing one is 0)."""
    values = [_finite(metafeatures.get(name, np.nan)) for name in COST_METAFEATURES]
    return [v if np.isfinite(v) else 0.0 for v in values]


class CostModel:
    """Predict the seconds a (strategy, configuration) evaluation takes.

    Parameters
    ----------
    portfolio : list of Strategy
        Their spaces map configurations to features; timings of other
        strategies are ignored.
    n_estimators : int, default=100
    random_state : int, optional
    n_jobs : int, optional
        For fitting; predictions (one dataset's candidates) use one thread.

    Attributes
    ----------
    forest_ : ForestArrays or None
        An extra-trees forest (as
        :class:`~skmeta.selection.forest_arrays.ForestArrays`) from (size
        features, strategy one-hot, configuration vector) to ``log2``
        seconds; None without any timed evaluation.
    timed_strategies_ : set of str
        Strategies with successful timed evaluations (the others get NaN).
    max_log_rows_ : float or None
        ``log10`` of the most rows a timed evaluation used.
    max_log_rows_by_strategy_ : dict
        The same per strategy: a strategy's larger datasets are predicted by
        :data:`ROW_EXPONENTS` from its own largest timed evaluation (the
        knowledge base times some strategies on more rows than others).

    Examples
    --------
    >>> from skmeta.knowledge import KnowledgeBase
    >>> from skmeta.selection import CostModel
    >>> from skmeta.strategies import default_portfolio
    >>> kb = KnowledgeBase.default()
    >>> datasets, runs = kb.datasets(), kb.evaluations()
    >>> ids = datasets.index[datasets["task"] == "regression"]
    >>> model = CostModel(default_portfolio("regression"), random_state=0)
    >>> model = model.fit(kb.metafeatures().loc[ids], runs[runs["dataset_id"].isin(ids)])
    >>> meta = kb.metafeatures().loc[ids[0]]
    >>> ridge, mlp = model.predict(meta, ["ridge", "mlp"], [{"alpha": 1.0},
    ...     {"hidden_layer_sizes": 100, "alpha": 1e-4, "learning_rate_init": 1e-3}])
    >>> bool(mlp > ridge)
    True
    """

    def __init__(self, portfolio, n_estimators=100, random_state=None, n_jobs=None):
        self.portfolio = portfolio
        self.n_estimators = n_estimators
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _design(self, size, strategies, configs):
        """One row per candidate: size features, strategy one-hot, config."""
        return np.hstack([np.asarray(size, dtype=float).reshape(len(strategies), -1),
                          candidate_features(self.portfolio, strategies, configs)])

    def fit(self, metafeatures, evaluations):
        """Learn from the timings of successful stored evaluations.

        Parameters
        ----------
        metafeatures : DataFrame
            One row per dataset (index: dataset id); ``n_rows`` and the
            :data:`COST_METAFEATURES` are used (a missing one counts as 0).
        evaluations : DataFrame
            Columns ``dataset_id``, ``strategy``, ``config``, ``status``,
            ``cv``, ``fit_seconds`` and ``predict_seconds``.
        """
        names = {s.name for s in self.portfolio}
        runs = evaluations[
            evaluations["status"].eq("ok")
            & evaluations["strategy"].isin(names)
            & evaluations["dataset_id"].isin(metafeatures.index)
        ]
        self.timed_strategies_ = set(runs["strategy"])
        self.forest_ = None
        self.max_log_rows_ = None
        self.max_log_rows_by_strategy_ = {}
        if runs.empty:
            return self
        n_rows = metafeatures.get("n_rows", pd.Series(np.nan, index=metafeatures.index))
        shapes = {d: _shape_features(metafeatures.loc[d]) for d in runs["dataset_id"].unique()}
        size = [
            [_log_rows(evaluated_rows(cv, n_rows[d])), *shapes[d]]
            for d, cv in zip(runs["dataset_id"], runs["cv"], strict=True)
        ]
        design = self._design(size, runs["strategy"].tolist(), runs["config"].tolist())
        seconds = (runs["fit_seconds"] + runs["predict_seconds"]).to_numpy(float)
        self.max_log_rows_ = float(max(row[0] for row in size))
        log_rows = pd.Series([row[0] for row in size], index=runs.index)
        self.max_log_rows_by_strategy_ = {
            name: float(value) for name, value in log_rows.groupby(runs["strategy"]).max().items()
        }
        forest = ExtraTreesRegressor(
            n_estimators=self.n_estimators, min_samples_leaf=3,
            random_state=self.random_state, n_jobs=self.n_jobs,
        ).fit(design, np.log2(np.clip(seconds, 1e-3, None)))
        # A prediction times one dataset's few hundred candidates: the arrays
        # do that several times faster than the forest's per-tree calls.
        self.forest_ = ForestArrays.from_forest(forest)
        return self

    def to_arrays(self):
        """The fitted model as a JSON-able header and numpy arrays (no pickle).

        Returns
        -------
        header : dict
            Parameters, the portfolio's strategy names and the timed ones.
        arrays : dict of str to ndarray
            The forest's arrays (``forest/...``; none without a forest).

        Examples
        --------
        >>> from skmeta.knowledge import KnowledgeBase
        >>> from skmeta.selection import CostModel
        >>> from skmeta.strategies import default_portfolio
        >>> kb = KnowledgeBase.default()
        >>> ids = kb.datasets().index[kb.datasets()["task"] == "regression"]
        >>> runs = kb.evaluations()
        >>> portfolio = default_portfolio("regression")
        >>> model = CostModel(portfolio, n_estimators=10, random_state=0)
        >>> model = model.fit(kb.metafeatures().loc[ids], runs[runs["dataset_id"].isin(ids)])
        >>> copy = CostModel.from_arrays(portfolio, *model.to_arrays())
        >>> meta = kb.metafeatures().loc[ids[0]]
        >>> a = model.predict(meta, ["ridge"], [{"alpha": 1.0}])
        >>> b = copy.predict(meta, ["ridge"], [{"alpha": 1.0}])
        >>> bool(abs(a - b).max() < 1e-6)
        True
        """
        header = {
            "n_estimators": self.n_estimators,
            "random_state": self.random_state,
            "portfolio": [s.name for s in self.portfolio],
            "timed_strategies": sorted(self.timed_strategies_),
            "max_log_rows": self.max_log_rows_,
            "max_log_rows_by_strategy": self.max_log_rows_by_strategy_,
        }
        arrays = {}
        if self.forest_ is not None:
            arrays = prefixed("forest", self.forest_.to_arrays())
        return header, arrays

    @classmethod
    def from_arrays(cls, portfolio, header, arrays):
        """A fitted model from :meth:`to_arrays`'s output.

        Parameters
        ----------
        portfolio : list of Strategy
            The portfolio it was fitted with (same strategy names, in order).
        header : dict
        arrays : mapping of str to ndarray

        Raises
        ------
        ValueError
            If the portfolio's names differ from the stored ones, or the
            arrays are incomplete.
        """
        _check_portfolio(portfolio, header)
        model = cls(portfolio, n_estimators=header["n_estimators"],
                    random_state=header["random_state"])
        model.timed_strategies_ = set(header["timed_strategies"])
        model.max_log_rows_ = header.get("max_log_rows")
        model.max_log_rows_by_strategy_ = dict(header.get("max_log_rows_by_strategy") or {})
        forest = unprefixed("forest", arrays)
        model.forest_ = ForestArrays.from_arrays(forest) if forest else None
        return model

    def predict(self, metafeatures, strategies, configs):
        """Predicted ``log2`` seconds of candidates on one dataset.

        Parameters
        ----------
        metafeatures : Series
            The dataset's meta-features (``n_rows`` among them).
        strategies : list of str
        configs : list of dict

        Returns
        -------
        ndarray of shape (n_candidates,)
            NaN for a strategy without stored timings.
        """
        predicted = np.full(len(strategies), np.nan)
        rows = [j for j, name in enumerate(strategies) if name in self.timed_strategies_]
        if self.forest_ is None or not rows:
            return predicted
        log_rows = _log_rows(metafeatures.get("n_rows", np.nan))
        shape = _shape_features(metafeatures)
        names = [strategies[j] for j in rows]
        sizes, growth = [], []
        for name in names:
            # Trees do not extrapolate: past the strategy's largest timed
            # evaluation, cost grows as a power of the rows (ROW_EXPONENTS).
            cap = self.max_log_rows_by_strategy_.get(name, self.max_log_rows_)
            beyond = 0.0 if cap is None or log_rows <= cap else log_rows - cap
            sizes.append([log_rows - beyond, *shape])
            growth.append(ROW_EXPONENTS.get(name, 1.0) * beyond * np.log2(10.0))
        design = self._design(sizes, names, [configs[j] for j in rows])
        predicted[rows] = self.forest_.predict(design) + np.array(growth)
        return predicted
