"""The ``odc`` command line, run as a real process on real data directories."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ODC = [sys.executable, "-m", "odc_desktop.cli"]


def odc(*args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess:
    prefix = ["--data-dir", str(data_dir)] if data_dir else []
    return subprocess.run(ODC + prefix + list(args), capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    """A data dir with 24 demo processes and 30 attachments, made once for this module."""
    d = tmp_path_factory.mktemp("demo")
    result = odc("demo-data", "--processes", "24", "--attachments", "30", "--seed", "7", data_dir=d)
    assert result.returncode == 0, result.stderr
    assert "24 paket" in result.stdout
    return d


def test_version():
    result = odc("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("odc 0.")


def test_forms_list_json():
    result = odc("forms", "list", "--json")
    assert result.returncode == 0, result.stderr
    forms = json.loads(result.stdout)
    assert [f["stage"] for f in forms] == ["planning", "tender", "award", "contract", "implementation",
                                          "completion"]
    assert all(set(f) >= {"id", "version", "stage", "title"} for f in forms)
    assert forms[0]["title"] == "Perencanaan"


def test_status_counts_entries_attachments_and_returned_notes(demo_dir):
    result = odc("status", "--json", data_dir=demo_dir)
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert status["processes"] == 24
    assert status["attachments"] == 30
    assert status["attachment_bytes"] > 30 * 500
    by_status = status["entries_by_status"]
    assert set(by_status) == {"draft", "ready", "queued", "submitted", "approved", "returned",
                              "rejected_by_server"}
    assert sum(by_status.values()) >= 24
    assert len(status["returned"]) == by_status["returned"]
    for item in status["returned"]:
        assert item["notes"] and item["notes"][0]["text"]


def test_export_then_validate_is_clean(demo_dir, tmp_path):
    out = tmp_path / "rilis.json"
    result = odc("export", "--out", str(out), data_dir=demo_dir)
    assert result.returncode == 0, result.stderr
    package = json.loads(out.read_text(encoding="utf-8"))
    assert package["version"] == "1.1"
    assert len(package["releases"]) >= 24
    assert len({r["ocid"] for r in package["releases"]}) == 24
    # The demo makes one valid entry per stage reached: every one of them must become a release.
    assert "dilewati" not in result.stdout
    entries = sum(json.loads(odc("status", "--json", data_dir=demo_dir).stdout)["entries_by_status"].values())
    assert len(package["releases"]) == entries
    check = odc("validate", str(out))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "valid" in check.stdout


def test_validate_lists_problems_of_a_broken_package(demo_dir, tmp_path):
    out = tmp_path / "rilis.json"
    assert odc("export", "--out", str(out), data_dir=demo_dir).returncode == 0
    package = json.loads(out.read_text(encoding="utf-8"))
    contract_release = next(r for r in package["releases"] if r.get("contracts"))
    contract_release["contracts"][0]["awardID"] = "tidak-ada"
    contract_release["contracts"][0]["period"] = {"startDate": "2025-05-01T00:00:00+07:00",
                                                  "endDate": "2025-04-01T00:00:00+07:00"}
    broken = tmp_path / "rusak.json"
    broken.write_text(json.dumps(package), encoding="utf-8")
    result = odc("validate", str(broken))
    assert result.returncode == 1
    assert "awardID" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    as_json = json.loads(odc("validate", "--json", str(broken)).stdout)
    assert as_json["valid"] is False and len(as_json["problems"]) >= 2


@pytest.mark.parametrize("content", [b"bukan json {", b"\xff\xfe\x00garbage", b""])
def test_validate_non_json_gives_a_clear_message(tmp_path, content):
    bad = tmp_path / "bukan.json"
    bad.write_bytes(content)
    result = odc("validate", str(bad))
    assert result.returncode == 1
    assert "bukan" in result.stderr and "JSON" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_missing_file(tmp_path):
    result = odc("validate", str(tmp_path / "tidak-ada.json"))
    assert result.returncode == 3  # a file refused: never 2 (wrong usage) for any input
    assert "tidak dapat dibaca" in result.stderr


def test_validate_json_that_is_not_ocds(tmp_path):
    bad = tmp_path / "lain.json"
    bad.write_text('{"nama": "bukan OCDS"}', encoding="utf-8")
    result = odc("validate", str(bad))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr


def test_doctor_ok_then_detects_a_damaged_attachment(demo_dir, tmp_path):
    result = odc("doctor", "--json", data_dir=demo_dir)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["integrity"] == "ok"
    assert report["counts"]["processes"] == 24
    # damage one stored file in a copy of the data dir
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(demo_dir, copy)
    stored = next(p for p in (copy / "files").rglob("*") if p.is_file())
    stored.write_bytes(b"rusak")
    damaged = json.loads(odc("doctor", "--json", data_dir=copy).stdout)
    assert damaged["integrity"] != "ok"


def test_empty_store_exports_nothing_with_a_clear_message(data_dir, tmp_path):
    result = odc("export", "--out", str(tmp_path / "x.json"), data_dir=data_dir)
    assert result.returncode == 1
    assert "Tidak ada entri" in result.stderr


def test_demo_data_rejects_negative_counts(data_dir):
    result = odc("demo-data", "--processes", "-1", data_dir=data_dir)
    assert result.returncode == 2  # wrong usage
    assert "negatif" in result.stderr


def test_a_reader_that_goes_away_is_not_an_error(tmp_path):
    # thousands of problems make an output far larger than the pipe's buffer, so the write must fail
    bad = tmp_path / "banyak-masalah.json"
    bad.write_text(json.dumps({"version": "1.1", "uri": "x", "publisher": {"name": "x"},
                               "publishedDate": "2025-01-01T00:00:00+07:00",
                               "releases": [{"id": str(i)} for i in range(3000)]}), encoding="utf-8")
    proc = subprocess.Popen(ODC + ["validate", "--json", str(bad)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout.read(10)  # like `| head -c 10`
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert b"Traceback" not in err and b"kesalahan" not in err


def test_commands_log_to_the_data_dir(demo_dir):
    assert odc("status", data_dir=demo_dir).returncode == 0
    assert (demo_dir / "logs" / "odc.log").exists()


def test_english_messages_with_lang_en(demo_dir, tmp_path):
    out = tmp_path / "export.json"
    exported = odc("--lang", "en", "export", "--out", str(out), data_dir=demo_dir)
    assert exported.returncode == 0 and "releases of 24 processes written to" in exported.stdout
    assert "Valid: no errors." in odc("--lang", "en", "validate", str(out)).stdout
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    result = odc("--lang", "en", "validate", str(bad))
    assert result.returncode == 1 and "is not valid JSON" in result.stderr
    status = odc("--lang", "en", "status", data_dir=demo_dir)
    assert "Processes: 24" in status.stdout and "Approved" in status.stdout


def test_an_unusable_data_dir_gives_a_clear_message(tmp_path):
    not_a_folder = tmp_path / "berkas"
    not_a_folder.write_text("x", encoding="utf-8")
    result = odc("status", data_dir=not_a_folder / "data")
    assert result.returncode == 3  # a folder refused
    assert "tidak dapat dipakai" in result.stderr and "--data-dir" in result.stderr
    assert "Traceback" not in result.stderr
    assert odc("forms", "list", data_dir=not_a_folder / "data").returncode == 0


def test_counts_get_thousands_separators():
    from odc_desktop.cli_messages import say

    assert say("processes", "id", count=100_000) == "Paket: 100.000"
    assert say("processes", "en", count=100_000) == "Processes: 100,000"
    assert say("returned_more", "en", count=1234) == "  … and 1,234 more (show all with --all)"
