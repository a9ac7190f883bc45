"""One thread per native pool (BLAS, OpenMP) inside a block, cheaply.

``threadpoolctl.threadpool_limits`` finds the loaded native libraries anew on
every call, which costs milliseconds: a search enters such a block for every
fold, so that scan was a large part of a small dataset's search. A
``ThreadpoolController`` scans once; it is made again only when modules were
imported since (a new extension may have brought its own thread pool).
"""

from __future__ import annotations

import sys
import threading

from threadpoolctl import ThreadpoolController  # a dependency of scikit-learn

__all__ = ["single_threaded"]

_LOCK = threading.Lock()
_STATE = {"controller": None, "n_modules": -1}


def _controller():
    with _LOCK:
        if _STATE["controller"] is None or _STATE["n_modules"] != len(sys.modules):
            _STATE["controller"] = ThreadpoolController()
            _STATE["n_modules"] = len(sys.modules)
        return _STATE["controller"]


def single_threaded():
    """A context manager limiting every native thread pool to one thread.

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta._threadpools import single_threaded
    >>> with single_threaded():
    ...     float(np.ones((2, 2)).dot(np.ones(2))[0])
    2.0
    """
    return _controller().limit(limits=1)
