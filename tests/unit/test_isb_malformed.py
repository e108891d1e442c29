"""Broken input: what is skipped, refused or rejected, and why — good rows are never lost."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from odc_desktop.domain.forms.definition import load_form_set
from odc_desktop.importers.isb import read_isb_files
from odc_desktop.importers.reading import FileRefused, iter_rows

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "isb"
RUP = SAMPLES / "21_1018_RUP-PaketPenyedia-Terumumkan.json"
TENDER = SAMPLES / "47_1013_SPSE-TenderPengumuman.json"


@pytest.fixture(scope="module")
def forms():
    return load_form_set()


def rup_rows() -> list[dict]:
    return json.loads(RUP.read_text(encoding="utf-8"))


def write(path: Path, rows) -> Path:
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


def planning(batch, kode: str) -> dict:
    return next(r for r in batch.rows if r.process_key == f"rup:{kode}" and r.stage == "planning")


# --- files that give nothing ------------------------------------------------------------------
def test_truncated_json_gives_nothing_and_says_why(tmp_path, forms):
    text = RUP.read_text(encoding="utf-8")
    cut = tmp_path / "rup.json"
    cut.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    batch = read_isb_files([cut, SAMPLES / "17_1008_RUP-MasterSatker.json"], forms)
    assert batch.rows == [] and batch.rejected == []
    (problem,) = batch.skipped
    assert problem.refused and problem.finding.code == "not_json"
    assert "terpotong" in problem.message("id") and "cut off" in problem.message("en")
    assert len(batch.opds) == 25  # the other file is read as usual


def test_rows_are_streamed_before_the_damage_is_found(tmp_path):
    text = RUP.read_text(encoding="utf-8")
    cut = tmp_path / "rup.json"
    cut.write_text(text[: len(text) // 2], encoding="utf-8")
    rows = iter_rows(cut)
    assert next(rows)["kd_rup"] == 53605662  # the first row arrives before the file is read whole
    with pytest.raises(FileRefused):
        list(rows)


@pytest.mark.parametrize("content, code, refused", [
    (b"", "file_empty", True),
    (b"   \n", "file_empty", True),
    (b"kd_rup,nama_paket,pagu\n123,Jalan,1000\n", "looks_like_csv", True),
    (b"<html><body>Gateway timeout</body></html>", "not_json", True),
    (b"[{\"kd_rup\": 1,}]", "not_json", True),
    (b"{\"status\": \"ok\"}", "not_a_list", False),
    (b"42", "not_a_list", False),
    (b"[]", "no_rows", False),
    (b"[{\"a\": 1, \"b\": 2}]", "unknown_dataset", False),
])
def test_files_that_are_not_datasets(tmp_path, forms, content, code, refused):
    path = tmp_path / "berkas.json"
    path.write_bytes(content)
    batch = read_isb_files([path], forms)
    assert batch.rows == [] and batch.files == []
    (problem,) = batch.skipped
    assert (problem.finding.code, problem.refused) == (code, refused)
    assert "berkas.json" in problem.message("id") and "berkas.json" in problem.message("en")


def test_a_missing_file_is_refused_with_the_reason(tmp_path, forms):
    batch = read_isb_files([tmp_path / "tidak-ada.json"], forms)
    assert batch.skipped[0].finding.code == "file_unreadable"
    from odc_desktop.messages import text  # the system's reason in the reader's language

    assert text("os.ENOENT", "en") in batch.skipped[0].message("en")
    assert text("os.ENOENT", "id") in batch.skipped[0].message("id")


# --- encodings --------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding, bom", [("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
                                           ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-16-le", b""),
                                           ("utf-16-be", b"")])
def test_utf8_bom_and_utf16_files_read_the_same(tmp_path, forms, encoding, bom):
    path = tmp_path / "rup.json"
    path.write_bytes(bom + RUP.read_text(encoding="utf-8").encode(encoding))
    batch = read_isb_files([path], forms)
    original = read_isb_files([RUP], forms)
    assert batch.skipped == []
    assert [(r.process_key, r.data) for r in batch.rows] == [(r.process_key, r.data) for r in original.rows]


def test_a_latin1_file_is_refused_not_guessed(tmp_path, forms):
    rows = rup_rows()
    rows[3]["nama_paket"] = "Pengadaan Café Kantin"
    path = tmp_path / "rup.json"
    path.write_bytes(json.dumps(rows, ensure_ascii=False).encode("latin-1"))
    batch = read_isb_files([path], forms)
    assert batch.rows == []
    (problem,) = batch.skipped
    assert problem.finding.code == "bad_encoding" and "UTF-8" in problem.message("id")


def test_inaproc_api_pages_with_a_data_list_are_read(tmp_path, forms):
    path = write(tmp_path / "page.json", {"data": rup_rows(), "meta": {"cursor": "abc", "has_more": False}})
    assert len(read_isb_files([path], forms).processes()) == 25


# --- broken rows: the good rows are kept ------------------------------------------------------
def test_rows_without_a_usable_key_are_rejected_and_the_rest_kept(tmp_path, forms):
    rows = rup_rows()
    del rows[1]["kd_rup"]
    rows[2]["kd_rup"] = ["53605662"]
    rows[3]["kd_rup"] = True
    rows[4] = "bukan objek"
    rows[5]["kd_rup"] = ""
    batch = read_isb_files([write(tmp_path / "rup.json", rows)], forms)
    assert [(p.row, p.finding.code) for p in batch.rejected] == [
        (2, "row_missing_key"), (3, "row_bad_key"), (4, "row_bad_key"), (5, "row_not_object"), (6, "row_missing_key")]
    assert len(batch.processes()) == 20
    assert batch.files[0].rows_read == 25 and batch.files[0].rows_kept == 20
    message = batch.rejected[0].message("id")
    assert "Baris 2" in message and "kd_rup" in message
    assert "Row 2" in batch.rejected[0].message("en")


def test_packages_deleted_or_inactive_in_sirup_are_not_imported(tmp_path, forms):
    rows = rup_rows()
    rows[0]["status_delete_rup"] = True
    rows[1]["status_aktif_rup"] = False
    batch = read_isb_files([write(tmp_path / "rup.json", rows)], forms)
    assert [(p.row, p.finding.code) for p in batch.rejected] == [(1, "row_withdrawn"), (2, "row_withdrawn")]
    assert f"rup:{rows[0]['kd_rup']}" not in batch.processes() and len(batch.processes()) == 23
    assert "tidak aktif di SIRUP" in batch.rejected[0].message("id")


def test_values_of_the_wrong_type_are_left_empty_with_a_note(tmp_path, forms):
    rows = rup_rows()
    rows[0]["pagu"] = "banyak sekali"
    rows[0]["tgl_awal_kontrak"] = 20250101
    rows[0]["metode_pengadaan"] = {"nama": "Tender"}
    rows[0]["kd_metode_pengadaan"] = None
    batch = read_isb_files([write(tmp_path / "rup.json", rows)], forms)
    data = planning(batch, "53605662")
    assert "pagu" not in data.data and "rencana_pelaksanaan_mulai" not in data.data
    assert "metode_pemilihan" not in data.data
    assert data.data["volume_pekerjaan"] == "1 Paket"  # the rest of the row is kept
    notes = {n.column: n for n in batch.notes if n.row == 1}
    assert set(notes) >= {"pagu", "tgl_awal_kontrak", "metode_pengadaan"}
    assert "dibiarkan kosong" in notes["pagu"].message("id") and "left empty" in notes["pagu"].message("en")
    assert "jenis data salah" in notes["tgl_awal_kontrak"].message("id")


def test_mixed_date_and_money_formats_in_one_file(tmp_path, forms):
    rows = rup_rows()[:5]
    rows[0]["pagu"], rows[0]["tgl_awal_kontrak"] = "Rp 1.234.567,89", "Aug 13, 2025, 12:00:00AM"
    rows[1]["pagu"], rows[1]["tgl_awal_kontrak"] = "617,4 Jt", "13/08/2025"
    rows[2]["pagu"], rows[2]["tgl_awal_kontrak"] = 1250000.5, "2025-08-13T00:00:00.000000Z"
    rows[3]["pagu"], rows[3]["tgl_awal_kontrak"] = "1.250.000.000", "2025-08-13 09:00:00"
    batch = read_isb_files([write(tmp_path / "rup.json", rows)], forms)
    got = [(planning(batch, str(r["kd_rup"])).data["pagu"],
            planning(batch, str(r["kd_rup"])).data["rencana_pelaksanaan_mulai"]) for r in rows[:4]]
    assert got == [(1234568, "2025-08-13"), (617400000, "2025-08-13"), (1250001, "2025-08-13"),
                   (1250000000, "2025-08-13")]
    assert planning(batch, str(rows[0]["kd_rup"])).raw["pagu"].value == "Rp 1.234.567,89"
    assert {n.finding.code for n in batch.notes if n.column == "pagu"} == {"money_rounded"}


def test_huge_values(tmp_path, forms):
    rows = rup_rows()[:3]
    rows[0]["pagu"] = 10**20
    rows[1]["urarian_pekerjaan"] = "Rehabilitasi jalan desa " * 50000  # 1.2 MB of text
    path = tmp_path / "rup.json"
    text = json.dumps(rows).replace(json.dumps(rows[2]["pagu"]), "1e400", 1)  # beyond any float
    path.write_text(text, encoding="utf-8")
    batch = read_isb_files([path], forms)
    assert "pagu" not in planning(batch, str(rows[0]["kd_rup"])).data
    assert "pagu" not in planning(batch, str(rows[2]["kd_rup"])).data
    text_field = planning(batch, str(rows[1]["kd_rup"])).data["uraian_pekerjaan"]
    assert len(text_field) <= 2000 and text_field.endswith("…")
    codes = sorted((n.row, n.finding.code) for n in batch.notes)
    assert (1, "value_unreadable") in codes and (2, "text_shortened") in codes and (3, "value_unreadable") in codes
    assert "terlalu besar" in next(n for n in batch.notes if n.row == 1).message("id")


# --- joining and the form's checks --------------------------------------------------------------
def test_a_source_value_that_fails_the_forms_rules_is_left_out_and_explained(tmp_path, forms):
    rup = rup_rows()[:1]
    tender = json.loads(TENDER.read_text(encoding="utf-8"))[:1]
    tender[0]["kd_rup"] = str(rup[0]["kd_rup"])
    tender[0]["hps"] = rup[0]["pagu"] + 1000  # HPS above the pagu of the RUP package
    batch = read_isb_files([write(tmp_path / "rup.json", rup), write(tmp_path / "tender.json", tender)], forms)
    row = next(r for r in batch.rows if r.stage == "tender")
    assert "hps" not in row.data and row.raw["hps"].value == rup[0]["pagu"] + 1000
    (note,) = [n for n in row.notes if n.code == "field_dropped"]
    assert "HPS" in note.message("id") and "Pagu" in note.message("id") and "fails" in note.message("en")


def test_only_registrants_with_a_bid_are_bidders_and_the_winner_is_awarded(tmp_path, forms):
    base = {"tahun_anggaran": 2025, "kd_klpd": "D107", "kd_satker": "1", "kd_satker_str": "1.02.0.00.0.00.02.0067",
            "kd_lpse": 93, "kd_tender": 777, "kd_pkt_dce": 1, "pemenang_terverifikasi": 0, "alasan": None}
    rows = [dict(base, kd_peserta=i, kd_penyedia=i, nama_penyedia=f"CV. MAJU {i}",
                 npwp_penyedia=f"01.234.567.8-901.00{i}",
                 npwp_penyedia_16=None, nilai_penawaran=(1000000 + i) if i < 3 else None, nilai_terkoreksi=None,
                 pemenang=1 if i == 1 else 0) for i in range(6)]
    batch = read_isb_files([write(tmp_path / "peserta.json", rows)], forms)
    stages = {r.stage: r.data for r in batch.rows}
    assert stages["tender"]["jumlah_peserta"] == 3
    assert [p["name"] for p in stages["tender"]["peserta"]] == ["CV. MAJU 0", "CV. MAJU 1", "CV. MAJU 2"]
    assert stages["award"]["pemenang"] == {"name": "CV. MAJU 1", "npwp": "0012345678901001"}


@pytest.mark.parametrize("key, dataset", [("kd_tender", "SPSE-JadwalTahapanTender"),
                                          ("kd_nontender", "SPSE-JadwalTahapanNonTender")])
def test_tender_schedule_fills_the_tender_dates(tmp_path, forms, key, dataset):
    steps = [("Pengumuman Pascakualifikasi", "2025-03-01 08:00:00", "2025-03-07 23:59:00"),
             ("Pemberian Penjelasan", "2025-03-04 09:00:00", "2025-03-04 12:00:00"),
             ("Upload Dokumen Penawaran", "2025-03-05 08:00:00", "2025-03-12 10:00:00"),
             ("Penetapan Pemenang", "2025-03-20 08:00:00", "2025-03-20 16:00:00"),
             ("Pengumuman Pemenang", "2025-03-21 08:00:00", "2025-03-21 16:00:00")]
    rows = [{key: 555, "kd_tahapan": i, "nama_tahapan": name, "kd_akt": i, "nama_akt": name,
             "tgl_awal": start, "tgl_akhir": end} for i, (name, start, end) in enumerate(steps)]
    batch = read_isb_files([write(tmp_path / "jadwal.json", rows)], forms)
    assert batch.files[0].dataset == dataset
    stages = {r.stage: r.data for r in batch.rows}
    assert stages["tender"] == {"tanggal_pengumuman": "2025-03-01", "tanggal_penjelasan": "2025-03-04",
                                "batas_penawaran": "2025-03-12"}
    assert stages["award"] == {"tanggal_penetapan": "2025-03-20"}


@pytest.mark.parametrize("sample, renames, dataset", [
    ("32_1082_SPSE-NonTenderEkontrak-4BAPBAST.json", {"kd_nontender": "kd_tender"}, "SPSE-TenderEkontrak-BAPBAST"),
    ("38_1057_SPSE-PencatatanNonTender.json", {"kd_nontender_pct": "kd_swakelola_pct"}, "SPSE-PencatatanSwakelola"),
    ("39_1058_SPSE-PencatatanNonTenderRealisasi.json", {"kd_nontender_pct": "kd_swakelola_pct"},
     "SPSE-PencatatanSwakelolaRealisasi"),
])
def test_datasets_without_a_sample_are_recognised_by_their_columns(tmp_path, forms, sample, renames, dataset):
    rows = [{renames.get(k, k): v for k, v in row.items()}
            for row in json.loads((SAMPLES / sample).read_text(encoding="utf-8"))]
    batch = read_isb_files([write(tmp_path / "x.json", rows)], forms)
    assert batch.files[0].dataset == dataset and batch.rejected == []
    original = read_isb_files([SAMPLES / sample], forms)
    assert [(r.stage, r.data) for r in batch.rows] == [(r.stage, r.data) for r in original.rows]


def test_a_swakelola_pencatatan_joins_its_realisations(tmp_path, forms):
    header = {"kd_swakelola_pct": 9001, "kd_rup": "70000001", "nama_paket": "Rehab saluran desa", "pagu": 50000000,
              "total_realisasi": 30000000, "kd_satker_str": "1.03.0.00.0.00.10.0000", "nama_satker": "DINAS PU SDA",
              "tahun_anggaran": 2025, "uraian_pekerjaan": "<b>Rehab</b> saluran"}
    payments = [{"kd_swakelola_pct": 9001, "jenis_realisasi": "Kwitansi", "no_realisasi": f"K-{i}",
                 "tgl_realisasi": f"2025-0{i}-10T00:00:00.000000Z", "nilai_realisasi": 10000000 + i} for i in (3, 5)]
    batch = read_isb_files([write(tmp_path / "a.json", [header]), write(tmp_path / "b.json", payments)], forms)
    stages = {r.stage: r for r in batch.rows}
    assert {r.process_key for r in batch.rows} == {"rup:70000001"}
    assert stages["planning"].data == {"pagu": 50000000, "uraian_pekerjaan": "Rehab saluran"}
    assert stages["implementation"].data["pembayaran"] == [{"tanggal": "2025-03-10", "nilai": 10000003},
                                                           {"tanggal": "2025-05-10", "nilai": 10000005}]


def test_a_number_too_long_for_the_form_is_left_out_never_cut(tmp_path, forms):
    rows = json.loads((SAMPLES / "44_1073_SPSE-TenderEkontrak-2Kontrak.json").read_text(encoding="utf-8"))[:1]
    rows[0]["no_kontrak"] = "602.1/" + "9" * 150 + "/KTR/2025"
    batch = read_isb_files([write(tmp_path / "kontrak.json", rows)], forms)
    contract = next(r for r in batch.rows if r.stage == "contract")
    assert "nomor_kontrak" not in contract.data and contract.raw["nomor_kontrak"].value == rows[0]["no_kontrak"]
    assert any(n.code == "field_dropped" and "Nomor kontrak" in n.message("id") for n in contract.notes)
    assert contract.data["nilai_kontrak"] == rows[0]["nilai_kontrak"]


def test_the_tender_name_is_left_empty_when_it_equals_the_package_name(forms):
    rows = read_isb_files([TENDER], forms).rows
    tender = next(r for r in rows if r.stage == "tender" and r.process_key == "rup:55965678")
    assert "nama_tender" not in tender.data  # the form: leave empty when equal to the package name
    assert tender.process_fields["title"] == "Penyusunan Materi Teknik RDTR dan KLHS WP Paseh-Cikancung"


def test_rup_locations_win_over_the_tender_location_text(tmp_path, forms):
    tender = json.loads(TENDER.read_text(encoding="utf-8"))[:1]  # kode RUP 55965678
    alone = {r.stage: r.data for r in read_isb_files([write(tmp_path / "t.json", tender)], forms).rows}
    assert alone["planning"]["lokasi_detail"] == "Kecamatan Paseh dan Cikancung - Bandung (Kab.) - Jawa Barat"
    lokasi = json.loads((SAMPLES / "20_1029_RUP-PaketPenyediaLokasi.json").read_text(encoding="utf-8"))[:2]
    for row in lokasi:
        row["kd_rup"] = 55965678
    both = {r.stage: r.data for r in read_isb_files([write(tmp_path / "t.json", tender),
                                                      write(tmp_path / "l.json", lokasi)], forms).rows}
    expected = "; ".join(sorted(f"{r['detail_lokasi']}, {r['kab_kota']}, {r['provinsi']}" for r in lokasi))
    assert both["planning"]["lokasi_detail"] == expected


def test_the_same_contract_number_in_two_offices_stays_two_processes(tmp_path, forms):
    rows = json.loads((SAMPLES / "33_1080_SPSE-NonTenderEkontrak-2Kontrak.json").read_text(encoding="utf-8"))[:3]
    rows[0]["no_kontrak"], rows[1]["no_kontrak"], rows[2]["no_kontrak"] = "01/SPK/2025", "01/SPK/2025", "01 / spk/2025"
    rows[2]["kd_satker_str"] = rows[1]["kd_satker_str"]
    assert rows[0]["kd_satker_str"] != rows[1]["kd_satker_str"]
    batch = read_isb_files([write(tmp_path / "k.json", rows)], forms)
    # rows 2 and 3: one number in one office, so one contract (and one process); row 1 is another office's
    assert len(batch.processes()) == 2


@pytest.mark.parametrize("sample", ["44_1073_SPSE-TenderEkontrak-2Kontrak.json",
                                    "38_1057_SPSE-PencatatanNonTender.json", "47_1013_SPSE-TenderPengumuman.json",
                                    "50_1213_Ecat-PaketEPurchasingV6.json"])
def test_the_rup_package_owns_its_name_and_pagu_whatever_the_order(tmp_path, forms, sample):
    rup = rup_rows()[:1]
    kode, spse_name = str(rup[0]["kd_rup"]), "Nama dari SPSE"
    tender = json.loads(TENDER.read_text(encoding="utf-8"))[:1]
    tender[0].update(kd_rup=kode, nama_paket=spse_name, pagu=1000)
    other = json.loads((SAMPLES / sample).read_text(encoding="utf-8"))[:1]
    other[0].update(nama_paket=spse_name, rup_nama_pkt=spse_name, pagu=1000)
    if "kd_rup" in other[0]:
        other[0]["kd_rup"] = kode
    else:  # e-kontrak rows reach the package through their tender
        other[0]["kd_tender"] = tender[0]["kd_tender"]
    files = [write(tmp_path / "t.json", tender), write(tmp_path / "o.json", other), write(tmp_path / "r.json", rup)]
    for order in (files, files[::-1]):
        rows = read_isb_files(order, forms).processes()[f"rup:{kode}"]
        assert rows[0].process_fields["title"] == rup[0]["nama_paket"]
        assert next(r for r in rows if r.stage == "planning").data["pagu"] == rup[0]["pagu"]


GARBAGE = (None, "", [], {}, True, -1, "???", 1e308, "Rp", "2025-99-99", "<b>", 10**30, 0, "0")


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_garbage_in_any_column_never_breaks_the_import(tmp_path, forms, name):
    """Every column of every row of a sample gets, in turn, a value of a wrong type or format."""
    from odc_desktop.domain.forms.entry_checks import validate_entry

    rows = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    columns = sorted(rows[0])
    for n, row in enumerate(rows):
        for i, column in enumerate(columns):
            if (n + i) % 3 == 0:
                row[column] = GARBAGE[(n * 7 + i) % len(GARBAGE)]
    batch = read_isb_files([write(tmp_path / name, rows)], forms)
    assert batch.skipped == [] and batch.files[0].rows_read == 25
    for key, stage_rows in batch.processes().items():
        datas = {r.stage: r.data for r in stage_rows}
        for r in stage_rows:
            others = {s: d for s, d in datas.items() if s != r.stage}
            problems = validate_entry(forms.for_stage(r.stage), r.data, forms.codelists, others, forms=forms)
            assert [p.code for p in problems if p.code != "required"] == [], (key, r.stage)
    assert batch.rejected or batch.notes  # the garbage was seen
    assert all(p.message("id") and p.message("en") for p in batch.rejected + batch.notes)


def test_an_unreadable_kode_rup_on_a_tender_row_keeps_the_tender(tmp_path, forms):
    rows = json.loads(TENDER.read_text(encoding="utf-8"))[:1]
    rows[0]["kd_rup"] = "RUP ???"
    batch = read_isb_files([write(tmp_path / "t.json", rows)], forms)
    assert batch.rejected == [] and list(batch.processes()) == [f"tender:{rows[0]['kd_tender']}"]
    assert [(n.column, n.finding.code) for n in batch.notes if n.column == "kd_rup"] == [("kd_rup", "value_unreadable")]
