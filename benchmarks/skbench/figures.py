"""The named figures of one report scope, for the targets to compare.

A figure is named like a call: ``measure(system)`` or ``measure(system,
other)``, for example ``mean_normalized(skmeta-10)`` or
``median_seconds_ratio(skmeta-10, rs-20-cheap)``. :class:`Figures` computes
them on demand for one scope of the report (a task family, or overall), so
that a target and the line that prints it name the same figure:

>>> import pandas as pd
>>> summary = pd.DataFrame({"mean_normalized": [0.9, 0.8], "mean_rank": [1.0, 2.0],
...                         "median_seconds": [1.0, 4.0], "p95_seconds": [2.0, 8.0]},
...                        index=["skmeta-10", "rs-30"])
>>> figures = Figures("overall", summary)
>>> float(figures["median_seconds_ratio(skmeta-10, rs-30)"])
0.25
>>> "{normalized_gain(skmeta-10, rs-30):+.2f}".format_map(figures)
'+0.10'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

from .scoring import evaluations_to_reach, score_table, scope_rows

_CALL = re.compile(r"(\w+)\((.*)\)")


class NoFigure(KeyError):
    """The scope has nothing to compute the figure from (no curve, for example)."""


class Figures(Mapping):
    """The figures of one scope, by name, computed when first asked for.

    Parameters
    ----------
    scope : str
        "classification", "regression", "overall", or a family's size class
        (:func:`~skbench.scoring.scope_rows`).
    summary : DataFrame
        Per system: ``mean_normalized``, ``mean_rank``, ``median_seconds``,
        ``p95_seconds`` (:func:`~skbench.scoring.score_table`).
    seconds : DataFrame, optional
        Wall seconds per (dataset, seed) pair and system.
    rows : DataFrame, optional
        The results rows of the scope (test ``score`` and ``constant``).
    curves : dict, optional
        (dataset, seed) -> system -> curve (:func:`~skbench.results.load_curves`).
    """

    def __init__(self, scope, summary, seconds=None, rows=None, curves=None):
        self.scope = scope
        self.summary, self.seconds, self.rows = summary, seconds, rows
        self.curves = curves or {}

    def __getitem__(self, name):
        match = _CALL.fullmatch(name)
        if match is None or not hasattr(self, "_" + match.group(1)):
            raise KeyError(name)
        systems = [part.strip() for part in match.group(2).split(",")]
        return getattr(self, "_" + match.group(1))(*systems)

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    # -- from the summary table: NumPy scalars, so that 0 seconds divide to inf

    def _mean_normalized(self, system):
        return self.summary.loc[system, "mean_normalized"]

    def _mean_rank(self, system):
        return self.summary.loc[system, "mean_rank"]

    def _median_seconds(self, system):
        return self.summary.loc[system, "median_seconds"]

    def _p95_seconds(self, system):
        return self.summary.loc[system, "p95_seconds"]

    def _max_mean_normalized(self, *systems):
        return max(self._mean_normalized(system) for system in systems)

    def _normalized_gain(self, system, other):
        return self._mean_normalized(system) - self._mean_normalized(other)

    def _rank_gain(self, system, other):
        return self._mean_rank(system) - self._mean_rank(other)

    def _median_seconds_ratio(self, system, other):
        return self._median_seconds(system) / self._median_seconds(other)

    def _per_pair_seconds_ratio(self, system, other):
        """The median over pairs of the ratio of the two systems' wall seconds."""
        return float((self.seconds[system] / self.seconds[other]).median())

    # -- from the rows: test scores with failures counted as the constant predictor

    def _scores_or_constant(self, system):
        scores = self.rows.pivot(index=["dataset", "seed"], columns="system",
                                 values="score")
        return scores[system].fillna(self._constant())

    def _constant(self):
        return self.rows.groupby(["dataset", "seed"])["constant"].first()

    def _mean_score(self, system):
        return self._scores_or_constant(system).mean()

    def _score_gain(self, system, other):
        """Mean test score (R^2, balanced accuracy) of ``system`` minus ``other``'s."""
        return self._mean_score(system) - self._mean_score(other)

    def _normalized_gain_in(self, system, other, scope):
        """:meth:`_normalized_gain` in another ``scope`` of these rows (a
        family of "overall", say), normalized among the same systems."""
        part = scope_rows(self.rows, scope)
        if part.empty:
            raise NoFigure(f"no pairs in {scope}")
        summary = score_table(part, list(self.summary.index))[0]
        return (summary.loc[system, "mean_normalized"]
                - summary.loc[other, "mean_normalized"])

    def _collapsed(self, system, other):
        """Pairs where ``system`` is 0.1 below the constant while ``other`` beats it."""
        constant = self._constant()
        ours, theirs = self._scores_or_constant(system), self._scores_or_constant(other)
        collapsed = (ours < constant - 0.1) & (theirs > constant)
        return collapsed, ours, constant

    def _collapsed_pairs(self, system, other):
        return int(self._collapsed(system, other)[0].sum())

    def _collapsed_pairs_listed(self, system, other):
        """': name (seed s: score vs constant c), ...' of the collapsed pairs, or ''."""
        collapsed, ours, constant = self._collapsed(system, other)
        named = ", ".join(
            f"{d} (seed {s}: {ours[d, s]:.3f} vs constant {constant[d, s]:.3f})"
            for d, s in collapsed[collapsed].index)
        return ": " + named if named else ""

    # -- from the search curves

    def _evaluations_to_reach(self, system, reference):
        needed = evaluations_to_reach(self.curves, system=system, reference=reference)
        if not len(needed):
            raise NoFigure(f"no pair has curves of {system} and {reference}")
        return needed

    def _median_evaluations_to_reach(self, system, reference):
        """Median evaluations ``system`` needs to reach 99 % of ``reference``'s best."""
        return float(np.median(self._evaluations_to_reach(system, reference)))

    def _median_evaluations_to_reach_or_dash(self, system, reference):
        try:
            return f"{self._median_evaluations_to_reach(system, reference):g}"
        except NoFigure:
            return "-"

    def _pairs_compared(self, system, reference):
        return len(self._evaluations_to_reach(system, reference))

    def _never_reached(self, system, reference):
        return int(np.isinf(self._evaluations_to_reach(system, reference)).sum())
