"""Hyperparameter spaces: typed dimensions and the space they span.

A :class:`Space` maps hyperparameter names to dimensions. Every dimension can
draw a random value, and maps values to and from the unit interval, so that a
whole configuration becomes a vector in ``[0, 1]^d``: the normalized space in
which the strategy adjuster takes gradient steps. Values are always plain
Python objects (``float``, ``int``, ``str``, ``bool`` or ``None``), so that
configurations are JSON-serializable and can be stored in a knowledge base.
"""

from __future__ import annotations

import math
import numbers
from abc import ABC, abstractmethod

import numpy as np

__all__ = ["Categorical", "Dimension", "Integer", "LogUniform", "Space", "Uniform"]

_PLAIN_TYPES = (str, bool, int, float, type(None))


def _as_generator(rng):
    """A numpy Generator from a seed, a Generator or a legacy RandomState."""
    if isinstance(rng, np.random.RandomState):
        return np.random.default_rng(rng.randint(np.iinfo(np.int32).max))
    try:
        return np.random.default_rng(rng)
    except TypeError:
        raise TypeError(
            "rng must be None, an int seed or a numpy random Generator, got "
            f"{type(rng).__name__}."
        ) from None


def _clip_unit(u):
    u = float(u)
    if math.isnan(u):
        raise ValueError("a normalized value is NaN; it must lie in [0, 1].")
    return min(max(u, 0.0), 1.0)


def _as_real(value, what):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{what} must be a real number, got {value!r}.")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value!r}.")
    return value


def _as_int(value, what):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{what} must be an integer, got {value!r}.")
    if isinstance(value, numbers.Integral):
        return int(value)
    if not math.isfinite(value) or value != round(value):
        raise ValueError(f"{what} must be an integer, got {value!r}.")
    return int(value)


def _as_plain(value):
    """A numpy scalar as the equal Python scalar; other values unchanged."""
    return value.item() if isinstance(value, np.generic) else value


class Dimension(ABC):
    """Base class of one hyperparameter's range of values.

    Subclasses implement :meth:`from_unit`, :meth:`to_unit` and
    :meth:`validate`; sampling draws ``u ~ U(0, 1)`` and maps it with
    :meth:`from_unit`, so that the sampling distribution is uniform in the
    normalized space the adjuster works in.
    """

    #: Whether the dimension is ordered, so that a gradient step on its
    #: normalized value means something (False for :class:`Categorical`).
    is_continuous = True

    def sample(self, rng=None):
        """Draw one value.

        Parameters
        ----------
        rng : None, int or numpy.random.Generator
            Source of randomness; an int seeds a new generator.
        """
        return self.from_unit(_as_generator(rng).random())

    @abstractmethod
    def from_unit(self, u):
        """Map ``u`` (clipped to [0, 1]) to a value of this dimension."""

    @abstractmethod
    def to_unit(self, value):
        """Map a value to [0, 1]; values outside the range are clipped."""

    @abstractmethod
    def validate(self, value):
        """Return ``value`` as a plain Python value, or raise ValueError."""

    @abstractmethod
    def _params(self):
        """The values that make two dimensions of one type equal."""

    def __eq__(self, other):
        return type(self) is type(other) and self._params() == other._params()

    def __hash__(self):
        return hash((type(self).__name__, self._params()))


class _Interval(Dimension):
    """A real interval ``[low, high]``, mapped to [0, 1] by ``transform``."""

    def __init__(self, low, high):
        self.low = _as_real(low, "low")
        self.high = _as_real(high, "high")
        if self.low >= self.high:
            raise ValueError(
                f"low must be smaller than high, got low={low!r}, high={high!r}."
            )

    def _transform(self, x):
        return x

    def _inverse(self, t):
        return t

    def from_unit(self, u):
        u = _clip_unit(u)
        if u in (0.0, 1.0):  # exactly the bound, free of round-off
            return self.high if u else self.low
        lo, hi = self._transform(self.low), self._transform(self.high)
        value = self._inverse(lo + u * (hi - lo))
        return float(min(max(value, self.low), self.high))

    def to_unit(self, value):
        value = min(max(_as_real(value, "value"), self.low), self.high)
        lo, hi = self._transform(self.low), self._transform(self.high)
        return _clip_unit((self._transform(value) - lo) / (hi - lo))

    def validate(self, value):
        value = _as_real(value, "value")
        if not self.low <= value <= self.high:
            raise ValueError(f"{value!r} is outside [{self.low!r}, {self.high!r}]")
        return value

    def _params(self):
        return (self.low, self.high)

    def __repr__(self):
        return f"{type(self).__name__}({self.low!r}, {self.high!r})"


class Uniform(_Interval):
    """A real hyperparameter, uniform on ``[low, high]``.

    Examples
    --------
    >>> from skmeta.strategies import Uniform
    >>> dim = Uniform(0.1, 1.0)
    >>> dim.from_unit(0.5), dim.to_unit(1.0)
    (0.55, 1.0)
    """


class LogUniform(_Interval):
    """A positive real hyperparameter, uniform on a log scale over ``[low, high]``.

    Fits scale parameters such as learning rates and regularization strengths.

    Examples
    --------
    >>> from skmeta.strategies import LogUniform
    >>> dim = LogUniform(1e-3, 1e3)
    >>> dim.from_unit(0.5)
    1.0
    >>> dim.to_unit(0.1)
    0.333...
    """

    def __init__(self, low, high):
        super().__init__(low, high)
        if self.low <= 0:
            raise ValueError(f"LogUniform needs low > 0, got low={low!r}.")

    def _transform(self, x):
        return math.log(x)

    def _inverse(self, t):
        return math.exp(t)


class Integer(Dimension):
    """An integer hyperparameter in ``[low, high]``, optionally on a log scale.

    Each integer owns an equal share of [0, 1] (of ``[log(low - 1/2),
    log(high + 1/2)]`` when ``log=True``): :meth:`from_unit` rounds, and
    :meth:`to_unit` returns the integer's own position in its share, so that
    ``from_unit(to_unit(k)) == k`` exactly.

    Examples
    --------
    >>> from skmeta.strategies import Integer
    >>> dim = Integer(8, 128, log=True)
    >>> dim.from_unit(0.0), dim.from_unit(0.5), dim.from_unit(1.0)
    (8, 31, 128)
    >>> dim.from_unit(dim.to_unit(31))
    31
    """

    def __init__(self, low, high, log=False):
        self.low = _as_int(low, "low")
        self.high = _as_int(high, "high")
        if self.low >= self.high:
            raise ValueError(
                f"low must be smaller than high, got low={low!r}, high={high!r}."
            )
        if not isinstance(log, (bool, np.bool_)):
            raise ValueError(f"log must be True or False, got {log!r}.")
        self.log = bool(log)
        if self.log and self.low < 1:
            raise ValueError(f"Integer with log=True needs low >= 1, got low={low!r}.")

    def _bounds(self):
        lo, hi = self.low - 0.5, self.high + 0.5
        return (math.log(lo), math.log(hi)) if self.log else (lo, hi)

    def from_unit(self, u):
        lo, hi = self._bounds()
        t = lo + _clip_unit(u) * (hi - lo)
        value = math.exp(t) if self.log else t
        return int(min(max(math.floor(value + 0.5), self.low), self.high))

    def to_unit(self, value):
        value = min(max(_as_real(value, "value"), self.low), self.high)
        lo, hi = self._bounds()
        t = math.log(value) if self.log else value
        return _clip_unit((t - lo) / (hi - lo))

    def validate(self, value):
        value = _as_int(value, "value")
        if not self.low <= value <= self.high:
            raise ValueError(f"{value!r} is outside [{self.low}, {self.high}]")
        return value

    def _params(self):
        return (self.low, self.high, self.log)

    def __repr__(self):
        log = ", log=True" if self.log else ""
        return f"Integer({self.low}, {self.high}{log})"


class Categorical(Dimension):
    """A hyperparameter taking one of a few unordered values.

    [0, 1] is cut into ``len(choices)`` equal bins, one per choice in order.
    Choices are compared by type and value, so ``True`` and ``1`` differ.

    Parameters
    ----------
    choices : sequence of str, int, float, bool or None
        The distinct values, at least one.

    Examples
    --------
    >>> from skmeta.strategies import Categorical
    >>> dim = Categorical(["uniform", "distance"])
    >>> dim.from_unit(0.2), dim.from_unit(0.9), dim.to_unit("distance")
    ('uniform', 'distance', 0.75)
    """

    is_continuous = False

    def __init__(self, choices):
        if isinstance(choices, (str, bytes)) or not hasattr(choices, "__iter__"):
            raise ValueError(
                f"choices must be a list of values, got {type(choices).__name__}."
            )
        choices = tuple(_as_plain(c) for c in choices)
        if not choices:
            raise ValueError("choices must hold at least one value.")
        for choice in choices:
            if not isinstance(choice, _PLAIN_TYPES):
                raise ValueError(
                    "choices must be str, int, float, bool or None (JSON-"
                    f"serializable), got {choice!r} of type {type(choice).__name__}."
                )
        keys = [self._key(c) for c in choices]
        if len(set(keys)) != len(keys):
            raise ValueError(f"choices must be distinct, got {list(choices)!r}.")
        self.choices = choices

    @staticmethod
    def _key(value):
        return (type(value).__name__, value)

    def _index(self, value):
        key = self._key(_as_plain(value))
        for i, choice in enumerate(self.choices):
            if self._key(choice) == key:
                return i
        raise ValueError(f"{value!r} is not one of {list(self.choices)!r}")

    def sample(self, rng=None):
        return self.choices[int(_as_generator(rng).integers(len(self.choices)))]

    def from_unit(self, u):
        n = len(self.choices)
        return self.choices[min(int(_clip_unit(u) * n), n - 1)]

    def to_unit(self, value):
        return (self._index(value) + 0.5) / len(self.choices)

    def validate(self, value):
        return self.choices[self._index(value)]

    def _params(self):
        return tuple(self._key(c) for c in self.choices)

    def __repr__(self):
        return f"Categorical({list(self.choices)!r})"


class Space:
    """A hyperparameter space: named dimensions in a fixed order.

    The order of ``dimensions`` fixes the order of the vector coordinates.

    Parameters
    ----------
    dimensions : dict of str to Dimension, or Space, default=None
        May be empty: a strategy without hyperparameters.

    Examples
    --------
    >>> from skmeta.strategies import Categorical, Integer, LogUniform, Space
    >>> space = Space({"C": LogUniform(1e-3, 1e3),
    ...                "n_neighbors": Integer(1, 50, log=True),
    ...                "weights": Categorical(["uniform", "distance"])})
    >>> space.names
    ('C', 'n_neighbors', 'weights')
    >>> config = {"C": 1.0, "n_neighbors": 5, "weights": "distance"}
    >>> space.to_vector(config)
    array([0.5  , 0.498..., 0.75 ])
    >>> space.from_vector(space.to_vector(config)) == config
    True
    >>> space.continuous_mask
    array([ True,  True, False])
    """

    def __init__(self, dimensions=None):
        if isinstance(dimensions, Space):
            dimensions = dimensions.dimensions
        if dimensions is None:
            dimensions = {}
        if not isinstance(dimensions, dict):
            raise TypeError(
                "dimensions must be a dict of hyperparameter names to dimensions, "
                f"got {type(dimensions).__name__}."
            )
        for name, dim in dimensions.items():
            if not isinstance(name, str) or not name:
                raise TypeError(f"hyperparameter names must be strings, got {name!r}.")
            if not isinstance(dim, Dimension):
                raise TypeError(
                    f"hyperparameter {name!r} must be a Dimension (LogUniform, "
                    "Uniform, Integer or Categorical), got "
                    f"{type(dim).__name__}."
                )
        self.dimensions = dict(dimensions)

    @property
    def names(self):
        """The hyperparameter names, in vector order."""
        return tuple(self.dimensions)

    @property
    def continuous_mask(self):
        """Boolean array: which vector coordinates are ordered (not categorical)."""
        return np.array([d.is_continuous for d in self.dimensions.values()], dtype=bool)

    def sample(self, rng=None):
        """Draw a configuration: one value per dimension, in order.

        Parameters
        ----------
        rng : None, int or numpy.random.Generator
            An int gives the same configuration every time; a Generator
            continues its stream.

        Returns
        -------
        config : dict
        """
        rng = _as_generator(rng)
        return {name: dim.sample(rng) for name, dim in self.dimensions.items()}

    def validate(self, config, *, complete=False):
        """Check a configuration and return it with plain Python values.

        Parameters
        ----------
        config : dict
            Hyperparameter values; a subset of the names unless ``complete``.
        complete : bool, default=False
            Require a value for every dimension.

        Returns
        -------
        config : dict
            In the space's order.

        Raises
        ------
        ValueError
            Naming the key that is unknown, missing or out of range.
        """
        if not isinstance(config, dict):
            raise TypeError(
                f"a configuration must be a dict, got {type(config).__name__}."
            )
        unknown = [key for key in config if key not in self.dimensions]
        if unknown:
            raise ValueError(
                f"unknown hyperparameter {unknown[0]!r}; the space has "
                f"{list(self.names)}."
            )
        if complete:
            missing = [name for name in self.names if name not in config]
            if missing:
                raise ValueError(f"the configuration has no value for {missing}.")
        checked = {}
        for name, dim in self.dimensions.items():
            if name in config:
                try:
                    checked[name] = dim.validate(config[name])
                except ValueError as exc:
                    raise ValueError(f"hyperparameter {name!r}: {exc}.") from None
        return checked

    def to_vector(self, config):
        """Map a complete configuration to a vector in [0, 1]^d.

        Ordered values outside their range are clipped to it; an unknown key,
        a missing key or an unknown categorical value raises ValueError.
        """
        if not isinstance(config, dict):
            raise TypeError(
                f"a configuration must be a dict, got {type(config).__name__}."
            )
        unknown = [key for key in config if key not in self.dimensions]
        missing = [name for name in self.names if name not in config]
        if unknown or missing:
            problem = (
                f"unknown hyperparameter {unknown[0]!r}"
                if unknown
                else f"no value for {missing}"
            )
            raise ValueError(f"cannot vectorize the configuration: {problem}.")
        vector = np.empty(len(self.dimensions))
        for i, (name, dim) in enumerate(self.dimensions.items()):
            try:
                vector[i] = dim.to_unit(config[name])
            except ValueError as exc:
                raise ValueError(f"hyperparameter {name!r}: {exc}.") from None
        return vector

    def from_vector(self, vector):
        """Map a vector (clipped to [0, 1]) back to a configuration."""
        vector = np.asarray(vector, dtype=float)
        if vector.shape != (len(self.dimensions),):
            raise ValueError(
                f"the vector must have shape ({len(self.dimensions)},) for this "
                f"space, got {vector.shape}."
            )
        if np.isnan(vector).any():
            raise ValueError("the vector contains NaN.")
        return {
            name: dim.from_unit(u)
            for (name, dim), u in zip(self.dimensions.items(), vector, strict=True)
        }

    def __len__(self):
        return len(self.dimensions)

    def __iter__(self):
        return iter(self.dimensions)

    def __contains__(self, name):
        return name in self.dimensions

    def __getitem__(self, name):
        return self.dimensions[name]

    def items(self):
        return self.dimensions.items()

    def __eq__(self, other):
        return isinstance(other, Space) and list(self.items()) == list(other.items())

    def __hash__(self):
        return hash(tuple(self.items()))

    def __repr__(self):
        inner = ", ".join(f"{name!r}: {dim!r}" for name, dim in self.items())
        return f"Space({{{inner}}})"
