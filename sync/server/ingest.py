"""Push: checking and storing a batch of signed entries, one result per item.

Phase 1 (no locks): shape, OPD scope, device signature, form checks (the same Qt-free
``validate_entry`` the app runs). Phase 2 (one transaction): the ``server_seq`` counter row is locked
first, so when two server processes receive the same entry at the same moment the second one waits,
then sees the first one's row and answers ``duplicate``; the unique key ``(entry_uid, revision)``
backs this up and a lost race is retried (see :func:`odc_sync.server.db.in_transaction`). The pushes
a process receives together share one phase-2 transaction (:class:`_GroupCommit`): the counter lock
is held once for all of them, not once each.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, bindparam, insert, select
from sqlalchemy.orm import Session

from odc_sync.protocol.canonical import canonical_bytes, content_sha256
from odc_sync.protocol.errors import problem
from odc_sync.protocol.messages import ItemStatus, attachment_hashes, payload_shape_problems
from odc_sync.protocol.signing import public_key_from_b64, sign_receipt, signature_valid
from odc_sync.server import audit
from odc_sync.server.accounts import Caller
from odc_sync.server.clock import now_iso
from odc_sync.server.db import in_transaction, next_values
from odc_sync.server.entry_forms import form_problems
from odc_sync.server.keys import signing_key
from odc_sync.server.models import Attachment, Entry

STATUS_SUBMITTED = "submitted"
STATUS_APPROVED = "approved"
_entries = Entry.__table__
# Built once, Core on the table: the stored revisions of a batch's entries (rows, not ORM objects: they
# are only read) and the insert of the accepted ones (docs/benchmarks.md, "Server CPU").
_STORED = (select(_entries).where(_entries.c.entry_uid.in_(bindparam("uids", expanding=True)))
           .order_by(_entries.c.revision))
_INSERT = insert(_entries)


def _result(payload: dict[str, Any], status: str, **extra: Any) -> dict[str, Any]:
    return {"entry": payload.get("entry"), "revision": payload.get("revision"), "status": status, **extra}


def _rejected(payload: Any, reasons: list[dict[str, str]], retryable: bool = False) -> dict[str, Any]:
    base = payload if isinstance(payload, dict) else {}
    return _result(base, ItemStatus.REJECTED, reasons=reasons, retryable=retryable)


def _precheck(item: Any, caller: Caller, device_public, session: Session) -> dict[str, Any] | bytes:  # noqa: ANN001
    """The rejection of ``item`` found without locks, or the payload's canonical bytes (what the device
    signed, and what is stored) when it may be stored."""
    if not isinstance(item, dict) or set(item) != {"payload", "signature"} or not isinstance(item["signature"], str):
        return _rejected(item.get("payload") if isinstance(item, dict) else None,
                         [problem("", "bad_request", detail="item = {payload, signature}")])
    payload = item["payload"]
    shape = payload_shape_problems(payload)
    if shape:
        return _rejected(payload, [problem(field, code) for field, code in shape])
    if not caller.may_see_opd(payload["opd"]):
        return _rejected(payload, [problem("opd", "forbidden_opd")])
    signed = canonical_bytes(payload)  # what the device signed (odc_sync.protocol.signing.sign_entry)
    if not signature_valid(device_public, signed, item["signature"]):
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
    return signed


def _server_copy(row: Any) -> dict[str, Any]:
    return {"payload": json.loads(row.payload), "receipt": json.loads(row.receipt)}


# (result key, payload, its canonical bytes, its content identity, signature, caller, device id): all the
# per-entry work that needs no lock is done before the server_seq lock is taken.
Ready = tuple[Any, dict[str, Any], bytes, str, str, Caller, str]


def _store_batch(session: Session, key: Ed25519PrivateKey, ready: list[Ready]) -> dict[Any, dict[str, Any]]:
    """Phase 2 for the items that passed phase 1 (of one push or of several pushes stored together):
    {result key: result}."""
    db = session.connection()  # only Core statements below: straight to the connection, past the ORM's machinery
    next_values(db, "server_seq", 0)  # lock the counter before looking: concurrent pushes queue here
    results: dict[Any, dict[str, Any]] = {}
    fresh: list[tuple[Any, dict[str, Any], bytes, str, str, Caller, str]] = []
    seen_in_batch: dict[tuple[str, int], str] = {}
    batch_latest: dict[str, int] = {}
    stored: dict[str, list[Any]] = {}  # rows of the entries table, by entry uid, oldest revision first
    uids = sorted({item[1]["entry"] for item in ready})
    for row in db.execute(_STORED, {"uids": uids}):
        stored.setdefault(row.entry_uid, []).append(row)
    for index, payload, signed, digest, signature, caller, device_id in ready:
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
        fresh.append((index, payload, signed, signature, digest, caller, device_id))
    seqs = next_values(db, "server_seq", len(fresh)) if fresh else []
    accepted_at = now_iso()
    by_key: dict[tuple[str, int], tuple[dict[str, Any], dict[str, Any]]] = {}
    audit_records, new_rows = [], []
    for (index, payload, signed, signature, digest, caller, device_id), seq in zip(fresh, seqs):
        receipt = sign_receipt(key, {"entry": payload["entry"], "revision": payload["revision"],
                                     "content_sha256": digest, "server_seq": seq, "accepted_at": accepted_at})
        new_rows.append(dict(entry_uid=payload["entry"], revision=payload["revision"],
                             base_revision=payload.get("base_revision"), ocid=payload["ocid"], opd_code=payload["opd"],
                             stage=payload["stage"], form_id=payload["form"]["id"],
                             form_version=payload["form"]["version"], payload=signed.decode("utf-8"),
                             content_sha256=digest, signature=signature, device_id=device_id, user_id=caller.user_id,
                             status=STATUS_SUBMITTED, server_seq=seq, accepted_at=accepted_at,
                             receipt=json.dumps(receipt)))
        audit_records.append((caller.username, "entry_accepted", f"{payload['entry']}@{payload['revision']}",
                              {"content_sha256": digest, "server_seq": seq, "device": device_id}))
        results[index] = _result(payload, ItemStatus.ACCEPTED, receipt=receipt)
        by_key[(payload["entry"], payload["revision"])] = (payload, receipt)
    if new_rows:
        db.execute(_INSERT, new_rows)  # executemany: one prepared statement
    audit.append_records(db, audit_records)
    for index, result in list(results.items()):  # repeats inside the batch answer with the stored receipt
        if result.pop("pending_index", False):
            first, receipt = by_key[(result["entry"], result["revision"])]
            if result["status"] == ItemStatus.DUPLICATE:
                result["receipt"] = receipt
            else:  # as if the first one had been stored before: its copy comes back
                result["reasons"] = [problem("revision", "revision_taken", revision=result["revision"])]
                result["server_copy"] = {"payload": first, "receipt": receipt}
    return results


@dataclasses.dataclass(eq=False)
class _Job:
    """One push's checked items, waiting to be stored."""

    ready: list[Ready]
    results: dict[Any, dict[str, Any]] | None = None
    error: BaseException | None = None
    done: threading.Event = dataclasses.field(default_factory=threading.Event)


class _GroupCommit:
    """Pushes arriving together in one server process are stored in one transaction (group commit).

    Storing holds the ``server_seq`` counter lock from the first look at the stored rows to the commit
    (a handful of round trips and a WAL flush), and every push of every process waits for it; one
    transaction per push bounds a server at (pushes per second) = 1 / that time, whatever the cores.
    Here a push queues its items and waits for the writer mutex; whoever gets it stores everything
    queued by then in one transaction (the same checks, item by item, as if one batch) and hands each
    push its own results. A failed transaction fails every push in it (each client simply retries).
    """

    def __init__(self) -> None:
        self._writer = threading.Lock()
        self._queue_lock = threading.Lock()
        self._queue: list[_Job] = []

    def store(self, engine: Engine, key: Ed25519PrivateKey, ready: list[Ready]) -> dict[Any, dict[str, Any]]:
        job = _Job(ready)
        with self._queue_lock:
            self._queue.append(job)
        with self._writer:
            if not job.done.is_set():
                with self._queue_lock:
                    jobs, self._queue = self._queue, []
                items = [((n, item[0]), *item[1:]) for n, queued in enumerate(jobs) for item in queued.ready]
                try:
                    stored = in_transaction(engine, lambda s: _store_batch(s, key, items))
                    for n, queued in enumerate(jobs):
                        queued.results = {index: stored[(m, index)] for m, index in stored if m == n}
                except BaseException as exc:  # noqa: BLE001 - handed to every push of the group
                    for queued in jobs:
                        queued.error = exc
                finally:
                    for queued in jobs:
                        queued.done.set()
        if job.error is not None:
            raise job.error
        assert job.results is not None
        return job.results


_groups: dict[int, _GroupCommit] = {}
_groups_lock = threading.Lock()


def _group_of(engine: Engine) -> _GroupCommit:
    with _groups_lock:
        return _groups.setdefault(id(engine), _GroupCommit())


def push(engine: Engine, caller: Caller, device_id: str, device_public_b64: str, items: list[Any]) -> list[dict[str, Any]]:
    """One result per item, in order (see :mod:`odc_sync.protocol.messages`)."""
    device_public = public_key_from_b64(device_public_b64)
    results: list[dict[str, Any] | None] = [None] * len(items)
    ready: list[Ready] = []
    # The session takes a connection only when a check needs the database (supersedes, attachments):
    # the CPU-bound checks of a batch hold none of the pool.
    with Session(engine) as session:
        for index, item in enumerate(items):
            checked = _precheck(item, caller, device_public, session)
            if isinstance(checked, bytes):
                ready.append((index, item["payload"], checked, content_sha256(item["payload"]), item["signature"],
                              caller, device_id))
            else:
                results[index] = checked
        session.rollback()
    if ready:
        key = signing_key(engine)  # read before the transaction (on SQLite a second connection would wait)
        stored = _group_of(engine).store(engine, key, ready)
        for index, result in stored.items():
            results[index] = result
    return [r for r in results if r is not None]
