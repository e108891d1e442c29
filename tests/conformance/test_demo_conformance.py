"""Every release of ``odc demo-data --processes 300`` is valid OCDS 1.1.5 for the official tools."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.conformance.official import libcove_errors, official_release_validator, require_official_files

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory) -> tuple[dict, int, str]:
    """The exported package, the number of entries demo-data made, and export's output."""
    require_official_files()
    data_dir = tmp_path_factory.mktemp("demo300")
    out = data_dir / "export.json"
    base = [sys.executable, "-m", "odc_desktop.cli", "--data-dir", str(data_dir)]
    made = subprocess.run(base + ["demo-data", "--processes", "300", "--attachments", "60", "--seed", "11"],
                          capture_output=True, text=True, timeout=900)
    assert made.returncode == 0, made.stderr
    exported = subprocess.run(base + ["export", "--out", str(out)], capture_output=True, text=True,
                              timeout=900)
    assert exported.returncode == 0, exported.stderr
    entries = int(re.search(r"([\d.]+) entri tahap", made.stdout).group(1).replace(".", ""))  # "1.435"
    return json.loads(out.read_text(encoding="utf-8")), entries, exported.stdout


@pytest.fixture(scope="module")
def demo_package(demo_export) -> dict:
    return demo_export[0]


def test_every_demo_process_is_exported(demo_package):
    ocids = {r["ocid"] for r in demo_package["releases"]}
    assert len(ocids) == 300
    tags = {t for r in demo_package["releases"] for t in r["tag"]}
    assert {"planning", "tender", "award", "contract", "implementation", "contractTermination"} <= tags


def test_export_skips_no_entry(demo_export):
    package, entries, output = demo_export
    assert "dilewati" not in output
    assert len(package["releases"]) == entries


def test_official_release_schema_finds_zero_errors(demo_package):
    validator = official_release_validator()
    errors = [(r["id"], e.message) for r in demo_package["releases"] for e in validator.iter_errors(r)]
    assert errors == []


def test_libcoveocds_finds_zero_validation_errors(demo_package):
    assert libcove_errors(demo_package) == []


def test_our_validator_agrees(demo_package):
    from odc_desktop.domain.ocds.validation import validate_package

    assert [p for p in validate_package(demo_package) if p.severity == "error"] == []
