"""MetaClassifier and MetaRegressor: meta-learned model selection as an estimator.

``fit(X, y)`` computes the dataset's meta-features, asks the meta-learner
(built from a knowledge base, by default the one shipped with skmeta) for a
prior over strategies and warm-start configurations, runs the
:mod:`warm-started gradient/softmax adjuster <skmeta.adjust>` for
``n_evaluations`` cross-validated evaluations, and refits the winner — or, with
``ensemble_size > 1``, a weighted ensemble of the evaluated configurations
chosen on their out-of-fold predictions — on all the data.

``fit`` has the shape of scikit-learn's ``BaseSearchCV.fit``. This module
holds what differs between a classifier and a regressor; what they share is
in private modules, one step each: the parameters, ``fit`` and ``predict``
in :mod:`skmeta._base_search`, the search's steps in
:mod:`skmeta._meta_search`, the results a search shows (``cv_results_``,
``scorer_``) in :mod:`skmeta._search_results`, and the final model in
:mod:`skmeta._final_model`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from skmeta._base_search import _BaseMetaEstimator
from skmeta._final_model import refit_configuration
from skmeta._meta_search import AUTO_FOLDS  # noqa: F401 (documented here: cv="auto")
from skmeta._threadpools import limited_threads
from skmeta._zero_shot_check import (  # noqa: F401 (ZERO_SHOT_CHECK_FOLDS: as before)
    FAR_BEYOND,
    ZERO_SHOT_CHECK_FOLDS,
    beyond_fences,
    check_folds,
    check_scores,
    check_seconds,
)
from skmeta.datasets import (
    Dataset,
    check_class_labels,
    check_target_magnitude,
    unbox_class_labels,
)
from skmeta.ensemble import FusedClassifier, FusedRegressor
from skmeta.evaluation import evaluate_config
from skmeta.guard import (
    GuardedRegressor,
    choose_guard,
    error_ratios,
    fold_mean_score,
    target_summary,
    winsorize,
)

__all__ = ["MetaClassifier", "MetaRegressor"]

#: Far-wild training targets that a fit on them predicts with at least this
#: share of the squared errors of a fit on the clipped target (out of fold)
#: are taken for contaminated values when that fit also predicts the other
#: rows worse (:func:`~skmeta.guard.error_ratios`). With
#: HistGradientBoosting's defaults on 3 folds (``benchmarks/bench_wild_rows.py``),
#: the contaminated and one-extreme cases of ``bench_contaminated.py`` gave
#: 0.95-1.03 (20 tables, 2 seeds); the corpus's far-wild targets gave below
#: 0.9 where the features explain the tail (sleep apnea 0.13-0.19, charity
#: gifts 0.64-0.68, Forbes 2000 profits 0.77-0.78), and 0.92-1.04 on count
#: targets (doctor visits, publications, offences) and a few small tables.
UNPREDICTED_WILD_ROWS = 0.9

#: scikit-learn estimator checks that fail by design (see the Notes of
#: :class:`MetaClassifier`).
EXPECTED_FAILED_CHECKS = {
    **{check: ("a weight of 2 is not the same as a repeated row: the repeated "
               "row changes the cross-validation folds, and so the search")
       for check in ("check_sample_weight_equivalence_on_dense_data",
                     "check_sample_weight_equivalence_on_sparse_data")},
    "check_dataframe_column_names_consistency": (
        "columns are matched by name at predict, so the same columns in "
        "another order are put back in order instead of refused"),
}


def _fitted_model_has_scores(estimator):
    """For ``available_if``: promised before fit; after, a model with a
    decision function or probabilities (every default strategy) has one."""
    if "best_estimator_" not in vars(estimator):
        return True
    return (hasattr(estimator.best_estimator_, "decision_function")
            or hasattr(estimator.best_estimator_, "predict_proba"))


def _fitted_model_has_proba(estimator):
    """For ``available_if``: promised before fit; after, only if the final
    model has probabilities (every default strategy has)."""
    if "best_estimator_" not in vars(estimator):
        return True
    return hasattr(estimator.best_estimator_, "predict_proba")


def _log_odds(proba):
    """Decision scores from class probabilities, in the same order."""
    logs = np.log(np.clip(proba, 1e-15, 1.0))
    if logs.shape[1] == 2:
        return logs[:, 1] - logs[:, 0]
    return logs


class MetaClassifier(ClassifierMixin, _BaseMetaEstimator):
    """A classifier that picks and tunes its own learning strategy.

    Parameters
    ----------
    knowledge_base : None, str, path or KnowledgeBase, default=None
        The experience to start from: None uses the knowledge base shipped
        with skmeta; a path or :class:`~skmeta.knowledge.KnowledgeBase` is
        meta-learned from on first use. To start from a fitted
        :class:`~skmeta.MetaLearner`, give it as ``meta_learner``.

        .. deprecated:: 0.2
           A fitted MetaLearner given here still works, with a
           ``FutureWarning``, until 0.3: give it as ``meta_learner``.
    portfolio : None, "default" or list, default=None
        Strategies to choose from (see :func:`skmeta.strategies.resolve_portfolio`);
        None takes the meta-learner's portfolio, whose strategies the
        knowledge base has experience of.
    n_evaluations : int, default=10
        Proposals the search evaluates. Each is scored on one fold first and
        promoted to the others only if it is close to the best so far (see
        :mod:`skmeta.fold_race`), so most cost a fraction of a cross-validation.
        With 1 nothing is compared, so nothing is cross-validated: the
        zero-shot pick (the knowledge base's best among the candidates
        predicted to cost no more than HistGradientBoosting's default) is
        fit once on all the rows and ``best_score_`` is NaN.
    time_budget : float, optional
        Seconds for the whole ``fit``: meta-features, search and final
        model. The search keeps back the refit's predicted time, never
        starts a fold predicted not to finish, and runs a fold that might
        not finish in a worker process killed at the deadline; the refit
        keeps the ensemble members that fit in the time left (on fewer rows,
        with a warning, if not even the best does). While no evaluation has
        succeeded, the cheapest candidates predicted at least as good as the
        median are tried next. Whatever the cost model predicts, a model of
        last resort (logistic regression, naive Bayes or ridge with default
        settings, on at most 2,000 rows) is fitted before the search; if no
        evaluation completes in the time, it is the final model, with a
        warning. The clock only stops work, so a longer budget runs the same
        proposals and more of them.
    evaluation_timeout : float, optional
        Seconds one evaluation may take; each of its ``cv`` folds gets an
        equal share (``time_budget`` is for the whole ``fit``).

        .. versionadded:: 0.2
           Was ``timeout``.
    temperature, learning_rate, prior_weight, step_size : float or "auto"
        The adjuster's settings (:class:`~skmeta.adjust.AdjusterSettings`);
        "auto" takes the values meta-learned with the knowledge base.
    cost_weight : float or "auto", default="auto"
        Price of predicted evaluation time in the starting preferences: a
        candidate twice as slow as the median must be predicted this much
        better (in normalized score) to rank the same. 0 ranks on predicted
        score alone; "auto" takes the value meta-learned on time budgets
        under a ``time_budget`` or when the search has fewer than 1,000
        rows, and the zero-shot pick's low fixed weight (0.05) for a larger
        search without one (see the user guide's "Cost").
    proposals_per_step : int, default=2
        Proposals per adjuster step (not rows). Their (proposal, fold) pairs
        are evaluated in parallel with ``n_jobs``; the result does not depend
        on ``n_jobs``.

        .. versionadded:: 0.2
           Was ``batch_size``.
    cv : "auto", int or splitter, default="auto"
        Folds of a promoted proposal (stratified for classification). A
        splitter or a list of (train, test) index pairs is used as given.
        "auto" is :data:`AUTO_FOLDS`: 5 folds for classification, 3 for
        regression (on the held-out datasets of the selection benchmark,
        3 folds cost regression no test score and classification 0.03
        normalized, for about 40 % less time).
    scoring : str, optional
        A metric of :data:`skmeta.evaluation.SCORINGS`; balanced accuracy
        when None.
    ensemble_size : int, default=10
        Picks of greedy ensemble selection on out-of-fold predictions; 1
        refits the single best configuration. A member whose refit on all
        the rows fails is left out (see ``refit_errors_``); if all do, the
        next best evaluations are tried in order.
    max_samples : int >= 10 or None, default=20_000
        The search evaluates on a stratified subsample of at most this many
        rows; the final model is refit on all of them. None: every row (as
        when ``cv`` is a list of explicit train/test index pairs). At least
        10, as for :class:`~skmeta.MetaLearner` and ``skmeta metatrain``.
    update_knowledge : bool, default=False
        Add this fit's evaluations on every fold (and its crashes) to the
        knowledge base; proposals left at their first fold are not stored.
        The meta-models learn from them on the next fit; the adjuster
        settings are learned again only once the knowledge base has grown by
        a fifth (or on ``MetaLearner.relearn_settings()``).
    n_jobs : int, optional
        Workers of the search and the final refit (None: 1, -1: every
        core), at most the usable cores (more are capped, with a warning).
        Every fit uses at most this many native (BLAS, OpenMP) threads in
        all.
    random_state : int, RandomState or None
    verbose : int, default=0
    meta_learner : MetaLearner, optional
        A fitted :class:`~skmeta.MetaLearner` to start from, used as it is
        (shared, never changed, by every clone: one learner can serve a
        whole ``GridSearchCV``). Give it or ``knowledge_base``, not both.

        .. versionadded:: 0.2
    timeout : float, optional
        .. deprecated:: 0.2
           Renamed ``evaluation_timeout``; removed in 0.3.
    batch_size : int, optional
        .. deprecated:: 0.2
           Renamed ``proposals_per_step``; removed in 0.3.

    Attributes
    ----------
    cv_results_ : dict of ndarray
        The search as scikit-learn's searches show it, one entry per row of
        ``trace_`` (``pd.DataFrame(cv_results_)`` is a table): ``params``,
        ``param_<name>`` (masked where a configuration lacks that
        hyperparameter), ``split<k>_test_score`` (NaN for a fold not run),
        ``mean_test_score`` and ``std_test_score`` (NaN unless scored on
        every fold), ``rank_test_score``, ``mean_fit_time``,
        ``mean_score_time`` (per fold), and skmeta's ``strategy``,
        ``n_folds`` and ``status``.
    best_index_ : int
        The row of ``cv_results_`` and of ``trace_`` of the best
        evaluation: the complete one of highest score, unless it could not
        be refit on all the rows (then the best member of the final model).
        With ``n_evaluations=1``, the zero-shot fit; when no evaluation
        finished within ``time_budget``, the model of last resort (the last
        row).
    best_strategy_ : str
        The best evaluation's strategy.
    best_config_ : dict
        The best evaluation's configuration: the hyperparameters its
        strategy builds its learner from
        (:meth:`Strategy.build <skmeta.strategies.Strategy.build>`).
    best_params_ : dict
        The best evaluation's parameters, as ``cv_results_["params"]``
        holds them: ``{"strategy": best_strategy_, **best_config_}``.

        .. versionchanged:: 0.2
           Was the configuration alone, now ``best_config_``.
    best_score_ : float
        Mean cross-validated score of the best evaluation (NaN with
        ``n_evaluations=1``: see there).
    best_estimator_ : estimator
        The refitted model or ensemble that predicts.
    scorer_ : callable
        ``scorer_(estimator, X, y)``: the search's metric (``scoring``), as
        :meth:`score` uses it.
    refit_time_ : float
        Seconds to build the final model: choose the ensemble, refit it on
        all the rows and guard it (the zero-shot fit, or the model of last
        resort, when that is the final model).
    trace_ : DataFrame
        One row per evaluation: step, strategy, config, probabilities (pi
        before the step), score, fold_scores, n_folds (folds evaluated),
        promoted (scored on every fold; otherwise ``score`` is estimated
        from the first fold), status, error, fit_seconds, predict_seconds,
        seconds (since the search started).
    strategy_probabilities_ : Series
        The policy after the search.
    adjuster_settings_ : AdjusterSettings
        The settings the search used ("auto" ones resolved).
    ensemble_ : DataFrame
        The fused members (evaluation, strategy, config, weight).
    estimator_ : estimator
        Deprecated since 0.2 (removed in 0.3): ``best_estimator_``, with a
        ``FutureWarning``.
    refit_errors_ : dict
        Evaluation number -> error, for configurations whose final refit
        failed (empty when none did).
    n_search_samples_ : int
        Rows the search evaluated on (see ``max_samples``).
    n_splits_ : int or None
        Folds of the search's cross-validation (``cv`` resolved); None with
        ``n_evaluations=1``.
    promotion_margin_ : float or None
        How far below the best candidate a proposal's first fold could fall
        and still be completed, in that candidate's fold-to-fold standard
        deviations: the meta-learned racing policy's margin for
        ``n_search_samples_`` rows (:meth:`MetaLearner.racing_policy
        <skmeta.MetaLearner.racing_policy>`). None with ``n_evaluations=1``.
    skipped_strategies_ : dict
        Strategy name -> why it was left out of the search: with
        ``sample_weight``, those whose learner cannot take weights; with the
        portfolio ``"default"``, the installed optional strategies (LightGBM,
        XGBoost, CatBoost) the knowledge base has no evaluation of. Empty
        otherwise.
    n_refit_samples_ : int
        Rows the final model was fit on.
    n_jobs_ : int
        Workers the fit used: ``n_jobs`` capped at the usable cores.
    classes_ : ndarray
    n_features_in_ : int
    feature_names_in_ : ndarray
        Only when ``X`` had string column names.

    Notes
    -----
    ``sample_weight`` weights rows as scikit-learn's learners do, but a row
    of weight 2 is not the same as that row twice: a repeated row changes
    the cross-validation folds, and so what the search sees and picks. Two
    estimator checks test that equivalence and are expected to fail:
    ``check_sample_weight_equivalence_on_dense_data`` and
    ``check_sample_weight_equivalence_on_sparse_data`` (as for scikit-learn's
    own searches over folds).

    A DataFrame's columns are matched by name at ``predict`` whenever ``fit``
    saw a DataFrame, whatever the names' type (integers, tuples): the same
    columns in another order are put back in the order of ``fit``, and
    missing or unknown ones are refused. scikit-learn refuses string names in
    another order, so ``check_dataframe_column_names_consistency`` is
    expected to fail.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skmeta import MetaClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MetaClassifier(n_evaluations=3, cv=3, random_state=0).fit(X, y)
    >>> len(clf.trace_)
    3
    >>> clf.score(X, y) > 0.9  # balanced accuracy, the search's scoring
    True
    >>> clf.best_params_["strategy"] == clf.best_strategy_
    True
    >>> float(clf.cv_results_["mean_test_score"][clf.best_index_]) == clf.best_score_
    True
    """

    def _prepare(self, X, y):
        # Before numpy makes a list of strings with np.nan a string array,
        # where the missing label would be the class 'nan'.
        check_class_labels(y)
        return super()._prepare(X, y)

    def _dataset(self, table, y, sample_weight=None):
        y = unbox_class_labels(y)
        if y.dtype == object and pd.isna(y).any():
            raise ValueError(
                f"y contains {int(pd.isna(y).sum())} missing labels (None or NaN); "
                "drop those rows or give them a class."
            )
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        task = "binary" if len(self.classes_) == 2 else "multiclass"
        return Dataset(table, y, name="fit", task=task, sample_weight=sample_weight)

    def _fuse(self, fitted, weights):
        return FusedClassifier(fitted, weights, self.classes_)

    # The search's metric, not ClassifierMixin's accuracy (as BaseSearchCV.score).
    score = _BaseMetaEstimator.score

    @available_if(_fitted_model_has_proba)
    def predict_proba(self, X):
        """Class probabilities (columns ordered as ``classes_``)."""
        table = self._transform_input(X)
        model = self.best_estimator_
        proba = np.asarray(model.predict_proba(table), dtype=float)
        positions = np.searchsorted(self.classes_, model.classes_)
        out = np.zeros((proba.shape[0], len(self.classes_)))
        out[:, positions] = proba
        return out

    @available_if(_fitted_model_has_scores)
    def decision_function(self, X):
        """Confidence scores that rank samples as :meth:`predict_proba` does.

        A single model with a decision function of its own (logistic
        regression, gradient boosting) gives that one. Otherwise — an
        ensemble, or a model with probabilities only — the scores are the
        log-odds of :meth:`predict_proba`: ``log p(classes_[1]) - log
        p(classes_[0])`` for two classes (positive: ``classes_[1]``), and
        ``log p`` per class, shape (n_samples, n_classes), for more.
        Probabilities are clipped to [1e-15, 1] first, so the scores are
        finite.
        """
        check_is_fitted(self, "best_estimator_")
        if hasattr(self.best_estimator_, "decision_function"):
            table = self._transform_input(X)
            return self.best_estimator_.decision_function(table)
        return _log_odds(self.predict_proba(X))


class MetaRegressor(RegressorMixin, _BaseMetaEstimator):
    """A regressor that picks and tunes its own learning strategy.

    Parameters are those of :class:`MetaClassifier`; ``scoring`` defaults to
    R². Attributes are the same except ``classes_``, and:

    Attributes
    ----------
    target_guard_ : dict
        How the final predictions are guarded against the wild ones of a
        heavy-tailed target or an extrapolating learner (None with
        ``n_evaluations=1``, which has no out-of-fold predictions): they move
        ``shrink`` of the way from the training mean to the model's, and are
        clipped to the training target's ``range`` (``"full"``: minimum to
        maximum; ``"robust"``: within three interquartile ranges of the
        quartiles, so that a few wild targets do not stretch it) widened by
        ``overshoot`` of its width (see :mod:`skmeta.guard`); chosen on the
        out-of-fold predictions of the fused members, whose score goes from
        ``unguarded_score`` to ``score``. ``shrink=1, overshoot=inf`` leaves
        the model as it is; ``shrink=0`` is the constant predictor, for a
        dataset where every configuration scores below it. ``winsorized``:
        whether the final members were fit on the target clipped to the
        robust range, because some training targets lay beyond it and that
        scored better out of fold (the mean of the fold scores, of the
        target as it is) or, for targets far beyond it, because the members
        fit on the target as it is did not predict those rows and predicted
        the others worse (then the guard is scored on the clipped target);
        the guard shrinks toward the mean of the target the members were fit
        on. With ``n_evaluations=1`` nothing is guarded, but
        when some training targets lie far beyond the fences (further than
        the fences are apart) the zero-shot pick is refit on the clipped
        target if that scores better on 3 folds.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from skmeta import MetaRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> reg = MetaRegressor(n_evaluations=2, cv=3, random_state=0).fit(X, y)
    >>> reg.best_score_ > 0.3
    True
    """

    def _dataset(self, table, y, sample_weight=None):
        try:
            y = np.asarray(y, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(
                "MetaRegressor needs a numeric target y, but y holds values that "
                f"are not numbers (e.g. {np.asarray(y, dtype=object)[0]!r}); use "
                "MetaClassifier for class labels."
            ) from None
        check_target_magnitude(y)
        return Dataset(table, y, name="fit", task="regression",
                       sample_weight=sample_weight)

    def _fuse(self, fitted, weights):
        return FusedRegressor(fitted, weights)

    # The search's metric, not RegressorMixin's R² (as BaseSearchCV.score).
    score = _BaseMetaEstimator.score

    def _guard(self, model, members, race, search, final, scoring):
        """Shrink and clip the predictions where that scores better out of fold.

        First, when a few training targets lie far out (beyond the fences of
        :func:`~skmeta.guard.target_summary`), the members are refit on the
        targets clipped to the fences where that is better out of fold
        (:meth:`_winsorized`). Then the members' out-of-fold predictions,
        fused with their weights, choose the guard
        (:func:`~skmeta.guard.choose_guard`), scored on the target as it is
        or, when the clipped values lay far beyond the fences, on the clipped
        one; the guard shrinks toward the mean, and clips to the range, of
        the target the members were refit on.
        """
        self.target_guard_ = None
        if not all(race.records[i].complete for i, _ in members):
            return model  # a member judged on one fold has no out-of-fold predictions
        data = search.data
        fused = _fused([race.records[i].result.oof_predictions for i, _ in members],
                       members)
        clipped, wild = winsorize(data.y, data.sample_weight)
        far = wild and beyond_fences(data.y, data.sample_weight) > FAR_BEYOND
        winsorized = (self._winsorized(members, race, search, final, scoring, fused,
                                       clipped, far) if wild else None)
        scored_on, fit_on, final_target = data.y, data.y, final.y
        if winsorized is not None:
            model, fused, final_target = winsorized
            fit_on = clipped
            if far:  # the folds' scores of y would be the wild rows' (see _winsorized)
                scored_on = fit_on
        guard = choose_guard(fused, scored_on, race.splits, scoring, data.sample_weight,
                             fit_target=fit_on)
        self.target_guard_ = {**guard, "winsorized": winsorized is not None}
        if guard["shrink"] == 1.0 and not np.isfinite(guard["overshoot"]):
            return model
        self._log(f"predictions guarded: shrink {guard['shrink']:g}, {guard['range']} "
                  f"range, overshoot {guard['overshoot']:g} (out-of-fold {scoring} "
                  f"{guard['unguarded_score']:.4f} -> {guard['score']:.4f})")
        summary = target_summary(final_target, final.sample_weight, guard["range"])
        return GuardedRegressor(model, *summary, guard["shrink"], guard["overshoot"])

    def _guard_zero_shot(self, model, strategy, config, search, final, fit_seconds):
        """The zero-shot model, or the same configuration refit on the
        winsorized target when that scores better on a few folds.

        Only when some training targets lie beyond the fences
        (:func:`~skmeta.guard.winsorize`), one of them further than the
        fences are apart (``FAR_BEYOND``), and the time left pays for the
        check (:mod:`skmeta._zero_shot_check`: the configuration
        cross-validated on ``ZERO_SHOT_CHECK_FOLDS`` folds fit on the target
        as it is and on the clipped one, the fold scores of the target as it
        is deciding, and one more refit). Any other target's zero-shot model
        is the model fitted as it was.
        """
        clipped, wild = winsorize(final.y, final.sample_weight)
        if not wild or beyond_fences(final.y, final.sample_weight) <= FAR_BEYOND:
            return model
        splits, changed = check_folds(final, clipped, search.seed)
        if check_seconds(fit_seconds, len(splits) + len(changed)) > search.clock.left():
            self._log("zero-shot check of the wild targets skipped: not enough time left")
            return model
        scores = check_scores(strategy, config, final, clipped, splits, changed,
                              search.scoring, self.n_jobs_)
        if scores is None or not scores[1] > scores[0]:
            return model
        models = _refit([(strategy, config)], final, clipped, self.n_jobs_)
        if models is None:
            return model
        self._log(f"zero-shot pick refit on targets clipped to the fences "
                  f"({len(splits)}-fold {search.scoring}, mean over folds, "
                  f"{scores[0]:.4f} -> {scores[1]:.4f})")
        return models[0]

    def _winsorized(self, members, race, search, final, scoring, fused, clipped, far):
        """The members refit on the search rows' target ``clipped`` to the
        fences: the refit model, its out-of-fold predictions and the clipped
        target of the refit rows; or None.

        Only when some training targets lie beyond the fences and the time
        budget allows the extra fits (each member once per fold and once on
        all the rows). A learner that puts a wild target in a leaf or a
        neighbourhood predicts it for every row near it; fit on the clipped
        target it does not. The members are refit on the clipped target

        - when ``far`` (a target lies further beyond the fences than they
          are apart), the members as they were predict the rows beyond the
          fences with at least ``UNPREDICTED_WILD_ROWS`` of the squared
          errors of the members fit on the clipped target, and the other
          rows worse (:func:`~skmeta.guard.error_ratios`): values that no
          feature explains, such as contaminated ones;
        - otherwise, when the members fit on the clipped target score
          better as the search scores (mean over folds, of the target as it
          is). With a far-wild target in every fold, that score is nearly
          all the wild rows' and favours the fit that leans toward them,
          hence the first rule.
        """
        data = search.data
        records = [race.records[i] for i, _ in members]
        cost = (len(race.splits) + 1) * sum(race.refit_seconds(r) for r in records)
        if cost > race.clock.left():
            return None
        by_name = {s.name: s for s in search.portfolio}
        configurations = [
            (by_name[self.trace_.at[i, "strategy"]], self.trace_.at[i, "config"])
            for i, _ in members
        ]
        oof = _out_of_fold(configurations, members, data, clipped, race.splits, scoring,
                           self.n_jobs_)
        if oof is None:
            return None
        wild_ratio, other_ratio = error_ratios(fused, oof, data.y, clipped,
                                               data.sample_weight)
        if far and wild_ratio >= UNPREDICTED_WILD_ROWS and other_ratio > 1:
            how = (f"fit on y, squared errors {wild_ratio:.2f}x on the wild rows and "
                   f"{other_ratio:.2f}x on the others, out of fold")
        else:
            scores = [fold_mean_score(p, data.y, race.splits, scoring,
                                      data.sample_weight) for p in (oof, fused)]
            gain = scores[0] - scores[1]
            if not gain > 0:
                return None
            how = f"out-of-fold {scoring}, mean over folds, +{gain:.4f}"
        final_clipped, _ = winsorize(final.y, final.sample_weight)
        models = _refit(configurations, final, final_clipped, self.n_jobs_)
        if models is None:
            return None
        self._log(f"members refit on targets clipped to the fences ({how})")
        weights = [w for _, w in members]
        model = models[0] if len(models) == 1 else self._fuse(models, weights)
        return model, oof, final_clipped


def _out_of_fold(configurations, members, data, target, splits, scoring, n_jobs):
    """The configurations' out-of-fold predictions when fit on ``target``
    (scored on it, which does not matter here), fused with the members'
    weights; None if one fails."""
    with limited_threads(n_jobs):  # as many native threads as n_jobs allows
        results = [evaluate_config(strategy, config, data.X, target, "regression",
                                   splits, scoring=scoring, return_oof=True,
                                   sample_weight=data.sample_weight)
                   for strategy, config in configurations]
    if not all(result.ok for result in results):
        return None
    return _fused([result.oof_predictions for result in results], members)


def _refit(configurations, final, target, n_jobs):
    """The configurations refit on ``final``'s rows with ``target`` (a
    winsorized one), or None if one fails."""
    fitted = [refit_configuration(strategy, config, final.X, target,
                                  final.sample_weight, n_jobs)
              for strategy, config in configurations]
    if any(model is None for model, _ in fitted):
        return None
    return [model for model, _ in fitted]


def _fused(predictions, members):
    """Out-of-fold predictions averaged with the members' weights."""
    weights = np.array([w for _, w in members], dtype=float)
    return sum(w * p for w, p in zip(weights, predictions, strict=True)) / weights.sum()
