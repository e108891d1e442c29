"""Schema step 4 on a store frozen at version 3 (tests/data/store_v3, made by
tests/data/make_store_v3.py with the version 3 code): every process, entry, attachment, review note
and the audit chain survive; the new columns are filled as storage/schema_v4.py says."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.common import content_identity
from odc_desktop.storage.db import DB_FILENAME, LATEST_VERSION
from odc_desktop.storage.sql import SqlRepository

FROZEN = Path(__file__).parents[1] / "data" / "store_v3"


def _rows(path: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def upgraded(tmp_path):
    folder = tmp_path / "store"
    shutil.copytree(FROZEN, folder)
    db = folder / DB_FILENAME
    assert _rows(db, "PRAGMA user_version") == [(3,)]
    before = {
        "processes": _rows(db, "SELECT id, ocid, kode_rup, title, opd_code, opd_name, year, kecamatan, "
                               "current_stage, statuses FROM processes ORDER BY id"),
        "entries": _rows(db, "SELECT id, uid, process_id, stage, form_id, form_version, form_hash, data, "
                             "status, revision, base_revision, created_at FROM entries ORDER BY id"),
        "attachments": _rows(db, "SELECT * FROM attachments ORDER BY id"),
        "notes": _rows(db, "SELECT * FROM review_notes ORDER BY id"),
        "audit": _rows(db, "SELECT * FROM audit_log ORDER BY seq"),
        "meta": _rows(db, "SELECT * FROM meta ORDER BY key"),
    }
    repo = SqlRepository.open(folder)
    yield repo, db, before
    repo.close()


def test_the_upgrade_keeps_every_row_and_the_audit_chain(upgraded):
    repo, db, before = upgraded
    assert _rows(db, "PRAGMA user_version") == [(LATEST_VERSION,)] and LATEST_VERSION >= 4
    assert len(before["processes"]) == 3 and len(before["entries"]) == 5 and len(before["attachments"]) == 3
    after_processes = _rows(db, "SELECT id, ocid, kode_rup, title, opd_code, opd_name, year, kecamatan, "
                                "current_stage, statuses FROM processes ORDER BY id")
    assert after_processes == before["processes"]
    assert _rows(db, "SELECT * FROM attachments ORDER BY id") == before["attachments"]
    assert _rows(db, "SELECT * FROM review_notes ORDER BY id") == before["notes"]
    assert _rows(db, "SELECT * FROM audit_log ORDER BY seq") == before["audit"]  # the upgrade writes none
    assert _rows(db, "SELECT * FROM meta ORDER BY key") == before["meta"]
    check = repo.verify_audit_chain()
    assert check.ok and check.length == len(before["audit"])
    report = repo.integrity_check()
    assert report["ok"], report
    assert report["counts"] == {"processes": 3, "entries": 5, "attachments": 3}
    for (pid, ocid, *_rest) in before["processes"]:
        process = repo.get_process(pid)
        assert process.ocid == ocid and len(process.uid) == 32
    assert len({repo.get_process(p[0]).uid for p in before["processes"]}) == 3


def test_the_new_columns_say_what_the_old_store_knew(upgraded):
    repo, _db, before = upgraded
    for (eid, uid, pid, stage, form_id, version, form_hash, _data, status, revision, base, _c) in before["entries"]:
        entry = repo.get_entry(eid)
        assert (entry.uid, entry.process_id, entry.stage.value, entry.status.value) == (uid, pid, stage, status)
        assert entry.edit_seq == revision  # the old revision counted local edits
        seen = status in ("submitted", "approved", "returned")
        assert entry.revision == (revision if seen else 0)
        assert entry.base_revision == base
        documents = [(a.sha256, a.document_type) for a in repo.list_attachments(eid)]
        assert entry.content_sha256 == content_identity(form_id, version, form_hash, entry.data, documents)
    approved, change = repo.entries_of_process(1)[:2]
    assert approved.status == EntryStatus.APPROVED and change.supersedes_uid == approved.uid
    assert repo.current_entry(1, Stage.TENDER).status == EntryStatus.READY
    assert [n.text for n in repo.list_review_notes(4)] == ["Pagu tidak sesuai RUP"]
    assert repo.read_attachment(repo.list_attachments(3)[0]).startswith(b"%PDF")


def test_an_upgraded_store_takes_new_writes(upgraded):
    repo, _db, before = upgraded
    draft = repo.current_entry(3, Stage.PLANNING)
    saved = repo.save_entry_data(draft.id, {"pagu": 1})
    assert (saved.edit_seq, saved.revision) == (draft.edit_seq + 1, 0)
    repo.set_sync_state("cursor", "42")
    assert repo.verify_audit_chain().length == len(before["audit"]) + 1
