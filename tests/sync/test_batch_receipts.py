"""Protocol 3 against a real `odc-server` (SQLite and PostgreSQL): one server signature per push answer
over the Merkle root of its new receipts. Each receipt is stored with that signature and its audit path
and verifies alone; a changed answer leaves exactly that answer's accepted entries queued, and the
next run through the true server finishes them with individually signed receipts (duplicates)."""

from __future__ import annotations

import json

import pytest

from odc_desktop.domain.statuses import EntryStatus
from odc_sync.protocol.signing import public_key_from_b64, receipt_valid
from tests.sync.conftest import add_entries
from tests.sync.test_engine import engine, signed_in_store, statuses, store
from tests.sync.test_slim_receipts import tampering

S = EntryStatus


def _stored_receipts(repo, uids):  # noqa: ANN001, ANN202
    key = public_key_from_b64(repo.get_sync_state("server_key"))
    found = []
    for uid in uids:
        entry = repo.entry_by_uid(uid)
        (receipt,) = repo.receipts_of_entry(entry.id)
        assert receipt_valid(key, receipt.signed(), content_sha256=entry.content_sha256)
        found.append(receipt)
    return key, found


@pytest.mark.parametrize("count", [1, 5])  # one item; a tree whose size is not a power of two
def test_a_round_trip_stores_receipts_with_proofs_that_verify_alone(server, forms, tmp_path, count):
    data_dir = signed_in_store(tmp_path, server)
    uids = add_entries(data_dir, forms, count, start=700 + 10 * count, status="queued")
    with store(data_dir) as repo:
        summary = engine(repo, data_dir).run()
        assert (summary.accepted, summary.invalid_receipts, summary.pending) == (count, 0, 0)
        assert statuses(repo, uids) == [S.SUBMITTED] * count
        key, receipts = _stored_receipts(repo, uids)
    proofs = [json.loads(r.proof) for r in receipts]
    assert [p["index"] for p in proofs] == list(range(count)) and {p["tree_size"] for p in proofs} == {count}
    assert len({r.signature for r in receipts}) == 1  # one signature for the whole answer
    assert [len(p["path"]) for p in proofs] == ([0] if count == 1 else [3, 3, 3, 3, 1])
    for receipt, proof in zip(receipts, proofs):
        signed = receipt.signed()
        assert not receipt_valid(key, {**signed, "server_seq": receipt.server_seq + 1})
        assert not receipt_valid(key, {**signed, "proof": {**proof, "index": (proof["index"] + 1) % count}}) or count == 1
        for j, sibling in enumerate(proof["path"]):  # one sibling hash changed: not valid
            path = list(proof["path"])
            path[j] = ("1" if sibling[0] == "0" else "0") + sibling[1:]
            assert not receipt_valid(key, {**signed, "proof": {**proof, "path": path}})


def test_only_the_changed_answer_of_a_run_is_disbelieved(server, forms, tmp_path):
    data_dir = signed_in_store(tmp_path, server)
    uids = add_entries(data_dir, forms, 5, start=760, status="queued")
    answers = []

    def shift_the_second(answer: dict) -> None:
        answers.append(answer)
        if len(answers) == 2:
            answer["results"][1]["server_seq"] += 1

    with store(data_dir) as repo:
        real = repo.get_sync_state("server_url")
        with tampering(real, shift_the_second) as url:
            repo.set_sync_state("server_url", url)
            summary = engine(repo, data_dir, batch_size=2).run()  # answers of 2, 2 and 1
        assert len(answers) == 3 and all(a["protocol"] == 3 and "root_signature" in a for a in answers)
        assert (summary.accepted, summary.invalid_receipts, summary.pending) == (3, 2, 2)
        assert statuses(repo, uids) == [S.SUBMITTED, S.SUBMITTED, S.QUEUED, S.QUEUED, S.SUBMITTED]
        _key, receipts = _stored_receipts(repo, uids[:2] + uids[4:])
        assert [json.loads(r.proof)["tree_size"] for r in receipts] == [2, 2, 1]
        repo.set_sync_state("server_url", real)
        summary = engine(repo, data_dir, batch_size=2).run()
        assert (summary.duplicates, summary.accepted, summary.pending) == (2, 0, 0)
        assert statuses(repo, uids) == [S.SUBMITTED] * 5
        _key, receipts = _stored_receipts(repo, uids)
        assert [r.proof is None for r in receipts] == [False, False, True, True, False]
        assert len(repo.list_outbox()) == 0
