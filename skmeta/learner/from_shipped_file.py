"""The default meta-learner, built from the shipped meta-models file alone.

Besides its meta-models, a :class:`~skmeta.MetaLearner` of the shipped
knowledge base derives a few things from it: per task family the candidate
(strategy, configuration) pairs, the training datasets, the nearest-datasets
index, the stored adjuster settings and racing policy, and the datasets'
names. Loading, validating and reading the knowledge base for them takes
about a second; ``skmeta/data/meta_models.npz`` (:mod:`skmeta.selection.meta_models_file`)
carries them too, so :func:`shipped_meta_learner` builds the same learner in
milliseconds. Its knowledge base is loaded only when something reads
``knowledge_base_`` (plotting, :meth:`~skmeta.MetaLearner.evaluate`,
``update_knowledge=True``, relearning).

It applies only while the file is current, as
:meth:`~skmeta.selection.meta_models_file.ShippedModels.stale_reasons` judges: built
from the very knowledge-base file shipped (its sha256 signature, which is
also why the knowledge base need not be validated again), with this
:data:`~skmeta.learner.SETTINGS_VERSION`, portfolio and parameters, and while
the stored settings and policies are still reused. Otherwise the default
learner is built from the knowledge base, as before.
"""

from __future__ import annotations

import json

from skmeta.adjust import AdjusterSettings
from skmeta.knowledge.checks import configuration_problem
from skmeta.learner.fitted_state import (
    FittedState,
    default_meta_models,
    unfitted_models,
)
from skmeta.learner.lazy_models import LazyModels, PendingModel
from skmeta.learner.learned_settings import RACING_VERSION, SETTINGS_VERSION, reusable
from skmeta.learner.meta_learner import MetaLearner
from skmeta.learner.shipped_models import _ShippedModel
from skmeta.learner.training_data import FAMILIES, family_inputs
from skmeta.race_policy import RacingPolicy
from skmeta.selection import NearestDatasets, meta_models_file
from skmeta.selection.forest_arrays import prefixed, unprefixed

__all__ = ["learner_state", "shipped_meta_learner"]

#: What reading a damaged or unexpected state can raise.
_STATE_ERRORS = (OSError, ValueError, KeyError, TypeError, AttributeError)


def _properties(family):
    return f"adjuster_settings.{family}", f"racing_policy.{family}"


def learner_state(learner):
    """What a learner of the shipped knowledge base derived from it, for the file.

    Parameters
    ----------
    learner : MetaLearner
        Built by ``MetaLearner.from_knowledge_base(KnowledgeBase.default())``.

    Returns
    -------
    header : dict
        JSON-able: the knowledge base's ``summary``, ``dataset_names``
        (id -> name), the ``properties`` the learner reads, and per family
        its ``training_ids``, ``candidates`` (strategy and configuration as
        JSON text, which keeps the order of its keys) and ``nearest`` (see
        :meth:`~skmeta.selection.NearestDatasets.to_arrays`).
    arrays : dict of str to ndarray
        ``<family>/nearest/...``: the nearest datasets' arrays.
    """
    kb = learner.knowledge_base_
    families = [f for f in FAMILIES if f in learner.training_ids_]
    properties = {name: kb.get_property(name) for family in families
                  for name in _properties(family)}
    header = {
        "summary": kb.summary(),
        "dataset_names": {str(i): name for i, name in kb.datasets()["name"].items()},
        "properties": {k: v for k, v in properties.items() if v is not None},
        "families": {},
    }
    arrays = {}
    for family in families:
        nearest_header, nearest_arrays = learner.nearest_[family].to_arrays()
        header["families"][family] = {
            "training_ids": [str(i) for i in learner.training_ids_[family]],
            "candidates": [[s, json.dumps(c)] for s, c in learner.candidates_[family]],
            "nearest": nearest_header,
        }
        arrays.update(prefixed(f"{family}/nearest", nearest_arrays))
    return header, arrays


class _FitFromKnowledgeBase(PendingModel):
    """A model of a learner built without its knowledge base, fitted from it.

    Only if the shipped model cannot be read: :meth:`fit` loads the
    knowledge base.
    """

    def __init__(self, model, learner, family, kind):
        self.model, self.learner, self.family, self.kind = model, learner, family, kind

    def fit(self):
        learner = self.learner
        runs, table, timed, _ = family_inputs(learner.knowledge_base_, self.family,
                                              learner.training_ids_[self.family])
        return self.model.fit(table, runs if self.kind == "performance" else timed)


def shipped_meta_learner(**params):
    """The default meta-learner, from the shipped meta-models file alone.

    Parameters
    ----------
    **params
        Constructor parameters of the :class:`~skmeta.MetaLearner` (not
        ``knowledge_base``: it is the shipped one).

    Returns
    -------
    MetaLearner or None
        The learner ``MetaLearner.from_knowledge_base(KnowledgeBase.default(),
        **params)`` would be, or None when the file does not apply (missing,
        stale, damaged, another portfolio, ``random_state``, ``prior`` or
        ``metafeatures``, stored settings to learn again): build that one
        instead, which says why.

    Examples
    --------
    >>> from skmeta.learner.from_shipped_file import shipped_meta_learner
    >>> learner = shipped_meta_learner()
    >>> sorted(learner.performance_models_)
    ['classification', 'regression']
    >>> "knowledge_base_" in vars(learner)  # not loaded yet
    False
    """
    learner = MetaLearner(**params)
    learner._validate_params()  # as fit and from_knowledge_base check them
    if not isinstance(learner.portfolio, str) or learner.portfolio != "default":
        return None
    if not default_meta_models(learner):
        return None
    try:
        models = meta_models_file.ShippedModels.open()
        if models is None or models.header.get("random_state") != learner.random_state:
            return None
        families = [f for f in FAMILIES if f in models.header.get("families", {})]
        unfitted = {f: dict(zip(("performance", "cost"), unfitted_models(learner, f),
                                strict=True))
                    for f in families}
        if models.stale_reasons(unfitted, SETTINGS_VERSION):
            return None
        state = models.learner_state()
        if state is None or sorted(state[0]["families"]) != families:
            return None
        state = _shipped_state(learner, models, unfitted, *state)
        return None if state is None else learner._set_fitted_state(state)
    except _STATE_ERRORS:
        return None  # the learner built from the knowledge base says what is wrong


def _shipped_state(learner, models, unfitted, header, arrays):
    """The fitted state ``from_knowledge_base`` would give, from the file; None
    if the file's state cannot be used."""
    training_ids, candidates, nearest, settings, policies = {}, {}, {}, {}, {}
    performance_models, cost_models = LazyModels(), LazyModels()
    properties = header["properties"]
    for family, by_kind in unfitted.items():
        state = header["families"][family]
        ids = list(state["training_ids"])
        settings_key, policy_key = _properties(family)
        stored_settings, policy = properties.get(settings_key), properties.get(policy_key)
        if not (reusable(stored_settings, SETTINGS_VERSION, len(ids))
                and reusable(policy, RACING_VERSION, len(ids))):
            return None  # to learn again, from the knowledge base
        family_candidates = [(s, json.loads(c)) for s, c in state["candidates"]]
        task = "regression" if family == "regression" else "multiclass"
        if any(configuration_problem(s, c, task) for s, c in family_candidates):
            return None  # configurations are checked as a knowledge base's are
        training_ids[family] = ids
        candidates[family] = family_candidates
        nearest[family] = NearestDatasets.from_arrays(
            state["nearest"], unprefixed(f"{family}/nearest", arrays))
        settings[family] = AdjusterSettings(**stored_settings["settings"])
        policies[family] = RacingPolicy.from_dict(policy["policy"])
        for kind, table in (("performance", performance_models), ("cost", cost_models)):
            table[family] = _ShippedModel(models, family, kind, _FitFromKnowledgeBase(
                by_kind[kind], learner, family, kind))
    return FittedState(
        knowledge_base=None,  # the shipped one, read when first needed
        training_ids=training_ids, nearest=nearest, candidates=candidates,
        performance_models=performance_models, cost_models=cost_models,
        adjuster_settings=settings, racing_policies=policies, racing_data={},
        learns_from_all=True,
        shipped={"summary": header["summary"],
                 "dataset_names": dict(header["dataset_names"])},
    )
