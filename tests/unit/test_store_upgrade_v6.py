"""Schema step 6 on a store frozen at version 5 (tests/data/store_v5, made by
tests/data/make_store_v5.py with the version 5 code): every row of version 5 survives untouched, the
old plain receipt still verifies (with the same function as a proven one), a protocol-3 receipt with
its Merkle proof is stored and read back, and the audit chain goes on from where it was."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from odc_desktop.domain.model import Receipt
from odc_desktop.domain.statuses import EntryStatus
from odc_desktop.storage.db import DB_FILENAME, LATEST_VERSION
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.workflow import apply_receipt
from odc_sync.protocol.canonical import b64decode
from odc_sync.protocol.receipts import batch_answer, proven_receipts, rebuilt_receipt
from odc_sync.protocol.signing import private_key_from_bytes, public_key_from_b64, receipt_valid, sign_receipt
from tests.unit.test_store_upgrade import _rows
from tests.unit.workflow_helpers import entry_in, forms, new_process  # noqa: F401 (forms: a fixture)

FROZEN = Path(__file__).parents[1] / "data" / "store_v5"
V5_TABLES = ("processes", "entries", "attachments", "review_notes", "audit_log", "meta", "ocid_aliases",
             "outbox", "receipts", "attachment_uploads", "sync_state", "import_sources", "review_items",
             "review_decisions")


@pytest.fixture
def upgraded(tmp_path):
    folder = tmp_path / "store"
    shutil.copytree(FROZEN, folder)
    db = folder / DB_FILENAME
    assert _rows(db, "PRAGMA user_version") == [(5,)]
    before = {name: _rows(db, f"SELECT * FROM {name} ORDER BY 1") for name in V5_TABLES}
    repo = SqlRepository.open(folder)
    yield repo, db, before, folder
    repo.close()


def test_every_version_5_row_survives_and_the_old_receipt_still_verifies(upgraded):
    repo, db, before, _folder = upgraded
    assert _rows(db, "PRAGMA user_version") == [(LATEST_VERSION,)] and LATEST_VERSION >= 6
    for name in V5_TABLES:
        if name == "receipts":  # the one new column, NULL for every old row
            assert [row[:-1] for row in _rows(db, "SELECT * FROM receipts ORDER BY 1")] == before[name]
            assert _rows(db, "SELECT proof FROM receipts") == [(None,)]
        else:
            assert _rows(db, f"SELECT * FROM {name} ORDER BY 1") == before[name], name
    (old,) = before["receipts"]
    (receipt,) = repo.receipts_of_entry(old[1])
    assert receipt.proof is None and receipt.server_seq == 41
    key = public_key_from_b64(repo.get_sync_state("server_key"))
    assert receipt_valid(key, receipt.signed(), content_sha256=receipt.content_sha256)
    assert not receipt_valid(key, {**receipt.signed(), "server_seq": 42})
    check = repo.verify_audit_chain()
    assert check.ok and check.length == len(before["audit_log"])
    assert repo.integrity_check()["ok"]


def test_a_proven_receipt_is_stored_with_its_proof_after_the_upgrade(upgraded, forms):  # noqa: F811
    repo, _db, before, folder = upgraded
    server = private_key_from_bytes(b64decode((folder / "server_key.txt").read_text().strip()))
    public = public_key_from_b64(repo.get_sync_state("server_key"))
    entry = entry_in(repo, forms, new_process(repo, kode_rup="99887766"), EntryStatus.QUEUED)
    body = {"entry": entry.uid, "revision": entry.revision + 1, "content_sha256": entry.content_sha256,
            "server_seq": 42, "accepted_at": "2026-11-28T07:00:00Z"}
    other = {**body, "entry": "another", "content_sha256": "ab" * 32, "server_seq": 43}
    answer = batch_answer([{"status": "accepted", "receipt": sign_receipt(server, b)} for b in (body, other)], server)
    rebuilt = [rebuilt_receipt(answer, answer["results"][0], entry=entry.uid, revision=body["revision"],
                               content_sha256=entry.content_sha256),
               rebuilt_receipt(answer, answer["results"][1], entry="another", revision=body["revision"],
                               content_sha256="ab" * 32)]
    proven = proven_receipts(public, answer, rebuilt)[0]
    apply_receipt(repo, Receipt(entry.uid, 42, body["revision"], entry.content_sha256, proven["signature"],
                                body["accepted_at"], json.dumps(proven["proof"])), actor="sync")
    (stored,) = repo.receipts_of_entry(entry.id)
    assert stored.proof is not None and json.loads(stored.proof)["tree_size"] == 2
    assert receipt_valid(public, stored.signed(), content_sha256=entry.content_sha256)
    assert repo.get_entry(entry.id).status == EntryStatus.SUBMITTED
    check = repo.verify_audit_chain()
    assert check.ok and check.length > len(before["audit_log"])
