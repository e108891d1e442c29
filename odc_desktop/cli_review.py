"""Review on the command line (a supervisor, offline too): ``odc review list [--json]``,
``odc review approve ID|--all``, ``odc review return ID --note TEXT [--field PATH=NOTE …]``,
``odc review flags ID [--json]``.

The queue is the one the last ``odc sync`` pulled; a decision is queued here and pushed by the next
``odc sync``, whose server may refuse it (four eyes, another OPD, a newer revision): ``odc review list``
then says why. Writes go through :mod:`odc_desktop.workflow.review`; texts are the catalogue's
``review`` area.
"""

from __future__ import annotations

import argparse
from typing import Any

from odc_desktop.domain.review import refusal_text
from odc_desktop.exit_codes import EXIT_OK, EXIT_REFUSED, EXIT_USAGE
from odc_desktop.messages import text

def add_parsers(sub: Any, add: Any, lang: str) -> None:
    """``odc review …`` on the ``odc`` parser (``add`` is cli_parser's helper; help keys are codes)."""
    review = add(sub, "review", "review.help")
    inner = review.add_subparsers(dest="review_command", metavar=text("cli.help_command", lang))
    add(inner, "list", "review.help_list", "review list", json_flag=True)
    approve = add(inner, "approve", "review.help_approve", "review approve")
    approve.add_argument("entry", nargs="?", metavar="ID", help=text("review.help_id", lang))
    approve.add_argument("--all", action="store_true", help=text("review.help_all", lang))
    back = add(inner, "return", "review.help_return", "review return")
    back.add_argument("entry", metavar="ID", help=text("review.help_id", lang))
    back.add_argument("--note", required=True, metavar="TEXT", help=text("review.help_note", lang))
    back.add_argument("--field", action="append", default=[], metavar="PATH=NOTE", help=text("review.help_field", lang))
    flags = add(inner, "flags", "review.help_flags", "review flags", json_flag=True)
    flags.add_argument("entry", metavar="ID", help=text("review.help_id", lang))


def commands() -> dict[str, Any]:
    return {"review list": cmd_list, "review approve": cmd_approve, "review return": cmd_return,
            "review flags": cmd_flags}


def _cli():  # noqa: ANN202 - odc_desktop.cli, imported late (it imports this module's commands)
    from odc_desktop import cli

    return cli


def _decision_json(decision: Any, lang: str) -> dict[str, Any] | None:
    if decision is None:
        return None
    found = {"decision": decision.decision, "status": decision.status.value, "revision": decision.revision,
             "notes": [note.as_json() for note in decision.notes], "error": decision.error}
    if decision.error:
        found["reason"] = refusal_text(decision.error, lang)
    return found


def _item_json(item: Any, flags: int, lang: str) -> dict[str, Any]:
    return {"id": item.entry_uid, "revision": item.revision, "ocid": item.ocid, "stage": item.stage,
            "author": item.item.get("author"), "form": item.payload.get("form"),
            "supersedes": item.item.get("supersedes"), "documents": len(item.item.get("attachments") or []),
            "flags": flags, "decision": _decision_json(item.decision, lang)}


def _refusal(args: argparse.Namespace, exc: Exception):  # noqa: ANN202
    return _cli().CliError(exc.message(args.lang), EXIT_REFUSED)


def cmd_list(args: argparse.Namespace) -> int:
    """The stored queue (and decisions the server refused whose entry left it)."""
    from odc_desktop.domain.review import DecisionStatus

    from odc_desktop.domain.review_flags import process_flags

    cli = _cli()
    forms = cli.form_registry(args)
    repo = cli._open_repo(args)
    try:
        items = repo.list_review_items()
        listed = {(i.entry_uid, i.revision) for i in items}
        refused = [d for d in repo.list_review_decisions(DecisionStatus.REFUSED)
                   if (d.entry_uid, d.revision) not in listed]
    finally:
        repo.close()
    found = {"items": [_item_json(i, len(process_flags(i, items, forms, args.lang)), args.lang) for i in items],
             "refused": [{"id": d.entry_uid, **_decision_json(d, args.lang)} for d in refused]}
    if args.json:
        cli._print_json(found)
        return EXIT_OK
    if not items and not refused:
        print(text("review.queue_empty", args.lang))
    for item in found["items"]:
        print(text("review.item_line", args.lang, id=item["id"], ocid=item["ocid"],
                   stage=text(f"stage.{item['stage']}", args.lang), revision=item["revision"],
                   author=item["author"] or "-", flags=item["flags"]))
        if item["decision"]:
            print("    " + _decision_line(item["decision"], args.lang))
    for decision in found["refused"]:
        print(text("review.refused_line", args.lang, id=decision["id"], revision=decision["revision"],
                   reason=decision["reason"]))
    return EXIT_OK


def _decision_line(decision: dict[str, Any], lang: str) -> str:
    said = text(f"review.decision_{decision['decision']}", lang)
    if decision["status"] == "refused":
        return text("review.decision_refused", lang, decision=said, reason=decision["reason"])
    return text(f"review.decision_{decision['status']}", lang, decision=said)


def _deciding(args: argparse.Namespace, decide_all: Any) -> int:
    """Run ``decide_all(repo, forms, who)`` holding the folder, as the signed-in supervisor."""
    from odc_desktop.workflow import WorkflowRefused
    from odc_desktop.workflow.review import signed_in_reviewer

    cli = _cli()
    forms = cli.form_registry(args)
    with cli._holding_the_folder(args, "review"):
        repo = cli._open_repo(args)
        try:
            try:
                who = signed_in_reviewer(repo)
            except WorkflowRefused as exc:
                raise _refusal(args, exc) from exc
            return decide_all(repo, forms, who)
        finally:
            repo.close()


def cmd_approve(args: argparse.Namespace) -> int:
    from odc_desktop.workflow import WorkflowRefused
    from odc_desktop.workflow.review import decide

    if bool(args.all) == bool(args.entry):
        raise _cli().CliError(text("review.approve_needs_one", args.lang), EXIT_USAGE)

    def approve(repo: Any, forms: Any, who: str) -> int:
        if args.all:
            uids = [i.entry_uid for i in repo.list_review_items()
                    if i.decision is None or i.decision.status.value == "refused"]
        else:
            uids = [args.entry]
        try:
            for uid in uids:
                decision = decide(repo, uid, "approve", decided_by=who, forms=forms, actor=who)
                print(text("review.queued", args.lang, id=decision.entry_uid,
                           decision=text("review.decision_approve", args.lang)))
        except WorkflowRefused as exc:
            raise _refusal(args, exc) from exc
        if args.all:
            print(text("review.queued_count", args.lang, count=len(uids)))
        return EXIT_OK

    return _deciding(args, approve)


def _field_notes(args: argparse.Namespace) -> list[tuple[str, str]]:
    notes = []
    for given in args.field:
        path, sep, note = given.partition("=")
        if not sep or not path.strip() or not note.strip():
            raise _cli().CliError(text("review.field_syntax", args.lang, given=given), EXIT_USAGE)
        notes.append((path, note))
    return notes


def cmd_return(args: argparse.Namespace) -> int:
    from odc_desktop.workflow import WorkflowRefused
    from odc_desktop.workflow.review import decide

    field_notes = _field_notes(args)

    def give_back(repo: Any, forms: Any, who: str) -> int:
        try:
            decision = decide(repo, args.entry, "return", args.note, field_notes, decided_by=who, forms=forms,
                              actor=who)
        except WorkflowRefused as exc:
            raise _refusal(args, exc) from exc
        print(text("review.queued", args.lang, id=decision.entry_uid,
                   decision=text("review.decision_return", args.lang)))
        return EXIT_OK

    return _deciding(args, give_back)


def cmd_flags(args: argparse.Namespace) -> int:
    """The red flags of the entry's process, built from the pulled queue (FlagIndex) and the server's."""
    from odc_desktop.domain.review_flags import process_flags
    from odc_desktop.workflow import WorkflowRefused
    from odc_desktop.workflow.review import review_item

    cli = _cli()
    forms = cli.form_registry(args)
    repo = cli._open_repo(args)
    try:
        try:
            item = review_item(repo, args.entry)
        except WorkflowRefused as exc:
            raise _refusal(args, exc) from exc
        flags = process_flags(item, repo.list_review_items(), forms, args.lang)
    finally:
        repo.close()
    if args.json:
        cli._print_json({"id": item.entry_uid, "ocid": item.ocid, "flags": flags})
        return EXIT_OK
    if not flags:
        print(text("review.no_flags", args.lang, ocid=item.ocid))
    for flag in flags:
        print(text("review.flag_line", args.lang, path=flag["path"], message=flag["message"]))
    return EXIT_OK
