"""A strategy configuration as stored: plain JSON values and their key.

A configuration maps hyperparameter names to JSON scalars (or flat lists of
them); it is stored as canonical JSON (sorted keys, no spaces), and
:func:`config_key` hashes that text, so equal hyperparameters have equal
keys whatever their order.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers

import numpy as np

from skmeta.knowledge.limits import (
    _INT64_MAX,
    _INT64_MIN,
    MAX_CONFIG_ITEMS,
    MAX_CONFIG_STRING_LENGTH,
    MAX_NAME_LENGTH,
    _check_int,
    _check_key,
    _check_size,
    _describe,
)

__all__ = ["CONFIG_KEY_LENGTH", "config_key"]

#: Length of :func:`config_key` (hexadecimal digits of a SHA-256 digest).
CONFIG_KEY_LENGTH = 16

# One encoder for every canonical dump: sorted keys, no spaces, no NaN.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)
_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _fast_canonical_encoder():
    # The C encoder called directly skips JSONEncoder's Python wrappers, which
    # cost as much as the encoding itself for small configs (bulk imports).
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return _CANONICAL.encode

    def default(value):
        raise TypeError(f"{type(value).__name__} is not JSON serializable")

    encode = make(None, default, json.encoder.encode_basestring, None, ":", ",",
                  True, False, False)
    return lambda config: "".join(encode(config, 0))


_canonical_encode = _fast_canonical_encoder()

def _scalar(value, name):
    """A JSON scalar hyperparameter value, numpy scalars turned into Python ones."""
    kind = type(value)
    if kind is str:
        if len(value) > MAX_CONFIG_STRING_LENGTH:
            raise ValueError(
                f"{name} must have at most {MAX_CONFIG_STRING_LENGTH} characters, "
                f"got {len(value)}."
            )
        return value
    if kind is bool or value is None:
        return value
    if kind is int:
        return _check_int(value, name)
    if kind is float:
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value}.")
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return _check_int(value, name)
    if isinstance(value, numbers.Real):
        return _scalar(float(value), name)
    if isinstance(value, str):
        return _scalar(str(value), name)
    raise TypeError(
        f"{name} must be a string, number, boolean or null (or a flat list of "
        f"those), got {type(value).__name__} {_describe(value)}."
    )


def _normalize_config(config, name="config"):
    """Return ``config`` as a dict of JSON scalars (or flat lists of them)."""
    if not isinstance(config, dict):
        raise TypeError(
            f"{name} must be a dict of hyperparameters, got {type(config).__name__}."
        )
    _check_size(config, name, MAX_CONFIG_ITEMS, "hyperparameters")
    normalized = {}
    for param, value in config.items():
        _check_key(param, name, "keys")
        where = f"{name}[{param!r}]"
        if isinstance(value, (list, tuple)):
            _check_size(value, where, MAX_CONFIG_ITEMS, "items")
            items = []
            for i, item in enumerate(value):
                if isinstance(item, (list, tuple, dict)):
                    raise TypeError(
                        f"{where}[{i}] is a nested {type(item).__name__}; "
                        "hyperparameter values must be scalars or flat lists."
                    )
                items.append(_scalar(item, f"{where}[{i}]"))
            normalized[param] = items
        else:
            normalized[param] = _scalar(value, where)
    return normalized


def _canonical_json(config):
    return _canonical_encode(config)


def _key_of_canonical(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:CONFIG_KEY_LENGTH]


def config_key(config):
    """Hash a configuration: equal hyperparameters, equal key.

    The key is the start of the SHA-256 digest of the configuration as
    canonical JSON (sorted keys, no spaces), so key order does not matter;
    values are compared as JSON (``1`` and ``1.0`` differ, a tuple equals the
    list with the same items).

    Parameters
    ----------
    config : dict
        Hyperparameter names to JSON scalars (str, int, float, bool, None) or
        flat lists of them; numpy scalars are accepted.

    Returns
    -------
    key : str
        16 hexadecimal digits.

    Examples
    --------
    >>> from skmeta.knowledge import config_key
    >>> a = config_key({"C": 1.0, "kernel": "rbf"})
    >>> a == config_key({"kernel": "rbf", "C": 1.0})
    True
    >>> len(config_key({}))
    16
    """
    return _key_of_canonical(_canonical_json(_normalize_config(config)))


def _fast_config_text(config):
    """Canonical JSON of a config of plain Python scalars, or None if not plain."""
    if type(config) is not dict or len(config) > MAX_CONFIG_ITEMS:
        return None
    for param, value in config.items():
        if type(param) is not str or not 0 < len(param) <= MAX_NAME_LENGTH:
            return None
        kind = type(value)
        if kind is float or kind is bool or value is None:
            continue  # the encoder refuses NaN and infinities
        if kind is str:
            if len(value) > MAX_CONFIG_STRING_LENGTH:
                return None
        elif kind is not int or not _INT64_MIN <= value <= _INT64_MAX:
            return None
    try:
        return _canonical_encode(config)
    except ValueError:
        return None
