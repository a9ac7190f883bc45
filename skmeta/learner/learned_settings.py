"""Settings a meta-learner learns from stored experience, and when to reuse them.

Two things per task family: the adjuster's settings (meta-learned by
replaying the adjuster on stored experience, :mod:`skmeta.adjust.replay`)
and the racing policy of the fold race (:mod:`skmeta.race_policy`). Both are
slow to learn, so those learned on a whole knowledge base are stored in it
as properties (``adjuster_settings.<family>``, ``racing_policy.<family>``)
and reused while the way they are learned (:data:`SETTINGS_VERSION`,
:data:`RACING_VERSION`) is the same and the knowledge base has not grown by
more than :data:`RELEARN_GROWTH`.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
from sklearn.model_selection import KFold

from skmeta.adjust import AdjusterSettings, warm_start_from_predictions
from skmeta.adjust.replay import ReplayProblem, learn_settings
from skmeta.knowledge.checks import setting_problem
from skmeta.race_policy import RacingPolicy, learn_racing_policy
from skmeta.selection import CostModel, PerformanceModel, normalized_scores

__all__ = [
    "MIN_DATASETS_TO_LEARN_SETTINGS",
    "RACING_VERSION",
    "RELEARN_GROWTH",
    "SETTINGS_VERSION",
    "learn_adjuster_settings",
    "learn_racing",
    "replay_problems",
    "reusable",
]

#: Fewer stored datasets than this: keep the adjuster's hand-set defaults.
MIN_DATASETS_TO_LEARN_SETTINGS = 6

#: Stored adjuster settings are learned again once the knowledge base holds
#: this fraction more datasets of the family than they were learned on.
RELEARN_GROWTH = 0.2

#: Version of the way racing policies are learned (:mod:`skmeta.race_policy`);
#: a policy stored by another version is learned again.
RACING_VERSION = 1

#: Version of the way adjuster settings are learned (the performance and cost
#: models, the replay grid); settings stored by another version are learned
#: again.
SETTINGS_VERSION = 5


def stored_setting(kb, name):
    """A stored learned setting, or None when absent or unusable: an unusable
    one is ignored (and learned again) with a warning naming the knowledge
    base and the property."""
    value = kb.get_property(name)
    problem = None if value is None else setting_problem(name, value)
    if problem is None:
        return value
    where = "the in-memory knowledge base" if kb.path is None else str(kb.path)
    warnings.warn(
        f"{where} holds the property {name!r}, which skmeta cannot use ({problem}); "
        "it is ignored and learned again. `skmeta kb check` lists it.",
        UserWarning, stacklevel=5,
    )
    return None


def reusable(stored, version, n_datasets):
    """Whether a stored learned value (adjuster settings, racing policy) applies.

    It does while it was learned by the same ``version`` of the way it is
    learned, on at most ``n_datasets`` datasets and at least
    ``1 / (1 + RELEARN_GROWTH)`` of them.

    Examples
    --------
    >>> from skmeta.learner.learned_settings import reusable
    >>> reusable({"version": 1, "n_datasets": 100}, 1, 110)
    True
    >>> reusable({"version": 1, "n_datasets": 100}, 1, 130), reusable(None, 1, 100)
    (False, False)
    """
    return (stored is not None and stored.get("version") == version
            and stored.get("n_datasets", 0) <= n_datasets
            <= stored.get("n_datasets", 0) * (1 + RELEARN_GROWTH))


def learn_adjuster_settings(kb, family, table, runs, portfolio, n_datasets, *,
                            use_stored=True, force=False, random_state=None,
                            n_jobs=None, log=None):
    """Meta-learn the adjuster's defaults of a family by replaying stored experience.

    Settings stored in ``kb`` are reused when :func:`reusable` (unless
    ``force``); settings learned with ``use_stored`` are stored back (unless
    the knowledge base is read only).

    Returns
    -------
    settings : AdjusterSettings
        The hand-set defaults with fewer than
        :data:`MIN_DATASETS_TO_LEARN_SETTINGS` datasets.
    results : DataFrame or None
        The replay's results, when it ran.
    """
    stored = (stored_setting(kb, f"adjuster_settings.{family}")
              if use_stored and not force else None)
    if reusable(stored, SETTINGS_VERSION, n_datasets):
        return AdjusterSettings(**stored["settings"]), None
    if n_datasets < MIN_DATASETS_TO_LEARN_SETTINGS:
        return AdjusterSettings(), None
    if log is not None:
        log(f"meta-learning the adjuster settings on {n_datasets} {family} datasets")
    problems = replay_problems(table, runs, portfolio, n_folds=5, random_state=random_state)
    settings, results = learn_settings(problems, n_jobs=n_jobs)
    if use_stored and not kb.read_only:
        cost = results.loc[results["objective"] == "cost", "regret"]
        kb.set_property(f"adjuster_settings.{family}", {
            "settings": dataclasses.asdict(settings),
            "replay_regret": float(results["regret"].iloc[0]),
            "cost_regret": float(cost.iloc[0]) if len(cost) else None,
            "n_datasets": n_datasets,
            "version": SETTINGS_VERSION,
        })
    return settings, results


def learn_racing(kb, family, runs, rows, *, use_stored=True, relearn=False, log=None):
    """The racing policy of a family: stored and reusable, or learned now.

    ``rows`` maps each training dataset's id to its number of rows. A policy
    learned with ``use_stored`` is stored back (unless the knowledge base is
    read only); the default policy with fewer than
    :data:`MIN_DATASETS_TO_LEARN_SETTINGS` datasets.
    """
    key = f"racing_policy.{family}"
    stored = stored_setting(kb, key) if use_stored and not relearn else None
    if reusable(stored, RACING_VERSION, len(rows)):
        return RacingPolicy.from_dict(stored["policy"])
    if len(rows) < MIN_DATASETS_TO_LEARN_SETTINGS:
        return RacingPolicy()
    if log is not None:
        log(f"learning the racing policy on {len(rows)} {family} datasets")
    policy, _ = learn_racing_policy(runs, rows, random_state=0)
    if use_stored and not kb.read_only:
        kb.set_property(key, {"policy": policy.to_dict(), "n_datasets": len(rows),
                              "version": RACING_VERSION})
    return policy


def replay_problems(table, runs, portfolio, n_folds=5, random_state=None):
    """Replay problems of every stored dataset, with out-of-fold meta-models.

    The datasets are split in ``n_folds`` groups; the performance and cost
    models that give a dataset its prior and warm starts learned from the
    other groups.
    """
    ids = np.array(sorted(set(runs["dataset_id"])))
    runs = runs.assign(normalized=normalized_scores(runs))
    by_name = {s.name: s for s in portfolio}
    folds = KFold(min(n_folds, len(ids)), shuffle=True, random_state=random_state)
    problems = []
    for train, test in folds.split(ids):
        train_runs = runs[runs["dataset_id"].isin(ids[train])]
        model = PerformanceModel(portfolio, n_estimators=100, random_state=random_state)
        model.fit(table.loc[ids[train]], train_runs)
        cost_model = CostModel(portfolio, random_state=random_state)
        cost_model.fit(table.loc[ids[train]], train_runs)
        candidates = train_runs.drop_duplicates(
            subset=["strategy", "config_key"]
        )[["strategy", "config"]]
        strategies, configs = candidates["strategy"].tolist(), candidates["config"].tolist()
        for dataset_id in ids[test]:
            meta = table.loc[dataset_id]
            predicted = model.predict(meta, strategies, configs)
            log_cost = cost_model.predict(meta, strategies, configs)
            start = warm_start_from_predictions(portfolio, strategies, configs, predicted)
            own = runs[runs["dataset_id"] == dataset_id]
            stored = {}
            for name, group in own.groupby("strategy"):
                if name in by_name:
                    space = by_name[name].space
                    vectors = np.array([space.to_vector(c) for c in group["config"]])
                    seconds = group["fit_seconds"] + group["predict_seconds"]
                    stored[name] = (vectors.reshape(len(group), -1),
                                    group["normalized"].to_numpy(), seconds.to_numpy(float))
            problems.append(ReplayProblem(
                portfolio, start.prior, start.configurations, stored,
                candidates=(strategies, configs, predicted, log_cost),
            ))
    return problems
