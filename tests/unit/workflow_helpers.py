"""Shared set-up of the workflow tests: a real SQLite store, the shipped forms, and helpers that take
an entry to any status through the workflow (statuses past ready through a receipt or decision)."""

from __future__ import annotations

import pytest

from odc_desktop.domain.forms.definition import FormSet, load_form_set
from odc_desktop.domain.model import Entry, NewProcess, Receipt
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.workflow import (
    apply_decision,
    apply_receipt,
    apply_refusal,
    mark_ready,
    queue,
    save_draft,
)
from tests.unit.form_samples import PROCESS, valid_data

PREFIX = "ocds-a1b2c3"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def lookup() -> FormSet:
    return load_form_set()


@pytest.fixture(scope="module")
def forms() -> FormSet:
    """The shipped forms as the workflow reads them (import this fixture into a test module)."""
    return lookup()


@pytest.fixture
def repo(data_dir):
    """A fresh SQLite store in the test's data folder (import this fixture into a test module)."""
    repo = SqlRepository.open(data_dir)
    yield repo
    repo.close()


def new_process(repo: SqlRepository, kode_rup: str | None = PROCESS["kode_rup"]) -> int:
    new = NewProcess(title=PROCESS["title"], opd_code=PROCESS["opd_code"], opd_name=PROCESS["opd_name"],
                     year=PROCESS["year"], kode_rup=kode_rup)
    return repo.create_process(new, PREFIX).id


def complete_draft(repo: SqlRepository, forms: FormSet, process_id: int) -> Entry:
    """A planning draft with valid data and its required documents."""
    entry = save_draft(repo, forms, process_id, Stage.PLANNING, valid_data("planning")).entry
    for doc_type in ("dpa", "kak"):
        repo.add_attachment(entry.id, PDF + doc_type.encode(), f"{doc_type}.pdf", doc_type)
    return repo.get_entry(entry.id)


def ready_planning(repo: SqlRepository, forms: FormSet, process_id: int) -> Entry:
    """A planning entry with valid data and its required documents, marked ready."""
    return mark_ready(repo, forms, complete_draft(repo, forms, process_id).id).entry


def receipt_for(entry: Entry, revision: int = 1) -> Receipt:
    return Receipt(entry_uid=entry.uid, server_seq=100 + revision, revision=revision,
                   content_sha256=entry.content_sha256, signature="sig", accepted_at="2025-01-01T00:00:00+07:00")


def entry_in(repo: SqlRepository, forms: FormSet, process_id: int, status: EntryStatus) -> Entry:
    """A planning entry brought to ``status`` the way the real world does."""
    if status == EntryStatus.DRAFT:
        return complete_draft(repo, forms, process_id)
    entry = ready_planning(repo, forms, process_id)
    if status == EntryStatus.READY:
        return entry
    entry = queue(repo, entry.id).entry
    if status == EntryStatus.QUEUED:
        return entry
    if status == EntryStatus.REJECTED_BY_SERVER:
        return apply_refusal(repo, entry.id, "schema").entry
    entry = apply_receipt(repo, receipt_for(entry)).entry
    if status == EntryStatus.SUBMITTED:
        return entry
    decision = "approve" if status == EntryStatus.APPROVED else "return"
    return apply_decision(repo, entry.id, decision, "verifikator", [("pagu", "Periksa pagu")]).entry


def as_server_return(repo: SqlRepository, entry: Entry, note: str = "Lengkapi dokumen") -> Entry:
    """Play the server for a ready entry: queue it, accept it (receipt), return it with ``note``."""
    queued = queue(repo, entry.id).entry
    submitted = apply_receipt(repo, receipt_for(queued)).entry
    return apply_decision(repo, submitted.id, "return", "verifikator.diskominfo", [(None, note)]).entry


def as_server_approve(repo: SqlRepository, entry: Entry) -> Entry:
    """Play the server for a ready entry: queue it, accept it (receipt), approve it."""
    queued = queue(repo, entry.id).entry
    submitted = apply_receipt(repo, receipt_for(queued)).entry
    return apply_decision(repo, submitted.id, "approve", "verifikator.diskominfo").entry
