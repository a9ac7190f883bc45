"""The competing systems, each fit by name with :func:`fit_system`.

Every ``fit_*`` returns ``(fitted model, info)``, ``info`` holding a search's
cross-validation scores in evaluation order (``"curve"``, NaN for a failure),
its best score and, where known, each evaluation's finish time. What each
system is exactly: ``PROTOCOL.md``.

>>> SYSTEMS[:3]
('skmeta-1', 'skmeta-5', 'skmeta-10')
>>> uses_meta_learner("static-10"), learner_params("static-10")
(True, {'prior': 'static'})
"""

from __future__ import annotations

import pandas as pd
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.metrics import balanced_accuracy_score

from skmeta import MetaClassifier, MetaRegressor
from skmeta.knowledge import KnowledgeBase
from skmeta.strategies import Strategy, default_strategy_names

from .random_search import fit_cheap_search, fit_random_search

SYSTEMS = (
    "skmeta-1", "skmeta-5", "skmeta-10", "skmeta-b10", "skmeta-b30", "cold-10",
    "static-1", "static-10", "size-1", "size-10",
    "skmeta-1-sk", "skmeta-10-sk", "skmeta-10-auc", "skmeta-10-priced",
    "skmeta-10-c05", "skmeta-10-auc-c05",
    "rs-10", "rs-30", "rs-20-cheap", "hgb-default", "rf-default",
    "lightgbm-default", "xgboost-default", "catboost-default",
    "flaml-10", "flaml-30",
)
#: Time budgets (seconds) of the budgeted systems.
BUDGETS = {"skmeta-b10": 10, "skmeta-b30": 30, "flaml-10": 10, "flaml-30": 30}

#: The dataset's size measures: all the meta-features size-10's meta-models see.
SIZE_MEASURES = ("n_rows", "n_features", "n_classes", "categorical_fraction")

#: The baselines of the meta-feature prior (issue 24): ``static-k`` and
#: ``size-k`` are skmeta-k with a held-out MetaLearner of these parameters.
LEARNER_PARAMS = {
    "static": {"prior": "static"},
    "size": {"metafeatures": list(SIZE_MEASURES)},
}


def _baseline(system):
    """The LEARNER_PARAMS key of a baseline system (``static-10``: static), or None."""
    prefix = system.rsplit("-", 1)[0]
    return prefix if prefix in LEARNER_PARAMS else None


def learner_params(system):
    """The MetaLearner parameters of a system's held-out learner."""
    return LEARNER_PARAMS[_baseline(system)] if _baseline(system) else {}


def uses_meta_learner(system):
    """Whether a system starts from the held-out MetaLearner (built untimed)."""
    return system.startswith("skmeta-") or _baseline(system) is not None


def fit_skmeta(X, y, task, *, learner, n_evaluations, folds, seed, n_jobs,
               time_budget=None, **params):
    """skmeta from a fitted MetaLearner, or from a KnowledgeBase to learn
    from; ``folds=None`` leaves ``cv`` at skmeta's default; ``params`` go to
    the estimator (``portfolio``, ``scoring``)."""
    cls = MetaRegressor if task == "regression" else MetaClassifier
    start = "knowledge_base" if isinstance(learner, KnowledgeBase) else "meta_learner"
    params.update({start: learner, "n_evaluations": n_evaluations,
                   "random_state": seed, "n_jobs": n_jobs})
    if folds is not None:
        params["cv"] = folds
    if time_budget is not None:
        params["time_budget"] = time_budget
    model = cls(**params)
    model.fit(X, y)
    return model, _trace_info(model)


def fit_cold_start(X, y, task, *, n_evaluations, folds, seed, n_jobs):
    """cold-10: skmeta from an empty knowledge base."""
    return fit_skmeta(X, y, task, learner=KnowledgeBase(), n_evaluations=n_evaluations,
                      folds=folds, seed=seed, n_jobs=n_jobs)


def _trace_info(model):
    trace = model.trace_
    scores = pd.to_numeric(trace["score"], errors="coerce").astype(float)
    info = {"curve": scores.tolist(), "cv_score": float(model.best_score_),
            "n_failed": int((trace["status"] != "ok").sum()),
            "strategies": trace["strategy"].tolist(),
            "fit_seconds": trace["fit_seconds"].round(3).tolist()}
    if "seconds" in trace.columns:  # since the start of the search
        seconds = pd.to_numeric(trace["seconds"], errors="coerce")
        info["seconds"] = seconds.round(3).tolist()
    return info



# -- FLAML --------------------------------------------------------------------------

def _balanced_accuracy_loss(X_val, y_val, estimator, labels, X_train, y_train,
                            *args, **kwargs):
    """FLAML custom metric: 1 - balanced accuracy on the validation data."""
    score = balanced_accuracy_score(y_val, estimator.predict(X_val))
    return 1.0 - score, {"balanced_accuracy": score}


def fit_flaml(X, y, task, *, time_budget, seed, n_jobs):
    """flaml-10 / flaml-30: FLAML's AutoML on the task's metric."""
    try:
        from flaml import AutoML
    except ImportError as exc:
        raise ImportError(
            f"FLAML is not installed ({exc}): pip install 'flaml[automl]'") from None
    regression = task == "regression"
    automl = AutoML()
    automl.fit(X, y, task="regression" if regression else "classification",
               time_budget=time_budget,
               metric="r2" if regression else _balanced_accuracy_loss,
               n_jobs=n_jobs, seed=seed, verbose=0)
    # best_loss is 1 - r2 (builtin) or 1 - balanced accuracy (custom metric).
    return automl, {"cv_score": 1.0 - float(automl.best_loss)}


def fit_default(X, y, task, *, kind, seed, n_jobs):
    """hgb-default / rf-default: scikit-learn's defaults behind skmeta's encoding."""
    regression = task == "regression"
    if kind == "hgb":
        estimator = (HistGradientBoostingRegressor if regression
                     else HistGradientBoostingClassifier)(random_state=seed)
        preprocessing = "native"
    else:
        estimator = (RandomForestRegressor if regression
                     else RandomForestClassifier)(n_jobs=n_jobs, random_state=seed)
        preprocessing = "ordinal"
    model = Strategy(f"{kind}_default", estimator, preprocessing=preprocessing).build()
    return model.fit(X, y), {}


def fit_library_default(X, y, task, *, library, seed, n_jobs):
    """lightgbm-default / xgboost-default / catboost-default: the library's own
    defaults (CatBoost chooses its learning rate), categories native.

    Through skmeta's adapters (:mod:`skmeta.strategies.boosting_adapters`)
    and native encoding, as its strategies get them, but with no
    configuration set: what a user gets from ``LGBMClassifier()``,
    ``XGBClassifier(enable_categorical=True)`` or ``CatBoostClassifier()``.
    """
    from skmeta.strategies.boosting_adapters import (
        XGBOOST_FIXED,
        CatBoostFrameClassifier,
        CatBoostFrameRegressor,
        XGBClassifierAnyLabels,
        import_library,
    )
    regression = task == "regression"
    module = import_library(library)
    if library == "lightgbm":
        estimator = (module.LGBMRegressor if regression else module.LGBMClassifier)(
            n_jobs=n_jobs, random_state=seed, verbose=-1)
    elif library == "xgboost":
        fixed = {**XGBOOST_FIXED, "n_jobs": n_jobs}
        estimator = (module.XGBRegressor(**fixed, random_state=seed) if regression
                     else XGBClassifierAnyLabels(random_state=seed))
    else:
        # None leaves them to CatBoost, which then chooses the learning rate
        # from the rows and trees (the adapter's own default is 0.03).
        estimator = (CatBoostFrameRegressor if regression
                     else CatBoostFrameClassifier)(random_state=seed, learning_rate=None,
                                                   l2_leaf_reg=None)
    model = Strategy(f"{library}_default", estimator, preprocessing="native").build()
    return model.fit(X, y), {}


def fit_system(system, X, y, task, *, learner, folds, seed, n_jobs, skmeta_cv):
    """Fit one system by name.

    ``folds`` are the shared 5 folds; ``skmeta_cv="default"`` withholds them
    from skmeta-1/5/10, static-1/10, size-1/10 and cold-10 (skmeta's own
    default cv). ``learner`` is the held-out MetaLearner of the system (with
    its :func:`learner_params`).
    """
    common = dict(seed=seed, n_jobs=n_jobs)
    skmeta_folds = (folds if skmeta_cv == "shared"
                    else int(skmeta_cv) if skmeta_cv.isdigit() else None)
    if system in ("skmeta-b10", "skmeta-b30"):
        return fit_skmeta(X, y, task, learner=learner, n_evaluations=1000, folds=None,
                          time_budget=BUDGETS[system], **common)
    if system.endswith("-sk"):  # the scikit-learn strategies: no boosting extra
        return fit_skmeta(X, y, task, learner=learner,
                          n_evaluations=int(system.split("-")[1]), folds=skmeta_folds,
                          portfolio=default_strategy_names(task), **common)
    if system in ("skmeta-10-auc", "skmeta-10-priced", "skmeta-10-c05",
                  "skmeta-10-auc-c05"):
        params = {}
        if "-auc" in system:  # told the metric of the comparison
            params["scoring"] = "r2" if task == "regression" else "roc_auc"
        if system.endswith("-c05"):  # cost priced at 0.05
            params["cost_weight"] = 0.05
        if system.endswith("-priced"):  # the learned cost weight without a budget
            family = "regression" if task == "regression" else "classification"
            params["cost_weight"] = learner.adjuster_settings(family).cost_weight
        return fit_skmeta(X, y, task, learner=learner, n_evaluations=10,
                          folds=skmeta_folds, **params, **common)
    if system.startswith("skmeta-"):
        k = int(system.split("-")[1])
        return fit_skmeta(X, y, task, learner=learner, n_evaluations=k,
                          folds=skmeta_folds, **common)
    if _baseline(system):  # the learner has the system's parameters
        return fit_skmeta(X, y, task, learner=learner,
                          n_evaluations=int(system.split("-")[1]),
                          folds=skmeta_folds, **common)
    if system == "cold-10":
        return fit_cold_start(X, y, task, n_evaluations=10, folds=skmeta_folds,
                              **common)
    if system == "rs-20-cheap":
        return fit_cheap_search(X, y, task, **common)
    if system.startswith("rs-"):
        return fit_random_search(X, y, task, n_iter=int(system.split("-")[1]),
                                 folds=folds, **common)
    if system in ("hgb-default", "rf-default"):
        return fit_default(X, y, task, kind=system.split("-")[0], **common)
    if system in ("lightgbm-default", "xgboost-default", "catboost-default"):
        return fit_library_default(X, y, task, library=system.split("-")[0], **common)
    if system in ("flaml-10", "flaml-30"):
        return fit_flaml(X, y, task, time_budget=BUDGETS[system], **common)
    raise ValueError(f"unknown system {system!r}; choose from {SYSTEMS}")

