"""Slim push answers (protocol 2) and batch-signed ones (protocol 3): a receipt travels as only what
the client does not already know.

The server still signs and stores the full receipt ``{entry, revision, content_sha256, server_seq,
accepted_at}`` exactly as in protocol 1 (:func:`odc_sync.protocol.signing.sign_receipt`), so every
receipt ever given stays valid. On the wire an accepted or duplicate result is only::

    {"status": "accepted" | "duplicate", "server_seq": 17, "signature": "<base64>"}
      (+ "accepted_at" / "key_id" when they differ from the answer's shared ones)

and the answer is ``{"protocol": 2, "accepted_at": "<shared>", "key_id": "<shared>", "results": [...]}``
(one result per item, same order). The client rebuilds the receipt from its own entry — the uid, the
revision it sent and the content identity of exactly the content it sent — and believes it only when
the server's signature verifies over that rebuilt receipt (:func:`rebuilt_receipt`, then
:func:`odc_sync.protocol.signing.receipt_valid`). A server that stored other content, or an answer
changed on the way, gives a signature that does not verify: the entry stays queued.

Conflict and rejected results travel whole, as in protocol 1 (with ``entry`` and ``revision``).

Protocol 3 (:func:`batch_answer`, what the client speaks now): the same, except that the receipts new
in this answer (``accepted``) carry no signature of their own: an accepted item is only
``{"status": "accepted", "server_seq": 17}`` (+ ``accepted_at``/``key_id`` when they differ), and the
answer carries ONE ``root_signature``: the server key's signature over
:func:`odc_sync.protocol.signing.root_message` of the RFC 6962 Merkle root
(:mod:`odc_sync.protocol.merkle`) whose leaves are the :func:`~odc_sync.protocol.signing.receipt_bytes`
of the accepted receipts, in answer order. ``duplicate`` items keep the protocol-2 form with their
original individual signature (replays: rare). The client rebuilds every accepted receipt from what
it sent, computes the root and verifies the one signature (:func:`proven_receipts`); if it does not
verify, none of that answer's accepted entries is believed (they stay queued, and the next run gets
them as duplicates with individual signatures). Each believed receipt keeps the root signature as its
``signature`` and its ``proof`` ``{"index", "tree_size", "path"}`` (the audit path, hex), so it stays
verifiable alone with :func:`odc_sync.protocol.signing.receipt_valid`. The server still signs and
stores every receipt individually (``GET /entries/{uid}``, duplicates), exactly as before.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from odc_sync.protocol import merkle
from odc_sync.protocol.messages import ItemStatus
from odc_sync.protocol.signing import receipt_bytes, root_message, sign, signature_valid

SLIM_PROTOCOL = 2
BATCH_PROTOCOL = 3
RECEIPT_STATUSES = (ItemStatus.ACCEPTED, ItemStatus.DUPLICATE)


def slim_answer(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The protocol-2 answer of a push whose protocol-1 ``results`` (full receipts) are given."""
    receipts = [r["receipt"] for r in results if r.get("status") in RECEIPT_STATUSES and "receipt" in r]
    shared_at = Counter(r["accepted_at"] for r in receipts).most_common(1)[0][0] if receipts else None
    shared_key = Counter(r.get("key_id") for r in receipts).most_common(1)[0][0] if receipts else None
    slim = []
    for result in results:
        if result.get("status") not in RECEIPT_STATUSES or "receipt" not in result:
            slim.append(result)
            continue
        receipt = result["receipt"]
        item = {"status": result["status"], "server_seq": receipt["server_seq"], "signature": receipt["signature"]}
        if receipt["accepted_at"] != shared_at:
            item["accepted_at"] = receipt["accepted_at"]
        if receipt.get("key_id") != shared_key:
            item["key_id"] = receipt.get("key_id")
        slim.append(item)
    answer: dict[str, Any] = {"protocol": SLIM_PROTOCOL, "results": slim}
    if receipts:
        answer.update(accepted_at=shared_at, key_id=shared_key)
    return answer


def batch_answer(results: list[dict[str, Any]], server_key: Ed25519PrivateKey) -> dict[str, Any]:
    """The protocol-3 answer of a push whose protocol-1 ``results`` (full receipts) are given: the
    protocol-2 answer with the accepted items' signatures replaced by one ``root_signature``."""
    answer = slim_answer(results)
    answer["protocol"] = BATCH_PROTOCOL
    accepted = [r["receipt"] for r in results if r.get("status") == ItemStatus.ACCEPTED and "receipt" in r]
    if accepted:
        leaves = [merkle.leaf_hash(receipt_bytes(receipt)) for receipt in accepted]
        answer["root_signature"] = sign(server_key, root_message(merkle.root(leaves), len(leaves)))
        for item in answer["results"]:
            if item.get("status") == ItemStatus.ACCEPTED:
                item.pop("signature", None)
    return answer


def with_proofs(answer: dict[str, Any], receipts: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The accepted ``receipts`` of a protocol-3 answer (rebuilt, in answer order) each with the
    answer's root signature and its own audit path; None when one is malformed or the signature is
    missing. Nothing is checked here: see :func:`proven_receipts`."""
    signature = answer.get("root_signature")
    if not isinstance(signature, str) or not receipts:
        return None
    try:
        leaves = [merkle.leaf_hash(receipt_bytes(receipt)) for receipt in receipts]
    except (KeyError, TypeError, ValueError):
        return None
    size = len(leaves)
    return [{**receipt, "signature": signature,
             "proof": {"index": index, "tree_size": size, "path": [h.hex() for h in merkle.audit_path(leaves, index)]}}
            for index, receipt in enumerate(receipts)]


def proven_receipts(server_public: Ed25519PublicKey, answer: dict[str, Any],
                    receipts: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The accepted ``receipts`` of a protocol-3 answer (rebuilt by the client from what it sent, in
    answer order) with their proofs, when the answer's one root signature verifies over their Merkle
    root with ``server_public``; None otherwise (then none of them may be believed)."""
    proven = with_proofs(answer, receipts)
    if proven is None:
        return None
    leaves = [merkle.leaf_hash(receipt_bytes(receipt)) for receipt in receipts]
    if not signature_valid(server_public, root_message(merkle.root(leaves), len(leaves)), answer["root_signature"]):
        return None
    return proven


def rebuilt_receipt(answer: dict[str, Any], result: Any, *, entry: str, revision: int,
                    content_sha256: str) -> dict[str, Any] | None:
    """The full receipt of a slim accepted/duplicate ``result`` for the entry the client sent (its uid,
    revision and content identity); None when the result lacks a part. Its signature is NOT checked
    here: call :func:`odc_sync.protocol.signing.receipt_valid` on it."""
    if not isinstance(result, dict):
        return None
    accepted_at = result.get("accepted_at", answer.get("accepted_at"))
    server_seq, signature = result.get("server_seq"), result.get("signature")
    batch_signed = answer.get("protocol") == BATCH_PROTOCOL and result.get("status") == ItemStatus.ACCEPTED
    if not (isinstance(server_seq, int) and not isinstance(server_seq, bool) and isinstance(accepted_at, str)
            and (isinstance(signature, str) or batch_signed and signature is None)):
        return None
    receipt = {"entry": entry, "revision": revision, "content_sha256": content_sha256, "server_seq": server_seq,
               "accepted_at": accepted_at, "key_id": result.get("key_id", answer.get("key_id"))}
    if not batch_signed:
        receipt["signature"] = signature
    return receipt


def expanded_results(answer: dict[str, Any], sent: list[dict[str, Any]], digests: list[str]) -> list[dict[str, Any]]:
    """The protocol-1 shape of a slim answer to the payloads ``sent`` (with their content identities
    ``digests``): for tools and tests that read results whole. Signatures are not checked (a protocol-3
    accepted receipt comes with the root signature and its ``proof``)."""
    full = []
    for payload, digest, result in zip(sent, digests, answer["results"]):
        if result.get("status") in RECEIPT_STATUSES:
            receipt = rebuilt_receipt(answer, result, entry=payload["entry"], revision=payload["revision"],
                                      content_sha256=digest)
            full.append({"entry": payload["entry"], "revision": payload["revision"], "status": result["status"],
                         "receipt": receipt})
        else:
            full.append(result)
    if answer.get("protocol") == BATCH_PROTOCOL:
        accepted = [item for item in full if item.get("status") == ItemStatus.ACCEPTED]
        for item, proven in zip(accepted, with_proofs(answer, [item["receipt"] for item in accepted]) or []):
            item["receipt"] = proven
    return full
