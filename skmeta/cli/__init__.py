"""The ``skmeta`` command line.

::

    skmeta demo                             the idea at work on the penguins sample
    skmeta metafeatures [DATA.csv]          what a dataset looks like
    skmeta recommend DATA.csv --target COL  the strategies expected to do best
    skmeta fit DATA.csv --target COL        choose, tune and fit a model; save it
    skmeta predict MODEL.joblib DATA.csv    predictions of a saved model (or .skops)
    skmeta metatrain FOLDER --kb KB.sqlite  build (or extend) a knowledge base
    skmeta evaluate FOLDER --kb KB.sqlite   meta-test recommendations on held-out data
    skmeta kb info|check|remove|export|import  look at, repair, exchange knowledge bases

The package, by concept:

- :mod:`skmeta.cli.errors`: exit codes, :class:`~skmeta.cli.errors.CommandError`
  and one-line messages;
- :mod:`skmeta.cli.reading`: CSV files and datasets, and checking that an
  output can be written before the work starts;
- :mod:`skmeta.cli.knowledge_bases`: what ``--kb`` opens;
- :mod:`skmeta.cli.model_files`: saving and loading models, and how a model
  file is trusted (the types a ``.skops`` file may build);
- :mod:`skmeta.cli.printing`: tables, traces and compact warnings;
- one module per command group, each with its parsers and commands:
  :mod:`skmeta.cli.explore` (demo, metafeatures, recommend),
  :mod:`skmeta.cli.modelling` (fit, predict), :mod:`skmeta.cli.metatraining`
  (metatrain, evaluate) and :mod:`skmeta.cli.kb` (kb info, check, remove,
  export, import);
- this module: :func:`build_parser` and :func:`main`.

Every subcommand is a small function ``_cmd_<name>(args)`` registered in
:func:`build_parser`. Expected failures (bad arguments, unreadable files,
invalid data) end with one line ``skmeta <command>: error: <message>`` on
stderr and exit code 1; argparse usage errors exit with code 2. Progress lines
(``--quiet`` turns them off) and warnings go to stderr, results to stdout.
"""

from __future__ import annotations

import argparse
import os
import sys

from skmeta._validation.parameters import MIN_MAX_SAMPLES
from skmeta.cli.errors import (
    _EXPECTED_ERRORS,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    CommandError,
    _one_line,
)
from skmeta.cli.explore import _add_demo, _add_metafeatures, _add_recommend
from skmeta.cli.kb import _add_kb
from skmeta.cli.metatraining import _add_evaluate, _add_metatrain
from skmeta.cli.model_files import _load_model, _trusted_skops_name
from skmeta.cli.modelling import _add_fit, _add_predict
from skmeta.cli.printing import _compact_warnings

__all__ = ["build_parser", "main"]

# Names other code and older scripts import from skmeta.cli.
_REEXPORTED = (EXIT_OK, CommandError, _load_model, _trusted_skops_name)


#: Numeric options checked before a command runs: dest -> (bound, strict).
#: A value must be >= bound (> bound when strict); NaN never passes.
_NUMBER_RULES = {
    "n_evaluations": (1, False),
    "time_budget": (0, True),
    "evaluation_timeout": (0, True),
    "timeout": (0, True),  # the deprecated name of --evaluation-timeout
    "cv": (2, False),
    "ensemble_size": (1, False),
    "n_configs": (0, False),
    "k": (1, False),
    "max_samples": (MIN_MAX_SAMPLES, False),  # as the estimators' max_samples
}


def build_parser():
    """The argument parser of the ``skmeta`` command."""
    from skmeta import __version__

    parser = argparse.ArgumentParser(
        prog="skmeta",
        description="skmeta: meta-learning AutoML for scikit-learn.",
        epilog="Run `skmeta COMMAND --help` for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"skmeta {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for add in (_add_demo, _add_metafeatures, _add_recommend, _add_fit, _add_predict,
                _add_metatrain, _add_evaluate, _add_kb):
        add(commands)
    return parser


def _check_numbers(args):
    """Range checks of numeric options (their types argparse checked)."""
    for dest, (bound, strict) in _NUMBER_RULES.items():
        value = getattr(args, dest, None)
        if value is None or isinstance(value, str):  # None or "auto"
            continue
        option = "-k" if dest == "k" else "--" + dest.replace("_", "-")
        ok = value > bound if strict else value >= bound
        if not ok:
            relation = ">" if strict else ">="
            raise CommandError(f"{option} must be {relation} {bound}, got {value}")
    if getattr(args, "n_jobs", None) == 0:
        raise CommandError("--n-jobs must not be 0 (-1 uses all cores)")


def main(argv=None):
    """Run the ``skmeta`` command; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version (0) and usage errors (2)
        return 0 if exc.code is None else exc.code
    name = args.command if args.command != "kb" else f"kb {args.action}"
    try:
        with _compact_warnings(name):
            _check_numbers(args)
            return args.handler(args)
    except BrokenPipeError:  # e.g. `skmeta predict ... | head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR
    except (CommandError, *_EXPECTED_ERRORS) as exc:
        print(f"skmeta {name}: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        hint = ("; finished evaluations are stored, rerun to resume"
                if getattr(args, "resumable", False) else "")
        print(f"skmeta {name}: interrupted{hint}", file=sys.stderr)
        return EXIT_INTERRUPTED
