"""Store health and backups on the command line: ``odc doctor``, ``odc backup``, ``odc restore``.

``doctor`` always answers (in JSON with ``--json``), whatever state the store is in: a store too
damaged to open is the finding, reported as ``"integrity": "damaged"`` with the problems, exit 1.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from odc_desktop.cli import CliError, _data_dir, _holding_the_folder, _open_repo, _print_json, store_error
from odc_desktop.exit_codes import EXIT_OK, EXIT_PROBLEMS
from odc_desktop.cli_messages import say
from odc_desktop.os_reasons import os_reason

log = logging.getLogger("odc.cli")


def _diagnosis(data_dir: Path, lang: str) -> dict[str, Any]:
    """The doctor's report: SQLite's full integrity check first, then (when the database is sound)
    the store's own check of the audit chain and every attachment file."""
    from odc_desktop.storage import health
    from odc_desktop.storage.repository import StorageError
    from odc_desktop.storage.sql import SqlRepository

    problems = health.diagnose(data_dir)
    report: dict[str, Any] = {}
    if not problems:
        try:
            repo = SqlRepository.open(data_dir)
        except StorageError as exc:
            problems = [exc.message(lang)]
        else:
            try:
                report = repo.integrity_check()
                problems = report.pop("problems")
            except StorageError as exc:
                problems = [exc.message(lang)]
            finally:
                repo.close()
    report.pop("ok", None)
    if report.get("audit"):
        report["audit"]["message"] = _in(lang, report["audit"]["message"])
    return {**report, "integrity": "damaged" if problems else "ok", "problems": [_in(lang, p) for p in problems],
            "data_dir": str(data_dir)}


def _in(lang: str, found: Any) -> str:
    """A finding of the store's checks in ``lang``: a coded message said in it, SQLite's text as it is."""
    say_it = getattr(found, "message", None)
    return say_it(lang) if callable(say_it) else str(found)


def cmd_doctor(args: argparse.Namespace) -> int:
    try:
        data_dir = _data_dir(args)
    except CliError as exc:  # not even a folder to look in: still an answer in JSON
        if args.json:
            _print_json({"integrity": "unusable", "problems": [str(exc)], "data_dir": str(args.data_dir)})
            return exc.code
        raise
    try:
        report = _diagnosis(data_dir, args.lang)
    except Exception as exc:  # the doctor's answer is the problem itself, never a crash without JSON
        log.exception("doctor could not finish")
        report = {"integrity": "damaged", "problems": [f"{type(exc).__name__}: {exc}"], "data_dir": str(data_dir)}
    if args.json:
        _print_json(report)
    else:
        print(say("integrity", args.lang, value=report["integrity"]))
        for problem in report["problems"]:
            print(f"  - {problem}")
        audit = report.get("audit")
        if audit:
            print(say("audit_ok", args.lang) if audit["ok"] else say("audit_bad", args.lang, message=audit.get("message")))
        for key, value in report.get("counts", {}).items():
            print(f"  {key}: {value}")
    return EXIT_OK if report["integrity"] == "ok" else EXIT_PROBLEMS


@contextlib.contextmanager
def _backup_errors(args: argparse.Namespace, os_message: str) -> Iterator[None]:
    """Turn a refused backup or restore into a CliError in the user's language."""
    from odc_desktop.storage.backup import BackupRefused
    from odc_desktop.storage.repository import StorageError

    try:
        yield
    except BackupRefused as exc:
        raise CliError(exc.in_language(args.lang)) from exc
    except StorageError as exc:
        raise store_error(args, exc) from exc
    except OSError as exc:
        raise CliError(say(os_message, args.lang, path=args.folder, reason=os_reason(exc, args.lang))) from exc


def cmd_backup(args: argparse.Namespace) -> int:
    from odc_desktop.storage.backup import make_backup

    _open_repo(args).close()  # a damaged or unusable store is refused before anything is copied
    with _backup_errors(args, "cannot_write"):
        info = make_backup(_data_dir(args), Path(args.folder))
    print(say("backup_done", args.lang, path=info.path, processes=info.processes, attachments=info.attachments))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from odc_desktop.storage.backup import restore_backup

    with _holding_the_folder(args, "restore"), _backup_errors(args, "unreadable"):
        info, kept = restore_backup(Path(args.folder), _data_dir(args))
    print(say("restore_done", args.lang, path=info.path, processes=info.processes, attachments=info.attachments))
    if kept:
        print(say("restore_kept", args.lang, path=kept))
    return EXIT_OK
