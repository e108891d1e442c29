"""Releases built from valid data pass the OFFICIAL OCDS 1.1.5 schema and libcoveocds, offline."""

from __future__ import annotations

import json

import pytest
from ocdsmerge.rules import get_merge_rules

from odc_desktop.domain.ocds import profile
from odc_desktop.domain.forms.definition import load_form_set
from odc_desktop.domain.ocds.release import build_process_releases, record_package, release_package
from odc_desktop.domain.ocds.validation import validate_package
from tests.conformance.official import (
    libcove_result, official_errors, official_package_validator, official_release_validator,
    require_official_files, schema_dir, sockets_blocked)
from tests.conftest import official_ocds_dir
from tests.unit.release_samples import sample_attachments, sample_entries, sample_process


@pytest.fixture(scope="module")
def releases():
    require_official_files()
    forms = load_form_set()
    entries = sample_entries(forms)
    return build_process_releases(sample_process(), entries, forms, sample_attachments(entries))


@pytest.fixture(scope="module")
def package(releases):
    return release_package(releases, "2024-10-01T12:00:00+07:00")


def test_each_stage_release_passes_the_official_release_schema(releases):
    assert [r["tag"][0] for r in releases] == ["planning", "tender", "award", "contract", "implementation",
                                               "contractTermination"]
    validator = official_release_validator()
    assert {r["id"]: official_errors(r, validator) for r in releases} == {r["id"]: [] for r in releases}


def test_release_and_record_packages_pass_the_official_package_schemas(package, releases):
    assert official_errors(package, official_package_validator("release")) == []
    records = record_package(releases, "2024-10-01T12:00:00+07:00")
    assert official_errors(records, official_package_validator("record")) == []
    assert official_errors(records["records"][0]["compiledRelease"], official_release_validator()) == []


def test_the_official_schema_catches_what_it_should(releases):
    """Guards the helper itself: a broken release must fail the official schema."""
    broken = json.loads(json.dumps(releases[2]))
    broken["awards"][0]["status"] = "menang"
    broken["date"] = "2024-04-02"
    found = official_errors(broken, official_release_validator())
    assert len(found) == 2 and any(line.startswith("awards/0/status") for line in found)


def test_libcoveocds_reports_no_validation_errors(package):
    # Sockets are blocked inside libcove_result; the package goes without its `extensions` list
    # (see the comment there): libcoveocds would otherwise download every listed extension.
    result = libcove_result(package)
    assert result["validation_errors"] == []
    assert result["additional_closed_codelist_values"] == {}
    assert result["additional_open_codelist_values"] == {}
    assert not result["additional_checks"]  # e.g. no empty strings, objects or arrays


def test_libcoveocds_finds_the_schema_errors_we_also_find(package):
    broken = json.loads(json.dumps(package))
    broken["releases"][3]["contracts"][0]["value"]["amount"] = "satu miliar"
    broken["releases"][3]["contracts"][0]["status"] = "berjalan"
    result = libcove_result(broken)
    assert len(result["validation_errors"]) == 1  # the amount; libcove lists closed codelists apart
    assert "berjalan" in json.dumps(result["additional_closed_codelist_values"])
    assert sorted(p.path for p in validate_package(broken)) == ["releases/3/contracts/0/status",
                                                                 "releases/3/contracts/0/value/amount"]


def test_profile_merge_rules_agree_with_the_official_schema():
    official = get_merge_rules(json.loads((schema_dir() / "release-schema.json").read_text(encoding="utf-8")))
    ours = get_merge_rules(json.loads(json.dumps(profile.release_schema())))
    shared = set(official) & set(ours)
    assert {path: ours[path] for path in shared} == {path: official[path] for path in shared}
    assert {("id",), ("date",), ("tag",), ("parties", "roles")} <= shared
    # Paths only we have come from the location extension (arrays of non-objects: replaced whole).
    assert all("deliveryLocation" in path for path in set(ours) - set(official))


def _official_example_packages():
    folders = [official_ocds_dir() / "examples", official_ocds_dir() / "fictional-example-1.1"]
    return sorted(path for folder in folders if folder.exists() for path in folder.rglob("*.json"))


def test_official_examples_validate_without_crashing():
    require_official_files()
    paths = _official_example_packages()
    assert len(paths) > 20
    kinds = {"package": 0, "other": 0}
    with sockets_blocked():
        for path in paths:
            data = json.loads(path.read_text(encoding="utf-8"))
            found = validate_package(data)
            assert all(p.code and p.message for p in found), path
            is_package = isinstance(data, dict) and ("releases" in data or "records" in data)
            kinds["package" if is_package else "other"] += 1
            if is_package:
                assert not any(p.code == "not_ocds" for p in found), path
    assert kinds["package"] >= 10


def test_fictional_example_record_compiles_and_its_award_links_hold():
    require_official_files()
    path = official_ocds_dir() / "fictional-example-1.1" / "ocds-213czf-000-00001.json"
    found = validate_package(json.loads(path.read_text(encoding="utf-8")))
    codes = {p.code for p in found}
    # OCP's example is in GBP and uses nulls our profile does not allow, but its references are sound.
    assert "schema.enum" in codes
    assert not codes & {"dangling_award_id", "duplicate_id", "party_missing", "period_reversed", "merge_failed"}
