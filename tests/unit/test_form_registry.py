"""The form registry on a real data folder: stored versions found by (id, version, hash), damaged files
ignored with a message, broken files refused with a coded message (nothing written), and every entry
validated and exported with its own form."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from odc_desktop.domain.forms.definition import forms_dir, load_form_set
from odc_desktop.domain.forms.entry_checks import validate_entry
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.ocds import export
from odc_desktop.domain.statuses import Stage
from odc_desktop.form_registry import FormRefused, FormRegistry
from odc_desktop.storage.sql import SqlRepository
from tests.unit.form_samples import PROCESS, other_stages, valid_data
from tests.unit.form_versions import planning_like_v1, planning_v2, shipped_planning, valid_v2_data

SHIPPED = load_form_set()
V1 = SHIPPED.for_stage(Stage.PLANNING)


def _stored_files(data_dir: Path) -> list[str]:
    folder = data_dir / "forms"
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_an_added_version_is_stored_by_id_version_and_hash_and_becomes_current(data_dir):
    registry = FormRegistry.open(data_dir)
    assert registry.current(Stage.PLANNING) is V1
    raw = planning_v2()
    v2 = registry.add(raw)
    digest = hashlib.sha256(raw).hexdigest()
    assert (v2.id, v2.version, v2.content_hash) == ("planning", 2, digest)
    assert _stored_files(data_dir) == [f"planning/2-{digest}.yaml"]
    assert (data_dir / "forms" / "planning" / f"2-{digest}.yaml").read_bytes() == raw
    assert registry.current(Stage.PLANNING) is v2
    # a later start finds it by its name alone, and the shipped version 1 is still there
    again = FormRegistry.open(data_dir)
    assert again.current("planning").content_hash == digest
    assert [f.id for f in again.current("planning").sections[0].fields][-1] == "nomor_dpa"
    assert again.get("planning", 1, V1.content_hash) is V1
    assert again.get("planning", 2, digest).field("latar_belakang") is not None
    assert again.current("tender") is SHIPPED.for_stage("tender")
    assert registry.add(raw) is v2 and len(_stored_files(data_dir)) == 1  # the same bytes once


def test_lookups_by_hash_tell_apart_two_files_with_the_same_id_and_version(data_dir):
    registry = FormRegistry.open(data_dir)
    first = registry.add(planning_v2(title="Perencanaan (A)"))
    second = registry.add(planning_v2(title="Perencanaan (B)"))
    assert (first.id, first.version) == (second.id, second.version) and first.content_hash != second.content_hash
    again = FormRegistry.open(data_dir)
    assert again.get("planning", 2, first.content_hash).title["id"] == "Perencanaan (A)"
    assert again.get("planning", 2, second.content_hash).title["id"] == "Perencanaan (B)"
    assert again.get("planning", 2, "0" * 64) is None
    assert again.get("planning", 3, first.content_hash) is None
    assert again.get("tender", 2, first.content_hash) is None


@pytest.mark.parametrize("raw, code, fragment", [
    (b"id: planning\nversion: [\n", "form_invalid", "YAML tidak valid"),
    (planning_v2().replace(b"release_tag: planning", b"release_tag: planning\nwarna: merah"), "form_invalid",
     "warna"),
    (planning_v2().replace(b"id: planning", b"id: perencanaan_baru", 1), "form_unknown", "perencanaan_baru"),
    (planning_v2().replace(b"stage: planning", b"stage: tender", 1), "form_wrong_stage", "tender"),
], ids=["yaml", "unknown-key", "unknown-form", "wrong-stage"])
def test_a_broken_form_file_is_refused_with_a_coded_message_and_nothing_is_written(data_dir, tmp_path, raw,
                                                                                    code, fragment):
    registry = FormRegistry.open(data_dir)
    kept = registry.add(planning_v2(title="Tetap"))
    before = _stored_files(data_dir)
    path = tmp_path / "planning-baru.yaml"
    path.write_bytes(raw)
    with pytest.raises(FormRefused) as refused:
        registry.add(path)
    assert refused.value.code == f"form_registry.{code}"
    assert fragment in refused.value.message("id")
    assert refused.value.message("en") != refused.value.message("id")
    assert _stored_files(data_dir) == before
    assert registry.current("planning") is kept


def test_a_form_that_breaks_another_stages_rule_is_refused(data_dir):
    """The tender form's rule "HPS ≤ planning:pagu" needs the planning field 'pagu'."""
    form = shipped_planning()
    form["version"] = 2
    form["sections"][0]["fields"] = [f for f in form["sections"][0]["fields"] if f["id"] != "pagu"]
    form["rules"] = [r for r in form.get("rules", []) if "pagu" not in yaml.safe_dump(r)]
    registry = FormRegistry.open(data_dir)
    with pytest.raises(FormRefused) as refused:
        registry.add(yaml.safe_dump(form, allow_unicode=True).encode())
    assert refused.value.code == "form_registry.form_cross_stage"
    assert "planning:pagu" in refused.value.message("en")
    assert _stored_files(data_dir) == []


def test_an_unreadable_path_is_refused_in_both_languages(data_dir, tmp_path):
    with pytest.raises(FormRefused) as refused:
        FormRegistry.open(data_dir).add(tmp_path / "tidak-ada.yaml")
    assert refused.value.code == "form_registry.form_unreadable"
    assert "tidak ada" in refused.value.message("id") and "no such file" in refused.value.message("en")


def test_a_damaged_stored_file_is_ignored_with_a_message_and_the_shipped_form_stays_current(data_dir):
    registry = FormRegistry.open(data_dir)
    v2 = registry.add(planning_v2())
    stored = data_dir / "forms" / "planning" / f"2-{v2.content_hash}.yaml"
    stored.write_bytes(stored.read_bytes()[:200])  # cut short, as a full disk or a bad copy leaves it
    junk_hash = hashlib.sha256(b"sampah").hexdigest()
    (data_dir / "forms" / "planning" / f"3-{junk_hash}.yaml").write_bytes(b"sampah")  # right name, not a form
    (data_dir / "forms" / "planning" / "catatan.txt").write_text("bukan formulir")  # never read as a form

    again = FormRegistry.open(data_dir)  # opening reads names only: nothing can fail here
    assert again.current("planning") is V1
    assert again.get("planning", 2, v2.content_hash) is None
    codes = sorted(p.code for p in again.check_stored())
    assert codes == ["form_registry.form_stored_broken", "form_registry.form_stored_changed"]
    messages = [p.message("id") for p in again.problems]
    assert any(str(stored) in m and "hanya-baca" in m for m in messages)
    assert all("data folder" in p.message("en") for p in again.problems)


def test_a_stored_form_folder_may_bring_its_own_codelist(data_dir):
    registry = FormRegistry.open(data_dir)
    v2 = registry.add(planning_v2())
    own = data_dir / "forms" / "planning" / "codelists"
    own.mkdir()
    codelist = yaml.safe_load((forms_dir() / "codelists" / "sumber_dana.yaml").read_text(encoding="utf-8"))
    codelist["items"].append({"code": "dana_desa_baru", "label": {"id": "Dana desa (baru)", "en": "New village fund"}})
    (own / "sumber_dana.yaml").write_text(yaml.safe_dump(codelist, allow_unicode=True), encoding="utf-8")
    again = FormRegistry.open(data_dir)
    stored_v2 = again.get("planning", 2, v2.content_hash)
    assert "dana_desa_baru" in again.codelists_for(stored_v2)["sumber_dana"].codes()
    assert "dana_desa_baru" not in again.codelists_for(V1)["sumber_dana"].codes()  # shipped forms: shipped lists
    assert "dana_desa_baru" not in again.codelists["sumber_dana"].codes()


def test_validation_uses_the_entrys_own_version(data_dir):
    registry = FormRegistry.open(data_dir)
    v2 = registry.add(planning_v2())
    v1_data, v2_data = valid_data("planning"), valid_v2_data(valid_data("planning"))
    own_v1 = registry.get("planning", 1, V1.content_hash)

    def errors(form, data):
        return [p.field_id for p in validate_entry(form, data, registry.codelists_for(form),
                                                    other_stages("planning"), forms=registry)
                if p.severity == "error"]

    assert errors(own_v1, v1_data) == [] and errors(v2, v2_data) == []
    assert "nomor_dpa" in errors(v2, v1_data)  # what the current form would say of the old draft
    assert errors(own_v1, v2_data)  # and the old form of new data


def _process(repo, kode_rup: str):
    new = NewProcess(PROCESS["title"], PROCESS["opd_code"], PROCESS["opd_name"], PROCESS["year"], kode_rup,
                     PROCESS["kecamatan"])
    return repo.create_process(new, "ocds-000bjn")


def test_export_validates_and_writes_each_entry_with_its_own_form(data_dir):
    registry = FormRegistry.open(data_dir)
    v2 = registry.add(planning_v2())
    repo = SqlRepository.open(data_dir)
    try:
        old = _process(repo, "41234567")
        new = _process(repo, "41234568")
        repo.create_entry(old.id, Stage.PLANNING, V1.id, V1.version, V1.content_hash, valid_data("planning"))
        repo.create_entry(new.id, Stage.PLANNING, v2.id, v2.version, v2.content_hash,
                          valid_v2_data(valid_data("planning")))
        result = export.export_package(repo, registry)
        by_ocid = {r["ocid"]: r for r in result.package["releases"]}
        assert result.skipped == []
        assert by_ocid[old.ocid]["planning"]["rationale"].startswith("Usulan Musrenbang")
        assert "project" not in by_ocid[old.ocid]["planning"]["budget"]
        assert by_ocid[new.ocid]["planning"]["budget"]["project"] == "DPA/1.03.10.2.01/2024"
        assert by_ocid[new.ocid]["planning"]["rationale"].startswith("Usulan Musrenbang")

        # Without the stored version the new entry's form is missing: it is left out, not misread.
        shipped_only = export.export_package(repo, SHIPPED)
        assert [r["ocid"] for r in shipped_only.package["releases"]] == [old.ocid]
        assert shipped_only.skipped == [(new.ocid, "planning", 1)]
    finally:
        repo.close()


def test_a_refusal_is_said_wholly_in_the_language_asked_for(data_dir, tmp_path):
    """The loader's own message nested in a refusal is said in the same language as the refusal."""
    path = tmp_path / "planning-baru.yaml"
    path.write_bytes(planning_v2().replace(b"stage: planning", b"stage: planning\nbogus_key: 1", 1))
    with pytest.raises(FormRefused) as refused:
        FormRegistry.open(data_dir).add(path)
    english, indonesian = refused.value.message("en"), refused.value.message("id")
    assert english.startswith("The form file 'planning-baru.yaml' was refused") and "Details: " in english
    assert "tidak" not in english and "Rincian: " in indonesian


def test_odc_export_validates_each_entry_with_its_own_form(data_dir, tmp_path):
    """The real ``odc export`` on a data folder holding a stored version 2 of the planning form."""
    import json

    from tests.odc_cli import odc

    registry = FormRegistry.open(data_dir)
    v2 = registry.add(planning_v2())
    repo = SqlRepository.open(data_dir)
    try:
        old, new, wrong = (_process(repo, kode) for kode in ("41234567", "41234568", "41234569"))
        repo.create_entry(old.id, Stage.PLANNING, V1.id, V1.version, V1.content_hash, valid_data("planning"))
        repo.create_entry(new.id, Stage.PLANNING, v2.id, v2.version, v2.content_hash,
                          valid_v2_data(valid_data("planning")))
        # version-1 data on version 2: valid for the old form, not for its own one
        repo.create_entry(wrong.id, Stage.PLANNING, v2.id, v2.version, v2.content_hash, valid_data("planning"))
    finally:
        repo.close()
    out = tmp_path / "rilis.json"
    done = odc("export", "--out", str(out), "--data-dir", str(data_dir), "--lang", "en")
    assert done.returncode == 0, done.stderr
    releases = {r["ocid"]: r for r in json.loads(out.read_text(encoding="utf-8"))["releases"]}
    assert set(releases) == {old.ocid, new.ocid}
    assert releases[new.ocid]["planning"]["budget"]["project"] == "DPA/1.03.10.2.01/2024"
    assert f"{wrong.ocid} stage planning" in done.stdout


def test_odc_forms_add_stores_a_version_and_refuses_a_broken_file_in_both_languages(data_dir, tmp_path):
    import json

    from tests.odc_cli import odc

    good, bad = tmp_path / "planning-v2.yaml", tmp_path / "rusak.yaml"
    good.write_bytes(planning_v2())
    bad.write_bytes(planning_v2().replace(b"widget: money", b"widget: uang", 1))
    added = odc("forms", "add", str(good), "--data-dir", str(data_dir))
    assert added.returncode == 0, added.stderr
    assert "versi 2" in added.stdout and "entri baru: versi 2" in added.stdout
    listed = json.loads(odc("forms", "list", "--json", "--data-dir", str(data_dir)).stdout)
    assert [(f["id"], f["version"]) for f in listed][:2] == [("planning", 2), ("tender", 1)]
    for lang, words in (("id", "ditolak"), ("en", "was refused")):
        refused = odc("forms", "add", str(bad), "--data-dir", str(data_dir), "--lang", lang)
        assert refused.returncode == 3 and words in refused.stderr and "uang" in refused.stderr
        assert "Traceback" not in refused.stderr
    assert len(_stored_files(data_dir)) == 1


def test_a_form_that_cannot_be_written_is_refused_and_leaves_no_partial_file(data_dir):
    (data_dir / "forms").mkdir()
    (data_dir / "forms" / "planning").write_text("a file where the form folder belongs")
    registry = FormRegistry.open(data_dir)
    with pytest.raises(FormRefused) as refused:
        registry.add(planning_v2())
    assert refused.value.code == "form_registry.form_not_saved"
    assert "versi 2" in refused.value.message("id") and "version 2" in refused.value.message("en")
    assert registry.current("planning") is V1
    assert sorted(p.name for p in (data_dir / "forms").iterdir()) == ["planning"]


def _load_stored_in_a_fresh_process(data_dir: Path, cache: Path) -> dict:
    import json
    import subprocess
    import sys

    code = ("import json, sys; from pathlib import Path; from odc_desktop.form_registry import FormRegistry; "
            f"r = FormRegistry.open(Path({str(data_dir)!r}), checks_cache=Path({str(cache)!r})); "
            "problems = r.check_stored(); "
            "print(json.dumps({'current': r.current('planning').version, 'problems': len(problems), "
            "'jsonschema': 'jsonschema' in sys.modules}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_a_stored_form_that_passed_its_checks_is_not_schema_checked_again_at_the_next_start(data_dir, tmp_path):
    FormRegistry.open(data_dir).add(planning_v2())
    cache = tmp_path / "cache" / "form-checks.json"
    first = _load_stored_in_a_fresh_process(data_dir, cache)
    assert first == {"current": 2, "problems": 0, "jsonschema": True}
    assert (cache.parent / "form-checks-stored.json").is_file()
    # the next start: the very same bytes skip the slow meta-schema pass (jsonschema is not even imported)
    assert _load_stored_in_a_fresh_process(data_dir, cache) == {"current": 2, "problems": 0, "jsonschema": False}
    # an unreadable cache only means "check again"
    (cache.parent / "form-checks-stored.json").write_text("{kacau")
    assert _load_stored_in_a_fresh_process(data_dir, cache) == {"current": 2, "problems": 0, "jsonschema": True}
