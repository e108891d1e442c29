"""Workflow operations on content, through a real SQLite store (issue 7, "What must be shown"):
looking creates nothing; autosave leaves the server revision alone; documents are content; locked
entries refuse every change; mark_ready refuses invalid data and missing documents; start_change
supersedes and links the documents; the audit log names the real actor."""

from __future__ import annotations

import getpass

import pytest

from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.repository import ReadOnlyEntry
from odc_desktop.workflow import (
    WorkflowRefused,
    add_document,
    mark_ready,
    open_stage,
    remove_document,
    save_draft,
    start_change,
)
from tests.unit.form_samples import valid_data
from tests.unit.workflow_helpers import PDF, entry_in, new_process
from tests.unit.workflow_helpers import forms, repo  # noqa: F401  (fixtures)

S = EntryStatus


def _audit_length(repo) -> int:
    return repo.verify_audit_chain().length


def test_opening_a_stage_creates_nothing(repo, forms):
    process_id = new_process(repo)
    before = _audit_length(repo)
    view = open_stage(repo, forms, process_id, Stage.TENDER)
    assert view.entry is None and view.form.stage == "tender" and view.own_form
    assert repo.entries_of_process(process_id) == [] and _audit_length(repo) == before


def test_the_first_save_starts_the_entry_with_the_current_form(repo, forms):
    process_id = new_process(repo)
    result = save_draft(repo, forms, process_id, Stage.PLANNING, {"pagu": 5})
    form = forms.current("planning")
    entry = result.entry
    assert (result.old_status, result.new_status) == (None, S.DRAFT)
    assert (entry.form_id, entry.form_version, entry.form_hash) == (form.id, form.version, form.content_hash)
    assert open_stage(repo, forms, process_id, Stage.PLANNING).entry == entry


def test_autosave_bumps_the_edit_counter_not_the_server_revision(repo, forms):
    entry = entry_in(repo, forms, new_process(repo), S.RETURNED)
    assert entry.revision == 1  # what the server accepted
    for n in range(5):
        result = save_draft(repo, forms, entry.process_id, Stage.PLANNING,
                            {**entry.data, "volume_pekerjaan": f"{1000 + n} m"}, entry_id=entry.id)
        assert result.changed
    saved = repo.get_entry(entry.id)
    assert (saved.revision, saved.edit_seq, saved.status) == (1, entry.edit_seq + 5, S.DRAFT)
    again = save_draft(repo, forms, entry.process_id, Stage.PLANNING, saved.data, entry_id=entry.id)
    assert not again.changed and repo.get_entry(entry.id) == saved  # the same data: nothing written


def test_adding_or_removing_a_document_changes_the_content_identity(repo, forms):
    process_id = new_process(repo)
    entry = save_draft(repo, forms, process_id, Stage.PLANNING, valid_data("planning")).entry
    added = add_document(repo, entry.id, PDF, "dpa.pdf", "dpa").entry
    assert added.content_sha256 != entry.content_sha256
    assert (added.edit_seq, added.revision) == (entry.edit_seq + 1, entry.revision)
    other_type = add_document(repo, entry.id, PDF, "dpa-lagi.pdf", "kak").entry
    assert other_type.content_sha256 != added.content_sha256  # the same file as another document type
    [_first, second] = repo.list_attachments(entry.id)
    removed = remove_document(repo, second.id).entry
    assert removed.content_sha256 == added.content_sha256  # the same content again: the same identity
    assert removed.edit_seq == other_type.edit_seq + 1


def test_a_ready_entry_whose_documents_change_is_a_draft_again(repo, forms):
    entry = entry_in(repo, forms, new_process(repo), S.READY)
    result = add_document(repo, entry.id, PDF + b"rup", "rup.pdf", "rup")
    assert (result.old_status, result.new_status) == (S.READY, S.DRAFT)


@pytest.mark.parametrize("status", [S.QUEUED, S.SUBMITTED, S.APPROVED])
def test_locked_entries_refuse_save_and_adding_or_removing_documents(repo, forms, status):
    entry = entry_in(repo, forms, new_process(repo), status)
    [attachment, *_] = repo.list_attachments(entry.id)
    before = _audit_length(repo)
    attempts = [
        lambda: save_draft(repo, forms, entry.process_id, Stage.PLANNING, {"pagu": 1}, entry_id=entry.id),
        lambda: save_draft(repo, forms, entry.process_id, Stage.PLANNING, {"pagu": 1}),
        lambda: add_document(repo, entry.id, PDF + b"more", "lagi.pdf", "rup"),
        lambda: remove_document(repo, attachment.id),
    ]
    for attempt in attempts:
        with pytest.raises(WorkflowRefused) as refused:
            attempt()
        assert refused.value.code == "workflow.entry_locked"
        assert status.title("en") in refused.value.message("en")
    for attempt in (lambda: repo.save_entry_data(entry.id, {"pagu": 1}),  # the store refuses too
                    lambda: repo.add_attachment(entry.id, PDF + b"more", "lagi.pdf", "rup"),
                    lambda: repo.remove_attachment(attachment.id)):
        with pytest.raises(ReadOnlyEntry):
            attempt()
    assert repo.get_entry(entry.id) == entry and _audit_length(repo) == before
    assert repo.list_attachments(entry.id)[0] == attachment


def test_mark_ready_refuses_invalid_data(repo, forms):
    process_id = new_process(repo)
    data = valid_data("planning")
    del data["uraian_pekerjaan"]
    data["rencana_pemilihan_selesai"] = "2024-02-01"  # before it starts
    entry = save_draft(repo, forms, process_id, Stage.PLANNING, data).entry
    for doc_type in ("dpa", "kak"):
        add_document(repo, entry.id, PDF + doc_type.encode(), f"{doc_type}.pdf", doc_type)
    with pytest.raises(WorkflowRefused) as refused:
        mark_ready(repo, forms, entry.id)
    assert refused.value.code == "workflow.invalid_data" and refused.value.params["count"] == 2
    assert {p.field_id for p in refused.value.params["problems"]} >= {"uraian_pekerjaan"}
    assert "2 field(s)" in refused.value.message("en")
    assert repo.get_entry(entry.id).status == S.DRAFT


def test_mark_ready_refuses_missing_documents(repo, forms):
    entry = save_draft(repo, forms, new_process(repo), Stage.PLANNING, valid_data("planning")).entry
    add_document(repo, entry.id, PDF, "dpa.pdf", "dpa")
    with pytest.raises(WorkflowRefused) as refused:
        mark_ready(repo, forms, entry.id)
    assert refused.value.code == "workflow.missing_documents" and "kak" in str(refused.value)
    assert repo.get_entry(entry.id).status == S.DRAFT
    add_document(repo, entry.id, PDF + b"kak", "kak.pdf", "kak")
    assert mark_ready(repo, forms, entry.id).new_status == S.READY


def test_mark_ready_refuses_an_entry_whose_form_is_not_here(repo, forms):
    process_id = new_process(repo)
    entry = repo.create_entry(process_id, Stage.PLANNING, "planning", 99, "f" * 64, valid_data("planning"))
    with pytest.raises(WorkflowRefused) as refused:
        mark_ready(repo, forms, entry.id)
    assert refused.value.code == "workflow.form_unknown" and "99" in refused.value.message("en")


def test_start_change_supersedes_the_approved_entry_and_links_its_documents(repo, forms, data_dir):
    approved = entry_in(repo, forms, new_process(repo), S.APPROVED)
    files_before = sorted(p.name for p in (data_dir / "files").rglob("*") if p.is_file())
    result = start_change(repo, forms, approved.id)
    change = result.entry
    assert (result.old_status, result.new_status) == (None, S.DRAFT)
    assert (change.supersedes_uid, change.base_revision, change.revision) == (approved.uid, approved.revision, 0)
    assert change.data == approved.data and change.content_sha256 == approved.content_sha256
    old_docs = [(a.sha256, a.document_type, a.filename) for a in repo.list_attachments(approved.id)]
    assert [(a.sha256, a.document_type, a.filename) for a in repo.list_attachments(change.id)] == old_docs
    assert sorted(p.name for p in (data_dir / "files").rglob("*") if p.is_file()) == files_before
    assert repo.get_entry(approved.id) == approved  # never edited
    with pytest.raises(WorkflowRefused) as refused:
        start_change(repo, forms, approved.id)  # the change exists already
    assert refused.value.code == "workflow.stage_busy"


@pytest.mark.parametrize("status", [S.DRAFT, S.READY, S.RETURNED])
def test_start_change_is_only_for_approved_or_submitted_entries(repo, forms, status):
    entry = entry_in(repo, forms, new_process(repo), status)
    with pytest.raises(WorkflowRefused) as refused:
        start_change(repo, forms, entry.id)
    assert refused.value.code == "workflow.wrong_status"
    assert refused.value.message("en") == (f"An entry with status '{status.title('en')}' cannot be "
                                           'changed with "Make a change".')  # the action said in English too
    assert str(refused.value).endswith('tidak dapat diubah lewat "Buat perubahan".')
    assert len(repo.entries_of_process(entry.process_id)) == 1


def test_the_audit_log_names_the_os_user_and_sync_state_is_not_audited(repo, forms, data_dir):
    import sqlite3

    save_draft(repo, forms, new_process(repo), Stage.PLANNING, {"pagu": 1})
    before = _audit_length(repo)
    repo.set_sync_state("cursor", "17")
    repo.set_sync_state("etag", '"abc"')
    assert repo.get_sync_state("cursor") == "17" and _audit_length(repo) == before
    repo.set_meta("theme", "dark")
    assert _audit_length(repo) == before + 1
    con = sqlite3.connect(data_dir / "odc.sqlite3")
    actors = {a for (a,) in con.execute("SELECT actor FROM audit_log WHERE action != 'init_device'")}
    con.close()
    assert actors == {getpass.getuser()}
