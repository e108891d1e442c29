"""Take a stored entry through statuses with the store's own primitives (tests only).

Local statuses through ``set_local_status``; the server's through a receipt for the entry's exact
content or a reviewer's decision, as sync will deliver them. Unlike the workflow it does not check
the entry's data or documents, so a test can show a half-filled entry in any status.
"""

from __future__ import annotations

from odc_desktop.domain.model import Entry, Receipt
from odc_desktop.domain.statuses import EntryStatus

TO_SUBMITTED = (EntryStatus.READY, EntryStatus.QUEUED, EntryStatus.SUBMITTED)
TO_APPROVED = (*TO_SUBMITTED, EntryStatus.APPROVED)


def advance(repo, entry_id: int, *statuses: EntryStatus) -> Entry:
    """Move the entry through ``statuses`` in order; returns it as stored at the end."""
    entry = repo.get_entry(entry_id)
    for status in statuses:
        entry = repo.get_entry(entry_id)
        if status == EntryStatus.SUBMITTED:
            receipt = Receipt(entry.uid, 1, entry.revision + 1, entry.content_sha256, "sig",
                              "2026-01-01T00:00:00+07:00")
            entry = repo.record_receipt(entry_id, receipt, actor="tester")
        elif status in (EntryStatus.APPROVED, EntryStatus.RETURNED):
            entry = repo.record_decision(entry_id, status, "verifikator", actor="tester")
        elif status == EntryStatus.REJECTED_BY_SERVER:
            entry = repo.record_refusal(entry_id, "schema", actor="tester")
        else:
            entry = repo.set_local_status(entry_id, status, actor="tester")
    return entry
