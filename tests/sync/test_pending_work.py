"""What the status bar says is still to send (``pending_work``), counted by the store in one query on a
real store: queued entries only, each document's bytes still missing, a file shared by several entries
once, nothing for a file one of whose copies is on the server, and the part a cut upload already sent
left out."""

from __future__ import annotations

from odc_desktop.storage.sql import SqlRepository
from odc_desktop.sync_status import PendingWork, pending_work
from tests.sync.conftest import PDF, add_entries


def _kak(repo, uid):
    entry = next(e for e in repo.iter_entries() if e.uid == uid)
    return {a.filename: a for a in repo.list_attachments(entry.id)}


def test_pending_work_counts_queued_entries_and_each_missing_file_once(data_dir, forms):
    queued = add_entries(data_dir, forms, 3, status="queued", big=None)
    add_entries(data_dir, forms, 1, start=10, status="ready")
    repo = SqlRepository.open(data_dir)
    try:
        dpa = len(PDF + b"dpa")  # the same DPA in every entry: one file
        kaks = [_kak(repo, uid)["kak.pdf"] for uid in queued]
        assert pending_work(repo) == PendingWork(3, dpa + sum(k.size for k in kaks))

        repo.set_upload_state(kaks[0].id, kaks[0].sha256, 10, False, "http://x/files/1")  # cut after 10 B
        assert pending_work(repo) == PendingWork(3, dpa + sum(k.size for k in kaks) - 10)

        repo.set_upload_state(kaks[1].id, kaks[1].sha256, kaks[1].size, True, None)
        first_dpa = _kak(repo, queued[2])["dpa.pdf"]
        repo.set_upload_state(first_dpa.id, first_dpa.sha256, dpa, True, None)  # one copy of the DPA is up
        assert pending_work(repo) == PendingWork(3, kaks[0].size - 10 + kaks[2].size)
    finally:
        repo.close()
