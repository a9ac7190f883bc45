"""The run: every pending (dataset, seed, system) fit, timed, in worker processes.

:func:`run` learns the missing adjuster settings up front, then hands whole
(dataset, seed) pairs to ``--parallel-fits`` worker processes (``spawn``);
each worker loads the knowledge base once (:func:`_worker_state`), splits
the dataset (:func:`prepare_split`) and fits the pair's pending systems one
after the other under ``threadpool_limits(1)``, appending each result as it
finishes, so that a rerun resumes where a run stopped.
"""

from __future__ import annotations

import multiprocessing
import os
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed

import numpy as np
from sklearn.model_selection import cross_val_score, train_test_split
from threadpoolctl import threadpool_limits

from skmeta.evaluation import make_cv

from .held_out import (
    HeldOutLearner,
    SettingsCache,
    family_groups,
    fold_of,
    kb_signature,
)
from .inputs import load_corpus, open_kb_in_memory
from .results import append_curve, append_row, done_keys, side_file
from .scoring import constant_predictor, holdout_roc_auc, holdout_score
from .systems import fit_system, learner_params, uses_meta_learner

#: The shared cross-validation folds of the random searches (and of skmeta
#: with ``--skmeta-cv shared``) and of the constant predictor's CV score.
N_SHARED_FOLDS = 5


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



def fit_and_score(system, X_train, y_train, X_test, y_test, task, learner_factory,
                  folds, seed, n_jobs, skmeta_cv="default"):
    """Fit one system, timed; returns (test score, seconds, info, error).

    ``info["roc_auc"]`` is the test ROC AUC of a classifier with
    ``predict_proba`` (one-vs-rest, macro, for several classes), untimed.
    """
    info, error, score, seconds, start = {}, "", np.nan, np.nan, None
    try:
        # The held-out meta-learner stands for a ready-made one: not timed.
        learner = (learner_factory(**learner_params(system))
                   if uses_meta_learner(system) else None)
        start = time.perf_counter()
        with warnings.catch_warnings(), threadpool_limits(1):
            warnings.simplefilter("ignore")
            model, info = fit_system(system, X_train, y_train, task, learner=learner,
                                     folds=folds, seed=seed, n_jobs=n_jobs,
                                     skmeta_cv=skmeta_cv)
            seconds = time.perf_counter() - start
            score = holdout_score(task, y_test, model.predict(X_test))
            if task != "regression" and hasattr(model, "predict_proba"):
                info["roc_auc"] = holdout_roc_auc(
                    y_test, model.predict_proba(X_test), model.classes_)
    except Exception as exc:  # recorded, the run goes on
        error = f"{type(exc).__name__}: {exc}"[:500]
        if start is not None and np.isnan(seconds):
            seconds = time.perf_counter() - start
    return score, seconds, info, error


def prepare_split(dataset, seed, max_train):
    """The outer split, the CV folds and the constant predictor's scores."""
    X_train, X_test, y_train, y_test = outer_split(dataset, seed, max_train)
    task = dataset.task
    folds = make_cv(N_SHARED_FOLDS, task, y_train, seed)
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
            "roc_auc": info.get("roc_auc", np.nan),
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
    """This process's knowledge base, family groups and settings cache."""
    if not _WORKER:
        kb = open_kb_in_memory(args.kb)
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
    learner_factory = HeldOutLearner(state["kb"], name, state["groups"],
                                      state["settings"], args.n_jobs)
    run_dataset_seed(dataset, seed, systems, args, learner_factory, state["signature"])
    return name, seed


def run(args, names, systems):
    """Fit every system not yet in ``args.results`` on every dataset and seed."""
    state = _worker_state(args)
    groups, settings = state["groups"], state["settings"]
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
    if any(uses_meta_learner(s) for s in systems):
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

