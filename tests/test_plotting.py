import importlib
import sys

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display needed

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from faulty import faulty_strategy  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from sklearn.datasets import (  # noqa: E402
    load_breast_cancer,
    load_digits,
    load_iris,
    load_wine,
    make_classification,
)
from sklearn.exceptions import NotFittedError  # noqa: E402

from skmeta import Dataset, KnowledgeBase, MetaClassifier, MetaLearner  # noqa: E402
from skmeta.plotting import (  # noqa: E402
    plot_adaptation,
    plot_adaptation_figure,
    plot_knowledge_map,
    plot_strategy_heatmap,
    plot_strategy_probabilities,
)

PORTFOLIO = ["knn", "gaussian_nb", "logistic_regression"]


@pytest.fixture(scope="module")
def learner():
    """Meta-trained on 3 bundled and 3 generated classification datasets."""
    datasets = [
        Dataset(*load_iris(return_X_y=True), name="iris"),
        Dataset(*load_wine(return_X_y=True), name="wine"),
        Dataset(*load_breast_cancer(return_X_y=True), name="breast_cancer"),
    ]
    for i in range(3):
        X, y = make_classification(80 + 40 * i, 5 + i, n_informative=3, n_redundant=0,
                                   n_classes=2 + i % 2, random_state=i)
        datasets.append(Dataset(X, y, name=f"generated_{i}"))
    return MetaLearner(portfolio=PORTFOLIO, n_configs_per_strategy=1,
                       evaluation_timeout=None, random_state=0).fit(datasets)


@pytest.fixture(scope="module")
def clf(learner):
    X, y = load_wine(return_X_y=True)
    return MetaClassifier(meta_learner=learner, n_evaluations=5, cv=3,
                          random_state=0).fit(X, y)


@pytest.fixture(scope="module")
def failing_clf(learner):
    """A search in which some evaluations really fail."""
    X, y = make_classification(120, 4, random_state=0)
    portfolio = [faulty_strategy("binary", "fit_raises"), *PORTFOLIO]
    with pytest.warns(UserWarning, match="evaluations failed"):
        return MetaClassifier(meta_learner=learner, portfolio=portfolio,
                              n_evaluations=8, cv=3, temperature=5.0,
                              random_state=0).fit(X, y)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _saved(figure, tmp_path, name="plot.png"):
    path = tmp_path / name
    figure.savefig(path)
    assert path.stat().st_size > 1024
    return path


def _legend_labels(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


def _scores(trace):
    return pd.to_numeric(trace["score"], errors="coerce").to_numpy(dtype=float)


# -- adaptation ----------------------------------------------------------------
def test_adaptation_curve_is_the_running_best_score(clf, tmp_path):
    ax = plot_adaptation(clf)
    _saved(ax.figure, tmp_path)
    trace = clf.trace_
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), trace["evaluation"] + 1)
    np.testing.assert_allclose(line.get_ydata(), np.maximum.accumulate(_scores(trace)))
    assert line.get_ydata()[-1] == pytest.approx(clf.best_score_)
    strategies = list(pd.unique(trace["strategy"]))
    # One point collection per strategy that was evaluated, in portfolio order.
    assert len(ax.collections) == len(strategies)
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(trace)
    evaluated = [s for s in PORTFOLIO if s in strategies]
    assert _legend_labels(ax) == ["best so far", *evaluated]
    assert ax.get_xlabel() == "evaluations"


def test_adaptation_against_seconds_from_a_trace(clf):
    ax = plot_adaptation(clf.trace_, x="seconds")
    (line,) = ax.get_lines()
    np.testing.assert_allclose(line.get_xdata(), np.sort(clf.trace_["seconds"]))
    assert ax.get_xlabel() == "seconds since the start of the search"


def test_adaptation_marks_failed_evaluations(failing_clf, tmp_path):
    trace = failing_clf.trace_
    n_failed = int((trace["status"] != "ok").sum())
    assert n_failed > 0
    ax = plot_adaptation(failing_clf)
    _saved(ax.figure, tmp_path)
    failed = [c for c in ax.collections if c.get_label().startswith("failed")]
    assert len(failed) == 1
    assert failed[0].get_label() == f"failed ({n_failed})"
    assert len(failed[0].get_offsets()) == n_failed
    best = ax.get_lines()[0].get_ydata()
    assert np.all(np.diff(best[np.isfinite(best)]) >= 0)
    # The failures sit on the axes' edge; they do not stretch the score axis.
    assert ax.get_ylim()[0] > np.nanmin(_scores(trace)) - 0.1


def test_adaptation_draws_on_a_given_axes(clf):
    fig, ax = plt.subplots()
    assert plot_adaptation(clf, ax=ax) is ax
    assert fig.axes == [ax]


def test_adaptation_figure_has_both_panels(clf, tmp_path):
    fig = plot_adaptation_figure(clf)
    assert isinstance(fig, Figure)
    _saved(fig, tmp_path, "adaptation.png")
    assert [ax.get_xlabel() for ax in fig.axes] == [
        "evaluations", "seconds since the start of the search",
    ]
    assert fig.axes[0].get_legend() is not None
    assert fig.axes[1].get_legend() is None
    assert clf.best_strategy_ in fig.get_suptitle()


# -- strategy probabilities ----------------------------------------------------
def test_strategy_probabilities_are_stacked_bands(clf, tmp_path):
    ax = plot_strategy_probabilities(clf)
    _saved(ax.figure, tmp_path)
    trace = clf.trace_
    bands = ax.collections[: len(PORTFOLIO)]
    # One band per strategy, plus the markers of the chosen strategies.
    assert len(ax.collections) == len(PORTFOLIO) + 1
    assert len(ax.collections[-1].get_offsets()) == len(trace)
    portfolio_order = list(trace["probabilities"].iloc[0])
    assert sorted(portfolio_order) == sorted(PORTFOLIO)
    assert _legend_labels(ax) == portfolio_order[::-1]  # top band first
    pi = pd.DataFrame(list(trace["probabilities"]))
    tops = [band.get_paths()[0].vertices[:, 1].max() for band in bands]
    # The first band starts at 0: its top is its strategy's largest pi; the
    # last band's top is 1 everywhere.
    assert tops[0] == pytest.approx(pi[portfolio_order[0]].max())
    assert tops[-1] == pytest.approx(1.0, abs=1e-5)  # pi is stored rounded to 1e-6
    assert ax.get_ylim() == (0.0, 1.0)


def test_strategy_probabilities_need_the_probabilities_column(clf):
    with pytest.raises(ValueError, match="probabilities"):
        plot_strategy_probabilities(clf.trace_.drop(columns="probabilities"))


# -- knowledge map -------------------------------------------------------------
def _point_count(ax):
    labels = {"nearest datasets", "new dataset"}
    return sum(
        len(c.get_offsets()) for c in ax.collections if c.get_label() not in labels
    )


def test_knowledge_map_marks_a_new_dataset_and_its_neighbours(learner, tmp_path):
    X, y = load_digits(return_X_y=True)
    X, y = X[:300], y[:300]
    ax = plot_knowledge_map(learner, X, y, n_neighbors=3)
    _saved(ax.figure, tmp_path)
    nearest = learner.nearest_["classification"]
    assert _point_count(ax) == len(nearest.dataset_ids_)
    assert len(ax.texts) == 3
    assert len(ax.get_lines()) == 3  # new dataset -> each neighbour
    labels = _legend_labels(ax)
    assert "new dataset" in labels and "nearest datasets" in labels
    (star,) = [c for c in ax.collections if c.get_label() == "new dataset"]
    (rings,) = [c for c in ax.collections if c.get_label() == "nearest datasets"]
    assert len(star.get_offsets()) == 1 and len(rings.get_offsets()) == 3


def test_knowledge_map_labels_the_nearest_datasets_by_name(learner):
    X, y = load_digits(return_X_y=True)
    # Meta-features include timings; fix them once to compare exactly.
    metafeatures = learner.metafeatures_of(Dataset(X[:300], y[:300]))
    ax = plot_knowledge_map(learner, metafeatures=metafeatures, n_neighbors=2)
    ids, distances = learner.nearest_["classification"].kneighbors(metafeatures, 2)
    names = learner.knowledge_base_.datasets()["name"]
    assert [text.get_text() for text in ax.texts] == [
        f"{names[i]} ({d:.2f})" for i, d in zip(ids, distances, strict=True)
    ]


def test_knowledge_map_without_a_new_dataset_names_every_dataset(learner):
    ax = plot_knowledge_map(learner, color_by="task")
    names = set(learner.knowledge_base_.datasets()["name"])
    assert {text.get_text() for text in ax.texts} == names
    assert sorted(_legend_labels(ax)) == ["binary", "multiclass"]
    assert "PC1" in ax.get_xlabel()


def test_knowledge_map_colours_by_best_strategy(learner):
    ax = plot_knowledge_map(learner)
    runs = learner.knowledge_base_.evaluations()
    best = runs.loc[runs.groupby("dataset_id")["score"].idxmax(), "strategy"]
    assert sorted(_legend_labels(ax)) == sorted(set(best))


def test_knowledge_map_rejects_bad_input(learner):
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="both X and y"):
        plot_knowledge_map(learner, X)
    with pytest.raises(ValueError, match="no regression datasets"):
        plot_knowledge_map(learner, task="regression")
    with pytest.raises(ValueError, match="leave task as None"):
        plot_knowledge_map(learner, X, y.astype(float) + 0.5, task="classification")
    with pytest.raises(ValueError, match="color_by"):
        plot_knowledge_map(learner, color_by="size")
    with pytest.raises(TypeError, match="fitted MetaLearner"):
        plot_knowledge_map(learner.knowledge_base_)
    with pytest.raises(NotFittedError):
        plot_knowledge_map(MetaLearner())


# -- heatmap -------------------------------------------------------------------
def test_heatmap_is_strategies_by_datasets(learner, tmp_path):
    ax = plot_strategy_heatmap(learner)
    _saved(ax.figure, tmp_path)
    (image,) = ax.images
    values = np.ma.filled(image.get_array(), np.nan)
    assert values.shape == (len(PORTFOLIO), 6)
    assert sorted(t.get_text() for t in ax.get_yticklabels()) == sorted(PORTFOLIO)
    names = set(learner.knowledge_base_.datasets()["name"])
    assert {t.get_text() for t in ax.get_xticklabels()} == names
    # Each dataset's best stored configuration scores 1 after normalization.
    np.testing.assert_allclose(np.nanmax(values, axis=0), 1.0)
    assert np.nanmin(values) >= -1.0
    assert len(ax.figure.axes) == 2  # the heatmap and its colour bar


def test_heatmap_orders_by_best_strategy_and_limits_datasets(learner):
    kb = learner.knowledge_base_
    ax = plot_strategy_heatmap(kb, max_datasets=4, order="best_strategy")
    values = np.ma.filled(ax.images[0].get_array(), -np.inf)
    assert values.shape == (len(PORTFOLIO), 4)
    assert np.all(np.diff(values.argmax(axis=0)) >= 0)
    assert ax.get_xlabel() == "dataset (4 of 6)"
    binary = plot_strategy_heatmap(kb, task="binary")
    assert binary.images[0].get_array().shape[1] == int(
        (kb.datasets()["task"] == "binary").sum()
    )


def test_heatmap_rejects_bad_input(learner):
    with pytest.raises(ValueError, match="no evaluations of regression datasets"):
        plot_strategy_heatmap(learner, task="regression")
    with pytest.raises(ValueError, match="no evaluations"):
        plot_strategy_heatmap(KnowledgeBase())
    with pytest.raises(ValueError, match="order"):
        plot_strategy_heatmap(learner, order="alphabetical")
    with pytest.raises(TypeError, match="KnowledgeBase or a fitted MetaLearner"):
        plot_strategy_heatmap("kb.sqlite")
    with pytest.raises(NotFittedError):
        plot_strategy_heatmap(MetaLearner())


# -- bad input and missing matplotlib ------------------------------------------
@pytest.mark.parametrize(
    "plot", [plot_adaptation, plot_adaptation_figure, plot_strategy_probabilities]
)
def test_search_plots_need_a_fitted_estimator_and_a_trace(plot, clf):
    with pytest.raises(NotFittedError):
        plot(MetaClassifier())
    with pytest.raises(ValueError, match="trace is empty"):
        plot(clf.trace_.iloc[:0])
    with pytest.raises(TypeError, match="fitted MetaClassifier"):
        plot("trace.csv")


def test_adaptation_rejects_an_unknown_x(clf):
    with pytest.raises(ValueError, match="x must be one of"):
        plot_adaptation(clf, x="step")


def test_missing_matplotlib_gives_an_install_hint(monkeypatch, learner, clf):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    monkeypatch.delitem(sys.modules, "skmeta.plotting")
    # Importing the module needs no matplotlib ...
    plotting = importlib.import_module("skmeta.plotting")
    calls = [
        lambda: plotting.plot_adaptation(clf),
        lambda: plotting.plot_adaptation_figure(clf),
        lambda: plotting.plot_strategy_probabilities(clf),
        lambda: plotting.plot_knowledge_map(learner),
        lambda: plotting.plot_strategy_heatmap(learner),
    ]
    # ... but drawing does.
    for call in calls:
        with pytest.raises(ImportError, match=r"pip install 'skmeta\[plot\]'"):
            call()
