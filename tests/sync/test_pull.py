"""Pull since the cursor: a review decision recorded on the server reaches the entry through
``apply_decision``; an idle check is one "304 Not Modified" round trip (ETag kept in sync_state)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from odc_desktop.domain.statuses import EntryStatus
from odc_desktop.storage.sql import SqlRepository
from odc_sync.client import SyncEngine, login
from odc_sync.server.db import in_transaction, make_engine, next_values, sqlite_url
from odc_sync.server.models import Decision, User
from tests.sync.conftest import add_entries
from tests.unit.form_samples import PROCESS


def _decide(server, uid: str, decision: str, comments: list) -> None:
    """What a supervisor's review will write (the review endpoints are the server's next slice)."""
    engine = make_engine(sqlite_url(Path(server.options[server.options.index("--data-dir") + 1])))

    def work(session: Session) -> None:
        supervisor = session.execute(select(User).where(User.username == "supervisor")).scalar_one()
        (seq,) = next_values(session, "change_seq", 1)
        session.add(Decision(entry_uid=uid, revision=1, opd_code=PROCESS["opd_code"], decision=decision,
                             comments=json.dumps(comments), decided_by=supervisor.id,
                             decided_at="2026-11-28T10:00:00+07:00", change_seq=seq))

    try:
        in_transaction(engine, work)
    finally:
        engine.dispose()


def test_decisions_arrive_by_pull_and_an_idle_pull_is_one_304(server, forms, tmp_path):
    data_dir = tmp_path / "pc"
    data_dir.mkdir()
    approved, returned = add_entries(data_dir, forms, 2, start=800, status="queued")
    repo = SqlRepository.open(data_dir)
    try:
        login(repo, data_dir, server.url, "operator", "operator")
        sync = SyncEngine(repo, data_dir, sleep=lambda s: None)
        assert sync.run().accepted == 2
        _decide(server, approved, "approve", [])
        _decide(server, returned, "return", [{"field": "pagu", "text": "Periksa pagu"}])
        summary = sync.run()
        assert summary.decisions == 2 and summary.error is None
        assert repo.entry_by_uid(approved).status == EntryStatus.APPROVED
        entry = repo.entry_by_uid(returned)
        assert entry.status == EntryStatus.RETURNED
        assert [(n.field_id, n.text) for n in repo.list_review_notes(entry.id)] == [("pagu", "Periksa pagu")]
        sync.run()  # the cursor's answer and its ETag
        idle = sync.run()
        assert idle.pull_unchanged and idle.decisions == 0 and idle.pushed == 0
    finally:
        repo.close()
