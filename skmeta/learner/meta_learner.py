"""MetaLearner: meta-training on a collection of datasets.

``MetaLearner.fit(datasets)`` is the meta-train step. For every dataset it
extracts meta-features and cross-validates a fixed grid of configurations of
every strategy in the portfolio (:mod:`skmeta.learner.grid`), storing every
result in the knowledge base as it completes. Then it learns the meta-models
(:mod:`skmeta.selection`) and the settings of the adjuster and the fold race
(:mod:`skmeta.learner.learned_settings`): the fitted state
(:mod:`skmeta.learner.fitted_state`). :meth:`MetaLearner.recommend` ranks
configurations for a new dataset (:mod:`skmeta.learner.recommendation`);
:meth:`MetaLearner.evaluate` measures that ranking on datasets kept out of
meta-training (:mod:`skmeta.learner.meta_test`).
"""

from __future__ import annotations

import copy
from numbers import Integral

from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from skmeta._deprecation import DEPRECATED, renamed_parameter
from skmeta._sklearn_compat import Hidden, Interval, StrOptions, _fit_context
from skmeta._threadpools import usable_n_jobs
from skmeta._validation import parameters as shared
from skmeta.adjust import AdjusterSettings
from skmeta.datasets import as_datasets
from skmeta.evaluation import check_scoring_name
from skmeta.knowledge import KnowledgeBase
from skmeta.knowledge.checks import usable_evaluations
from skmeta.knowledge.opening import open_knowledge_base
from skmeta.learner.fitted_state import log_message, state_from_knowledge_base
from skmeta.learner.grid import run_grid, store_metafeatures
from skmeta.learner.lazy_models import FIRST_USE_LOCK
from skmeta.learner.learned_settings import learn_adjuster_settings, learn_racing
from skmeta.learner.meta_test import MetaTestMixin
from skmeta.learner.recommendation import RecommendationMixin
from skmeta.learner.training_data import (
    family_data,
    family_inputs,
    family_portfolio,
)
from skmeta.race_policy import RacingPolicy
from skmeta.strategies import resolve_portfolio

__all__ = ["MetaLearner"]


def _open_experience(knowledge_base, *, create):
    """The knowledge base a MetaLearner's ``knowledge_base`` parameter means.

    As :func:`~skmeta.knowledge.opening.open_knowledge_base`, except that None
    is a new, empty in-memory knowledge base (the learner meta-trains into
    it), not the shipped one.
    """
    if knowledge_base is None:
        return KnowledgeBase()
    return open_knowledge_base(knowledge_base, create=create)


class _LoadedOnFirstRead:
    """The shipped knowledge base as an attribute, loaded when first read.

    For ``knowledge_base`` and ``knowledge_base_`` of a learner built from
    the shipped file alone (:mod:`skmeta.learner.from_shipped_file`, whose
    state sets ``_lazy_knowledge_base``). A non-data descriptor: the value
    set on any other learner is an instance attribute, found first, and so
    is the knowledge base once loaded.
    """

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        if not instance.__dict__.get("_lazy_knowledge_base", False):
            raise AttributeError(
                f"{type(instance).__name__!r} object has no attribute {self.name!r}")
        with FIRST_USE_LOCK:
            kb = KnowledgeBase.default()  # one shared object: loading twice is harmless
        instance.__dict__[self.name] = kb
        return kb


class _Shown:
    """A value shown in a ``repr`` by the code that gives it."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text


class MetaLearner(RecommendationMixin, MetaTestMixin, BaseEstimator):
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
    cv : int, cross-validation splitter or iterable, default=3
        Folds (at least 2), a splitter, or (train, test) index pairs, as in
        scikit-learn's searches.
    scoring : str, optional
        A metric of :data:`skmeta.evaluation.SCORINGS`; balanced accuracy for
        classification and R² for regression when None.
    evaluation_timeout : float or None, default=300
        Seconds one evaluation may take before it is stopped and recorded as
        a timeout.

        .. versionadded:: 0.2
           Was ``timeout``.
    max_samples : int >= 10 or None, default=10000
        Evaluate on a stratified subsample of this many rows of larger
        datasets; None: every row. At least 10, as for the estimators'
        ``max_samples``.
    max_rows_metafeatures : int >= 10 or None, default=10000
        Rows used for meta-features (see :func:`skmeta.extract_metafeatures`).
    n_jobs : int, optional
        Evaluations run in parallel with joblib (-1: all cores); more than
        the usable cores are capped, with a warning.
    random_state : int or None, default=0
        Seeds the configuration grid and the folds. Keep it fixed to resume
        runs and to compare strategies on the same folds.
    verbose : int, default=0
        Print progress lines when > 0.
    prior : {"meta-features", "static"}, default="meta-features"
        What ranks the stored configurations for a new dataset (the
        adjuster's prior, its warm starts and the zero-shot pick):
        ``"meta-features"``, the performance model's predictions from the
        dataset's meta-features; ``"static"``, one greedy portfolio order for
        every dataset, built from the stored results alone
        (:class:`~skmeta.selection.StaticPortfolio`, TabRepo's zero-shot
        portfolio), the baseline the meta-features must beat.

        .. versionadded:: 0.2
    metafeatures : "all" or list of str, default="all"
        The meta-features the performance model and the nearest datasets
        see: every stored one, or these names (columns of the knowledge
        base's ``metafeatures()``; a name a task family lacks, such as
        ``n_classes`` for regression, is left out of that family's models).
        The cost model sees its own size measures either way, and the
        adjuster settings are learned as with every meta-feature.

        .. versionadded:: 0.2
    timeout : float or None, optional
        .. deprecated:: 0.2
           Renamed ``evaluation_timeout``; removed in 0.3.

    Attributes
    ----------
    knowledge_base_ : KnowledgeBase
        The one the meta-models learned from. The learner the estimators
        use by default is built from the shipped meta-models file alone
        (:mod:`skmeta.learner.from_shipped_file`): its (shipped) knowledge base is
        loaded when this is first read.
    dataset_ids_ : list of str
        Fingerprints of the datasets of the last ``fit``.
    training_ids_ : dict
        Task family -> ids of the datasets the meta-models learned from.
    nearest_ : dict
        Task family -> fitted :class:`~skmeta.selection.NearestDatasets`.
    performance_models_ : dict
        Task family -> :class:`~skmeta.selection.PerformanceModel`, fitted
        when first looked up, once, under a lock (so a process that only
        classifies never fits the regression model).
    cost_models_ : dict
        Task family -> :class:`~skmeta.selection.CostModel` (seconds of an
        evaluation, from the stored timings), fitted when first looked up.
    adjuster_settings_ : dict
        Task family -> meta-learned :class:`~skmeta.adjust.AdjusterSettings`.
    racing_policies_ : dict
        Task family -> :class:`~skmeta.race_policy.RacingPolicy` of the fold race.
    replay_results_ : dict
        Task family -> results of the replay that learned the settings, for
        the families whose settings were learned rather than read.
    n_evaluated_, n_reused_ : int
        Evaluations run and found already stored during the last ``fit``.

    Notes
    -----
    A fitted MetaLearner is read, never changed, by the estimators that use
    it: everything but its lazy meta-models is computed when it is fitted,
    so one learner can be shared by threads and processes. Hence
    ``sklearn.clone`` and ``copy.deepcopy`` return it as it is:
    ``GridSearchCV(MetaClassifier(meta_learner=learner), ...)`` shares one
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

    Baselines of the meta-feature prior: the same ranking for every dataset,
    or meta-models that see only the dataset's size.

    >>> static = MetaLearner(meta.knowledge_base_, portfolio=["knn", "gaussian_nb"],
    ...                      prior="static").fit(datasets)
    >>> static.n_reused_, static.performance_models_["classification"].order_ != []
    (12, True)
    >>> size_only = MetaLearner(meta.knowledge_base_, portfolio=["knn", "gaussian_nb"],
    ...                         metafeatures=["n_rows", "n_features", "n_classes"])
    >>> size_only.fit(datasets).nearest_["classification"].scaler_.columns_
    ['n_classes', 'n_features', 'n_rows']
    """

    # Instance attributes but for a learner built from the shipped file alone.
    knowledge_base = _LoadedOnFirstRead()
    knowledge_base_ = _LoadedOnFirstRead()

    # Checked at fit by scikit-learn (``_validate_params``); the knowledge base
    # and the portfolio by opening and resolving them, whose messages say more.
    _parameter_constraints = {
        "knowledge_base": "no_validation",
        "portfolio": "no_validation",
        "n_configs_per_strategy": [Interval(Integral, 0, None, closed="left")],
        "cv": shared.CV,
        "scoring": shared.SCORING,
        "evaluation_timeout": shared.TIMEOUT,
        "max_samples": shared.MAX_SAMPLES,
        "max_rows_metafeatures": [None, Interval(Integral, 10, None, closed="left")],
        "n_jobs": shared.N_JOBS,
        "random_state": shared.RANDOM_STATE,
        "verbose": shared.VERBOSE,
        "prior": [StrOptions({"meta-features", "static"})],
        # A list's names are checked against the knowledge base's columns.
        "metafeatures": [StrOptions({"all"}), list, tuple],
        # Renamed in 0.2 (see skmeta._deprecation).
        "timeout": [Hidden(StrOptions({DEPRECATED})), *shared.TIMEOUT],
    }

    def __init__(
        self,
        knowledge_base=None,
        portfolio="default",
        n_configs_per_strategy=5,
        cv=3,
        scoring=None,
        evaluation_timeout=300,
        max_samples=10_000,
        max_rows_metafeatures=10_000,
        n_jobs=None,
        random_state=0,
        verbose=0,
        prior="meta-features",
        metafeatures="all",
        timeout=DEPRECATED,
    ):
        self.knowledge_base = knowledge_base
        self.portfolio = portfolio
        self.n_configs_per_strategy = n_configs_per_strategy
        self.cv = cv
        self.scoring = scoring
        self.evaluation_timeout = evaluation_timeout
        self.max_samples = max_samples
        self.max_rows_metafeatures = max_rows_metafeatures
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.prior = prior
        self.metafeatures = metafeatures
        self.timeout = timeout

    def _evaluation_timeout(self):
        """Seconds one evaluation may take: ``evaluation_timeout``, or the
        deprecated ``timeout`` when it was given (with a FutureWarning)."""
        # stacklevel 4: the caller of fit or evaluate.
        return renamed_parameter(self, "timeout", "evaluation_timeout", stacklevel=4)

    def _shipped_summary(self):
        """:meth:`KnowledgeBase.summary <skmeta.knowledge.KnowledgeBase.summary>`
        of the shipped knowledge base for a learner built from the shipped file
        alone (without loading it), else None."""
        return None if self._shipped is None else self._shipped["summary"]

    def _log(self, message):
        log_message(self.verbose, message)

    # -- the fitted state ----------------------------------------------------
    def _set_fitted_state(self, state):
        """Set every fitted attribute from a
        :class:`~skmeta.learner.fitted_state.FittedState`: the one way in."""
        if state.knowledge_base is None:  # the shipped one, loaded when first read
            vars(self).pop("knowledge_base", None)
            self._lazy_knowledge_base = True
        vars(self).update(state.attributes())
        return self

    # -- meta-train ----------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=False)
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
        timeout = self._evaluation_timeout()
        datasets = as_datasets(datasets)
        kb = _open_experience(self.knowledge_base, create=True)
        for dataset in datasets:
            resolve_portfolio(self.portfolio, dataset.task)
            check_scoring_name(self.scoring, dataset.task)
        n_jobs = usable_n_jobs(self.n_jobs)
        store_metafeatures(self, kb, datasets, n_jobs)
        n_evaluated, n_reused = run_grid(self, kb, datasets, n_jobs, timeout)
        self._set_fitted_state(state_from_knowledge_base(
            self, kb, dataset_ids=[d.fingerprint for d in datasets],
            n_evaluated=n_evaluated, n_reused=n_reused))
        for family in self.training_ids_:  # learned (and stored) now, not in a search
            self.adjuster_settings(family)
            self.racing_policy(family)
        return self

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
        (:mod:`skmeta.selection.meta_models_file`) instead of being fitted, while that
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
        learner._validate_params()
        kb = _open_experience(knowledge_base, create=False)
        return learner._set_fitted_state(state_from_knowledge_base(
            learner, kb, exclude=exclude, adjuster_settings=adjuster_settings,
            shipped_models=True))

    def __sklearn_clone__(self):
        # A fitted learner passed to an estimator (MetaClassifier(meta_learner=
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

    def __repr__(self, N_CHAR_MAX=700):
        if "knowledge_base" in vars(self) or not vars(self).get("_lazy_knowledge_base"):
            return super().__repr__(N_CHAR_MAX)
        # The shipped knowledge base is not loaded to be shown.
        params = {name: getattr(self, name) for name in self._get_param_names()
                  if name != "knowledge_base"}
        shown = type(self)(knowledge_base=_Shown("KnowledgeBase.default()"), **params)
        return shown.__repr__(N_CHAR_MAX)

    # -- learned settings ------------------------------------------------------
    def adjuster_settings(self, family):
        """The meta-learned adjuster settings for a task family.

        Learned by replay when the learner was fitted, or when first read
        for a learner loaded by :meth:`from_knowledge_base` (or read from the
        knowledge base, which keeps those learned on all its datasets); the
        hand-set :class:`~skmeta.adjust.AdjusterSettings` defaults when the
        knowledge base has no experience of the family.
        """
        check_is_fitted(self, "performance_models_")
        return self.adjuster_settings_.get(family, AdjusterSettings())

    def racing_policy(self, family, relearn=False):
        """The racing policy of a task family's searches (:mod:`skmeta.race_policy`).

        Learned by races simulated on stored fold scores when the learner was fitted,
        or when first read for a learner loaded by :meth:`from_knowledge_base`
        (seconds to a minute), or read from the knowledge base, which keeps the one
        learned on all its datasets, with the same reuse rule as the adjuster
        settings (:data:`~skmeta.learner.RELEARN_GROWTH`,
        :data:`~skmeta.learner.RACING_VERSION`). The default policy
        (:data:`skmeta.race_policy.DEFAULT_MARGIN` for every size) when the
        knowledge base has no experience of the family.

        Parameters
        ----------
        family : {"classification", "regression"}
        relearn : bool, default=False
            Learn it again now, whatever is stored (and store it, for a
            learner of the whole knowledge base); the learner keeps it.

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
        if relearn and family in self.training_ids_:
            if family not in self._racing_data:  # built from the shipped file
                runs, _, _, rows = family_inputs(self.knowledge_base_, family,
                                                 self.training_ids_[family])
                self._racing_data[family] = (self.knowledge_base_, runs, rows, True)
            kb, runs, rows, use_stored = self._racing_data[family]
            self.racing_policies_[family] = learn_racing(
                kb, family, runs, rows, use_stored=use_stored, relearn=True, log=self._log)
        return self.racing_policies_.get(family, RacingPolicy())

    def relearn_settings(self, family=None):
        """Meta-learn the adjuster settings again, now, and store them.

        Stored settings are reused until the knowledge base has grown by
        :data:`~skmeta.learner.RELEARN_GROWTH`; call this after adding
        experience to learn them on all of it at once. The learner keeps
        the new settings.

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
            runs, table, _ = family_data(name, evaluations, datasets, stored)
            # Stored back only by a learner of the whole knowledge base.
            settings, results = learn_adjuster_settings(
                kb, name, table, runs, family_portfolio(self.portfolio, name),
                len(self.training_ids_[name]), use_stored=self._learns_from_all,
                force=True, random_state=self.random_state, n_jobs=self.n_jobs,
                log=self._log)
            self.adjuster_settings_[name] = learned[name] = settings
            if results is not None:
                self.replay_results_[name] = results
        return learned
