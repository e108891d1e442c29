"""``odc import FILE… [--json]``: ISB / Inaproc JSON files into the store as drafts.

The importers read the files (:func:`odc_desktop.importers.read_isb_files`), the workflow stores the
rows (:func:`odc_desktop.workflow.import_rows`, batches of processes per transaction) while the
command holds the data folder's one-writer lock. The summary (text, or JSON with ``--json``) says
what was created, changed, left unchanged or kept, which files were skipped and which rows rejected,
each with its reason in the language asked for. Exit 0 when something was read, 1 when every file
was skipped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from odc_desktop.exit_codes import EXIT_OK
from odc_desktop.messages import text

#: Exit code when no file held a recognised dataset.
EXIT_NOTHING = 1


def _say(key: str, lang: str, **values: Any) -> str:
    return text(f"import.{key}", lang, **values)


def summary(batch: Any, result: Any, lang: str) -> dict[str, Any]:
    """The JSON summary of one run: what the importers read and what the workflow did."""
    from odc_desktop.workflow.imports import CHANGED, CREATED, KEPT, REJECTED, UNCHANGED

    read = batch.summary(lang)
    stored_rejects = [{"file": o.row.source[0].file if o.row.source else "", "process_key": o.row.process_key,
                       "stage": o.row.stage, "row": o.row.source[0].row if o.row.source else 0,
                       "code": o.reason.code, "reason": o.reason.message(lang)} for o in result.of(REJECTED)]
    return {
        "created": {"processes": result.processes_created, "entries": len(result.of(CREATED))},
        "changed": len(result.of(CHANGED)),
        "unchanged": len(result.of(UNCHANGED)) + len(result.of(KEPT)),
        "kept": [{"process_key": o.row.process_key, "stage": o.row.stage, "code": o.reason.code,
                  "reason": o.reason.message(lang)} for o in result.of(KEPT)],
        "skipped": read["skipped"],
        "rejected": read["rejected"] + stored_rejects,
        "files": read["files"],
        "processes_read": read["processes"],
        "stage_rows": read["stage_rows"],
        "notes": len(read["notes"]),
    }


def run_import(args: argparse.Namespace) -> int:
    from odc_desktop.cli import (
        CliError,
        _holding_the_folder,
        _open_repo,
        _print_json,
        _progress,
        _settings,
        form_registry,
        store_error,
    )
    from odc_desktop.importers import read_isb_files
    from odc_desktop.storage.repository import StorageError
    from odc_desktop.workflow import import_rows

    lang = args.lang
    paths = [Path(p) for p in args.files]
    for path in paths:
        if not path.is_file():
            raise CliError(_say("file_missing", lang, file=path))
    with _holding_the_folder(args, "import"):
        forms = form_registry(args)
        if sys.stderr.isatty():  # reading has no count to show; say what is happening
            sys.stderr.write(_say("reading", lang) + f" ({len(paths)})…\n")
            sys.stderr.flush()
        batch = read_isb_files(paths, forms.shipped)  # the importers read with the shipped forms
        repo = _open_repo(args)
        try:
            result = import_rows(repo, forms, batch.rows, _settings(args).ocid_prefix,
                                 on_progress=_progress(_say("progress", lang)))
        except StorageError as exc:
            raise store_error(args, exc) from exc
        finally:
            repo.close()
    out = summary(batch, result, lang)
    if args.json:
        _print_json(out)
    else:
        for problem in out["skipped"]:
            print(_say("skipped_file", lang, file=problem["file"], reason=problem["reason"]))
        for problem in out["rejected"]:
            print(_say("rejected_row", lang, file=problem["file"], row=problem["row"], reason=problem["reason"]))
        for kept in out["kept"]:
            print(_say("kept_row", lang, reason=kept["reason"]))
        print(_say("done", lang, processes=out["created"]["processes"], created=out["created"]["entries"],
                   changed=out["changed"], unchanged=out["unchanged"], kept=len(out["kept"]),
                   skipped=len(out["skipped"]), rejected=len(out["rejected"])))
    if not batch.files:
        if not args.json:
            print(_say("nothing_imported", lang))
        return EXIT_NOTHING
    return EXIT_OK
