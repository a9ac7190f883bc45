"""Evaluating one configuration of one strategy by cross-validation.

This is the single place where skmeta fits models to score them: meta-training,
the strategy adjuster and the benchmarks all call :func:`evaluate_config`.
Failures are data: a configuration that raises, runs past its time limit or
predicts garbage gives an :class:`EvaluationResult` with ``status`` set to
``"error"`` or ``"timeout"`` and the reason in ``error``, and the caller goes on.

With a time limit, the evaluation runs in a worker process that is killed
when the limit passes (:mod:`skmeta._isolation`); without one, it runs in the
calling process, which is faster but cannot stop a learner that hangs.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
from sklearn import config_context, metrics
from sklearn.model_selection import KFold, StratifiedKFold, check_cv

from skmeta._isolation import call_with_timeout
from skmeta._sklearn_compat import _safe_indexing
from skmeta._threadpools import single_threaded
from skmeta.strategies.strategy import fit_model

__all__ = [
    "SCORINGS",
    "EvaluationResult",
    "cv_description",
    "default_scoring",
    "evaluate_config",
    "make_cv",
    "merge_fold_results",
    "score_predictions",
    "standard_error",
]


@dataclass(frozen=True)
class _Scoring:
    function: object
    needs: str  # "label", "proba" or "value"
    tasks: tuple


# A metric is ``function(y_true, predictions, classes, sample_weight)``.
def _roc_auc(y_true, proba, classes, sample_weight=None):
    if len(classes) == 2:
        return metrics.roc_auc_score(y_true == classes[1], proba[:, 1],
                                     sample_weight=sample_weight)
    return metrics.roc_auc_score(y_true, proba, labels=classes, multi_class="ovr",
                                 sample_weight=sample_weight)


def _neg_log_loss(y_true, proba, classes, sample_weight=None):
    return -metrics.log_loss(y_true, proba, labels=classes, sample_weight=sample_weight)


def _label_metric(function, sign=1.0, **kwargs):
    def metric(y_true, y_pred, classes, sample_weight=None):
        return sign * function(y_true, y_pred, sample_weight=sample_weight, **kwargs)
    return metric


_CLASSIFICATION = ("binary", "multiclass")
_REGRESSION = ("regression",)

#: Metric names :func:`evaluate_config` understands. Greater is better for all.
SCORINGS = {
    "balanced_accuracy": _Scoring(
        _label_metric(metrics.balanced_accuracy_score), "label", _CLASSIFICATION
    ),
    "accuracy": _Scoring(
        _label_metric(metrics.accuracy_score), "label", _CLASSIFICATION
    ),
    "f1_macro": _Scoring(
        _label_metric(metrics.f1_score, average="macro"), "label", _CLASSIFICATION
    ),
    "roc_auc": _Scoring(_roc_auc, "proba", _CLASSIFICATION),
    "neg_log_loss": _Scoring(_neg_log_loss, "proba", _CLASSIFICATION),
    "r2": _Scoring(_label_metric(metrics.r2_score), "value", _REGRESSION),
    "neg_mean_squared_error": _Scoring(
        _label_metric(metrics.mean_squared_error, -1.0), "value", _REGRESSION
    ),
    "neg_root_mean_squared_error": _Scoring(
        _label_metric(metrics.root_mean_squared_error, -1.0), "value", _REGRESSION
    ),
    "neg_mean_absolute_error": _Scoring(
        _label_metric(metrics.mean_absolute_error, -1.0), "value", _REGRESSION
    ),
}


def default_scoring(task):
    """The metric skmeta optimizes when none is given.

    ``"balanced_accuracy"`` for classification (robust to imbalance) and
    ``"r2"`` for regression.

    Examples
    --------
    >>> from skmeta.evaluation import default_scoring
    >>> default_scoring("binary"), default_scoring("regression")
    ('balanced_accuracy', 'r2')
    """
    return "r2" if task == "regression" else "balanced_accuracy"


def check_scoring_name(scoring, task):
    """Validate a metric name for a task; None means :func:`default_scoring`."""
    if scoring is None:
        return default_scoring(task)
    if not isinstance(scoring, str) or scoring not in SCORINGS:
        raise ValueError(
            f"scoring must be one of {sorted(SCORINGS)} or None, got {scoring!r}."
        )
    if task not in SCORINGS[scoring].tasks:
        raise ValueError(f"scoring {scoring!r} does not apply to a {task} task.")
    return scoring


def make_cv(cv, task, y=None, random_state=None):
    """A cross-validation splitter for a task.

    An integer gives a shuffled ``StratifiedKFold`` for classification and a
    shuffled ``KFold`` for regression. For classification the number of folds
    is lowered to the size of the smallest class so that every fold can see
    every class; when a class has a single member the folds cannot be
    stratified, and a shuffled ``KFold`` is used with a warning. Any
    scikit-learn splitter is passed through.

    Examples
    --------
    >>> from skmeta.evaluation import make_cv
    >>> make_cv(3, "binary", random_state=0)
    StratifiedKFold(n_splits=3, random_state=0, shuffle=True)
    """
    if isinstance(cv, (int, np.integer)) and not isinstance(cv, bool):
        if cv < 2:
            raise ValueError(f"cv must be at least 2 folds, got {cv}.")
        n_splits = int(cv)
        if task == "regression":
            return KFold(n_splits, shuffle=True, random_state=random_state)
        if y is not None:
            _, counts = np.unique(y, return_counts=True)
            smallest = int(counts.min())
            if smallest < 2:
                warnings.warn(
                    "a class has a single member, so the folds cannot be "
                    "stratified; using unstratified KFold. Scores of that "
                    "class are unreliable: consider dropping or merging it.",
                    UserWarning,
                    stacklevel=2,
                )
                return KFold(n_splits, shuffle=True, random_state=random_state)
            n_splits = min(n_splits, smallest)
        return StratifiedKFold(n_splits, shuffle=True, random_state=random_state)
    return check_cv(cv, y, classifier=task != "regression")


def cv_description(splitter):
    """A stable text that identifies a splitter (part of an evaluation's key)."""
    return repr(splitter)


@dataclass
class EvaluationResult:
    """What one cross-validated evaluation gave.

    Attributes
    ----------
    status : {"ok", "error", "timeout"}
    score : float or None
        Mean of ``fold_scores`` (greater is better); None unless ``ok``.
    fold_scores : list of float
    fit_seconds, predict_seconds : float
        Summed over folds.
    error : str
        Why it failed, empty when ``ok``.
    oof_predictions : ndarray or None
        Out-of-fold predictions (class probabilities of shape
        (n_samples, n_classes) for classifiers, values for regressors),
        when asked for.
    """

    status: str
    score: float | None = None
    fold_scores: list = field(default_factory=list)
    fit_seconds: float = 0.0
    predict_seconds: float = 0.0
    error: str = ""
    oof_predictions: np.ndarray | None = None

    @property
    def ok(self):
        return self.status == "ok"


def _predict_for_scoring(model, X, task, classes, needs_proba):
    """Predictions and, for classifiers, class probabilities aligned to classes."""
    if task == "regression":
        values = np.asarray(model.predict(X), dtype=float)
        return values, None
    labels = np.asarray(model.predict(X))
    proba = None
    if needs_proba:
        if hasattr(model, "predict_proba"):
            raw = np.asarray(model.predict_proba(X), dtype=float)
            model_classes = list(model.classes_)
            proba = np.zeros((raw.shape[0], len(classes)))
            positions = np.searchsorted(classes, model_classes)
            proba[:, positions] = raw
        else:
            proba = (labels[:, None] == classes[None, :]).astype(float)
    return labels, proba


def _check_predictions(predictions, n_expected, task):
    if predictions.shape[0] != n_expected or predictions.ndim != 1:
        raise ValueError(
            f"the model returned predictions of shape {predictions.shape}, "
            f"expected ({n_expected},)"
        )
    # Float labels of a classifier are checked too: NaN is no class, and
    # metrics would otherwise fail with a message that does not name the model.
    if predictions.dtype.kind in "fc" and not np.all(np.isfinite(predictions)):
        raise ValueError("the model predicted NaN or infinite values")


def _fit_fold(model, X, y, train, test, sample_weight, fold_cache):
    """Fit a pipeline of :meth:`~skmeta.strategies.Strategy.build` on a fold.

    Returns what predicts the test rows, those rows (as it takes them) and
    the fit's seconds. With a :class:`~skmeta._fold_cache.FoldCache`, the
    preprocessing comes from it and the learner is fitted alone (with the
    weights, as :func:`~skmeta.strategies.fit_model` passes them).
    """
    weights = None if sample_weight is None else sample_weight[train]
    preprocessor = model.steps[0][1]
    if fold_cache is None or not fold_cache.handles(preprocessor):
        start = time.perf_counter()
        fit_model(model, _safe_indexing(X, train), y[train], weights)
        return model, _safe_indexing(X, test), time.perf_counter() - start
    fitted, rows_train, rows_test, seconds = fold_cache.transform(
        preprocessor, X, train, test)
    model.steps[0] = (model.steps[0][0], fitted)
    learner = model.steps[-1][1]
    start = time.perf_counter()
    if weights is None:
        learner.fit(rows_train, y[train])
    else:
        with config_context(enable_metadata_routing=False):  # as fit_model does
            learner.fit(rows_train, y[train], sample_weight=weights)
    return learner, rows_test, seconds + time.perf_counter() - start


def _cross_validate(strategy, config, X, y, task, splits, scoring, return_oof,
                    sample_weight=None, fold_cache=None):
    spec = SCORINGS[scoring]
    classes = np.unique(y) if task != "regression" else None
    needs_proba = spec.needs == "proba" or return_oof
    fold_scores, fit_seconds, predict_seconds = [], 0.0, 0.0
    oof = None
    if return_oof:
        width = len(classes) if task != "regression" else None
        oof = np.full((len(y), width) if width else len(y), np.nan)
    for train, test in splits:
        model = strategy.build(config, n_rows=len(train))
        predictor, rows_test, seconds = _fit_fold(model, X, y, train, test,
                                                  sample_weight, fold_cache)
        fit_seconds += seconds
        start = time.perf_counter()
        labels, proba = _predict_for_scoring(predictor, rows_test, task, classes,
                                             needs_proba)
        predict_seconds += time.perf_counter() - start
        _check_predictions(labels, len(test), task)
        if proba is not None:
            if proba.shape[0] != len(test):
                raise ValueError(
                    f"the model returned probabilities for {proba.shape[0]} rows, "
                    f"expected {len(test)}"
                )
            if not np.all(np.isfinite(proba)):
                raise ValueError("the model predicted NaN or infinite probabilities")
        predictions = proba if spec.needs == "proba" else labels
        weights = None if sample_weight is None else sample_weight[test]
        fold_scores.append(float(spec.function(y[test], predictions, classes, weights)))
        if return_oof:
            oof[test] = proba if task != "regression" else labels
    if not np.all(np.isfinite(fold_scores)):
        raise ValueError(f"the fold scores are not finite: {fold_scores}")
    return EvaluationResult(
        status="ok",
        score=float(np.mean(fold_scores)),
        fold_scores=fold_scores,
        fit_seconds=fit_seconds,
        predict_seconds=predict_seconds,
        oof_predictions=oof,
    )


def _error_result(exc):
    message = f"{type(exc).__name__}: {exc}"
    return EvaluationResult(status="error", error=message[:2000])


def _run_guarded(strategy, config, X, y, task, splits, scoring, return_oof,
                 sample_weight=None, fold_cache=None):
    try:
        # Parallelism is across evaluations; learners' warnings (e.g. about
        # convergence) are expected during a search and would only be noise.
        with single_threaded(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _cross_validate(
                strategy, config, X, y, task, splits, scoring, return_oof,
                sample_weight, fold_cache,
            )
    except Exception as exc:  # a failing strategy is recorded, not raised
        return _error_result(exc)
    except MemoryError:
        return EvaluationResult(status="error", error="MemoryError: out of memory")


def evaluate_config(
    strategy,
    config,
    X,
    y,
    task,
    splits,
    *,
    scoring=None,
    timeout=None,
    return_oof=False,
    deadline=False,
    sample_weight=None,
    fold_cache=None,
):
    """Cross-validate one configuration of a strategy.

    Parameters
    ----------
    strategy : Strategy
        Builds the model with ``strategy.build(config)``.
    config : dict
        Hyperparameters of the strategy.
    X : DataFrame or sparse matrix of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    task : {"binary", "multiclass", "regression"}
    splits : list of (train_indices, test_indices)
        The folds, usually ``list(make_cv(...).split(X, y))``.
    scoring : str, optional
        A name from :data:`SCORINGS`; :func:`default_scoring` when None.
    timeout : float, optional
        Seconds the whole evaluation may take; no limit when None.
    return_oof : bool, default=False
        Keep the out-of-fold predictions (for ensembles).
    deadline : bool, default=False
        ``timeout`` is a deadline: starting the worker process that enforces
        it counts against it (a time budget); otherwise it limits the
        learner's own time.
    sample_weight : ndarray of shape (n_samples,), optional
        Per-row weights: each fold's model is fitted with its training rows'
        weights (see :func:`~skmeta.strategies.fit_model`) and scored with a
        metric weighted by its test rows' weights. The strategy must accept
        weights (:attr:`~skmeta.strategies.Strategy.accepts_sample_weight`).
    fold_cache : FoldCache, optional
        Preprocessed folds shared with the other evaluations of a search on
        the same ``X`` and ``splits`` (:mod:`skmeta._fold_cache`); used only
        without ``timeout`` (in this process).

    Returns
    -------
    EvaluationResult
        Never raises for a failing strategy: see ``status`` and ``error``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skmeta.evaluation import evaluate_config, make_cv
    >>> from skmeta.strategies import default_portfolio
    >>> X, y = load_iris(return_X_y=True, as_frame=True)
    >>> knn = {s.name: s for s in default_portfolio("multiclass")}["knn"]
    >>> splits = list(make_cv(3, "multiclass", y, random_state=0).split(X, y))
    >>> result = evaluate_config(knn, knn.default_config(), X, y.to_numpy(),
    ...                          "multiclass", splits)
    >>> result.status, len(result.fold_scores), result.score > 0.9
    ('ok', 3, True)
    """
    scoring = check_scoring_name(scoring, task)
    if timeout is not None and timeout <= 0:
        raise ValueError(f"timeout must be positive or None, got {timeout}.")
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight, dtype=float)
    args = (strategy, config, X, np.asarray(y), task, list(splits), scoring, return_oof,
            sample_weight)
    if timeout is None:
        return _run_guarded(*args, fold_cache)
    outcome, value = call_with_timeout(_run_guarded, args, timeout, count_start=deadline)
    if outcome == "ok":
        return value
    return EvaluationResult(status="timeout" if outcome == "timeout" else "error",
                            error=value)


def merge_fold_results(fold_results, splits):
    """One evaluation's result from the results of its folds, evaluated apart.

    For running the folds of an evaluation in parallel: evaluate each with
    ``evaluate_config(..., splits=[split])``, then merge. The first failed
    fold makes the evaluation fail with its status and error.

    Parameters
    ----------
    fold_results : list of EvaluationResult
        One per fold, in the order of ``splits``.
    splits : list of (train_indices, test_indices)

    Returns
    -------
    EvaluationResult

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skmeta.evaluation import evaluate_config, make_cv, merge_fold_results
    >>> from skmeta.strategies import default_portfolio
    >>> X, y = load_iris(return_X_y=True, as_frame=True)
    >>> knn = {s.name: s for s in default_portfolio("multiclass")}["knn"]
    >>> splits = list(make_cv(3, "multiclass", y, random_state=0).split(X, y))
    >>> folds = [evaluate_config(knn, knn.default_config(), X, y.to_numpy(),
    ...                          "multiclass", [split]) for split in splits]
    >>> whole = evaluate_config(knn, knn.default_config(), X, y.to_numpy(),
    ...                         "multiclass", splits)
    >>> merge_fold_results(folds, splits).fold_scores == whole.fold_scores
    True
    """
    fit_seconds = sum(r.fit_seconds for r in fold_results)
    predict_seconds = sum(r.predict_seconds for r in fold_results)
    failed = next((r for r in fold_results if not r.ok), None)
    if failed is not None:
        return EvaluationResult(status=failed.status, error=failed.error,
                                fit_seconds=fit_seconds, predict_seconds=predict_seconds)
    oof = None
    if fold_results[0].oof_predictions is not None:
        oof = fold_results[0].oof_predictions.copy()
        for result, (_, test) in zip(fold_results[1:], splits[1:]):
            oof[test] = result.oof_predictions[test]
    fold_scores = [r.fold_scores[0] for r in fold_results]
    return EvaluationResult(
        status="ok", score=float(np.mean(fold_scores)), fold_scores=fold_scores,
        fit_seconds=fit_seconds, predict_seconds=predict_seconds, oof_predictions=oof,
    )


def score_predictions(y_true, predictions, task, scoring=None, classes=None,
                      sample_weight=None):
    """Score predictions (labels, probabilities or values) with a named metric.

    ``predictions`` are class probabilities (columns ordered as ``classes``)
    for classification and values for regression, as in
    :attr:`EvaluationResult.oof_predictions`; ``sample_weight`` weights the
    metric.
    """
    scoring = check_scoring_name(scoring, task)
    spec = SCORINGS[scoring]
    if task == "regression":
        return float(spec.function(y_true, predictions, None, sample_weight))
    classes = np.unique(y_true) if classes is None else np.asarray(classes)
    if spec.needs == "proba":
        return float(spec.function(y_true, predictions, classes, sample_weight))
    labels = classes[np.argmax(predictions, axis=1)]
    return float(spec.function(y_true, labels, classes, sample_weight))


def standard_error(fold_scores):
    """The standard error of a cross-validated score, the mean of ``fold_scores``.

    None below two finite fold scores.

    Examples
    --------
    >>> from skmeta.evaluation import standard_error
    >>> round(standard_error([0.70, 0.74, 0.72]), 4)
    0.0115
    >>> standard_error([0.7]) is None
    True
    """
    scores = np.asarray([s for s in fold_scores if s is not None], dtype=float)
    scores = scores[np.isfinite(scores)]
    if len(scores) < 2:
        return None
    return float(np.std(scores, ddof=1) / np.sqrt(len(scores)))
