"""The status transition matrix through the workflow on a real SQLite store (issue 7): every allowed
pair works, every other pair is refused and changes nothing; statuses past ready come only from a
receipt or a decision, and the store itself refuses them otherwise."""

from __future__ import annotations

import itertools

import pytest

from odc_desktop.domain.statuses import ALLOWED_TRANSITIONS, EntryStatus, InvalidTransition, Stage
from odc_desktop.workflow import (
    WorkflowRefused,
    apply_decision,
    apply_receipt,
    apply_refusal,
    mark_ready,
    queue,
    save_draft,
    unqueue,
)
from odc_desktop.messages.catalogue import template
from tests.unit.workflow_helpers import entry_in, new_process, receipt_for
from tests.unit.workflow_helpers import forms, repo  # noqa: F401  (fixtures)

S = EntryStatus


def _move(repo, forms, entry, target: EntryStatus):
    """The one workflow operation that takes an entry to ``target``."""
    if target == S.DRAFT:
        if entry.status == S.QUEUED:
            return unqueue(repo, entry.id)
        return save_draft(repo, forms, entry.process_id, Stage.PLANNING,
                          {**entry.data, "volume_pekerjaan": "1.300 m"}, entry_id=entry.id)
    if target == S.READY:
        return mark_ready(repo, forms, entry.id)
    if target == S.QUEUED:
        return queue(repo, entry.id)
    if target == S.SUBMITTED:
        return apply_receipt(repo, receipt_for(entry))
    if target == S.APPROVED:
        return apply_decision(repo, entry.id, "approve", "verifikator")
    if target == S.RETURNED:
        return apply_decision(repo, entry.id, "return", "verifikator", [(None, "Lengkapi")])
    return apply_refusal(repo, entry.id, "schema")


PAIRS = [(a, b) for a, b in itertools.product(S, S) if a != b]
#: mark_ready of a returned or rejected entry passes through draft (two allowed steps in one).
THROUGH_DRAFT = {(S.RETURNED, S.READY), (S.REJECTED_BY_SERVER, S.READY)}


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=[f"{a.value}->{b.value}" for a, b in PAIRS])
def test_transition_matrix(repo, forms, old, new):
    process_id = new_process(repo)
    entry = entry_in(repo, forms, process_id, old)
    assert entry.status == old
    allowed = new in ALLOWED_TRANSITIONS[old] or (old, new) in THROUGH_DRAFT
    if allowed:
        result = _move(repo, forms, entry, new)
        assert (result.old_status, result.new_status) == (old, new)
        assert repo.get_entry(entry.id).status == new
        assert result.entry_ids == (entry.id,) and result.process_ids == (process_id,)
    else:
        audit_before = repo.verify_audit_chain().length
        with pytest.raises(WorkflowRefused) as refused:
            _move(repo, forms, entry, new)
        assert refused.value.code.startswith("workflow.") and template(refused.value.code, "en")
        assert refused.value.message("en") != refused.value.message("id")
        assert repo.get_entry(entry.id) == entry  # nothing changed
        assert repo.verify_audit_chain().length == audit_before


def test_the_store_refuses_server_statuses_without_a_receipt_or_decision(repo, forms):
    entry = entry_in(repo, forms, new_process(repo), S.QUEUED)
    assert not hasattr(repo, "set_entry_status")
    for status in (S.SUBMITTED, S.APPROVED, S.RETURNED, S.REJECTED_BY_SERVER):
        with pytest.raises(InvalidTransition):
            repo.set_local_status(entry.id, status)
    assert repo.get_entry(entry.id).status == S.QUEUED


def test_queue_writes_the_outbox_row_and_a_receipt_empties_it(repo, forms):
    entry = entry_in(repo, forms, new_process(repo), S.READY)
    queued = queue(repo, entry.id).entry
    [item] = repo.list_outbox()
    assert (item.entry_id, item.content_sha256) == (entry.id, queued.content_sha256)
    submitted = apply_receipt(repo, receipt_for(queued, revision=7)).entry
    assert submitted.revision == 7
    assert repo.list_outbox() == []
    assert [r.revision for r in repo.receipts_of_entry(entry.id)] == [7]


def test_a_receipt_for_other_content_is_refused_and_stored_nowhere(repo, forms):
    entry = entry_in(repo, forms, new_process(repo), S.QUEUED)
    other = receipt_for(entry)
    other = type(other)(**{**other.__dict__, "content_sha256": "f" * 64})
    with pytest.raises(WorkflowRefused) as refused:
        apply_receipt(repo, other)
    assert refused.value.code == "workflow.receipt_mismatch"
    assert repo.get_entry(entry.id).status == S.QUEUED
    assert repo.receipts_of_entry(entry.id) == []
    with pytest.raises(Exception):  # the store checks too, under its own lock
        repo.record_receipt(entry.id, other)
    assert repo.get_entry(entry.id).status == S.QUEUED


def test_a_returned_entry_keeps_the_reviewers_notes(repo, forms):
    entry = entry_in(repo, forms, new_process(repo), S.RETURNED)
    assert [(n.field_id, n.text, n.author) for n in repo.list_review_notes(entry.id)] == [
        ("pagu", "Periksa pagu", "verifikator")]
