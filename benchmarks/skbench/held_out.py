"""Meta-learning without the held-out dataset: family folds, settings, learners.

For a held-out dataset ``D`` the meta-models are refit on the knowledge base
without ``D``'s KEEL family (:class:`HeldOutLearner`); the adjuster settings,
a minute's replay search, are learned once per fold of families instead
(:class:`SettingsCache`), the fold being ``crc32(family) % 5``:

>>> fold_of("car")
2
"""

from __future__ import annotations

import json
import time
import zlib
from pathlib import Path

import pandas as pd
from joblib import Parallel, delayed

from skmeta import MetaLearner
from skmeta.adjust import AdjusterSettings
from skmeta.learner import SETTINGS_VERSION

from .inputs import keel_family

#: Folds of KEEL families the adjuster settings are learned on.
N_SETTINGS_FOLDS = 5


def kb_signature(kb):
    """A short text naming the knowledge base's content (its size)."""
    summary = kb.summary()
    return f"{summary['n_datasets']}d-{summary['n_evaluations']}e"


def family_groups(kb, corpus):
    """Dataset name -> its KEEL family (or its own name), for every stored dataset."""
    manifest = pd.read_csv(Path(corpus) / "manifest.csv").set_index("name")
    origin = manifest["origin"]
    return {name: keel_family(name, origin.get(name)) for name in kb.datasets()["name"]}


def fold_of(group):
    """The fold (0..4) of a family group: fixed, whatever the slice being run."""
    return zlib.crc32(group.encode()) % N_SETTINGS_FOLDS


def _learn_settings(kb, excluded, n_jobs):
    """Adjuster settings (as dicts) learned on the knowledge base minus ``excluded``."""
    learner = MetaLearner.from_knowledge_base(
        kb, exclude=excluded, n_jobs=n_jobs, random_state=0
    )
    return {family: vars(settings)
            for family, settings in ((f, learner.adjuster_settings(f))
                                     for f in learner.performance_models_)}


class SettingsCache:
    """Adjuster settings meta-learned per fold, cached in a JSON file."""

    def __init__(self, path, kb, groups, signature, n_jobs):
        self.path = Path(path)
        self.kb = kb
        self.groups = groups
        self.signature = signature
        self.n_jobs = n_jobs
        self.cache = json.loads(self.path.read_text()) if self.path.is_file() else {}

    def _key(self, fold):
        return f"{self.signature}/v{SETTINGS_VERSION}/fold{fold}"

    def _excluded(self, fold):
        return [n for n, g in self.groups.items() if fold_of(g) == fold]

    def _save(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.cache, indent=1, sort_keys=True))

    def prepare(self, folds):
        """Learn the missing folds' settings, several folds in parallel."""
        missing = sorted({f for f in folds if self._key(f) not in self.cache})
        if not missing:
            return
        print(f"meta-learning the adjuster settings of folds {missing} "
              f"({self.n_jobs} in parallel)...", flush=True)
        start = time.perf_counter()
        learned = Parallel(n_jobs=min(self.n_jobs, len(missing)))(
            delayed(_learn_settings)(self.kb, self._excluded(f), 1) for f in missing
        )
        for fold, settings in zip(missing, learned, strict=True):
            self.cache[self._key(fold)] = settings
            print(f"  fold {fold}: {settings}", flush=True)
        self._save()
        print(f"settings learned in {time.perf_counter() - start:.0f} s", flush=True)

    def get(self, fold):
        """Task family -> AdjusterSettings learned without the fold's datasets."""
        if self._key(fold) not in self.cache:
            self.cache[self._key(fold)] = _learn_settings(
                self.kb, self._excluded(fold), self.n_jobs)
            self._save()
        return {family: AdjusterSettings(**values)
                for family, values in self.cache[self._key(fold)].items()}


class HeldOutLearner:
    """Builds, on first call, a MetaLearner that never saw a dataset nor its family.

    The performance model and nearest datasets learn from the knowledge base
    without the family; the adjuster settings are those of the family's fold
    (learned with the default learner, whatever the learner's parameters:
    the baselines static-10 and size-10 differ from skmeta-10 only in what
    ranks the configurations). ``learner_factory(**params)`` gives one
    learner per set of MetaLearner parameters (``prior``, ``metafeatures``).
    """

    def __init__(self, kb, name, groups, settings, n_jobs):
        self.kb, self.name, self.groups = kb, name, groups
        self.settings, self.n_jobs = settings, n_jobs
        self.learners = {}

    def __call__(self, **params):
        key = repr(sorted(params.items()))
        if key not in self.learners:
            group = self.groups.get(self.name, self.name)
            excluded = [n for n, g in self.groups.items() if g == group] or [self.name]
            learner = MetaLearner.from_knowledge_base(
                self.kb, exclude=excluded,
                adjuster_settings=self.settings.get(fold_of(group)),
                n_jobs=self.n_jobs, random_state=0, **params,
            )
            for family in list(learner.performance_models_):
                # Fitted (the racing policy learned) here, untimed.
                learner.performance_models_[family]
                learner.cost_models_[family]
                learner.racing_policy(family)
            self.learners[key] = learner
        return self.learners[key]

