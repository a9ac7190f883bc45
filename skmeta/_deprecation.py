"""Parameters renamed for one release: the old name still works, with a warning.

scikit-learn's pattern: the new parameter takes the default, the old one stays
in ``__init__`` with the default ``"deprecated"``, and the estimator reads
the value through :func:`renamed_parameter` where it uses it (in ``fit``).
"""

from __future__ import annotations

import inspect
import warnings

__all__ = ["DEPRECATED", "renamed_parameter"]

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
