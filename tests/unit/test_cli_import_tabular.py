"""``odc import`` on CSV/XLSX files as a real subprocess: column mappings (saved by the wizard, or
``--mapping``), OPD names mapped to codes, progress-report photos attached once, broken files."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from PIL import Image

from odc_desktop.domain.statuses import Stage
from odc_desktop.importers.tabular_fields import Mapping
from odc_desktop.importers.tabular_store import MappingStore
from odc_desktop.storage.common import ocid_for_kode_rup
from odc_desktop.storage.sql import SqlRepository
from tests.odc_cli import odc

DPA_HEADER = ["Kode RUP", "Uraian", "Nilai", "Sumber dana", "Nama OPD", "Tahun"]
PROGRESS_HEADER = ["Kode RUP", "Tanggal laporan", "% fisik", "% keuangan", "Nilai bayar", "Keterangan", "Foto"]


def run(data_dir: Path, *args: str) -> tuple[int, dict]:
    done = odc("--data-dir", str(data_dir), "import", *args, "--json")
    assert done.stderr == "" or done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def _xlsx(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _csv(path: Path, rows: list[list]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    return path


def _photo(path: Path, colour: tuple[int, int, int]) -> Path:
    Image.new("RGB", (64, 48), colour).save(path)  # the format follows the name: JPEG or PNG
    return path


@pytest.fixture
def dpa(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    return _xlsx(folder / "dpa.xlsx", [
        ["DPA SKPD 2026"], DPA_HEADER,
        ["41000001", "Rehabilitasi gedung SD Negeri 1", "Rp 150.000.000", "APBD", "DINAS PENDIDIKAN KAB. BOJONEGORO", 2026],
        ["41000002", "Pengadaan obat puskesmas", 50_000_000, "APBD", "Dinkes", 2026],
        ["41000003", "Perbaikan ruang kelas", "Rp 75.000.000", "APBD", "Disdik", 2026],
        ["41000004", "Jalan desa", "Rp 50.000.000", "APBD", "Dinas Pendidkan", 2026],
    ])


def _opds(data_dir: Path) -> dict[str, tuple[str, str]]:
    conn = sqlite3.connect(data_dir / "odc.sqlite3")
    try:
        return {kode: (code, name) for kode, code, name in
                conn.execute("SELECT kode_rup, opd_code, opd_name FROM processes")}
    finally:
        conn.close()


def test_a_table_without_a_mapping_is_skipped_saying_how_to_make_one(tmp_path, dpa):
    code, out = run(tmp_path / "data", str(dpa))
    assert code == 1 and out["created"]["processes"] == 0
    (skipped,) = out["skipped"]
    assert skipped["code"] == "tabular.no_mapping" and not skipped["refused"]
    assert "Impor data" in skipped["reason"] and "--mapping dpa" in skipped["reason"]
    _, english = run(tmp_path / "data", str(dpa), "--lang", "en")
    assert "Import data" in english["skipped"][0]["reason"]


def test_opd_names_become_codes_and_an_unknown_name_is_rejected_with_the_closest_names(tmp_path, dpa):
    data_dir = tmp_path / "data"
    code, out = run(data_dir, str(dpa), "--mapping", "dpa")
    assert code == 0 and out["created"] == {"processes": 3, "entries": 3}
    (rejected,) = out["rejected"]
    assert (rejected["row"], rejected["code"]) == (6, "tabular.opd_unknown")
    assert "Dinas Pendidkan" in rejected["reason"] and "Dinas Pendidikan" in rejected["reason"]
    opds = _opds(data_dir)
    education = ("1.01.0.00.0.00.04.0000", "Dinas Pendidikan")
    assert opds == {"41000001": education, "41000002": ("1.02.0.00.0.00.05.0000", "Dinas Kesehatan"),
                    "41000003": education}
    # the mapping was saved for this header: the next run needs no --mapping and changes nothing
    code, again = run(data_dir, str(dpa))
    assert code == 0 and again["created"]["processes"] == 0 and again["unchanged"] == 3


def test_a_mapping_saved_by_the_wizard_is_used_and_a_mapping_file_names_columns(tmp_path, dpa):
    data_dir = tmp_path / "data"
    # what the wizard saves when the operator confirms a mapping (the same store, the same folder)
    MappingStore(data_dir).put(DPA_HEADER, Mapping("dpa", {"kode_rup": 0, "uraian": 1, "nilai": 2, "nama_opd": 4,
                                                           "tahun": 5}))
    code, out = run(data_dir, str(dpa))
    assert code == 0 and out["created"]["processes"] == 3
    renamed = _csv(tmp_path / "in" / "sipd.csv", [["Paket", "Anggaran (Rp)", "Perangkat", "TA", "RUP"],
                                                  ["Pagar kantor", "Rp 20.000.000", "Dinas Sosial", "2026", "41000009"]])
    mapping = tmp_path / "sipd-mapping.json"
    mapping.write_text(json.dumps({"kind": "dpa", "columns": {"uraian": "Paket", "nilai": "anggaran (rp)",
                                                              "nama_opd": "Perangkat", "tahun": "TA",
                                                              "kode_rup": 4}}), encoding="utf-8")
    code, out = run(data_dir, str(renamed), "--mapping", str(mapping))
    assert code == 0 and out["created"]["processes"] == 1, out
    assert _opds(data_dir)["41000009"] == ("1.06.0.00.0.00.15.0000", "Dinas Sosial")


def test_a_mapping_that_does_not_fit_and_broken_tables_import_nothing_and_say_why(tmp_path, dpa):
    data_dir = tmp_path / "data"
    bad_mapping = tmp_path / "bad.json"
    bad_mapping.write_text("[1, 2", encoding="utf-8")
    code, out = run(data_dir, str(dpa), "--mapping", "musrenbang")
    assert code == 1 and out["skipped"][0]["code"] == "tabular.mapping_unfit"
    code, out = run(data_dir, str(dpa), "--mapping", str(bad_mapping))
    assert code == 1 and out["skipped"][0]["code"] == "tabular.mapping_file_bad"
    folder = tmp_path / "in"
    (folder / "cut.xlsx").write_bytes(dpa.read_bytes()[:2000])
    (folder / "binary.csv").write_bytes(bytes(range(256)) * 8)
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(600))
    code, out = run(data_dir, *(str(folder / n) for n in ("cut.xlsx", "binary.csv", "old.xls")), "--mapping", "dpa")
    assert code == 1
    assert {s["file"]: s["code"] for s in out["skipped"]} == {
        "cut.xlsx": "tabular.xlsx_broken", "binary.csv": "tabular.not_a_table", "old.xls": "tabular.old_excel"}
    assert all(s["refused"] for s in out["skipped"])
    assert not (data_dir / "odc.sqlite3").exists() or _opds(data_dir) == {}


def _attachments(data_dir: Path, kode: str) -> list[tuple[str, str, str]]:
    repo = SqlRepository.open(data_dir)
    try:
        prefix = repo.get_process(1).ocid.rsplit("-", 1)[0]
        process = repo.find_process_by_ocid(ocid_for_kode_rup(prefix, kode))
        entry = repo.current_entry(process.id, Stage.IMPLEMENTATION)
        assert repo.verify_audit_chain().ok
        return [(a.filename, a.document_type, a.mime) for a in repo.list_attachments(entry.id)]
    finally:
        repo.close()


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_progress_photos_are_attached_once_and_bad_photos_reject_their_row(tmp_path, dpa, kind):
    data_dir = tmp_path / "data"
    assert run(data_dir, str(dpa), "--mapping", "dpa")[0] == 0
    folder = tmp_path / "in"
    (folder / "foto").mkdir()
    _photo(folder / "foto" / "minggu1.jpg", (200, 30, 30))
    _photo(folder / "foto" / "minggu2.png", (30, 200, 30))
    (folder / "foto" / "scan.jpg").write_bytes(b"%PDF-1.4 not a photo")
    rows = [PROGRESS_HEADER,
            ["41000001", "17/08/2026", "25", "10", "Rp 15.000.000", "Pondasi", "foto/minggu1.jpg; foto/minggu2.png"],
            ["41000001", "24/08/2026", "40", "10", "", "Dinding", "foto/minggu1.jpg"],  # the same photo again
            ["41000002", "24/08/2026", "40", "10", "", "Obat datang", "foto/hilang.jpg"],
            ["41000003", "24/08/2026", "40", "10", "", "Atap", "foto/scan.jpg"],
            ["41000003", "25/08/2026", "45", "10", "", "Atap", "foto/minggu1.txt"]]
    report = _xlsx(folder / "progres.xlsx", rows) if kind == "xlsx" else _csv(folder / "progres.csv", rows)
    shown = odc("--data-dir", str(data_dir), "import", str(report), "--mapping", "progres", "--lang", "en")
    assert shown.returncode == 0 and "2 photos attached" in shown.stdout, shown.stdout
    assert "1 new stage entries" in shown.stdout and "3 rows rejected" in shown.stdout, shown.stdout
    # the same report again (its mapping now saved): nothing changes, no photo twice, same problems
    code, out = run(data_dir, str(report))
    assert code == 0 and out["changed"] == 0 and out["unchanged"] == 1, out
    assert out["documents"] == 0
    assert [(r["row"], r["code"]) for r in out["rejected"]] == [
        (4, "tabular.photo_missing"), (5, "tabular.photo_not_image"), (6, "tabular.photo_not_image")]
    assert "foto/hilang.jpg" in out["rejected"][0]["reason"]
    assert _attachments(data_dir, "41000001") == [("minggu1.jpg", "foto_lapangan", "image/jpeg"),
                                                  ("minggu2.png", "foto_lapangan", "image/png")]
    # a new photo for the same report row: the entry changes by that photo only
    _photo(folder / "foto" / "minggu3.jpg", (30, 30, 200))
    rows[2][-1] = "foto/minggu1.jpg;foto/minggu3.jpg"
    report = _xlsx(report, rows) if kind == "xlsx" else _csv(report, rows)
    code, third = run(data_dir, str(report))
    assert (third["changed"], third["documents"]) == (1, 1)
    assert [a[0] for a in _attachments(data_dir, "41000001")] == ["minggu1.jpg", "minggu2.png", "minggu3.jpg"]


def test_the_progress_bar_shows_on_a_terminal_only(tmp_path, dpa):
    """Piped (as here), stderr stays clean: the summary is the only output."""
    done = odc("--data-dir", str(tmp_path / "data"), "import", str(dpa), "--mapping", "dpa")
    assert done.returncode == 0 and done.stderr == ""
    assert "3 paket baru" in done.stdout
    rejected = [line for line in done.stdout.splitlines() if line.startswith("Baris ditolak")]
    assert rejected and all(line.lower().count("baris 6") == 1 for line in rejected), rejected  # said once


def test_the_export_of_imported_tables_with_photos_validates(tmp_path, dpa):
    from tests.conformance.official import official_package_validator, require_official_files

    data_dir = tmp_path / "data"
    assert run(data_dir, str(dpa), "--mapping", "dpa")[0] == 0
    _photo(tmp_path / "in" / "lokasi.jpg", (120, 120, 120))
    report = _csv(tmp_path / "in" / "progres.csv", [PROGRESS_HEADER, ["41000001", "17/08/2026", "25", "10",
                                                                      "Rp 15.000.000", "Pondasi", "lokasi.jpg"]])
    assert run(data_dir, str(report), "--mapping", "progres")[1]["documents"] == 1
    out = tmp_path / "export.json"
    exported = odc("--data-dir", str(data_dir), "export", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    package = json.loads(out.read_text(encoding="utf-8"))
    photos = [d for r in package["releases"] for c in r.get("contracts", [])
              for d in c.get("implementation", {}).get("documents", [])]
    assert [d["documentType"] for d in photos] == ["illustration"]
    require_official_files()
    assert [e.message for e in official_package_validator().iter_errors(package)] == []


def test_a_rejected_row_is_named_once_whatever_its_reason_says():
    from odc_desktop.cli_import import _rejected_line

    def line(reason: str, lang: str = "id") -> str:
        return _rejected_line({"file": "a.csv", "row": 6, "reason": reason}, lang)

    assert line("Baris 6: kolom 'Pagu' kosong.") == "Baris ditolak: a.csv: Baris 6: kolom 'Pagu' kosong."
    assert line("Baris 6, kolom 'Pagu': bukan angka.") == "Baris ditolak: a.csv: Baris 6, kolom 'Pagu': bukan angka."
    # a reason without its row (the workflow's), or naming another row, gets the row in front
    assert line("Data tidak valid.") == "Baris ditolak: a.csv baris 6: Data tidak valid."
    assert line("Baris 61: kosong.") == "Baris ditolak: a.csv baris 6: Baris 61: kosong."
    assert line("Row 6: empty.", "en") == "Row rejected: a.csv: Row 6: empty."
