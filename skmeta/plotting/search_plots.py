"""Plots of one search: how fast it found a good model, and its policy."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from skmeta.plotting._style import _axes, _integer_ticks, _pyplot, _strategy_colors

_X_AXES = {
    "evaluation": "evaluations",
    "seconds": "seconds since the start of the search",
}


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
    ...                       n_configs_per_strategy=1, evaluation_timeout=None).fit(
    ...     [load_iris(return_X_y=True), load_wine(return_X_y=True),
    ...      load_breast_cancer(return_X_y=True)])
    >>> X, y = load_wine(return_X_y=True)
    >>> clf = MetaClassifier(meta_learner=learner, n_evaluations=4, cv=3,
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
    ...                       n_configs_per_strategy=1, evaluation_timeout=None).fit(
    ...     [load_iris(return_X_y=True), load_wine(return_X_y=True),
    ...      load_breast_cancer(return_X_y=True)])
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MetaClassifier(meta_learner=learner, n_evaluations=4, cv=3,
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
    ...                       n_configs_per_strategy=1, evaluation_timeout=None).fit(
    ...     [load_iris(return_X_y=True), load_wine(return_X_y=True),
    ...      load_breast_cancer(return_X_y=True)])
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> clf = MetaClassifier(meta_learner=learner, n_evaluations=4, cv=3,
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
