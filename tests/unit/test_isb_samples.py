"""The 22 real ISB sample datasets: recognised by their columns, read, joined into processes.

Expected numbers and values were checked by hand against the raw files in tests/data/isb.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from odc_desktop.domain.forms.definition import load_form_set
from odc_desktop.domain.forms.entry_checks import validate_entry
from odc_desktop.importers.isb import read_isb_files

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "isb"
FILES = sorted(SAMPLES.glob("*.json"))

#: file → (dataset recognised, processes when read alone, stage rows when read alone)
EXPECTED = {
    "17_1008_RUP-MasterSatker.json": ("RUP-MasterSatker", 0, {}),
    "18_1028_RUP-PaketAnggaranPenyedia.json": ("RUP-PaketAnggaran (Penyedia/Swakelola)", 21, {"planning": 21}),
    "19_1033_RUP-PaketAnggaranSwakelola.json": ("RUP-PaketAnggaran (Penyedia/Swakelola)", 25, {"planning": 25}),
    "20_1029_RUP-PaketPenyediaLokasi.json": ("RUP-PaketLokasi (Penyedia/Swakelola)", 25, {"planning": 25}),
    "21_1018_RUP-PaketPenyedia-Terumumkan.json": ("RUP-PaketPenyedia-Terumumkan", 25, {"planning": 25}),
    "23_1030_RUP-PaketSwakelola-Terumumkan.json": ("RUP-PaketSwakelola-Terumumkan", 25, {"planning": 25}),
    "32_1082_SPSE-NonTenderEkontrak-4BAPBAST.json": (
        "SPSE-NonTenderEkontrak-BAPBAST", 24, {"award": 24, "contract": 24, "implementation": 24, "completion": 24}),
    "33_1080_SPSE-NonTenderEkontrak-2Kontrak.json": (
        "SPSE-NonTenderEkontrak-Kontrak", 25, {"award": 25, "contract": 25}),
    "34_1083_SPSE-NonTenderEkontrak-3SPMKSPP.json": (
        "SPSE-NonTenderEkontrak-SPMKSPP", 25, {"award": 25, "contract": 25}),
    "35_1081_SPSE-NonTenderEkontrak-1SPPBJ.json": ("SPSE-NonTenderEkontrak-SPPBJ", 25, {"award": 25}),
    "36_1016_SPSE-NonTenderPengumuman.json": ("SPSE-NonTenderPengumuman", 25, {"planning": 25, "tender": 25}),
    "37_1017_SPSE-NonTenderSelesai.json": (
        "SPSE-NonTenderSelesai", 25, {"planning": 25, "tender": 25, "award": 25, "contract": 15}),
    "38_1057_SPSE-PencatatanNonTender.json": ("SPSE-PencatatanNonTender", 24, {"planning": 24}),
    "39_1058_SPSE-PencatatanNonTenderRealisasi.json": ("SPSE-PencatatanNonTenderRealisasi", 20, {"implementation": 20}),
    # 25 registrants of 16 tenders, none with a bid: no bidders, so nothing to fill in.
    "42_1070_SPSE-PesertaTender.json": ("SPSE-PesertaTender", 0, {}),
    "44_1073_SPSE-TenderEkontrak-2Kontrak.json": ("SPSE-TenderEkontrak-Kontrak", 25, {"award": 25, "contract": 25}),
    "45_1077_SPSE-TenderEkontrak-3SPMKSPP.json": ("SPSE-TenderEkontrak-SPMKSPP", 25, {"award": 25, "contract": 25}),
    "46_1075_SPSE-TenderEkontrak-1SPPBJ.json": ("SPSE-TenderEkontrak-SPPBJ", 25, {"award": 25}),
    # kode RUP 60477005 was tendered twice (two kd_tender): one process
    "47_1013_SPSE-TenderPengumuman.json": ("SPSE-TenderPengumuman", 24, {"planning": 24, "tender": 24}),
    "48_1014_SPSE-TenderSelesai.json": ("SPSE-TenderSelesai", 25, {"planning": 25, "tender": 25, "award": 25}),
    "49_1015_SPSE-TenderSelesaiNilai.json": (
        "SPSE-TenderSelesaiNilai", 25, {"planning": 25, "tender": 25, "award": 25, "contract": 23}),
    "50_1213_Ecat-PaketEPurchasingV6.json": ("Ecat-PaketEPurchasing", 25, {"planning": 25, "contract": 25}),
}


def _result(batch) -> list[tuple]:
    """What a batch would store, independent of the order of its rows."""
    return sorted((r.process_key, r.stage, json.dumps(r.data, sort_keys=True),
                   json.dumps(r.process_fields, sort_keys=True)) for r in batch.rows)


@pytest.fixture(scope="module")
def forms():
    return load_form_set()


@pytest.fixture(scope="module")
def batch(forms):
    return read_isb_files(FILES, forms)


def test_all_22_sample_datasets_are_here():
    assert sorted(p.name for p in FILES) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_dataset_is_recognised_by_its_columns_and_read(name, tmp_path, forms):
    neutral = tmp_path / "unduhan.json"  # the file name says nothing
    shutil.copyfile(SAMPLES / name, neutral)
    batch = read_isb_files([neutral], forms)
    dataset, processes, stages = EXPECTED[name]
    assert [(f.dataset, f.rows_read, f.rows_kept) for f in batch.files] == [(dataset, 25, 25)]
    assert batch.skipped == [] and batch.rejected == []
    assert len(batch.processes()) == processes
    assert dict(Counter(r.stage for r in batch.rows)) == stages


def test_all_files_together_join_into_processes(batch):
    processes = batch.processes()
    assert len(processes) == 349
    kinds = Counter(key.split(":")[0] for key in processes)
    assert kinds == {"rup": 240, "nontender": 91, "tender": 15, "pencatatan": 3}
    assert len(batch.opds) == 25
    # A tender joined to its RUP package through kd_rup, and its e-kontrak through kd_tender.
    stages = {r.stage: r for r in processes["rup:53613698"]}
    assert set(stages) == {"planning", "tender", "award", "contract"}
    assert {s.dataset for s in stages["contract"].source} == {"SPSE-TenderEkontrak-Kontrak",
                                                              "SPSE-TenderEkontrak-SPMKSPP"}


def test_rup_package_values(batch):
    (planning,) = batch.processes()["rup:53605662"]
    assert planning.process_fields == {
        "title": "Belanja Jasa Pelatihan Kursus Singkat/Pelatihan Barista (PKS) Epokir",
        "opd_code": "2.07.3.32.0.00.09.0000", "opd_name": "DINAS KETENAGAKERJAAN", "year": 2025,
        "kode_rup": "53605662", "kode_rup_lain": []}
    data = planning.data
    assert data["pagu"] == 79691100
    assert (data["metode_pemilihan"], data["jenis_pengadaan"]) == ("pengadaan_langsung", "jasa_lainnya")
    assert data["volume_pekerjaan"] == "1 Paket"
    # SIRUP gives months: "2025-01-01" as an end month is the last day of January (SOP 2.5)
    assert data["rencana_pelaksanaan_selesai"] == "2025-01-31"
    assert planning.raw["rencana_pelaksanaan_selesai"].value == "2025-01-01"
    assert planning.raw["pagu"].column == "pagu"
    assert planning.source[0].dataset == "RUP-PaketPenyedia-Terumumkan"
    assert planning.source[0].row_key == "kd_rup=53605662"


def test_budget_lines_with_sumber_dana_and_mak(batch):
    lines = [r for r in batch.processes()["rup:53892918"] if r.stage == "planning"][0].data["rincian_anggaran"]
    assert lines == [{"sumber_dana": "apbd", "mak": "3.30.05.2.01.0002.5.1.02.02.01.0047.", "nilai": 38500000}]


def test_tender_values_money_with_cents_and_status(batch):
    stages = {r.stage: r for r in batch.processes()["rup:55965678"]}
    tender = stages["tender"]
    assert tender.data["hps"] == 999995335  # 999995334.78 rounded half up
    assert str(tender.raw["hps"].value) == "999995334.78"
    assert tender.data["kode_tender"] == "10011868000"
    assert tender.data["metode_kualifikasi"] == "pra_dua_file"
    assert tender.data["tanggal_pengumuman"] == "2025-02-11"
    assert stages["planning"].data["jenis_pengadaan"] == "jasa_konsultansi_non_konstruksi"
    assert stages["contract"].data["nilai_kontrak"] == 921692940
    assert stages["award"].data["pemenang"]["name"] == "PT. ALMA REKA GRAHA"


def test_spmk_dates_in_us_text_format_set_the_contract_period(batch):
    contract = [r for r in batch.processes()["tender:10029555000"] if r.stage == "contract"][0]
    assert (contract.data["mulai_kontrak"], contract.data["selesai_kontrak"]) == ("2025-08-13", "2025-11-10")
    assert contract.raw["mulai_kontrak"].value == "Aug 13, 2025, 12:00:00AM"
    assert contract.data["jenis_kontrak"] == "gabungan"


def test_consolidated_pencatatan_with_realisations(batch):
    stages = {r.stage: r for r in batch.processes()["rup:60832782"]}
    assert stages["planning"].process_fields["kode_rup_lain"] == ["45828523"]
    # HTML stripped; the four realisation rows list two payments once per kode RUP
    assert stages["planning"].data["uraian_pekerjaan"] == ("Belanja Alat Bahan untuk Kegiatan Kantor- Bahan Komputer "
                                                           "pada Kegiatan Evaluasi Pelaksanaan Kerja Sama TA. 2024")
    assert stages["implementation"].data["pembayaran"] == [{"tanggal": "2024-04-16", "nilai": 551000},
                                                           {"tanggal": "2024-08-19", "nilai": 298400}]


def test_bast_fills_completion_and_payment(batch):
    stages = {r.stage: r for r in batch.processes()["nontender:10074293000"]}
    assert stages["completion"].data == {"jenis_serah_terima": "bast",
                                         "nomor_bast": "027 / 07 / BA- STHP / SEKRE.DISNAKER / 2025",
                                         "tanggal_serah_terima": "2025-03-17"}
    assert stages["implementation"].data == {"progres_fisik": 100,
                                             "pembayaran": [{"tanggal": "2025-03-17", "nilai": 29512500}]}
    assert stages["contract"].data["cara_pembayaran"] == "sekaligus"


def test_personal_data_never_reaches_form_fields(batch):
    """NIP, bank accounts and individuals' NPWP stay out; a company's NPWP is kept."""
    personal: set[str] = set()
    for path in FILES:
        for row in json.loads(path.read_text(encoding="utf-8")):
            for key, value in row.items():
                if value and (key.startswith(("nip", "no_rek", "nama_rek", "nama_pemilik", "username"))
                              or key in ("nama_ppk", "wakil_sah_penyedia")):
                    personal.update(str(value).split(";"))
    published = json.dumps([(r.data, r.process_fields) for r in batch.rows], ensure_ascii=False)
    kept = json.dumps([dataclasses.asdict(r) for r in batch.rows], ensure_ascii=False)  # raw values and sources too
    personal = {p for p in personal if len(p) >= 5}  # not "8" or "961": those occur in any text
    assert len(personal) > 100 and not [p for p in personal if p in published or p in kept]
    by_name = {r.data["pemenang"]["name"]: r.data["pemenang"] for r in batch.rows if "pemenang" in r.data}
    assert by_name["MOCH AKMAL PAOJAN"] == {"name": "MOCH AKMAL PAOJAN"}  # an individual: no NPWP
    assert "8249767422626474" not in published and "0488282729656038" not in published  # that person's NPWP
    assert by_name["PT. GIS SAINS ENGINEERING"]["npwp"] == "4121896395743078"


def test_imported_stage_data_passes_the_forms_entry_checks_except_missing_fields(batch, forms):
    not_missing = []
    for rows in batch.processes().values():
        datas = {r.stage: r.data for r in rows}
        for r in rows:
            others = {s: d for s, d in datas.items() if s != r.stage}
            problems = validate_entry(forms.for_stage(r.stage), r.data, forms.codelists, others, forms=forms)
            not_missing += [(r.process_key, r.stage, p.path, p.code) for p in problems if p.code != "required"]
    assert not_missing == []


def test_reading_the_same_files_twice_adds_nothing(forms):
    once = read_isb_files(FILES, forms)
    twice = read_isb_files(FILES + FILES, forms)
    assert [(r.process_key, r.stage, r.data) for r in twice.rows] == \
        [(r.process_key, r.stage, r.data) for r in once.rows]


def test_the_batch_is_json_ready_for_the_workflow_and_the_cli(batch):
    rows = json.loads(json.dumps([dataclasses.asdict(r) for r in batch.rows]))
    assert rows[0]["source"][0]["system"] == "ISB/Inaproc"
    summary = json.loads(json.dumps(batch.summary("en")))
    assert (summary["processes"], summary["stage_rows"], summary["opds"]) == (349, 747, 25)
    assert summary["skipped"] == [] and summary["rejected"] == []
    assert {n["code"] for n in summary["notes"]} == {"value_unreadable", "money_rounded"}
    assert any("could mean more than one" in n["reason"] for n in summary["notes"])


def test_a_re_tender_replaces_the_failed_tender_whatever_the_order(tmp_path, forms):
    """Kode RUP 60477005 was tendered as 10086224000 (versi 1, Gagal/Batal) and again as 10088019000."""
    rows = json.loads((SAMPLES / "47_1013_SPSE-TenderPengumuman.json").read_text(encoding="utf-8"))
    for order in (rows, rows[::-1]):
        path = tmp_path / "tender.json"
        path.write_text(json.dumps(order), encoding="utf-8")
        (tender,) = [r for r in read_isb_files([path], forms).rows
                     if r.process_key == "rup:60477005" and r.stage == "tender"]
        assert tender.data["kode_tender"] == "10088019000" and tender.data["status_tender"] == "berlangsung"
        assert tender.process_fields["kode_tender"] == "10088019000"
        assert [n.code for n in tender.notes] == ["superseded_selection"]
        assert "10086224000" in tender.notes[0].message("en")


def test_the_order_of_the_files_does_not_change_the_result(batch, forms):
    backwards = read_isb_files(FILES[::-1], forms)
    assert _result(backwards) == _result(batch)


def test_a_download_listing_the_rows_in_another_order_reads_the_same(batch, forms, tmp_path):
    shuffled = []
    for path in FILES:
        rows = json.loads(path.read_text(encoding="utf-8"))
        copy = tmp_path / path.name
        copy.write_text(json.dumps(rows[1::2] + rows[::2][::-1]), encoding="utf-8")
        shuffled.append(copy)
    again = read_isb_files(shuffled, forms)
    assert _result(again) == _result(batch)
