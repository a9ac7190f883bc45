"""Plots of a search and of the knowledge behind it.

- :func:`plot_adaptation` / :func:`plot_adaptation_figure`: how fast a fitted
  :class:`~skmeta.MetaClassifier` or :class:`~skmeta.MetaRegressor` found a
  good model (best cross-validated score so far, per evaluation or second).
- :func:`plot_strategy_probabilities`: the adjuster's policy π over the search.
- :func:`plot_knowledge_map`: the stored datasets in meta-feature space, and
  where a new dataset falls among them.
- :func:`plot_strategy_heatmap`: which strategy did well on which stored dataset.

matplotlib is an optional dependency (``pip install 'skmeta[plot]'``). It is
imported when a function is called, never when this module is imported. Every
function draws on ``ax`` (or makes a new figure when it is None) and returns
the Axes, or the Figure for several panels. A strategy has the same colour in
every plot.
"""

from skmeta.plotting.knowledge_plots import plot_knowledge_map, plot_strategy_heatmap
from skmeta.plotting.search_plots import (
    plot_adaptation,
    plot_adaptation_figure,
    plot_strategy_probabilities,
)

__all__ = [
    "plot_adaptation",
    "plot_adaptation_figure",
    "plot_knowledge_map",
    "plot_strategy_heatmap",
    "plot_strategy_probabilities",
]
