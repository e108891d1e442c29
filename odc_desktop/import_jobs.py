"""The import's jobs, Qt-free, shared by the app's import wizard and ``odc import``: read the chosen
files (the wizard: on its I/O runner), then preview and import on the database runner through the
workflow (``preview_import``, ``import_rows``).

ISB/Inaproc JSON files go through :func:`odc_desktop.importers.read_isb_files`; CSV/XLSX tables
through :mod:`odc_desktop.importers.tabular` with the mapping saved for their header (or a guessed
one the operator confirms). The importers' rows are the workflow's rows; a progress row
names its package by kode RUP or nomor kontrak and only updates a package that exists.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from odc_desktop.domain.forms.definition import FormSet
from odc_desktop.domain.statuses import Stage
from odc_desktop.importers import ImportBatch, read_isb_files
from odc_desktop.importers.tabular import open_table, read_tabular
from odc_desktop.importers.tabular_fields import Mapping, guess_mapping
from odc_desktop.importers.tabular_read import Table, TableRefused
from odc_desktop.importers.tabular_store import MappingStore
from odc_desktop.messages import Msg
from odc_desktop.storage.common import ocid_for_kode_rup
from odc_desktop.storage.repository import Repository
from odc_desktop.workflow import FormLookup, ImportResult, ImportRow, import_rows
from odc_desktop.workflow.import_preview import ImportPreview, preview_import

JSON_SUFFIXES = (".json",)


@dataclasses.dataclass
class TableFile:
    """A CSV/XLSX file read, with the mapping to read it by; ``saved``: the mapping was saved earlier
    for this header (the wizard does not ask again)."""

    table: Table
    mapping: Mapping
    saved: bool


@dataclasses.dataclass
class Problem:
    """A file or row left out, with why (said in the reader's language)."""

    file: str
    row: int
    reason: Any  # anything with message(lang)

    def message(self, lang: str) -> str:
        return self.reason.message(lang)


@dataclasses.dataclass
class FilesRead:
    """What the chosen files gave: the ISB batch, the tables, and the files refused."""

    isb: ImportBatch
    tables: list[TableFile]
    refused: list[Problem]


def is_json(path: Path) -> bool:
    """True for a file to read as ISB/Inaproc JSON: named ``.json`` or starting like JSON."""
    if path.suffix.casefold() in JSON_SUFFIXES:
        return True
    try:
        with path.open("rb") as f:
            head = f.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return head[:1] in (b"[", b"{")


def read_files(paths: list[Path], store: MappingStore, forms: FormSet | None = None) -> FilesRead:
    """Read every file (no database): JSON through the ISB reader, others as tables."""
    json_paths = [p for p in map(Path, paths) if is_json(p)]
    isb = read_isb_files(json_paths, forms) if json_paths else ImportBatch()
    tables, refused = [], [Problem(p.file, 0, p) for p in isb.skipped]
    isb.skipped = []
    for path in map(Path, paths):
        if path in json_paths:
            continue
        try:
            table = open_table(path)
        except TableRefused as error:
            refused.append(Problem(path.name, 0, error.finding))
            continue
        saved = store.get(table.header)
        tables.append(TableFile(table, saved or guess_mapping(table.header), saved is not None))
    return FilesRead(isb, tables, refused)


def gather(read: FilesRead, forms: FormSet | None = None) -> tuple[list[ImportRow], list[Problem]]:
    """Every stage row of the files (ISB and tables read with their mappings), and the rows left out
    and the values left empty, with why."""
    rows = list(read.isb.rows)
    problems = list(read.refused) + [Problem(p.file, p.row, p) for p in read.isb.rejected + read.isb.notes]
    for item in read.tables:
        batch = read_tabular(item.table, item.mapping, forms)
        rows.extend(batch.rows)
        problems.extend(Problem(p.file, p.row, p) for p in batch.rejected + batch.notes)
    return rows, problems


def _contracts(repo: Repository) -> dict[str, str | None]:
    """nomor kontrak → the kode RUP of its package (None: the package has none), one pass over the store."""
    found: dict[str, str | None] = {}
    for entry in repo.iter_entries():
        nomor = str(entry.data.get("nomor_kontrak") or "").strip()
        if entry.stage == Stage.CONTRACT and nomor and nomor not in found:
            found[nomor] = repo.get_process(entry.process_id).kode_rup
    return found


def resolve_progress(repo: Repository, rows: list[ImportRow], ocid_prefix: str) -> tuple[list[ImportRow], list[Problem]]:
    """``rows`` ready for the import: a progress row names its package by kode RUP or nomor kontrak
    and only updates a package that exists (or arrives with another file of this import); it then
    carries the package's key (``rup:<kode>``), so it lands beside the package's other rows. The rows
    left out become problems."""
    out, problems = [], []
    contracts: dict[str, str | None] | None = None  # read once, when a row names a contract
    # A package another file of the same import creates counts as existing (it is written first).
    arriving = {str(r.process_fields.get("kode_rup")) for r in rows if r.source[0].dataset != "progres"}
    arriving_contracts = {str(r.data["nomor_kontrak"]).strip(): r.process_fields.get("kode_rup") for r in rows
                          if r.stage == Stage.CONTRACT.value and r.data.get("nomor_kontrak")}
    for row in rows:
        first = row.source[0]
        if not (row.stage == Stage.IMPLEMENTATION.value and first.dataset == "progres"):
            out.append(row)
            continue
        fields = dict(row.process_fields)
        if "nomor_kontrak" in fields and not fields.get("kode_rup"):
            if contracts is None:
                contracts = {**_contracts(repo), **arriving_contracts}
            kode = contracts.get(fields["nomor_kontrak"])
            if not kode:
                code = "tabular.contract_no_rup" if fields["nomor_kontrak"] in contracts else "tabular.contract_unknown"
                problems.append(Problem(first.file, first.row, Msg(code, nomor=fields["nomor_kontrak"])))
                continue
            fields["kode_rup"] = kode
        if fields["kode_rup"] not in arriving and \
                repo.find_process_by_ocid(ocid_for_kode_rup(ocid_prefix, fields["kode_rup"])) is None:
            problems.append(Problem(first.file, first.row, Msg("tabular.process_unknown", kode=fields["kode_rup"])))
            continue
        out.append(dataclasses.replace(row, process_key=f"rup:{fields['kode_rup']}", process_fields=fields))
    return out, problems


@dataclasses.dataclass
class Previewed:
    """The preview the wizard shows: per-row outcomes, and problems (files and rows left out)."""

    preview: ImportPreview
    problems: list[Problem]


def preview_job(rows: list[ImportRow], problems: list[Problem], forms: FormLookup, ocid_prefix: str):
    """A DB-runner job: the preview of importing ``rows`` (read-only: the import's dry run)."""

    def job(repo: Repository) -> Previewed:
        ready, more = resolve_progress(repo, rows, ocid_prefix)
        preview = preview_import(repo, forms, ready, ocid_prefix)
        refused = [Problem(item.row.source[0].file if item.row.source else "", item.row.source[0].row
                           if item.row.source else 0, item.reason) for item in preview.refused()]
        return Previewed(preview, problems + more + refused)

    return job


def import_job(preview: ImportPreview, forms: FormLookup, ocid_prefix: str, actor: str | None = None,
               on_progress: Callable[[int, int], None] | None = None):
    """A DB-runner job: import the preview's new and updated rows as drafts (``on_progress(done,
    total)`` after each batch, from the runner's thread)."""

    def job(repo: Repository) -> ImportResult:
        return import_rows(repo, forms, preview.to_write(), ocid_prefix, actor=actor, on_progress=on_progress)

    return job
