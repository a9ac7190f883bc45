"""Pass/fail targets as data: a figure, a direction and a threshold.

A :class:`Target` compares one named figure (see :mod:`skbench.figures`)
with a number or with another figure; a :class:`Line` is one printed
PASS/FAIL line, which passes when all its targets do; a :class:`Section`
groups the lines under a title. :data:`SELECTION_TARGETS` holds the goals of
``bench_selection.py``; :func:`check_section` turns a section into text.

>>> from skbench.figures import Figures
>>> import pandas as pd
>>> summary = pd.DataFrame({"mean_normalized": [0.9, 0.8], "mean_rank": [1.0, 2.0]},
...                        index=["skmeta-10", "cold-10"])
>>> figures = {"overall": Figures("overall", summary)}
>>> warm = Line("warm {mean_normalized(skmeta-10):.2f} vs "
...             "{mean_normalized(cold-10):.2f}",
...             (Target("score", "mean_normalized(skmeta-10)", ">",
...                     "mean_normalized(cold-10)"),),
...             systems=("skmeta-10", "cold-10"))
>>> check_section(Section("Warm start", (warm,)), figures, ["skmeta-10", "cold-10"])
['  [PASS] warm 0.90 vs 0.80']
"""

from __future__ import annotations

import operator
from collections import ChainMap
from dataclasses import dataclass

from .figures import NoFigure
from .scoring import SIZE_CLASSES

_COMPARE = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt}


def verdict(passed):
    """The word a report prints for a check: PASS or FAIL."""
    return "PASS" if passed else "FAIL"


@dataclass(frozen=True)
class Target:
    """A goal: ``figure`` must be ``direction`` ``threshold`` (a number or a figure).

    Parameters
    ----------
    name : str
        A short name, for the ``{passed[name]}`` field of a line's text.
    figure : str
        The figure checked, e.g. ``"median_seconds_ratio(skmeta-10, rs-30)"``.
    direction : {"<=", "<", ">=", ">"}
    threshold : float or str
        A number, or the name of the figure to compare with.
    """

    name: str
    figure: str
    direction: str
    threshold: float | str

    def passed(self, figures):
        """Whether the target holds for a scope's :class:`~skbench.figures.Figures`."""
        limit = (figures[self.threshold] if isinstance(self.threshold, str)
                 else self.threshold)
        return bool(_COMPARE[self.direction](figures[self.figure], limit))


@dataclass(frozen=True)
class Line:
    """One PASS/FAIL line of a report, printed once per scope it applies to.

    Parameters
    ----------
    text : str
        The line after its ``[PASS]``: a format string over the scope's figures,
        ``{scope}`` and ``{passed[<target name>]}``.
    targets : tuple of Target
        All must pass for the line to pass.
    systems : tuple of str
        The systems the line needs; it is left out when one was not run.
    scopes : tuple of str
        The scopes (task family or "overall") the line is printed for.
    checked_in : tuple of str, optional
        Where the targets are checked, when not in the line's own scope (a
        line for both families); a scope without pairs fails.
    missing : str, optional
        Printed as ``[----] <missing>`` for a scope without pairs (default:
        the line is left out).
    """

    text: str
    targets: tuple = ()
    systems: tuple = ()
    scopes: tuple = ("overall",)
    checked_in: tuple | None = None
    missing: str | None = None


@dataclass(frozen=True)
class Section:
    """Lines under a title; ``unavailable`` replaces them all if one is uncheckable."""

    title: str
    lines: tuple
    unavailable: str | None = None


def _checkable(line, figures, systems):
    return set(line.systems) <= set(systems) and all(s in figures for s in line.scopes)


def _line(line, scope, figures):
    """The text of ``line`` in ``scope``; None when a figure is missing."""
    checked_in = line.checked_in or (scope,)
    try:
        passed = {target.name: all(s in figures and target.passed(figures[s])
                                   for s in checked_in)
                  for target in line.targets}
        verdicts = {name: verdict(ok) for name, ok in passed.items()}
        fields = ChainMap({"scope": scope, "passed": verdicts}, figures[scope])
        return f"  [{verdict(all(passed.values()))}] " + line.text.format_map(fields)
    except NoFigure:
        return None


def check_section(section, figures, systems):
    """The printed lines of a section.

    Parameters
    ----------
    section : Section
    figures : dict
        Scope -> :class:`~skbench.figures.Figures`, for the scopes with pairs.
    systems : list of str
        The systems of the run.
    """
    if section.unavailable and not all(_checkable(line, figures, systems)
                                       for line in section.lines):
        return [f"  [----] {section.unavailable}"]
    lines = []
    for line in section.lines:
        if not set(line.systems) <= set(systems):
            continue
        for scope in line.scopes:
            if scope not in figures:
                if line.missing:
                    lines.append("  [----] " + line.missing.format(scope=scope))
                continue
            text = _line(line, scope, figures)
            if text is not None:
                lines.append(text)
    return lines


FAMILIES = ("classification", "regression")

#: skmeta-10 against the random search a user would write: half the wall, no worse.
_AGAINST_CHEAP_SEARCH = (
    Target("wall", "median_seconds_ratio(skmeta-10, rs-20-cheap)", "<=", 0.5),
    Target("score", "mean_normalized(skmeta-10)", ">=", "mean_normalized(rs-20-cheap)"),
)

def _against_baselines(k):
    """skmeta-k against static-k (a greedy static portfolio) and size-k (the
    size measures only), per family and overall: the best normalized score."""
    names = {"ours": f"skmeta-{k}", "static": f"static-{k}", "size": f"size-{k}"}
    scores = " vs ".join(f"{{mean_normalized({n}):.3f}}" for n in names.values())
    ranks = " vs ".join(f"{{mean_rank({n}):.2f}}" for n in names.values())
    return Line(
        "{scope}: " + " vs ".join(names.values()) + f": normalized {scores}, rank "
        f"{ranks} (needs the best normalized score of the three)",
        tuple(Target(kind, f"mean_normalized({names['ours']})", ">",
                     f"mean_normalized({names[kind]})") for kind in ("static", "size")),
        systems=tuple(names.values()), scopes=FAMILIES + ("overall",))


#: The goals of bench_selection.py, in the order the report prints them.
SELECTION_TARGETS = (
    Section("Targets of issue 13", (
        Line("(a) {scope}: skmeta-10 vs rs-20-cheap median wall "
             "{median_seconds(skmeta-10):.2f} vs {median_seconds(rs-20-cheap):.2f} s "
             "(ratio of medians {median_seconds_ratio(skmeta-10, rs-20-cheap):.2f}, "
             "needs <= 0.5; per-pair median ratio "
             "{per_pair_seconds_ratio(skmeta-10, rs-20-cheap):.2f}), normalized "
             "{mean_normalized(skmeta-10):.3f} vs {mean_normalized(rs-20-cheap):.3f} "
             "(needs >=)",
             _AGAINST_CHEAP_SEARCH, systems=("skmeta-10", "rs-20-cheap"),
             scopes=FAMILIES, missing="(a) {scope}: no complete pair yet"),
        Line("(a) both families; overall: ratio of medians "
             "{median_seconds_ratio(skmeta-10, rs-20-cheap):.2f}, per-pair median "
             "ratio {per_pair_seconds_ratio(skmeta-10, rs-20-cheap):.2f}",
             _AGAINST_CHEAP_SEARCH, systems=("skmeta-10", "rs-20-cheap"),
             checked_in=FAMILIES),
        Line("(b) zero-shot skmeta-1: median wall {median_seconds(skmeta-1):.2f} s = "
             "{median_seconds_ratio(skmeta-1, hgb-default):.2f}x hgb-default's "
             "{median_seconds(hgb-default):.2f} s (needs <= 3x) [{passed[wall]}], p95 "
             "{p95_seconds(skmeta-1):.2f} s (needs <= 3 s) [{passed[p95]}], normalized "
             "{mean_normalized(skmeta-1):.3f} vs hgb "
             "{mean_normalized(hgb-default):.3f}, rf {mean_normalized(rf-default):.3f} "
             "(needs above both) [{passed[score]}]",
             (Target("wall", "median_seconds_ratio(skmeta-1, hgb-default)", "<=", 3),
              Target("p95", "p95_seconds(skmeta-1)", "<=", 3),
              Target("score", "mean_normalized(skmeta-1)", ">",
                     "max_mean_normalized(hgb-default, rf-default)")),
             systems=("skmeta-1", "hgb-default", "rf-default")),
        Line("(c) {scope}: skmeta-b10 beats flaml-30: normalized "
             "{mean_normalized(skmeta-b10):.3f} vs {mean_normalized(flaml-30):.3f}, "
             "rank {mean_rank(skmeta-b10):.2f} vs {mean_rank(flaml-30):.2f}",
             (Target("score", "mean_normalized(skmeta-b10)", ">",
                     "mean_normalized(flaml-30)"),
              Target("rank", "mean_rank(skmeta-b10)", "<", "mean_rank(flaml-30)")),
             systems=("skmeta-b10", "flaml-30"), scopes=FAMILIES + ("overall",)),
    )),
    Section("Regression targets of issue 14", (
        Line("regression normalized: skmeta-10 {mean_normalized(skmeta-10):.3f} vs "
             "rs-20-cheap {mean_normalized(rs-20-cheap):.3f} (needs >= +0.02, got "
             "{normalized_gain(skmeta-10, rs-20-cheap):+.3f})",
             (Target("gain", "normalized_gain(skmeta-10, rs-20-cheap)", ">=", 0.02),),
             systems=("skmeta-10", "rs-20-cheap"), scopes=("regression",)),
        Line("regression mean R^2: skmeta-10 {mean_score(skmeta-10):.3f} vs "
             "rs-20-cheap {mean_score(rs-20-cheap):.3f} (needs >=)",
             (Target("score", "mean_score(skmeta-10)", ">=",
                     "mean_score(rs-20-cheap)"),),
             systems=("skmeta-10", "rs-20-cheap"), scopes=("regression",)),
        Line("no pair where skmeta-10's R^2 is more than 0.1 below the constant's "
             "while rs-20-cheap's is above it"
             "{collapsed_pairs_listed(skmeta-10, rs-20-cheap)}",
             (Target("collapses", "collapsed_pairs(skmeta-10, rs-20-cheap)", "<=", 0),),
             systems=("skmeta-10", "rs-20-cheap"), scopes=("regression",)),
    ), unavailable="needs skmeta-10 and rs-20-cheap on regression pairs"),
    Section("Baselines of issue 24 (item 4): does the meta-feature prior pay?", (
        _against_baselines(10), _against_baselines(1),
    )),
    Section("Targets of issue 24 (regression as strong as classification)", (
        Line("regression: skmeta-10 vs rs-20-cheap: mean rank {mean_rank(skmeta-10):.2f} "
             "vs {mean_rank(rs-20-cheap):.2f} ({rank_gain(skmeta-10, rs-20-cheap):+.2f}) "
             "[{passed[rank]}], normalized {mean_normalized(skmeta-10):.3f} vs "
             "{mean_normalized(rs-20-cheap):.3f} "
             "({normalized_gain(skmeta-10, rs-20-cheap):+.3f}) [{passed[score]}], "
             "mean R^2 {mean_score(skmeta-10):.3f} vs {mean_score(rs-20-cheap):.3f} "
             "({score_gain(skmeta-10, rs-20-cheap):+.3f}) [{passed[r2]}] "
             "(needs all three better)",
             (Target("rank", "mean_rank(skmeta-10)", "<", "mean_rank(rs-20-cheap)"),
              Target("score", "mean_normalized(skmeta-10)", ">",
                     "mean_normalized(rs-20-cheap)"),
              Target("r2", "mean_score(skmeta-10)", ">", "mean_score(rs-20-cheap)")),
             systems=("skmeta-10", "rs-20-cheap"), scopes=("regression",)),
        Line("the search adds: skmeta-10 minus its zero-shot pick skmeta-1, normalized: "
             "regression {normalized_gain_in(skmeta-10, skmeta-1, regression):+.3f}, "
             "classification {normalized_gain_in(skmeta-10, skmeta-1, classification):+.3f} "
             "(needs regression's >= classification's)",
             (Target("adds", "normalized_gain_in(skmeta-10, skmeta-1, regression)", ">=",
                     "normalized_gain_in(skmeta-10, skmeta-1, classification)"),),
             systems=("skmeta-10", "skmeta-1")),
        Line("{scope}: zero-shot skmeta-1 vs hgb-default: normalized "
             "{mean_normalized(skmeta-1):.3f} vs {mean_normalized(hgb-default):.3f} "
             "({normalized_gain(skmeta-1, hgb-default):+.3f}, needs above) "
             "[{passed[score]}], median wall {median_seconds(skmeta-1):.2f} vs "
             "{median_seconds(hgb-default):.2f} s (ratio of medians "
             "{median_seconds_ratio(skmeta-1, hgb-default):.2f}, per-pair median "
             "{per_pair_seconds_ratio(skmeta-1, hgb-default):.2f}; needs <= 1.0) "
             "[{passed[wall]}]",
             (Target("score", "mean_normalized(skmeta-1)", ">",
                     "mean_normalized(hgb-default)"),
              Target("wall", "median_seconds_ratio(skmeta-1, hgb-default)", "<=", 1.0)),
             systems=("skmeta-1", "hgb-default"),
             scopes=FAMILIES + tuple(f"regression {size}" for size, _, _ in SIZE_CLASSES)
             + ("classification > 5,000 rows",)),
    )),
    Section("Earlier targets", (
        Line("skmeta-10 beats rs-30: normalized {mean_normalized(skmeta-10):.3f} vs "
             "{mean_normalized(rs-30):.3f} ({normalized_gain(skmeta-10, rs-30):+.3f}), "
             "rank {mean_rank(skmeta-10):.2f} vs {mean_rank(rs-30):.2f} "
             "({rank_gain(skmeta-10, rs-30):+.2f}), median seconds "
             "{median_seconds(skmeta-10):.1f} vs {median_seconds(rs-30):.1f} "
             "(ratio {median_seconds_ratio(skmeta-10, rs-30):.2f}, needs < 0.5)",
             (Target("score", "mean_normalized(skmeta-10)", ">",
                     "mean_normalized(rs-30)"),
              Target("rank", "mean_rank(skmeta-10)", "<", "mean_rank(rs-30)"),
              Target("wall", "median_seconds_ratio(skmeta-10, rs-30)", "<", 0.5)),
             systems=("skmeta-10", "rs-30")),
        Line("zero-shot skmeta-1 beats the defaults: normalized "
             "{mean_normalized(skmeta-1):.3f} vs hgb "
             "{mean_normalized(hgb-default):.3f} "
             "({normalized_gain(skmeta-1, hgb-default):+.3f}), rf "
             "{mean_normalized(rf-default):.3f} "
             "({normalized_gain(skmeta-1, rf-default):+.3f})",
             (Target("score", "mean_normalized(skmeta-1)", ">",
                     "max_mean_normalized(hgb-default, rf-default)"),),
             systems=("skmeta-1", "hgb-default", "rf-default")),
        Line("warm start beats cold start at 10 evaluations: normalized "
             "{mean_normalized(skmeta-10):.3f} vs {mean_normalized(cold-10):.3f} "
             "({normalized_gain(skmeta-10, cold-10):+.3f}); rank "
             "{mean_rank(skmeta-10):.2f} vs {mean_rank(cold-10):.2f}",
             (Target("score", "mean_normalized(skmeta-10)", ">",
                     "mean_normalized(cold-10)"),),
             systems=("skmeta-10", "cold-10")),
        Line("median evaluations for skmeta-10 to reach 99% of rs-30's best CV score: "
             "{median_evaluations_to_reach(skmeta-10, rs-30):g} (target <= 3; over "
             "{pairs_compared(skmeta-10, rs-30)} pairs, never within 10: "
             "{never_reached(skmeta-10, rs-30)}; cold-10: median "
             "{median_evaluations_to_reach_or_dash(cold-10, rs-30)})",
             (Target("evaluations", "median_evaluations_to_reach(skmeta-10, rs-30)",
                     "<=", 3),),
             systems=("skmeta-10", "rs-30")),
    )),
)
