"""Several entries per stage (issue 7, "What must be shown"): the export of a real SQLite store picks,
per stage, the newest entry that is valid; a change of an approved entry is published as an update
(``tenderUpdate``, ``contractAmendment``); and an entry is checked against the other stages' data that
the export really publishes, not against a newer draft that it leaves out."""

from __future__ import annotations

from typing import Any

import pytest

from odc_desktop.domain.ocds import export
from odc_desktop.domain.forms.definition import FormSet, load_form_set
from odc_desktop.domain.model import Entry, NewProcess
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.workflow import mark_ready, save_draft, start_change
from tests.unit.form_samples import VALID_DATA, valid_data
from tests.unit.workflow_helpers import PDF, as_server_approve

PREFIX = "ocds-a1b2c3"


@pytest.fixture(scope="module")
def forms() -> FormSet:
    return load_form_set()


@pytest.fixture
def repo(data_dir):
    repo = SqlRepository.open(data_dir)
    yield repo
    repo.close()


@pytest.fixture
def process_id(repo, forms) -> int:
    opd = forms.codelists["opd"].items[0]
    new = NewProcess(title="Pembangunan Jalan Desa Napis", opd_code=opd.code, opd_name=opd.label["id"],
                     year=2024, kode_rup="41234567")
    process = repo.create_process(new, PREFIX)
    return process.id


def _entry(repo, forms: FormSet, process_id: int, stage: str, data: dict[str, Any],
           approved: bool = False) -> Entry:
    """An entry of ``stage`` with ``data`` made through the workflow (a change of the stage's approved
    entry when it has one); ``approved``: with its required documents, ready, accepted, approved."""
    lookup = forms
    current = repo.current_entry(process_id, Stage(stage))
    entry_id = None
    if current is not None and current.status == EntryStatus.APPROVED:
        entry_id = start_change(repo, lookup, current.id).entry.id
    entry = save_draft(repo, lookup, process_id, Stage(stage), data, entry_id).entry
    if approved:
        have = {a.document_type for a in repo.list_attachments(entry.id)}
        for doc in forms.for_stage(Stage(stage)).documents:
            if doc.required and doc.type not in have:
                repo.add_attachment(entry.id, PDF + doc.type.encode(), f"{doc.type}.pdf", doc.type)
        entry = as_server_approve(repo, mark_ready(repo, lookup, entry.id).entry)
    return repo.get_entry(entry.id)


def _releases_by_stage(repo, forms: FormSet) -> tuple[dict[str, dict[str, Any]], list]:
    result = export.export_package(repo, forms)
    by_stage = {release["id"].split("-")[0]: release for release in result.package["releases"]}
    assert len(by_stage) == len(result.package["releases"])  # one release per stage
    return by_stage, result.skipped


def test_the_newest_valid_entry_of_a_stage_is_exported_as_an_update_of_the_approved_one(repo, forms,
                                                                                          process_id):
    _entry(repo, forms, process_id, "planning", valid_data("planning"), approved=True)
    first = _entry(repo, forms, process_id, "tender", valid_data("tender"), approved=True)
    changed = valid_data("tender")
    changed["hps"] = VALID_DATA["tender"]["hps"] - 1_000_000
    change = _entry(repo, forms, process_id, "tender", changed)
    releases, skipped = _releases_by_stage(repo, forms)
    assert skipped == []
    assert releases["tender"]["id"].endswith(f"{change.uid}-r{change.edit_seq}")
    assert releases["tender"]["tender"]["value"]["amount"] == changed["hps"]
    assert releases["tender"]["tag"] == ["tenderUpdate"]  # it supersedes the approved one
    assert first.uid not in releases["tender"]["id"]
    assert releases["planning"]["tag"] == ["planning"]


def test_an_invalid_newer_draft_leaves_the_older_valid_entry_in_the_export(repo, forms, process_id):
    approved = _entry(repo, forms, process_id, "tender", valid_data("tender"), approved=True)
    unfinished = valid_data("tender")
    del unfinished["hps"]
    _entry(repo, forms, process_id, "tender", unfinished)
    releases, skipped = _releases_by_stage(repo, forms)
    assert releases["tender"]["id"].endswith(f"{approved.uid}-r{approved.edit_seq}")
    assert releases["tender"]["tag"] == ["tender"]
    assert skipped == [(f"{PREFIX}-41234567", "tender", 1)]  # the operator is told what was left out


def test_a_contract_change_that_adds_an_adendum_is_exported_as_an_amendment(repo, forms, process_id):
    for stage in ("planning", "tender", "award"):
        _entry(repo, forms, process_id, stage, valid_data(stage), approved=True)
    _entry(repo, forms, process_id, "contract", valid_data("contract"), approved=True)
    grown = valid_data("contract")
    grown["adendum"].append({"tanggal": "2024-09-01", "alasan": "Tambah volume.", "uraian": "Adendum II"})
    _entry(repo, forms, process_id, "contract", grown)
    releases, skipped = _releases_by_stage(repo, forms)
    assert skipped == []
    assert releases["contract"]["tag"] == ["contractAmendment"]


def test_cross_stage_rules_use_the_data_that_is_exported_not_a_left_out_draft(repo, forms, process_id):
    _entry(repo, forms, process_id, "planning", valid_data("planning"), approved=True)
    lowered = valid_data("planning")
    lowered["pagu"] = VALID_DATA["tender"]["hps"] - 1  # would make the tender's HPS exceed the pagu ...
    del lowered["uraian_pekerjaan"]  # ... but this draft is unfinished, so it is not exported
    _entry(repo, forms, process_id, "planning", lowered)
    _entry(repo, forms, process_id, "tender", valid_data("tender"))
    releases, skipped = _releases_by_stage(repo, forms)
    assert releases["planning"]["planning"]["budget"]["amount"]["amount"] == VALID_DATA["planning"]["pagu"]
    assert "tender" in releases  # checked against the published pagu, which it does not exceed
    assert skipped == [(f"{PREFIX}-41234567", "planning", 1)]
