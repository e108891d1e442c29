"""The shipped forms and codelists, and the strict loader that guards them."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from odc_desktop.datadir import form_checks_cache as checks_cache_path
from odc_desktop.domain.forms.definition import (
    FormError, clear_form_set_cache, form_hash, forms_dir, load_codelist, load_form, load_form_set,
    migrate_draft,
)
from odc_desktop.domain.statuses import STAGE_ORDER, EntryStatus
from tests.conftest import official_ocds_dir

# docs/architecture.md "The six forms": stage -> {field id: (widget, path, required)}.
EXPECTED_FIELDS: dict[str, dict[str, tuple[str, str, bool]]] = {
    "planning": {
        "pagu": ("money", "planning/budget/amount/amount", True),
        "rincian_anggaran": ("group", "planning/budget/budgetBreakdown", False),
        "jenis_pengadaan": ("select", "tender/mainProcurementCategory", True),
        "metode_pemilihan": ("select", "tender/procurementMethod", True),
        "uraian_pekerjaan": ("textarea", "tender/description", True),
        "volume_pekerjaan": ("text", "tender/items/0/description", False),
        "lokasi_detail": ("text", "tender/items/0/deliveryLocation/description", False),
        "rencana_pemilihan_mulai": ("date", "tender/tenderPeriod/startDate", False),
        "rencana_pemilihan_selesai": ("date", "tender/tenderPeriod/endDate", False),
        "rencana_pelaksanaan_mulai": ("date", "tender/contractPeriod/startDate", True),
        "rencana_pelaksanaan_selesai": ("date", "tender/contractPeriod/endDate", True),
        "alasan_kebutuhan": ("textarea", "planning/rationale", False),
    },
    "tender": {
        "kode_tender": ("text", "tender/x_kodeTender", True),
        "nama_tender": ("text", "tender/title", False),
        "hps": ("money", "tender/value/amount", True),
        "metode_evaluasi": ("select", "tender/awardCriteria", False),
        "metode_kualifikasi": ("select", "tender/x_metodeKualifikasi", False),
        "tanggal_pengumuman": ("date", "tender/tenderPeriod/startDate", True),
        "batas_penawaran": ("date", "tender/tenderPeriod/endDate", True),
        "tanggal_penjelasan": ("date", "tender/enquiryPeriod/startDate", False),
        "jumlah_peserta": ("number", "tender/numberOfTenderers", False),
        "peserta": ("organization", "tender/tenderers", False),
        "status_tender": ("select", "tender/status", True),
    },
    "award": {
        "pemenang": ("organization", "awards/0/suppliers", True),
        "nilai_penetapan": ("money", "awards/0/value/amount", True),
        "tanggal_penetapan": ("date", "awards/0/date", True),
        "nomor_sppbj": ("text", "awards/0/x_nomorSPPBJ", False),
        "alasan_pemilihan": ("textarea", "awards/0/description", True),
    },
    "contract": {
        "nomor_kontrak": ("text", "contracts/0/x_nomorKontrak", True),
        "judul_kontrak": ("text", "contracts/0/title", False),
        "nilai_kontrak": ("money", "contracts/0/value/amount", True),
        "tanggal_tanda_tangan": ("date", "contracts/0/dateSigned", True),
        "mulai_kontrak": ("date", "contracts/0/period/startDate", True),
        "selesai_kontrak": ("date", "contracts/0/period/endDate", True),
        "jenis_kontrak": ("select", "contracts/0/x_jenisKontrak", True),
        "cara_pembayaran": ("select", "contracts/0/x_caraPembayaran", False),
        "adendum": ("group", "contracts/0/amendments", False),
    },
    "implementation": {
        "progres_fisik": ("percent", "contracts/0/implementation/x_progresFisik", True),
        "progres_keuangan": ("percent", "contracts/0/implementation/x_progresKeuangan", False),
        "pembayaran": ("group", "contracts/0/implementation/transactions", False),
        "tahapan": ("group", "contracts/0/implementation/milestones", False),
    },
    "completion": {
        "jenis_serah_terima": ("select", "contracts/0/implementation/x_jenisSerahTerima", True),
        "nomor_bast": ("text", "contracts/0/implementation/x_nomorBAST", True),
        "tanggal_serah_terima": ("date", "contracts/0/implementation/endDate", True),
        "nilai_akhir": ("money", "contracts/0/implementation/finalValue/amount", True),
        "alasan_perbedaan": ("textarea", "contracts/0/implementation/finalValueDetails", False),
    },
}
EXPECTED_DOCUMENTS = {
    "planning": {"dpa": True, "kak": True, "rup": False},
    "tender": {"dokumen_pemilihan": True, "pengumuman_tender": True, "hps": False},
    "award": {"sppbj": True, "ba_hasil_pemilihan": True},
    "contract": {"kontrak_ditandatangani": True, "jaminan_pelaksanaan": False, "spmk": False},
    "implementation": {"laporan_progres": True, "foto_lapangan": False},
    "completion": {"bast": True, "foto_serah_terima": False},
}
RELEASE_TAGS = {"planning": "planning", "tender": "tender", "award": "award", "contract": "contract",
                "implementation": "implementation", "completion": "contractTermination"}


@pytest.fixture
def forms_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped forms folder."""
    folder = tmp_path / "forms"
    shutil.copytree(forms_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Load a YAML file, let ``change`` modify it, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def fields_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for s in data["sections"] for f in s["fields"]]


# --- the shipped files -------------------------------------------------------------------------

def test_every_shipped_form_and_codelist_loads() -> None:
    forms = load_form_set(forms_dir())
    assert list(forms.forms) == [s.value for s in STAGE_ORDER]
    for path in sorted((forms_dir() / "codelists").glob("*.yaml")):
        assert load_codelist(path).id == path.stem
    assert set(forms.codelists) >= {
        "sumber_dana", "jenis_pengadaan", "metode_pemilihan", "metode_evaluasi", "metode_kualifikasi",
        "status_tender", "jenis_kontrak", "cara_pembayaran", "status_milestone", "jenis_serah_terima",
        "jenis_dokumen", "status_entri", "opd", "kecamatan"}


@pytest.mark.parametrize("stage", list(EXPECTED_FIELDS))
def test_form_matches_the_architecture_table(stage: str) -> None:
    form = load_form_set().forms[stage]
    got = {f.id: (f.widget, f.path, f.required) for f in form.all_fields()}
    assert got == EXPECTED_FIELDS[stage]
    assert {d.type for d in form.documents if d.required} == {
        t for t, required in EXPECTED_DOCUMENTS[stage].items() if required}
    for doc_type, required in EXPECTED_DOCUMENTS[stage].items():
        assert any(d.type == doc_type and d.required == required for d in form.documents), doc_type
    assert form.release_tag == RELEASE_TAGS[stage]
    assert 2 <= len(form.sections) <= 4


def test_every_field_has_bilingual_label_help_and_sop_step() -> None:
    for form in load_form_set().forms.values():
        for field in form.all_fields():
            for f in (field, *field.fields):
                assert f.label["id"] and f.label["en"], f.id
                assert len(f.help.get("id", "")) > 20 and len(f.help.get("en", "")) > 20, f.id
                assert f.sop_step.startswith("SOP "), f.id


def test_group_children_and_constants_follow_the_table() -> None:
    forms = load_form_set().forms
    children = {f.id: {c.id: (c.widget, c.path) for c in f.fields}
                for form in forms.values() for f in form.all_fields() if f.widget == "group"}
    assert children["rincian_anggaran"] == {"sumber_dana": ("select", "x_sumberDana"),
                                            "mak": ("text", "x_kodeRekening"),
                                            "nilai": ("money", "amount/amount")}
    assert children["pembayaran"] == {"tanggal": ("date", "date"), "nilai": ("money", "value/amount"),
                                      "nomor_sp2d": ("text", "x_nomorSP2D")}
    assert children["tahapan"]["status"] == ("select", "status")
    assert children["adendum"] == {"tanggal": ("date", "date"), "alasan": ("textarea", "rationale"),
                                   "uraian": ("textarea", "description")}
    assert forms["implementation"].field("pembayaran").item_constants == {"payer": "{buyer}",
                                                                           "payee": "{supplier}"}
    assert forms["planning"].constants == {"tender/status": "planned"}
    assert forms["award"].constants == {"awards/0/id": "{award_id}", "awards/0/status": "active"}
    assert forms["completion"].constants["contracts/0/status"] == "terminated"
    assert forms["planning"].field("metode_pemilihan").details_path == "tender/procurementMethodDetails"


def _ocds_codes(name: str) -> set[str]:
    path = official_ocds_dir() / "schema-1.1.5" / "codelists" / f"{name}.csv"
    with path.open(encoding="utf-8") as fh:
        return {row["Code"] for row in csv.DictReader(fh)}


@pytest.mark.parametrize("codelist,ocds", [
    ("metode_pemilihan", "method"), ("jenis_pengadaan", "procurementCategory"),
    ("status_tender", "tenderStatus"), ("metode_evaluasi", "awardCriteria"),
    ("status_milestone", "milestoneStatus"), ("jenis_dokumen", "documentType"),
])
def test_codelist_ocds_mappings_are_official_codes(codelist: str, ocds: str) -> None:
    items = load_form_set().codelists[codelist].items
    assert items and all(item.ocds in _ocds_codes(ocds) for item in items), codelist


def test_consulting_services_also_write_the_additional_category() -> None:
    jenis = load_form_set().codelists["jenis_pengadaan"]
    extra = _ocds_codes("extendedProcurementCategory")
    consulting = [i for i in jenis.items if "konsultansi" in i.code]
    assert consulting and all(i.also == {"tender/additionalProcurementCategories": ["consultingServices"]}
                              for i in consulting)
    assert "consultingServices" in extra


def test_reference_codelists_have_the_expected_content() -> None:
    codelists = load_form_set().codelists
    assert {"dpa", "kak", "rup", "dokumen_pemilihan", "pengumuman_tender", "hps", "sppbj",
            "ba_hasil_pemilihan", "kontrak_ditandatangani", "jaminan_pelaksanaan", "spmk",
            "laporan_progres", "foto_lapangan", "bast", "foto_serah_terima", "adendum",
            "lainnya"} <= set(codelists["jenis_dokumen"].codes())
    kecamatan = {i.label["id"] for i in codelists["kecamatan"].items}
    assert len(kecamatan) == 28 and {"Margomulyo", "Gayam", "Kedewan", "Bojonegoro"} <= kecamatan
    assert 30 <= len(codelists["opd"].items) <= 40
    assert "sementara" in codelists["opd"].title["id"]
    entri = codelists["status_entri"]
    assert {s.value: s.title("id") for s in EntryStatus} == {i.code: i.label["id"] for i in entri.items}
    assert {s.value: s.title("en") for s in EntryStatus} == {i.code: i.label["en"] for i in entri.items}


# --- the strict loader -------------------------------------------------------------------------

def test_unknown_key_at_top_level_is_rejected(forms_copy: Path) -> None:
    edit(forms_copy / "planning.yaml", lambda d: d.update(titel={"id": "x", "en": "x"}))
    with pytest.raises(FormError, match=r"planning\.yaml: kunci tidak dikenal 'titel' di tingkat atas"):
        load_form_set(forms_copy)


def test_unknown_key_in_a_field_names_file_and_position(forms_copy: Path) -> None:
    edit(forms_copy / "planning.yaml", lambda d: d["sections"][1]["fields"][2].update(lable="x"))
    with pytest.raises(FormError) as info:
        load_form_set(forms_copy)
    assert "forms/planning.yaml: kunci tidak dikenal 'lable' di sections[1].fields[2]" in str(info.value)


def test_unknown_key_in_a_codelist_item_is_rejected(forms_copy: Path) -> None:
    edit(forms_copy / "codelists" / "sumber_dana.yaml", lambda d: d["items"][0].update(kode="x"))
    with pytest.raises(FormError, match=r"codelists/sumber_dana\.yaml: kunci tidak dikenal 'kode' di items\[0\]"):
        load_codelist(forms_copy / "codelists" / "sumber_dana.yaml")


def test_unknown_widget_is_rejected(forms_copy: Path) -> None:
    edit(forms_copy / "tender.yaml", lambda d: d["sections"][0]["fields"][0].update(widget="slider"))
    with pytest.raises(FormError, match=r"'slider' tidak dikenal di sections\[0\]\.fields\[0\]\.widget"):
        load_form_set(forms_copy)


def test_select_without_codelist_or_with_unknown_codelist_is_rejected(forms_copy: Path) -> None:
    path = forms_copy / "planning.yaml"
    edit(path, lambda d: d["sections"][1]["fields"][0].pop("codelist"))
    with pytest.raises(FormError, match="memerlukan kunci 'codelist'"):
        load_form_set(forms_copy)
    edit(path, lambda d: d["sections"][1]["fields"][0].update(codelist="jenis_barang"))
    with pytest.raises(FormError, match="codelist tidak dikenal 'jenis_barang'"):
        load_form_set(forms_copy)


def test_duplicate_field_ids_are_rejected(forms_copy: Path) -> None:
    def duplicate(d: dict[str, Any]) -> None:
        d["sections"][2]["fields"][0]["id"] = "pagu"
    edit(forms_copy / "planning.yaml", duplicate)
    with pytest.raises(FormError, match=r"id kolom ganda 'pagu' di sections\[2\]\.fields\[0\]"):
        load_form_set(forms_copy)


def test_widget_specific_mistakes_are_rejected(forms_copy: Path) -> None:
    path = forms_copy / "award.yaml"
    edit(path, lambda d: d["sections"][0]["fields"][0].pop("roles"))
    with pytest.raises(FormError, match="memerlukan 'roles'"):
        load_form_set(forms_copy)
    shutil.copy(forms_dir() / "award.yaml", path)
    edit(path, lambda d: d["sections"][0]["fields"][1].update(codelist="opd"))
    with pytest.raises(FormError, match="kunci 'codelist' tidak berlaku untuk widget 'money'"):
        load_form_set(forms_copy)
    shutil.copy(forms_dir() / "award.yaml", path)
    edit(path, lambda d: d["sections"][0]["fields"][1].update(item_label={"id": "Nilai", "en": "Value"}))
    with pytest.raises(FormError, match="kunci 'item_label' tidak berlaku untuk widget 'money'"):
        load_form_set(forms_copy)
    edit(forms_copy / "contract.yaml", lambda d: d["sections"][2]["fields"][0].update(fields=[]))
    shutil.copy(forms_dir() / "award.yaml", path)
    with pytest.raises(FormError, match="memerlukan 'fields'"):
        load_form_set(forms_copy)


def test_rule_pointing_at_a_missing_field_is_rejected(forms_copy: Path) -> None:
    edit(forms_copy / "tender.yaml", lambda d: d["rules"][1].update(second="batas_penawaran_akhir"))
    with pytest.raises(FormError, match=r"kolom yang tidak ada 'batas_penawaran_akhir' di rules\[1\]\.second"):
        load_form_set(forms_copy)


def test_unknown_rule_key_and_rule_type_are_rejected(forms_copy: Path) -> None:
    path = forms_copy / "tender.yaml"
    edit(path, lambda d: d["rules"][0].update(fild="hps"))
    with pytest.raises(FormError, match=r"kunci tidak dikenal 'fild' di rules\[0\]"):
        load_form_set(forms_copy)
    shutil.copy(forms_dir() / "tender.yaml", path)
    edit(path, lambda d: d["rules"][0].update(type="value_gte"))
    with pytest.raises(FormError, match=r"'value_gte' tidak dikenal di rules\[0\]\.type"):
        load_form_set(forms_copy)


def test_bad_cross_stage_references_are_rejected(forms_copy: Path) -> None:
    path = forms_copy / "tender.yaml"
    edit(path, lambda d: d["rules"][0].update(other="planning:pagu_total"))
    with pytest.raises(FormError, match=r"tender\.yaml: rujukan 'planning:pagu_total' di rules\[0\]"):
        load_form_set(forms_copy)
    edit(path, lambda d: d["rules"][0].update(other="perencanaan:pagu"))
    with pytest.raises(FormError, match="tahap tidak dikenal 'perencanaan'"):
        load_form_set(forms_copy)


def test_unknown_document_type_is_rejected(forms_copy: Path) -> None:
    edit(forms_copy / "contract.yaml", lambda d: d["documents"].append({"type": "kwitansi"}))
    with pytest.raises(FormError, match=r"jenis dokumen tidak dikenal 'kwitansi' di documents\[4\]"):
        load_form_set(forms_copy)


def test_malformed_paths_and_placeholders_are_rejected(forms_copy: Path) -> None:
    path = forms_copy / "award.yaml"
    edit(path, lambda d: d["sections"][0]["fields"][1].update(path="awards//value"))
    with pytest.raises(FormError, match=r"'awards//value' di sections\[0\]\.fields\[1\]\.path tidak sesuai"):
        load_form_set(forms_copy)
    shutil.copy(forms_dir() / "award.yaml", path)
    edit(path, lambda d: d["constants"].update({"awards/0/id": "{awardid}"}))
    with pytest.raises(FormError, match="placeholder tidak dikenal '{awardid}'"):
        load_form_set(forms_copy)


def test_malformed_yaml_gives_a_clear_message(forms_copy: Path) -> None:
    path = forms_copy / "award.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - id: pemenang\n", "  - id: pemenang\n   x: [\n", 1),
                    encoding="utf-8")
    with pytest.raises(FormError) as info:
        load_form_set(forms_copy)
    text = str(info.value)
    assert text.startswith("forms/award.yaml: YAML tidak valid di baris ")
    assert "Traceback" not in text and "\n" not in text
    path.write_text("- hanya\n- daftar\n", encoding="utf-8")
    with pytest.raises(FormError, match="harus berupa pemetaan"):
        load_form_set(forms_copy)


def test_form_hash_changes_when_the_file_changes(forms_copy: Path) -> None:
    path = forms_copy / "planning.yaml"
    before = load_form_set(forms_copy).forms["planning"].content_hash
    assert before == form_hash(path) == hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_text(path.read_text(encoding="utf-8") + "# komentar\n", encoding="utf-8")
    assert load_form_set(forms_copy).forms["planning"].content_hash == form_hash(path) != before


def test_default_form_set_is_cached_and_explicit_folders_are_read_afresh(forms_copy: Path) -> None:
    clear_form_set_cache()
    assert load_form_set() is load_form_set()
    assert load_form_set(forms_copy) is not load_form_set(forms_copy)


# --- the meta-schema pass remembered between starts ---------------------------------------------

LOAD_DEFAULT_FORMS = ("import sys; from odc_desktop.domain.forms.definition import load_form_set; "
                      "from odc_desktop.datadir import form_checks_cache; "
                      "print(len(load_form_set(checks_cache=form_checks_cache()).forms), "
                      "'jsonschema' in sys.modules)")


@pytest.fixture
def default_forms(forms_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``forms_copy`` as the default forms folder, with an empty cache folder of its own."""
    monkeypatch.setenv("ODC_FORMS_DIR", str(forms_copy))
    monkeypatch.setenv("ODC_CACHE_DIR", str(tmp_path / "cache"))
    clear_form_set_cache()
    yield forms_copy
    clear_form_set_cache()


def start_app_forms() -> str:
    """Load the default forms in a fresh interpreter, as the app does at start-up; report what loaded."""
    done = subprocess.run([sys.executable, "-c", LOAD_DEFAULT_FORMS], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ))
    return done.stdout.strip() if done.returncode == 0 else done.stderr.strip().splitlines()[-1]


def test_a_passed_meta_schema_check_is_reused_until_a_byte_changes(default_forms: Path) -> None:
    assert start_app_forms() == "6 True"  # first start: every file checked, the result remembered
    assert checks_cache_path().is_file()
    assert start_app_forms() == "6 False"  # same bytes: the meta-schema validator is not even imported
    tender = default_forms / "tender.yaml"
    tender.write_text(tender.read_text(encoding="utf-8") + "# komentar\n", encoding="utf-8")
    assert start_app_forms() == "6 True"  # one changed byte: checked in full again
    assert start_app_forms() == "6 False"
    edit(default_forms / "codelists" / "opd.yaml", lambda d: d["items"][0].update(kode="x"))
    assert "opd.yaml: kunci tidak dikenal 'kode' di items[0]" in start_app_forms()


def test_a_changed_file_is_checked_in_full_after_a_cached_pass(default_forms: Path) -> None:
    load_form_set(checks_cache=checks_cache_path())
    assert checks_cache_path().is_file()
    clear_form_set_cache()
    edit(default_forms / "planning.yaml", lambda d: d.update(titel={"id": "x", "en": "x"}))
    with pytest.raises(FormError, match=r"planning\.yaml: kunci tidak dikenal 'titel' di tingkat atas"):
        load_form_set(checks_cache=checks_cache_path())


@pytest.mark.parametrize("damage", ["garbage", "not a dict", "a folder in the way"])
def test_a_damaged_or_unwritable_cache_never_stops_the_forms_loading(default_forms: Path,
                                                                       damage: str) -> None:
    path = checks_cache_path()
    path.parent.mkdir(parents=True)
    if damage == "garbage":
        path.write_bytes(b"\x00{not json")
    elif damage == "not a dict":
        path.write_text("[1, 2]", encoding="utf-8")
    else:
        path.mkdir()  # neither readable as a file nor replaceable
    assert list(load_form_set(checks_cache=path).forms) == [s.value for s in STAGE_ORDER]
    if damage != "a folder in the way":
        clear_form_set_cache()
        assert start_app_forms() == "6 False"  # rewritten after the full check


# --- draft migration ---------------------------------------------------------------------------

def _migrated_planning(folder: Path) -> Path:
    """Version 2 of the planning form: `alasan_kebutuhan` renamed, a `catatan` field removed."""
    path = folder / "planning.yaml"

    def bump(d: dict[str, Any]) -> None:
        d["version"] = 2
        d["sections"][1]["fields"][-1]["id"] = "alasan_pengadaan"
        d["migrations"] = {"from_version": 1, "renamed": {"alasan_kebutuhan": "alasan_pengadaan"},
                           "removed": ["catatan"]}
    edit(path, bump)
    return path


def test_migrate_draft_renames_and_removes(forms_copy: Path) -> None:
    codelists = load_form_set().codelists
    form = load_form(_migrated_planning(forms_copy), codelists)
    old = {"pagu": 5_000_000, "alasan_kebutuhan": "Usulan Musrenbang", "catatan": "lama"}
    new, problems = migrate_draft(form, 1, old)
    assert problems == []
    assert new == {"pagu": 5_000_000, "alasan_pengadaan": "Usulan Musrenbang"}
    assert old["alasan_kebutuhan"] == "Usulan Musrenbang"  # the caller's dict is untouched
    assert migrate_draft(form, 2, new) == (new, [])


def test_migrate_draft_that_cannot_migrate_keeps_its_data_and_says_why(forms_copy: Path) -> None:
    codelists = load_form_set().codelists
    form = load_form(_migrated_planning(forms_copy), codelists)
    old = {"pagu": 5_000_000, "kolom_hilang": "x"}
    data, problems = migrate_draft(form, 1, old)
    assert data == old
    assert [p.code for p in problems] == ["migration_unknown_field"]
    assert "kolom_hilang" in problems[0].message and "versi 1" in problems[0].message
    clash = {"alasan_kebutuhan": "a", "alasan_pengadaan": "b"}
    data, problems = migrate_draft(form, 1, clash)
    assert data == clash and problems[0].code == "migration_conflict"
    data, problems = migrate_draft(load_form_set().forms["planning"], 0, {"pagu": 1})
    assert data == {"pagu": 1} and problems[0].code == "migration_unavailable"
    _, problems = migrate_draft(form, 1, old, lang="en")
    assert problems[0].message.startswith("Field 'kolom_hilang' is not in form version")


def test_migrations_must_point_at_existing_fields(forms_copy: Path) -> None:
    path = _migrated_planning(forms_copy)
    edit(path, lambda d: d["migrations"]["renamed"].update(alasan_kebutuhan="alasan_baru"))
    with pytest.raises(FormError, match="migrations.renamed.alasan_kebutuhan menunjuk kolom yang tidak ada"):
        load_form(path, load_form_set().codelists)


def test_help_texts_say_what_the_widgets_show() -> None:
    """Dates are shown DD-MM-YYYY, rupiah as Rp 1.250.000.000, percentages with a decimal comma;
    the help and SOP notes must not tell the operator otherwise."""
    forms = load_form_set()
    for form in forms.forms.values():
        notes = [s.sop for s in form.sections]
        for field in form.all_fields():
            for f in (field, *field.fields):
                notes.append(f.help)
                text = " ".join(f.help.values())
                if f.widget == "date":
                    assert "HH-BB-TTTT" in f.help["id"] or "tanggal" in f.help["id"].casefold(), f.id
                if f.widget == "percent":  # a decimal example is written with a comma, as shown
                    assert not re.search(r"\d\.\d", text), f.id
                    assert "mis." not in f.help["id"] or re.search(r"mis\. \d+,\d", f.help["id"]), f.id
        for note in notes:
            for lang, text in (note or {}).items():
                for stale in ("TTTT-BB-HH", "YYYY-MM-DD", "tanpa titik", "without dots", "45.5"):
                    assert stale not in text, (form.id, lang, stale)


def test_every_shipped_repeat_field_names_its_rows() -> None:
    """Rows read "Peserta 1" / "Tambah peserta", never the generic "Baris 1"."""
    forms = load_form_set()
    repeats = [f for form in forms.forms.values() for section in form.sections for f in section.fields
               if f.widget == "group" or (f.widget == "organization" and f.multiple)]
    assert len(repeats) >= 5
    for field in repeats:
        assert field.item_label.get("id") and field.item_label.get("en"), field.id
