"""Plots of a knowledge base: the stored datasets and their best strategies."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from skmeta.datasets import Dataset
from skmeta.knowledge import KnowledgeBase
from skmeta.learner import MetaLearner, task_family
from skmeta.plotting._style import _axes, _palette, _strategy_colors
from skmeta.selection import FAILED_SCORE, normalized_scores

_COLOR_BY = ("best_strategy", "task")
_ORDERS = ("cluster", "best_strategy")
_TASKS = {
    "classification": ["binary", "multiclass"],
    "regression": ["regression"],
    "binary": ["binary"],
    "multiclass": ["multiclass"],
}


def _check_learner(learner):
    if not isinstance(learner, MetaLearner):
        raise TypeError(
            f"learner must be a fitted MetaLearner, got {type(learner).__name__}."
        )
    check_is_fitted(learner, "nearest_")


def _best_strategies(kb, dataset_ids):
    """Dataset id -> the strategy of its best successful stored evaluation."""
    runs = kb.evaluations(dataset_id=list(dataset_ids), status="ok")
    runs = runs[runs["score"].notna()]
    if runs.empty:
        return pd.Series(dtype=object)
    best = runs.loc[runs.groupby("dataset_id")["score"].idxmax()]
    return best.set_index("dataset_id")["strategy"]


def _project(points):
    """A 2-D PCA of the points, and the fitted PCA (None if nothing varies)."""
    from sklearn.decomposition import PCA

    n_components = min(2, points.shape[0], points.shape[1])
    if n_components == 0 or np.allclose(points, points[0]):
        return np.zeros((points.shape[0], 2)), None
    pca = PCA(n_components=n_components).fit(points)
    return _pad(pca.transform(points)), pca


def _pad(xy):
    return np.hstack([xy, np.zeros((xy.shape[0], 2 - xy.shape[1]))])


def plot_knowledge_map(learner, X=None, y=None, *, metafeatures=None, task=None,
                       n_neighbors=5, color_by="best_strategy", ax=None):
    """A map of the stored datasets in meta-feature space.

    The datasets of the knowledge base are placed by a 2-D PCA of their
    scaled meta-features (the space in which the learner finds nearest
    datasets), and coloured by their best strategy or by their task. A new
    dataset, given as ``X, y`` or by its meta-features, is marked with a star
    and joined to its nearest stored datasets, which are labelled by name.

    Parameters
    ----------
    learner : fitted MetaLearner
    X : array-like or DataFrame, optional
        A new dataset's features (with ``y``).
    y : array-like, optional
    metafeatures : Series, optional
        The new dataset's meta-features, instead of ``X, y``.
    task : {"classification", "regression", "binary", "multiclass"}, optional
        Which of the learner's maps to draw (classification and regression
        datasets are kept apart). Defaults to the new dataset's task family,
        else to classification when the learner has classification datasets.
    n_neighbors : int, default=5
        Nearest datasets to highlight.
    color_by : {"best_strategy", "task"}, default="best_strategy"
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklearn.datasets import (load_breast_cancer, load_digits, load_iris,
    ...                               load_wine)
    >>> from skmeta import MetaLearner
    >>> from skmeta.plotting import plot_knowledge_map
    >>> learner = MetaLearner(portfolio=["knn", "gaussian_nb"],
    ...                       n_configs_per_strategy=1, evaluation_timeout=None).fit(
    ...     [load_iris(return_X_y=True), load_wine(return_X_y=True),
    ...      load_breast_cancer(return_X_y=True)])
    >>> X, y = load_digits(return_X_y=True)
    >>> ax = plot_knowledge_map(learner, X[:300], y[:300], n_neighbors=2)
    >>> len(ax.texts)  # the two nearest datasets, labelled
    2
    >>> plt.close("all")
    """
    _check_learner(learner)
    if color_by not in _COLOR_BY:
        raise ValueError(
            f"color_by must be one of {list(_COLOR_BY)}, got {color_by!r}."
        )
    if not isinstance(n_neighbors, (int, np.integer)) or n_neighbors < 1:
        raise ValueError(
            f"n_neighbors must be a positive integer, got {n_neighbors!r}."
        )
    if (X is None) != (y is None):
        raise ValueError("give both X and y for a new dataset, or neither.")
    if X is not None and metafeatures is not None:
        raise ValueError(
            "give either X, y or metafeatures for the new dataset, not both."
        )
    if task is not None and task not in _TASKS:
        raise ValueError(f"task must be one of {sorted(_TASKS)} or None, got {task!r}.")
    dataset = Dataset(X, y, name="new dataset") if X is not None else None
    family = task_family(task) if task is not None else None
    if dataset is not None:
        if family is not None and family != task_family(dataset.task):
            raise ValueError(
                f"task={task!r}, but y is a {dataset.task} target; leave task as None."
            )
        family = task_family(dataset.task)
    if family is None:
        has_classification = "classification" in learner.nearest_
        family = "classification" if has_classification else "regression"
    if family not in learner.nearest_:
        raise ValueError(
            f"the learner has no {family} datasets; meta-train on some first."
        )
    nearest = learner.nearest_[family]
    kb = learner.knowledge_base_
    ax = _axes(ax, figsize=(7.5, 5.5))

    ids = list(nearest.dataset_ids_)
    stored = kb.datasets().reindex(ids)
    names = stored["name"].fillna(pd.Series(ids, index=ids)).tolist()
    xy, pca = _project(np.asarray(nearest.points_, dtype=float))
    if color_by == "task":
        groups = stored["task"].fillna("unknown").to_numpy()
        colors = dict(zip(sorted(set(groups)), _palette(), strict=False))
    else:
        best = _best_strategies(kb, ids).reindex(ids)
        groups = best.fillna("none succeeded").to_numpy()
        colors = _strategy_colors(sorted(set(groups) - {"none succeeded"}))
        colors["none succeeded"] = "0.6"
    for group in sorted(set(groups), key=str):
        mine = groups == group
        ax.scatter(xy[mine, 0], xy[mine, 1], color=colors[group], label=str(group),
                   s=45, alpha=0.85, edgecolors="white", linewidths=0.5)

    if metafeatures is None and dataset is not None:
        metafeatures = learner.metafeatures_of(dataset)
    if metafeatures is not None:
        metafeatures = pd.Series(metafeatures, dtype=float)
        scaled = nearest.scaler_.transform(metafeatures)
        point = _pad(pca.transform(scaled))[0] if pca is not None else np.zeros(2)
        neighbor_ids, distances = nearest.kneighbors(metafeatures, n_neighbors)
        for neighbor, distance in zip(neighbor_ids, distances, strict=True):
            i = ids.index(neighbor)
            ax.plot([point[0], xy[i, 0]], [point[1], xy[i, 1]], color="0.4",
                    linestyle="--", linewidth=0.8, zorder=1)
            ax.annotate(f"{names[i]} ({distance:.2f})", xy[i], xytext=(4, 4),
                        textcoords="offset points", fontsize="small")
        rows = [ids.index(n) for n in neighbor_ids]
        ax.scatter(xy[rows, 0], xy[rows, 1], s=140, facecolors="none",
                   edgecolors="black", linewidths=1.2, label="nearest datasets")
        ax.scatter([point[0]], [point[1]], marker="*", s=260, color="black",
                   label="new dataset", zorder=5)
    elif len(ids) <= 20:
        for i, name in enumerate(names):
            ax.annotate(name, xy[i], xytext=(4, 4), textcoords="offset points",
                        fontsize="small")

    share = (pca.explained_variance_ratio_ if pca is not None else np.zeros(0))
    share = np.append(share, np.zeros(2 - len(share)))
    ax.set_xlabel(f"meta-feature PC1 ({share[0]:.0%} of variance)")
    ax.set_ylabel(f"meta-feature PC2 ({share[1]:.0%} of variance)")
    ax.set_title(f"{len(ids)} {family} datasets of the knowledge base")
    title = "best strategy" if color_by == "best_strategy" else "task"
    ax.legend(fontsize="small", title=title, loc="best")
    return ax


def _order_datasets(table, order):
    """Column order of a strategy x dataset table of normalized scores."""
    if table.shape[1] < 3 or order == "best_strategy":
        filled = table.fillna(FAILED_SCORE)
        rank = {name: i for i, name in enumerate(table.index)}
        best = filled.idxmax(axis=0).map(rank)
        return sorted(table.columns, key=lambda c: (best[c], -filled[c].max(), c))
    from scipy.cluster.hierarchy import leaves_list, linkage

    # A missing cell counts as a median configuration (0) for the distances.
    values = table.fillna(0.0).to_numpy().T
    tree = linkage(values, method="average", optimal_ordering=True)
    return list(table.columns[leaves_list(tree)])


def plot_strategy_heatmap(knowledge_base_or_learner, *, task=None, max_datasets=50,
                          order="cluster", ax=None):
    """Which strategy did well on which stored dataset.

    A cell is the best normalized score
    (:func:`~skmeta.selection.normalized_scores`: 1 the dataset's best stored
    configuration, 0 its median one, -1 a failure) of a strategy's
    configurations on a dataset. Blank cells were never evaluated.

    Parameters
    ----------
    knowledge_base_or_learner : KnowledgeBase or fitted MetaLearner
    task : {"classification", "regression", "binary", "multiclass"}, optional
        Only datasets of this task (family); all when None.
    max_datasets : int, default=50
        Show at most this many datasets: the first ones by id (ids are
        content hashes, so this is an arbitrary but repeatable sample).
    order : {"cluster", "best_strategy"}, default="cluster"
        Datasets side by side when their strategies score alike
        (hierarchical clustering), or grouped by their best strategy.
        Strategies are ordered by their mean score, best on top.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Its image holds the (n_strategies, n_datasets) table; a colour bar is
        added beside it.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklearn.datasets import load_breast_cancer, load_iris, load_wine
    >>> from skmeta import MetaLearner
    >>> from skmeta.plotting import plot_strategy_heatmap
    >>> learner = MetaLearner(portfolio=["knn", "gaussian_nb"],
    ...                       n_configs_per_strategy=1, evaluation_timeout=None).fit(
    ...     [load_iris(return_X_y=True), load_wine(return_X_y=True),
    ...      load_breast_cancer(return_X_y=True)])
    >>> ax = plot_strategy_heatmap(learner)
    >>> ax.images[0].get_array().shape  # strategies x datasets
    (2, 3)
    >>> plt.close("all")
    """
    source = knowledge_base_or_learner
    if isinstance(source, MetaLearner):
        check_is_fitted(source, "knowledge_base_")
        kb = source.knowledge_base_
    elif isinstance(source, KnowledgeBase):
        kb = source
    else:
        raise TypeError(
            "expected a KnowledgeBase or a fitted MetaLearner, got "
            f"{type(source).__name__}."
        )
    if task is not None and task not in _TASKS:
        raise ValueError(f"task must be one of {sorted(_TASKS)} or None, got {task!r}.")
    if not isinstance(max_datasets, (int, np.integer)) or max_datasets < 1:
        raise ValueError(
            f"max_datasets must be a positive integer, got {max_datasets!r}."
        )
    if order not in _ORDERS:
        raise ValueError(f"order must be one of {list(_ORDERS)}, got {order!r}.")
    runs = kb.evaluations(task=None if task is None else _TASKS[task])
    if runs.empty:
        where = "" if task is None else f" of {task} datasets"
        raise ValueError(f"the knowledge base holds no evaluations{where} to plot.")
    n_stored = runs["dataset_id"].nunique()
    shown = sorted(runs["dataset_id"].unique())[:max_datasets]
    runs = runs[runs["dataset_id"].isin(shown)]
    runs = runs.assign(normalized=normalized_scores(runs))
    table = runs.pivot_table(
        index="strategy", columns="dataset_id", values="normalized", aggfunc="max"
    )
    by_mean = table.mean(axis=1).sort_values(ascending=False, kind="stable")
    table = table.loc[by_mean.index]
    table = table[_order_datasets(table, order)]
    names = runs.drop_duplicates("dataset_id").set_index("dataset_id")["dataset_name"]

    n_strategies, n_datasets = table.shape
    ax = _axes(ax, figsize=(min(max(6, 3 + 0.22 * n_datasets), 16),
                            max(3.5, 2 + 0.35 * n_strategies)))
    from matplotlib import colormaps

    cmap = colormaps["viridis"].with_extremes(bad="white")
    image = ax.imshow(
        np.ma.masked_invalid(table.to_numpy(dtype=float)), cmap=cmap,
        vmin=FAILED_SCORE, vmax=1.0, aspect="auto", interpolation="nearest",
    )
    ax.set_yticks(range(n_strategies), table.index)
    ax.set_xticks(range(n_datasets), names.reindex(table.columns).tolist(),
                  rotation=90, fontsize="x-small" if n_datasets > 20 else "small")
    ax.set_xlabel(f"dataset ({n_datasets} of {n_stored})" if n_datasets < n_stored
                  else "dataset")
    ax.figure.colorbar(image, ax=ax, label="best normalized score\n(1 best, 0 median)")
    return ax
