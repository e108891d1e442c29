"""`odc validate` as a real process: odd encodings and shapes, big output, exit codes, never a traceback."""

from __future__ import annotations

import codecs
import gzip
import json
import subprocess
import sys

import pytest

from tests.unit.test_ocds_levels import package, release

ODC = [sys.executable, "-m", "odc_desktop.cli"]


def odc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(ODC + ["--lang", "en", "validate", *args], capture_output=True, text=True, timeout=300)


def broken_package() -> dict:
    bad = release(id="r2")
    bad["tender"]["status"] = "open"  # not in the closed codelist
    return package(release(), bad)


ENCODINGS = {
    "utf8.json": lambda text: text.encode("utf-8"),
    "bom.json": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf16.json": lambda text: text.encode("utf-16"),
    "utf16le-nobom.json": lambda text: text.encode("utf-16-le"),
    "gzipped.json.gz": lambda text: gzip.compress(codecs.BOM_UTF8 + text.encode("utf-8")),
}


@pytest.mark.parametrize("name", ENCODINGS)
def test_encodings_and_gzip_give_the_same_report(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(ENCODINGS[name](json.dumps(broken_package(), ensure_ascii=False)))
    result = odc("--json", str(path))
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert [(p["path"], p["code"], p["level"]) for p in report["problems"]] == [
        ("releases/1/tender/status", "schema.enum", "error")]
    assert report["counts"] == {"error": 1, "profile": 0, "flag": 0}


def test_json_lines_and_concatenated_packages_are_validated_document_by_document(tmp_path):
    lines = tmp_path / "releases.jsonl"
    bad = broken_package()["releases"][1]
    lines.write_text("\n".join(json.dumps(r) for r in (release(), bad, release(id="r3"))) + "\n", encoding="utf-8")
    report = json.loads(odc("--json", str(lines)).stdout)
    assert report["documents"] == 3 and report["releases"] == 3
    assert [p["path"] for p in report["problems"]] == ["#2/tender/status"]
    joined = tmp_path / "packages.json"
    joined.write_text(json.dumps(package()) + json.dumps(broken_package()), encoding="utf-8")
    report = json.loads(odc("--json", str(joined)).stdout)
    assert [p["path"] for p in report["problems"]] == ["#2/releases/1/tender/status"]


@pytest.mark.parametrize("content,words", [
    (b"\x00\x01\x02\xff binary", "not UTF-8"), (b"PK\x03\x04 zip", "not valid JSON"),
    (b'{"a": "\xe9"}', "not UTF-8"), (b"", "empty"), (b"\x1f\x8b broken gzip", "cannot be read")])
def test_anything_else_gets_a_clear_message_and_exit_1(tmp_path, content, words):
    path = tmp_path / "odd.json"
    path.write_bytes(content)
    result = odc(str(path))
    assert result.returncode == 1
    assert words in result.stderr and "Traceback" not in result.stderr + result.stdout
    as_json = odc("--json", str(path))
    assert as_json.returncode == 1 and words in json.loads(as_json.stdout)["failure"]


@pytest.mark.parametrize("depth", [200, 5000])
def test_deep_nesting_is_a_clear_problem_not_a_crash(tmp_path, depth):
    deep = json.dumps(release(id="r2")).replace('"tender": {', '"tender": {"x": ' + '{"x": ' * depth + "1" + "}" * depth
                                                   + ", ", 1)
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(package(release()))[:-2] + ", " + deep + "]}", encoding="utf-8")
    result = odc(str(path))
    assert "Traceback" not in result.stderr and result.stderr == ""
    if depth > 1000:  # beyond what the json module reads: streamed, and the release is not checked
        assert result.returncode == 1 and "releases/1: This entry is nested too deeply" in result.stdout
    else:  # read whole: checked like any release (extra fields are allowed)
        assert result.returncode == 0, result.stdout
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = odc(str(path))
    assert result.returncode == 1 and "nested too deeply" in result.stdout and "Traceback" not in result.stderr


def test_summary_then_at_most_max_problems_details_and_json_with_all(tmp_path):
    releases = [dict(release(id=f"r{i}"), initiationType="auction") for i in range(500)]
    path = tmp_path / "many.json"
    path.write_text(json.dumps(package(*releases)), encoding="utf-8")
    result = odc("--max-problems", "5", str(path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "Level error: 500 problems · profile: 0 problems · flag: 0 problems" in lines
    summary = next(line for line in lines if "schema.enum" in line)
    assert "500" in summary and "releases/0/initiationType, releases/1/initiationType" in summary
    assert sum(line.startswith("  [error]") for line in lines) == 5
    assert len(lines) < 20
    full = json.loads(odc("--json", str(path)).stdout)
    assert len(full["problems"]) == 500 and full["summary"][0]["count"] == 500


def test_one_problem_is_singular_and_exit_codes_follow_the_levels(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(broken_package()), encoding="utf-8")
    result = odc(str(path))
    assert "Level error: 1 problem · profile: 0 problems" in result.stdout and result.returncode == 1
    good = tmp_path / "good.json"
    good.write_text(json.dumps(package()), encoding="utf-8")
    assert odc(str(good)).returncode == 0
    profiled = odc("--profile", "bojonegoro", str(good))
    assert profiled.returncode == 1 and "[profile]" in profiled.stdout
    assert odc("--max-problems", "-1", str(good)).returncode == 2  # wrong usage, not input


def test_indonesian_is_the_default(tmp_path):
    path = tmp_path / "kosong.json"
    path.write_text("{}", encoding="utf-8")
    result = subprocess.run(ODC + ["validate", str(path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "Bukan paket atau rilis OCDS: tidak ada `releases`, `records` atau `ocid`." in result.stdout
    assert "Tidak valid." in result.stdout


def test_streamed_and_whole_file_reading_give_the_same_report(tmp_path, monkeypatch):
    from odc_desktop.domain.ocds import read as ocds_read
    from odc_desktop.domain.ocds.validate_file import validate_file

    shapes = {
        "package.json": json.dumps(broken_package()),
        "metadata-after-releases.json": json.dumps({"releases": broken_package()["releases"],
                                                    **{k: v for k, v in package().items() if k != "releases"},
                                                    "version": "1.0"}),
        "lines.jsonl": "\n".join(json.dumps(r) for r in broken_package()["releases"]),
        "two.json": json.dumps(package()) + " " + json.dumps(broken_package()),
        "not-a-list.json": '{"releases": "x"}', "empty-object.json": "{}", "list.json": "[1, 2]",
    }
    for name, text in shapes.items():
        for encode in ENCODINGS.values():
            path = tmp_path / name
            path.write_bytes(encode(text))
            whole = validate_file(path, lang="en")
            monkeypatch.setattr(ocds_read, "WHOLE_FILE_LIMIT", -1)  # every file streamed
            streamed = validate_file(path, lang="en")
            monkeypatch.undo()
            assert streamed.problems == whole.problems and streamed.summary() == whole.summary(), name
            assert streamed.notice_texts("en") == whole.notice_texts("en"), name
            assert (streamed.releases, streamed.documents) == (whole.releases, whole.documents), name


def test_a_record_nested_beyond_what_the_checks_follow_is_a_problem_not_a_crash(tmp_path):
    deep = '{"a": ' * 900 + "1" + "}" * 900  # the json module reads it; jsonschema-rs would not
    record = '{"ocid": "ocds-1", "releases": [{"url": "https://x.org/r", "date": "2024-01-01T00:00:00Z"}], ' \
             '"compiledRelease": {"ocid": "ocds-1", "tender": ' + deep + "}}"
    path = tmp_path / "record.json"
    path.write_text(record, encoding="utf-8")
    result = odc(str(path))
    assert result.returncode == 1 and result.stderr == ""
    assert "[error] /: This entry is nested too deeply" in result.stdout


def test_our_own_export_passes_the_official_schema_and_the_profile(tmp_path):
    data = tmp_path / "data"
    run = [*ODC[:3], "--data-dir", str(data)]
    assert subprocess.run(run + ["demo-data", "--processes", "12"], capture_output=True, timeout=300).returncode == 0
    out = tmp_path / "export.json"
    exported = subprocess.run(run + ["export", "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert exported.returncode == 0, exported.stderr
    result = odc("--profile", "bojonegoro", "--json", str(out))
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["counts"]["error"] == 0 and report["counts"]["profile"] == 0
    assert report["releases"] == len(json.loads(out.read_text(encoding="utf-8"))["releases"]) > 12
    assert report["notices"] == []  # its registry extensions and our local one ship with the app
