"""The adaptation figures (PNG, matplotlib; skipped with a message without it)."""

from __future__ import annotations

import numpy as np

LABELS = {"skmeta-10": "skmeta, 10 evaluations",
          "skmeta-b30": "skmeta, time_budget=30",
          "cold-10": "cold start (uniform prior)",
          "rs-30": "RandomizedSearchCV (portfolio, 30)",
          "rs-20-cheap": "RandomizedSearchCV (cheap, 20 x 3-fold)"}


def _pyplot(path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"matplotlib is not installed: no plot written to {path} "
              "(pip install matplotlib).")
        return None
    return plt


def _save(fig, plt, path, what):
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    print(f"{what} written to {path}")


def plot_adaptation(means, n_blocks, path):
    """The mean normalized best CV score so far against evaluations, per system."""
    def draw(ax, mean, label):
        ax.plot(np.arange(1, len(mean) + 1), mean, marker="o", markersize=3,
                label=label)

    _plot_curves(means, draw, path, "adaptation curve", xlabel="evaluation",
                 title=f"Adaptation curve ({n_blocks} dataset-seed pairs)")


def plot_adaptation_seconds(grid, means, n_blocks, path):
    """The same against wall seconds (a log axis)."""
    def draw(ax, mean, label):
        ax.step(grid, mean, where="post", label=label)

    _plot_curves(
        means, draw, path, "adaptation curve against seconds", log_x=True,
        xlabel="wall seconds since the start of the fit (skmeta: of the search)",
        title=f"Adaptation against wall seconds ({n_blocks} dataset-seed pairs)")


def _plot_curves(means, draw, path, what, *, xlabel, title, log_x=False):
    """One curve per system with a mean (``draw(ax, mean, label)``), saved as PNG."""
    plt = _pyplot(path)
    if plt is None:
        return
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for system, mean in means.items():
        if len(mean):
            draw(ax, mean, LABELS.get(system, system))
    if log_x:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("normalized best CV score so far")
    ax.set_title(title)
    ax.grid(alpha=0.3, which="both" if log_x else "major")
    ax.legend(loc="lower right")
    _save(fig, plt, path, what)
