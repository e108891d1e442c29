"""CSV/XLSX tables (progress reports, SIMDA/SIPD DPA lines, e-musrenbang proposals) → an ImportBatch.

``open_table(path)`` reads the file (tabular_read); ``guess_mapping`` / a saved mapping
(tabular_store) says which column feeds which field; ``read_tabular(table, mapping)`` reads every row
through the shared parsers (importers.values → domain.parsing), keeps each raw value beside the
parsed one, and joins the rows into :class:`ImportRow` objects:

- ``progres`` rows → the Pelaksanaan (implementation) stage of the process named by kode RUP
  (``rup:<kode>``) or nomor kontrak (``kontrak:<nomor>``, resolved to its process before importing):
  the latest report's % fisik / % keuangan, one payment per row with a nilai bayar, one milestone
  per row with a keterangan; the photos a row names (``foto``: paths relative to the table's folder,
  ``;``-separated) become documents of that entry (tabular_photos): a missing or non-image file
  refuses the row.
- ``dpa`` rows → the Perencanaan (planning) stage: pagu and one budget line per row (MAK, amount,
  sumber dana), grouped by kode RUP when the export has it, else one process per line.
- ``musrenbang`` rows → the Perencanaan stage of a new process per proposal (rationale, location,
  quantity, estimated budget).

An OPD given by name only (SIMDA/SIPD and e-musrenbang exports) gets its code from the ``opd``
codelist (opd_names); a name no office has refuses the row, suggesting the closest names. A row whose
key or a mapped value cannot be read for certain is left out with its reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from odc_desktop.domain.bulk_work import collector_paused
from odc_desktop.domain.forms.definition import FormSet, load_form_set
from odc_desktop.importers.choices import SUMBER_DANA
from odc_desktop.importers.join import drop_failing
from odc_desktop.importers.opd_names import OpdNames
from odc_desktop.importers.record import jsonable
from odc_desktop.importers.rows import ImportBatch, ImportRow, RawValue, RowProblem, SourceRef, FileSummary, both
from odc_desktop.importers.tabular_fields import KINDS, Mapping, Said, known_columns
from odc_desktop.importers.tabular_photos import PhotoRefused, read_photos
from odc_desktop.importers.tabular_read import Table, read_table
from odc_desktop.importers.values import (Unreadable, blank, read_choice, read_code, read_date, read_money,
                                          read_percent, read_text)

#: The source system each kind comes from (recorded with every imported entry).
SYSTEMS = {"progres": "Laporan progres", "dpa": "SIMDA/SIPD", "musrenbang": "e-musrenbang"}
#: Excel's day zero (serial 1 = 1900-01-01, with Lotus' 1900 leap-year bug folded in).
EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Serial numbers read as dates: 1982-01-01 … 2119-12-31 (a smaller or larger number is not a date).
EXCEL_SERIALS = range(29952, 80355)
#: Texts longer than this are cut (the raw value keeps them whole).
TEXT_LIMIT = 500


def open_table(path: Path) -> Table:
    """The table of a CSV/XLSX file (raises tabular_read.TableRefused with the reason)."""
    return read_table(Path(path), known_columns)


# --- cell values ------------------------------------------------------------------------------
def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    serial = value
    if isinstance(value, str) and re.fullmatch(r"\d{5}(?:[.,]0+)?", value.strip()):
        serial = int(re.split(r"[.,]", value.strip())[0])
    if isinstance(serial, (int, float)) and not isinstance(serial, bool):
        if int(serial) in EXCEL_SERIALS:
            return (EXCEL_EPOCH + dt.timedelta(days=int(serial))).isoformat()
        raise Unreadable(both("date_unknown", value=str(value)))
    return read_date(value)


def _code(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return read_code(value.strip() if isinstance(value, str) else value)


def _money(value: Any) -> int:
    return read_money(value)[0]


def _text(value: Any) -> str:
    return read_text(str(value) if isinstance(value, (int, float, Decimal)) else value)[:TEXT_LIMIT]


def _year(value: Any) -> int:
    year = int(_code(value)) if not isinstance(value, bool) else 0
    if not 2000 <= year <= 2100:
        raise Unreadable(both("date_unknown", value=str(value)))
    return year


READERS: dict[str, Callable[[Any], Any]] = {
    "kode_rup": _code, "nomor_kontrak": lambda v: _text(v).strip(), "tanggal": _date,
    "progres_fisik": read_percent, "progres_keuangan": read_percent, "nilai_bayar": _money,
    "nomor_sp2d": _text, "keterangan": _text, "foto": _text,
    "mak": _code, "uraian": _text, "nilai": _money, "anggaran": _money,
    "sumber_dana": lambda v: read_choice(v, SUMBER_DANA, "sumber dana"),
    "kode_opd": _code, "nama_opd": _text, "tahun": _year,
    "id_usulan": _code, "usulan": _text, "permasalahan": _text, "lokasi": _text, "volume": _text,
}


class _Row:
    """One table row read through a mapping: parsed values and raw values by field id."""

    def __init__(self, n: int, values: dict[str, Any], raw: dict[str, Any]):
        self.n, self.values, self.raw = n, values, raw
        self.documents: list = []  # the photos it names (ImportDocument)


def _read_row(table: Table, mapping: Mapping, n: int, cells: list[Any]) -> _Row:
    values: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    for field_id, column in mapping.columns.items():
        cell = cells[column] if column < len(cells) else None
        if blank(cell):
            continue
        raw[field_id] = cell
        try:
            values[field_id] = READERS[field_id](cell)
        except Unreadable as error:
            raise _RowRefused(Said("tabular.value_unreadable", {
                "n": n, "column": table.header[column], "reason": error.reason})) from None
    return _Row(n, values, raw)


class _RowRefused(Exception):
    def __init__(self, finding: Said):
        super().__init__(finding.code)
        self.finding = finding


def _needs(row: _Row, table: Table, mapping: Mapping, *field_ids: str) -> None:
    if not any(f in row.values for f in field_ids):
        column = mapping.columns.get(field_ids[0])
        name = table.header[column] if column is not None else _label(mapping.kind, field_ids[0])
        raise _RowRefused(Said("tabular.row_missing", {"n": row.n, "column": name}))


def _photos(row: _Row, table: Table) -> None:
    if "foto" in row.raw:
        try:
            row.documents = read_photos(str(row.raw["foto"]), table.folder, row.n, row.values.get("keterangan", ""))
        except PhotoRefused as error:
            raise _RowRefused(error.finding) from None


def _opd_by_name(row: _Row, opds: OpdNames) -> None:
    """The OPD's code from its name when the row names the office but does not code it."""
    name = row.values.get("nama_opd")
    if "kode_opd" in row.values or not name:
        return
    code = opds.code_of(name)
    if code is None:
        raise _RowRefused(Said("tabular.opd_unknown", {"n": row.n, "name": name,
                                                       "closest": ", ".join(opds.closest(name)) or "—"}))
    row.values["kode_opd"] = code
    row.values["nama_opd"] = opds.label_of(code) or name


def _label(kind: str, field_id: str) -> dict[str, str]:
    return next(f.label for f in KINDS[kind] if f.id == field_id)


def read_tabular(table: Table, mapping: Mapping, forms: FormSet | None = None) -> ImportBatch:
    """The rows of ``table`` read with ``mapping`` and joined into stage rows (see the module doc).

    As with ISB data, a value that fails the stage form's checks (other than "required") is left
    out with a note (its raw value kept), so an imported draft holds only values the form accepts.
    """
    with collector_paused():  # many objects, no cycles: see domain/bulk_work.py
        return _read_tabular(table, mapping, forms or load_form_set())


def _read_tabular(table: Table, mapping: Mapping, forms: FormSet) -> ImportBatch:
    opds = OpdNames(forms.codelists.get("opd"))
    batch = ImportBatch()
    good: list[_Row] = []
    required = {"progres": ("kode_rup", "nomor_kontrak"), "dpa": ("uraian",), "musrenbang": ("usulan",)}
    for n, cells in table.rows:
        try:
            row = _read_row(table, mapping, n, cells)
            _needs(row, table, mapping, *required[mapping.kind])
            if mapping.kind == "progres":
                _needs(row, table, mapping, "tanggal")
                _photos(row, table)
            else:
                _needs(row, table, mapping, "tahun")
                _opd_by_name(row, opds)
        except _RowRefused as error:
            batch.rejected.append(RowProblem(table.file, mapping.kind, n, error.finding))
            continue
        good.append(row)
    join = {"progres": _join_progress, "dpa": _join_budget, "musrenbang": _join_proposals}[mapping.kind]
    for row in join(table, mapping, good):
        drop_failing({row.stage: row.data}, {row.stage: row.notes}, forms)
        batch.rows.append(row)
        batch.notes.extend(RowProblem(table.file, mapping.kind, row.source[0].row, note, row.source[0].row_key)
                           for note in row.notes)
    batch.files.append(FileSummary(table.file, mapping.kind, len(table.rows), len(good)))
    return batch


def _raws(table: Table, mapping: Mapping, rows: list[_Row], source: SourceRef) -> dict[str, list[RawValue]]:
    out: dict[str, list[RawValue]] = {}
    for row in rows:
        where = SourceRef(source.system, source.dataset, source.row_key, table.file, row.n)
        for field_id, value in row.raw.items():
            out.setdefault(field_id, []).append(RawValue(_raw(value), table.header[mapping.columns[field_id]],
                                                         where))
    return out


def _raw(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return jsonable(value)


def _grouped(rows: list[_Row], key: Callable[[_Row], str]) -> dict[str, list[_Row]]:
    groups: dict[str, list[_Row]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return groups


def _join_progress(table: Table, mapping: Mapping, rows: list[_Row]) -> list[ImportRow]:
    def key(row: _Row) -> str:
        if "kode_rup" in row.values:
            return f"rup:{row.values['kode_rup']}"
        return f"kontrak:{row.values['nomor_kontrak']}"

    out = []
    for process_key, group in _grouped(rows, key).items():
        group.sort(key=lambda r: (r.values["tanggal"], r.n))
        kind, _, value = process_key.partition(":")
        fields = {"kode_rup": value} if kind == "rup" else {"nomor_kontrak": value}
        data: dict[str, Any] = {}
        for field_id in ("progres_fisik", "progres_keuangan"):
            latest = [r.values[field_id] for r in group if field_id in r.values]
            if latest:
                data[field_id] = latest[-1]
        payments = [{"tanggal": r.values["tanggal"], "nilai": r.values["nilai_bayar"],
                     **({"nomor_sp2d": r.values["nomor_sp2d"]} if "nomor_sp2d" in r.values else {})}
                    for r in group if r.values.get("nilai_bayar")]
        if payments:
            data["pembayaran"] = payments
        milestones = [{"judul": r.values["keterangan"][:200], "tanggal_tercapai": r.values["tanggal"],
                       "status": "tercapai"} for r in group if r.values.get("keterangan")]
        if milestones:
            data["tahapan"] = milestones
        source = SourceRef(SYSTEMS["progres"], "progres", f"{'kode_rup' if kind == 'rup' else 'nomor_kontrak'}={value}",
                           table.file, group[0].n)
        photos: dict[str, Any] = {}  # each content once, in the order the rows name them
        for r in group:
            for document in r.documents:
                photos.setdefault(document.sha256, document)
        out.append(ImportRow(process_key, fields, "implementation", data, (source,),
                             _raws(table, mapping, group, source), documents=tuple(photos.values())))
    return out


def _process_fields(row: _Row, title: str) -> dict[str, Any]:
    return {"title": title, "opd_code": row.values.get("kode_opd", ""), "opd_name": row.values.get("nama_opd", ""),
            "year": row.values["tahun"], "kode_rup": row.values.get("kode_rup")}


def _join_budget(table: Table, mapping: Mapping, rows: list[_Row]) -> list[ImportRow]:
    def key(row: _Row) -> str:
        if "kode_rup" in row.values:
            return f"rup:{row.values['kode_rup']}"
        return f"dpa:{row.values['tahun']}:{row.values.get('mak', '')}:{row.values['uraian'].casefold()}"

    out = []
    for process_key, group in _grouped(rows, key).items():
        lines = [{"nilai": r.values.get("nilai", 0),
                  **({"mak": r.values["mak"]} if "mak" in r.values else {}),
                  **({"sumber_dana": r.values["sumber_dana"]} if "sumber_dana" in r.values else {})}
                 for r in group]
        data = {"pagu": sum(line["nilai"] for line in lines), "rincian_anggaran": lines}
        source = SourceRef(SYSTEMS["dpa"], "dpa", process_key.partition(":")[2], table.file, group[0].n)
        out.append(ImportRow(process_key, _process_fields(group[0], group[0].values["uraian"]), "planning", data,
                             (source,), _raws(table, mapping, group, source)))
    return out


def _join_proposals(table: Table, mapping: Mapping, rows: list[_Row]) -> list[ImportRow]:
    out = []
    for row in rows:
        ident = row.values.get("id_usulan") or f"{row.values['tahun']}:{row.values['usulan'].casefold()}"
        data = {"uraian_pekerjaan": row.values["usulan"]}
        for source_id, field_id in (("permasalahan", "alasan_kebutuhan"), ("lokasi", "lokasi_detail"),
                                    ("volume", "volume_pekerjaan"), ("anggaran", "pagu")):
            if source_id in row.values:
                data[field_id] = row.values[source_id]
        source = SourceRef(SYSTEMS["musrenbang"], "musrenbang", f"usulan={ident}", table.file, row.n)
        key = f"rup:{row.values['kode_rup']}" if "kode_rup" in row.values else f"musrenbang:{ident}"
        out.append(ImportRow(key, _process_fields(row, row.values["usulan"][:200]), "planning", data,
                             (source,), _raws(table, mapping, [row], source)))
    return out
