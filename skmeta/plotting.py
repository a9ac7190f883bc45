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

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from skmeta.datasets import Dataset
from skmeta.knowledge import KnowledgeBase
from skmeta.learner import MetaLearner, task_family
from skmeta.selection import FAILED_SCORE, normalized_scores
from skmeta.strategies import default_strategy_names

__all__ = [
    "plot_adaptation",
    "plot_adaptation_figure",
    "plot_knowledge_map",
    "plot_strategy_heatmap",
    "plot_strategy_probabilities",
]

_MISSING_MATPLOTLIB = "skmeta.plotting needs matplotlib: pip install 'skmeta[plot]'"
_X_AXES = {
    "evaluation": "evaluations",
    "seconds": "seconds since the start of the search",
}
_COLOR_BY = ("best_strategy", "task")
_ORDERS = ("cluster", "best_strategy")
_TASKS = {
    "classification": ["binary", "multiclass"],
    "regression": ["regression"],
    "binary": ["binary"],
    "multiclass": ["multiclass"],
}


# -- shared helpers -----------------------------------------------------------
def _pyplot():
    """matplotlib.pyplot, imported on first use."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(_MISSING_MATPLOTLIB) from exc
    return plt


def _integer_ticks(axis):
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _axes(ax, figsize=(6.4, 4.2)):
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _palette():
    _pyplot()
    from matplotlib import colormaps

    return list(colormaps["tab10"].colors) + list(colormaps["Dark2"].colors)


def _strategy_colors(names):
    """Strategy name -> colour; a default strategy keeps its colour everywhere."""
    palette = _palette()
    defaults = default_strategy_names()
    colors = {n: palette[defaults.index(n)] for n in names if n in defaults}
    free = iter(palette[len(defaults):] * (1 + len(names) // 2))
    for name in names:
        if name not in colors:
            colors[name] = next(free)
    return colors


def _trace_of(estimator_or_trace):
    """The trace DataFrame of a fitted estimator, or the trace itself."""
    source = estimator_or_trace
    if isinstance(source, pd.DataFrame):
        trace = source
    elif isinstance(source, list):  # rows, as run_adjuster returns them
        trace = pd.DataFrame(source)
    elif hasattr(source, "fit"):
        check_is_fitted(source, "trace_")
        trace = source.trace_
    else:
        raise TypeError(
            "expected a fitted MetaClassifier or MetaRegressor, or its trace_ "
            f"DataFrame, got {type(source).__name__}."
        )
    if trace.empty:
        raise ValueError("the trace is empty: there are no evaluations to plot.")
    missing = [c for c in ("strategy", "score") if c not in trace.columns]
    if missing:
        raise ValueError(
            f"the trace lacks the column(s) {missing}; pass an estimator's trace_."
        )
    return trace.reset_index(drop=True)


def _trace_strategies(trace):
    """Strategy names: the portfolio's order when the trace records it."""
    names = []
    first = trace["probabilities"].iloc[0] if "probabilities" in trace.columns else None
    if isinstance(first, dict):
        names = list(first)
    return names + [s for s in pd.unique(trace["strategy"]) if s not in names]


def _evaluation_numbers(trace):
    """1 for the first evaluation, as in "after n evaluations"."""
    if "evaluation" in trace.columns:
        return trace["evaluation"].to_numpy(dtype=float) + 1
    return np.arange(1, len(trace) + 1, dtype=float)


# -- the search ---------------------------------------------------------------
def plot_adaptation(estimator_or_trace, x="evaluation", *, ax=None):
    """The adaptation curve of a search: best cross-validated score so far.

    Each evaluation is a point coloured by its strategy; failed evaluations
    (no score) are crosses along the bottom edge of the axes.

    Parameters
    ----------
    estimator_or_trace : fitted MetaClassifier, MetaRegressor or DataFrame
        The estimator, or its ``trace_``.
    x : {"evaluation", "seconds"}, default="evaluation"
        The horizontal axis: evaluations done, or seconds since the search
        started (task adaptation time).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If the estimator is not fitted.
    ValueError
        If the trace is empty or ``x`` is unknown.

    See Also
    --------
    plot_adaptation_figure : both horizontal axes side by side.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklearn.datasets import load_breast_cancer, load_iris, load_wine
    >>> from skmeta import MetaClassifier, MetaLearner
    >>> from skmeta.plotting import plot_adaptation
    >>> learner = MetaLearner(portfolio=["knn", "gaussian_nb"],
    ...                       n_configs_per_strategy=1, timeout=None).fit(
    ...     [load_iris(return_X_y=True), load_wine(return_X_y=True),
    ...      load_breast_cancer(return_X_y=True)])
    >>> X, y = load_wine(return_X_y=True)
    >>> clf = MetaClassifier(knowledge_base=learner, n_evaluations=4, cv=3,
    ...                      random_state=0).fit(X, y)
    >>> ax = plot_adaptation(clf)
    >>> ax.get_xlabel()
    'evaluations'
    >>> ax.get_lines()[0].get_label()
    'best so far'
    >>> plt.close("all")
    """
    if x not in _X_AXES:
        raise ValueError(f"x must be one of {sorted(_X_AXES)}, got {x!r}.")
    trace = _trace_of(estimator_or_trace)
    if x == "seconds" and "seconds" not in trace.columns:
        raise ValueError("the trace has no 'seconds' column; plot with x='evaluation'.")
    ax = _axes(ax)
    positions = _evaluation_numbers(trace) if x == "evaluation" else (
        trace["seconds"].to_numpy(dtype=float)
    )
    scores = pd.to_numeric(trace["score"], errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(scores)
    if "status" in trace.columns:
        ok &= (trace["status"] == "ok").to_numpy()
    order = np.argsort(positions, kind="stable")
    best = np.fmax.accumulate(np.where(ok, scores, -np.inf)[order])
    best[np.isinf(best)] = np.nan  # no success yet

    ax.step(positions[order], best, where="post", color="0.2", linewidth=2,
            label="best so far", zorder=3)
    names = _trace_strategies(trace)
    colors = _strategy_colors(names)
    strategies = trace["strategy"].to_numpy()
    for name in names:
        mine = ok & (strategies == name)
        if mine.any():
            ax.scatter(positions[mine], scores[mine], color=colors[name], label=name,
                       s=36, edgecolors="white", linewidths=0.5, zorder=4)
    failed = ~ok
    if failed.any():
        # At the bottom edge: a failure has no score to place it at.
        ax.scatter(positions[failed], np.full(failed.sum(), 0.03),
                   transform=ax.get_xaxis_transform(), marker="x", s=40,
                   color=[colors[s] for s in strategies[failed]],
                   label=f"failed ({failed.sum()})", zorder=4)
    ax.set_xlabel(_X_AXES[x])
    ax.set_ylabel("cross-validated score")
    if x == "evaluation":
        _integer_ticks(ax.xaxis)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_adaptation_figure(estimator_or_trace, *, figsize=(11, 4)):
    """The adaptation curve against evaluations and against seconds.

    Parameters
    ----------
    estimator_or_trace : fitted MetaClassifier, MetaRegressor or DataFrame
    figsize : tuple of float, default=(11, 4)

    Returns
    -------
    matplotlib.figure.Figure
        Two panels sharing the score axis; save it with ``fig.savefig(path)``.

    See Also
    --------
    plot_adaptation : one panel.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklearn.datasets import load_breast_cancer, load_iris, load_wine
    >>> from skmeta import MetaClassifier, MetaLearner
    >>> from skmeta.plotting import plot_adaptation_figure
    >>> learner = MetaLearner(portfolio=["knn", "gaussian_nb"],
    ...                       n_configs_per_strategy=1, timeout=None).fit(
    ...     [load_iris(return_X_y=True), load_wine(return_X_y=True),
    ...      load_breast_cancer(return_X_y=True)])
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MetaClassifier(knowledge_base=learner, n_evaluations=4, cv=3,
    ...                      random_state=0).fit(X, y)
    >>> fig = plot_adaptation_figure(clf)
    >>> [ax.get_xlabel() for ax in fig.axes]
    ['evaluations', 'seconds since the start of the search']
    >>> plt.close(fig)
    """
    trace = _trace_of(estimator_or_trace)
    plt = _pyplot()
    fig, (by_evaluation, by_seconds) = plt.subplots(
        1, 2, figsize=figsize, sharey=True, layout="constrained"
    )
    plot_adaptation(trace, x="evaluation", ax=by_evaluation)
    if "seconds" in trace.columns:
        plot_adaptation(trace, x="seconds", ax=by_seconds)
        by_seconds.get_legend().remove()
    else:
        by_seconds.set_axis_off()
    scores = pd.to_numeric(trace["score"], errors="coerce")
    if scores.notna().any():
        best = trace.loc[scores.idxmax()]
        fig.suptitle(
            f"Best: {best['strategy']}, score {scores.max():.4g} "
            f"(evaluation {int(_evaluation_numbers(trace)[scores.idxmax()])} "
            f"of {len(trace)})"
        )
    return fig


def plot_strategy_probabilities(estimator_or_trace, *, ax=None):
    """The strategy probabilities π over the search, as stacked bands.

    The band of a strategy at evaluation ``n`` is its probability under the
    policy that proposed evaluation ``n`` (evaluations of one step share a
    policy). Triangles along the top mark the strategy that was chosen.

    Parameters
    ----------
    estimator_or_trace : fitted MetaClassifier, MetaRegressor or DataFrame
        The estimator, or its ``trace_`` (with its ``probabilities`` column).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklearn.datasets import load_breast_cancer, load_iris, load_wine
    >>> from skmeta import MetaClassifier, MetaLearner
    >>> from skmeta.plotting import plot_strategy_probabilities
    >>> learner = MetaLearner(portfolio=["knn", "gaussian_nb"],
    ...                       n_configs_per_strategy=1, timeout=None).fit(
    ...     [load_iris(return_X_y=True), load_wine(return_X_y=True),
    ...      load_breast_cancer(return_X_y=True)])
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> clf = MetaClassifier(knowledge_base=learner, n_evaluations=4, cv=3,
    ...                      random_state=0).fit(X, y)
    >>> ax = plot_strategy_probabilities(clf)
    >>> [text.get_text() for text in ax.get_legend().get_texts()]  # top band first
    ['gaussian_nb', 'knn']
    >>> plt.close("all")
    """
    trace = _trace_of(estimator_or_trace)
    if "probabilities" not in trace.columns:
        raise ValueError("the trace has no 'probabilities' column to plot.")
    rows = trace["probabilities"]
    if not all(isinstance(row, dict) for row in rows):
        raise ValueError(
            "every 'probabilities' entry must be a dict of strategy name -> "
            "probability, as in an estimator's trace_."
        )
    ax = _axes(ax)
    names = _trace_strategies(trace)
    colors = _strategy_colors(names)
    pi = np.array([[row.get(name, 0.0) for name in names] for row in rows], dtype=float)
    numbers = _evaluation_numbers(trace)
    # Each evaluation owns the interval [n - 1/2, n + 1/2).
    edges = np.append(numbers - 0.5, numbers[-1] + 0.5)
    bands = np.vstack([pi, pi[-1:]]).T
    ax.stackplot(edges, bands, labels=names, colors=[colors[n] for n in names],
                 step="post", alpha=0.85, edgecolor="white", linewidth=0.5)
    ax.scatter(numbers, np.full(len(numbers), 1.035), marker="v", s=36, clip_on=False,
               color=[colors[s] for s in trace["strategy"]], edgecolors="black",
               linewidths=0.4, zorder=4)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_ylim(0, 1)
    _integer_ticks(ax.xaxis)
    ax.set_xlabel("evaluation")
    ax.set_ylabel("strategy probability π")
    ax.set_title("policy before each evaluation (▼ the strategy chosen)", pad=18,
                 fontsize="medium")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small",
              reverse=True)
    return ax


# -- the knowledge base ---------------------------------------------------------
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
    ...                       n_configs_per_strategy=1, timeout=None).fit(
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
    ...                       n_configs_per_strategy=1, timeout=None).fit(
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
