"""The OCDS built from imported ISB processes is valid OCDS 1.1.5 (official schema, our validator).

The releases are made by the export code (``build_process_releases``) from the imported stage data
as draft entries would hold it, without a store: the workflow that stores them is another module's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from odc_desktop.domain.forms.definition import load_form_set
from odc_desktop.domain.model import Entry, Process
from odc_desktop.domain.ocds.packages import WIB, release_package
from odc_desktop.domain.ocds.release import DEFAULT_OCID_PREFIX, build_process_releases
from odc_desktop.domain.ocds.validation import validate_package
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.importers.isb import read_isb_files
from tests.conformance.official import official_package_validator, official_release_validator, require_official_files

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "isb"


def _process(number: int, key: str, fields: dict) -> Process:
    kode = fields["kode_rup"]
    ocid = f"{DEFAULT_OCID_PREFIX}-{kode}" if kode else f"{DEFAULT_OCID_PREFIX}-{key.replace(':', '-')}"
    return Process(id=number, ocid=ocid, title=fields["title"] or key, opd_code=fields["opd_code"] or "0",
                   opd_name=fields["opd_name"] or fields["opd_code"] or "OPD", year=fields["year"] or 2025,
                   kode_rup=kode, kecamatan=None, current_stage=Stage.PLANNING,
                   created_at="2025-10-03T08:00:00+07:00", updated_at="2025-10-03T08:00:00+07:00")


def _entry(forms, number: int, process_id: int, stage: str, data: dict) -> Entry:
    form = forms.for_stage(stage)
    return Entry(id=number, uid=f"imp{number:06d}", process_id=process_id, stage=Stage(stage), form_id=form.id,
                 form_version=form.version, form_hash=form.content_hash, data=data, status=EntryStatus.DRAFT,
                 revision=1, base_revision=None, content_sha256=hashlib.sha256(repr(data).encode()).hexdigest(),
                 created_at="2025-10-03T08:00:00+07:00", updated_at="2025-10-03T08:00:00+07:00")


@pytest.fixture(scope="module")
def imported_package() -> dict:
    require_official_files()
    forms = load_form_set()
    batch = read_isb_files(sorted(SAMPLES.glob("*.json")), forms)
    releases, number = [], 0
    for process_id, (key, rows) in enumerate(batch.processes().items(), start=1):
        process = _process(process_id, key, rows[0].process_fields)
        entries = []
        for row in rows:
            number += 1
            entries.append(_entry(forms, number, process_id, row.stage, row.data))
        releases.extend(build_process_releases(process, entries, forms))
    return release_package(releases, dt.datetime(2025, 10, 3, 8, 0, tzinfo=WIB))


def test_every_imported_stage_becomes_a_release(imported_package):
    releases = imported_package["releases"]
    assert len(releases) == 747
    assert len({r["ocid"] for r in releases}) == 349
    assert {t for r in releases for t in r["tag"]} >= {"planning", "tender", "award", "contract", "implementation"}


def test_official_schema_finds_zero_errors(imported_package):
    validator = official_release_validator()
    errors = [(r["id"], "/".join(map(str, e.absolute_path)), e.message)
              for r in imported_package["releases"] for e in validator.iter_errors(r)]
    assert errors == []
    assert list(official_package_validator().iter_errors(imported_package)) == []


def test_our_validator_finds_zero_errors(imported_package):
    assert [(p.path, p.message) for p in validate_package(imported_package) if p.severity == "error"] == []


def test_method_is_mapped_with_the_indonesian_label_kept(imported_package):
    tenders = [r["tender"] for r in imported_package["releases"] if r["ocid"].endswith("-55965678") and "tender" in r]
    planning = next(t for t in tenders if "procurementMethod" in t)
    assert (planning["procurementMethod"], planning["procurementMethodDetails"]) == ("selective", "Seleksi")
    assert planning["mainProcurementCategory"] == "services"
    assert planning["additionalProcurementCategories"] == ["consultingServices"]


@pytest.mark.slow
def test_libcoveocds_finds_zero_validation_errors(imported_package):
    from tests.conformance.official import libcove_errors

    assert libcove_errors(imported_package) == []
