"""Naming, describing and summarizing meta-features.

A group module lists its measures as :class:`Measure` entries. A measure
with ``summarized=True`` is computed once per feature (or per pair of
features, per class pair, ...) and enters the meta-feature vector as the
seven summaries of :data:`SUMMARIES`, named ``<measure>.<summary>``, so the
vector has a fixed length whatever the number of features.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

#: The summaries of a per-feature measure, in output order.
SUMMARIES = ("mean", "sd", "min", "q25", "median", "q75", "max")

_SUMMARY_TEXT = {
    "mean": "mean",
    "sd": "standard deviation (ddof=1)",
    "min": "minimum",
    "q25": "first quartile",
    "median": "median",
    "q75": "third quartile",
    "max": "maximum",
}

CLASSIFICATION = ("binary", "multiclass")


class Measure(NamedTuple):
    """One documented measure of a group.

    ``tasks`` is ``"all"``, ``"classification"`` or ``"regression"``;
    ``summaries`` lists the summaries a per-feature measure is reported with
    (empty for a single value).
    """

    name: str
    tasks: str
    description: str
    summaries: tuple = ()

    def applies_to(self, task):
        if self.tasks == "all":
            return True
        if self.tasks == "classification":
            return task in CLASSIFICATION
        return task == self.tasks

    def expand(self):
        """The (name, description) rows of this measure."""
        if not self.summaries:
            return [(self.name, self.description)]
        return [
            (f"{self.name}.{s}", f"{_SUMMARY_TEXT[s]} of: {self.description}")
            for s in self.summaries
        ]


def per_feature(name, tasks, description):
    """A measure reported with all seven :data:`SUMMARIES`."""
    return Measure(name, tasks, description, SUMMARIES)


def describe_measures(measures, task):
    """The (name, description) rows of ``measures`` that apply to ``task``."""
    rows = []
    for measure in measures:
        if measure.applies_to(task):
            rows.extend(measure.expand())
    return rows


def summarize(name, values, summaries=SUMMARIES):
    """Summarize per-feature values into ``{"<name>.<summary>": float}``.

    Undefined values (NaN or infinite) are left out; a summary of no value is
    NaN, and so is the standard deviation of a single value.

    Examples
    --------
    >>> from skmeta.metafeatures._summary import summarize
    >>> summarize("x", [1.0, 2.0, float("nan"), 3.0, 4.0])["x.median"]
    2.5
    """
    values = np.asarray(values, dtype=float).ravel()
    values = values[np.isfinite(values)]
    out = dict.fromkeys((f"{name}.{s}" for s in summaries), np.nan)
    if values.size == 0:
        return out
    quartiles = _quartiles(np.sort(values))
    computed = {
        "mean": values.mean(),
        "sd": values.std(ddof=1) if values.size > 1 else np.nan,
        "min": quartiles[0],
        "q25": quartiles[1],
        "median": quartiles[2],
        "q75": quartiles[3],
        "max": quartiles[4],
    }
    for s in summaries:
        out[f"{name}.{s}"] = float(computed[s])
    return out


_QUARTILES = np.array([0.0, 0.25, 0.5, 0.75, 1.0])


def _quartiles(ordered):
    """``np.percentile(ordered, [0, 25, 50, 75, 100])`` of sorted values."""
    return sorted_quantiles(ordered[:, None], _QUARTILES, np.array([len(ordered)]))[:, 0]


def sorted_quantiles(ordered, q, n_observed):
    """Quantiles ``q`` of each column of ``ordered``, sorted along axis 0.

    Column ``j``'s values are its first ``n_observed[j]`` rows (NaNs sort
    last); a column without values gives garbage, to be masked by the caller.
    numpy's linear method, operation for operation (the same values as
    ``np.quantile``), without its general machinery, which costs more than the
    sort on a few values.
    """
    last = np.maximum(n_observed - 1, 0)
    virtual = (n_observed - 1) * np.asarray(q, dtype=float)[:, None]
    below = np.floor(virtual)
    gamma = virtual - below
    below = np.minimum(below.astype(np.intp), last)
    low = np.take_along_axis(ordered, np.maximum(below, 0), axis=0)
    high = np.take_along_axis(ordered, np.minimum(below + 1, last), axis=0)
    difference = high - low
    return np.where(gamma >= 0.5, high - difference * (1 - gamma),
                    low + difference * gamma)


def entropy_bits(counts):
    """Shannon entropy (base 2) of a vector of counts."""
    counts = np.asarray(counts, dtype=float)
    counts = counts[counts > 0]
    if counts.size == 0:
        return np.nan
    p = counts / counts.sum()
    return float(-(p * np.log2(p)).sum())


def skewness_kurtosis(x):
    """Skewness and excess kurtosis of each column of ``x``, ignoring NaN.

    Type 3 estimators of Joanes and Gill (1998), the default of R's e1071 and
    of pymfe: ``m3 / s**3`` and ``m4 / s**4 - 3`` with ``m_k`` the biased
    central moments and ``s`` the standard deviation with ``ddof=1``. NaN for
    a column with fewer than two values or no spread.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    count = np.sum(~np.isnan(x), axis=0)
    with np.errstate(all="ignore"):
        mean = np.nansum(x, axis=0) / count
        centered = x - mean
        squared = centered * centered
        m2 = np.nansum(squared, axis=0) / count
        m3 = np.nansum(squared * centered, axis=0) / count
        m4 = np.nansum(squared * squared, axis=0) / count
        var = m2 * count / (count - 1)
        spread = np.fmax.reduce(x, axis=0) > np.fmin.reduce(x, axis=0)
        defined = (count > 1) & spread & (var > 0)
        skew = np.where(defined, m3 / var**1.5, np.nan)
        kurt = np.where(defined, m4 / var**2 - 3.0, np.nan)
    return skew, kurt
