"""The performance model: how well will a configuration do on a dataset?

Scores are not comparable across datasets (0.7 balanced accuracy is excellent
on one and poor on another), so the model learns *normalized* scores: on each
dataset, the median stored configuration maps to 0 and the best to 1
(:func:`normalized_scores`). Extra-trees forests then learn the maps

    dataset meta-features -> normalized scores of the shared configuration grid
    (dataset meta-features, strategy, configuration) -> normalized score

from the stored evaluations, and rank candidate configurations for a new
dataset from its meta-features alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.ensemble import ExtraTreesRegressor

from skmeta.knowledge.records import config_key
from skmeta.selection.forest_arrays import ForestArrays, prefixed, unprefixed
from skmeta.selection.neighbors import MetaFeatureScaler

__all__ = ["FAILED_SCORE", "PerformanceModel", "main_protocol", "normalized_scores"]

#: Normalized score given to a failed evaluation (and the floor of the scale).
FAILED_SCORE = -1.0


def main_protocol(evaluations):
    """Each dataset's evaluations under its main protocol.

    A dataset may be evaluated under several protocols (``cv``): the grid's,
    a cheaper fidelity on fewer rows, default configurations on more rows, a
    fit's own search. Scores are normalized and compared within one
    protocol: the one with the most evaluations of the dataset (on a tie,
    the one stored first). The other evaluations still time the cost model.

    Examples
    --------
    >>> import pandas as pd
    >>> from skmeta.selection import main_protocol
    >>> runs = pd.DataFrame({"dataset_id": ["a", "a", "a", "b"],
    ...                      "cv": ["3-fold", "3-fold", "3-fold on 1000 rows", "5-fold"]})
    >>> main_protocol(runs).index.tolist()
    [0, 1, 3]
    """
    if evaluations.empty:
        return evaluations
    counts = evaluations.groupby(["dataset_id", "cv"], sort=False).size()
    main = pd.MultiIndex.from_tuples(counts.groupby(level=0, sort=False).idxmax())
    keep = pd.MultiIndex.from_arrays(
        [evaluations["dataset_id"], evaluations["cv"]]).isin(main)
    return evaluations[keep] if not keep.all() else evaluations


def normalized_scores(evaluations):
    """Per-dataset normalized scores: median configuration 0, best 1.

    Parameters
    ----------
    evaluations : DataFrame
        Columns ``dataset_id``, ``score`` and ``status``.

    Returns
    -------
    Series
        Aligned with ``evaluations``; in ``[-1, 1]``, with failed evaluations
        at :data:`FAILED_SCORE`.

    Examples
    --------
    >>> import pandas as pd
    >>> from skmeta.selection import normalized_scores
    >>> runs = pd.DataFrame({"dataset_id": ["a"] * 4,
    ...                      "score": [0.5, 0.7, 0.9, None],
    ...                      "status": ["ok", "ok", "ok", "error"]})
    >>> normalized_scores(runs).tolist()
    [-1.0, 0.0, 1.0, -1.0]
    """
    ok = evaluations["status"].eq("ok") & evaluations["score"].notna()
    scores = evaluations["score"].where(ok).astype(float)
    grouped = scores.groupby(evaluations["dataset_id"])
    median = grouped.transform("median")
    best = grouped.transform("max")
    spread = (best - median).where(lambda s: s > 0)
    normalized = ((scores - median) / spread).fillna(1.0)
    normalized = normalized.clip(FAILED_SCORE, 1.0)
    return normalized.where(ok, FAILED_SCORE)


def portfolio_runs(evaluations, portfolio):
    """The evaluations of the portfolio's strategies, with their
    ``config_key`` and ``normalized`` score (what a meta-model learns from).

    Raises
    ------
    ValueError
        If none is left: there is nothing to learn from.
    """
    known = {s.name for s in portfolio}
    runs = evaluations[evaluations["strategy"].isin(known)]
    if runs.empty:
        raise ValueError(
            "the knowledge base has no evaluations of this portfolio's "
            "strategies; meta-train first (MetaLearner.fit)."
        )
    if "config_key" not in runs:
        runs = runs.assign(config_key=[config_key(c) for c in runs["config"]])
    return runs.assign(normalized=normalized_scores(runs).to_numpy())


def score_grid(runs):
    """Dataset x (strategy, configuration key) table of normalized scores
    (NaN where a dataset did not evaluate a configuration)."""
    return runs.drop_duplicates(subset=["dataset_id", "strategy", "config_key"]).pivot(
        index="dataset_id", columns=["strategy", "config_key"], values="normalized")


def candidate_features(portfolio, strategies, configs):
    """One row per candidate: the strategy one-hot, then its configuration
    vector (padded with -1 to the widest space of the portfolio)."""
    names = [s.name for s in portfolio]
    by_name = {s.name: s for s in portfolio}
    width = max((len(s.space) for s in portfolio), default=0)
    onehot = np.zeros((len(strategies), len(names)))
    config_part = np.full((len(strategies), width), -1.0)
    for row, (name, config) in enumerate(zip(strategies, configs, strict=True)):
        onehot[row, names.index(name)] = 1.0
        vector = by_name[name].space.to_vector(config)
        config_part[row, : len(vector)] = vector
    return np.hstack([onehot, config_part])


class PerformanceModel:
    """Predict normalized scores of (strategy, configuration) pairs.

    Two forests, blended:

    - a *shared-grid* model: a multi-output extra-trees forest from a
      dataset's meta-features to the normalized scores of the configurations
      that (nearly) every training dataset has evaluated — the shared grid
      that :class:`~skmeta.MetaLearner` evaluates. Its leaves group datasets
      whose whole score profiles agree, a learned notion of similarity.
    - a *pointwise* model: one extra-trees forest from (meta-features,
      strategy, configuration vector) to the normalized score, learned from
      every stored evaluation, which also scores configurations outside the
      grid.

    A candidate on the grid gets ``shared_weight * shared + (1 -
    shared_weight) * pointwise``; any other candidate the pointwise score.

    Parameters
    ----------
    portfolio : list of Strategy
        Evaluations of strategies outside it are ignored; their spaces map
        configurations to the features of the pointwise model.
    n_estimators : int, default=100
        Trees of the pointwise forest (the shared-grid forest has three
        times as many: it is far cheaper, with one row per dataset).
    shared_weight : float, default=0.7
        Weight of the shared-grid prediction in ``[0, 1]``.
    min_coverage : float, default=0.9
        Fraction of training datasets that must have evaluated a
        configuration for it to be on the shared grid.
    random_state : int, optional
    n_jobs : int, optional
        For fitting; predictions (one dataset's candidates) use one thread.

    Attributes
    ----------
    scaler_ : MetaFeatureScaler
    forest_ : ForestArrays
        The pointwise model: an extra-trees forest as
        :class:`~skmeta.selection.forest_arrays.ForestArrays`.
    shared_forest_ : ForestArrays or None
        The shared-grid model (None when fewer than two configurations are
        on the grid).
    shared_keys_ : list of tuple
        (strategy, configuration key) of the shared grid's outputs.

    Examples
    --------
    >>> from skmeta.knowledge import KnowledgeBase
    >>> from skmeta.selection import PerformanceModel
    >>> from skmeta.strategies import default_portfolio
    >>> kb = KnowledgeBase.default()
    >>> datasets, runs = kb.datasets(), kb.evaluations()
    >>> ids = datasets.index[datasets["task"] == "regression"]
    >>> table = kb.metafeatures().loc[ids].dropna(axis=1, how="all")
    >>> model = PerformanceModel(default_portfolio("regression"), random_state=0)
    >>> model = model.fit(table, runs[runs["dataset_id"].isin(ids)])
    >>> len(model.shared_keys_) > 20
    True
    """

    def __init__(self, portfolio, n_estimators=100, shared_weight=0.7, min_coverage=0.9,
                 random_state=None, n_jobs=None):
        self.portfolio = portfolio
        self.n_estimators = n_estimators
        self.shared_weight = shared_weight
        self.min_coverage = min_coverage
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _design(self, scaled_metafeatures, strategies, configs):
        """One row per candidate: meta-features, strategy one-hot, config."""
        return np.hstack([scaled_metafeatures,
                          candidate_features(self.portfolio, strategies, configs)])

    def fit(self, metafeatures, evaluations):
        """Learn from stored evaluations.

        Parameters
        ----------
        metafeatures : DataFrame
            One row per dataset (index: dataset id).
        evaluations : DataFrame
            Columns ``dataset_id``, ``strategy``, ``config``, ``score``,
            ``status`` (and ``config_key``, computed when missing).
        """
        runs = portfolio_runs(
            evaluations[evaluations["dataset_id"].isin(metafeatures.index)],
            self.portfolio)
        self.scaler_ = MetaFeatureScaler().fit(metafeatures)
        scaled = pd.DataFrame(
            self.scaler_.transform(metafeatures), index=metafeatures.index
        )
        design = self._design(
            scaled.loc[runs["dataset_id"]].to_numpy(),
            runs["strategy"].tolist(),
            runs["config"].tolist(),
        )
        forest = ExtraTreesRegressor(
            n_estimators=self.n_estimators,
            min_samples_leaf=3,
            max_features=0.5,
            random_state=self.random_state,
            n_jobs=self.n_jobs,
        ).fit(design, runs["normalized"].to_numpy())
        # A prediction scores one dataset's few hundred candidates: the
        # arrays do that several times faster than the forest's per-tree
        # calls, and predict as the shipped file's models do.
        self.forest_ = ForestArrays.from_forest(forest)
        self._fit_shared(scaled, runs)
        return self

    def _fit_shared(self, scaled, runs):
        grid = score_grid(runs)
        grid = grid.loc[:, grid.notna().mean() >= self.min_coverage]
        self.shared_keys_ = list(grid.columns)
        self.shared_forest_ = None
        # No meta-feature varies (one dataset, or identical ones): nothing
        # tells the datasets apart, so there is nothing to share.
        if len(self.shared_keys_) < 2 or len(grid) < 2 or scaled.shape[1] == 0:
            return
        # The few datasets that miss a grid configuration get its mean.
        targets = grid.fillna(grid.mean())
        # Hyperparameters chosen in leave-datasets-out runs on the shipped
        # corpus (see benchmarks/bench_metatrain.py).
        self.shared_forest_ = ForestArrays.from_forest(ExtraTreesRegressor(
            n_estimators=3 * self.n_estimators,
            min_samples_leaf=2,
            max_features=0.3,
            random_state=self.random_state,
            n_jobs=self.n_jobs,
        ).fit(scaled.loc[grid.index].to_numpy(), targets.to_numpy()))

    def to_arrays(self):
        """The fitted model as a JSON-able header and numpy arrays (no pickle).

        Returns
        -------
        header : dict
            Parameters, the portfolio's strategy names, the scaler's columns
            and the shared grid's keys.
        arrays : dict of str to ndarray
            The scaler's (``scaler/...``) and the forests' (``forest/...``,
            ``shared_forest/...``) arrays, see
            :class:`~skmeta.selection.forest_arrays.ForestArrays`.

        Examples
        --------
        >>> from skmeta.knowledge import KnowledgeBase
        >>> from skmeta.selection import PerformanceModel
        >>> from skmeta.strategies import default_portfolio
        >>> kb = KnowledgeBase.default()
        >>> ids = kb.datasets().index[kb.datasets()["task"] == "regression"]
        >>> table = kb.metafeatures().loc[ids].dropna(axis=1, how="all")
        >>> runs = kb.evaluations()
        >>> portfolio = default_portfolio("regression")
        >>> model = PerformanceModel(portfolio, n_estimators=10, random_state=0)
        >>> model = model.fit(table, runs[runs["dataset_id"].isin(ids)])
        >>> header, arrays = model.to_arrays()
        >>> copy = PerformanceModel.from_arrays(portfolio, header, arrays)
        >>> ridge = [{"alpha": 1.0}]
        >>> a = model.predict(table.iloc[0], ["ridge"], ridge)
        >>> b = copy.predict(table.iloc[0], ["ridge"], ridge)
        >>> bool(abs(a - b).max() < 1e-6)
        True
        """
        scaler_header, scaler_arrays = self.scaler_.to_arrays()
        header = {
            "n_estimators": self.n_estimators,
            "shared_weight": self.shared_weight,
            "min_coverage": self.min_coverage,
            "random_state": self.random_state,
            "portfolio": [s.name for s in self.portfolio],
            "scaler": scaler_header,
            "shared_keys": [list(key) for key in self.shared_keys_],
        }
        arrays = {**prefixed("scaler", scaler_arrays),
                  **prefixed("forest", self.forest_.to_arrays())}
        if self.shared_forest_ is not None:
            arrays.update(prefixed("shared_forest",
                                   self.shared_forest_.to_arrays()))
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
                    shared_weight=header["shared_weight"],
                    min_coverage=header["min_coverage"],
                    random_state=header["random_state"])
        model.scaler_ = MetaFeatureScaler.from_arrays(header["scaler"],
                                                      unprefixed("scaler", arrays))
        model.forest_ = ForestArrays.from_arrays(unprefixed("forest", arrays))
        shared = unprefixed("shared_forest", arrays)
        model.shared_forest_ = ForestArrays.from_arrays(shared) if shared else None
        model.shared_keys_ = [tuple(key) for key in header["shared_keys"]]
        if model.shared_forest_ is not None and (
            model.shared_forest_.n_outputs_ != len(model.shared_keys_)
        ):
            raise ValueError("the shared-grid forest must have one output per shared key.")
        return model

    def predict(self, metafeatures, strategies, configs):
        """Predicted normalized scores of candidates on one dataset.

        Parameters
        ----------
        metafeatures : Series
            The dataset's meta-features.
        strategies : list of str
        configs : list of dict

        Returns
        -------
        ndarray of shape (n_candidates,)
        """
        scaled = self.scaler_.transform(metafeatures)
        rows = np.repeat(scaled, len(strategies), axis=0)
        predicted = self.forest_.predict(self._design(rows, strategies, configs))
        if self.shared_forest_ is None:
            return predicted
        shared = dict(zip(self.shared_keys_, self.shared_forest_.predict(scaled)[0]))
        for j, (name, config) in enumerate(zip(strategies, configs)):
            key = (name, config_key(config))
            if key in shared:
                predicted[j] = (self.shared_weight * shared[key]
                                + (1 - self.shared_weight) * predicted[j])
        return predicted


def _check_portfolio(portfolio, header):
    names = [s.name for s in portfolio]
    if names != list(header["portfolio"]):
        raise ValueError(
            f"the model was fitted for the strategies {header['portfolio']}, "
            f"not {names}."
        )
