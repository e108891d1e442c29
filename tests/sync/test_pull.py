"""Pull since the cursor: a supervisor's decision on the server (its review endpoint) reaches the
entry through ``apply_decision`` only when signed by the pinned server key; an idle check is one
"304 Not Modified" round trip (ETag kept in sync_state)."""

from __future__ import annotations

from odc_desktop.domain.statuses import EntryStatus
from odc_desktop.storage.sql import SqlRepository
from odc_sync.client import SyncEngine, login
from tests.server.api import Api
from odc_sync.protocol.signing import public_key_from_b64
from tests.server.review_api import decide, pull_all
from tests.sync.conftest import add_entries


def _decide(server, uid: str, decision: str, notes: list) -> None:
    """The demo supervisor decides through the server's review endpoint (four eyes: not the author)."""
    supervisor = Api(server.url)
    try:
        assert supervisor.login("supervisor", "supervisor").status_code == 200
        answer = decide(supervisor, uid, 1, decision, notes)
        assert answer.status_code == 200, answer.text
    finally:
        supervisor.close()


def test_decisions_arrive_by_pull_and_an_idle_pull_is_one_304(server, forms, tmp_path):
    data_dir = tmp_path / "pc"
    data_dir.mkdir()
    approved, returned, waiting = add_entries(data_dir, forms, 3, start=800, status="queued")
    repo = SqlRepository.open(data_dir)
    try:
        login(repo, data_dir, server.url, "operator", "operator")
        sync = SyncEngine(repo, data_dir, sleep=lambda s: None)
        assert sync.run().accepted == 3
        _decide(server, approved, "approve", [])
        _decide(server, returned, "return", [{"field": None, "text": "Lengkapi dulu"},
                                             {"field": "pagu", "text": "Periksa pagu"}])
        summary = sync.run()
        assert summary.decisions == 2 and summary.error is None
        assert repo.entry_by_uid(approved).status == EntryStatus.APPROVED
        entry = repo.entry_by_uid(returned)
        assert entry.status == EntryStatus.RETURNED
        assert [(n.field_id, n.text) for n in repo.list_review_notes(entry.id)] == [
            (None, "Lengkapi dulu"), ("pagu", "Periksa pagu")]
        # A decision not signed by the pinned key (here: a real one re-addressed to another entry) is
        # passed over; the entry stays submitted.
        operator = Api(server.url)
        try:
            operator.login("operator", "operator")
            signed = next(d for d in pull_all(operator)["decisions"] if d["entry"] == approved)
        finally:
            operator.close()
        key = public_key_from_b64(repo.get_sync_state("server_key"))
        assert sync._apply_decision(dict(signed, entry=waiting), key) == 0
        assert repo.entry_by_uid(waiting).status == EntryStatus.SUBMITTED
        sync.run()  # the cursor's answer and its ETag
        idle = sync.run()
        assert idle.pull_unchanged and idle.decisions == 0 and idle.pushed == 0
    finally:
        repo.close()
