"""The meta-models fitted on the shipped knowledge base, shipped with skmeta.

Fitting the performance and cost models of the shipped knowledge base takes
a few seconds; every process that uses the default knowledge base would pay
them on its first fit. ``skmeta/data/meta_models.npz`` holds them already
fitted, in a safe, versioned format that needs no pickle:

- one :func:`numpy.savez_compressed` archive, read with
  ``numpy.load(..., allow_pickle=False)``;
- its ``header`` entry is UTF-8 JSON (as a uint8 array): ``format``
  (:data:`FORMAT`), ``format_version`` (:data:`FORMAT_VERSION`),
  ``settings_version`` (:data:`skmeta.learner.SETTINGS_VERSION` of the
  build), ``knowledge_base_signature`` (:func:`knowledge_base_signature`
  of the shipped knowledge base it was fitted from), ``random_state``, the
  portfolio's strategy ``spaces``, and per task family the headers of the
  models (parameters, strategy names, meta-feature columns, shared-grid
  keys, timed strategies), and ``learner``: the JSON part of what the
  default learner derives from the knowledge base besides the models (see
  :mod:`skmeta.learner.from_shipped_file`);
- every other entry is an array named ``<family>/<model>/<part>/<name>``,
  e.g. ``classification/performance/forest/threshold`` (see
  :class:`~skmeta.selection.forest_arrays.ForestArrays` for a forest's), or
  ``learner/<name>`` for the learner's arrays (its nearest datasets).

:class:`~skmeta.MetaLearner` reads it instead of fitting when it is built
for the shipped knowledge base with default parameters and the header
matches; otherwise it fits, and warns if the file is stale. The learner the
estimators use by default is built from this file alone while it is current
(:mod:`skmeta.learner.from_shipped_file`). Rebuild the file
with :data:`BUILD_SCRIPT` whenever the knowledge base or the way meta-models
are fitted changes (a test fails until then).
"""

from __future__ import annotations

import hashlib
import json
import threading
import warnings
import zipfile
import zlib
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import numpy as np

from skmeta.selection.cost import CostModel
from skmeta.selection.forest_arrays import prefixed, unprefixed
from skmeta.selection.performance import PerformanceModel

__all__ = [
    "BUILD_SCRIPT",
    "FILENAME",
    "FORMAT",
    "FORMAT_VERSION",
    "ShippedModels",
    "disabled",
    "knowledge_base_signature",
    "save_meta_models",
    "shipped_models_path",
]

#: File name of the shipped meta-models in ``skmeta/data``.
FILENAME = "meta_models.npz"
#: The script that builds them, in the source tree.
BUILD_SCRIPT = "scripts/build_meta_models.py"
#: Format name recorded in the header.
FORMAT = "skmeta.meta_models"
#: Version of the file layout; a file of another version is not read.
#: 2: the ``learner`` state (:mod:`skmeta.learner.from_shipped_file`).
FORMAT_VERSION = 2

_KINDS = {"performance": PerformanceModel, "cost": CostModel}
#: What reading a damaged archive can raise.
_READ_ERRORS = (OSError, ValueError, KeyError, TypeError, EOFError,
                zipfile.BadZipFile, zlib.error)
_DISABLED = threading.local()
_CACHE = {}
_LOCK = threading.Lock()


def shipped_models_path():
    """Where the shipped meta-models are (the file may not exist)."""
    return Path(str(resources.files("skmeta") / "data" / FILENAME))


def knowledge_base_signature(path=None):
    """``sha256:<hex>`` of the bytes of a knowledge-base file.

    Parameters
    ----------
    path : str or path-like, optional
        Defaults to the shipped ``skmeta/data/knowledge_base.json.gz``.

    Examples
    --------
    >>> from skmeta.selection.meta_models_file import knowledge_base_signature
    >>> knowledge_base_signature()[:7]
    'sha256:'
    """
    if path is None:
        from skmeta.knowledge.default_knowledge_base import _default_path

        data = _default_path().read_bytes()
    else:
        data = Path(path).read_bytes()
    return "sha256:" + hashlib.sha256(data).hexdigest()


def is_default_knowledge_base(kb):
    """Whether ``kb`` is the shared :meth:`KnowledgeBase.default()
    <skmeta.knowledge.KnowledgeBase.default>` object."""
    if not getattr(kb, "_shared", False):
        return False
    from skmeta.knowledge.default_knowledge_base import load_default

    return kb is load_default()


@contextmanager
def disabled():
    """Within this block, meta-learners fit their meta-models, never load them.

    For the build script and for comparing fitted with shipped models (in
    this thread).

    Examples
    --------
    >>> from skmeta.selection import meta_models_file
    >>> with meta_models_file.disabled():
    ...     meta_models_file.ShippedModels.open() is None
    True
    """
    depth = getattr(_DISABLED, "depth", 0)
    _DISABLED.depth = depth + 1
    try:
        yield
    finally:
        _DISABLED.depth = depth


def _spaces(portfolios):
    spaces = {}
    for portfolio in portfolios.values():
        for strategy in portfolio:
            spaces[strategy.name] = repr(strategy.space)
    return dict(sorted(spaces.items()))


def save_meta_models(path, models, *, random_state, settings_version,
                     knowledge_base_signature, learner_state=None, extra=None):
    """Write fitted meta-models to one compressed ``.npz`` (no pickle).

    Parameters
    ----------
    path : str or path-like
    models : dict
        Task family -> ``{"performance": PerformanceModel, "cost": CostModel}``
        (fitted).
    random_state : int or None
        The one they were fitted with.
    settings_version : int
        :data:`skmeta.learner.SETTINGS_VERSION`.
    knowledge_base_signature : str
        Of the knowledge base they were fitted from.
    learner_state : (dict, dict of str to ndarray), optional
        The rest of what the learner derives from the knowledge base, as a
        JSON-able header and arrays (:func:`skmeta.learner.from_shipped_file.learner_state`).
    extra : dict, optional
        More JSON-able header entries (informational).

    Returns
    -------
    dict
        The header written.
    """
    import sklearn

    import skmeta

    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "settings_version": int(settings_version),
        "knowledge_base_signature": knowledge_base_signature,
        "random_state": random_state,
        "skmeta_version": skmeta.__version__,
        "sklearn_version": sklearn.__version__,
        "leaf_values": "float32",
        "spaces": _spaces({f: m["performance"].portfolio for f, m in models.items()}),
        "families": {},
        **(extra or {}),
    }
    arrays = {}
    for family, by_kind in sorted(models.items()):
        header["families"][family] = {}
        for kind in _KINDS:
            model_header, model_arrays = by_kind[kind].to_arrays()
            header["families"][family][kind] = model_header
            arrays.update(prefixed(f"{family}/{kind}", model_arrays))
    if learner_state is not None:
        header["learner"] = learner_state[0]
        arrays.update(prefixed("learner", learner_state[1]))
    encoded = json.dumps(header, sort_keys=True).encode()
    np.savez_compressed(path, header=np.frombuffer(encoded, dtype=np.uint8), **arrays)
    return header


def _read_header(path):
    with np.load(path, allow_pickle=False) as npz:
        if "header" not in npz.files:
            raise ValueError("it has no header")
        header = json.loads(npz["header"].tobytes().decode())
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError(f"its format is not {FORMAT!r}")
    return header


class ShippedModels:
    """The shipped meta-models file: its header, and models read on demand.

    Use :meth:`open`; :meth:`stale_reasons` says whether the file fits what
    a learner would fit, :meth:`load` reads one model (cached per process:
    models are read-only once fitted, so learners share them).

    Examples
    --------
    >>> from skmeta.selection.meta_models_file import ShippedModels
    >>> models = ShippedModels.open()
    >>> sorted(models.header["families"])
    ['classification', 'regression']
    """

    def __init__(self, path, header):
        self.path = Path(path)
        self.header = header

    @classmethod
    def open(cls, path=None):
        """The file's header, or None when it is missing or :func:`disabled`.

        Raises
        ------
        ValueError
            If the file exists but cannot be read as shipped meta-models.
        """
        if getattr(_DISABLED, "depth", 0):
            return None
        path = shipped_models_path() if path is None else Path(path)
        if not path.is_file():
            return None
        try:
            header = _read_header(path)
        except _READ_ERRORS as exc:
            raise ValueError(f"{path} is not a shipped meta-models file: {exc}.") from None
        return cls(path, header)

    def stale_reasons(self, pending, settings_version, signature=None):
        """Why the file does not hold the models a learner would fit.

        Parameters
        ----------
        pending : dict
            Task family -> ``{"performance": model, "cost": model}``, the
            unfitted models the learner would fit (their parameters and
            portfolios are compared with the stored ones).
        settings_version : int
        signature : str, optional
            Of the knowledge base; the shipped one's by default.

        Returns
        -------
        list of str
            Empty when the file can be used.
        """
        header = self.header
        signature = knowledge_base_signature() if signature is None else signature
        reasons = []
        if header.get("format_version") != FORMAT_VERSION:
            reasons.append(f"format version {header.get('format_version')} "
                           f"is not {FORMAT_VERSION}")
        if header.get("settings_version") != settings_version:
            reasons.append(f"it was built with SETTINGS_VERSION "
                           f"{header.get('settings_version')}, not {settings_version}")
        if header.get("knowledge_base_signature") != signature:
            reasons.append("it was fitted on another knowledge base (signature "
                           f"{header.get('knowledge_base_signature')}, not {signature})")
        families = header.get("families", {})
        if sorted(families) != sorted(pending):
            reasons.append(f"it has the families {sorted(families)}, not {sorted(pending)}")
        spaces = _spaces({f: m["performance"].portfolio for f, m in pending.items()})
        if header.get("spaces") != spaces:
            reasons.append("the portfolio's strategies or spaces changed")
        for family, by_kind in pending.items():
            for kind, model in by_kind.items():
                stored = families.get(family, {}).get(kind, {})
                for name in ("n_estimators", "shared_weight", "min_coverage"):
                    if hasattr(model, name) and stored.get(name) != getattr(model, name):
                        reasons.append(f"the {family} {kind} model's {name} is "
                                       f"{stored.get(name)}, not {getattr(model, name)}")
                names = [s.name for s in model.portfolio]
                if stored.get("portfolio") != names:
                    reasons.append(f"the {family} {kind} model's strategies changed")
        return reasons

    def load(self, family, kind, portfolio):
        """The fitted ``kind`` ("performance" or "cost") model of a family.

        Raises
        ------
        ValueError
            If the file lacks the model or its arrays are inconsistent.
        """
        stat = self.path.stat()
        key = (str(self.path), stat.st_mtime_ns, stat.st_size, family, kind)
        with _LOCK:
            model = _CACHE.get(key)
            if model is None:
                try:
                    model = self._read(family, kind, portfolio)
                except _READ_ERRORS as exc:
                    raise ValueError(f"{self.path}: the {family} {kind} model cannot "
                                     f"be read ({type(exc).__name__}: {exc})") from None
                _CACHE[key] = model
            return model

    def learner_state(self):
        """The learner's state: its header and arrays, or None if the file has none.

        Raises
        ------
        ValueError
            If the arrays cannot be read.
        """
        if "learner" not in self.header:
            return None
        try:
            with np.load(self.path, allow_pickle=False) as npz:
                arrays = {name: npz[f"learner/{name}"]
                          for name in unprefixed("learner", dict.fromkeys(npz.files))}
        except _READ_ERRORS as exc:
            raise ValueError(f"{self.path}: the learner's state cannot be read "
                             f"({type(exc).__name__}: {exc})") from None
        return self.header["learner"], arrays

    def _read(self, family, kind, portfolio):
        header = self.header["families"][family][kind]
        prefix = f"{family}/{kind}"
        with np.load(self.path, allow_pickle=False) as npz:
            arrays = {name: npz[f"{prefix}/{name}"]
                      for name in unprefixed(prefix, dict.fromkeys(npz.files))}
        return _KINDS[kind].from_arrays(portfolio, header, arrays)


def open_for(pending, random_state, settings_version, path=None):
    """The shipped models to use instead of fitting ``pending``, or None.

    None, silently, when the file is missing, :func:`disabled`, or fitted
    with another ``random_state``; None with a warning when the file is
    unreadable or stale (the knowledge base, :data:`FORMAT_VERSION`,
    ``settings_version``, the portfolio or the models' parameters differ).

    Parameters
    ----------
    pending : dict
        Task family -> ``{"performance": model, "cost": model}``, unfitted.
    random_state : int or None
    settings_version : int
    path : str or path-like, optional
        Defaults to :func:`shipped_models_path`.
    """
    try:
        models = ShippedModels.open(path)
    except ValueError as exc:
        _warn_stale(str(exc))
        return None
    if models is None or models.header.get("random_state") != random_state:
        return None
    reasons = models.stale_reasons(pending, settings_version)
    if reasons:
        _warn_stale(f"{models.path} is stale: " + "; ".join(reasons) + ".")
        return None
    return models


def _warn_stale(message):
    warnings.warn(
        f"{message} Fitting the meta-models instead (a few seconds once per "
        f"process); rebuild the file with {BUILD_SCRIPT}.",
        UserWarning, stacklevel=4,
    )
