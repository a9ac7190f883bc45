"""MetaLearner: meta-training on a collection of datasets.

``MetaLearner.fit(datasets)`` is the meta-train step. For every dataset it
extracts meta-features and cross-validates a fixed grid of configurations of
every strategy in the portfolio (each strategy's default configuration plus
``n_configs_per_strategy`` sampled ones), storing every result in the
knowledge base as it completes. The grid is the same for every dataset, so the
knowledge base is a complete (dataset x configuration) score matrix: meta-models
learn from it, and leave-datasets-out evaluation needs no refitting.

Then it fits the meta-models (:mod:`skmeta.selection`): nearest datasets in
meta-feature space and a performance model from (meta-features, strategy,
configuration) to normalized score. :meth:`MetaLearner.recommend` ranks
configurations for a new dataset; :meth:`MetaLearner.evaluate` measures that
ranking on datasets kept out of meta-training (meta-test).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import os
import sys
import time
import warnings
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator
from sklearn.model_selection import KFold, train_test_split
from sklearn.utils.validation import check_is_fitted

from skmeta._threadpools import usable_n_jobs
from skmeta.adjust import AdjusterSettings, WarmStart, warm_start_from_predictions
from skmeta.adjust.replay import ReplayProblem, learn_settings
from skmeta.datasets import Dataset, as_datasets
from skmeta.evaluation import (
    check_scoring_name,
    cv_description,
    evaluate_config,
    make_cv,
)
from skmeta.knowledge import (
    WEIGHTED_CV_SUFFIX,
    Evaluation,
    EvaluationKey,
    KnowledgeBase,
    config_key,
)
from skmeta.knowledge.checks import (
    setting_problem,
    usable_datasets,
    usable_evaluations,
)
from skmeta.knowledge.opening import file_identity, open_knowledge_base_path
from skmeta.metafeatures import extract_metafeatures, metafeature_names
from skmeta.racing import RacingPolicy, learn_racing_policy
from skmeta.selection import (
    CostModel,
    NearestDatasets,
    PerformanceModel,
    main_protocol,
    normalized_scores,
)
from skmeta.strategies import resolve_portfolio

__all__ = [
    "MetaLearner",
    "open_knowledge_base",
    "resolve_meta_learner",
    "task_family",
]

#: Fewer stored datasets than this: keep the adjuster's hand-set defaults.
MIN_DATASETS_TO_LEARN_SETTINGS = 6


def task_family(task):
    """``"classification"`` for binary and multiclass tasks, else ``"regression"``."""
    return "regression" if task == "regression" else "classification"


def open_knowledge_base(knowledge_base, *, create=True):
    """A :class:`KnowledgeBase` from a path, a knowledge base, or None (in memory).

    A path follows the rule of :mod:`skmeta.knowledge.opening`: ``.json`` and
    ``.json.gz`` are exports, read only; other names are SQLite files, created
    when missing only if ``create`` (the caller writes evaluations).
    """
    if knowledge_base is None:
        return KnowledgeBase()
    if isinstance(knowledge_base, KnowledgeBase):
        return knowledge_base
    if isinstance(knowledge_base, bytes):
        knowledge_base = os.fsdecode(knowledge_base)
    if isinstance(knowledge_base, str) or hasattr(knowledge_base, "__fspath__"):
        return open_knowledge_base_path(knowledge_base, create=create)
    raise TypeError(
        "knowledge_base must be None, a path to a SQLite file or a "
        f"KnowledgeBase, got {type(knowledge_base).__name__}."
    )


def subsample_indices(dataset, max_samples, random_state):
    """Sorted row indices of a stratified subsample of ``max_samples`` rows.

    All rows when ``max_samples`` is None or the dataset is not larger; the
    subsample is stratified on the class for classification unless a class
    is too small for it.

    Examples
    --------
    >>> import numpy as np
    >>> from skmeta import Dataset
    >>> from skmeta.learner import subsample_indices
    >>> data = Dataset(np.arange(20.0).reshape(10, 2), np.arange(10.0))
    >>> len(subsample_indices(data, 4, random_state=0))
    4
    """
    if max_samples is None or dataset.n_samples <= max_samples:
        return np.arange(dataset.n_samples)
    stratify = dataset.y if dataset.task != "regression" else None
    try:
        index, _ = train_test_split(
            np.arange(dataset.n_samples),
            train_size=max_samples,
            stratify=stratify,
            random_state=random_state,
        )
    except ValueError:  # a class too small to stratify on
        index, _ = train_test_split(
            np.arange(dataset.n_samples), train_size=max_samples,
            random_state=random_state,
        )
    return np.sort(index)


def subsample(dataset, max_samples, random_state):
    """The dataset itself, or a stratified subsample of ``max_samples`` rows."""
    if max_samples is None or dataset.n_samples <= max_samples:
        return dataset
    return take_rows(dataset, subsample_indices(dataset, max_samples, random_state))


def take_rows(dataset, index):
    """A new :class:`Dataset` of the given rows (same name, task and weights)."""
    X = dataset.X.iloc[index] if hasattr(dataset.X, "iloc") else dataset.X[index]
    weights = None if dataset.sample_weight is None else dataset.sample_weight[index]
    return Dataset(X, dataset.y[index], name=dataset.name, task=dataset.task,
                   sample_weight=weights)


#: Stored adjuster settings are learned again once the knowledge base holds
#: this fraction more datasets of the family than they were learned on.
RELEARN_GROWTH = 0.2

#: Version of the way racing policies are learned (:mod:`skmeta.racing`);
#: a policy stored by another version is learned again.
RACING_VERSION = 1

#: Version of the way adjuster settings are learned (the performance and cost
#: models, the replay grid); settings stored by another version are learned
#: again.
SETTINGS_VERSION = 5


def _stored_setting(kb, name):
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
    >>> from skmeta.learner import reusable
    >>> reusable({"version": 1, "n_datasets": 100}, 1, 110)
    True
    >>> reusable({"version": 1, "n_datasets": 100}, 1, 130), reusable(None, 1, 100)
    (False, False)
    """
    return (stored is not None and stored.get("version") == version
            and stored.get("n_datasets", 0) <= n_datasets
            <= stored.get("n_datasets", 0) * (1 + RELEARN_GROWTH))


def _progress_bar(done, total, rate):
    """A one-line text progress bar with the rate and the time left.

    Examples
    --------
    >>> from skmeta.learner import _progress_bar
    >>> _progress_bar(30, 120, 2.0)
    '[#####...............] 30/120 evaluations (2.0/s, about 45 s left)'
    """
    filled = int(20 * done / total)
    left = (total - done) / rate if rate > 0 else float("nan")
    return (f"[{'#' * filled}{'.' * (20 - filled)}] {done}/{total} evaluations "
            f"({rate:.1f}/s, about {left:.0f} s left)")


class _PendingModel:
    """A performance model and what it will learn from, fitted on first use."""

    def __init__(self, model, table, runs):
        self.model, self.table, self.runs = model, table, runs

    def fit(self):
        return self.model.fit(self.table, self.runs)


class _LazyModels(dict):
    """Task family -> performance model, each fitted when first looked up.

    A process that only classifies never pays for the regression model.
    """

    def __getitem__(self, family):
        value = super().__getitem__(family)
        if isinstance(value, _PendingModel):
            value = value.fit()
            self[family] = value
        return value


def configuration_grid(strategy, n_configs, random_state):
    """The default configuration of a strategy, then ``n_configs`` sampled ones.

    The sample depends only on ``random_state`` and the strategy's name, so
    every dataset gets the same grid and a rerun finds it again.
    """
    seed = [0 if random_state is None else int(random_state),
            zlib.crc32(strategy.name.encode())]
    rng = np.random.default_rng(seed if random_state is not None else None)
    grid = [strategy.default_config()]
    for _ in range(n_configs):
        config = strategy.sample_config(rng)
        if config not in grid:
            grid.append(config)
    return grid


@dataclass
class _Job:
    dataset_id: str
    dataset: Dataset  # possibly a subsample of the dataset with that id
    strategy: object
    config: dict
    key_cv: str


def _evaluate_job(job, scoring, splits, timeout, seed):
    result = evaluate_config(
        job.strategy, job.config, job.dataset.X, job.dataset.y, job.dataset.task,
        splits, scoring=scoring, timeout=timeout,
        sample_weight=job.dataset.sample_weight,
    )
    return Evaluation(
        dataset_id=job.dataset_id,
        strategy=job.strategy.name,
        config=job.config,
        metric=scoring,
        cv=job.key_cv,
        seed=seed,
        status=result.status,
        score=result.score,
        fold_scores=result.fold_scores,
        fit_seconds=result.fit_seconds,
        predict_seconds=result.predict_seconds,
        error=result.error,
    )


def _metafeatures_of(dataset, max_rows, random_state):
    return extract_metafeatures(
        dataset.X, dataset.y, task=dataset.task, max_rows=max_rows,
        random_state=random_state,
    )


class _LoadedOnFirstRead:
    """The shipped knowledge base as an attribute, loaded when first read.

    For ``knowledge_base`` and ``knowledge_base_`` of a learner built from
    the shipped file alone (:mod:`skmeta.shipped_learner`, which sets
    ``_lazy_knowledge_base``). A non-data descriptor: the value set on any
    other learner is an instance attribute, found first, and so is the
    knowledge base once loaded.
    """

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        if not instance.__dict__.get("_lazy_knowledge_base", False):
            raise AttributeError(
                f"{type(instance).__name__!r} object has no attribute {self.name!r}")
        kb = KnowledgeBase.default()
        instance.__dict__[self.name] = kb
        return kb


class MetaLearner(BaseEstimator):
    """Meta-train on a collection of datasets, then recommend for new ones.

    Parameters
    ----------
    knowledge_base : str, path, KnowledgeBase or None, default=None
        Where experience is stored: a SQLite file (created if missing), a
        :class:`~skmeta.knowledge.KnowledgeBase`, or None for a new in-memory
        one. Results already stored for the same dataset, configuration,
        folds, metric and seed are reused, so an interrupted ``fit`` resumes.
    portfolio : "default" or list of Strategy or str, default="default"
        The strategies to evaluate (see :func:`skmeta.strategies.resolve_portfolio`).
    n_configs_per_strategy : int, default=5
        Sampled configurations per strategy, besides its default one.
    cv : int or cross-validation splitter, default=3
    scoring : str, optional
        A metric of :data:`skmeta.evaluation.SCORINGS`; balanced accuracy for
        classification and R² for regression when None.
    timeout : float or None, default=300
        Seconds one evaluation may take before it is stopped and recorded as
        a timeout.
    max_samples : int or None, default=10000
        Evaluate on a stratified subsample of this many rows of larger datasets.
    max_rows_metafeatures : int, default=10000
        Rows used for meta-features (see :func:`skmeta.extract_metafeatures`).
    n_jobs : int, optional
        Evaluations run in parallel with joblib (-1: all cores); more than
        the usable cores are capped, with a warning.
    random_state : int or None, default=0
        Seeds the configuration grid and the folds. Keep it fixed to resume
        runs and to compare strategies on the same folds.
    verbose : int, default=0
        Print progress lines when > 0.

    Attributes
    ----------
    knowledge_base_ : KnowledgeBase
        The one the meta-models learned from. The learner the estimators
        use by default is built from the shipped meta-models file alone
        (:mod:`skmeta.shipped_learner`): its (shipped) knowledge base is
        loaded when this is first read.
    dataset_ids_ : list of str
        Fingerprints of the datasets of the last ``fit``.
    training_ids_ : dict
        Task family -> ids of the datasets the meta-models learned from.
    nearest_ : dict
        Task family -> fitted :class:`~skmeta.selection.NearestDatasets`.
    performance_models_ : dict
        Task family -> :class:`~skmeta.selection.PerformanceModel`, fitted
        when first looked up (so a process that only classifies never fits
        the regression model).
    cost_models_ : dict
        Task family -> :class:`~skmeta.selection.CostModel` (seconds of an
        evaluation, from the stored timings), fitted when first looked up.
    n_evaluated_, n_reused_ : int
        Evaluations run and found already stored during the last ``fit``.

    Notes
    -----
    A fitted MetaLearner is read, never changed, by the estimators that use
    it, so ``sklearn.clone`` and ``copy.deepcopy`` return it as it is:
    ``GridSearchCV(MetaClassifier(knowledge_base=learner), ...)`` shares one
    learner across its candidates. Unfitted ones are copied as usual.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer, load_iris, load_wine
    >>> from skmeta import MetaLearner
    >>> datasets = [load_iris(return_X_y=True), load_wine(return_X_y=True),
    ...             load_breast_cancer(return_X_y=True)]
    >>> meta = MetaLearner(portfolio=["knn", "gaussian_nb"],
    ...                    n_configs_per_strategy=1, random_state=0)
    >>> meta = meta.fit(datasets)
    >>> meta.n_evaluated_
    12
    >>> X, y = load_iris(return_X_y=True)
    >>> meta.recommend(X, y, k=2).columns.tolist()
    ['strategy', 'config', 'predicted_score', 'nearest_datasets']
    """

    # Instance attributes but for a learner built from the shipped file alone.
    knowledge_base = _LoadedOnFirstRead()
    knowledge_base_ = _LoadedOnFirstRead()

    def __init__(
        self,
        knowledge_base=None,
        portfolio="default",
        n_configs_per_strategy=5,
        cv=3,
        scoring=None,
        timeout=300,
        max_samples=10_000,
        max_rows_metafeatures=10_000,
        n_jobs=None,
        random_state=0,
        verbose=0,
    ):
        self.knowledge_base = knowledge_base
        self.portfolio = portfolio
        self.n_configs_per_strategy = n_configs_per_strategy
        self.cv = cv
        self.scoring = scoring
        self.timeout = timeout
        self.max_samples = max_samples
        self.max_rows_metafeatures = max_rows_metafeatures
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    # -- validation --------------------------------------------------------
    def _check_params(self):
        n = self.n_configs_per_strategy
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
            raise ValueError(
                f"n_configs_per_strategy must be a non-negative integer, got {n!r}."
            )
        if self.timeout is not None and not (
            isinstance(self.timeout, (int, float)) and self.timeout > 0
        ):
            raise ValueError(f"timeout must be a positive number or None, got {self.timeout!r}.")
        for name in ("max_samples", "max_rows_metafeatures"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, (int, np.integer)) or value < 10):
                raise ValueError(f"{name} must be an integer >= 10 or None, got {value!r}.")
        n_jobs = self.n_jobs
        if n_jobs is not None and (not isinstance(n_jobs, (int, np.integer))
                                   or isinstance(n_jobs, bool) or n_jobs == 0):
            raise ValueError(
                f"n_jobs must be None or a non-zero integer (-1: all cores), got "
                f"{n_jobs!r}."
            )
        cv = self.cv
        folds = isinstance(cv, (int, np.integer)) and not isinstance(cv, bool)
        splitter = hasattr(cv, "split") or (
            hasattr(cv, "__iter__") and not isinstance(cv, (str, bytes)))
        if (folds and cv < 2) or not (folds or splitter):
            raise ValueError(
                f"cv must be an integer >= 2 (folds) or a splitter, got {cv!r}."
            )

    def _shipped_summary(self):
        """:meth:`KnowledgeBase.summary <skmeta.knowledge.KnowledgeBase.summary>`
        of the shipped knowledge base for a learner built from the shipped file
        alone (without loading it), else None."""
        shipped = getattr(self, "_shipped", None)
        return None if shipped is None else shipped["summary"]

    def _log(self, message):
        if self.verbose:
            print(f"[MetaLearner] {message}", file=sys.stderr, flush=True)

    # -- meta-train ----------------------------------------------------------
    def fit(self, datasets, y=None):
        """Meta-train: evaluate the portfolio on every dataset, fit the meta-models.

        Parameters
        ----------
        datasets : list of Dataset or (X, y) pairs, or a folder of CSV files
            A :class:`Dataset` with ``sample_weight`` is evaluated with its
            weights (fits and fold scores), its evaluations stored as
            weighted (``cv`` ending in
            :data:`~skmeta.knowledge.WEIGHTED_CV_SUFFIX`); strategies whose
            learner cannot take weights are not evaluated on it.
        y : None
            Ignored; present for scikit-learn's API.

        Returns
        -------
        self
        """
        self._check_params()
        datasets = as_datasets(datasets)
        kb = open_knowledge_base(self.knowledge_base)
        for dataset in datasets:
            resolve_portfolio(self.portfolio, dataset.task)
            check_scoring_name(self.scoring, dataset.task)
        n_jobs = usable_n_jobs(self.n_jobs)
        self._store_metafeatures(kb, datasets, n_jobs)
        self.n_evaluated_, self.n_reused_ = self._run_grid(kb, datasets, n_jobs)
        self.knowledge_base_ = kb
        self.dataset_ids_ = [d.fingerprint for d in datasets]
        self._fit_meta_models(kb)
        for family in self.performance_models_:
            self.adjuster_settings(family)  # learn and store them now
        return self

    def _store_metafeatures(self, kb, datasets, n_jobs):
        stored = kb.metafeature_names_by_dataset()
        # New datasets, and datasets stored by an extractor with other measures.
        missing = [
            d for d in datasets
            if stored.get(d.fingerprint) != frozenset(metafeature_names(d.task))
        ]
        if not missing:
            return
        self._log(f"meta-features of {len(missing)} datasets")
        tables = Parallel(n_jobs=n_jobs)(
            delayed(_metafeatures_of)(d, self.max_rows_metafeatures, self.random_state)
            for d in missing
        )
        for dataset, values in zip(missing, tables):
            kb.add_dataset(
                dataset.fingerprint, dataset.name, dataset.task, values,
                dataset.n_samples, dataset.n_features,
            )

    def _jobs(self, datasets):
        """Every (dataset, strategy, configuration) evaluation of the grid."""
        for dataset in datasets:
            sample = subsample(dataset, self.max_samples, self.random_state)
            splitter = make_cv(self.cv, dataset.task, sample.y, self.random_state)
            key_cv = cv_description(splitter)
            if sample is not dataset:
                key_cv += f" on {self.max_samples} rows"
            if dataset.sample_weight is not None:
                key_cv += WEIGHTED_CV_SUFFIX
            splits = list(splitter.split(sample.X, sample.y))
            for strategy in resolve_portfolio(self.portfolio, dataset.task):
                if dataset.sample_weight is not None and not strategy.accepts_sample_weight:
                    continue  # it could not be judged by the weighted metric
                for config in configuration_grid(
                    strategy, self.n_configs_per_strategy, self.random_state
                ):
                    yield (
                        _Job(dataset.fingerprint, sample, strategy, config, key_cv),
                        splits,
                        dataset,
                    )

    def _run_grid(self, kb, datasets, n_jobs):
        seed = -1 if self.random_state is None else int(self.random_state)
        pending = []
        n_reused = 0
        for job, splits, dataset in self._jobs(datasets):
            scoring = check_scoring_name(self.scoring, dataset.task)
            key = EvaluationKey(
                dataset.fingerprint, job.strategy.name, config_key(job.config),
                scoring, job.key_cv, seed,
            )
            if kb.has_evaluation(key):
                n_reused += 1
                continue
            pending.append((job, scoring, splits))
        self._log(f"{len(pending)} evaluations to run, {n_reused} already stored")
        results = Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(_evaluate_job)(job, scoring, splits, self.timeout, seed)
            for job, scoring, splits in pending
        )
        start = time.perf_counter()
        for done, evaluation in enumerate(results, 1):
            # Only this process writes: one transaction per finished evaluation.
            kb.add_evaluation(evaluation)
            if self.verbose and (done % 20 == 0 or done == len(pending)):
                rate = done / max(time.perf_counter() - start, 1e-9)
                self._log(_progress_bar(done, len(pending), rate))
        return len(pending), n_reused

    def _fit_meta_models(self, kb, exclude=(), adjuster_settings=None):
        self._shipped = None  # skmeta.shipped_learner: what it read from the file
        self.nearest_, self.training_ids_ = {}, {}
        self.performance_models_ = _LazyModels()
        self.cost_models_ = _LazyModels()
        self.adjuster_settings_, self.replay_results_, self.candidates_ = {}, {}, {}
        self._pending_settings = {}
        self.racing_policies_, self._racing_data = {}, {}
        # An invalid stored configuration is left out, with a warning naming it.
        evaluations = usable_evaluations(kb.evaluations(), stacklevel=4)
        datasets = kb.datasets()
        stored = kb.metafeatures()
        excluded = set(exclude)
        self._learns_from_all = not excluded
        datasets = datasets[~(datasets.index.isin(excluded) | datasets["name"].isin(excluded))]
        for family in ("classification", "regression"):
            runs, table, timed = self._family_data(family, evaluations, datasets,
                                                   stored)
            if runs.empty:
                continue
            if not runs["status"].eq("ok").any():
                causes = "; ".join(
                    f"{name}: {error}" for name, error in
                    runs[["strategy", "error"]].drop_duplicates().itertuples(index=False)
                )
                raise ValueError(
                    f"every one of the {len(runs)} stored {family} evaluations "
                    "failed, so there is nothing to learn from (they stay stored). "
                    f"Causes: {causes}"
                )
            portfolio = self._family_portfolio(family)
            performance, cost = self._unfitted_models(family)
            self.performance_models_[family] = _PendingModel(performance, table, runs)
            self.cost_models_[family] = _PendingModel(cost, table, timed)
            self.nearest_[family] = NearestDatasets().fit(table)
            self.training_ids_[family] = sorted(set(runs["dataset_id"]))
            unique = runs.drop_duplicates(subset=["strategy", "config_key"])
            self.candidates_[family] = list(zip(unique["strategy"], unique["config"]))
            rows = datasets.loc[datasets.index.isin(self.training_ids_[family]), "n_samples"]
            self._racing_data[family] = (kb, runs, rows.to_dict(), not excluded)
            if adjuster_settings is not None and family in adjuster_settings:
                self.adjuster_settings_[family] = adjuster_settings[family]
            else:
                # Learned on first use (a replay grid search takes a while).
                self._pending_settings[family] = (
                    kb, table, runs, portfolio, not excluded
                )

    def _family_data(self, family, evaluations, datasets, stored):
        """A task family's evaluations, meta-feature table and timed evaluations.

        ``datasets`` are those the meta-models learn from (the knowledge
        base's, less any excluded); ``stored`` is the meta-feature table.
        The evaluations are each dataset's main protocol
        (:func:`~skmeta.selection.main_protocol`), what scores are compared
        on; the timed ones are all of them, for the cost model (each knows
        its rows from its ``cv``).
        """
        tasks = ["regression"] if family == "regression" else ["binary", "multiclass"]
        datasets = usable_datasets(datasets[datasets["task"].isin(tasks)], stored,
                                   stacklevel=5)
        ids = datasets.index
        timed = evaluations[evaluations["dataset_id"].isin(ids)]
        table = _reproducible(stored[stored.index.isin(ids)]).dropna(axis=1, how="all")
        return main_protocol(timed), table, timed

    def _unfitted_models(self, family):
        """The performance and cost models of a family, before fitting."""
        portfolio = self._family_portfolio(family)
        return (PerformanceModel(portfolio, random_state=self.random_state,
                                 n_jobs=self.n_jobs),
                CostModel(portfolio, random_state=self.random_state, n_jobs=self.n_jobs))

    def _family_inputs(self, family):
        """What a family's meta-models learn from, out of the whole knowledge base.

        For a learner built without its knowledge base
        (:mod:`skmeta.shipped_learner`), which loads it now.

        Returns
        -------
        runs, table, timed : DataFrame
            As ``_family_data`` gives them.
        rows : dict
            Training dataset id -> number of rows.
        """
        kb = self.knowledge_base_
        evaluations = usable_evaluations(kb.evaluations(), stacklevel=4)
        datasets = kb.datasets()
        runs, table, timed = self._family_data(family, evaluations, datasets,
                                               kb.metafeatures())
        rows = datasets.loc[datasets.index.isin(self.training_ids_[family]), "n_samples"]
        return runs, table, timed, rows.to_dict()

    def _family_portfolio(self, family):
        return resolve_portfolio(self.portfolio,
                                 "regression" if family == "regression" else "multiclass")

    def _learn_settings(self, kb, family, table, runs, portfolio, use_stored=True,
                        force=False):
        """Meta-learn the adjuster's defaults by replaying stored experience.

        Settings learned on the whole knowledge base are stored in it (as the
        property ``adjuster_settings.<family>``) and reused while
        :data:`SETTINGS_VERSION` is the same and the knowledge base has not
        grown by more than :data:`RELEARN_GROWTH` of the datasets they were
        learned on (adding one dataset, as ``update_knowledge=True`` does,
        does not replay the whole knowledge base again);
        :meth:`relearn_settings` learns them again at once (``force``).
        """
        stored = (_stored_setting(kb, f"adjuster_settings.{family}")
                  if use_stored and not force else None)
        ids = self.training_ids_[family]
        if reusable(stored, SETTINGS_VERSION, len(ids)):
            self.adjuster_settings_[family] = AdjusterSettings(**stored["settings"])
            return
        if len(ids) < MIN_DATASETS_TO_LEARN_SETTINGS:
            self.adjuster_settings_[family] = AdjusterSettings()
            return
        self._log(f"meta-learning the adjuster settings on {len(ids)} {family} datasets")
        problems = replay_problems(
            table, runs, portfolio, n_folds=5, random_state=self.random_state
        )
        settings, results = learn_settings(problems, n_jobs=self.n_jobs)
        self.adjuster_settings_[family] = settings
        self.replay_results_[family] = results
        if use_stored and not kb.read_only:
            cost = results.loc[results["objective"] == "cost", "regret"]
            kb.set_property(f"adjuster_settings.{family}", {
                "settings": dataclasses.asdict(settings),
                "replay_regret": float(results["regret"].iloc[0]),
                "cost_regret": float(cost.iloc[0]) if len(cost) else None,
                "n_datasets": len(ids),
                "version": SETTINGS_VERSION,
            })

    @classmethod
    def from_knowledge_base(cls, knowledge_base, *, exclude=(), adjuster_settings=None,
                            **params):
        """A MetaLearner whose meta-models learn from stored experience only.

        No dataset is evaluated: this is ``fit`` without new datasets.

        Parameters
        ----------
        knowledge_base : str, path or KnowledgeBase
        exclude : collection of str, optional
            Ids or names of stored datasets to leave out of the meta-models
            (meta-testing on them, e.g. leave-one-dataset-out).
        adjuster_settings : dict, optional
            Task family -> :class:`~skmeta.adjust.AdjusterSettings` to use
            instead of meta-learning them.
        **params
            Constructor parameters of the MetaLearner.

        Notes
        -----
        For the shipped knowledge base, with the default portfolio and
        ``random_state`` and nothing excluded, the performance and cost
        models are read from ``skmeta/data/meta_models.npz``
        (:mod:`skmeta.selection.shipped`) instead of being fitted, while that
        file is current; otherwise they are fitted on first use.

        Examples
        --------
        >>> from skmeta import MetaLearner
        >>> from skmeta.knowledge import KnowledgeBase
        >>> learner = MetaLearner.from_knowledge_base(KnowledgeBase.default())
        >>> sorted(learner.performance_models_)
        ['classification', 'regression']
        """
        learner = cls(knowledge_base=knowledge_base, **params)
        learner._check_params()
        learner.knowledge_base_ = open_knowledge_base(knowledge_base, create=False)
        learner.dataset_ids_ = []
        learner.n_evaluated_ = learner.n_reused_ = 0
        learner._fit_meta_models(learner.knowledge_base_, exclude, adjuster_settings)
        _use_shipped_models(learner, exclude)
        return learner

    def __sklearn_clone__(self):
        # A fitted learner passed to an estimator (MetaClassifier(knowledge_base=
        # learner)) must survive the clones of GridSearchCV: it is shared, and
        # estimators only read it.
        if hasattr(self, "performance_models_"):
            return self
        return super().__sklearn_clone__()

    def __deepcopy__(self, memo):
        if hasattr(self, "performance_models_"):
            return self  # shared, as in __sklearn_clone__
        copied = type(self).__new__(type(self))
        memo[id(self)] = copied
        copied.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return copied

    def adjuster_settings(self, family):
        """The meta-learned adjuster settings for a task family.

        Learned by replay on first use (or read from the knowledge base,
        which keeps those learned on all its datasets); the hand-set
        :class:`~skmeta.adjust.AdjusterSettings` defaults when the knowledge
        base has no experience of the family.
        """
        check_is_fitted(self, "performance_models_")
        pending = getattr(self, "_pending_settings", {})
        if family in pending:
            kb, table, runs, portfolio, use_stored = pending.pop(family)
            self._learn_settings(kb, family, table, runs, portfolio, use_stored)
        return self.adjuster_settings_.get(family, AdjusterSettings())

    def racing_policy(self, family, relearn=False):
        """The racing policy of a task family's searches (:mod:`skmeta.racing`).

        Learned by replay of stored fold scores on first use (a few seconds),
        or read from the knowledge base, which keeps the one learned on all
        its datasets, with the same reuse rule as the adjuster settings
        (:data:`RELEARN_GROWTH`, :data:`RACING_VERSION`). The default policy
        (:data:`skmeta.racing.DEFAULT_MARGIN` for every size) when the
        knowledge base has no experience of the family.

        Parameters
        ----------
        family : {"classification", "regression"}
        relearn : bool, default=False
            Learn it again now, whatever is stored (and store it, for a
            learner of the whole knowledge base).

        Examples
        --------
        >>> from skmeta import MetaLearner
        >>> from skmeta.knowledge import KnowledgeBase
        >>> learner = MetaLearner.from_knowledge_base(KnowledgeBase.default())
        >>> policy = learner.racing_policy("classification")
        >>> len(policy.margins) == len(policy.bounds) + 1
        True
        """
        check_is_fitted(self, "performance_models_")
        data = getattr(self, "_racing_data", {})
        policies = getattr(self, "racing_policies_", {})
        if (relearn and family not in data and family in self.training_ids_
                and getattr(self, "_shipped", None) is not None):
            runs, _, _, rows = self._family_inputs(family)
            data[family] = (self.knowledge_base_, runs, rows, True)
        if family in data and (relearn or family not in policies):
            kb, runs, rows, use_stored = data[family]
            policies[family] = self._learn_racing(kb, family, runs, rows, use_stored,
                                                  relearn)
        return policies.get(family, RacingPolicy())

    def _learn_racing(self, kb, family, runs, rows, use_stored, relearn):
        key = f"racing_policy.{family}"
        stored = _stored_setting(kb, key) if use_stored and not relearn else None
        if reusable(stored, RACING_VERSION, len(rows)):
            return RacingPolicy.from_dict(stored["policy"])
        if len(rows) < MIN_DATASETS_TO_LEARN_SETTINGS:
            return RacingPolicy()
        self._log(f"learning the racing policy on {len(rows)} {family} datasets")
        policy, _ = learn_racing_policy(runs, rows, random_state=0)
        if use_stored and not kb.read_only:
            kb.set_property(key, {"policy": policy.to_dict(), "n_datasets": len(rows),
                                  "version": RACING_VERSION})
        return policy

    def relearn_settings(self, family=None):
        """Meta-learn the adjuster settings again, now, and store them.

        Stored settings are reused until the knowledge base has grown by
        :data:`RELEARN_GROWTH`; call this after adding experience to learn
        them on all of it at once.

        Parameters
        ----------
        family : {"classification", "regression"}, optional
            Both families with experience when None.

        Returns
        -------
        dict
            Task family -> the new :class:`~skmeta.adjust.AdjusterSettings`.
        """
        check_is_fitted(self, "performance_models_")
        families = list(self.training_ids_) if family is None else [family]
        kb = self.knowledge_base_
        evaluations = usable_evaluations(kb.evaluations(), stacklevel=3)
        datasets = kb.datasets().loc[sorted({i for f in families
                                             for i in self.training_ids_.get(f, ())})]
        stored = kb.metafeatures()
        learned = {}
        for name in families:
            if name not in self.training_ids_:
                raise ValueError(f"the knowledge base has no {name} experience.")
            runs, table, _ = self._family_data(name, evaluations, datasets, stored)
            portfolio = self._family_portfolio(name)
            self._pending_settings.pop(name, None)
            # Stored back only by a learner of the whole knowledge base.
            self._learn_settings(kb, name, table, runs, portfolio,
                                 use_stored=getattr(self, "_learns_from_all", True),
                                 force=True)
            learned[name] = self.adjuster_settings_[name]
        return learned

    def metafeatures_of(self, dataset):
        """Meta-features of a :class:`~skmeta.Dataset`, as this learner computes them."""
        return _metafeatures_of(dataset, self.max_rows_metafeatures, self.random_state)

    def warm_start(self, task, metafeatures, portfolio, cost_weight=0.0,
                   first_cost_weight=0.0, max_seconds=None):
        """Where the adjuster starts on a dataset.

        Parameters
        ----------
        task : {"binary", "multiclass", "regression"}
        metafeatures : Series
        portfolio : list of Strategy
        cost_weight : float, default=0.0
            Price of predicted cost (:mod:`skmeta.adjust.warm_start`); 0
            ranks on predicted score alone.
        first_cost_weight : float, default=0.0
            Price of predicted cost in the zero-shot pick.
        max_seconds : float, optional
            Candidates predicted to need more seconds than this for an
            evaluation are not the zero-shot pick while another is not.

        Returns
        -------
        WarmStart
            The prior (best utility of each strategy, NaN for a strategy the
            knowledge base has never seen), the stored configurations of
            each strategy by utility, the zero-shot pick and the cheap
            fallbacks.
        """
        check_is_fitted(self, "performance_models_")
        family = task_family(task)
        if family not in self.performance_models_:
            return WarmStart(np.full(len(portfolio), np.nan), {})
        ranked = self._rank(family, task, metafeatures)
        strategies, configs = ranked["strategy"].tolist(), ranked["config"].tolist()
        log_cost = self.cost_models_[family].predict(metafeatures, strategies, configs)
        return warm_start_from_predictions(
            portfolio, strategies, configs, ranked["predicted_score"].to_numpy(),
            log_cost, cost_weight, first_cost_weight,
            None if max_seconds is None else float(np.log2(max(max_seconds, 1e-3))),
        )

    def predicted_seconds(self, task, metafeatures, strategies, configs):
        """Predicted seconds of a 3-fold evaluation of each candidate.

        From the cost model (:class:`~skmeta.selection.CostModel`), timed on
        the machine that built the knowledge base; NaN where it has no
        experience of the strategy (or of the task family).
        """
        check_is_fitted(self, "performance_models_")
        family = task_family(task)
        if family not in self.cost_models_:
            return np.full(len(strategies), np.nan)
        return np.exp2(self.cost_models_[family].predict(metafeatures, strategies, configs))

    # -- recommend -----------------------------------------------------------
    def _candidates(self, family, task):
        """Distinct stored (strategy, configuration) pairs of the portfolio."""
        names = {s.name for s in resolve_portfolio(self.portfolio, task)}
        return [(s, c) for s, c in self.candidates_[family] if s in names]

    def _check_family(self, task):
        check_is_fitted(self, "performance_models_")
        family = task_family(task)
        if family not in self.performance_models_:
            raise ValueError(
                f"the knowledge base has no {family} experience; meta-train on "
                f"{family} datasets first."
            )
        return family

    def recommend(self, X, y, k=5, task=None, metafeatures=None):
        """The ``k`` most promising (strategy, configuration) pairs for a dataset.

        Parameters
        ----------
        X : array-like, DataFrame or sparse matrix of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        k : int, default=5
        task : {"binary", "multiclass", "regression"}, optional
        metafeatures : Series, optional
            Precomputed meta-features of ``(X, y)``.

        Returns
        -------
        DataFrame
            Columns ``strategy``, ``config``, ``predicted_score`` (normalized:
            1 is the best stored configuration of a dataset, 0 the median)
            and ``nearest_datasets`` (the reason: the most similar stored
            datasets, with their distances), best first.
        """
        if not isinstance(k, (int, np.integer)) or k < 1:
            raise ValueError(f"k must be a positive integer, got {k!r}.")
        dataset = Dataset(X, y, task=task)
        family = self._check_family(dataset.task)
        if metafeatures is None:
            metafeatures = self.metafeatures_of(dataset)
        return self._rank(family, dataset.task, metafeatures).head(k).reset_index(drop=True)

    def _rank(self, family, task, metafeatures, exclude=()):
        candidates = self._candidates(family, task)
        strategies = [s for s, _ in candidates]
        configs = [c for _, c in candidates]
        predicted = self.performance_models_[family].predict(
            metafeatures, strategies, configs
        )
        ids, distances = self.nearest_[family].kneighbors(metafeatures, exclude=exclude)
        shipped = getattr(self, "_shipped", None)
        names = (self.knowledge_base_.datasets()["name"] if shipped is None
                 else shipped["dataset_names"])
        reason = ", ".join(f"{names.get(i, i)} ({d:.2f})" for i, d in zip(ids, distances))
        table = pd.DataFrame({
            "strategy": strategies,
            "config": configs,
            "predicted_score": predicted,
            "nearest_datasets": reason,
        })
        return table.sort_values("predicted_score", ascending=False, kind="stable")

    # -- meta-test -----------------------------------------------------------
    def evaluate(self, datasets):
        """Score the recommendations on datasets kept out of meta-training.

        The grid of configurations is evaluated on each dataset (and stored,
        without refitting the meta-models) so that the top recommendation can
        be compared with the best stored configuration.

        Returns
        -------
        DataFrame
            One row per dataset: ``dataset``, ``recommended_strategy``,
            ``recommended_score``, ``best_strategy``, ``best_score``,
            ``regret`` (best minus recommended), ``normalized_score`` (of the
            recommendation: 1 best, 0 median configuration), and
            ``rank_of_best`` (where the recommender ranked the true best
            configuration, 1 = first).
        """
        check_is_fitted(self, "performance_models_")
        datasets = as_datasets(datasets)
        kb = self.knowledge_base_
        for dataset in datasets:
            family = self._check_family(dataset.task)
            if dataset.fingerprint in self.training_ids_[family]:
                raise ValueError(
                    f"dataset {dataset.name!r} was used for meta-training; "
                    "evaluate on held-out datasets only."
                )
        n_jobs = usable_n_jobs(self.n_jobs)
        self._store_metafeatures(kb, datasets, n_jobs)
        self._run_grid(kb, datasets, n_jobs)
        metafeatures = kb.metafeatures()
        rows = []
        for dataset in datasets:
            family = task_family(dataset.task)
            ranked = self._rank(family, dataset.task, metafeatures.loc[dataset.fingerprint])
            rows.append(_score_ranking(dataset, ranked, kb.evaluations(dataset_id=dataset.fingerprint)))
        return pd.DataFrame(rows)


def _reproducible(metafeatures):
    """Meta-features without the timings (``*.fit_seconds``).

    Timings differ from run to run; a meta-model that saw them would make
    the same ``random_state`` give different recommendations.
    """
    return metafeatures.drop(
        columns=[c for c in metafeatures.columns if str(c).endswith(".fit_seconds")]
    )


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


def resolve_meta_learner(knowledge_base, *, create=False):
    """The fitted MetaLearner an estimator's ``knowledge_base`` stands for.

    A path that does not exist is created only if ``create`` (the estimator
    stores its evaluations: ``update_knowledge=True``).
    """
    if isinstance(knowledge_base, MetaLearner):
        check_is_fitted(knowledge_base, "performance_models_",
                        msg="the MetaLearner given as knowledge_base is not fitted; "
                        "call its fit(datasets) first.")
        return knowledge_base
    if knowledge_base is None:
        return _default_meta_learner()
    if isinstance(knowledge_base, KnowledgeBase):
        return MetaLearner.from_knowledge_base(knowledge_base)
    return _learner_for_path(knowledge_base, create)


#: Meta-learners fitted for knowledge-base files in this process: resolved
#: path -> (file identity, learner).
_PATH_LEARNERS = {}


def _learner_for_path(path, create=False):
    """The meta-learner of a knowledge-base file, refit only when it changed.

    Fitted meta-models are reused while the file is the same file with the
    same content (:func:`~skmeta.knowledge.opening.file_identity`: its
    resolved path, so a relative path means the file it names now, and what
    it holds), so estimators pointed at one file pay for the meta-models
    once per process.
    """
    identity = file_identity(path)
    cached = _PATH_LEARNERS.get(identity[0]) if identity else None
    if cached is not None and cached[0] == identity:
        return cached[1]
    learner = MetaLearner.from_knowledge_base(open_knowledge_base(path, create=create))
    # Taken once the learner holds the file open (its -wal then exists).
    identity = file_identity(path)
    _PATH_LEARNERS[identity[0]] = (identity, learner)
    return learner


@functools.lru_cache(maxsize=1)
def _default_meta_learner():
    # Built once per process, from the shipped meta-models file alone while it
    # is current; else from the knowledge base, its meta-models read from that
    # file (fitted only if it is stale). Every core helps a fit: a forest grows
    # the same trees whatever its n_jobs, so recommendations do not depend on it.
    from skmeta.shipped_learner import shipped_meta_learner

    learner = shipped_meta_learner(n_jobs=-1)
    if learner is None:
        learner = MetaLearner.from_knowledge_base(KnowledgeBase.default(), n_jobs=-1)
    return learner


class _ShippedModel(_PendingModel):
    """A meta-model read from the shipped file on first use (fitted instead
    if the file turns out to be unreadable)."""

    def __init__(self, models, family, kind, pending):
        self.models, self.family, self.kind, self.pending = models, family, kind, pending

    def fit(self):
        try:
            return self.models.load(self.family, self.kind, self.pending.model.portfolio)
        except (OSError, ValueError, KeyError) as exc:
            warnings.warn(f"cannot read the shipped {self.family} {self.kind} model "
                          f"({exc}); fitting it instead.", UserWarning, stacklevel=3)
            return self.pending.fit()


def _use_shipped_models(learner, exclude):
    """Read the shipped meta-models instead of fitting them, when they apply.

    They apply to the shipped knowledge base with the default portfolio, no
    excluded dataset and the ``random_state`` they were fitted with, while
    :mod:`skmeta.selection.shipped` finds them current. Loading stays lazy,
    per task family, like fitting.
    """
    if (exclude or not isinstance(learner.portfolio, str) or learner.portfolio != "default"):
        return
    from skmeta.selection import shipped

    if not shipped.is_default_knowledge_base(learner.knowledge_base_):
        return
    pending = {
        family: {"performance": dict.get(learner.performance_models_, family),
                 "cost": dict.get(learner.cost_models_, family)}
        for family in learner.performance_models_
    }
    if not all(isinstance(m, _PendingModel) for by_kind in pending.values()
               for m in by_kind.values()):
        return
    unfitted = {f: {k: m.model for k, m in by_kind.items()} for f, by_kind in pending.items()}
    models = shipped.open_for(unfitted, learner.random_state, SETTINGS_VERSION)
    if models is None:
        return
    for family, by_kind in pending.items():
        for kind, table in (("performance", learner.performance_models_),
                            ("cost", learner.cost_models_)):
            dict.__setitem__(table, family,
                             _ShippedModel(models, family, kind, by_kind[kind]))


def _config_key(strategy, config):
    return (strategy, repr(sorted(config.items())))


def _score_ranking(dataset, ranked, runs):
    """Compare a ranking of configurations with their stored scores."""
    runs = runs.assign(normalized=normalized_scores(runs))
    by_key = {
        _config_key(s, c): (score, norm)
        for s, c, score, norm in zip(runs["strategy"], runs["config"], runs["score"], runs["normalized"])
    }
    ranked_keys = [_config_key(s, c) for s, c in zip(ranked["strategy"], ranked["config"])]
    ranked_keys = [key for key in ranked_keys if key in by_key]
    ok = runs[runs["status"] == "ok"]
    best = ok.loc[ok["score"].idxmax()]
    best_key = _config_key(best["strategy"], best["config"])
    top_score, top_norm = by_key[ranked_keys[0]]
    return {
        "dataset": dataset.name,
        "recommended_strategy": ranked_keys[0][0],
        "recommended_score": top_score,
        "best_strategy": best["strategy"],
        "best_score": best["score"],
        "regret": best["score"] - (top_score if pd.notna(top_score) else np.nan),
        "normalized_score": top_norm,
        "rank_of_best": ranked_keys.index(best_key) + 1 if best_key in ranked_keys else np.nan,
    }
