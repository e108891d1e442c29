"""``odc import`` as a real subprocess on the 22 sample ISB datasets (tests/data/isb) and on broken files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.sql import SqlRepository
from tests.unit.workflow_helpers import receipt_for

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "isb"
ODC = [sys.executable, "-m", "odc_desktop.cli"]
TENDER_FILE = "47_1013_SPSE-TenderPengumuman.json"
#: What the 22 samples give: 349 processes are read; 52 of them only from the budget-line datasets
#: (no title or OPD: their packages are not in the sample RUP files), so their 69 rows are rejected.
PROCESSES, ENTRIES, UNTITLED_ROWS = 297, 678, 69


def odc(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(ODC + ["--data-dir", str(data_dir), *args], capture_output=True, text=True, timeout=600)


def import_json(data_dir: Path, files: list[Path], *extra: str) -> dict:
    done = odc(data_dir, "import", *map(str, files), "--json", *extra)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def samples() -> list[Path]:
    files = sorted(SAMPLES.glob("*.json"))
    assert len(files) == 22
    return files


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, dict]:
    data_dir = tmp_path_factory.mktemp("isb")
    return data_dir, import_json(data_dir, samples())


def test_the_22_samples_become_drafts(imported):
    data_dir, out = imported
    assert out["created"] == {"processes": PROCESSES, "entries": ENTRIES}
    assert (out["changed"], out["unchanged"], out["skipped"]) == (0, 0, [])
    assert len(out["files"]) == 22
    assert len(out["rejected"]) == UNTITLED_ROWS
    assert {r["code"] for r in out["rejected"]} == {"import.no_process"}
    repo = SqlRepository.open(data_dir)
    try:
        assert repo.count_processes() == PROCESSES
        assert repo.count_entries_by_status()["draft"] == ENTRIES
        assert repo.verify_audit_chain().ok
    finally:
        repo.close()


def test_reimporting_changes_nothing(imported):
    data_dir, _ = imported
    again = import_json(data_dir, samples())
    assert again["created"] == {"processes": 0, "entries": 0}
    assert (again["changed"], again["unchanged"]) == (0, ENTRIES)


def _changed_tender_file(folder: Path) -> tuple[Path, str]:
    """The tender announcements with the first row's HPS lowered by 1.000 rupiah; its kode RUP."""
    rows = json.loads((SAMPLES / TENDER_FILE).read_text(encoding="utf-8"))
    rows[0]["hps"] = int(rows[0]["hps"]) - 1000
    path = folder / TENDER_FILE
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path, str(rows[0]["kd_rup"])


def test_a_changed_value_changes_its_draft_but_never_an_approved_entry(tmp_path):
    data_dir = tmp_path / "data"
    import_json(data_dir, samples())
    # the announcements alone name two superseded tenders that the full set replaced: a baseline
    import_json(data_dir, [SAMPLES / TENDER_FILE])
    assert import_json(data_dir, [SAMPLES / TENDER_FILE])["changed"] == 0
    changed_file, kode = _changed_tender_file(tmp_path)
    out = import_json(data_dir, [changed_file])
    assert out["changed"] == 1 and out["created"] == {"processes": 0, "entries": 0}
    # the entry goes through review and is approved; newer data must leave it alone
    repo = SqlRepository.open(data_dir)
    try:
        process = repo.find_process_by_ocid(repo.get_process(1).ocid.rsplit("-", 1)[0] + f"-{kode}")
        entry = repo.current_entry(process.id, Stage.TENDER)
        for status in (EntryStatus.READY, EntryStatus.QUEUED):
            entry = repo.set_local_status(entry.id, status)
        entry = repo.record_receipt(entry.id, receipt_for(entry))
        approved = repo.record_decision(entry.id, EntryStatus.APPROVED, "verifikator")
    finally:
        repo.close()
    rows = json.loads(changed_file.read_text(encoding="utf-8"))
    rows[0]["hps"] -= 1000
    changed_file.write_text(json.dumps(rows), encoding="utf-8")
    for lang, words in (("id", "Buat perubahan"), ("en", "Make a change")):
        out = import_json(data_dir, [changed_file], "--lang", lang)
        assert out["changed"] == 0 and [k["stage"] for k in out["kept"]] == ["tender"]
        assert words in out["kept"][0]["reason"]
    repo = SqlRepository.open(data_dir)
    try:
        assert repo.get_entry(approved.id) == approved
    finally:
        repo.close()


@pytest.fixture
def broken_files(tmp_path) -> list[Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    tender = (SAMPLES / TENDER_FILE).read_bytes()
    (folder / "terpotong.json").write_bytes(tender[:3000])
    (folder / "tabel.json").write_text("kd_tender,nama_paket\n1,Jalan\n", encoding="utf-8")
    rows = json.loads(tender)
    rows[3]["nama_paket"] = "Jalan Désa"
    (folder / "latin1.json").write_bytes(json.dumps(rows[3:5], ensure_ascii=False).encode("latin-1"))
    (folder / "lain.json").write_text(json.dumps([{"foo": 1, "bar": 2}]), encoding="utf-8")
    del rows[1]["kd_tender"]
    (folder / "baris_rusak.json").write_text(json.dumps(rows), encoding="utf-8")
    shutil.copy(SAMPLES / "21_1018_RUP-PaketPenyedia-Terumumkan.json", folder)
    return sorted(folder.iterdir())


@pytest.mark.parametrize("lang, words", [("id", ("bukan JSON", "CSV", "UTF-8", "bukan dataset", "kosong")),
                                         ("en", ("not valid JSON", "CSV", "UTF-8", "not a known", "empty"))])
def test_broken_files_are_skipped_and_broken_rows_rejected_with_reasons(tmp_path, broken_files, lang, words):
    out = import_json(tmp_path / "data", broken_files, "--lang", lang)
    skipped = {s["file"]: s for s in out["skipped"]}
    assert set(skipped) == {"terpotong.json", "tabel.json", "latin1.json", "lain.json"}
    assert words[0] in skipped["terpotong.json"]["reason"]
    assert words[1] in skipped["tabel.json"]["reason"]
    assert words[2] in skipped["latin1.json"]["reason"]
    assert words[3] in skipped["lain.json"]["reason"]
    assert all(skipped[f]["refused"] for f in ("terpotong.json", "tabel.json", "latin1.json"))
    bad = [r for r in out["rejected"] if r["file"] == "baris_rusak.json"]
    assert [(r["row"], r["code"]) for r in bad] == [(2, "row_missing_key")] and words[4] in bad[0]["reason"]
    # the good rows of the broken file are imported
    kept = {f["file"]: f for f in out["files"]}
    assert kept["baris_rusak.json"]["rows_kept"] == kept["baris_rusak.json"]["rows_read"] - 1
    assert out["created"]["entries"] > 0


def test_a_run_with_no_dataset_imports_nothing_and_says_why(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{not json", encoding="utf-8")
    done = odc(tmp_path / "data", "import", str(bad))
    assert done.returncode == 1
    assert "bukan JSON" in done.stdout and "Tidak ada yang diimpor" in done.stdout
    english = odc(tmp_path / "data", "import", str(bad), "--lang", "en")
    assert "Nothing was imported" in english.stdout
    assert odc(tmp_path / "data", "import", str(tmp_path / "none.json")).returncode == 3


def test_personal_data_stays_out_of_the_stored_entries(imported):
    """NIP, bank accounts and individuals' NPWP are in some sample datasets; no stored entry has them."""
    data_dir, _ = imported
    personal = set()
    for path in samples():
        for row in json.loads(path.read_text(encoding="utf-8")):
            for column, value in row.items():
                if value and any(w in column.lower() for w in ("nip", "rekening", "npwp_ppk", "no_rek")):
                    personal.add(str(value))
    personal = {p for p in personal if len(p) >= 8 and "*" not in p}
    assert len(personal) > 20  # the samples do hold NIPs and individuals' NPWPs
    stored = (data_dir / "odc.sqlite3").read_bytes().decode("utf-8", "replace")
    assert [p for p in personal if p in stored] == []


def test_the_export_of_imported_processes_validates(imported, tmp_path):
    from tests.conformance.official import official_package_validator, require_official_files

    data_dir, _ = imported
    out = tmp_path / "export.json"
    exported = odc(data_dir, "export", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    package = json.loads(out.read_text(encoding="utf-8"))
    assert package["releases"]
    validated = odc(data_dir, "validate", str(out), "--json")
    assert validated.returncode == 0, validated.stdout
    require_official_files()
    assert [e.message for e in official_package_validator().iter_errors(package)] == []
