"""Schema step 5 on a store frozen at version 4 (tests/data/store_v4, made by
tests/data/make_store_v4.py with the version 4 code): every row of version 4 survives untouched, the
review tables are there and work, and the audit chain goes on from where it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from odc_desktop.domain.review import DecisionStatus, ReviewNote
from odc_desktop.storage.db import DB_FILENAME, LATEST_VERSION
from odc_desktop.storage.sql import SqlRepository
from tests.unit.test_store_upgrade import _rows

FROZEN = Path(__file__).parents[1] / "data" / "store_v4"
V4_TABLES = ("processes", "entries", "attachments", "review_notes", "audit_log", "meta", "ocid_aliases",
             "outbox", "receipts", "attachment_uploads", "sync_state", "import_sources")


@pytest.fixture
def upgraded(tmp_path):
    folder = tmp_path / "store"
    shutil.copytree(FROZEN, folder)
    db = folder / DB_FILENAME
    assert _rows(db, "PRAGMA user_version") == [(4,)]
    before = {name: _rows(db, f"SELECT * FROM {name} ORDER BY 1") for name in V4_TABLES}
    repo = SqlRepository.open(folder)
    yield repo, db, before
    repo.close()


def test_every_version_4_row_survives(upgraded):
    repo, db, before = upgraded
    assert _rows(db, "PRAGMA user_version") == [(LATEST_VERSION,)] and LATEST_VERSION >= 5
    for name in V4_TABLES:
        assert _rows(db, f"SELECT * FROM {name} ORDER BY 1") == before[name], name
    assert len(before["outbox"]) == 1 and before["sync_state"]
    assert repo.list_outbox()[0].entry_uid == before["outbox"][0][2]
    assert repo.get_sync_state("cursor") == "7"
    check = repo.verify_audit_chain()
    assert check.ok and check.length == len(before["audit_log"])
    assert repo.integrity_check()["ok"]
    assert repo.list_review_items() == [] and repo.list_review_decisions() == []


def test_the_review_tables_work_after_the_upgrade(upgraded):
    repo, _db, before = upgraded
    item = {"id": "e1", "revision": 2, "ocid": "ocds-x-1", "stage": "planning", "payload": {"data": {"pagu": 1}}}
    repo.replace_review_items([item])
    decision = repo.queue_review_decision("e1", 2, "return", [ReviewNote(None, "Lengkapi"), ReviewNote("pagu", "Cek")],
                                          "supervisor", actor="supervisor")
    assert decision.status == DecisionStatus.QUEUED
    repo.replace_review_items([])  # a pull while the decision waits keeps its item
    [kept] = repo.list_review_items()
    assert kept.entry_uid == "e1" and kept.data == {"pagu": 1} and kept.decision.notes[1] == ReviewNote("pagu", "Cek")
    repo.record_review_answer(decision.id, DecisionStatus.SENT, actor="supervisor")
    assert repo.list_review_items() == []
    check = repo.verify_audit_chain()
    assert check.ok and check.length == len(before["audit_log"]) + 2
