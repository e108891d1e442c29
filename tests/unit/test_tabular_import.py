"""CSV/XLSX imports as operators produce them: semicolon CSV from Excel id-ID in Windows-1252, UTF-8
with BOM, title rows and merged cells above the header, empty rows, "Rp 1.234.567,89", dates as
17/08/2026 and as Excel serial numbers; malformed files refused with the reason in both languages."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from odc_desktop.demo.sample_files import make_jpeg
from odc_desktop.importers.tabular import open_table, read_tabular
from odc_desktop.importers.tabular_fields import Mapping, guess_mapping, signature
from odc_desktop.importers.tabular_read import TableRefused
from odc_desktop.importers.tabular_store import FILE_NAME, MappingStore
from odc_desktop.importers.tabular_template import template_headers, write_template

HEADER = ["Kode RUP", "Tanggal", "% Fisik", "% Keuangan", "Nilai Bayar", "Keterangan"]


def _csv(path: Path, rows: list[list[str]], encoding: str = "cp1252", sep: str = ";") -> Path:
    path.write_bytes("\r\n".join(sep.join(r) for r in rows).encode(encoding))
    return path


def _xlsx(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["LAPORAN PROGRES PEKERJAAN DINAS PU 2026"])
    sheet.merge_cells("A1:F1")
    sheet.append([])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _read(path: Path):
    table = open_table(path)
    return table, read_tabular(table, guess_mapping(table.header))


def test_a_semicolon_csv_from_excel_id_in_windows_1252_is_read_with_rupiah_and_dates(tmp_path):
    path = _csv(tmp_path / "progres.csv", [["Laporan progres – Dinas PU", "", "", "", "", ""], HEADER,
                                           ["41234567", "17/08/2026", "62,5", "40", "Rp 1.234.567,89", "Pengecoran café"],
                                           ["", "", "", "", "", ""],
                                           ["41234567", "46255", "70", "55", "Rp 500.000", ""]])
    table, batch = _read(path)
    assert table.kind == "csv" and table.header == HEADER
    assert batch.rejected == [] and len(batch.rows) == 1
    row = batch.rows[0]
    assert (row.process_key, row.stage) == ("rup:41234567", "implementation")
    assert row.data["progres_fisik"] == 70 and row.data["progres_keuangan"] == 55  # the latest report
    assert row.data["pembayaran"] == [{"tanggal": "2026-08-17", "nilai": 1234568},
                                      {"tanggal": "2026-08-21", "nilai": 500000}]
    assert row.data["tahapan"][0]["judul"] == "Pengecoran café"
    assert [r.value for r in row.raw["nilai_bayar"]] == ["Rp 1.234.567,89", "Rp 500.000"]  # raw beside parsed
    assert row.raw["tanggal"][1].value == "46255" and row.raw["tanggal"][1].source.row == 5


def test_a_comma_csv_in_utf8_with_bom_and_a_contract_number(tmp_path):
    path = _csv(tmp_path / "p.csv", [["No Kontrak", "Tgl", "Progres Fisik"], ["027/1/SPK/2026", "2026-08-17", "12.5"]],
                encoding="utf-8-sig", sep=",")
    _, batch = _read(path)
    assert batch.rows[0].process_key == "kontrak:027/1/SPK/2026" and batch.rows[0].data == {"progres_fisik": 12.5}


def test_an_xlsx_with_a_merged_title_excel_dates_and_numbers(tmp_path):
    path = _xlsx(tmp_path / "progres.xlsx", [HEADER, [41234567, dt.datetime(2026, 8, 17), 62.5, 40, 1234567.89, "ok"],
                                             [None] * 6, [41234567, 46255, 80, 60, None, None]])
    table, batch = _read(path)
    assert table.kind == "xlsx" and table.header == HEADER
    row = batch.rows[0]
    assert row.data["progres_fisik"] == 80 and row.data["pembayaran"] == [{"tanggal": "2026-08-17", "nilai": 1234568}]
    assert row.raw["tanggal"][0].value == "2026-08-17T00:00:00"


@pytest.mark.parametrize(("cells", "id_words", "en_words"), [
    (["41234567", "31/13/2026", "10", "", "", ""], "tidak ada di kalender", "does not exist"),
    (["41234567", "17/08/2026", "150", "", "", ""], "di luar 0–100", "outside 0–100"),
    (["41234567", "17/08/2026", "10", "", "Rp 99.999.999.999.999.999.999", ""], "bukan nilai rupiah", "not a clear"),
    (["41234567", "17/08/2026", "10", "", "1" + "0" * 17, ""], "terlalu besar", "too large"),
    (["41234567", "17/08/2026", "sepuluh", "", "", ""], "jenis data salah", "wrong kind"),
    (["", "17/08/2026", "10", "", "", ""], "kosong", "empty"),
])
def test_a_bad_row_is_left_out_with_its_reason_in_both_languages_and_good_rows_stay(tmp_path, cells, id_words, en_words):
    path = _csv(tmp_path / "p.csv", [HEADER, ["42222222", "17/08/2026", "5", "", "", ""], cells])
    _, batch = _read(path)
    assert [r.process_key for r in batch.rows] == ["rup:42222222"]
    (problem,) = batch.rejected
    assert problem.row == 3
    assert id_words in problem.message("id") and "Baris 3" in problem.message("id")
    assert en_words in problem.message("en") and "Row 3" in problem.message("en")


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _write_text(path: Path, text: str) -> Path:
    return _write(path, text.encode("utf-8"))


def _truncated_xlsx(path: Path) -> Path:
    whole = _xlsx(tmp := path.with_name("whole.xlsx"), [HEADER]).read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    tmp.unlink()
    return path


@pytest.mark.parametrize(("make", "code", "en_words"), [
    (lambda p: _write(p, b""), "tabular.file_empty", "is empty"),
    (lambda p: _write(p, b"\x00\x01\x02binary\x00"), "tabular.not_a_table", "not a CSV or XLSX"),
    (lambda p: _write_text(p, '[{"kd_rup": 1}]'), "tabular.looks_like_json", "holds JSON"),
    (_truncated_xlsx, "tabular.xlsx_broken", "damaged or cut off"),
    (lambda p: _write(p, b"\xd0\xcf\x11\xe0old excel"), "tabular.old_excel", "old Excel"),
    (lambda p: _write(p, "Kode RUP;Tanggal\r\n1;2\r\n".encode("utf-16-le")[:-1] + b"\x81"),
     "tabular.not_a_table", "not a CSV"),
    (lambda p: _write(p, b"Kode RUP;Tanggal\r\n\x81\x8d\x8f;1\r\n"), "tabular.bad_encoding", "UTF-8"),
    (lambda p: _write_text(p, "hanya satu kolom\n"), "tabular.no_header", "no row of column headings"),
])
def test_a_file_that_is_not_a_readable_table_is_refused_with_its_reason(tmp_path, make, code, en_words):
    path = make(tmp_path / "data.csv")
    with pytest.raises(TableRefused) as refused:
        open_table(path)
    assert refused.value.finding.code == code
    assert en_words in refused.value.finding.message("en")
    assert "data.csv" in refused.value.finding.message("id") and refused.value.finding.message("id") != \
        refused.value.finding.message("en")


def test_the_mapping_is_guessed_saved_per_header_and_reused(tmp_path):
    header = ["No", "Nama Paket", "Kode Rekening", "Jumlah (Rp)", "Sumber Dana", "Tahun Anggaran"]
    guessed = guess_mapping(header)
    assert guessed.kind == "dpa" and guessed.columns == {"uraian": 1, "mak": 2, "nilai": 3, "sumber_dana": 4,
                                                         "tahun": 5}
    store = MappingStore(tmp_path)
    assert store.get(header) is None
    edited = Mapping("dpa", {**guessed.columns, "kode_rup": 0})
    store.put(header, edited)
    assert MappingStore(tmp_path).get(header) == edited  # read back from the data folder
    assert MappingStore(tmp_path).get([h.upper() + " " for h in header]) == edited  # same signature
    assert MappingStore(tmp_path).get(header[:-1]) is None
    assert signature(header) != signature(list(reversed(header)))
    (tmp_path / FILE_NAME).write_text("{broken")
    assert MappingStore(tmp_path).get(header) is None  # an unreadable file: ask again, lose nothing else


def test_dpa_lines_and_musrenbang_proposals_become_planning_rows(tmp_path):
    dpa = _csv(tmp_path / "dpa.csv", [["Kode Rekening", "Uraian", "Jumlah", "Sumber Dana", "Tahun", "Kode RUP"],
                                      ["1.03.10.2.01.0001.5.2.03.01.0001", "Rehab jalan", "1.250.000.000", "DAU", "2026",
                                       "41234567"],
                                      ["1.03.10.2.01.0001.5.2.03.01.0002", "Rehab jalan", "250.000.000", "APBD", "2026",
                                       "41234567"]])
    _, batch = _read(dpa)
    (row,) = batch.rows
    assert row.stage == "planning" and row.data["pagu"] == 1_500_000_000
    assert [line["sumber_dana"] for line in row.data["rincian_anggaran"]] == ["dau", "apbd"]
    usulan = _csv(tmp_path / "u.csv", [["ID Usulan", "Usulan", "Permasalahan", "Lokasi", "Perkiraan Biaya", "Tahun"],
                                       ["U-17", "Perbaikan jembatan", "Jembatan retak", "Desa Ngasem", "Rp 300 Jt", "2026"]])
    _, batch = _read(usulan)
    (row,) = batch.rows
    assert row.process_key == "musrenbang:U-17" and row.process_fields["year"] == 2026
    assert row.data == {"uraian_pekerjaan": "Perbaikan jembatan", "alasan_kebutuhan": "Jembatan retak",
                        "lokasi_detail": "Desa Ngasem", "pagu": 300_000_000}
    assert row.source[0].system == "e-musrenbang"


@pytest.mark.parametrize("name", ["templat.xlsx", "templat.csv"])
def test_the_progress_template_maps_itself_without_asking(tmp_path, name):
    path = write_template(tmp_path / name, "id")
    table = open_table(path)
    assert table.header == template_headers("id")
    mapping = guess_mapping(table.header)
    assert mapping.kind == "progres" and len(mapping.columns) == len(table.header)
    # the example row names a photo beside the report: without it the row says so, with it the row is read
    (problem,) = read_tabular(table, mapping).rejected
    assert problem.finding.code == "tabular.photo_missing" and "foto-2026-08-17.jpg" in problem.message("id")
    (tmp_path / "foto-2026-08-17.jpg").write_bytes(make_jpeg(1, "Pengecoran"))
    batch = read_tabular(table, mapping)
    assert batch.rejected == []
    (row,) = batch.rows
    assert [(d.filename, d.document_type) for d in row.documents] == [("foto-2026-08-17.jpg", "foto_lapangan")]
    assert not list(tmp_path.glob(".*tmp"))


def test_a_value_the_form_refuses_is_left_out_with_a_note_and_its_raw_value_kept(tmp_path):
    dpa = _csv(tmp_path / "dpa.csv", [["Kode Rekening", "Uraian", "Jumlah", "Tahun"],
                                      ["5.2.ABC", "Rehab jalan", "1.250.000.000", "2026"]])
    _, batch = _read(dpa)
    (row,) = batch.rows
    # as with ISB budget lines: the line that fails is left out, the pagu stays, the raw MAK is kept
    assert row.data == {"pagu": 1_250_000_000} and row.raw["mak"][0].value == "5.2.ABC"
    (note,) = batch.notes
    assert "Kode rekening" in note.message("id") and "account code" in note.message("en")


def test_a_two_row_header_with_merged_cells_and_percent_formatted_cells(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["REKAP LAPORAN PROGRES"])
    sheet.merge_cells("A1:E1")
    sheet.append(["Kode RUP", "Tanggal", "Progres", None, "Nilai Bayar"])
    sheet.merge_cells("C2:D2")
    sheet.append([None, None, "% Fisik", "% Keuangan", None])
    sheet.append(["41234567", "17/08/2026", 0.625, 0.4, "Rp 1.234.567,89"])
    for cell in ("C4", "D4"):
        sheet[cell].number_format = "0.0%"  # Excel keeps 0,625 and shows 62,5%
    book.save(tmp_path / "rekap.xlsx")
    table, batch = _read(tmp_path / "rekap.xlsx")
    assert table.header == ["Kode RUP", "Tanggal", "% Fisik", "% Keuangan", "Nilai Bayar"]
    assert batch.rejected == []
    assert batch.rows[0].data["progres_fisik"] == 62.5 and batch.rows[0].data["progres_keuangan"] == 40
