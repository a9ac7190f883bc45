"""The ``skmeta`` command line.

Every subcommand is a small function ``_cmd_<name>(args)`` registered in
:func:`build_parser`. Expected failures (bad arguments, unreadable files,
invalid data) end with a one-line message on stderr and exit code 1; argparse
usage errors exit with code 2.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

EXIT_OK, EXIT_ERROR = 0, 1


class CommandError(Exception):
    """An expected failure, shown to the user as one line."""


def _load_dataset(path, target):
    from skmeta.datasets import load_csv, load_penguins

    if path is None:
        return load_penguins()
    return load_csv(path, target=target)


def _cmd_metafeatures(args):
    from skmeta.metafeatures import extract_metafeatures

    dataset = _load_dataset(args.path, args.target)
    values = extract_metafeatures(
        dataset.X,
        dataset.y,
        task=dataset.task,
        groups=args.groups.split(",") if args.groups else "all",
        max_rows=args.max_rows,
        random_state=args.random_state,
    )
    if args.output:
        values.rename(dataset.name).to_frame().T.to_csv(args.output, index=False)
        print(f"wrote {len(values)} meta-features of {dataset.name} to {args.output}")
        return EXIT_OK
    print(
        f"{dataset.name}: {dataset.task}, {dataset.n_samples} rows, "
        f"{dataset.n_features} features, {len(values)} meta-features"
    )
    with pd.option_context("display.max_rows", None, "display.float_format", "{:.6g}".format):
        print(values.to_string())
    return EXIT_OK


def build_parser():
    """The argument parser of the ``skmeta`` command."""
    from skmeta import __version__

    parser = argparse.ArgumentParser(
        prog="skmeta",
        description="skmeta: meta-learning AutoML for scikit-learn.",
    )
    parser.add_argument("--version", action="version", version=f"skmeta {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    metafeatures = commands.add_parser(
        "metafeatures",
        help="print the meta-features of a dataset",
        description=(
            "Print the meta-features of a CSV dataset, or of the bundled "
            "penguins sample when no path is given."
        ),
    )
    metafeatures.add_argument("path", nargs="?", help="a CSV file (.csv or .csv.gz)")
    metafeatures.add_argument(
        "--target", default="target", help="the target column (default: target)"
    )
    metafeatures.add_argument(
        "--groups", help="comma-separated groups to compute (default: all)"
    )
    metafeatures.add_argument(
        "--max-rows", type=int, default=10_000,
        help="subsample larger datasets to this many rows (default: 10000)",
    )
    metafeatures.add_argument("--random-state", type=int, default=0)
    metafeatures.add_argument("-o", "--output", help="write one CSV row here")
    metafeatures.set_defaults(handler=_cmd_metafeatures)
    return parser


def main(argv=None):
    """Run the ``skmeta`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (CommandError, ValueError, TypeError, FileNotFoundError, OSError) as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"skmeta {args.command}: error: {message}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"skmeta {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
