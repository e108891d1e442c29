"""Push conflicts on the command line: ``odc conflicts [--json]``, ``odc conflicts mine ID``,
``odc conflicts server ID``, ``odc conflicts change ID``.

A conflict is recorded by ``odc sync`` when the server holds another revision of a queued entry; these
commands resolve it through :mod:`odc_desktop.workflow.conflicts` (keep mine: sent as the next revision
by the next sync; take the server's: only a copy signed by the key pinned at ``odc login``; change:
for an entry the server approved meanwhile). Texts are the catalogue's ``conflict`` area.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from odc_desktop.exit_codes import EXIT_OK, EXIT_REFUSED
from odc_desktop.messages import text


def add_parsers(sub: Any, add: Any, lang: str) -> None:
    """``odc conflicts …`` on the ``odc`` parser (``add`` is cli_parser's helper; help keys are codes)."""
    conflicts = add(sub, "conflicts", "conflict.help", "conflicts", json_flag=True)
    inner = conflicts.add_subparsers(dest="conflicts_command", metavar=text("cli.help_command", lang))
    for name, help_key in (("mine", "conflict.help_mine"), ("server", "conflict.help_server"),
                           ("change", "conflict.help_change")):
        parser = add(inner, name, help_key, f"conflicts {name}")
        parser.add_argument("entry", metavar="ID", help=text("conflict.help_id", lang))


def commands() -> dict[str, Any]:
    return {"conflicts": cmd_list, "conflicts mine": cmd_mine, "conflicts server": cmd_server,
            "conflicts change": cmd_change}


def _cli():  # noqa: ANN202 - odc_desktop.cli, imported late (it imports this module's commands)
    from odc_desktop import cli

    return cli


def _value(value: Any, lang: str) -> str:
    if value in (None, "", [], {}):
        return text("conflict.empty_value", lang)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _kind(kind: str, lang: str) -> str:
    return text(f"conflict.kind_{kind or 'unknown'}", lang)


def cmd_list(args: argparse.Namespace) -> int:
    """The open conflicts with the fields that differ (by SOP label)."""
    from odc_desktop.workflow.conflicts import open_conflicts

    cli = _cli()
    forms = cli.form_registry(args)
    repo = cli._open_repo(args)
    try:
        found = open_conflicts(repo, forms)
    finally:
        repo.close()
    if args.json:
        cli._print_json({"conflicts": [c.as_json() for c in found]})
        return EXIT_OK
    if not found:
        print(text("conflict.none_open", args.lang))
    for c in found:
        print(text("conflict.line", args.lang, id=c.entry_uid, ocid=c.ocid, stage=text(f"stage.{c.stage}", args.lang),
                   kind=_kind(c.kind, args.lang), server_revision=c.server_revision if c.server_revision is not None else "-",
                   my_revision=c.my_revision))
        for d in c.differences:
            print(text("conflict.diff_line", args.lang, label=d.label, mine=_value(d.mine, args.lang),
                       server=_value(d.server, args.lang)))
        if c.documents_differ:
            print(text("conflict.documents_differ", args.lang))
    return EXIT_OK


def _resolving(args: argparse.Namespace, resolve: Any) -> int:
    """Run ``resolve(repo, forms, entry_id, actor)`` on the conflict named by ``args.entry`` (its uid or
    a unique prefix of at least 6 characters), holding the folder; a refusal is said in ``--lang``."""
    from odc_desktop.workflow import WorkflowRefused
    from odc_desktop.workflow.conflicts import open_conflicts

    cli = _cli()
    forms = cli.form_registry(args)
    with cli._holding_the_folder(args, "conflicts"):
        repo = cli._open_repo(args)
        try:
            found = [c for c in open_conflicts(repo) if c.entry_uid == args.entry
                     or (len(args.entry) >= 6 and c.entry_uid.startswith(args.entry))]
            if len(found) != 1:
                raise cli.CliError(text("conflict.not_found", args.lang, entry=args.entry), EXIT_REFUSED)
            try:
                return resolve(repo, forms, found[0].entry_id, repo.get_sync_state("username") or None)
            except WorkflowRefused as exc:
                raise cli.CliError(exc.message(args.lang), EXIT_REFUSED) from exc
        finally:
            repo.close()


def _server_key(repo: Any, lang: str) -> str:
    key = repo.get_sync_state("server_key")
    if not key:
        raise _cli().CliError(text("conflict.not_signed_in", lang), EXIT_REFUSED)
    return key


def cmd_mine(args: argparse.Namespace) -> int:
    from odc_desktop.workflow.conflicts import keep_mine

    def resolve(repo: Any, _forms: Any, entry_id: int, actor: str | None) -> int:
        entry = keep_mine(repo, entry_id, actor=actor).entry
        print(text("conflict.kept_mine", args.lang, id=entry.uid, revision=entry.revision + 1))
        return EXIT_OK

    return _resolving(args, resolve)


def cmd_server(args: argparse.Namespace) -> int:
    from odc_desktop.workflow.conflicts import take_server

    def resolve(repo: Any, _forms: Any, entry_id: int, actor: str | None) -> int:
        entry = take_server(repo, entry_id, _server_key(repo, args.lang), actor=actor).entry
        print(text("conflict.took_server", args.lang, id=entry.uid, revision=entry.revision))
        return EXIT_OK

    return _resolving(args, resolve)


def cmd_change(args: argparse.Namespace) -> int:
    from odc_desktop.workflow.conflicts import change_with_mine

    def resolve(repo: Any, forms: Any, entry_id: int, actor: str | None) -> int:
        old = repo.get_entry(entry_id)
        new = change_with_mine(repo, forms, entry_id, _server_key(repo, args.lang), actor=actor).entry
        print(text("conflict.changed_as_change", args.lang, id=old.uid, new=new.uid))
        return EXIT_OK

    return _resolving(args, resolve)
