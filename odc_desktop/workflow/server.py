"""Workflow operations between the device and the server: queue an entry to send, take it back,
and apply what the server said (a receipt, a reviewer's decision, a refusal).

``submitted``, ``approved``, ``returned`` and ``rejected_by_server`` are reachable only here: the
store's :meth:`set_local_status` refuses them, and these operations need the server's word.
"""

from __future__ import annotations

from odc_desktop.domain.model import Receipt
from odc_desktop.domain.statuses import EntryStatus
from odc_desktop.messages import Msg
from odc_desktop.storage.repository import Repository
from odc_desktop.workflow.refused import WorkflowRefused
from odc_desktop.workflow.results import Changed, changed

#: A reviewer's decision → the status it gives.
DECISIONS = {"approve": EntryStatus.APPROVED, "return": EntryStatus.RETURNED}


def _require(entry, status: EntryStatus, action: str) -> None:
    if entry.status != status:
        # what was refused, said as the message workflow.action_<action> ("queue", "receipt", …)
        raise WorkflowRefused("workflow.wrong_status", status=entry.status, action=Msg(f"workflow.action_{action}"))


def queue(repo: Repository, entry_id: int, actor: str | None = None) -> Changed:
    """ready → queued; the outbox row (with the content identity to send) is written with it."""
    with repo.batch():
        entry = repo.get_entry(entry_id)
        _require(entry, EntryStatus.READY, "queue")
        return changed(repo.set_local_status(entry.id, EntryStatus.QUEUED, actor=actor), entry.status)


def unqueue(repo: Repository, entry_id: int, actor: str | None = None) -> Changed:
    """queued → draft: take an entry back from the outbox before it is sent."""
    with repo.batch():
        entry = repo.get_entry(entry_id)
        _require(entry, EntryStatus.QUEUED, "unqueue")
        return changed(repo.set_local_status(entry.id, EntryStatus.DRAFT, actor=actor), entry.status)


def apply_receipt(repo: Repository, receipt: Receipt, actor: str | None = "sync") -> Changed:
    """queued → submitted, only with a receipt for exactly the entry's content; the receipt is
    stored and the entry's server revision becomes the receipt's."""
    with repo.batch():
        entry = repo.entry_by_uid(receipt.entry_uid)
        if entry is None:
            raise WorkflowRefused("workflow.receipt_mismatch")
        _require(entry, EntryStatus.QUEUED, "receipt")
        if receipt.content_sha256 != entry.content_sha256:
            raise WorkflowRefused("workflow.receipt_mismatch")
        return changed(repo.record_receipt(entry.id, receipt, actor=actor), entry.status)


def apply_decision(repo: Repository, entry_id: int, decision: str, reviewer: str,
                   notes: list[tuple[str | None, str]] = (), actor: str | None = "sync") -> Changed:
    """submitted → approved (``decision`` "approve") or returned ("return", with the reviewer's
    (field id, text) notes)."""
    status = DECISIONS.get(decision)
    if status is None:
        raise WorkflowRefused("workflow.bad_decision", decision=decision)
    with repo.batch():
        entry = repo.get_entry(entry_id)
        _require(entry, EntryStatus.SUBMITTED, "decision")
        return changed(repo.record_decision(entry.id, status, reviewer, list(notes), actor=actor),
                       entry.status)


def apply_refusal(repo: Repository, entry_id: int, reason: str, actor: str | None = "sync") -> Changed:
    """queued → rejected_by_server (the server refused the content; the operator fixes it)."""
    with repo.batch():
        entry = repo.get_entry(entry_id)
        _require(entry, EntryStatus.QUEUED, "refusal")
        return changed(repo.record_refusal(entry.id, reason, actor=actor), entry.status)

