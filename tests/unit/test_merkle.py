"""The Merkle tree of protocol 3 (odc_sync.protocol.merkle) against RFC 6962's structure and the
Certificate Transparency test vectors (certificate-transparency cpp/merkletree/merkle_tree_test.cc, the
same in transparency-dev/merkle testonly), and batch-signed receipts built on it
(odc_sync.protocol.receipts, signing.receipt_valid)."""

from __future__ import annotations

import hashlib
import json

import pytest

from odc_sync.protocol import merkle
from odc_sync.protocol.receipts import batch_answer, expanded_results, proven_receipts, rebuilt_receipt
from odc_sync.protocol.signing import (new_private_key, public_key_from_b64, public_key_b64, receipt_bytes,
                                       receipt_valid, root_message, sign_receipt, signature_valid)

CT_LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                        "606162636465666768696a6b6c6d6e6f")]
CT_ROOTS = ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"]
CT_PATHS = [
    (0, 1, []),
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]


def _mth(data: list[bytes]) -> bytes:
    """RFC 6962 §2.1's definition, word for word (independent of the module's code)."""
    if len(data) == 1:
        return hashlib.sha256(b"\x00" + data[0]).digest()
    k = 1
    while k * 2 < len(data):
        k *= 2
    return hashlib.sha256(b"\x01" + _mth(data[:k]) + _mth(data[k:])).digest()


def test_roots_and_audit_paths_are_the_certificate_transparency_vectors():
    leaves = [merkle.leaf_hash(d) for d in CT_LEAVES]
    for n in range(1, 9):
        assert merkle.root(leaves[:n]).hex() == CT_ROOTS[n - 1]
    for index, size, path in CT_PATHS:
        assert [h.hex() for h in merkle.audit_path(leaves[:size], index)] == path
        assert merkle.root_from_path(leaves[index], index, size, [bytes.fromhex(h) for h in path]).hex() == CT_ROOTS[size - 1]


def test_every_leaf_of_every_tree_up_to_40_proves_the_rfc_root_and_nothing_else_does():
    for n in range(1, 41):
        data = [f"receipt {i}".encode() for i in range(n)]
        leaves = [merkle.leaf_hash(d) for d in data]
        expected = _mth(data)
        assert merkle.root(leaves) == expected
        for i in range(n):
            path = merkle.audit_path(leaves, i)
            assert merkle.root_from_path(leaves[i], i, n, path) == expected
            for j in range(len(path)):  # one sibling changed
                bad = list(path)
                bad[j] = bytes([bad[j][0] ^ 1]) + bad[j][1:]
                assert merkle.root_from_path(leaves[i], i, n, bad) != expected
            if n > 1:
                assert merkle.root_from_path(leaves[i], (i + 1) % n, n, path) != expected  # another place
                assert merkle.root_from_path(leaves[i], i, n, path[:-1]) != expected  # a shorter path
                assert merkle.root_from_path(leaves[i], i, n, path + path[:1]) != expected  # a longer one
    with pytest.raises(ValueError):
        merkle.root([])
    assert merkle.root_from_path(leaves[0], 3, 3, []) is None


def _results(key, n: int, *, duplicate_at: int | None = None) -> list[dict]:
    results = []
    for i in range(n):
        receipt = sign_receipt(key, {"entry": f"e{i}", "revision": 1, "content_sha256": f"{i:02x}" * 32,
                                     "server_seq": 100 + i, "accepted_at": "2026-11-28T07:00:00Z"})
        status = "duplicate" if i == duplicate_at else "accepted"
        results.append({"entry": f"e{i}", "revision": 1, "status": status, "receipt": receipt})
    return results


def _rebuilt(answer: dict, n: int, *, skip: int | None = None) -> list[dict]:
    return [rebuilt_receipt(answer, answer["results"][i], entry=f"e{i}", revision=1, content_sha256=f"{i:02x}" * 32)
            for i in range(n) if i != skip]


@pytest.mark.parametrize("n", [1, 2, 5, 8])
def test_a_batch_answer_has_one_signature_and_every_proven_receipt_verifies_alone(n):
    key = new_private_key()
    public = public_key_from_b64(public_key_b64(key))
    answer = batch_answer(_results(key, n), key)
    assert answer["protocol"] == 3 and isinstance(answer["root_signature"], str)
    assert all(set(item) == {"status", "server_seq"} for item in answer["results"])
    proven = proven_receipts(public, answer, _rebuilt(answer, n))
    assert proven is not None and len(proven) == n
    for i, receipt in enumerate(proven):
        assert receipt["proof"]["index"] == i and receipt["proof"]["tree_size"] == n
        assert receipt_valid(public, receipt, content_sha256=f"{i:02x}" * 32)
        assert receipt_valid(public, {**receipt, "proof": json.dumps(receipt["proof"])})  # as the store keeps it
        assert not receipt_valid(public, {**receipt, "server_seq": receipt["server_seq"] + 1})
        assert not receipt_valid(public, {**receipt, "proof": None})  # the root signature is not the receipt's
        for j, sibling in enumerate(receipt["proof"]["path"]):
            path = list(receipt["proof"]["path"])
            path[j] = ("0" if sibling[0] != "0" else "1") + sibling[1:]
            assert not receipt_valid(public, {**receipt, "proof": {**receipt["proof"], "path": path}})
        for junk in ({**receipt["proof"], "index": n}, {**receipt["proof"], "tree_size": n + 1}, "{", [1],
                     {**receipt["proof"], "path": ["zz"]}):
            assert not receipt_valid(public, {**receipt, "proof": junk})
    leaves = [merkle.leaf_hash(receipt_bytes(r)) for r in _rebuilt(answer, n)]
    assert signature_valid(public, root_message(merkle.root(leaves), n), answer["root_signature"])
    assert [r["receipt"] for r in expanded_results(answer, [{"entry": f"e{i}", "revision": 1} for i in range(n)],
                                                   [f"{i:02x}" * 32 for i in range(n)])] == proven


def test_a_changed_batch_answer_proves_none_of_its_receipts():
    key = new_private_key()
    public = public_key_from_b64(public_key_b64(key))
    answer = batch_answer(_results(key, 5), key)
    assert proven_receipts(public, answer, _rebuilt(answer, 5)) is not None
    shifted = json.loads(json.dumps(answer))
    shifted["results"][3]["server_seq"] += 1
    swapped = json.loads(json.dumps(answer))
    swapped["results"][0], swapped["results"][1] = swapped["results"][1], swapped["results"][0]
    other_key = {**answer, "root_signature": batch_answer(_results(new_private_key(), 5), new_private_key())["root_signature"]}
    for changed in (shifted, swapped, other_key, {**answer, "root_signature": None}):
        assert proven_receipts(public, changed, _rebuilt(changed, 5)) is None
    assert proven_receipts(public, answer, _rebuilt(answer, 5)[:4]) is None  # one left out: another root


def test_duplicates_keep_their_own_signature_in_a_batch_answer():
    key = new_private_key()
    public = public_key_from_b64(public_key_b64(key))
    results = _results(key, 3, duplicate_at=1)
    answer = batch_answer(results, key)
    assert answer["results"][1] == {"status": "duplicate", "server_seq": 101, "signature": results[1]["receipt"]["signature"]}
    duplicate = rebuilt_receipt(answer, answer["results"][1], entry="e1", revision=1, content_sha256="01" * 32)
    assert receipt_valid(public, duplicate) and "proof" not in duplicate
    proven = proven_receipts(public, answer, _rebuilt(answer, 3, skip=1))
    assert [r["entry"] for r in proven] == ["e0", "e2"] and proven[1]["proof"]["tree_size"] == 2
    only_duplicate = batch_answer(_results(key, 1, duplicate_at=0), key)  # nothing new: nothing to sign
    assert "root_signature" not in only_duplicate and "signature" in only_duplicate["results"][0]
