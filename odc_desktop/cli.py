"""The ``odc`` command line: forms, demo data, export, validation, status, store health and backups.

Every command takes ``--data-dir DIR`` and ``--lang id|en``, before or after its name
(:mod:`odc_desktop.cli_parser`). Errors reach the user as one sentence on stderr, never a traceback
(details go to the log), with one of these exit codes (also in the README and ``odc --help``):

0 done; 1 problems found (validation, integrity, nothing to export); 2 wrong usage (argparse's own
code); 3 the store, a folder or a file was refused (damaged, unreadable, unwritable, in use);
4 an unexpected error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

from odc_desktop.cli_messages import say
from odc_desktop.os_reasons import os_reason
from odc_desktop.cli_parser import argparse_language, parse
from odc_desktop.datadir import default_data_dir, form_checks_cache, resolve_data_dir
from odc_desktop.messages import CodedError, text

log = logging.getLogger("odc.cli")

from odc_desktop.exit_codes import EXIT_OK, EXIT_REFUSED, EXIT_UNEXPECTED, EXIT_USAGE
#: Returned entries that ``odc status`` lists without ``--all``.
STATUS_RETURNED_SHOWN = 10


class CliError(Exception):
    """A failure to report to the user (one sentence in their language) with an exit code."""

    def __init__(self, message: str, code: int = EXIT_REFUSED):
        super().__init__(message)
        self.code = code


def _data_dir(args: argparse.Namespace) -> Path:
    """The data dir resolved once by :func:`main`; a CliError when it could not be made."""
    if args.data_path is None:
        raise CliError(say("data_dir_unusable", args.lang, path=args.data_dir or default_data_dir(),
                           reason=args.data_dir_error))
    return args.data_path


def store_error(args: argparse.Namespace, exc: Exception) -> CliError:
    """The CliError for a StorageError, in the user's language when its kind is known; a damaged
    store names the way out (restore a backup)."""
    from odc_desktop.storage.repository import StoreDamaged

    if isinstance(exc, StoreDamaged) or getattr(exc, "kind", None) in ("locked", "full", "readonly"):
        return CliError(say(f"store_{exc.kind}", args.lang, path=args.data_path), EXIT_REFUSED)
    return CliError(say("store_refused", args.lang, path=args.data_path, reason=exc), EXIT_REFUSED)


def _open_repo(args: argparse.Namespace):
    from odc_desktop.storage.repository import StorageError
    from odc_desktop.storage.sql import SqlRepository

    try:
        return SqlRepository.open(_data_dir(args))
    except StorageError as exc:
        raise store_error(args, exc) from exc


@contextlib.contextmanager
def _holding_the_folder(args: argparse.Namespace, command: str) -> Iterator[None]:
    """Run a command that writes into the data folder while holding its one-writer lock, the one the
    app holds while it is open (:mod:`odc_desktop.storage.folder_lock`): refused with exit 3 while the
    app or another writing command has the folder."""
    from odc_desktop.storage.folder_lock import FolderBusy, FolderLock

    data_dir = _data_dir(args)
    try:
        lock = FolderLock(data_dir, f"odc {command}").acquire()
    except FolderBusy as exc:
        holder = exc.holder
        if holder is None or holder.is_app:
            raise CliError(say("store_app_open", args.lang, path=data_dir), EXIT_REFUSED) from exc
        raise CliError(say("store_busy", args.lang, path=data_dir, program=holder.program, pid=str(holder.pid)),
                       EXIT_REFUSED) from exc
    except OSError as exc:
        raise CliError(say("store_readonly", args.lang, path=data_dir), EXIT_REFUSED) from exc
    try:
        yield
    finally:
        lock.release()


def _settings(args: argparse.Namespace):
    from odc_desktop.settings import Settings

    return Settings(_data_dir(args))


def _print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _progress(label: str) -> Callable[[int, int], None]:
    """A progress printer on stderr (only when stderr is a terminal, to keep logs clean)."""
    def report(done: int, total: int) -> None:
        if sys.stderr.isatty() and (done == total or done % max(1, total // 100) == 0):
            sys.stderr.write(f"\r{label}: {done}/{total}")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()
    return report


def shipped_forms() -> Any:
    """The shipped form set, its meta-schema pass remembered in the user cache folder."""
    from odc_desktop.domain.forms.definition import load_form_set

    return load_form_set(checks_cache=form_checks_cache())


def form_registry(args: argparse.Namespace) -> Any:
    """The data folder's form registry (shipped forms plus the versions stored there): each entry is
    validated and exported with its own form."""
    from odc_desktop.form_registry import FormRegistry

    return FormRegistry.open(_data_dir(args), checks_cache=form_checks_cache())


def cmd_forms_list(args: argparse.Namespace) -> int:
    from odc_desktop.domain.forms.definition import text_in
    from odc_desktop.domain.statuses import STAGE_ORDER

    # The forms new entries use: the data folder's registry, or the shipped set without a usable folder.
    forms = form_registry(args) if args.data_path is not None else shipped_forms()
    rows = [{"id": f.id, "version": f.version, "stage": f.stage, "title": text_in(f.title, args.lang),
             "hash": f.content_hash} for f in (forms.current(stage) for stage in STAGE_ORDER)]
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            print(f"{row['id']:<16} v{row['version']:<3} {row['title']}")
    return EXIT_OK


def cmd_forms_add(args: argparse.Namespace) -> int:
    """Store a form version in the data folder's registry (what sync will do for downloaded ones)."""
    from odc_desktop.form_registry import FormRefused

    registry = form_registry(args)
    try:
        form = registry.add(Path(args.file))
    except FormRefused as exc:
        raise CliError(exc.message(args.lang), EXIT_REFUSED) from exc
    print(text("form_registry.form_added", args.lang, form_id=form.id, version=form.version,
               short_hash=form.content_hash[:12], path=registry.folder / form.id, stage=form.stage,
               current=registry.current(form.stage).version))
    return EXIT_OK


def cmd_demo_data(args: argparse.Namespace) -> int:
    from odc_desktop.demo import data as demo
    from odc_desktop.storage.repository import StorageError

    if args.processes < 0 or args.attachments < 0:
        raise CliError(say("negative", args.lang), EXIT_USAGE)
    with _holding_the_folder(args, "demo-data"):
        repo = _open_repo(args)
        try:
            summary = demo.generate(repo, form_registry(args), args.processes, attachments=args.attachments,
                                    seed=args.seed, ocid_prefix=_settings(args).ocid_prefix,
                                    on_progress=_progress(say("progress_demo", args.lang)))
        except StorageError as exc:
            raise store_error(args, exc) from exc
        finally:
            repo.close()
    print(say("demo_done", args.lang, processes=summary.processes, entries=summary.entries,
              attachments=summary.attachments, bytes=summary.attachment_bytes))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from odc_desktop.cli_export import run_export

    return run_export(args)


def cmd_import(args: argparse.Namespace) -> int:
    from odc_desktop.cli_import import run_import

    return run_import(args)


def cmd_validate(args: argparse.Namespace) -> int:
    from odc_desktop.validate_output import run_validate

    return run_validate(args)


def _returned(repo: Any, limit: int | None) -> list[dict[str, Any]]:
    """The returned entries with their reviewers' notes (the first ``limit``; all when None)."""
    from odc_desktop.domain.statuses import EntryStatus

    returned: list[dict[str, Any]] = []
    processes: dict[int, Any] = {}  # several returned entries often share a process
    for entry in repo.iter_entries({EntryStatus.RETURNED}):
        if limit is not None and len(returned) >= limit:
            break
        if entry.process_id not in processes:
            processes[entry.process_id] = repo.get_process(entry.process_id)
        process = processes[entry.process_id]
        returned.append({"ocid": process.ocid, "title": process.title, "stage": entry.stage.value,
                         "entry_uid": entry.uid, "notes": [
                             {"field_id": n.field_id, "author": n.author, "text": n.text,
                              "created_at": n.created_at} for n in repo.list_review_notes(entry.id)]})
    return returned


def cmd_status(args: argparse.Namespace) -> int:
    from odc_desktop.domain.statuses import EntryStatus
    from odc_desktop.storage.repository import StorageError

    repo = _open_repo(args)
    try:
        count, size = repo.attachment_totals()
        by_status = repo.count_entries_by_status()
        returned = _returned(repo, None if args.all else STATUS_RETURNED_SHOWN)
        settings = _settings(args)
        status = {"processes": repo.count_processes(),
                  "entries_by_status": {s.value: by_status.get(s.value, 0) for s in EntryStatus},
                  "attachments": count, "attachment_bytes": size,
                  "returned_total": by_status.get(EntryStatus.RETURNED.value, 0), "returned": returned,
                  "ocid_prefix": settings.ocid_prefix,
                  "ocid_prefix_registered": not settings.ocid_prefix_is_placeholder}
    except StorageError as exc:
        raise store_error(args, exc) from exc
    finally:
        repo.close()
    if args.json:
        _print_json(status)
        return EXIT_OK
    print(say("processes", args.lang, count=status["processes"]))
    for key, value in status["entries_by_status"].items():
        print(f"  {EntryStatus(key).title(args.lang):<18} {value}")
    print(say("attachments", args.lang, count=count, bytes=size))
    for item in returned:
        print(say("returned", args.lang, ocid=item["ocid"], stage=item["stage"]))
        for note in item["notes"]:
            print(f"    {note['author']}: {note['text']}")
    if status["returned_total"] > len(returned):
        print(say("returned_more", args.lang, count=status["returned_total"] - len(returned)))
    return EXIT_OK


def _commands() -> dict[str, Callable[[argparse.Namespace], int]]:
    from odc_desktop import cli_conflicts, cli_forms_push, cli_review, cli_store, cli_sync

    return {"forms list": cmd_forms_list, "forms add": cmd_forms_add, "demo-data": cmd_demo_data, "export": cmd_export,
            "validate": cmd_validate, "status": cmd_status, "doctor": cli_store.cmd_doctor,
            "backup": cli_store.cmd_backup, "restore": cli_store.cmd_restore, "import": cmd_import,
            **cli_sync.commands(), **cli_review.commands(), **cli_forms_push.commands(),
            **cli_conflicts.commands()}


def _setup_logging(args: argparse.Namespace) -> Path | None:
    """Log to ``<data_dir>/logs/odc.log`` (the developer's details); the user sees one sentence.

    Without a writable log the records are dropped rather than printed: logging's last-resort
    handler would put tracebacks on the user's terminal.
    """
    path: Path | None = None
    handler: logging.Handler = logging.NullHandler()
    if args.data_path is not None:  # an unusable data dir is reported by the command that needs it
        try:
            path = args.data_path / "logs" / "odc.log"
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(path, encoding="utf-8")
        except OSError:
            path = None  # an unwritable data dir is reported by the command itself
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    return path


def main(argv: list[str] | None = None) -> int:
    parser, args = parse(sys.argv[1:] if argv is None else argv, _commands())
    func = getattr(args, "func", None)
    if func is None:
        with argparse_language(args.lang):
            parser.print_help()
        return EXIT_USAGE
    # Resolved (and created) once; commands that need it read args.data_path.
    args.data_path, args.data_dir_error = None, None
    try:
        args.data_path = resolve_data_dir(args.data_dir)
    except OSError as exc:
        args.data_dir_error = os_reason(exc, args.lang)
    log_file = _setup_logging(args)
    try:
        return func(args)
    except CliError as exc:
        print(f"odc: {exc}", file=sys.stderr)
        return exc.code
    except CodedError as exc:  # refused input the command did not word itself (e.g. a broken forms folder)
        log.warning("refused: %s", exc, exc_info=exc)
        print(f"odc: {exc.message(args.lang)}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print(f"odc: {say('cancelled', args.lang)}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader (e.g. `| head`) went away: not an error of ours; keep Python quiet on exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # the user gets one sentence; the developer gets the log
        log.exception("unexpected error")
        where = say("see_log", args.lang, path=log_file) if log_file else ""
        print(f"odc: {say('unexpected', args.lang, error=f'{type(exc).__name__}: {exc}')}{where}", file=sys.stderr)
        return EXIT_UNEXPECTED


if __name__ == "__main__":
    # Run the imported module's main, not this __main__ copy: cli_export and cli_store import
    # odc_desktop.cli, and its CliError must be the one main() catches.
    from odc_desktop.cli import main as imported_main

    sys.exit(imported_main())
