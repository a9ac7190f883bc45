"""Recommendation: what a fitted MetaLearner predicts for a new dataset.

:class:`RecommendationMixin` gives :class:`~skmeta.MetaLearner` its reading
verbs: ``recommend`` (the most promising stored configurations, with the
nearest datasets as the reason), ``warm_start`` (where the adjuster starts)
and ``predicted_seconds`` (what an evaluation costs).
They only read the fitted state.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from skmeta.adjust import WarmStart, warm_start_from_predictions
from skmeta.datasets import Dataset
from skmeta.learner.grid import metafeatures_of
from skmeta.learner.training_data import task_family
from skmeta.strategies import (
    default_strategy_names,
    installed_optional_names,
    resolve_portfolio,
)

__all__ = ["RecommendationMixin"]


class RecommendationMixin:
    """Recommend, warm-start and predict costs from a fitted meta-learner."""

    def metafeatures_of(self, dataset):
        """Meta-features of a :class:`~skmeta.Dataset`, as this learner computes them."""
        return metafeatures_of(dataset, self.max_rows_metafeatures, self.random_state)

    def warm_start(self, task, metafeatures, portfolio, cost_weight=0.0,
                   first_cost_weight=0.0, max_seconds=None):
        """Where the adjuster starts on a dataset.

        Parameters
        ----------
        task : {"binary", "multiclass", "regression"}
        metafeatures : Series
        portfolio : list of Strategy
        cost_weight : float, default=0.0
            Price of predicted cost (:mod:`skmeta.adjust.warm_start`); 0
            ranks on predicted score alone.
        first_cost_weight : float, default=0.0
            Price of predicted cost in the zero-shot pick.
        max_seconds : float, optional
            Candidates predicted to need more seconds than this for an
            evaluation are not the zero-shot pick while another is not.

        Returns
        -------
        WarmStart
            The prior (best utility of each strategy, NaN for a strategy the
            knowledge base has never seen), the stored configurations of
            each strategy by utility, the zero-shot pick and the cheap
            fallbacks.
        """
        check_is_fitted(self, "performance_models_")
        family = task_family(task)
        if family not in self.performance_models_:
            return WarmStart(np.full(len(portfolio), np.nan), {})
        ranked = self._rank(family, task, metafeatures)
        strategies, configs = ranked["strategy"].tolist(), ranked["config"].tolist()
        log_cost = self.cost_models_[family].predict(metafeatures, strategies, configs)
        return warm_start_from_predictions(
            portfolio, strategies, configs, ranked["predicted_score"].to_numpy(),
            log_cost, cost_weight, first_cost_weight,
            None if max_seconds is None else float(np.log2(max(max_seconds, 1e-3))),
        )

    def predicted_seconds(self, task, metafeatures, strategies, configs):
        """Predicted seconds of a 3-fold evaluation of each candidate.

        From the cost model (:class:`~skmeta.selection.CostModel`), timed on
        the machine that built the knowledge base; NaN where it has no
        experience of the strategy (or of the task family).
        """
        check_is_fitted(self, "performance_models_")
        family = task_family(task)
        if family not in self.cost_models_:
            return np.full(len(strategies), np.nan)
        return np.exp2(self.cost_models_[family].predict(metafeatures, strategies, configs))

    def strategies_evaluated(self, task):
        """Names of the strategies the knowledge base has evaluations of for
        ``task``'s family (those the meta-models can rank).

        Examples
        --------
        >>> from skmeta.learner import resolve_meta_learner
        >>> "ridge" in resolve_meta_learner(None).strategies_evaluated("regression")
        True
        """
        check_is_fitted(self, "performance_models_")
        family = task_family(task)
        return {s for s, _ in self.candidates_.get(family, [])}

    def _candidates(self, family, task):
        """Distinct stored (strategy, configuration) pairs of the portfolio
        (for ``"default"``, of its installed strategies)."""
        if isinstance(self.portfolio, str) and self.portfolio == "default":
            names = set(default_strategy_names(task)) | set(installed_optional_names())
        else:
            names = {s.name for s in resolve_portfolio(self.portfolio, task)}
        return [(s, c) for s, c in self.candidates_[family] if s in names]

    def _check_family(self, task):
        check_is_fitted(self, "performance_models_")
        family = task_family(task)
        if family not in self.performance_models_:
            raise ValueError(
                f"the knowledge base has no {family} experience; meta-train on "
                f"{family} datasets first."
            )
        return family

    def recommend(self, X, y, k=5, task=None, metafeatures=None):
        """The ``k`` most promising (strategy, configuration) pairs for a dataset.

        Parameters
        ----------
        X : array-like, DataFrame or sparse matrix of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        k : int, default=5
        task : {"binary", "multiclass", "regression"}, optional
        metafeatures : Series, optional
            Precomputed meta-features of ``(X, y)``.

        Returns
        -------
        DataFrame
            Columns ``strategy``, ``config``, ``predicted_score`` (normalized:
            1 is the best stored configuration of a dataset, 0 the median)
            and ``nearest_datasets`` (the reason: the most similar stored
            datasets, with their distances), best first.
        """
        if not isinstance(k, (int, np.integer)) or k < 1:
            raise ValueError(f"k must be a positive integer, got {k!r}.")
        dataset = Dataset(X, y, task=task)
        family = self._check_family(dataset.task)
        if metafeatures is None:
            metafeatures = self.metafeatures_of(dataset)
        return self._rank(family, dataset.task, metafeatures).head(k).reset_index(drop=True)

    def _dataset_names(self):
        """Stored dataset id -> name (from the shipped file when it is the source)."""
        if self._shipped is not None:
            return self._shipped["dataset_names"]
        return self.knowledge_base_.datasets()["name"]

    def _rank(self, family, task, metafeatures, exclude=()):
        candidates = self._candidates(family, task)
        strategies = [s for s, _ in candidates]
        configs = [c for _, c in candidates]
        predicted = self.performance_models_[family].predict(
            metafeatures, strategies, configs
        )
        ids, distances = self.nearest_[family].kneighbors(metafeatures, exclude=exclude)
        names = self._dataset_names()
        reason = ", ".join(f"{names.get(i, i)} ({d:.2f})" for i, d in zip(ids, distances))
        table = pd.DataFrame({
            "strategy": strategies,
            "config": configs,
            "predicted_score": predicted,
            "nearest_datasets": reason,
        })
        return table.sort_values("predicted_score", ascending=False, kind="stable")
