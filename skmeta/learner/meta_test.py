"""Meta-test: how good a fitted MetaLearner's recommendations are on held-out datasets.

:class:`MetaTestMixin` gives :class:`~skmeta.MetaLearner` its ``evaluate``:
the grid of configurations is evaluated on
each held-out dataset (and stored) so that the top recommendation can be
compared with the best configuration.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from skmeta._threadpools import usable_n_jobs
from skmeta.datasets import as_datasets
from skmeta.knowledge import config_key
from skmeta.learner.grid import run_grid, store_metafeatures
from skmeta.learner.training_data import task_family
from skmeta.selection import normalized_scores

__all__ = ["MetaTestMixin", "score_ranking"]


class MetaTestMixin:
    """Meta-test a fitted meta-learner on datasets kept out of meta-training."""

    def evaluate(self, datasets):
        """Score the recommendations on datasets kept out of meta-training.

        The grid of configurations is evaluated on each dataset (and stored,
        without refitting the meta-models) so that the top recommendation can
        be compared with the best stored configuration.

        Returns
        -------
        DataFrame
            One row per dataset: ``dataset``, ``recommended_strategy``,
            ``recommended_score``, ``best_strategy``, ``best_score``,
            ``regret`` (best minus recommended), ``normalized_score`` (of the
            recommendation: 1 best, 0 median configuration), and
            ``rank_of_best`` (where the recommender ranked the true best
            configuration, 1 = first).
        """
        check_is_fitted(self, "performance_models_")
        timeout = self._evaluation_timeout()
        datasets = as_datasets(datasets)
        kb = self.knowledge_base_
        for dataset in datasets:
            family = self._check_family(dataset.task)
            if dataset.fingerprint in self.training_ids_[family]:
                raise ValueError(
                    f"dataset {dataset.name!r} was used for meta-training; "
                    "evaluate on held-out datasets only."
                )
        n_jobs = usable_n_jobs(self.n_jobs)
        store_metafeatures(self, kb, datasets, n_jobs)
        run_grid(self, kb, datasets, n_jobs, timeout)
        metafeatures = kb.metafeatures()
        rows = []
        for dataset in datasets:
            family = task_family(dataset.task)
            ranked = self._rank(family, dataset.task, metafeatures.loc[dataset.fingerprint])
            runs = kb.evaluations(dataset_id=dataset.fingerprint)
            rows.append(score_ranking(dataset, ranked, runs))
        return pd.DataFrame(rows)


def _identity(strategy, config):
    return strategy, config_key(config)


def score_ranking(dataset, ranked, runs):
    """Compare a ranking of configurations with their stored scores.

    Parameters
    ----------
    dataset : Dataset
    ranked : DataFrame
        ``strategy`` and ``config`` columns, best first.
    runs : DataFrame
        The dataset's stored evaluations.

    Returns
    -------
    dict
        One row of the table ``MetaLearner.evaluate`` returns.
    """
    runs = runs.assign(normalized=normalized_scores(runs))
    by_key = {
        _identity(s, c): (score, norm)
        for s, c, score, norm in zip(runs["strategy"], runs["config"], runs["score"],
                                     runs["normalized"])
    }
    ranked_keys = [_identity(s, c) for s, c in zip(ranked["strategy"], ranked["config"])]
    ranked_keys = [key for key in ranked_keys if key in by_key]
    ok = runs[runs["status"] == "ok"]
    best = ok.loc[ok["score"].idxmax()]
    best_key = _identity(best["strategy"], best["config"])
    top_score, top_norm = by_key[ranked_keys[0]]
    return {
        "dataset": dataset.name,
        "recommended_strategy": ranked_keys[0][0],
        "recommended_score": top_score,
        "best_strategy": best["strategy"],
        "best_score": best["score"],
        "regret": best["score"] - (top_score if pd.notna(top_score) else np.nan),
        "normalized_score": top_norm,
        "rank_of_best": ranked_keys.index(best_key) + 1 if best_key in ranked_keys else np.nan,
    }
