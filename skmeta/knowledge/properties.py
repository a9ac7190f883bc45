"""Properties: small named JSON values a knowledge base keeps beside its records.

What is learned from the evaluations (e.g. the adjuster settings), rather
than evaluations themselves. A property is plain JSON data of bounded size:
:func:`property_row` checks a name and a value and gives the stored row.
"""

from __future__ import annotations

import json
import math
import numbers

import numpy as np

from skmeta.knowledge.configs import _CANONICAL, _COMPACT
from skmeta.knowledge.limits import MAX_NAME_LENGTH, _check_int, _check_name, _describe

__all__ = [
    "MAX_PROPERTY_BYTES",
    "MAX_PROPERTY_DEPTH",
    "MAX_PROPERTY_NAME_LENGTH",
    "MAX_PROPERTY_STRING_LENGTH",
    "property_row",
    "same_property_value",
]

#: Longest property name.
MAX_PROPERTY_NAME_LENGTH = MAX_NAME_LENGTH
#: Longest string (value or object key) inside a property value.
MAX_PROPERTY_STRING_LENGTH = 1_000
#: Deepest nesting of objects and lists in a property value (a flat object is 1).
MAX_PROPERTY_DEPTH = 4
#: Largest property value, in bytes of compact UTF-8 JSON.
MAX_PROPERTY_BYTES = 100_000


def _property_value(value, root, where, depth, nodes):
    """``value`` as plain JSON data (numpy scalars become Python ones).

    ``root`` names the property, ``where`` the place inside it; ``depth``
    counts the containers around ``value`` and ``nodes`` (a one-item list)
    the values seen so far, to stop early on a value too large to keep.
    """
    nodes[0] += 1
    if nodes[0] > MAX_PROPERTY_BYTES:  # every value takes at least one byte
        raise ValueError(
            f"{root} is larger than {MAX_PROPERTY_BYTES} bytes as JSON; store "
            "small settings and summaries, not data."
        )
    kind = type(value)
    if isinstance(value, str):
        if len(value) > MAX_PROPERTY_STRING_LENGTH:
            raise ValueError(
                f"{where} must have at most {MAX_PROPERTY_STRING_LENGTH} "
                f"characters, got {len(value)}."
            )
        return str(value)
    if value is None or kind is bool:
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return _check_int(value, where)
    if isinstance(value, numbers.Real):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"{where} must be a finite number, got {value}.")
        return value
    if isinstance(value, (dict, list, tuple)):
        if depth >= MAX_PROPERTY_DEPTH:
            raise ValueError(
                f"{root} is nested deeper than {MAX_PROPERTY_DEPTH} levels "
                f"(at {where})."
            )
        if isinstance(value, dict):
            normalized = {}
            for key, item in value.items():
                if not isinstance(key, str):
                    raise TypeError(
                        f"{where} keys must be strings, got {_describe(key)}."
                    )
                if len(key) > MAX_PROPERTY_STRING_LENGTH:
                    raise ValueError(
                        f"{where} keys must have at most "
                        f"{MAX_PROPERTY_STRING_LENGTH} characters, got {len(key)}."
                    )
                normalized[str(key)] = _property_value(
                    item, root, f"{where}[{key!r}]", depth + 1, nodes)
            return normalized
        return [_property_value(item, root, f"{where}[{i}]", depth + 1, nodes)
                for i, item in enumerate(value)]
    raise TypeError(
        f"{where} must be an object, list, string, number, boolean or null, got "
        f"{type(value).__name__} {_describe(value)}."
    )


def property_row(name, value):
    """Validate a property and return its table row ``(name, value_json)``.

    Parameters
    ----------
    name : str
        A non-empty string of at most 200 characters.
    value : JSON-able
        Dicts with string keys, lists (or tuples), strings of at most 1,000
        characters, finite numbers, booleans and None; containers nested at
        most :data:`MAX_PROPERTY_DEPTH` levels, at most
        :data:`MAX_PROPERTY_BYTES` bytes as compact JSON. Numpy scalars are
        accepted and stored as Python numbers.

    Raises
    ------
    TypeError, ValueError
        Naming the place of the problem, e.g. ``properties['x']['a']``.

    Examples
    --------
    >>> from skmeta.knowledge.properties import property_row
    >>> property_row("settings", {"temperature": 0.1, "sizes": (1, 2)})
    ('settings', '{"temperature":0.1,"sizes":[1,2]}')
    >>> property_row("settings", {"temperature": float("nan")})
    Traceback (most recent call last):
    ...
    ValueError: properties['settings']['temperature'] must be a finite number, got nan.
    """
    name = _check_name(name, "property name", MAX_PROPERTY_NAME_LENGTH)
    root = f"properties[{name!r}]"
    normalized = _property_value(value, root, root, 0, [0])
    text = _COMPACT.encode(normalized)
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise ValueError(
            f"{root} holds text that is not valid Unicode (a lone surrogate)."
        ) from None
    if size > MAX_PROPERTY_BYTES:
        raise ValueError(
            f"{root} is {size} bytes as JSON, more than {MAX_PROPERTY_BYTES}; store "
            "small settings and summaries, not data."
        )
    return name, text


def same_property_value(text_a, text_b):
    """Whether two stored property values are equal as JSON.

    Key order does not matter; types do (``1``, ``1.0`` and ``true`` differ).
    """
    if text_a == text_b:
        return True
    return _CANONICAL.encode(json.loads(text_a)) == _CANONICAL.encode(
        json.loads(text_b))
