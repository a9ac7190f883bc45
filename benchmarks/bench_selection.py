"""Model-selection benchmark: skmeta against random search and fixed defaults.

Leave-one-dataset-out over the corpus (``../shared/corpus`` beside the
repository): for every dataset ``D`` and seed, an outer stratified 75/25 split
(``train_test_split(test_size=0.25, random_state=seed)``); every system is fit
on the 75 % and scored on the 25 % with balanced accuracy (classification) or
R² (regression); the wall seconds of ``fit`` are recorded. Systems, all in one
run, all with the same ``--n-jobs`` so that wall times compare:

``skmeta-1``, ``skmeta-5``, ``skmeta-10``
    ``MetaClassifier``/``MetaRegressor(knowledge_base=learner,
    n_evaluations=k, cv=folds, random_state=seed, n_jobs=N)`` with the other
    parameters at their defaults (so ``ensemble_size=10``). ``learner`` is a
    :class:`~skmeta.MetaLearner` meta-trained without ``D``:
    ``MetaLearner.from_knowledge_base(kb, exclude=<D and its KEEL family>,
    adjuster_settings=<settings of D's fold>)``. ``skmeta-1`` is zero-shot.
``cold-10``
    The same adjuster from an empty knowledge base
    (``knowledge_base=KnowledgeBase()``): uniform prior, default
    configurations first, the hand-set :class:`~skmeta.adjust.AdjusterSettings`.
``rs-10``, ``rs-30``
    ``RandomizedSearchCV`` with 10 and 30 iterations over the same portfolio
    (:func:`skmeta.strategies.default_portfolio`): a one-step ``Pipeline``
    whose step is drawn from one parameter-distribution dict per strategy
    (``{"model": [strategy.build()], "model__estimator__C": loguniform(...)}``),
    each dimension sampled as the strategy's own :class:`~skmeta.strategies.Space`
    samples it. ``scoring`` balanced_accuracy / r2, ``error_score=nan``,
    ``refit=True``.
``hgb-default``, ``rf-default``
    ``HistGradientBoosting*`` and ``RandomForest*`` with scikit-learn's
    default hyperparameters (``random_state=seed``; the forest gets
    ``n_jobs=N``), behind the preprocessing the portfolio gives them: native
    categories and NaN for boosting, imputation and ordinal codes for the forest
    (``Strategy(..., preprocessing="native"/"ordinal").build()``).

Parallelism comes from ``n_jobs`` alone: every fit runs under
``threadpool_limits(1)``, as the evaluations inside skmeta's and
RandomizedSearchCV's worker processes already do (boosting's OpenMP threads
on a busy 2-core machine are erratic: the same fit takes 0.2 s or 15 s).

Every search (skmeta, cold start, random search) cross-validates on the same
folds: ``skmeta.evaluation.make_cv(5, task, y_train, seed)`` (shuffled,
stratified for classification, fewer folds when a class has fewer than 5
training rows), passed as ``cv`` to each.

Meta-training without the held-out dataset. The knowledge base (``--kb``,
default ``build/knowledge_base.sqlite``, or a ``.json.gz`` export) is copied
into memory once per process and never written. For ``D``, the meta-models
(performance and cost models, nearest datasets) are refit without ``D`` and
the other datasets of its KEEL family (a few seconds; not counted in skmeta's
wall time, as a user would load a ready-made meta-learner). Meta-learning the
adjuster settings (a replay grid search, about a minute) is not repeated per
dataset: the knowledge base's datasets are split into 5 folds by KEEL family
(``crc32(family) % 5``, so the folds do not depend on the slice being run),
the settings are learned once per fold on the knowledge base without that
fold (``MetaLearner.from_knowledge_base(kb, exclude=fold).adjuster_settings_``),
up front and several folds in parallel, and cached in
``<results>_settings.json``; every dataset of the fold uses them. So neither
the meta-models nor the settings ever saw ``D``.

Large datasets: the outer training set is subsampled (stratified) to at most
``--max-train`` rows (default 5000) for every system alike; the test set is
the full 25 %.

Results are appended to ``--results`` (CSV, one row per dataset, seed and
system, written as soon as it is done; a rerun skips the rows present, so the
run is resumable) and the cross-validation scores of every search, in
evaluation order, to ``<results>_curves.jsonl``. A system that raises is
recorded with its error and a NaN score.

The report (printed after a run, or alone with ``--report-only``) uses the
(dataset, seed) pairs for which every selected system has a row:

- normalized score ``(score - constant) / (best of all systems - constant)``,
  the constant predictor being ``DummyClassifier(most_frequent)`` /
  ``DummyRegressor(mean)`` fit on the same training set; 1 is the best system.
  A failed system counts as the constant predictor (0), values below -1 are
  clipped to -1 (a regression that predicts far worse than the mean would
  otherwise dominate the mean), and pairs where no system beats the constant
  predictor are left out of this mean;
- mean rank of the test scores (1 best, ties averaged, failures last);
- median wall seconds of ``fit``;
- the adaptation curve (``<plot>``, PNG): the best cross-validation score so
  far after each evaluation, normalized per (dataset, seed) as
  ``(cv - constant cv) / (best cv of all searches - constant cv)`` (the
  constant predictor cross-validated on the same folds) so that
  classification and regression can be averaged; 0 before the first
  successful evaluation;
- evaluations skmeta-10 needs to reach 99 % of the best CV score
  RandomizedSearchCV-30 found: the first evaluation whose best-so-far score
  is ``>= best_rs30 - 0.01 * |best_rs30|`` (for R² near 0 this is a small
  absolute tolerance rather than a ratio), infinity if none of the 10 does;
  the median over (dataset, seed) pairs.

Usage::

    python benchmarks/bench_selection.py --quick              # ~30 datasets
    python benchmarks/bench_selection.py                      # whole corpus
    python benchmarks/bench_selection.py --datasets sklearn_wine,keel_bupa
    python benchmarks/bench_selection.py --report-only
    # long runs: nohup python benchmarks/bench_selection.py > results/full.log &

Options: ``--kb``, ``--corpus``, ``--seeds 0,1``, ``--systems a,b``,
``--n-jobs 2``, ``--max-train 5000``, ``--results``, ``--plot``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import warnings
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy import stats
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.metrics import balanced_accuracy_score, r2_score
from sklearn.model_selection import (
    RandomizedSearchCV,
    cross_val_score,
    train_test_split,
)
from sklearn.pipeline import Pipeline
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
    "skmeta-1", "skmeta-5", "skmeta-10", "cold-10",
    "rs-10", "rs-30", "hgb-default", "rf-default",
)

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
                # Fitted here, untimed.
                self.learner.performance_models_[family]
                self.learner.cost_models_[family]
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

def fit_skmeta(X, y, task, *, learner, n_evaluations, folds, seed, n_jobs):
    cls = MetaRegressor if task == "regression" else MetaClassifier
    model = cls(knowledge_base=learner, n_evaluations=n_evaluations, cv=folds,
                random_state=seed, n_jobs=n_jobs)
    model.fit(X, y)
    return model, _trace_info(model)


def fit_cold_start(X, y, task, *, n_evaluations, folds, seed, n_jobs):
    cls = MetaRegressor if task == "regression" else MetaClassifier
    model = cls(knowledge_base=KnowledgeBase(), n_evaluations=n_evaluations,
                cv=folds, random_state=seed, n_jobs=n_jobs)
    model.fit(X, y)
    return model, _trace_info(model)


def _trace_info(model):
    scores = pd.to_numeric(model.trace_["score"], errors="coerce").astype(float)
    return {"curve": scores.tolist(), "cv_score": float(model.best_score_),
            "n_failed": int((model.trace_["status"] != "ok").sum()),
            "strategies": model.trace_["strategy"].tolist(),
            "fit_seconds": model.trace_["fit_seconds"].round(3).tolist()}


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
    search = RandomizedSearchCV(
        Pipeline([("model", portfolio[0].build())]),
        random_search_distributions(portfolio),
        n_iter=n_iter,
        scoring="r2" if task == "regression" else "balanced_accuracy",
        cv=folds,
        refit=True,
        error_score=np.nan,
        n_jobs=n_jobs,
        random_state=seed,
    )
    search.fit(X, y)
    scores = np.asarray(search.cv_results_["mean_test_score"], dtype=float)
    return search, {"curve": scores.tolist(), "cv_score": float(search.best_score_),
                    "n_failed": int(np.isnan(scores).sum())}


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


def fit_system(system, X, y, task, *, learner, folds, seed, n_jobs):
    """Fit one system by name."""
    common = dict(folds=folds, seed=seed, n_jobs=n_jobs)
    if system.startswith("skmeta-"):
        k = int(system.split("-")[1])
        return fit_skmeta(X, y, task, learner=learner, n_evaluations=k, **common)
    if system == "cold-10":
        return fit_cold_start(X, y, task, n_evaluations=10, **common)
    if system.startswith("rs-"):
        return fit_random_search(X, y, task, n_iter=int(system.split("-")[1]), **common)
    if system in ("hgb-default", "rf-default"):
        return fit_default(X, y, task, kind=system.split("-")[0], seed=seed,
                           n_jobs=n_jobs)
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


def append_row(results, row):
    new = not results.is_file()
    results.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame([row], columns=CSV_COLUMNS).to_csv(
        results, mode="a", header=new, index=False
    )


def append_curve(path, record):
    with open(path, "a") as handle:
        handle.write(json.dumps(record) + "\n")


# -- the run -----------------------------------------------------------------------

def fit_and_score(system, X_train, y_train, X_test, y_test, task, learner_factory,
                  folds, seed, n_jobs):
    """Fit one system, timed; returns (test score, seconds, info, error)."""
    info, error, score, seconds, start = {}, "", np.nan, np.nan, None
    try:
        # The held-out meta-learner stands for a ready-made one: not timed.
        learner = learner_factory() if system.startswith("skmeta-") else None
        start = time.perf_counter()
        with warnings.catch_warnings(), threadpool_limits(1):
            warnings.simplefilter("ignore")
            model, info = fit_system(system, X_train, y_train, task, learner=learner,
                                     folds=folds, seed=seed, n_jobs=n_jobs)
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
            folds, seed, args.n_jobs,
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
                **{k: info[k] for k in ("strategies", "fit_seconds") if k in info},
            })
        status = f"{score:.4f}" if not error else f"ERROR {error[:120]}"
        print(f"  {dataset.name} seed={seed} {system}: {status} "
              f"({seconds:.1f} s)", flush=True)


def run(args, names, systems):
    kb = open_kb(args.kb)
    signature = kb_signature(kb)
    groups = family_groups(kb, args.corpus)
    settings = SettingsCache(side_file(args.results, "_settings.json"), kb, groups,
                             signature, args.n_jobs)
    done = done_keys(args.results)
    print(f"knowledge base {args.kb}: {signature}; {len(names)} datasets, seeds "
          f"{args.seeds}, systems {', '.join(systems)}; {len(done)} rows already in "
          f"{args.results}", flush=True)
    datasets = {d.name: d for d in load_corpus(args.corpus, names)}
    if any(s.startswith("skmeta-") for s in systems):
        settings.prepare(fold_of(groups.get(n, n)) for n in names)
    stored = set(kb.datasets()["name"])
    for seed in args.seeds:
        for name in names:
            pending = [s for s in systems if (name, seed, s) not in done]
            if not pending:
                continue
            dataset = datasets[name]
            if name not in stored:
                print(f"  note: {name} is not in the knowledge base", flush=True)
            print(f"{name} ({dataset.task}, {dataset.n_samples} rows) seed={seed}",
                  flush=True)
            learner_factory = _HeldOutLearner(kb, name, groups, settings, args.n_jobs)
            run_dataset_seed(dataset, seed, pending, args, learner_factory, signature)


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
    """Per system: mean normalized score, mean rank, median seconds, failures."""
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
        "failures": failures,
    }).loc[systems]
    return summary, normalized, ranks, int((~usable).sum()), clipped


def load_curves(path, blocks, systems):
    """(dataset, seed) -> system -> (curve, constant cv) of the complete blocks."""
    curves = {}
    if not path.is_file():
        return curves
    with open(path) as handle:
        for line in handle:
            record = json.loads(line)
            key = (record["dataset"], int(record["seed"]))
            if key in blocks and record["system"] in systems:
                curves.setdefault(key, {})[record["system"]] = (
                    np.array(record["curve"], dtype=float), record["constant_cv"])
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


def adaptation_curves(curves, systems=("skmeta-10", "cold-10", "rs-30")):
    """Mean normalized best-so-far CV score after each evaluation, per system."""
    per_system = {s: [] for s in systems}
    for by_system in curves.values():
        if not all(s in by_system for s in systems):
            continue
        constant = next(iter(by_system.values()))[1]
        best = max((np.nanmax(c) for c, _ in by_system.values()
                    if not np.all(np.isnan(c))), default=np.nan)
        if not np.isfinite(best) or best <= constant:
            continue
        for s in systems:
            normalized = (best_so_far(by_system[s][0]) - constant) / (best - constant)
            per_system[s].append(np.clip(np.nan_to_num(normalized, nan=0.0), -1, 1))
    return {s: np.mean(np.vstack(v), axis=0) if v else np.array([])
            for s, v in per_system.items()}, len(next(iter(per_system.values())))


def plot_adaptation(means, n_blocks, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"matplotlib is not installed: no plot written to {path} "
              "(pip install matplotlib).")
        return
    labels = {"skmeta-10": "skmeta (warm start)",
              "cold-10": "cold start (uniform prior)",
              "rs-30": "RandomizedSearchCV"}
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for system, mean in means.items():
        if len(mean):
            ax.plot(np.arange(1, len(mean) + 1), mean, marker="o", markersize=3,
                    label=labels.get(system, system))
    ax.set_xlabel("evaluation")
    ax.set_ylabel("normalized best CV score so far")
    ax.set_title(f"Adaptation curve ({n_blocks} dataset-seed pairs)")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    print(f"adaptation curve written to {path}")


def _verdict(ok):
    return "PASS" if ok else "MISS"


def report(results, systems, plot_path):
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
    summary, _, _, skipped, clipped = score_table(rows, list(systems))
    print(f"\n{len(blocks)} (dataset, seed) pairs: {n_datasets} datasets {tasks}, "
          f"seeds {seeds}; knowledge base {', '.join(kbs)}")
    if skipped:
        print(f"{skipped} pairs where no system beat the constant predictor are "
              "left out of the normalized score.")
    if clipped:
        print(f"{clipped} normalized scores below -1 clipped to -1.")
    print()
    print(summary.to_string(float_format=lambda v: f"{v:.3f}"))

    curves = load_curves(side_file(results, "_curves.jsonl"), blocks, systems)

    print("\nTargets:")
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
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--max-train", type=int, default=5000)
    parser.add_argument("--results", type=Path,
                        default=ROOT / "benchmarks" / "results" / "selection.csv")
    parser.add_argument("--plot", type=Path,
                        default=ROOT / "benchmarks" / "results" / "adaptation.png")
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
    report(args.results, systems, args.plot)


if __name__ == "__main__":
    main()
