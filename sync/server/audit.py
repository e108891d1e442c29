"""The hash-chained audit table: every state change appends one record.

``hash = SHA-256(prev_hash + canonical bytes of {seq, at, actor, action, subject, details})``; the
first record's ``prev_hash`` is 64 zeros. Appending locks the ``audit`` counter, so concurrent server
processes extend one chain; :func:`verify_chain` finds the first record that does not fit.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select
from sqlalchemy.orm import Session

from odc_sync.protocol.canonical import canonical_bytes, sha256_hex
from odc_sync.server.clock import now_iso
from odc_sync.server.db import next_values
from odc_sync.server.models import AuditRecord

GENESIS = "0" * 64
_audit = AuditRecord.__table__
# Built once (Core, on the table): the chain's previous hash and the multi-row insert.
_PREV_HASH = select(_audit.c.hash).where(_audit.c.seq == bindparam("prev_seq"))
_INSERT = insert(_audit)


def _record_hash(prev_hash: str, seq: int, at: str, actor: str, action: str, subject: str, details: str) -> str:
    body = {"seq": seq, "at": at, "actor": actor, "action": action, "subject": subject, "details": details}
    return sha256_hex(prev_hash.encode("ascii") + canonical_bytes(body))


def append(session: Session, actor: str, action: str, subject: str, details: dict[str, Any] | None = None) -> None:
    """Append one record in the caller's transaction."""
    append_many(session, actor, [(action, subject, details or {})])


def append_many(session: Session, actor: str, records: list[tuple[str, str, dict[str, Any]]]) -> None:
    """Append ``(action, subject, details)`` records in order, in the caller's transaction (one lock)."""
    append_records(session, [(actor, action, subject, details) for action, subject, details in records])


def append_records(session: Session | Connection, records: list[tuple[str, str, str, dict[str, Any]]]) -> None:
    """Append ``(actor, action, subject, details)`` records in order, in the caller's transaction (one
    lock, one multi-row INSERT)."""
    if not records:
        return
    seqs = next_values(session, "audit", len(records))
    prev = session.execute(_PREV_HASH, {"prev_seq": seqs[0] - 1}).scalar_one_or_none()
    prev_hash = prev or GENESIS
    at = now_iso()
    rows = []
    for seq, (actor, action, subject, details) in zip(seqs, records):
        text = json.dumps(details, sort_keys=True, ensure_ascii=False)
        digest = _record_hash(prev_hash, seq, at, actor, action, subject, text)
        rows.append({"seq": seq, "at": at, "actor": actor, "action": action, "subject": subject, "details": text,
                     "prev_hash": prev_hash, "hash": digest})
        prev_hash = digest
    session.execute(_INSERT, rows)  # executemany: one prepared statement


def verify_chain(session: Session) -> tuple[int, int | None]:
    """(records checked, seq of the first broken record or None when the chain holds)."""
    prev_hash, expected_seq, count = GENESIS, 1, 0
    for record in session.execute(select(AuditRecord).order_by(AuditRecord.seq)).scalars():
        count += 1
        ok = (record.seq == expected_seq and record.prev_hash == prev_hash and record.hash == _record_hash(
            prev_hash, record.seq, record.at, record.actor, record.action, record.subject, record.details))
        if not ok:
            return count, record.seq
        prev_hash, expected_seq = record.hash, expected_seq + 1
    return count, None
