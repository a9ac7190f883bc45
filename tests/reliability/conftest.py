"""Fixtures of the reliability suite."""

import pytest

from .helpers import small_learner


@pytest.fixture(scope="session")
def learner():
    """A fitted MetaLearner with experience of both task families (in memory)."""
    return small_learner()


# -- the bad-input figure: cases tried, cases handled ----------------------------

_CATALOGUE_TEST = "test_bad_input.py::test_bad_input_is_refused_with_a_clear_message"
_catalogue = {}


def pytest_runtest_logreport(report):
    if _CATALOGUE_TEST not in report.nodeid:
        return
    case = report.nodeid.split("[", 1)[-1].rstrip("]")
    if report.when == "call" or report.outcome != "passed":
        handled = report.passed
        _catalogue[case] = handled and _catalogue.get(case, True)


def pytest_terminal_summary(terminalreporter):
    if not _catalogue:
        return
    missed = sorted(case for case, handled in _catalogue.items() if not handled)
    terminalreporter.write_line(
        f"bad-input catalogue: {len(_catalogue)} cases tried, "
        f"{len(_catalogue) - len(missed)} handled"
        + (f"; not yet: {', '.join(missed)}" if missed else "")
    )
