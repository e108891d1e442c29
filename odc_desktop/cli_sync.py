"""Sync on the command line: ``odc login``, ``odc submit --all``, ``odc sync [--json]``.

The commands are thin: sign-in and sync are :mod:`odc_sync.client`, queueing is the workflow
(``mark_ready`` then ``queue``). Texts are the catalogue's ``sync`` area.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from odc_desktop import cli_forms_push
from odc_desktop.exit_codes import EXIT_OK, EXIT_PROBLEMS, EXIT_REFUSED
from odc_desktop.messages import text

#: Problems listed per entry that ``odc submit --all`` could not queue.
PROBLEMS_SHOWN = 3


def add_parsers(sub: Any, add: Any, lang: str) -> None:
    """The sync commands on the ``odc`` parser (``add`` is cli_parser's helper)."""
    login = add(sub, "login", None, "login")
    login.description = text("sync.help_login", lang)
    login.add_argument("--server", required=True, metavar="URL", help=text("sync.help_server", lang))
    login.add_argument("--username", required=True, metavar="U", help=text("sync.help_username", lang))
    login.add_argument("--password", required=True, metavar="P", help=text("sync.help_password", lang))
    submit = add(sub, "submit", None, "submit", json_flag=True)
    submit.add_argument("--all", action="store_true", help=text("sync.help_submit_all", lang))
    sync = add(sub, "sync", None, "sync", json_flag=True)
    sync.add_argument("--batch", type=int, default=50, metavar="N", help=text("sync.help_batch", lang))
    sync.add_argument("--chunk-kb", type=int, default=256, metavar="KB", help=text("sync.help_chunk", lang))


HELP_KEYS = {"login": "sync.help_login", "submit": "sync.help_submit", "sync": "sync.help_sync"}


def commands() -> dict[str, Any]:
    return {"login": cmd_login, "submit": cmd_submit, "sync": cmd_sync}


def _cli():  # noqa: ANN202 - odc_desktop.cli, imported late (it imports this module's commands)
    from odc_desktop import cli

    return cli


def _sync_error(args: argparse.Namespace, exc: Exception):  # noqa: ANN202
    cli = _cli()
    return cli.CliError(exc.message(args.lang), EXIT_REFUSED)


def cmd_login(args: argparse.Namespace) -> int:
    from odc_sync.client import SyncError, login

    cli = _cli()
    data_dir = cli._data_dir(args)
    with cli._holding_the_folder(args, "login"):  # it writes sync_state and device.key
        repo = cli._open_repo(args)
        try:
            who = login(repo, data_dir, args.server, args.username, args.password)
        except SyncError as exc:
            raise _sync_error(args, exc) from exc
        finally:
            repo.close()
    print(text("sync.logged_in", args.lang, username=who["username"], role=who["role"], opd=who["opd"] or "-",
               server=who["server_url"], device=who["device"]))
    return EXIT_OK


def _why(exc: Exception, lang: str) -> str:
    said = exc.message(lang) if hasattr(exc, "message") else str(exc)
    problems = [f"{p.path}: {p.message}" for p in getattr(exc, "params", {}).get("problems", ())[:PROBLEMS_SHOWN]]
    return "; ".join([said, *problems])


def cmd_submit(args: argparse.Namespace) -> int:
    """Every valid draft or ready entry: mark_ready, then queue; the others listed with reasons. When
    the signed-in account belongs to an OPD, another OPD's entries are left as they are (the server
    would refuse them, after their documents had travelled), and counted."""
    from odc_desktop.domain.statuses import EntryStatus
    from odc_desktop.workflow import WorkflowRefused, mark_ready, queue

    cli = _cli()
    if not args.all:
        raise cli.CliError(text("sync.submit_needs_all", args.lang), 2)
    forms = cli.form_registry(args)
    queued, refused, other_opd = [], [], 0
    with cli._holding_the_folder(args, "submit"):  # it writes entries
        repo = cli._open_repo(args)
        try:
            opd = repo.get_sync_state("opd") or None
            for entry in repo.iter_entries({EntryStatus.DRAFT, EntryStatus.READY}):
                if opd and repo.get_process(entry.process_id).opd_code != opd:
                    other_opd += 1
                    continue
                try:
                    ready = mark_ready(repo, forms, entry.id, lang=args.lang).entry
                    queue(repo, ready.id)
                    queued.append(entry.uid)
                except WorkflowRefused as exc:
                    process = repo.get_process(entry.process_id)
                    refused.append({"entry": entry.uid, "ocid": process.ocid, "stage": entry.stage.value,
                                    "reason": _why(exc, args.lang)})
        finally:
            repo.close()
    if args.json:
        cli._print_json({"queued": len(queued), "refused": refused, "other_opd": other_opd})
    else:
        print(text("sync.queued", args.lang, count=len(queued)))
        if other_opd:
            print(text("sync.other_opd_left", args.lang, count=other_opd, opd=opd))
        if refused:
            print(text("sync.not_queued", args.lang, count=len(refused)))
            for item in refused:
                print("  - " + text("sync.invalid_entry", args.lang, ocid=item["ocid"], stage=item["stage"],
                                    reason=item["reason"]))
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    """One sync run; exit 0 when it finished, 1 when something stopped it (the summary says what)."""
    from odc_sync.client import SyncEngine, SyncError

    cli = _cli()
    data_dir = cli._data_dir(args)
    with cli._holding_the_folder(args, "sync"):  # it writes receipts, statuses, upload state
        repo = cli._open_repo(args)
        try:
            engine = SyncEngine(repo, data_dir, batch_size=args.batch, chunk_size=max(1, args.chunk_kb) * 1024,
                                on_progress=_progress)
            summary = engine.run()
            cli_forms_push.add_pending_notices(summary, repo)
        except SyncError as exc:
            raise _sync_error(args, exc) from exc
        finally:
            repo.close()
    found = summary.as_dict()
    if summary.error:
        found["message"] = text(summary.error, args.lang, **getattr(engine, "error").params)
    if args.json:
        cli._print_json(found)
    else:
        print(text("sync.summary", args.lang, **{k: found[k] for k in (
            "pushed", "accepted", "duplicates", "conflicts", "rejected", "uploaded_bytes", "pending")}))
        for item in summary.quarantined:
            reasons = "; ".join(f"{r.get('field') or '-'}: {r.get('message_en' if args.lang == 'en' else 'message')}"
                                for r in item["reasons"] if isinstance(r, dict))
            print("  - " + text("sync.quarantined", args.lang, entry=item["entry"], reasons=reasons))
        for refused in summary.review_refused:  # decisions the server refused (odc review list says them again)
            from odc_desktop.domain.review import refusal_text

            print("  - " + text("review.refused_line", args.lang, id=refused["entry"], revision=refused["revision"],
                                reason=refusal_text(refused["error"], args.lang)))
        for line in cli_forms_push.sync_lines(summary, args.lang):  # pulled forms, drafts that stay
            print(line)
        if summary.error:
            print("odc: " + text("sync.stopped", args.lang, reason=found["message"]), file=sys.stderr)
    return EXIT_PROBLEMS if summary.error else EXIT_OK


def _progress(phase: str, done: int, total: int) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r{phase}: {done}" + (f"/{total}" if total else "") + " ")
        sys.stderr.flush()
