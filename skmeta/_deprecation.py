"""Names renamed for one release: the old name still works, with a warning.

- A parameter (scikit-learn's pattern): the new parameter takes the default,
  the old one stays in ``__init__`` with the default ``"deprecated"``, and the
  estimator reads the value through :func:`renamed_parameter` where it uses
  it (in ``fit``).
- A module attribute: the module's ``__getattr__`` (PEP 562) is
  :func:`renamed_attributes`.

Every old name is deprecated in 0.2 and removed in 0.3.
"""

from __future__ import annotations

import inspect
import sys
import warnings

__all__ = ["DEPRECATED", "renamed_attributes", "renamed_parameter"]

#: The default of a renamed parameter's old name: "not given".
DEPRECATED = "deprecated"


def renamed_parameter(estimator, old, new, *, stacklevel=3):
    """The value of parameter ``new``, or of the deprecated ``old`` when given.

    Parameters
    ----------
    estimator : BaseEstimator
        Holds both parameters; a ``new`` that differs from its default in
        ``__init__`` was given.
    old, new : str
        The parameter's old and new names.
    stacklevel : int, default=3
        Of the warning; 3 points at the caller of the method that calls this.

    Returns
    -------
    object
        ``old``'s value, with a :class:`FutureWarning`, when it was given;
        else ``new``'s.

    Raises
    ------
    ValueError
        If both were given.

    Examples
    --------
    >>> import warnings
    >>> from skmeta import MetaClassifier
    >>> from skmeta._deprecation import renamed_parameter
    >>> clf = MetaClassifier(proposals_per_step=3)
    >>> renamed_parameter(clf, "batch_size", "proposals_per_step")
    3
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     renamed_parameter(MetaClassifier(batch_size=4), "batch_size",
    ...                       "proposals_per_step")
    4
    >>> print(caught[0].message)
    `batch_size` was renamed to `proposals_per_step` in 0.2 and will be removed in 0.3; ...
    """
    old_value, new_value = getattr(estimator, old), getattr(estimator, new)
    if isinstance(old_value, str) and old_value == DEPRECATED:
        return new_value
    default = inspect.signature(type(estimator).__init__).parameters[new].default
    if new_value != default:
        raise ValueError(
            f"`{old}` is the deprecated name of `{new}`: give `{new}` only "
            f"(got {old}={old_value!r} and {new}={new_value!r})."
        )
    warnings.warn(
        f"`{old}` was renamed to `{new}` in 0.2 and will be removed in 0.3; "
        f"use `{new}`.",
        FutureWarning, stacklevel=stacklevel,
    )
    return old_value


def renamed_attributes(module, renames):
    """A module's ``__getattr__`` (PEP 562) that serves renamed attributes.

    Parameters
    ----------
    module : str
        The module's ``__name__``.
    renames : dict
        Old name -> new name, both attributes of ``module``.

    Returns
    -------
    callable
        To assign to the module's ``__getattr__``: an old name gives the new
        attribute and a ``FutureWarning``; any other unknown name the usual
        ``AttributeError``.

    Examples
    --------
    >>> import warnings
    >>> from skmeta._deprecation import renamed_attributes
    >>> __getattr__ = renamed_attributes("skmeta.guard", {"MARGINS": "OVERSHOOTS"})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     old = __getattr__("MARGINS")
    >>> str(caught[0].message)
    'skmeta.guard.MARGINS was renamed to OVERSHOOTS in 0.2 and will be removed in 0.3.'
    """

    def __getattr__(name):
        if name not in renames:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        warnings.warn(f"{module}.{name} was renamed to {renames[name]} in 0.2 and will "
                      "be removed in 0.3.", FutureWarning, stacklevel=2)
        return getattr(sys.modules[module], renames[name])

    return __getattr__
