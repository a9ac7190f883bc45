"""The meta-training grid: every configuration of the portfolio on every dataset.

Each strategy of the portfolio is cross-validated on every dataset with the
same configurations (its default one plus ``n_configs_per_strategy`` sampled
ones), so the knowledge base holds a complete (dataset x configuration)
score matrix. Evaluations run in parallel with joblib and are stored as they
complete; those already stored are not run again, so an interrupted
meta-training resumes. The functions take the :class:`~skmeta.MetaLearner`
whose parameters (``portfolio``, ``cv``, ``scoring``, ...) they follow.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass

import numpy as np
from joblib import Parallel, delayed

from skmeta._subsampling import subsample
from skmeta.datasets import Dataset
from skmeta.evaluation import (
    check_scoring_name,
    cv_description,
    evaluate_config,
    make_cv,
)
from skmeta.knowledge import WEIGHTED_CV_SUFFIX, Evaluation, EvaluationKey, config_key
from skmeta.metafeatures import extract_dataset_metafeatures, metafeature_names
from skmeta.strategies import resolve_portfolio

__all__ = ["configuration_grid", "metafeatures_of", "run_grid", "store_metafeatures"]


def configuration_grid(strategy, n_configs, random_state):
    """The default configuration of a strategy, then ``n_configs`` sampled ones.

    The sample depends only on ``random_state`` and the strategy's name, so
    every dataset gets the same grid and a rerun finds it again.

    Examples
    --------
    >>> from skmeta.learner.grid import configuration_grid
    >>> from skmeta.strategies import resolve_portfolio
    >>> [knn] = resolve_portfolio(["knn"], "binary")
    >>> grid = configuration_grid(knn, 2, random_state=0)
    >>> grid[0] == knn.default_config(), grid == configuration_grid(knn, 2, 0)
    (True, True)
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


def metafeatures_of(dataset, max_rows, random_state):
    """Meta-features of a :class:`~skmeta.Dataset` from at most ``max_rows`` rows.

    The dataset is already checked: checking its table again (as
    :func:`~skmeta.metafeatures.extract_metafeatures` does for raw data)
    would give the same values, a few hundredths of a second later on a
    large table.
    """
    return extract_dataset_metafeatures(dataset, max_rows=max_rows,
                                        random_state=random_state)


def store_metafeatures(learner, kb, datasets, n_jobs):
    """Store the meta-features of the datasets ``kb`` lacks (or holds other ones of)."""
    stored = kb.metafeature_names_by_dataset()
    # New datasets, and datasets stored by an extractor with other measures.
    missing = [
        d for d in datasets
        if stored.get(d.fingerprint) != frozenset(metafeature_names(d.task))
    ]
    if not missing:
        return
    learner._log(f"meta-features of {len(missing)} datasets")
    tables = Parallel(n_jobs=n_jobs)(
        delayed(metafeatures_of)(d, learner.max_rows_metafeatures, learner.random_state)
        for d in missing
    )
    for dataset, values in zip(missing, tables):
        kb.add_dataset(
            dataset.fingerprint, dataset.name, dataset.task, values,
            dataset.n_samples, dataset.n_features,
        )


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


def _jobs(learner, datasets):
    """Every (dataset, strategy, configuration) evaluation of the grid."""
    for dataset in datasets:
        sample = subsample(dataset, learner.max_samples, learner.random_state)
        splitter = make_cv(learner.cv, dataset.task, sample.y, learner.random_state)
        key_cv = cv_description(splitter)
        if sample is not dataset:
            key_cv += f" on {learner.max_samples} rows"
        if dataset.sample_weight is not None:
            key_cv += WEIGHTED_CV_SUFFIX
        splits = list(splitter.split(sample.X, sample.y))
        for strategy in resolve_portfolio(learner.portfolio, dataset.task):
            if dataset.sample_weight is not None and not strategy.accepts_sample_weight:
                continue  # it could not be judged by the weighted metric
            for config in configuration_grid(
                strategy, learner.n_configs_per_strategy, learner.random_state
            ):
                yield (
                    _Job(dataset.fingerprint, sample, strategy, config, key_cv),
                    splits,
                    dataset,
                )


def _progress_bar(done, total, rate):
    """A one-line text progress bar with the rate and the time left.

    Examples
    --------
    >>> from skmeta.learner.grid import _progress_bar
    >>> _progress_bar(30, 120, 2.0)
    '[#####...............] 30/120 evaluations (2.0/s, about 45 s left)'
    """
    filled = int(20 * done / total)
    left = (total - done) / rate if rate > 0 else float("nan")
    return (f"[{'#' * filled}{'.' * (20 - filled)}] {done}/{total} evaluations "
            f"({rate:.1f}/s, about {left:.0f} s left)")


def run_grid(learner, kb, datasets, n_jobs, timeout):
    """Evaluate the grid on the datasets, storing each evaluation as it completes.

    ``timeout`` is the seconds one evaluation may take (the learner's
    ``evaluation_timeout``, or its deprecated ``timeout``).

    Returns
    -------
    n_evaluated, n_reused : int
        Evaluations run, and found already stored.
    """
    seed = -1 if learner.random_state is None else int(learner.random_state)
    pending = []
    n_reused = 0
    for job, splits, dataset in _jobs(learner, datasets):
        scoring = check_scoring_name(learner.scoring, dataset.task)
        key = EvaluationKey(
            dataset.fingerprint, job.strategy.name, config_key(job.config),
            scoring, job.key_cv, seed,
        )
        if kb.has_evaluation(key):
            n_reused += 1
            continue
        pending.append((job, scoring, splits))
    learner._log(f"{len(pending)} evaluations to run, {n_reused} already stored")
    results = Parallel(n_jobs=n_jobs, return_as="generator")(
        delayed(_evaluate_job)(job, scoring, splits, timeout, seed)
        for job, scoring, splits in pending
    )
    start = time.perf_counter()
    for done, evaluation in enumerate(results, 1):
        # Only this process writes: one transaction per finished evaluation.
        kb.add_evaluation(evaluation)
        if learner.verbose and (done % 20 == 0 or done == len(pending)):
            rate = done / max(time.perf_counter() - start, 1e-9)
            learner._log(_progress_bar(done, len(pending), rate))
    return len(pending), n_reused
