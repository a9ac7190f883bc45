"""Running a call in a worker process that is killed when it takes too long.

A learner stuck in compiled code cannot be interrupted from inside the
process, so time-limited evaluations run in a dedicated worker process that
is killed at the limit. Each thread that asks gets its own single-worker
loky executor, started fresh (fork + exec, never a bare ``fork`` of a process
whose threads may hold locks) and kept for the next call; after a timeout or a
crash the worker is killed and a new one is started on the next call. The
worker of a thread is started by its first call and kept; its start-up time
counts against that call's limit only when the caller asks (a deadline, such
as a fit's time budget, does not wait for a worker to start).
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import threading
import time
from concurrent.futures import TimeoutError as FutureTimeoutError
from contextlib import contextmanager

from joblib.externals.loky import ProcessPoolExecutor
from joblib.externals.loky.process_executor import BrokenProcessPool

__all__ = ["call_with_timeout", "start_up_seconds", "worker_ready"]

_local = threading.local()

# Parallelism is across evaluations: each worker runs its learner on one core.
_WORKER_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


def _ready(module):
    # Import the module of the function the worker is started for (and so
    # what it imports) before the first limited call, so that a limit
    # measures the call, not the imports.
    importlib.import_module(module)
    return os.getpid()


def _exit_with_parent(parent_pid):
    """In the worker: exit as soon as the process that started it is gone."""

    def watch():
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


@contextmanager
def _children_allowed():
    """Let a daemonic process (e.g. a dask worker) start the worker.

    multiprocessing refuses children in daemonic processes so that none is
    left behind when the daemon is terminated; loky workers exit by
    themselves when their parent dies, so the refusal does not apply here.
    """
    config = multiprocessing.current_process()._config
    daemon = config.get("daemon")
    config["daemon"] = False
    try:
        yield
    finally:
        config["daemon"] = daemon


#: Seconds the last worker took to start (a guess before the first start).
_last_start_seconds = [1.0]


def worker_ready():
    """Whether this thread has a running worker (no start-up to wait for)."""
    executor = getattr(_local, "executor", None)
    return executor is not None and getattr(_local, "pid", None) == os.getpid()


def start_up_seconds():
    """Seconds the last worker process took to start (1.0 before any)."""
    return _last_start_seconds[0]


def _executor(module):
    executor = getattr(_local, "executor", None)
    if executor is None or getattr(_local, "pid", None) != os.getpid():
        began = time.monotonic()
        with _children_allowed():
            executor = ProcessPoolExecutor(
                max_workers=1, env=_WORKER_ENV,
                initializer=_exit_with_parent, initargs=(os.getpid(),),
            )
            executor.submit(_ready, module).result()
        _last_start_seconds[0] = time.monotonic() - began
        _local.executor, _local.pid = executor, os.getpid()
    return executor


def _discard():
    executor = getattr(_local, "executor", None)
    _local.executor = None
    if executor is not None:
        executor.shutdown(wait=False, kill_workers=True)


def call_with_timeout(function, args, timeout, count_start=False):
    """Call ``function(*args)`` in a worker process, for at most ``timeout`` s.

    With ``count_start``, starting the worker (the first call of a thread,
    or the first after a timeout) counts against ``timeout``: a deadline,
    such as a fit's time budget, does not wait for it. Otherwise the limit
    is the function's own time.

    Returns
    -------
    outcome : {"ok", "timeout", "died"}
    value : object
        The function's return value when ``"ok"``, else a message.

    Examples
    --------
    >>> from skmeta._isolation import call_with_timeout
    >>> call_with_timeout(pow, (2, 10), timeout=30)
    ('ok', 1024)
    """
    began = time.monotonic()
    executor = _executor(function.__module__)
    left = timeout - (time.monotonic() - began) if count_start else timeout
    if left <= 0:
        return "timeout", (f"exceeded the time limit of {timeout:g} s while the "
                           "worker process started")
    future = executor.submit(function, *args)
    try:
        return "ok", future.result(timeout=left)
    except FutureTimeoutError:
        _discard()
        return "timeout", f"exceeded the time limit of {timeout:g} s"
    except BrokenProcessPool as exc:
        _discard()
        return "died", f"the evaluation process died: {exc}"
