"""``odc import FILE… [--mapping NAME|FILE] [--json]``: ISB / Inaproc JSON, CSV and XLSX files into the
store as drafts.

The importers read the files (:func:`odc_desktop.importers.read_isb_files` for JSON; a CSV/XLSX
table through :mod:`odc_desktop.importers.tabular` with the column mapping the app's import wizard
saved for its header, or the one ``--mapping`` names; a table with neither is skipped, saying how to
make one), progress reports find their package (``import_jobs.resolve_progress``, as in the wizard)
and bring their photos as documents; the workflow stores the rows
(:func:`odc_desktop.workflow.import_rows`, batches of processes per transaction) while the command
holds the data folder's one-writer lock. The summary (text, or JSON with ``--json``) says
what was created, changed, left unchanged or kept, which files were skipped and which rows rejected,
each with its reason in the language asked for. Exit 0 when something was read, 1 when every file
was skipped.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from odc_desktop.exit_codes import EXIT_OK
from odc_desktop.messages import text

#: Exit code when no file held a recognised dataset.
EXIT_NOTHING = 1


def _say(key: str, lang: str, **values: Any) -> str:
    return text(f"import.{key}", lang, **values)


def _rejected_line(problem: dict[str, Any], lang: str) -> str:
    """One rejected row for the terminal. The readers' reasons begin with their row ("Baris 6: …",
    "Baris 6, kolom …"), the workflow's do not: the row is said once either way."""
    prefix = _say("row_prefix", lang, row=problem["row"])
    rest = problem["reason"][len(prefix):]
    said_row = problem["reason"].startswith(prefix) and not rest[:1].isdigit()
    return _say("rejected_in_file" if said_row else "rejected_row", lang, file=problem["file"],
                row=problem["row"], reason=problem["reason"])


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


def read_all(paths: list[Path], forms: Any, store: Any, mapping: str | None,
             on_progress: Callable[[int, int], None]) -> Any:
    """Every file read into one ImportBatch (no database): JSON through the ISB reader, the others as
    tables with their saved mapping or ``mapping`` (then saved for their header); a file that gives
    nothing is in ``skipped`` with its reason."""
    from odc_desktop.import_jobs import is_json
    from odc_desktop.importers import FileProblem, ImportBatch, read_isb_files
    from odc_desktop.importers.tabular import open_table, read_tabular
    from odc_desktop.importers.tabular_fields import KIND_LABELS, Said, guess_mapping
    from odc_desktop.importers.tabular_read import TableRefused
    from odc_desktop.importers.tabular_store import MappingRefused, mapping_option

    json_paths = [p for p in paths if is_json(p)]
    batch = read_isb_files(json_paths, forms) if json_paths else ImportBatch()
    on_progress(len(json_paths), len(paths))
    for n, path in enumerate((p for p in paths if p not in json_paths), start=len(json_paths) + 1):
        try:
            table = open_table(path)
            chosen = mapping_option(mapping, table.header, path.name) if mapping else store.get(table.header)
        except (TableRefused, MappingRefused) as error:
            batch.skipped.append(FileProblem(path.name, error.finding, isinstance(error, TableRefused)))
            continue
        finally:
            on_progress(n, len(paths))
        if chosen is None:
            guess = guess_mapping(table.header).kind
            batch.skipped.append(FileProblem(path.name, Said("tabular.no_mapping", {
                "file": path.name, "kind": KIND_LABELS[guess], "guess": guess}), False))
            continue
        if mapping:
            store.put(table.header, chosen)  # the next file with these headers needs no --mapping
        read = read_tabular(table, chosen, forms)
        for name in ("rows", "files", "rejected", "notes"):
            getattr(batch, name).extend(getattr(read, name))
    return batch


def run_import(args: argparse.Namespace) -> int:
    from odc_desktop.cli import (
        CliError,
        _data_dir,
        _holding_the_folder,
        _open_repo,
        _print_json,
        _progress,
        _settings,
        form_registry,
        store_error,
    )
    from odc_desktop.import_jobs import resolve_progress
    from odc_desktop.importers.tabular_store import MappingStore
    from odc_desktop.storage.repository import StorageError
    from odc_desktop.workflow import import_rows

    lang = args.lang
    paths = [Path(p) for p in args.files]
    for path in paths:
        if not path.is_file():
            raise CliError(_say("file_missing", lang, file=path))
    with _holding_the_folder(args, "import"):
        forms = form_registry(args)
        # the importers read with the shipped forms
        batch = read_all(paths, forms.shipped, MappingStore(_data_dir(args)), args.mapping,
                         _progress(_say("reading", lang)))
        repo = _open_repo(args)
        try:
            prefix = _settings(args).ocid_prefix
            rows, unresolved = resolve_progress(repo, batch.rows, prefix)
            result = import_rows(repo, forms, rows, prefix, on_progress=_progress(_say("progress", lang)))
        except StorageError as exc:
            raise store_error(args, exc) from exc
        finally:
            repo.close()
    out = summary(batch, result, lang)
    out["rejected"] += [{"file": p.file, "row": p.row, "code": p.reason.code, "reason": p.message(lang)}
                        for p in unresolved]
    out["documents"] = result.documents_attached
    if args.json:
        _print_json(out)
    else:
        for problem in out["skipped"]:
            print(_say("skipped_file", lang, file=problem["file"], reason=problem["reason"]))
        for problem in out["rejected"]:
            print(_rejected_line(problem, lang))
        for kept in out["kept"]:
            print(_say("kept_row", lang, reason=kept["reason"]))
        print(_say("done", lang, processes=out["created"]["processes"], created=out["created"]["entries"],
                   changed=out["changed"], unchanged=out["unchanged"], kept=len(out["kept"]),
                   skipped=len(out["skipped"]), rejected=len(out["rejected"])))
        if out["documents"]:
            print(_say("documents_attached", lang, n=out["documents"]))
    if not batch.files:
        if not args.json:
            print(_say("nothing_imported", lang))
        return EXIT_NOTHING
    return EXIT_OK
