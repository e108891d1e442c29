"""Form updates on the command line: ``odc forms publish FILE [--json]`` (an admin, signed in with
``odc login``) and what ``odc sync`` says about pulled forms (:func:`sync_lines`).

Thin: the checks and the request are :mod:`odc_sync.client.publish`, the same code the app's
"Terbitkan versi formulir…" runs; pulled forms are :mod:`odc_sync.client.forms`. Texts are the
catalogue's ``forms_push`` area.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from odc_desktop.exit_codes import EXIT_OK, EXIT_REFUSED
from odc_desktop.messages import text

#: Drafts that stay on an older form version listed one by one by ``odc sync`` (``--json`` has all).
NOTICES_SHOWN = 20


def add_parser(forms_sub: Any, add: Any, lang: str) -> None:
    """``publish`` under ``odc forms`` (``add`` is cli_parser's helper)."""
    publish = add(forms_sub, "publish", "forms_push.help_publish", "forms publish", json_flag=True)
    publish.add_argument("file", metavar="FILE", help=text("forms_push.help_file", lang))


def commands() -> dict[str, Any]:
    return {"forms publish": cmd_forms_publish}


def cmd_forms_publish(args: argparse.Namespace) -> int:
    """Check the file locally, send it, print what was published; exit 3 when refused."""
    from odc_desktop import cli
    from odc_sync.client.publish import PublishRefused, SyncError, publish_form, sign_in_of

    repo = cli._open_repo(args)
    try:
        sign_in = sign_in_of(repo)
    finally:
        repo.close()
    try:
        signed = publish_form(Path(args.file), cli.shipped_forms(), sign_in)
    except (PublishRefused, SyncError) as exc:
        raise cli.CliError(exc.message(args.lang), EXIT_REFUSED) from exc
    found = {name: signed.get(name) for name in ("id", "version", "hash", "stage", "published_at", "published_by")}
    if args.json:
        cli._print_json(found)
    else:
        print(text("forms_push.published", args.lang, form_id=found["id"], version=found["version"],
                   stage=found["stage"], short_hash=str(found["hash"])[:12]))
    return EXIT_OK


def add_pending_notices(summary: Any, repo: Any) -> None:
    """The drafts still waiting on a form version (kept from an earlier run) are listed too, also when
    this run's pull was "nothing new"."""
    from odc_sync.client.forms import migration_notices

    if not summary.migration_notices:
        summary.migration_notices = migration_notices(repo)


def sync_lines(summary: Any, lang: str) -> list[str]:
    """The lines ``odc sync`` prints about forms: new versions, refused ones, drafts moved, and the
    drafts that could not move (every notice still pending, not only this run's)."""
    lines = []
    if summary.forms_received:
        said = ", ".join(f"{f['id']} v{f['version']}" for f in summary.forms_received)
        lines.append(text("forms_push.forms_received", lang, forms=said))
    lines += ["  - " + (f["message_en"] if lang == "en" else f["message"]) for f in summary.forms_refused]
    if summary.drafts_migrated:
        lines.append(text("forms_push.drafts_migrated", lang, count=summary.drafts_migrated))
    notices = summary.migration_notices
    lines += ["  - " + (n["message_en"] if lang == "en" else n["message"]) for n in notices[:NOTICES_SHOWN]]
    if len(notices) > NOTICES_SHOWN:
        lines.append("  " + text("forms_push.more_notices", lang, count=len(notices) - NOTICES_SHOWN))
    return lines
