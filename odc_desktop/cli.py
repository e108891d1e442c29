"""The ``odc`` command line: forms, demo data, export, validation, status and store health.

Every command takes the global ``--data-dir DIR``. Errors reach the user as one Indonesian sentence
on stderr with a non-zero exit code, never a traceback (details go to the log).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any, Callable

from odc_desktop import __version__
from odc_desktop.cli_messages import say
from odc_desktop.datadir import default_data_dir, resolve_data_dir

log = logging.getLogger("odc.cli")

EXIT_OK, EXIT_INVALID, EXIT_ERROR, EXIT_USAGE = 0, 1, 2, 64


class CliError(Exception):
    """A failure to report to the user (message in Bahasa Indonesia) with an exit code."""

    def __init__(self, message: str, code: int = EXIT_ERROR):
        super().__init__(message)
        self.code = code


def _data_dir(args: argparse.Namespace) -> Path:
    """The data dir resolved once by :func:`main`; a CliError when it could not be made."""
    if args.data_path is None:
        raise CliError(say("data_dir_unusable", args.lang, path=args.data_dir or default_data_dir(),
                           reason=args.data_dir_error))
    return args.data_path


def _open_repo(args: argparse.Namespace):
    from odc_desktop.storage.repository import StorageError
    from odc_desktop.storage.sql import SqlRepository

    try:
        return SqlRepository.open(_data_dir(args))
    except StorageError as exc:
        raise CliError(str(exc)) from exc


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


def cmd_forms_list(args: argparse.Namespace) -> int:
    from odc_desktop.domain.forms import load_form_set, text_in

    # FormSet.forms is filled in lifecycle order (STAGE_ORDER).
    rows = [{"id": f.id, "version": f.version, "stage": f.stage, "title": text_in(f.title, args.lang),
             "hash": f.content_hash} for f in load_form_set().forms.values()]
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            print(f"{row['id']:<16} v{row['version']:<3} {row['title']}")
    return EXIT_OK


def cmd_demo_data(args: argparse.Namespace) -> int:
    from odc_desktop.domain import demo
    from odc_desktop.domain.forms import load_form_set

    if args.processes < 0 or args.attachments < 0:
        raise CliError(say("negative", args.lang), EXIT_USAGE)
    repo = _open_repo(args)
    try:
        summary = demo.generate(repo, load_form_set(), args.processes, attachments=args.attachments,
                                seed=args.seed, ocid_prefix=_settings(args).ocid_prefix,
                                on_progress=_progress(say("progress_demo", args.lang)))
    finally:
        repo.close()
    print(say("demo_done", args.lang, processes=summary.processes, entries=summary.entries,
              attachments=summary.attachments, bytes=summary.attachment_bytes))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from odc_desktop.domain.export import export_package

    repo = _open_repo(args)
    try:
        result = export_package(repo, on_progress=_progress(say("progress_export", args.lang)))
    finally:
        repo.close()
    if not result.package["releases"]:
        raise CliError(say("nothing_to_export", args.lang), EXIT_INVALID)
    from odc_desktop.domain.validation import validate_package  # the profile, before anything is written

    refused = [p for p in validate_package(result.package, lang=args.lang) if p.severity == "error"]
    if refused:
        raise CliError(say("export_refused", args.lang, count=len(refused), path=refused[0].path,
                           message=refused[0].message), EXIT_INVALID)
    out = Path(args.out)
    try:
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(json.dumps(result.package, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        raise CliError(say("cannot_write", args.lang, path=out, reason=exc.strerror or exc)) from exc
    print(say("exported", args.lang, releases=len(result.package["releases"]), processes=result.processes,
              path=out))
    if result.skipped:
        print(say("skipped", args.lang, count=len(result.skipped)))
        for ocid, stage, count in result.skipped[:20]:
            print(say("skipped_one", args.lang, ocid=ocid, stage=stage, count=count))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from odc_desktop.validate_output import run_validate

    return run_validate(args)


def cmd_status(args: argparse.Namespace) -> int:
    from odc_desktop.domain.statuses import EntryStatus

    repo = _open_repo(args)
    try:
        count, size = repo.attachment_totals()
        returned = []
        processes: dict[int, Any] = {}  # several returned entries often share a process
        for entry in repo.iter_entries({EntryStatus.RETURNED}):
            if entry.process_id not in processes:
                processes[entry.process_id] = repo.get_process(entry.process_id)
            process = processes[entry.process_id]
            returned.append({"ocid": process.ocid, "title": process.title, "stage": entry.stage.value,
                             "entry_uid": entry.uid, "notes": [
                                 {"field_id": n.field_id, "author": n.author, "text": n.text,
                                  "created_at": n.created_at} for n in repo.list_review_notes(entry.id)]})
        by_status = repo.count_entries_by_status()
        settings = _settings(args)
        status = {"processes": repo.count_processes(),
                  "entries_by_status": {s.value: by_status.get(s.value, 0) for s in EntryStatus},
                  "attachments": count, "attachment_bytes": size, "returned": returned,
                  "ocid_prefix": settings.ocid_prefix,
                  "ocid_prefix_registered": not settings.ocid_prefix_is_placeholder}
    finally:
        repo.close()
    if args.json:
        _print_json(status)
    else:
        print(say("processes", args.lang, count=status["processes"]))
        for key, value in status["entries_by_status"].items():
            print(f"  {EntryStatus(key).title(args.lang):<18} {value}")
        print(say("attachments", args.lang, count=count, bytes=size))
        for item in returned:
            print(say("returned", args.lang, ocid=item["ocid"], stage=item["stage"]))
            for note in item["notes"]:
                print(f"    {note['author']}: {note['text']}")
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    repo = _open_repo(args)
    try:
        report = repo.integrity_check()
    finally:
        repo.close()
    report["data_dir"] = str(_data_dir(args))
    if args.json:
        _print_json(report)
    else:
        print(say("integrity", args.lang, value=report["integrity"]))
        print(say("audit_ok", args.lang) if report["audit"]["ok"]
              else say("audit_bad", args.lang, message=report["audit"].get("message")))
        for key, value in report.get("counts", {}).items():
            print(f"  {key}: {value}")
    return EXIT_OK if report["integrity"] == "ok" else EXIT_INVALID


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="odc", description="ODC Desktop — baris perintah "
                                     "(data kontrak terbuka Kabupaten Bojonegoro, OCDS 1.1.5)")
    parser.add_argument("--version", action="version", version=f"odc {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="folder data lokal (bawaan: folder data pengguna)")
    parser.add_argument("--lang", choices=("id", "en"), default="id", help="bahasa pesan (id|en)")
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH")

    forms = sub.add_parser("forms", help="formulir tahap")
    forms_sub = forms.add_subparsers(dest="forms_command", metavar="SUBPERINTAH")
    forms_list = forms_sub.add_parser("list", help="daftar formulir")
    forms_list.add_argument("--json", action="store_true")
    forms_list.set_defaults(func=cmd_forms_list)

    demo = sub.add_parser("demo-data", help="buat data contoh untuk demo dan benchmark")
    demo.add_argument("--processes", type=int, required=True, metavar="N")
    demo.add_argument("--attachments", type=int, default=0, metavar="K")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.set_defaults(func=cmd_demo_data)

    export = sub.add_parser("export", help="ekspor paket rilis OCDS dari semua entri yang valid")
    export.add_argument("--out", required=True, metavar="FILE")
    export.set_defaults(func=cmd_export)

    validate = sub.add_parser("validate", help="periksa berkas OCDS siapa pun: error (skema resmi), profile, flag")
    validate.add_argument("file", metavar="FILE")
    validate.add_argument("--json", action="store_true", help="laporan lengkap sebagai JSON")
    validate.add_argument("--profile", choices=("bojonegoro",), default=None,
                          help="periksa juga profil publikasi Bojonegoro")
    validate.add_argument("--max-problems", type=int, default=200, metavar="N",
                          help="rincian masalah yang dicetak (bawaan 200)")
    validate.set_defaults(func=cmd_validate)

    status = sub.add_parser("status", help="ringkasan status entri dan lampiran")
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=cmd_status)

    doctor = sub.add_parser("doctor", help="periksa keutuhan penyimpanan lokal")
    doctor.add_argument("--json", action="store_true")
    doctor.set_defaults(func=cmd_doctor)
    return parser


def _setup_logging(args: argparse.Namespace) -> Path | None:
    """Log to ``<data_dir>/logs/odc.log`` (the developer's details); the user sees one sentence."""
    if args.data_path is None:
        return None  # an unusable data dir is reported by the command that needs it
    try:
        path = args.data_path / "logs" / "odc.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None  # an unwritable data dir is reported by the command itself
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    return path


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return EXIT_USAGE
    # Resolved (and created) once; commands that need it read args.data_path.
    args.data_path, args.data_dir_error = None, None
    try:
        args.data_path = resolve_data_dir(args.data_dir)
    except OSError as exc:
        args.data_dir_error = exc.strerror or exc
    log_file = _setup_logging(args)
    try:
        return func(args)
    except CliError as exc:
        print(f"odc: {exc}", file=sys.stderr)
        return exc.code
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
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
