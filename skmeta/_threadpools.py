"""Native thread pools (BLAS, OpenMP) limited inside a block, cheaply, and
the workers ``n_jobs`` may start.

``threadpoolctl.threadpool_limits`` finds the loaded native libraries anew on
every call, which costs milliseconds: a search enters such a block for every
fold, so that scan was a large part of a small dataset's search. A
``ThreadpoolController`` scans once; it is made again only when modules were
imported since (a new extension may have brought its own thread pool).
"""

from __future__ import annotations

import sys
import threading
import warnings

from joblib import cpu_count, effective_n_jobs
from threadpoolctl import ThreadpoolController  # a dependency of scikit-learn

__all__ = ["limited_threads", "single_threaded", "usable_n_jobs"]

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
    return limited_threads(1)


def limited_threads(n_threads):
    """A context manager limiting every native thread pool to ``n_threads``.

    A library such as OpenMP otherwise starts a thread per core, whatever
    else runs on the machine: on busy cores those threads wait on each other.
    """
    return _controller().limit(limits=max(int(n_threads), 1))


def usable_n_jobs(n_jobs):
    """The workers ``n_jobs`` asks for, at most the usable cores.

    ``n_jobs`` means what it means to joblib (None: 1, -1: every core). More
    workers than cores only compete for them, and starting them costs time a
    budget does not have, so the count is capped at joblib's ``cpu_count()``
    (which heeds CPU affinity and container quotas), with a warning.

    Examples
    --------
    >>> from skmeta._threadpools import usable_n_jobs
    >>> usable_n_jobs(None), usable_n_jobs(1)
    (1, 1)
    """
    wanted, cores = effective_n_jobs(n_jobs), cpu_count()
    if wanted <= cores:
        return wanted
    warnings.warn(
        f"n_jobs={n_jobs} is more than the {cores} usable cores, so {cores} "
        f"workers are used; pass n_jobs={cores} (or -1) to silence this warning.",
        UserWarning, stacklevel=3,
    )
    return cores
