"""Slim push answers (protocol 2): a receipt travels as only what the client does not already know.

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
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from odc_sync.protocol.messages import ItemStatus

SLIM_PROTOCOL = 2
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


def rebuilt_receipt(answer: dict[str, Any], result: Any, *, entry: str, revision: int,
                    content_sha256: str) -> dict[str, Any] | None:
    """The full receipt of a slim accepted/duplicate ``result`` for the entry the client sent (its uid,
    revision and content identity); None when the result lacks a part. Its signature is NOT checked
    here: call :func:`odc_sync.protocol.signing.receipt_valid` on it."""
    if not isinstance(result, dict):
        return None
    accepted_at = result.get("accepted_at", answer.get("accepted_at"))
    server_seq, signature = result.get("server_seq"), result.get("signature")
    if not (isinstance(server_seq, int) and not isinstance(server_seq, bool) and isinstance(accepted_at, str)
            and isinstance(signature, str)):
        return None
    return {"entry": entry, "revision": revision, "content_sha256": content_sha256, "server_seq": server_seq,
            "accepted_at": accepted_at, "key_id": result.get("key_id", answer.get("key_id")), "signature": signature}


def expanded_results(answer: dict[str, Any], sent: list[dict[str, Any]], digests: list[str]) -> list[dict[str, Any]]:
    """The protocol-1 shape of a slim answer to the payloads ``sent`` (with their content identities
    ``digests``): for tools and tests that read results whole. Signatures are not checked."""
    full = []
    for payload, digest, result in zip(sent, digests, answer["results"]):
        if result.get("status") in RECEIPT_STATUSES:
            receipt = rebuilt_receipt(answer, result, entry=payload["entry"], revision=payload["revision"],
                                      content_sha256=digest)
            full.append({"entry": payload["entry"], "revision": payload["revision"], "status": result["status"],
                         "receipt": receipt})
        else:
            full.append(result)
    return full
