"""Model files: saving, loading, and which types a ``.skops`` file may build."""

from __future__ import annotations

import functools
import importlib
import pickle
import struct
import sys
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from skmeta._atomic import atomic_path
from skmeta.cli.errors import (
    CommandError,
    _one_line,
)

#: What loading a damaged or foreign joblib/pickle file raises.
_MODEL_LOAD_ERRORS = (
    pickle.UnpicklingError, EOFError, struct.error, zlib.error, ValueError,
    KeyError, IndexError, AttributeError, ImportError, TypeError, OSError,
    OverflowError, MemoryError, RecursionError,
)


#: Printed before the command line loads a joblib file.
PICKLE_WARNING = ("{path} is a joblib file, a pickle: loading it runs code stored "
                  "in it; load only model files you trust")


def _load_model(path, *, command=None):
    """The model a file holds; ``command`` (the command line's) is warned
    on stderr before a pickle is loaded."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such model file: {path}")
    if _is_skops(path):
        model = _load_skops(path)
    else:
        if command is not None:
            print(f"skmeta {command}: warning: " + PICKLE_WARNING.format(path=path),
                  file=sys.stderr, flush=True)
        model = _load_joblib(path)
    if not hasattr(model, "predict"):
        raise CommandError(f"{path} holds a {type(model).__name__}, not a model")
    return model


def _load_joblib(path):
    import joblib

    try:
        return joblib.load(path)
    except Exception as exc:
        # Unpickling a damaged or foreign file can raise nearly anything
        # (_MODEL_LOAD_ERRORS, and OverflowError or MemoryError for a length
        # field of random bytes); whatever it is, the file is what is wrong.
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        detail = f": {detail}" if detail else ""
        raise CommandError(f"cannot load {path} as a joblib model file "
                           f"({type(exc).__name__}{detail})") from None


def _save_model(estimator, path):
    """Save a model whole, or leave ``path`` as it was."""
    if _is_skops(path):
        sio = _skops_io()
        with atomic_path(path) as temporary:
            sio.dump(_skops_ready(estimator), temporary)
    else:
        import joblib

        with atomic_path(path) as temporary:
            joblib.dump(estimator, temporary)


# skops (https://skops.readthedocs.io) stores a model as data and, on load,
# builds only the types it is told to trust. skmeta trusts, by name:
#   - the skmeta classes a fitted MetaClassifier/MetaRegressor is made of;
#   - scikit-learn classes, outside its test helpers, datasets and externals;
#   - numpy arrays, dtypes, scalars and random generators;
#   - functools.partial and the few scikit-learn functions fitted models
#     refer to (_SKOPS_FUNCTIONS); a partial is built, never called, on load.
# Anything else (e.g. os.system, or numpy.memmap, which opens files) makes the
# load fail with the list of the types it would need.

#: Modules of skmeta whose classes a saved estimator may contain.
_SKOPS_SKMETA_MODULES = ("skmeta.estimators", "skmeta.ensemble", "skmeta.dates",
                         "skmeta.guard", "skmeta.strategies.preprocessing")


#: Other skmeta classes a saved estimator may contain.
_SKOPS_SKMETA_TYPES = ("skmeta.adjust.adjuster.AdjusterSettings",
                       "skmeta._search_results.SearchScorer")


#: Functions (not types) fitted scikit-learn models refer to.
_SKOPS_FUNCTIONS = ("sklearn.utils.validation.check_array",)


#: Parts of scikit-learn that are no model: never trusted.
_SKOPS_SKLEARN_EXCLUDED = ("sklearn.datasets", "sklearn.externals",
                           "sklearn.utils._testing", "sklearn.tests")


#: An attribute holding a pandas object, stored as plain data (skops cannot
#: store pandas objects).
_FRAME_MARK = "__skmeta_pandas__"


def _is_skops(path):
    return Path(path).suffix == ".skops"


def _skops_io():
    """``skops.io``, or a clear error naming the package to install."""
    try:
        return importlib.import_module("skops.io")
    except ImportError:
        raise CommandError(
            ".skops model files need the skops package: pip install skops "
            "(or pip install 'skmeta[skops]'); or save a .joblib file"
        ) from None


def _trusted_skops_name(name):
    """Whether a model file may make skops build (or refer to) ``name``.

    Decided from the name alone: only modules skmeta imports itself
    (:func:`_import_trusted_modules`) are looked in, never a module the
    file names, since importing a module runs it.
    """
    import numpy.random

    root = name.split(".")[0]
    if name == "functools.partial" or name in _SKOPS_FUNCTIONS:
        return True
    if root not in ("skmeta", "sklearn", "numpy"):
        return False
    _import_trusted_modules()
    value = _imported_object(name)
    if not isinstance(value, type):
        return False
    module = value.__module__
    if root == "skmeta":
        return module in _SKOPS_SKMETA_MODULES or name in _SKOPS_SKMETA_TYPES
    if root == "sklearn":
        return module.startswith("sklearn.") and not module.startswith(
            _SKOPS_SKLEARN_EXCLUDED)
    # ndarray itself, not its subclasses: numpy.memmap opens files.
    return value is np.ndarray or issubclass(value, (
        np.dtype, np.generic, numpy.random.RandomState, numpy.random.Generator,
        numpy.random.BitGenerator))


@functools.cache
def _import_trusted_modules():
    """Import the modules whose types a model may hold, as skmeta names them.

    scikit-learn's own list of its public modules (``all_estimators``, as
    skops uses it) and the skmeta modules of :data:`_SKOPS_SKMETA_MODULES`;
    the modules of the types a fitted model holds are imported with them.
    """
    import numpy.random  # noqa: F401
    from sklearn.utils import all_estimators

    all_estimators()
    for module in (*_SKOPS_SKMETA_MODULES,
                   *(name.rpartition(".")[0] for name in _SKOPS_SKMETA_TYPES)):
        importlib.import_module(module)


def _imported_object(name):
    """What ``module.attribute`` names in an imported module; None otherwise.

    Looked up in the module's own namespace: a module's ``__getattr__`` may
    import more.
    """
    module_name, _, attribute = name.rpartition(".")
    module = sys.modules.get(module_name)
    return None if module is None else vars(module).get(attribute)


def _load_skops(path):
    sio = _skops_io()
    try:
        names = sio.get_untrusted_types(file=path)
    except Exception as exc:  # not a zip file, a damaged schema: skops's own errors
        raise CommandError(
            f"cannot load {path} as a skops model file ({type(exc).__name__}: "
            f"{_one_line(exc)})") from None
    refused = [name for name in names if not _trusted_skops_name(name)]
    if refused:
        raise CommandError(
            f"{path} holds types skmeta does not trust: {', '.join(refused)}; "
            "if you trust the file's source, load it in Python with "
            "skops.io.load(path, trusted=[...])"
        )
    try:
        model = sio.load(path, trusted=names)
    except Exception as exc:
        raise CommandError(
            f"cannot load {path} as a skops model file ({type(exc).__name__}: "
            f"{_one_line(exc)})") from None
    try:
        return _restore_pandas(model)
    except (KeyError, TypeError, ValueError) as exc:
        raise CommandError(
            f"cannot load {path}: a table it holds is malformed "
            f"({type(exc).__name__}: {_one_line(exc)})") from None


def _skops_ready(estimator):
    """A shallow copy of ``estimator`` whose pandas attributes are plain data."""
    import copy

    ready = copy.copy(estimator)
    for name, value in vars(estimator).items():
        if isinstance(value, pd.DataFrame):
            setattr(ready, name, {
                _FRAME_MARK: "DataFrame",
                "columns": [str(c) for c in value.columns],
                "index": value.index.tolist(),
                "data": {str(c): value[c].tolist() for c in value.columns},
                "dtypes": {str(c): str(value[c].dtype) for c in value.columns},
            })
        elif isinstance(value, pd.Series):
            setattr(ready, name, {
                _FRAME_MARK: "Series", "name": value.name,
                "index": value.index.tolist(), "data": value.tolist(),
                "dtype": str(value.dtype),
            })
    return ready


def _restore_pandas(model):
    """Undo :func:`_skops_ready` on a loaded model."""
    for name, value in list(vars(model).items()):
        if not (isinstance(value, dict) and value.get(_FRAME_MARK)):
            continue
        if value[_FRAME_MARK] == "DataFrame":
            frame = pd.DataFrame(value["data"], columns=value["columns"],
                                 index=value["index"])
            restored = frame.astype(value["dtypes"])
        else:
            restored = pd.Series(value["data"], index=value["index"],
                                 name=value["name"], dtype=value["dtype"])
        setattr(model, name, restored)
    return model


def _model_features(model, frame, source):
    """The columns of ``frame`` the model was fitted on, and those left out."""
    names = getattr(model, "feature_names_in_", None)
    if names is not None:
        names = [str(n) for n in names]
        missing = [n for n in names if n not in frame.columns]
        if missing:
            shown = ", ".join(missing[:10]) + (", ..." if len(missing) > 10 else "")
            raise CommandError(
                f"{source} lacks {len(missing)} feature column(s) of the model: {shown}"
            )
        kept = set(names)
        return frame[names], [c for c in frame.columns if c not in kept]
    n_features = getattr(model, "n_features_in_", frame.shape[1])
    if frame.shape[1] != n_features:
        raise CommandError(
            f"the model expects {n_features} feature columns (it was fitted "
            f"without column names); {source} has {frame.shape[1]}"
        )
    return frame.to_numpy(), []
