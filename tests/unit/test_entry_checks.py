"""Layer-1 validation of stage entries: JSON Schema from the form, cross-field rules, documents."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from odc_desktop.domain.forms.entry_checks import missing_documents, validate_entry
from odc_desktop.domain.forms.definition import FormSet, forms_dir, load_form_set
from odc_desktop.domain.problems import Problem
from tests.unit.form_samples import VALID_DATA, other_stages, valid_data


@pytest.fixture(scope="module")
def forms() -> FormSet:
    return load_form_set()


def check(forms: FormSet, stage: str, data: Any, lang: str = "id",
          others: dict[str, dict[str, Any]] | None = None) -> list[Problem]:
    return validate_entry(forms.forms[stage], data, forms.codelists,
                          other_stages(stage) if others is None else others, lang)


def only(problems: list[Problem], path: str) -> Problem:
    found = [p for p in problems if p.path == path]
    assert len(found) == 1, problems
    return found[0]


@pytest.mark.parametrize("stage", list(VALID_DATA))
def test_realistic_valid_entry_of_each_stage_has_no_problems(forms: FormSet, stage: str) -> None:
    assert check(forms, stage, valid_data(stage)) == []
    assert check(forms, stage, valid_data(stage), others={}) == []


def test_sample_values_are_ordered_across_stages() -> None:
    pagu, hps = VALID_DATA["planning"]["pagu"], VALID_DATA["tender"]["hps"]
    award, contract = VALID_DATA["award"]["nilai_penetapan"], VALID_DATA["contract"]["nilai_kontrak"]
    assert pagu >= hps >= award >= contract
    assert sum(r["nilai"] for r in VALID_DATA["planning"]["rincian_anggaran"]) == pagu


def test_missing_required_values_are_reported_with_the_label(forms: FormSet) -> None:
    data = valid_data("planning")
    del data["pagu"]
    data["uraian_pekerjaan"] = "   "  # blank text counts as not filled
    data["rencana_pelaksanaan_mulai"] = None
    problems = check(forms, "planning", data)
    assert only(problems, "pagu").message == "Pagu anggaran wajib diisi."
    assert only(problems, "uraian_pekerjaan").message == "Uraian pekerjaan wajib diisi."
    assert only(problems, "rencana_pelaksanaan_mulai").code == "required"
    assert [p.field_id for p in problems] == ["pagu", "uraian_pekerjaan", "rencana_pelaksanaan_mulai"]


def test_messages_are_english_with_lang_en(forms: FormSet) -> None:
    data = valid_data("planning")
    del data["pagu"]
    assert only(check(forms, "planning", data, lang="en"), "pagu").message == "Budget ceiling is required."


def test_wrong_types_are_reported(forms: FormSet) -> None:
    data = valid_data("planning")
    data.update(pagu="1.250.000.000", volume_pekerjaan=1200)
    problems = check(forms, "planning", data)
    assert only(problems, "pagu").code == "invalid_type"
    assert "nilai rupiah bulat" in only(problems, "pagu").message
    assert only(problems, "volume_pekerjaan").message == "Volume pekerjaan harus berupa teks."
    data = valid_data("planning")
    data["pagu"] = 1_250_000_000.5
    assert only(check(forms, "planning", data), "pagu").code == "invalid_type"


def test_percent_out_of_range(forms: FormSet) -> None:
    data = valid_data("implementation")
    data.update(progres_fisik=120, progres_keuangan=-5)
    problems = check(forms, "implementation", data)
    assert only(problems, "progres_fisik").message == "Progres fisik harus antara 0 dan 100 persen."
    assert only(problems, "progres_keuangan").code == "below_minimum"
    en = check(forms, "implementation", data, lang="en")
    assert only(en, "progres_fisik").message == "Physical progress must be between 0 and 100 percent."


@pytest.mark.parametrize("value", ["2024-02-30", "15-03-2024", "2024-3-5", "kemarin", 20240301])
def test_a_non_date_is_reported(forms: FormSet, value: Any) -> None:
    data = valid_data("tender")
    data["tanggal_pengumuman"] = value
    problem = only(check(forms, "tender", data), "tanggal_pengumuman")
    assert problem.code == "invalid_date"
    assert problem.message == "Tanggal pengumuman harus berupa tanggal yang valid (HH-BB-TTTT, mis. 17-08-2026)."


def test_code_not_in_codelist_is_reported(forms: FormSet) -> None:
    data = valid_data("planning")
    data["metode_pemilihan"] = "lelang_umum"
    problem = only(check(forms, "planning", data), "metode_pemilihan")
    assert problem.code == "not_in_codelist"
    assert problem.message == ("Metode pemilihan: 'lelang_umum' tidak ada dalam daftar Metode pemilihan; "
                               "pilih dari daftar.")


def test_group_rows_name_the_row(forms: FormSet) -> None:
    data = valid_data("planning")
    data["rincian_anggaran"][1] = {"sumber_dana": "apbd", "mak": "5.2.03 (belanja modal)", "nilai": -1}
    problems = check(forms, "planning", data)
    assert only(problems, "rincian_anggaran/1/nilai").message == (
        "Nilai (Sumber dana 2) tidak boleh kurang dari 0.")  # named as the row on screen
    assert only(problems, "rincian_anggaran/1/mak").code == "pattern_mismatch"
    assert {p.field_id for p in problems} == {"rincian_anggaran"}


def test_organization_values_are_checked(forms: FormSet) -> None:
    data = valid_data("tender")
    data["peserta"][1] = {"npwp": "12345", "scale": "kecil"}
    problems = check(forms, "tender", data)
    assert only(problems, "peserta/1/name").message == "Nama Peserta 2 wajib diisi."
    assert only(problems, "peserta/1/npwp").code == "invalid_npwp"
    assert only(problems, "peserta/1/scale").code == "not_in_codelist"
    award = valid_data("award")
    award["pemenang"] = "CV Karya Mandiri"
    assert only(check(forms, "award", award), "pemenang").code == "invalid_type"


def test_unknown_keys_and_broken_data_are_reported_in_words(forms: FormSet) -> None:
    data = valid_data("award")
    data["nilai_kontrak"] = 5
    problem = only(check(forms, "award", data), "nilai_kontrak")
    assert problem.code == "unknown_field" and "tidak dikenal" in problem.message
    broken = check(forms, "award", ["bukan", "objek"])
    assert [p.code for p in broken] == ["invalid_type"] and "rusak" in broken[0].message


def test_no_raw_jsonschema_text_reaches_the_user(forms: FormSet) -> None:
    from odc_desktop.domain.forms.entry_schema import compiled_validator

    form = forms.forms["planning"]
    data = {"pagu": "x", "rincian_anggaran": "x", "jenis_pengadaan": 3, "rencana_pemilihan_mulai": 1,
            "lokasi_detail": "x" * 400, "asal": 1}
    raw = {e.message for e in compiled_validator(form, forms.codelists).iter_errors(data)}
    for lang in ("id", "en"):
        problems = check(forms, "planning", data, lang=lang)
        assert len(problems) >= 6
        for p in problems:
            assert not any(r in p.message for r in raw), p
            if p.field_id:
                assert form.field(p.field_id).label[lang] in p.message, p


def test_date_order_rule(forms: FormSet) -> None:
    data = valid_data("tender")
    data.update(tanggal_penjelasan=None, batas_penawaran="2024-03-10")
    problem = only(check(forms, "tender", data), "batas_penawaran")
    assert problem.code == "date_order"
    assert problem.message == "Batas akhir penawaran tidak boleh sebelum tanggal pengumuman."
    assert only(check(forms, "tender", data, lang="en"), "batas_penawaran").message == (
        "The bid submission deadline cannot be before the announcement date.")


def test_value_lte_rule_across_stages(forms: FormSet) -> None:
    data = valid_data("tender")
    data["hps"] = VALID_DATA["planning"]["pagu"] + 1
    problem = only(check(forms, "tender", data), "hps")
    assert problem.code == "value_lte"
    assert problem.message == "Nilai HPS tidak boleh lebih dari Pagu anggaran (Perencanaan)."
    # Without the planning stage's data the rule cannot be decided and is skipped.
    assert check(forms, "tender", data, others={}) == []


def test_cross_stage_date_rule(forms: FormSet) -> None:
    data = valid_data("award")
    data["tanggal_penetapan"] = "2024-03-20"  # before the tender's batas_penawaran 2024-03-25
    assert only(check(forms, "award", data), "tanggal_penetapan").code == "date_order"


def test_required_if_rule_with_differs_from(forms: FormSet) -> None:
    data = valid_data("completion")
    del data["alasan_perbedaan"]
    problem = only(check(forms, "completion", data), "alasan_perbedaan")
    assert problem.code == "required_if" and "berbeda dari Nilai kontrak" in problem.message
    data["nilai_akhir"] = VALID_DATA["contract"]["nilai_kontrak"]
    assert check(forms, "completion", data) == []


def test_a_rule_is_skipped_when_its_field_already_failed_the_schema(forms: FormSet) -> None:
    data = valid_data("tender")
    data["hps"] = 10**30  # above the rupiah ceiling AND above planning's pagu
    problems = check(forms, "tender", data)
    assert [p.code for p in problems] == ["above_maximum"]  # one message per mistake: no value_lte
    assert problems[0].message == "Nilai HPS tidak boleh lebih dari 1.000.000.000.000.000."
    english = check(forms, "tender", data, lang="en")
    assert english[0].message == "Owner's estimate (HPS) cannot be more than 1,000,000,000,000,000."


def _forms_folder(tmp_path: Path, change_planning) -> Path:
    """A copy of the shipped forms whose planning.yaml ``change_planning`` has modified."""
    folder = tmp_path / "forms"
    shutil.copytree(forms_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    path = folder / "planning.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change_planning(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def test_required_if_rule_with_equals(tmp_path: Path) -> None:
    rule = {"type": "required_if", "field": "lokasi_detail", "when": "jenis_pengadaan",
            "equals": "pekerjaan_konstruksi"}
    own = load_form_set(_forms_folder(tmp_path, lambda d: d["rules"].append(rule)))
    form = own.for_stage("planning")
    data = valid_data("planning")
    del data["lokasi_detail"]
    problems = validate_entry(form, data, own.codelists, other_stages("planning"), forms=own)
    assert [(p.path, p.code) for p in problems] == [("lokasi_detail", "required_if")]
    assert problems[0].message == "Lokasi pekerjaan wajib diisi."
    data["jenis_pengadaan"] = "barang"  # filled, but not the value the rule asks for
    assert validate_entry(form, data, own.codelists, other_stages("planning"), forms=own) == []


def test_cross_stage_labels_come_from_the_form_set_of_the_form(tmp_path: Path) -> None:
    import dataclasses

    def relabel(data: dict[str, Any]) -> None:
        pagu = next(f for s in data["sections"] for f in s["fields"] if f["id"] == "pagu")
        pagu["label"] = {"id": "Plafon dana", "en": "Funding cap"}

    own = load_form_set(_forms_folder(tmp_path, relabel))
    form = own.for_stage("tender")
    bare = dataclasses.replace(form, rules=tuple(dataclasses.replace(r, message={}) for r in form.rules),
                               content_hash="")
    data = valid_data("tender")
    data["hps"] = VALID_DATA["planning"]["pagu"] + 1
    problems = validate_entry(bare, data, own.codelists, other_stages("tender"), forms=own)
    assert only(problems, "hps").message == "Nilai HPS tidak boleh lebih dari Plafon dana (Perencanaan)."


def test_rules_fall_back_to_a_sentence_built_from_labels(forms: FormSet) -> None:
    import dataclasses

    form = forms.forms["tender"]
    rules = tuple(dataclasses.replace(r, message={}) for r in form.rules)
    bare = dataclasses.replace(form, rules=rules, content_hash="")
    data = valid_data("tender")
    data["hps"] = VALID_DATA["planning"]["pagu"] + 1
    problems = validate_entry(bare, data, forms.codelists, other_stages("tender"))
    assert only(problems, "hps").message == "Nilai HPS tidak boleh lebih dari Pagu anggaran (Perencanaan)."
    en = validate_entry(bare, data, forms.codelists, other_stages("tender"), lang="en")
    assert only(en, "hps").message == "Owner's estimate (HPS) cannot exceed Budget ceiling (Planning)."


def test_missing_documents(forms: FormSet) -> None:
    form = forms.forms["contract"]
    problems = missing_documents(form, ["spmk"], forms.codelists)
    assert [p.path for p in problems] == ["documents/kontrak_ditandatangani"]
    assert problems[0].code == "missing_document"
    assert "Kontrak yang telah ditandatangani" in problems[0].message
    assert "Signed contract" in missing_documents(form, [], forms.codelists, lang="en")[0].message
    assert missing_documents(form, ["kontrak_ditandatangani"], forms.codelists) == []
    assert len(missing_documents(forms.forms["planning"], [])) == 2


@pytest.mark.parametrize("value, code", [(10**30, "above_maximum"), (-5, "below_minimum"),
                                         ("1.000.000", "invalid_type"), (12.5, "invalid_type"),
                                         (True, "invalid_type")])
def test_absurd_money_values_are_caught_with_the_label(value, code):
    from odc_desktop.domain.forms.definition import load_form_set

    forms = load_form_set()
    data = valid_data("planning")
    data["pagu"] = value
    problems = [p for p in validate_entry(forms.for_stage("planning"), data, forms.codelists)
                if p.field_id == "pagu"]
    assert [p.code for p in problems] == [code]
    assert problems[0].message.startswith("Pagu anggaran")
