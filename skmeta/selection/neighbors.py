"""Nearest datasets in a scaled meta-feature space.

Meta-features live on very different scales (row counts, entropies, fit
seconds), with heavy tails and undefined (NaN) values. :class:`MetaFeatureScaler`
maps them to a space where Euclidean distance is meaningful: a signed log for
heavy-tailed columns, then centring on the median and scaling by the
interquartile range, clipped so that one extreme value cannot dominate, with
NaN replaced by the median (0 after centring).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from skmeta.selection.forest_arrays import prefixed, unprefixed

__all__ = ["MetaFeatureScaler", "NearestDatasets"]

_CLIP = 5.0


class MetaFeatureScaler:
    """Robust scaling of a meta-feature table, fitted on the known datasets.

    Columns that are constant or entirely missing on the fitted table are
    dropped; the remaining ones are transformed in the same order for new
    datasets, whatever order their columns come in.

    Examples
    --------
    >>> import pandas as pd
    >>> from skmeta.selection import MetaFeatureScaler
    >>> table = pd.DataFrame({"n_rows": [100, 1000, 10000], "const": [1, 1, 1]})
    >>> scaler = MetaFeatureScaler().fit(table)
    >>> scaler.columns_
    ['n_rows']
    >>> scaler.transform(table).round(2).ravel().tolist()
    [-1.0, 0.0, 1.0]
    """

    def fit(self, table):
        table = table.astype(float)
        spread = table.max() - table.min()
        self.columns_ = [c for c in table.columns if np.isfinite(spread[c]) and spread[c] > 0]
        values = table[self.columns_].to_numpy()
        # Heavy-tailed (e.g. counts): compress with a signed log before scaling.
        self.log_columns_ = np.nanmax(np.abs(values), axis=0) > 100
        values = self._log(values)
        if values.shape[1] == 0:  # a single dataset, or all columns constant
            self.median_ = self.scale_ = np.zeros(0)
            return self
        self.median_ = np.nanmedian(values, axis=0)
        q75, q25 = np.nanpercentile(values, [75, 25], axis=0)
        scale = q75 - q25
        fallback = np.nanstd(values, axis=0)
        scale = np.where(scale > 0, scale, np.where(fallback > 0, fallback, 1.0))
        self.scale_ = scale
        return self

    def _log(self, values):
        values = values.copy()
        logged = values[:, self.log_columns_]
        values[:, self.log_columns_] = np.sign(logged) * np.log1p(np.abs(logged))
        return values

    def to_arrays(self):
        """The fitted state as a JSON-able header and numpy arrays.

        Returns
        -------
        header : dict
            ``{"columns": columns_}``.
        arrays : dict of str to ndarray
            ``log_columns``, ``median`` and ``scale``.

        Examples
        --------
        >>> import pandas as pd
        >>> from skmeta.selection import MetaFeatureScaler
        >>> table = pd.DataFrame({"n_rows": [100, 1000, 10000], "a": [0, 1, 3]})
        >>> scaler = MetaFeatureScaler().fit(table)
        >>> copy = MetaFeatureScaler.from_arrays(*scaler.to_arrays())
        >>> bool((copy.transform(table) == scaler.transform(table)).all())
        True
        """
        header = {"columns": [str(c) for c in self.columns_]}
        arrays = {"log_columns": np.asarray(self.log_columns_, bool),
                  "median": np.asarray(self.median_, np.float64),
                  "scale": np.asarray(self.scale_, np.float64)}
        return header, arrays

    @classmethod
    def from_arrays(cls, header, arrays):
        """A fitted scaler from :meth:`to_arrays`'s output.

        Raises
        ------
        ValueError
            If the arrays do not have one entry per column.
        """
        scaler = cls()
        scaler.columns_ = list(header["columns"])
        n = len(scaler.columns_)
        scaler.log_columns_ = np.asarray(arrays["log_columns"], bool)
        scaler.median_ = np.asarray(arrays["median"], np.float64)
        scaler.scale_ = np.asarray(arrays["scale"], np.float64)
        if n and any(len(getattr(scaler, a)) != n
                     for a in ("log_columns_", "median_", "scale_")):
            raise ValueError(f"the scaler's arrays must have one entry per column ({n}).")
        return scaler

    def transform(self, table):
        """Scaled values, shape (n_datasets, n_columns); NaN becomes 0."""
        if isinstance(table, pd.Series):
            table = table.to_frame().T
        table = table.reindex(columns=self.columns_).astype(float)
        values = (self._log(table.to_numpy()) - self.median_) / self.scale_
        values = np.clip(values, -_CLIP, _CLIP)
        return np.nan_to_num(values, nan=0.0)


class NearestDatasets:
    """Find the stored datasets most similar to a new one.

    Parameters
    ----------
    n_neighbors : int, default=5

    Attributes
    ----------
    dataset_ids_ : list of str
    scaler_ : MetaFeatureScaler

    Examples
    --------
    >>> import pandas as pd
    >>> from skmeta.selection import NearestDatasets
    >>> table = pd.DataFrame({"a": [0.0, 1.0, 10.0], "b": [0.0, 1.0, 5.0]},
    ...                      index=["small", "medium", "large"])
    >>> nearest = NearestDatasets(n_neighbors=2).fit(table)
    >>> nearest.kneighbors(pd.Series({"a": 0.2, "b": 0.1}))[0]
    ['small', 'medium']
    """

    def __init__(self, n_neighbors=5):
        self.n_neighbors = n_neighbors

    def fit(self, table):
        if len(table) == 0:
            raise ValueError("no datasets to find neighbours among.")
        self.dataset_ids_ = list(table.index)
        self.scaler_ = MetaFeatureScaler().fit(table)
        self.points_ = self.scaler_.transform(table)
        return self

    def to_arrays(self):
        """The fitted state as a JSON-able header and numpy arrays.

        Returns
        -------
        header : dict
            ``n_neighbors``, ``dataset_ids`` and the scaler's header.
        arrays : dict of str to ndarray
            ``points`` (the scaled stored datasets) and the scaler's arrays
            (``scaler/...``).

        Examples
        --------
        >>> import pandas as pd
        >>> from skmeta.selection import NearestDatasets
        >>> table = pd.DataFrame({"a": [0.0, 1.0, 10.0]}, index=["x", "y", "z"])
        >>> nearest = NearestDatasets(n_neighbors=2).fit(table)
        >>> copy = NearestDatasets.from_arrays(*nearest.to_arrays())
        >>> copy.kneighbors(pd.Series({"a": 0.2}))[0]
        ['x', 'y']
        """
        scaler_header, scaler_arrays = self.scaler_.to_arrays()
        header = {"n_neighbors": int(self.n_neighbors),
                  "dataset_ids": [str(i) for i in self.dataset_ids_],
                  "scaler": scaler_header}
        arrays = {"points": np.asarray(self.points_, np.float64),
                  **prefixed("scaler", scaler_arrays)}
        return header, arrays

    @classmethod
    def from_arrays(cls, header, arrays):
        """A fitted NearestDatasets from :meth:`to_arrays`'s output.

        Raises
        ------
        ValueError
            If the points do not have one row per dataset and one column per
            scaled meta-feature.
        """
        nearest = cls(n_neighbors=header["n_neighbors"])
        nearest.dataset_ids_ = list(header["dataset_ids"])
        nearest.scaler_ = MetaFeatureScaler.from_arrays(header["scaler"],
                                                        unprefixed("scaler", arrays))
        nearest.points_ = np.asarray(arrays["points"], np.float64)
        shape = (len(nearest.dataset_ids_), len(nearest.scaler_.columns_))
        if nearest.points_.shape != shape:
            raise ValueError(f"the points must have the shape {shape}, not "
                             f"{nearest.points_.shape}.")
        return nearest

    def distances(self, metafeatures):
        """Distance from one dataset's meta-features to every stored dataset."""
        point = self.scaler_.transform(metafeatures)[0]
        width = max(len(point), 1)
        return np.sqrt(((self.points_ - point) ** 2).sum(axis=1) / width)

    def kneighbors(self, metafeatures, n_neighbors=None, exclude=()):
        """The nearest dataset ids and their distances, nearest first.

        Parameters
        ----------
        metafeatures : Series
            The new dataset's meta-features.
        n_neighbors : int, optional
            Defaults to ``self.n_neighbors``.
        exclude : collection of str
            Dataset ids to leave out (e.g. the dataset itself).

        Returns
        -------
        ids : list of str
        distances : ndarray
        """
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        distances = self.distances(metafeatures)
        excluded = set(exclude)
        order = [i for i in np.argsort(distances, kind="stable")
                 if self.dataset_ids_[i] not in excluded][:k]
        return [self.dataset_ids_[i] for i in order], distances[order]
