"""A static portfolio: one order of configurations for every new dataset.

The baseline a meta-feature prior must beat (TabRepo's zero-shot
portfolio, Salinas & Erickson, 2024): no meta-features, only the stored
results. On every training dataset the configurations are ranked by score;
the portfolio is then built greedily, each step adding the configuration
that most lowers the mean over datasets of the best rank reached so far
(the first one has the best mean rank). What was taken from TabRepo's
``zeroshot_configs``: the per-dataset ranks, the greedy step on the mean of
``min(rank, best rank so far)``, ties broken by the configuration's own mean
rank. What differs: the stored results are normalized scores, and the
greedy order continues past the point where adding helps (its tail is
ordered by mean rank) so that every candidate has a place.

:class:`StaticPortfolio` has the interface of
:class:`~skmeta.selection.PerformanceModel` (``fit(metafeatures,
evaluations)``, ``predict(metafeatures, strategies, configs)``), so a
:class:`~skmeta.MetaLearner` with ``prior="static"`` uses it in the
performance model's place; its predictions ignore the meta-features.
"""

from __future__ import annotations

import numpy as np

from skmeta.knowledge.records import config_key
from skmeta.selection.performance import FAILED_SCORE, portfolio_runs, score_grid

__all__ = ["StaticPortfolio", "greedy_portfolio_order"]


def greedy_portfolio_order(ranks):
    """Column order of a greedy portfolio over a (datasets x configurations) rank table.

    Parameters
    ----------
    ranks : ndarray of shape (n_datasets, n_configs)
        Rank of each configuration on each dataset, 1 the best.

    Returns
    -------
    list of int
        Every column, in the order the greedy portfolio adds them.

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta.selection.static_portfolio import greedy_portfolio_order
    >>> ranks = np.array([[1, 2, 3],     # config 0 is best on two datasets,
    ...                   [1, 3, 2],     # config 2 on the third: the pair
    ...                   [3, 2, 1]])    # (0, 2) covers them all
    >>> greedy_portfolio_order(ranks)
    [0, 2, 1]
    """
    ranks = np.asarray(ranks, dtype=float)
    own_mean = ranks.mean(axis=0)
    best_so_far = np.full(ranks.shape[0], np.inf)
    remaining = list(range(ranks.shape[1]))
    order = []
    while remaining:
        gain = np.minimum(ranks[:, remaining], best_so_far[:, None]).mean(axis=0)
        # lexsort: the last key is the primary one.
        pick = remaining[np.lexsort((own_mean[remaining], gain))[0]]
        order.append(pick)
        remaining.remove(pick)
        best_so_far = np.minimum(best_so_far, ranks[:, pick])
    return order


class StaticPortfolio:
    """The same ranking of stored configurations for every dataset.

    Parameters
    ----------
    portfolio : list of Strategy
        Evaluations of strategies outside it are ignored.
    min_coverage : float, default=0.9
        Fraction of training datasets that must have evaluated a
        configuration for it to enter the greedy order (the shared grid);
        the others follow, by mean normalized score.

    Attributes
    ----------
    order_ : list of tuple
        (strategy, configuration key) of every stored candidate, first first.
    scores_ : dict
        (strategy, configuration key) -> the score :meth:`predict` gives:
        the k-th of the order gets the k-th highest mean normalized score of
        the candidates, so that the adjuster's prior keeps the scale of the
        performance model's predictions (1 the best of a dataset, 0 its
        median) while following the greedy order.

    Examples
    --------
    >>> import pandas as pd
    >>> from skmeta.selection.static_portfolio import StaticPortfolio
    >>> from skmeta.strategies import default_portfolio
    >>> runs = pd.DataFrame({
    ...     "dataset_id": ["a", "a", "b", "b"], "strategy": ["ridge", "knn"] * 2,
    ...     "config": [{"alpha": 1.0}, {"n_neighbors": 5}] * 2,
    ...     "score": [0.9, 0.5, 0.7, 0.6], "status": ["ok"] * 4})
    >>> static = StaticPortfolio(default_portfolio("regression")).fit(None, runs)
    >>> static.order_[0][0]     # ridge beats k-NN on both datasets
    'ridge'
    >>> static.predict(None, ["knn", "ridge"],
    ...                [{"n_neighbors": 5}, {"alpha": 1.0}]).round(3).tolist()
    [-1.0, 1.0]
    """

    def __init__(self, portfolio, min_coverage=0.9):
        self.portfolio = portfolio
        self.min_coverage = min_coverage

    def fit(self, metafeatures, evaluations):
        """Order the stored candidates (``metafeatures`` is ignored).

        Parameters
        ----------
        metafeatures : DataFrame or None
            Ignored; present for the performance model's interface.
        evaluations : DataFrame
            Columns ``dataset_id``, ``strategy``, ``config``, ``score`` and
            ``status`` (and ``config_key``, computed when missing).
        """
        table = score_grid(portfolio_runs(evaluations, self.portfolio))
        mean_score = table.mean()
        shared = table.loc[:, table.notna().mean() >= self.min_coverage]
        # A dataset that missed a shared configuration gets its mean, as in
        # the performance model's shared grid.
        ranks = shared.fillna(shared.mean()).rank(axis=1, ascending=False)
        greedy = [shared.columns[j] for j in greedy_portfolio_order(ranks.to_numpy())]
        rest = mean_score.drop(index=greedy).sort_values(ascending=False, kind="stable")
        self.order_ = [tuple(key) for key in [*greedy, *rest.index]]
        scale = np.sort(mean_score.to_numpy())[::-1]
        self.scores_ = dict(zip(self.order_, scale.tolist(), strict=True))
        return self

    def predict(self, metafeatures, strategies, configs):
        """The static scores of candidates (:data:`FAILED_SCORE` if never stored).

        Parameters
        ----------
        metafeatures : Series or None
            Ignored: every dataset gets the same scores.
        strategies : list of str
        configs : list of dict

        Returns
        -------
        ndarray of shape (n_candidates,)
        """
        return np.array([self.scores_.get((name, config_key(config)), FAILED_SCORE)
                         for name, config in zip(strategies, configs, strict=True)],
                        dtype=float)
