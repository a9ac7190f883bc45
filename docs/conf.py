"""Sphinx configuration of the skmeta documentation.

Builds offline (no intersphinx, no downloads):
``sphinx-build -W -b html docs docs/_build/html``.
"""

import contextlib
import importlib
import inspect
import io
import os
import shutil
import sys
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

# Document the source tree this file belongs to, not an installed copy.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import skmeta  # noqa: E402

project = "skmeta"
author = "the skmeta developers"
copyright = "the skmeta developers"
version = release = skmeta.__version__

extensions = [
    "myst_parser",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "README.md"]
templates_path = ["_templates"]

html_theme = "alabaster"
html_theme_options = {"page_width": "1180px", "sidebar_width": "230px"}
html_title = f"skmeta {release}"
html_static_path = []

# -- API reference ------------------------------------------------------------
# autosummary writes a page per module into generated/; start from an empty
# folder so that a page of a module no longer listed cannot linger.
shutil.rmtree(Path(__file__).resolve().parent / "generated", ignore_errors=True)
autosummary_generate = True
autodoc_member_order = "bysource"
autodoc_typehints = "none"
numpydoc_show_class_members = False  # autodoc's :members: documents methods
numpydoc_xref_param_type = False

myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

#: The public modules; each gets a page listing and documenting its ``__all__``.
API_MODULES = [
    "skmeta.datasets",
    "skmeta.dates",
    "skmeta.metafeatures",
    "skmeta.strategies",
    "skmeta.knowledge",
    "skmeta.evaluation",
    "skmeta.selection",
    "skmeta.adjust",
    "skmeta.fold_race",
    "skmeta.race_policy",
    "skmeta.search",
    "skmeta.racing",
    "skmeta.learner",
    "skmeta.learner.from_shipped_file",
    "skmeta.shipped_learner",
    "skmeta.estimators",
    "skmeta.ensemble",
    "skmeta.guard",
    "skmeta.plotting",
    "skmeta.cli",
]


def _kind(obj):
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "function"
    return "data"


def _public_names(module):
    names = getattr(module, "__all__", None)
    if names is None:  # e.g. skmeta.cli: its public functions
        names = [
            name for name, obj in vars(module).items()
            if not name.startswith("_") and inspect.isfunction(obj)
            and obj.__module__ == module.__name__
        ]
    return [name for name in names if not name.startswith("_")]


def _api():
    """Module name -> [(name, autodoc kind)], and skmeta's names -> documented path."""
    members = {}
    for module_name in API_MODULES:
        module = importlib.import_module(module_name)
        members[module_name] = [
            (name, _kind(getattr(module, name))) for name in _public_names(module)
        ]
    top_level = []
    for name in _public_names(skmeta):
        obj = getattr(skmeta, name)
        home = next(
            (m for m in API_MODULES
             if any(n == name for n, _ in members[m])
             and getattr(importlib.import_module(m), name) is obj),
            None,
        )
        if home is None:
            raise RuntimeError(f"skmeta.{name} is documented in no public module")
        top_level.append(f"{home}.{name}")
    return members, top_level


_MEMBERS, _TOP_LEVEL = _api()
autosummary_context = {
    "api_members": _MEMBERS,
    "top_level": _TOP_LEVEL,
    # Methods a class inherits from skmeta's own bases (e.g. fit, predict) are
    # documented with it; scikit-learn's (get_params, score, ...) are not.
    "sklearn_bases": ", ".join([
        "BaseEstimator", "ClassifierMixin", "RegressorMixin", "TransformerMixin",
        "MetaEstimatorMixin", "_SetOutputMixin", "_MetadataRequester", "object",
        "tuple", "dict", "Exception",
    ]),
}


def _skip_generated_request_methods(app, what, name, obj, skip, options):
    """Leave out ``set_*_request``: scikit-learn generates them on every estimator.

    Their docstrings refer to scikit-learn's own glossary, which is not part
    of these pages (see scikit-learn's metadata routing guide).
    """
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return None


class CommandHelp(SphinxDirective):
    """``.. skmeta-help:: kb import``: the ``--help`` text of a ``skmeta`` command.

    Taken from the argument parser at build time, so the page and the
    command cannot disagree.
    """

    optional_arguments = 10
    has_content = False

    def run(self):
        from skmeta.cli import build_parser

        command = list(self.arguments)
        output = io.StringIO()
        previous = os.environ.get("COLUMNS")
        os.environ["COLUMNS"] = "88"  # argparse wraps to the terminal width
        try:
            with contextlib.redirect_stdout(output), contextlib.suppress(SystemExit):
                build_parser().parse_args([*command, "--help"])
        finally:
            if previous is None:
                del os.environ["COLUMNS"]
            else:
                os.environ["COLUMNS"] = previous
        text = output.getvalue().rstrip()
        if not text:
            raise self.error(f"no help for skmeta {' '.join(command)}")
        block = nodes.literal_block(text, text)
        block["language"] = "text"
        return [block]


class ExpectedFailedChecks(SphinxDirective):
    """``.. skmeta-expected-failed-checks::``: the checks MetaFeatureExtractor fails.

    One row per reason, with the checks that fail for it, from the list the
    test suite uses.
    """

    has_content = False

    def run(self):
        from skmeta.metafeatures._extractor import EXPECTED_FAILED_CHECKS

        by_reason = {}
        for check, reason in EXPECTED_FAILED_CHECKS.items():
            by_reason.setdefault(reason, []).append(check)
        table = nodes.table()
        group = nodes.tgroup(cols=2)
        table += group
        group += nodes.colspec(colwidth=45)
        group += nodes.colspec(colwidth=55)
        head = nodes.thead()
        group += head
        head += self._row([nodes.Text("why they fail by design")],
                          [nodes.Text("checks")])
        body = nodes.tbody()
        group += body
        for reason, checks in by_reason.items():
            names = []
            for check in checks:
                names += [nodes.literal(check, check), nodes.Text(", ")]
            body += self._row([nodes.Text(reason[0].upper() + reason[1:] + ".")],
                              names[:-1])
        return [table]

    @staticmethod
    def _row(*cells):
        row = nodes.row()
        for parts in cells:
            entry = nodes.entry()
            paragraph = nodes.paragraph()
            paragraph.extend(parts)
            entry += paragraph
            row += entry
        return row


def setup(app):
    app.connect("autodoc-skip-member", _skip_generated_request_methods)
    app.add_directive("skmeta-help", CommandHelp)
    app.add_directive("skmeta-expected-failed-checks", ExpectedFailedChecks)
    return {"parallel_read_safe": True}
