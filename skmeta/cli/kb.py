"""``skmeta kb info | check | remove | export | import``."""

from __future__ import annotations

from pathlib import Path

from skmeta.cli.errors import (
    EXIT_OK,
    CommandError,
)
from skmeta.cli.knowledge_bases import (
    _describe_knowledge_base,
    _kb_name,
)
from skmeta.cli.printing import (
    _counts,
    _plural,
    _print_invalid,
)
from skmeta.cli.reading import (
    Input,
    _check_not_an_input,
    _check_output,
    _kb_inputs,
)


def _cmd_kb_info(args):
    from skmeta.knowledge.opening import open_knowledge_base

    kb = open_knowledge_base(args.kb)
    summary = kb.summary()
    where = _kb_name(kb, summary["path"] or args.kb)
    print(f"{where} (schema version {summary['schema_version']})")
    print(f"  datasets:        {summary['n_datasets']} "
          f"({_counts(summary['datasets_per_task'])})")
    print(f"  evaluations:     {summary['n_evaluations']} "
          f"({_counts(summary['evaluations_per_task'])})")
    print(f"  by status:       {_counts(summary['evaluations_per_status'])}")
    strategies = ", ".join(kb.strategies()) or "none"
    print(f"  strategies:      {summary['n_strategies']} ({strategies})")
    print(f"  properties:      {summary['n_properties']}")
    print(f"  skmeta versions: {_counts(summary['skmeta_versions'])}")
    return EXIT_OK


def _check_export_output(args):
    """``kb export -o``: a new .json[.gz] file, never the source database."""
    from skmeta.knowledge.paths import is_export_name

    output = Path(args.output)
    if not is_export_name(output):
        raise CommandError(
            f"cannot write {output}: an export is JSON, so -o must end in .json "
            "or .json.gz"
        )
    return _check_output(output, inputs=_kb_inputs(args.kb), force=args.force)


def _cmd_kb_export(args):
    from skmeta.knowledge.opening import open_knowledge_base

    output = _check_export_output(args)
    kb = open_knowledge_base(args.kb)
    kb.export_json(output)
    size = output.stat().st_size / 1024
    print(f"exported {_describe_knowledge_base(kb)} to {output} ({size:.0f} KiB)")
    return EXIT_OK


def _cmd_kb_check(args):
    from skmeta.knowledge.checks import (
        invalid_datasets,
        invalid_evaluations,
        invalid_properties,
    )
    from skmeta.knowledge.opening import open_knowledge_base

    kb = open_knowledge_base(args.kb)
    where = _kb_name(kb, args.kb)
    invalid = invalid_evaluations(kb)
    datasets = invalid_datasets(kb)
    properties = invalid_properties(kb)
    if invalid.empty and datasets.empty and not properties:
        print(f"{where}: {_plural(len(kb), 'evaluation')} checked; every "
              "configuration fits its strategy's space")
        return EXIT_OK
    problems = []
    if not invalid.empty:
        print(f"{where}: {len(invalid)} of {_plural(len(kb), 'evaluation')} have a "
              "configuration that does not fit the strategy's space, or timings "
              "out of range (the meta-models leave them out):")
        _print_invalid(invalid)
        remove = "skmeta kb remove --invalid" + (f" --kb {args.kb}" if args.kb else "")
        problems.append(f"{_plural(len(invalid), 'invalid evaluation')}; remove "
                        f"them with `{remove}`")
    for dataset_id, row in datasets.iterrows():
        print(f"{where}: dataset {row['name']!r} ({dataset_id}) is left out of the "
              f"meta-models: {row['problem']}")
    for name, problem in properties.items():
        print(f"{where}: property {name!r} is ignored (learned again): {problem}")
    if not (datasets.empty and not properties):
        count = len(properties)
        problems.append(
            f"{_plural(len(datasets), 'unusable dataset')} and {count} unusable "
            f"propert{'y' if count == 1 else 'ies'}; correct them where the "
            "knowledge base was made and import it again"
        )
    raise CommandError("; ".join(problems))


def _cmd_kb_remove(args):
    from skmeta.knowledge.checks import invalid_evaluations
    from skmeta.knowledge.opening import open_knowledge_base
    from skmeta.knowledge.paths import is_export_name

    if not args.invalid:
        raise CommandError("say what to remove: --invalid (the evaluations "
                           "`skmeta kb check` lists)")
    if is_export_name(args.kb):
        raise CommandError(
            f"{args.kb} is a JSON export; kb remove changes a SQLite knowledge "
            "base (`skmeta kb import` turns an export into one)"
        )
    kb = open_knowledge_base(args.kb)
    invalid = invalid_evaluations(kb)
    if invalid.empty:
        print(f"{args.kb}: no invalid evaluations; nothing removed")
        return EXIT_OK
    if args.dry_run:
        print(f"{args.kb}: would remove {_plural(len(invalid), 'invalid evaluation')}:")
        _print_invalid(invalid)
        return EXIT_OK
    keys = invalid[["dataset_id", "strategy", "config_key", "metric", "cv",
                    "seed"]].itertuples(index=False, name=None)
    removed = kb.remove_evaluations(keys)
    print(f"{args.kb}: removed {_plural(removed, 'invalid evaluation')}:")
    _print_invalid(invalid)
    print(f"  {_describe_knowledge_base(kb)}")
    return EXIT_OK


def _cmd_kb_import(args):
    from skmeta.knowledge.exchange import read_document, validate_document
    from skmeta.knowledge.opening import open_knowledge_base

    source = Path(args.file)
    _check_not_an_input(args.kb, "--kb",
                        [Input(source, "the file this command imports")])
    document = read_document(source)
    # Validate before opening: a bad file must not leave a new empty database.
    validate_document(document, str(source))
    kb = open_knowledge_base(args.kb, create=True)
    counts = kb.import_dict(document, source=str(source))
    print(f"imported {source} into {args.kb}")
    print(f"  datasets: {counts['datasets_added']} added, "
          f"{counts['datasets_updated']} updated")
    print(f"  evaluations: {counts['evaluations_added']} added, "
          f"{counts['evaluations_skipped']} skipped (already stored)")
    print(f"  properties: {counts['properties_added']} added, "
          f"{counts['properties_skipped']} skipped, "
          f"{counts['properties_conflicting']} conflicting (kept the stored value)")
    print(f"  {_describe_knowledge_base(kb)}")
    return EXIT_OK


def _add_kb(commands):
    parser = commands.add_parser(
        "kb",
        help="knowledge base: info, check, remove, export, import",
        description=("Look at a knowledge base, check and remove invalid "
                     "evaluations, export it to JSON, import JSON."),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    info = actions.add_parser(
        "info", help="counts of datasets, evaluations, statuses",
        description="Counts of a knowledge base's datasets, evaluations, strategies.",
    )
    info.add_argument(
        "--kb", metavar="PATH",
        help="SQLite file or .json[.gz] export (default: the shipped one)",
    )
    info.set_defaults(handler=_cmd_kb_info)
    export = actions.add_parser(
        "export", help="write a knowledge base as JSON",
        description="Write a knowledge base as JSON (gzip-compressed for .gz).",
    )
    export.add_argument("--kb", metavar="PATH",
                        help="SQLite file (default: the shipped knowledge base)")
    export.add_argument("-o", "--output", required=True, metavar="FILE",
                        help="the .json or .json.gz file to write (never the "
                        "knowledge base itself)")
    export.add_argument("--force", action="store_true",
                        help="replace FILE if it exists")
    export.set_defaults(handler=_cmd_kb_export)
    check = actions.add_parser(
        "check", help="list evaluations whose configuration is invalid",
        description=(
            "Check every stored configuration against its strategy's space. "
            "Exit code 0 when all fit; 1, after listing the invalid ones, when "
            "some do not (the meta-models leave those out with a warning; "
            "`skmeta kb remove --invalid` removes them)."
        ),
    )
    check.add_argument(
        "--kb", metavar="PATH",
        help="SQLite file or .json[.gz] export (default: the shipped one)",
    )
    check.set_defaults(handler=_cmd_kb_check)
    remove = actions.add_parser(
        "remove", help="remove invalid evaluations from a SQLite knowledge base",
        description=(
            "Remove the evaluations `skmeta kb check` lists (--invalid), in one "
            "transaction; datasets, other evaluations and properties stay."
        ),
    )
    remove.add_argument("--kb", required=True, metavar="PATH",
                        help="the SQLite knowledge base")
    remove.add_argument("--invalid", action="store_true",
                        help="remove the evaluations whose configuration does not "
                        "fit the strategy's space")
    remove.add_argument("--dry-run", action="store_true",
                        help="list what would be removed, remove nothing")
    remove.set_defaults(handler=_cmd_kb_remove)
    imported = actions.add_parser(
        "import", help="merge a JSON export into a SQLite knowledge base",
        description=(
            "Merge a .json / .json.gz export into a SQLite knowledge base "
            "(created if missing). The file is validated first; stored "
            "evaluations are kept and duplicates skipped."
        ),
    )
    imported.add_argument("file", help="a .json or .json.gz export")
    imported.add_argument("--kb", required=True, metavar="PATH",
                          help="the SQLite knowledge base to import into")
    imported.set_defaults(handler=_cmd_kb_import)
