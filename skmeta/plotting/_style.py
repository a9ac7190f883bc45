"""What every plot shares: matplotlib imported on first use, axes, colours."""

from __future__ import annotations

from skmeta.strategies import default_strategy_names

_MISSING_MATPLOTLIB = "skmeta.plotting needs matplotlib: pip install 'skmeta[plot]'"


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

