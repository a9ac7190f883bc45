"""Old names of renamed module attributes, served for one release with a warning.

Examples
--------
>>> import warnings
>>> from skmeta._deprecation import renamed_attributes
>>> __getattr__ = renamed_attributes("skmeta.guard", {"MARGINS": "OVERSHOOTS"})
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     old = __getattr__("MARGINS")
>>> str(caught[0].message)
'skmeta.guard.MARGINS was renamed to OVERSHOOTS in 0.1 and will be removed in 0.2.'
"""

import sys
import warnings

__all__ = ["renamed_attributes"]


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
    """

    def __getattr__(name):
        if name not in renames:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        warnings.warn(f"{module}.{name} was renamed to {renames[name]} in 0.1 and will "
                      "be removed in 0.2.", FutureWarning, stacklevel=2)
        return getattr(sys.modules[module], renames[name])

    return __getattr__
