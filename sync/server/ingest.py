"""Push: checking and storing a batch of signed entries, one result per item.

Phase 1 (no locks): shape, OPD scope, device signature, form checks (the same Qt-free
``validate_entry`` the app runs). Phase 2 (one transaction): the ``server_seq`` counter row is locked
first, so when two server processes receive the same entry at the same moment the second one waits,
then sees the first one's row and answers ``duplicate``; the unique key ``(entry_uid, revision)``
backs this up and a lost race is retried (see :func:`odc_sync.server.db.in_transaction`).
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from odc_sync.protocol.canonical import canonical_bytes, content_sha256
from odc_sync.protocol.errors import problem
from odc_sync.protocol.messages import ItemStatus, attachment_hashes, payload_shape_problems
from odc_sync.protocol.signing import entry_signature_valid, public_key_from_b64, sign_receipt
from odc_sync.server import audit
from odc_sync.server.accounts import Caller
from odc_sync.server.clock import now_iso
from odc_sync.server.db import in_transaction, next_values
from odc_sync.server.entry_forms import form_problems
from odc_sync.server.keys import signing_key
from odc_sync.server.models import Attachment, Entry

STATUS_SUBMITTED = "submitted"
STATUS_APPROVED = "approved"


def _result(payload: dict[str, Any], status: str, **extra: Any) -> dict[str, Any]:
    return {"entry": payload.get("entry"), "revision": payload.get("revision"), "status": status, **extra}


def _rejected(payload: Any, reasons: list[dict[str, str]], retryable: bool = False) -> dict[str, Any]:
    base = payload if isinstance(payload, dict) else {}
    return _result(base, ItemStatus.REJECTED, reasons=reasons, retryable=retryable)


def _precheck(item: Any, caller: Caller, device_public, session: Session) -> dict[str, Any] | None:  # noqa: ANN001
    """The rejection of ``item`` found without locks, or None when it may be stored."""
    if not isinstance(item, dict) or set(item) != {"payload", "signature"} or not isinstance(item["signature"], str):
        return _rejected(item.get("payload") if isinstance(item, dict) else None,
                         [problem("", "bad_request", detail="item = {payload, signature}")])
    payload = item["payload"]
    shape = payload_shape_problems(payload)
    if shape:
        return _rejected(payload, [problem(field, code) for field, code in shape])
    if not caller.may_see_opd(payload["opd"]):
        return _rejected(payload, [problem("opd", "forbidden_opd")])
    if not entry_signature_valid(device_public, payload, item["signature"]):
        return _rejected(payload, [problem("", "bad_signature")])
    reasons = form_problems(payload)
    if reasons:
        return _rejected(payload, reasons)
    supersedes = payload.get("supersedes")
    if supersedes is not None:
        changed = session.execute(select(Entry).where(Entry.entry_uid == supersedes, Entry.status == STATUS_APPROVED)
                                  .limit(1)).scalar_one_or_none() if isinstance(supersedes, str) else None
        if changed is None or (changed.ocid, changed.opd_code, changed.stage) != (payload["ocid"], payload["opd"],
                                                                                 payload["stage"]):
            return _rejected(payload, [problem("supersedes", "unknown_superseded", entry=str(supersedes)[:80])])
    hashes = attachment_hashes(payload)
    if hashes:
        have = set(session.execute(select(Attachment.sha256).where(Attachment.sha256.in_(hashes))).scalars())
        missing = [h for h in hashes if h not in have]
        if missing:
            return _rejected(payload, [problem("attachments", "attachment_missing", sha256=h) for h in missing],
                             retryable=True)
    return None


def _server_copy(row: Entry) -> dict[str, Any]:
    return {"payload": json.loads(row.payload), "receipt": json.loads(row.receipt)}


def _store_batch(session: Session, key: Ed25519PrivateKey, caller: Caller, device_id: str,
                 ready: list[tuple[int, dict[str, Any], str]]) -> dict[int, dict[str, Any]]:
    """Phase 2 for the items that passed phase 1: {item index: result}."""
    next_values(session, "server_seq", 0)  # lock the counter before looking: concurrent pushes queue here
    results: dict[int, dict[str, Any]] = {}
    fresh: list[tuple[int, dict[str, Any], str, str]] = []
    seen_in_batch: dict[tuple[str, int], str] = {}
    batch_latest: dict[str, int] = {}
    stored: dict[str, list[Entry]] = {}
    uids = sorted({payload["entry"] for _index, payload, _signature in ready})
    for row in session.execute(select(Entry).where(Entry.entry_uid.in_(uids)).order_by(Entry.revision)).scalars():
        stored.setdefault(row.entry_uid, []).append(row)
    for index, payload, signature in ready:
        digest = content_sha256(payload)
        uid, revision = payload["entry"], payload["revision"]
        latest = stored[uid][-1] if stored.get(uid) else None
        if latest is not None and (latest.opd_code != payload["opd"] or latest.ocid != payload["ocid"]):
            # Checked first: nothing of an entry of another OPD or process may come back (no server copy).
            results[index] = _rejected(payload, [problem("opd", "entry_moved")])
            continue
        same = next((row for row in stored.get(uid, []) if row.revision == revision), None)
        if same is not None:
            if same.content_sha256 == digest:
                results[index] = _result(payload, ItemStatus.DUPLICATE, receipt=json.loads(same.receipt))
            else:
                results[index] = _result(payload, ItemStatus.CONFLICT, server_copy=_server_copy(same),
                                         reasons=[problem("revision", "revision_taken", revision=revision)])
            continue
        if latest is not None and latest.status == STATUS_APPROVED:  # approved: locked, a change is a new entry
            results[index] = _result(payload, ItemStatus.CONFLICT, server_copy=_server_copy(latest),
                                     reasons=[problem("entry", "entry_locked")])
            continue
        if (uid, revision) in seen_in_batch:  # the same revision twice in one batch: the first one counts
            status = ItemStatus.DUPLICATE if seen_in_batch[(uid, revision)] == digest else ItemStatus.CONFLICT
            results[index] = _result(payload, status, pending_index=True)
            continue
        latest_revision = latest.revision if latest else None
        if uid in batch_latest:  # an earlier item of this batch is the newest revision
            latest_revision = batch_latest[uid]
        if payload.get("base_revision") != latest_revision:
            results[index] = _result(payload, ItemStatus.CONFLICT,
                                     server_copy=_server_copy(latest) if latest else None,
                                     reasons=[problem("base_revision", "stale_base",
                                                      server_revision=latest_revision or 0)])
            continue
        seen_in_batch[(uid, revision)] = digest
        batch_latest[uid] = revision
        fresh.append((index, payload, signature, digest))
    seqs = next_values(session, "server_seq", len(fresh)) if fresh else []
    accepted_at = now_iso()
    by_key: dict[tuple[str, int], dict[str, Any]] = {}
    audit_records, new_rows = [], []
    for (index, payload, signature, digest), seq in zip(fresh, seqs):
        receipt = sign_receipt(key, {"entry": payload["entry"], "revision": payload["revision"],
                                     "content_sha256": digest, "server_seq": seq, "accepted_at": accepted_at})
        new_rows.append(dict(entry_uid=payload["entry"], revision=payload["revision"],
                             base_revision=payload.get("base_revision"), ocid=payload["ocid"], opd_code=payload["opd"],
                             stage=payload["stage"], form_id=payload["form"]["id"],
                             form_version=payload["form"]["version"], payload=canonical_bytes(payload).decode("utf-8"),
                             content_sha256=digest, signature=signature, device_id=device_id, user_id=caller.user_id,
                             status=STATUS_SUBMITTED, server_seq=seq, accepted_at=accepted_at,
                             receipt=json.dumps(receipt)))
        audit_records.append(("entry_accepted", f"{payload['entry']}@{payload['revision']}",
                              {"content_sha256": digest, "server_seq": seq, "device": device_id}))
        results[index] = _result(payload, ItemStatus.ACCEPTED, receipt=receipt)
        by_key[(payload["entry"], payload["revision"])] = receipt
    if new_rows:
        session.execute(insert(Entry).returning(Entry.id), new_rows)  # one multi-row INSERT
    audit.append_many(session, caller.username, audit_records)
    for index, result in list(results.items()):  # repeats inside the batch answer with the stored receipt
        if result.pop("pending_index", False):
            receipt = by_key[(result["entry"], result["revision"])]
            if result["status"] == ItemStatus.DUPLICATE:
                result["receipt"] = receipt
            else:
                result["reasons"] = [problem("revision", "revision_taken", revision=result["revision"])]
                result["server_copy"] = None
    return results


def push(engine: Engine, caller: Caller, device_id: str, device_public_b64: str, items: list[Any]) -> list[dict[str, Any]]:
    """One result per item, in order (see :mod:`odc_sync.protocol.messages`)."""
    device_public = public_key_from_b64(device_public_b64)
    results: list[dict[str, Any] | None] = [None] * len(items)
    ready: list[tuple[int, dict[str, Any], str]] = []
    with engine.connect() as connection, Session(bind=connection) as session:
        for index, item in enumerate(items):
            rejection = _precheck(item, caller, device_public, session)
            if rejection is not None:
                results[index] = rejection
            else:
                ready.append((index, item["payload"], item["signature"]))
        session.rollback()
    if ready:
        key = signing_key(engine)  # read before the transaction (on SQLite a second connection would wait)
        stored = in_transaction(engine, lambda s: _store_batch(s, key, caller, device_id, ready))
        for index, result in stored.items():
            results[index] = result
    return [r for r in results if r is not None]
