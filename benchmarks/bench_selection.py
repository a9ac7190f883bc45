"""Model-selection benchmark: skmeta against random search, FLAML and fixed defaults.

Leave-one-dataset-out over the corpus (``../shared/corpus`` beside the
repository): for every dataset ``D`` and seed, an outer stratified 75/25 split
(``train_test_split(test_size=0.25, random_state=seed)``); every system is fit
on the 75 % and scored on the 25 % with balanced accuracy (classification) or
R² (regression); the wall seconds of ``fit`` are recorded. Systems, all in one
run, all with the same ``--n-jobs N`` so that wall times compare (``--n-jobs
1``: the one-core protocol of issue 13):

``skmeta-1``, ``skmeta-5``, ``skmeta-10``
    ``MetaClassifier``/``MetaRegressor(knowledge_base=learner,
    n_evaluations=k, random_state=seed, n_jobs=N)`` with the other
    parameters at their defaults (so ``ensemble_size=10``), plus
    ``cv=folds`` (the shared folds below) only with ``--skmeta-cv shared``;
    with ``--skmeta-cv default`` (the default) skmeta uses its own default
    ``cv``, since it may choose its own evaluation protocol; with
    ``--skmeta-cv K`` (a number) ``cv=K``. ``learner`` is a
    :class:`~skmeta.MetaLearner` meta-trained without ``D``:
    ``MetaLearner.from_knowledge_base(kb, exclude=<D and its KEEL family>,
    adjuster_settings=<settings of D's fold>)``. ``skmeta-1`` is zero-shot.
``skmeta-b10``, ``skmeta-b30``
    Budgeted: ``MetaClassifier``/``MetaRegressor(knowledge_base=learner,
    n_evaluations=1000, time_budget=B, random_state=seed, n_jobs=N)`` with
    B = 10 and 30 s, every other parameter (``cv`` included) at its default.
``cold-10``
    The same as ``skmeta-10`` (the same ``--skmeta-cv`` rule) from an empty
    knowledge base (``knowledge_base=KnowledgeBase()``): uniform prior,
    default configurations first, the hand-set
    :class:`~skmeta.adjust.AdjusterSettings`.
``rs-10``, ``rs-30``
    ``RandomizedSearchCV`` with 10 and 30 iterations over skmeta's own
    portfolio (:func:`skmeta.strategies.default_portfolio`): a one-step
    ``Pipeline`` whose step is drawn from one parameter-distribution dict per
    strategy (``{"model": [strategy.build()], "model__estimator__C":
    loguniform(...)}``), each dimension sampled as the strategy's own
    :class:`~skmeta.strategies.Space` samples it. ``scoring``
    balanced_accuracy / r2, ``error_score=nan``, ``refit=True``,
    ``cv=folds``, ``n_jobs=N``.
``rs-20-cheap``
    The random search a user would write: ``RandomizedSearchCV(n_iter=20,
    cv=make_cv(3, task, y_train, seed), scoring=balanced_accuracy / r2,
    error_score=nan, refit=True, n_jobs=N, random_state=seed)`` over five
    pipelines, one distribution dict each:

    - HistGradientBoosting (``random_state=seed``) with native categories
      (categorical columns of at most 255 levels ordinal-coded and flagged
      ``categorical_features``; more levels: ordinal codes as numbers) and
      NaN left to the model: ``learning_rate`` loguniform(0.01, 0.3),
      ``max_leaf_nodes`` randint(8, 128), ``min_samples_leaf``
      randint(5, 100), ``l2_regularization`` loguniform(1e-6, 10);
    - RandomForest and ExtraTrees (``n_jobs=1, random_state=seed``), numbers
      median-imputed, categories imputed with a constant and ordinal-coded
      (unknown: -1): ``max_features`` uniform(0.1, 1.0),
      ``min_samples_leaf`` randint(1, 10);
    - LogisticRegression(max_iter=1000) (``C`` loguniform(1e-3, 100)) or
      Ridge (``alpha`` loguniform(1e-3, 1000)), numbers median-imputed and
      standardized, categories one-hot (``max_categories=20``, unknown and
      infrequent levels grouped);
    - KNeighbors with the same preprocessing: ``n_neighbors``
      randint(1, 30), ``weights`` uniform or distance.
``hgb-default``, ``rf-default``
    ``HistGradientBoosting*`` and ``RandomForest*`` with scikit-learn's
    default hyperparameters (``random_state=seed``; the forest gets
    ``n_jobs=N``), behind the preprocessing the portfolio gives them: native
    categories and NaN for boosting, imputation and ordinal codes for the forest
    (``Strategy(..., preprocessing="native"/"ordinal").build()``).
``flaml-10``, ``flaml-30``
    ``flaml.AutoML().fit(X, y, task="classification"/"regression",
    time_budget=B, metric=..., n_jobs=N, seed=seed, verbose=0)`` with B = 10
    and 30 s. The metric: for regression FLAML's builtin ``"r2"``; for
    classification FLAML has no builtin balanced accuracy, so a custom metric
    function returns ``1 - balanced_accuracy_score(y_val,
    estimator.predict(X_val))`` as the loss. ``cv_score`` is ``1 -
    best_loss``, on FLAML's own validation protocol. FLAML is optional
    (``pip install "flaml[automl]"``), imported when the system is fit; if it
    is missing, the system is recorded as failed with that message. It is
    imported once per worker before the first fit, untimed, as the other
    systems' modules are.

Parallelism: ``--n-jobs N`` is every system's own ``n_jobs``; every fit runs
under ``threadpool_limits(1)``, as the evaluations inside skmeta's and
RandomizedSearchCV's worker processes already do (boosting's OpenMP threads
on a busy 2-core machine are erratic: the same fit takes 0.2 s or 15 s).
``--parallel-fits P`` runs P worker processes side by side (``spawn``), each
taking whole (dataset, seed) pairs and fitting their pending systems one
after the other; so with ``--n-jobs 1 --parallel-fits 2`` on 2 cores a run
takes about half the time and every system is still measured on one core,
all in the same run. Workers append rows to the results files under a file
lock as each fit finishes.

The shared folds: ``skmeta.evaluation.make_cv(5, task, y_train, seed)``
(shuffled, stratified for classification, fewer folds when a class has fewer
than 5 training rows), passed as ``cv`` to rs-10 and rs-30 (and to
skmeta-1/5/10 and cold-10 with ``--skmeta-cv shared``); the constant
predictor's CV score (curve normalization) is computed on them too.

Meta-training without the held-out dataset. The knowledge base (``--kb``,
default ``build/knowledge_base.sqlite``, or a ``.json.gz`` export such as
the shipped ``skmeta/data/knowledge_base.json.gz``) is copied into memory
once per process and never written. For ``D``, the meta-models
(performance and cost models, nearest datasets) are refit without ``D`` and
the other datasets of its KEEL family (a few seconds; not counted in skmeta's
wall time, as a user would load a ready-made meta-learner). Meta-learning the
adjuster settings (a replay grid search, about a minute) is not repeated per
dataset: the knowledge base's datasets are split into 5 folds by KEEL family
(``crc32(family) % 5``, so the folds do not depend on the slice being run),
the settings are learned once per fold on the knowledge base without that
fold (``MetaLearner.from_knowledge_base(kb, exclude=fold).adjuster_settings_``),
up front and ``max(--n-jobs, --parallel-fits)`` folds in parallel, and cached
in ``<results>_settings.json``; every dataset of the fold uses them. So
neither the meta-models nor the settings ever saw ``D``.

Large datasets: the outer training set is subsampled (stratified) to at most
``--max-train`` rows (default 20000) for every system alike; the test set is
the full 25 %.

Results are appended to ``--results`` (CSV, one row per dataset, seed and
system, written as soon as it is done; a rerun skips the rows present, so the
run is resumable) and the cross-validation scores of every search, in
evaluation order, to ``<results>_curves.jsonl``, with, where known, each
evaluation's finish time in seconds (``seconds``): for skmeta the trace's
``seconds`` column (since the start of the search, i.e. after the
meta-features); for a RandomizedSearchCV candidate ``i`` the cumulative sum
over candidates ``0..i`` of ``(mean_fit_time + mean_score_time) * n_folds``
from ``cv_results_``, divided by ``n_jobs`` (an approximation of the time
since the start of the fit: the search's overhead and the order parallel
workers finish in are ignored). A system that raises is recorded with its
error and a NaN score. Start a new results file when the knowledge base,
``--skmeta-cv`` or ``--max-train`` changes (the ``kb`` column records the
knowledge base; the others are not recorded).

The report (printed after a run, or alone with ``--report-only``) uses the
(dataset, seed) pairs for which every selected system has a row, and prints
a table per task family (classification = binary + multiclass, regression)
and overall:

- normalized score ``(score - constant) / (best of all systems - constant)``,
  the constant predictor being ``DummyClassifier(most_frequent)`` /
  ``DummyRegressor(mean)`` fit on the same training set; 1 is the best system.
  A failed system counts as the constant predictor (0), values below -1 are
  clipped to -1 (a regression that predicts far worse than the mean would
  otherwise dominate the mean), and pairs where no system beats the constant
  predictor are left out of this mean;
- mean rank of the test scores (1 best, ties averaged, failures last), among
  the selected systems;
- median and p95 wall seconds of ``fit``; failures.

The targets of issue 13, as PASS/FAIL lines with their figures:

(a) per family: skmeta-10's median wall <= 0.5 x rs-20-cheap's (the ratio
    of the medians decides; the median over pairs of the per-pair ratio
    skmeta-10 / rs-20-cheap is printed beside it) and skmeta-10's mean
    normalized score >= rs-20-cheap's; a last line passes when both families
    do, with the overall ratios;
(b) zero-shot, overall: skmeta-1's median wall <= 3 x hgb-default's, its p95
    wall <= 3 s, and its mean normalized score above hgb-default's and
    rf-default's;
(c) per family and overall: skmeta-b10 beats flaml-30 on mean normalized
    score (higher) and mean rank (lower).

The earlier targets, as before: skmeta-10 beats rs-30 (normalized, rank,
median seconds ratio < 0.5), zero-shot beats the defaults, warm beats cold
start, and the evaluations skmeta-10 needs to reach 99 % of the best CV score
RandomizedSearchCV-30 found: the first evaluation whose best-so-far score is
``>= best_rs30 - 0.01 * |best_rs30|`` (for R² near 0 this is a small
absolute tolerance rather than a ratio), infinity if none of the 10 does; the
median over (dataset, seed) pairs.

Figures (PNG, matplotlib; skipped with a message without it):

- ``--plot`` (``adaptation.png``): the adaptation curve against evaluations
  for skmeta-10, cold-10 and rs-30: the best cross-validation score so far
  after each evaluation, normalized per (dataset, seed) as ``(cv - constant
  cv) / (best cv of all searches - constant cv)`` (the constant predictor
  cross-validated on the shared folds) so that classification and regression
  can be averaged; 0 before the first successful evaluation;
- ``--plot-seconds`` (default ``<plot>_seconds.png``): the adaptation curve
  against wall seconds for skmeta-10, skmeta-b30 and rs-20-cheap, on a log x
  axis: at each time t of a log grid (0.05 s to 1.2 x the last finish
  time), the best CV score among the evaluations finished by t (finish times
  as above; a finished search keeps its last value), normalized as in the
  first figure, averaged over the pairs where all three have a timed curve.
  The searches' CV protocols
  differ (skmeta's own, 3-fold), so the normalization across them is
  approximate. The mean values at 0.5, 1, 2, 5, 10 and 30 s are printed.

Usage::

    python benchmarks/bench_selection.py --quick --n-jobs 1 --parallel-fits 2
    python benchmarks/bench_selection.py --n-jobs 1 --parallel-fits 2  # all
    python benchmarks/bench_selection.py --datasets sklearn_wine,keel_bupa \
        --seeds 0 --results /tmp/sel.csv
    python benchmarks/bench_selection.py --report-only
    # long runs: nohup python benchmarks/bench_selection.py ... > results/full.log &

Options: ``--kb``, ``--corpus``, ``--datasets a,b``, ``--quick``, ``--seeds
0,1``, ``--systems a,b``, ``--n-jobs 2``, ``--parallel-fits 1``,
``--skmeta-cv default|shared|K``, ``--max-train 20000``, ``--results``,
``--plot``, ``--plot-seconds``, ``--report-only``.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import math
import multiprocessing
import os
import sys
import time
import warnings
import zlib
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy import stats
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import balanced_accuracy_score, r2_score
from sklearn.model_selection import (
    RandomizedSearchCV,
    cross_val_score,
    train_test_split,
)
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from skmeta import MetaClassifier, MetaLearner, MetaRegressor
from skmeta.adjust import AdjusterSettings
from skmeta.evaluation import make_cv
from skmeta.knowledge import KnowledgeBase
from skmeta.learner import SETTINGS_VERSION
from skmeta.strategies import (
    Categorical,
    Integer,
    LogUniform,
    Strategy,
    Uniform,
    default_portfolio,
)

# Worker processes (joblib/loky) inherit this: learners' convergence warnings
# during a search are expected and would only flood the log.
os.environ.setdefault("PYTHONWARNINGS", "ignore")

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "scripts")]
from bench_metatrain import _family  # noqa: E402
from build_knowledge_base import DEFAULT_CORPUS, load_corpus  # noqa: E402

SYSTEMS = (
    "skmeta-1", "skmeta-5", "skmeta-10", "skmeta-b10", "skmeta-b30", "cold-10",
    "rs-10", "rs-30", "rs-20-cheap", "hgb-default", "rf-default",
    "flaml-10", "flaml-30",
)
#: Time budgets (seconds) of the budgeted systems.
BUDGETS = {"skmeta-b10": 10, "skmeta-b30": 30, "flaml-10": 10, "flaml-30": 30}
CHEAP_FOLDS = 3
CHEAP_ITERATIONS = 20

#: A fixed development slice: binary, multiclass and regression datasets of
#: at most ~3000 rows, interleaved so that a partial run covers every task.
QUICK = [
    "sklearn_wine", "sklearn_diabetes", "keel_bupa",
    "rdata_palmerpenguins_penguins", "rdata_aer_caschools", "keel_haberman",
    "rdata_dslabs_olive", "rdata_ecdat_clothing", "sklearn_breast_cancer",
    "rdata_aer_houseprices", "keel_saheart", "keel_vehicle",
    "rdata_islr_carseats", "keel_australian", "rdata_aer_cps1985",
    "keel_crx", "rdata_cardata_salaries", "rdata_cardata_mroz",
    "keel_vowel", "rdata_islr_college", "keel_mammographic",
    "rdata_modeldata_concrete", "keel_tic_tac_toe", "keel_contraceptive",
    "rdata_openintro_babies", "keel_yeast3", "rdata_modeldata_attrition",
    "rdata_mass_nlschools", "sklearn_digits", "rdata_islr_wage",
]

N_FOLDS = 5
CSV_COLUMNS = [
    "dataset", "task", "seed", "system", "score", "constant", "seconds",
    "cv_score", "n_evaluations", "n_failed", "n_train", "n_test", "kb", "error",
]


# -- knowledge base, folds and adjuster settings ------------------------------

def open_kb(path):
    """An in-memory copy of a knowledge base file (SQLite or JSON export)."""
    path = Path(path)
    if not path.is_file():
        raise SystemExit(f"no knowledge base at {path}; build it with "
                         "scripts/build_knowledge_base.py or pass --kb.")
    if path.name.endswith((".json", ".json.gz")):
        return KnowledgeBase.from_json(path)
    source = KnowledgeBase(path)
    try:
        return source.copy()
    finally:
        source.close()


def kb_signature(kb):
    """A short text naming the knowledge base's content (its size)."""
    summary = kb.summary()
    return f"{summary['n_datasets']}d-{summary['n_evaluations']}e"


def family_groups(kb, corpus):
    """Dataset name -> its KEEL family (or its own name), for every stored dataset."""
    manifest = pd.read_csv(Path(corpus) / "manifest.csv").set_index("name")
    origin = manifest["origin"]
    return {name: _family(name, origin.get(name)) for name in kb.datasets()["name"]}


def fold_of(group):
    """The fold (0..4) of a family group: fixed, whatever the slice being run."""
    return zlib.crc32(group.encode()) % N_FOLDS


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


class _HeldOutLearner:
    """Builds, on first call, a MetaLearner that never saw a dataset nor its family.

    The performance model and nearest datasets learn from the knowledge base
    without the family; the adjuster settings are those of the family's fold.
    """

    def __init__(self, kb, name, groups, settings, n_jobs):
        self.kb, self.name, self.groups = kb, name, groups
        self.settings, self.n_jobs = settings, n_jobs
        self.learner = None

    def __call__(self):
        if self.learner is None:
            group = self.groups.get(self.name, self.name)
            excluded = [n for n, g in self.groups.items() if g == group] or [self.name]
            self.learner = MetaLearner.from_knowledge_base(
                self.kb, exclude=excluded,
                adjuster_settings=self.settings.get(fold_of(group)),
                n_jobs=self.n_jobs, random_state=0,
            )
            for family in list(self.learner.performance_models_):
                # Fitted (the racing policy learned) here, untimed.
                self.learner.performance_models_[family]
                self.learner.cost_models_[family]
                self.learner.racing_policy(family)
        return self.learner


# -- data ------------------------------------------------------------------------

def _split(index, y, seed, **sizes):
    try:
        return train_test_split(index, stratify=y, random_state=seed, **sizes)
    except ValueError:  # regression, or a class too small to stratify on
        return train_test_split(index, random_state=seed, **sizes)


def outer_split(dataset, seed, max_train):
    """75/25 split (stratified), the training part capped at ``max_train`` rows."""
    stratify = None if dataset.task == "regression" else dataset.y
    train, test = _split(np.arange(dataset.n_samples), stratify, seed, test_size=0.25)
    if max_train and len(train) > max_train:
        part = None if stratify is None else stratify[train]
        train, _ = _split(train, part, seed, train_size=max_train)
        train = np.sort(train)
    X, y = dataset.X, dataset.y
    return X.iloc[train], X.iloc[test], y[train], y[test]


def holdout_score(task, y_true, y_pred):
    if task == "regression":
        return float(r2_score(y_true, y_pred))
    return float(balanced_accuracy_score(y_true, y_pred))


def constant_predictor(task):
    if task == "regression":
        return DummyRegressor(strategy="mean")
    return DummyClassifier(strategy="most_frequent")


# -- systems ---------------------------------------------------------------------
# Each returns (fitted model, info) where info holds the search's CV scores
# in evaluation order ("curve", NaN for a failure) when it is a search.

def fit_skmeta(X, y, task, *, learner, n_evaluations, folds, seed, n_jobs,
               time_budget=None):
    """skmeta; ``folds=None`` leaves ``cv`` at skmeta's default."""
    cls = MetaRegressor if task == "regression" else MetaClassifier
    params = dict(knowledge_base=learner, n_evaluations=n_evaluations,
                  random_state=seed, n_jobs=n_jobs)
    if folds is not None:
        params["cv"] = folds
    if time_budget is not None:
        params["time_budget"] = time_budget
    model = cls(**params)
    model.fit(X, y)
    return model, _trace_info(model)


def fit_cold_start(X, y, task, *, n_evaluations, folds, seed, n_jobs):
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
        info["seconds"] = pd.to_numeric(trace["seconds"], errors="coerce").round(3).tolist()
    return info


def _search_info(search, n_folds, n_jobs):
    """Curve, best score and approximate finish times of a RandomizedSearchCV.

    Candidate ``i`` is taken to finish at the cumulative sum, over candidates
    ``0..i``, of ``(mean_fit_time + mean_score_time) * n_folds``, divided by
    ``n_jobs`` (an approximation: the search's own overhead and the order in
    which parallel workers finish are ignored).
    """
    results = search.cv_results_
    scores = np.asarray(results["mean_test_score"], dtype=float)
    cost = ((np.asarray(results["mean_fit_time"], dtype=float)
             + np.asarray(results["mean_score_time"], dtype=float)) * n_folds)
    seconds = np.cumsum(cost) / max(int(n_jobs or 1), 1)
    return {"curve": scores.tolist(), "cv_score": float(search.best_score_),
            "n_failed": int(np.isnan(scores).sum()),
            "seconds": np.round(seconds, 3).tolist()}


class _LogInteger:
    """An integer sampled uniformly on a log scale, as skmeta's Integer(log=True)."""

    def __init__(self, dimension):
        self.dimension = dimension

    def rvs(self, random_state=None):
        rng = np.random.default_rng(random_state.randint(2**31 - 1)
                                    if isinstance(random_state, np.random.RandomState)
                                    else random_state)
        return self.dimension.from_unit(rng.random())


class _Converted:
    """Samples of a distribution passed through a strategy's converter."""

    def __init__(self, distribution, converter):
        self.distribution = distribution
        self.converter = converter

    def rvs(self, random_state=None):
        if isinstance(self.distribution, list):
            rng = np.random.RandomState(random_state.randint(2**31 - 1))
            value = self.distribution[rng.randint(len(self.distribution))]
        else:
            value = self.distribution.rvs(random_state=random_state)
        return self.converter(value)


def _scipy_distribution(dimension):
    """The scipy distribution (or list) that samples a skmeta dimension alike."""
    if isinstance(dimension, Categorical):
        return list(dimension.choices)
    if isinstance(dimension, LogUniform):
        return stats.loguniform(dimension.low, dimension.high)
    if isinstance(dimension, Uniform):
        return stats.uniform(dimension.low, dimension.high - dimension.low)
    if isinstance(dimension, Integer):
        if dimension.log:
            return _LogInteger(dimension)
        return stats.randint(dimension.low, dimension.high + 1)
    raise TypeError(f"no scipy distribution for {dimension!r}")


def _parameter_path(pipeline, name):
    """Where the estimator's parameter ``name`` sits in a built strategy."""
    params = pipeline.get_params(deep=True)
    # The estimator step may wrap the configured learner: target scaling
    # (TransformedTargetRegressor.regressor) or calibration
    # (CalibratedClassifierCV.estimator).
    for prefix in ("estimator__", "estimator__regressor__", "estimator__estimator__"):
        if prefix + name in params:
            return prefix + name
    raise KeyError(f"parameter {name!r} not found in {pipeline}")


def random_search_distributions(portfolio):
    """One parameter-distribution dict per strategy, for a ``"model"`` pipeline step."""
    distributions = []
    for strategy in portfolio:
        pipeline = strategy.build()
        entry = {"model": [pipeline]}
        for name, dimension in strategy.space.items():
            distribution = _scipy_distribution(dimension)
            if name in strategy.converters:
                distribution = _Converted(distribution, strategy.converters[name])
            entry["model__" + _parameter_path(pipeline, name)] = distribution
        distributions.append(entry)
    return distributions


def fit_random_search(X, y, task, *, n_iter, folds, seed, n_jobs):
    portfolio = default_portfolio(task)
    return _randomized_search(X, y, task, Pipeline([("model", portfolio[0].build())]),
                              random_search_distributions(portfolio), n_iter=n_iter,
                              folds=folds, seed=seed, n_jobs=n_jobs)


def _randomized_search(X, y, task, pipeline, distributions, *, n_iter, folds, seed,
                       n_jobs):
    """Fit a RandomizedSearchCV on the task's metric; (search, its info)."""
    search = RandomizedSearchCV(
        pipeline,
        distributions,
        n_iter=n_iter,
        scoring="r2" if task == "regression" else "balanced_accuracy",
        cv=folds,
        refit=True,
        error_score=np.nan,
        n_jobs=n_jobs,
        random_state=seed,
    )
    search.fit(X, y)
    return search, _search_info(search, folds.get_n_splits(), n_jobs)


# -- rs-20-cheap: the random search a user would write ---------------------------

def _column_kinds(X):
    """(numeric columns, categorical columns) of a DataFrame (booleans: numeric)."""
    categorical = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
    numeric = [c for c in X.columns if c not in categorical]
    return numeric, categorical


def _preprocessor(numeric, categorical, *, scale, one_hot):
    """Imputation (+ scaling) of numbers; one-hot or ordinal codes of categories."""
    numbers = make_pipeline(SimpleImputer(strategy="median"),
                            *([StandardScaler()] if scale else []))
    if one_hot:
        encoder = OneHotEncoder(handle_unknown="infrequent_if_exist",
                                max_categories=20)
    else:
        encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
    categories = make_pipeline(
        SimpleImputer(strategy="constant", fill_value="missing"), encoder)
    return ColumnTransformer([("num", numbers, numeric), ("cat", categories, categorical)])


def _hgb_pipeline(X, estimator):
    """HistGradientBoosting with native categories (<= 255 levels) and NaN."""
    numeric, categorical = _column_kinds(X)
    native = [c for c in categorical if X[c].nunique() <= 255]
    coded = [c for c in categorical if c not in native]
    prep = ColumnTransformer(
        [("cat", OrdinalEncoder(handle_unknown="use_encoded_value",
                                unknown_value=np.nan, encoded_missing_value=np.nan),
          native + coded),
         ("num", "passthrough", numeric)])
    mask = [True] * len(native) + [False] * (len(coded) + len(numeric))
    estimator.set_params(categorical_features=mask if any(mask) else None)
    return Pipeline([("prep", prep), ("est", estimator)])


def cheap_search_distributions(X, task, seed):
    """Five pipelines and a few scipy distributions for each (see the docstring)."""
    regression = task == "regression"
    numeric, categorical = _column_kinds(X)
    hgb = (HistGradientBoostingRegressor if regression
           else HistGradientBoostingClassifier)(random_state=seed)
    forest = RandomForestRegressor if regression else RandomForestClassifier
    extra = ExtraTreesRegressor if regression else ExtraTreesClassifier
    knn = KNeighborsRegressor if regression else KNeighborsClassifier
    ordinal = dict(scale=False, one_hot=False)
    scaled = dict(scale=True, one_hot=True)

    def pipe(estimator, **prep):
        return Pipeline([("prep", _preprocessor(numeric, categorical, **prep)),
                         ("est", estimator)])

    trees = {"model__est__max_features": stats.uniform(0.1, 0.9),
             "model__est__min_samples_leaf": stats.randint(1, 11)}
    if regression:
        linear = (pipe(Ridge(), **scaled),
                  {"model__est__alpha": stats.loguniform(1e-3, 1e3)})
    else:
        linear = (pipe(LogisticRegression(max_iter=1000), **scaled),
                  {"model__est__C": stats.loguniform(1e-3, 1e2)})
    return [
        {"model": [_hgb_pipeline(X, hgb)],
         "model__est__learning_rate": stats.loguniform(0.01, 0.3),
         "model__est__max_leaf_nodes": stats.randint(8, 129),
         "model__est__min_samples_leaf": stats.randint(5, 101),
         "model__est__l2_regularization": stats.loguniform(1e-6, 10.0)},
        {"model": [pipe(forest(n_jobs=1, random_state=seed), **ordinal)], **trees},
        {"model": [pipe(extra(n_jobs=1, random_state=seed), **ordinal)], **trees},
        {"model": [linear[0]], **linear[1]},
        {"model": [pipe(knn(), **scaled)],
         "model__est__n_neighbors": stats.randint(1, 31),
         "model__est__weights": ["uniform", "distance"]},
    ]


def fit_cheap_search(X, y, task, *, seed, n_jobs):
    folds = make_cv(CHEAP_FOLDS, task, y, seed)
    distributions = cheap_search_distributions(X, task, seed)
    return _randomized_search(X, y, task, Pipeline([("model", distributions[0]["model"][0])]),
                              distributions, n_iter=CHEAP_ITERATIONS, folds=folds,
                              seed=seed, n_jobs=n_jobs)


# -- FLAML --------------------------------------------------------------------------

def _balanced_accuracy_loss(X_val, y_val, estimator, labels, X_train, y_train,
                            *args, **kwargs):
    """FLAML custom metric: 1 - balanced accuracy on the validation data."""
    score = balanced_accuracy_score(y_val, estimator.predict(X_val))
    return 1.0 - score, {"balanced_accuracy": score}


def fit_flaml(X, y, task, *, time_budget, seed, n_jobs):
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


def _skmeta_cv(text):
    if text in ("shared", "default") or (text.isdigit() and int(text) >= 2):
        return text
    raise argparse.ArgumentTypeError(
        f"expected 'shared', 'default' or a number of folds >= 2, got {text!r}")


def fit_system(system, X, y, task, *, learner, folds, seed, n_jobs, skmeta_cv):
    """Fit one system by name.

    ``folds`` are the shared 5 folds; ``skmeta_cv="default"`` withholds them
    from skmeta-1/5/10 and cold-10 (skmeta's own default cv).
    """
    common = dict(seed=seed, n_jobs=n_jobs)
    skmeta_folds = (folds if skmeta_cv == "shared"
                    else int(skmeta_cv) if skmeta_cv.isdigit() else None)
    if system in ("skmeta-b10", "skmeta-b30"):
        return fit_skmeta(X, y, task, learner=learner, n_evaluations=1000, folds=None,
                          time_budget=BUDGETS[system], **common)
    if system.startswith("skmeta-"):
        k = int(system.split("-")[1])
        return fit_skmeta(X, y, task, learner=learner, n_evaluations=k,
                          folds=skmeta_folds, **common)
    if system == "cold-10":
        return fit_cold_start(X, y, task, n_evaluations=10, folds=skmeta_folds, **common)
    if system == "rs-20-cheap":
        return fit_cheap_search(X, y, task, **common)
    if system.startswith("rs-"):
        return fit_random_search(X, y, task, n_iter=int(system.split("-")[1]),
                                 folds=folds, **common)
    if system in ("hgb-default", "rf-default"):
        return fit_default(X, y, task, kind=system.split("-")[0], **common)
    if system in ("flaml-10", "flaml-30"):
        return fit_flaml(X, y, task, time_budget=BUDGETS[system], **common)
    raise ValueError(f"unknown system {system!r}; choose from {SYSTEMS}")


# -- results files ---------------------------------------------------------------

def side_file(results, suffix):
    return results.with_name(results.stem + suffix)


def done_keys(results):
    if not results.is_file():
        return set()
    table = pd.read_csv(results)
    return set(zip(table["dataset"], table["seed"].astype(int), table["system"],
                   strict=True))


def _append_locked(path, text):
    """Append text to a file under an exclusive lock (several workers write)."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.write(text)
            handle.flush()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def append_row(results, row):
    results.parent.mkdir(parents=True, exist_ok=True)
    line = pd.DataFrame([row], columns=CSV_COLUMNS).to_csv(index=False, header=False)
    with open(results, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if os.fstat(handle.fileno()).st_size == 0:
                handle.write(",".join(CSV_COLUMNS) + "\n")
            handle.write(line)
            handle.flush()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def append_curve(path, record):
    _append_locked(path, json.dumps(record) + "\n")


# -- the run -----------------------------------------------------------------------

def fit_and_score(system, X_train, y_train, X_test, y_test, task, learner_factory,
                  folds, seed, n_jobs, skmeta_cv="default"):
    """Fit one system, timed; returns (test score, seconds, info, error)."""
    info, error, score, seconds, start = {}, "", np.nan, np.nan, None
    try:
        # The held-out meta-learner stands for a ready-made one: not timed.
        learner = learner_factory() if system.startswith("skmeta-") else None
        start = time.perf_counter()
        with warnings.catch_warnings(), threadpool_limits(1):
            warnings.simplefilter("ignore")
            model, info = fit_system(system, X_train, y_train, task, learner=learner,
                                     folds=folds, seed=seed, n_jobs=n_jobs,
                                     skmeta_cv=skmeta_cv)
            seconds = time.perf_counter() - start
            score = holdout_score(task, y_test, model.predict(X_test))
    except Exception as exc:  # recorded, the run goes on
        error = f"{type(exc).__name__}: {exc}"[:500]
        if start is not None and np.isnan(seconds):
            seconds = time.perf_counter() - start
    return score, seconds, info, error


def prepare_split(dataset, seed, max_train):
    """The outer split, the CV folds and the constant predictor's scores."""
    X_train, X_test, y_train, y_test = outer_split(dataset, seed, max_train)
    task = dataset.task
    folds = make_cv(N_FOLDS, task, y_train, seed)
    constant = constant_predictor(task).fit(X_train, y_train)
    constant_score = holdout_score(task, y_test, constant.predict(X_test))
    constant_cv = float(np.mean(cross_val_score(
        constant_predictor(task), X_train, y_train, cv=folds,
        scoring="r2" if task == "regression" else "balanced_accuracy",
    )))
    return X_train, X_test, y_train, y_test, folds, constant_score, constant_cv


def run_dataset_seed(dataset, seed, systems, args, learner_factory, kb_name):
    """Fit every pending system on one (dataset, seed); append rows as they finish."""
    task = dataset.task
    try:
        (X_train, X_test, y_train, y_test, folds, constant_score,
         constant_cv) = prepare_split(dataset, seed, args.max_train)
    except ValueError as exc:  # e.g. a class with a single training row
        error = f"split: {type(exc).__name__}: {exc}"[:500]
        print(f"  {dataset.name} seed={seed}: {error}", flush=True)
        for system in systems:
            append_row(args.results, {
                "dataset": dataset.name, "task": task, "seed": seed,
                "system": system, "kb": kb_name, "error": error,
            })
        return
    for system in systems:
        score, seconds, info, error = fit_and_score(
            system, X_train, y_train, X_test, y_test, task, learner_factory,
            folds, seed, args.n_jobs, args.skmeta_cv,
        )
        row = {
            "dataset": dataset.name, "task": task, "seed": seed, "system": system,
            "score": score, "constant": constant_score, "seconds": round(seconds, 3),
            "cv_score": info.get("cv_score", np.nan),
            "n_evaluations": len(info.get("curve", [])) or np.nan,
            "n_failed": info.get("n_failed", np.nan),
            "n_train": len(y_train), "n_test": len(y_test), "kb": kb_name,
            "error": error,
        }
        append_row(args.results, row)
        if "curve" in info:
            append_curve(side_file(args.results, "_curves.jsonl"), {
                "dataset": dataset.name, "seed": seed, "system": system,
                "constant_cv": constant_cv, "curve": info["curve"],
                **{k: info[k] for k in ("strategies", "fit_seconds", "seconds")
                   if k in info},
            })
        status = f"{score:.4f}" if not error else f"ERROR {error[:120]}"
        print(f"  {dataset.name} seed={seed} {system}: {status} "
              f"({seconds:.1f} s)", flush=True)


#: Per worker process: the knowledge base, settings and data, loaded once.
_WORKER = {}


def _worker_state(args):
    if not _WORKER:
        kb = open_kb(args.kb)
        groups = family_groups(kb, args.corpus)
        _WORKER.update(
            kb=kb, signature=kb_signature(kb), groups=groups,
            settings=SettingsCache(side_file(args.results, "_settings.json"), kb,
                                   groups, kb_signature(kb),
                                   max(args.n_jobs, args.parallel_fits)))
    return _WORKER


def run_unit(args, name, seed, systems):
    """One (dataset, seed) and its pending systems, in this process (a worker's job)."""
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    warnings.simplefilter("ignore")
    state = _worker_state(args)
    if any(s.startswith("flaml-") for s in systems) and "flaml" not in state:
        try:  # imported once per process, untimed, as the other systems' modules
            import flaml.automl  # noqa: F401
        except ImportError:
            pass  # fit_flaml records the failure
        state["flaml"] = True
    (dataset,) = load_corpus(args.corpus, [name])
    if name not in state["kb"].datasets()["name"].values:
        print(f"  note: {name} is not in the knowledge base", flush=True)
    print(f"{name} ({dataset.task}, {dataset.n_samples} rows) seed={seed}: "
          f"{', '.join(systems)}", flush=True)
    learner_factory = _HeldOutLearner(state["kb"], name, state["groups"],
                                      state["settings"], args.n_jobs)
    run_dataset_seed(dataset, seed, systems, args, learner_factory, state["signature"])
    return name, seed


def run(args, names, systems):
    state = _worker_state(args)
    kb, groups, settings = state["kb"], state["groups"], state["settings"]
    signature = state["signature"]
    done = done_keys(args.results)
    print(f"knowledge base {args.kb}: {signature}; {len(names)} datasets, seeds "
          f"{args.seeds}, systems {', '.join(systems)}; {len(done)} rows already in "
          f"{args.results}; {args.parallel_fits} fit(s) side by side, n_jobs="
          f"{args.n_jobs} each; skmeta cv: {args.skmeta_cv}", flush=True)
    if args.parallel_fits * args.n_jobs > (os.cpu_count() or 1):
        print(f"  warning: {args.parallel_fits} x {args.n_jobs} cores asked for, "
              f"{os.cpu_count()} available: wall times will be inflated", flush=True)
    if any(s.startswith("flaml-") for s in systems):
        try:
            import flaml.automl  # noqa: F401
        except ImportError:
            print("  warning: FLAML is not installed (pip install 'flaml[automl]'); "
                  "the flaml systems will be recorded as failed", flush=True)
    if any(s.startswith("skmeta-") for s in systems):
        settings.prepare(fold_of(groups.get(n, n)) for n in names)
    units = []
    for seed in args.seeds:
        for name in names:
            pending = [s for s in systems if (name, seed, s) not in done]
            if pending:
                units.append((name, seed, pending))
    if args.parallel_fits <= 1:
        for name, seed, pending in units:
            run_unit(args, name, seed, pending)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=args.parallel_fits,
                             mp_context=context) as executor:
        futures = [executor.submit(run_unit, args, name, seed, pending)
                   for name, seed, pending in units]
        for future in as_completed(futures):
            try:
                future.result()
            except Exception as exc:  # a worker died: its unit is redone on a rerun
                print(f"  worker error: {type(exc).__name__}: {exc}", flush=True)


# -- the report --------------------------------------------------------------------

def complete_blocks(table, systems):
    """Rows of the (dataset, seed) pairs where every system has a result.

    Pairs whose outer split failed (no constant predictor score) are left out.
    """
    table = table[table["system"].isin(systems) & table["constant"].notna()]
    table = table.drop_duplicates(["dataset", "seed", "system"], keep="last")
    counts = table.groupby(["dataset", "seed"])["system"].nunique()
    complete = counts[counts == len(systems)].index
    keyed = table.set_index(["dataset", "seed"])
    return keyed.loc[keyed.index.isin(complete)].reset_index()


def score_table(rows, systems):
    """Per system: mean normalized score, mean rank, median and p95 seconds, failures."""
    scores = rows.pivot(index=["dataset", "seed"], columns="system",
                        values="score")[systems]
    constant = rows.groupby(["dataset", "seed"])["constant"].first()
    best = scores.max(axis=1)
    gap = best - constant
    usable = gap > 0
    normalized = scores.sub(constant, axis=0).div(gap, axis=0)[usable]
    clipped = int((normalized < -1).sum().sum())
    normalized = normalized.fillna(0.0).clip(lower=-1.0)
    ranks = scores.fillna(-np.inf).rank(axis=1, ascending=False, method="average")
    seconds = rows.pivot(index=["dataset", "seed"], columns="system",
                         values="seconds")[systems]
    failures = scores.isna().sum()
    summary = pd.DataFrame({
        "mean_normalized": normalized.mean(),
        "mean_rank": ranks.mean(),
        "median_seconds": seconds.median(),
        "p95_seconds": seconds.quantile(0.95),
        "failures": failures,
    }).loc[systems]
    return summary, normalized, ranks, int((~usable).sum()), clipped, seconds


def family_of(task):
    return "regression" if task == "regression" else "classification"


def load_curves(path, blocks, systems):
    """(dataset, seed) -> system -> (curve, constant cv, seconds or None)."""
    curves = {}
    if not path.is_file():
        return curves
    with open(path) as handle:
        for line in handle:
            record = json.loads(line)
            key = (record["dataset"], int(record["seed"]))
            if key in blocks and record["system"] in systems:
                seconds = record.get("seconds")
                curves.setdefault(key, {})[record["system"]] = (
                    np.array(record["curve"], dtype=float), record["constant_cv"],
                    None if seconds is None else np.array(seconds, dtype=float))
    return curves


def best_so_far(curve):
    return np.fmax.accumulate(curve)  # NaN (failures) until the first success


def evaluations_to_reach(curves, system="skmeta-10", reference="rs-30"):
    """Per block: first evaluation of ``system`` within 1 % of the reference's best."""
    needed = []
    for by_system in curves.values():
        if system not in by_system or reference not in by_system:
            continue
        target_curve = by_system[reference][0]
        if np.all(np.isnan(target_curve)):
            continue
        target = np.nanmax(target_curve)
        target -= 0.01 * abs(target)
        reached = np.flatnonzero(best_so_far(by_system[system][0]) >= target)
        needed.append(reached[0] + 1 if len(reached) else math.inf)
    return np.array(needed, dtype=float)


def _block_normalizer(by_system):
    """(constant cv, best cv of every search of the block), or None if unusable."""
    constant = next(iter(by_system.values()))[1]
    best = max((np.nanmax(c[0]) for c in by_system.values()
                if not np.all(np.isnan(c[0]))), default=np.nan)
    if not np.isfinite(best) or best <= constant:
        return None
    return constant, best


def adaptation_curves(curves, systems=("skmeta-10", "cold-10", "rs-30")):
    """Mean normalized best-so-far CV score after each evaluation, per system."""
    per_system = {s: [] for s in systems}
    for by_system in curves.values():
        if not all(s in by_system for s in systems):
            continue
        norm = _block_normalizer(by_system)
        if norm is None:
            continue
        constant, best = norm
        for s in systems:
            normalized = (best_so_far(by_system[s][0]) - constant) / (best - constant)
            per_system[s].append(np.clip(np.nan_to_num(normalized, nan=0.0), -1, 1))
    lengths = {s: min((len(v) for v in per_system[s]), default=0) for s in systems}
    return {s: np.mean(np.vstack([c[:lengths[s]] for c in v]), axis=0) if v
            else np.array([]) for s, v in per_system.items()}, \
        len(next(iter(per_system.values())))


SECONDS_SYSTEMS = ("skmeta-10", "skmeta-b30", "rs-20-cheap")


def adaptation_by_seconds(curves, systems=SECONDS_SYSTEMS, grid=None):
    """Mean normalized best-so-far CV score at each time of a log grid of seconds.

    Per block (only blocks where every system has a timed curve): at time t,
    the best CV score among the evaluations finished by t (0 before the first
    success; a finished search keeps its last value), normalized as in
    :func:`adaptation_curves`.
    """
    usable = {key: by_system for key, by_system in curves.items()
              if all(s in by_system and by_system[s][2] is not None
                     and len(by_system[s][2]) == len(by_system[s][0])
                     for s in systems)}
    if grid is None:
        last = max((np.nanmax(by_system[s][2]) for by_system in usable.values()
                    for s in systems if len(by_system[s][2])), default=1.0)
        grid = np.geomspace(0.05, max(1.2 * float(last), 1.0), 80)
    per_system = {s: [] for s in systems}
    for by_system in usable.values():
        norm = _block_normalizer(by_system)
        if norm is None:
            continue
        constant, best = norm
        for s in systems:
            curve, _, seconds = by_system[s]
            order = np.argsort(seconds, kind="stable")
            finished = np.searchsorted(seconds[order], grid, side="right")
            running = np.concatenate([[np.nan], best_so_far(curve[order])])
            normalized = (running[finished] - constant) / (best - constant)
            per_system[s].append(np.clip(np.nan_to_num(normalized, nan=0.0), -1, 1))
    n_blocks = len(next(iter(per_system.values())))
    means = {s: np.mean(np.vstack(v), axis=0) if v else np.array([])
             for s, v in per_system.items()}
    return grid, means, n_blocks


LABELS = {"skmeta-10": "skmeta, 10 evaluations",
          "skmeta-b30": "skmeta, time_budget=30",
          "cold-10": "cold start (uniform prior)",
          "rs-30": "RandomizedSearchCV (portfolio, 30)",
          "rs-20-cheap": "RandomizedSearchCV (cheap, 20 x 3-fold)"}


def _pyplot(path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"matplotlib is not installed: no plot written to {path} "
              "(pip install matplotlib).")
        return None
    return plt


def _save(fig, plt, path, what):
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    print(f"{what} written to {path}")


def plot_adaptation(means, n_blocks, path):
    plt = _pyplot(path)
    if plt is None:
        return
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for system, mean in means.items():
        if len(mean):
            ax.plot(np.arange(1, len(mean) + 1), mean, marker="o", markersize=3,
                    label=LABELS.get(system, system))
    ax.set_xlabel("evaluation")
    ax.set_ylabel("normalized best CV score so far")
    ax.set_title(f"Adaptation curve ({n_blocks} dataset-seed pairs)")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    _save(fig, plt, path, "adaptation curve")


def plot_adaptation_seconds(grid, means, n_blocks, path):
    plt = _pyplot(path)
    if plt is None:
        return
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for system, mean in means.items():
        if len(mean):
            ax.step(grid, mean, where="post", label=LABELS.get(system, system))
    ax.set_xscale("log")
    ax.set_xlabel("wall seconds since the start of the fit (skmeta: of the search)")
    ax.set_ylabel("normalized best CV score so far")
    ax.set_title(f"Adaptation against wall seconds ({n_blocks} dataset-seed pairs)")
    ax.grid(alpha=0.3, which="both")
    ax.legend(loc="lower right")
    _save(fig, plt, path, "adaptation curve against seconds")


def _verdict(ok):
    return "PASS" if ok else "FAIL"


def _family_summaries(rows, systems):
    """{"classification": ..., "regression": ..., "overall": ...} -> score_table."""
    out = {}
    families = rows["task"].map(family_of)
    for family in ("classification", "regression"):
        part = rows[families == family]
        if not part.empty:
            out[family] = score_table(part, systems)
    out["overall"] = score_table(rows, systems)
    return out


def _targets_issue13(tables, systems):
    """The targets of issue 13, as PASS/FAIL lines with the figures."""
    have = set(systems)
    lines = []
    if {"skmeta-10", "rs-20-cheap"} <= have:
        oks = []
        for family in ("classification", "regression"):
            if family not in tables:
                lines.append(f"  [----] (a) {family}: no complete pair yet")
                oks.append(False)
                continue
            summary, seconds = tables[family][0], tables[family][5]
            a, b = summary.loc["skmeta-10"], summary.loc["rs-20-cheap"]
            ratio = a["median_seconds"] / b["median_seconds"]
            per_pair = float((seconds["skmeta-10"] / seconds["rs-20-cheap"]).median())
            ok = ratio <= 0.5 and a["mean_normalized"] >= b["mean_normalized"]
            oks.append(ok)
            lines.append(
                f"  [{_verdict(ok)}] (a) {family}: skmeta-10 vs rs-20-cheap median wall "
                f"{a['median_seconds']:.2f} vs {b['median_seconds']:.2f} s (ratio of "
                f"medians {ratio:.2f}, needs <= 0.5; per-pair median ratio "
                f"{per_pair:.2f}), normalized {a['mean_normalized']:.3f} vs "
                f"{b['mean_normalized']:.3f} (needs >=)")
        summary, seconds = tables["overall"][0], tables["overall"][5]
        per_pair = float((seconds["skmeta-10"] / seconds["rs-20-cheap"]).median())
        ratio = (summary.loc["skmeta-10", "median_seconds"]
                 / summary.loc["rs-20-cheap", "median_seconds"])
        lines.append(f"  [{_verdict(all(oks))}] (a) both families; overall: ratio of "
                     f"medians {ratio:.2f}, per-pair median ratio {per_pair:.2f}")
    if {"skmeta-1", "hgb-default", "rf-default"} <= have:
        summary = tables["overall"][0]
        z, h, r = (summary.loc[k] for k in ("skmeta-1", "hgb-default", "rf-default"))
        ratio = z["median_seconds"] / h["median_seconds"]
        ok_wall, ok_p95 = ratio <= 3, z["p95_seconds"] <= 3
        ok_score = z["mean_normalized"] > max(h["mean_normalized"], r["mean_normalized"])
        lines.append(
            f"  [{_verdict(ok_wall and ok_p95 and ok_score)}] (b) zero-shot skmeta-1: "
            f"median wall {z['median_seconds']:.2f} s = {ratio:.2f}x hgb-default's "
            f"{h['median_seconds']:.2f} s (needs <= 3x) [{_verdict(ok_wall)}], p95 "
            f"{z['p95_seconds']:.2f} s (needs <= 3 s) [{_verdict(ok_p95)}], normalized "
            f"{z['mean_normalized']:.3f} vs hgb {h['mean_normalized']:.3f}, rf "
            f"{r['mean_normalized']:.3f} (needs above both) [{_verdict(ok_score)}]")
    if {"skmeta-b10", "flaml-30"} <= have:
        for family, table in tables.items():
            summary = table[0]
            a, b = summary.loc["skmeta-b10"], summary.loc["flaml-30"]
            ok = (a["mean_normalized"] > b["mean_normalized"]
                  and a["mean_rank"] < b["mean_rank"])
            lines.append(
                f"  [{_verdict(ok)}] (c) {family}: skmeta-b10 beats flaml-30: "
                f"normalized {a['mean_normalized']:.3f} vs {b['mean_normalized']:.3f}, "
                f"rank {a['mean_rank']:.2f} vs {b['mean_rank']:.2f}")
    return lines


def _targets_issue14(rows, tables, systems):
    """The regression targets of issue 14, as PASS/FAIL lines with the figures."""
    if not {"skmeta-10", "rs-20-cheap"} <= set(systems) or "regression" not in tables:
        return ["  [----] needs skmeta-10 and rs-20-cheap on regression pairs"]
    summary = tables["regression"][0]
    a, b = summary.loc["skmeta-10"], summary.loc["rs-20-cheap"]
    ok = a["mean_normalized"] >= b["mean_normalized"] + 0.02
    lines = [f"  [{_verdict(ok)}] regression normalized: skmeta-10 "
             f"{a['mean_normalized']:.3f} vs rs-20-cheap {b['mean_normalized']:.3f} "
             f"(needs >= +0.02, got {a['mean_normalized'] - b['mean_normalized']:+.3f})"]
    part = rows[rows["task"] == "regression"]
    r2 = part.pivot(index=["dataset", "seed"], columns="system", values="score")
    constant = part.groupby(["dataset", "seed"])["constant"].first()
    ours, theirs = r2["skmeta-10"].fillna(constant), r2["rs-20-cheap"].fillna(constant)
    ok = ours.mean() >= theirs.mean()
    lines.append(f"  [{_verdict(ok)}] regression mean R^2: skmeta-10 {ours.mean():.3f} "
                 f"vs rs-20-cheap {theirs.mean():.3f} (needs >=)")
    collapsed = (ours < constant - 0.1) & (theirs > constant)
    named = ", ".join(f"{d} (seed {s}: {ours[d, s]:.3f} vs constant {constant[d, s]:.3f})"
                      for d, s in collapsed[collapsed].index)
    lines.append(f"  [{_verdict(not collapsed.any())}] no pair where skmeta-10's R^2 is "
                 f"more than 0.1 below the constant's while rs-20-cheap's is above it"
                 f"{': ' + named if named else ''}")
    return lines


def report(results, systems, plot_path, plot_seconds_path=None):
    if not results.is_file():
        raise SystemExit(f"no results file {results}; run the benchmark first.")
    table = pd.read_csv(results)
    rows = complete_blocks(table, systems)
    if rows.empty:
        print("no (dataset, seed) pair has a result for every system yet.")
        return
    blocks = set(zip(rows["dataset"], rows["seed"].astype(int), strict=True))
    n_datasets = rows["dataset"].nunique()
    seeds = sorted(int(s) for s in rows["seed"].unique())
    tasks = rows.drop_duplicates("dataset")["task"].value_counts().to_dict()
    kbs = sorted(rows["kb"].dropna().unique())
    tables = _family_summaries(rows, list(systems))
    summary, _, _, skipped, clipped, _ = tables["overall"]
    print(f"\n{len(blocks)} (dataset, seed) pairs: {n_datasets} datasets {tasks}, "
          f"seeds {seeds}; knowledge base {', '.join(kbs)}")
    if skipped:
        print(f"{skipped} pairs where no system beat the constant predictor are "
              "left out of the normalized score.")
    if clipped:
        print(f"{clipped} normalized scores below -1 clipped to -1.")
    for family, family_table in tables.items():
        n_pairs = len(family_table[2])
        print(f"\n{family} ({n_pairs} pairs):")
        print(family_table[0].to_string(float_format=lambda v: f"{v:.3f}"))
    errors = rows[rows["error"].notna() & (rows["error"] != "")]
    if len(errors):
        print("\nFailures (first error of each system):")
        for system, group in errors.groupby("system"):
            print(f"  {system}: {len(group)} x, e.g. {group['error'].iloc[0][:160]}")

    curves = load_curves(side_file(results, "_curves.jsonl"), blocks, systems)

    print("\nTargets of issue 13:")
    for line in _targets_issue13(tables, systems):
        print(line)

    print("\nRegression targets of issue 14:")
    for line in _targets_issue14(rows, tables, systems):
        print(line)

    print("\nEarlier targets:")
    s = summary
    if {"skmeta-10", "rs-30"} <= set(systems):
        a, b = s.loc["skmeta-10"], s.loc["rs-30"]
        ratio = a["median_seconds"] / b["median_seconds"]
        ok = (a["mean_normalized"] > b["mean_normalized"]
              and a["mean_rank"] < b["mean_rank"] and ratio < 0.5)
        print(f"  [{_verdict(ok)}] skmeta-10 beats rs-30: normalized "
              f"{a['mean_normalized']:.3f} vs {b['mean_normalized']:.3f} "
              f"({a['mean_normalized'] - b['mean_normalized']:+.3f}), rank "
              f"{a['mean_rank']:.2f} vs {b['mean_rank']:.2f} "
              f"({a['mean_rank'] - b['mean_rank']:+.2f}), median seconds "
              f"{a['median_seconds']:.1f} vs {b['median_seconds']:.1f} "
              f"(ratio {ratio:.2f}, needs < 0.5)")
    if {"skmeta-1", "hgb-default", "rf-default"} <= set(systems):
        z = s.loc["skmeta-1", "mean_normalized"]
        h = s.loc["hgb-default", "mean_normalized"]
        r = s.loc["rf-default", "mean_normalized"]
        print(f"  [{_verdict(z > max(h, r))}] zero-shot skmeta-1 beats the defaults: "
              f"normalized {z:.3f} vs hgb {h:.3f} ({z - h:+.3f}), rf {r:.3f} "
              f"({z - r:+.3f})")
    if {"skmeta-10", "cold-10"} <= set(systems):
        w = s.loc["skmeta-10", "mean_normalized"]
        c = s.loc["cold-10", "mean_normalized"]
        wr, cr = s.loc["skmeta-10", "mean_rank"], s.loc["cold-10", "mean_rank"]
        print(f"  [{_verdict(w > c)}] warm start beats cold start at 10 evaluations: "
              f"normalized {w:.3f} vs {c:.3f} ({w - c:+.3f}); "
              f"rank {wr:.2f} vs {cr:.2f}")
    needed = evaluations_to_reach(curves)
    if len(needed):
        needed_cold = evaluations_to_reach(curves, system="cold-10")
        cold = f"{float(np.median(needed_cold)):g}" if len(needed_cold) else "-"
        median = float(np.median(needed))
        print(f"  [{_verdict(median <= 3)}] median evaluations for skmeta-10 to reach "
              f"99% of rs-30's best CV score: {median:g} (target <= 3; over "
              f"{len(needed)} pairs, never within 10: {int(np.isinf(needed).sum())}; "
              f"cold-10: median {cold})")

    plotted = [s for s in ("skmeta-10", "cold-10", "rs-30") if s in systems]
    means, n_curves = adaptation_curves(curves, plotted) if plotted else ({}, 0)
    if n_curves:
        print("\nAdaptation (mean normalized best CV score after evaluation "
              "1, 3, 5, 10, 30):")
        for system, mean in means.items():
            points = ", ".join(f"{mean[i - 1]:.3f}" if i <= len(mean) else "-"
                               for i in (1, 3, 5, 10, 30))
            print(f"  {system:>10}: {points}")
        plot_adaptation(means, n_curves, plot_path)

    timed = [s for s in SECONDS_SYSTEMS if s in systems]
    if timed and plot_seconds_path is not None:
        grid, by_seconds, n_timed = adaptation_by_seconds(curves, timed)
        if n_timed:
            marks = (0.5, 1, 2, 5, 10, 30)
            print("\nAdaptation against wall seconds (mean normalized best CV score "
                  f"at {', '.join(f'{m:g}' for m in marks)} s; {n_timed} pairs):")
            _, at_marks, _ = adaptation_by_seconds(curves, timed, np.array(marks))
            for system, at in at_marks.items():
                print(f"  {system:>11}: {', '.join(f'{v:.3f}' for v in at)}")
            plot_adaptation_seconds(grid, by_seconds, n_timed, plot_seconds_path)
        else:
            print("\nno pair has a timed curve of every one of "
                  f"{', '.join(timed)}: no adaptation-against-seconds plot")


# -- command line ------------------------------------------------------------------

def _names(text):
    return [n for n in (part.strip() for part in text.split(",")) if n]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--kb", type=Path,
                        default=ROOT / "build" / "knowledge_base.sqlite")
    parser.add_argument("--datasets", help="comma-separated names (default: all)")
    parser.add_argument("--quick", action="store_true",
                        help=f"the fixed slice of {len(QUICK)} datasets")
    parser.add_argument("--seeds", default="0,1")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--n-jobs", type=int, default=2,
                        help="cores of every system's fit (the same for all)")
    parser.add_argument("--parallel-fits", type=int, default=1,
                        help="worker processes fitting different (dataset, seed) "
                             "pairs side by side (2 on a 2-core machine)")
    parser.add_argument("--skmeta-cv", type=_skmeta_cv, default="default",
                        help="skmeta-1/5/10 and cold-10: the shared 5 folds, "
                             "skmeta's own default cv, or a number of folds")
    parser.add_argument("--max-train", type=int, default=20000)
    parser.add_argument("--results", type=Path,
                        default=ROOT / "benchmarks" / "results" / "selection.csv")
    parser.add_argument("--plot", type=Path,
                        default=ROOT / "benchmarks" / "results" / "adaptation.png")
    parser.add_argument("--plot-seconds", type=Path,
                        help="the adaptation curve against wall seconds (default: "
                             "<plot>_seconds.png)")
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args(argv)
    args.seeds = [int(s) for s in _names(args.seeds)]
    systems = _names(args.systems)
    unknown = sorted(set(systems) - set(SYSTEMS))
    if unknown:
        parser.error(f"unknown systems {unknown}; choose from {', '.join(SYSTEMS)}")
    systems = [s for s in SYSTEMS if s in systems]

    if not args.report_only:
        manifest = pd.read_csv(Path(args.corpus) / "manifest.csv")
        if args.datasets:
            names = _names(args.datasets)
        elif args.quick:
            names = QUICK
        else:
            names = manifest["name"].tolist()
        unknown = sorted(set(names) - set(manifest["name"]))
        if unknown:
            parser.error(f"unknown datasets {unknown}")
        run(args, names, systems)
    plot_seconds = args.plot_seconds or side_file(args.plot, "_seconds.png")
    report(args.results, systems, args.plot, plot_seconds)


if __name__ == "__main__":
    main()
