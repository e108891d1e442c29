"""Append-only, hash-chained audit log: building records and verifying the chain.

Each record is ``(seq, at, actor, action, object_type, object_id, payload, prev_hash, hash)`` where
``payload`` is canonical JSON text and ``hash = sha256(prev_hash + canonical_json(other fields))``.
Changing, deleting or reordering any stored record breaks the chain from that record on, which
:func:`verify_chain` reports by the first bad ``seq``. Used by both repository implementations.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from typing import Any

from odc_desktop.messages import Msg
from odc_desktop.domain.model import AuditCheck
from odc_desktop.storage.common import canonical_json

#: prev_hash of the first record.
GENESIS_HASH = "0" * 64


@dataclasses.dataclass(frozen=True)
class AuditRecord:
    """One stored audit record."""

    seq: int
    at: str
    actor: str
    action: str
    object_type: str
    object_id: str
    payload: str
    prev_hash: str
    hash: str


def record_hash(prev_hash: str, seq: int, at: str, actor: str, action: str, object_type: str,
                object_id: str, payload: str) -> str:
    """The hash of a record: sha256 over prev_hash followed by the canonical JSON of its fields."""
    fields = {"seq": seq, "at": at, "actor": actor, "action": action,
              "object_type": object_type, "object_id": object_id, "payload": payload}
    return hashlib.sha256((prev_hash + canonical_json(fields)).encode("utf-8")).hexdigest()


def make_record(prev: AuditRecord | None, at: str, actor: str, action: str, object_type: str,
                object_id: Any, payload: dict[str, Any]) -> AuditRecord:
    """The record that follows ``prev`` (None for the first one)."""
    seq = prev.seq + 1 if prev else 1
    prev_hash = prev.hash if prev else GENESIS_HASH
    payload_text = canonical_json(payload)
    oid = str(object_id)
    digest = record_hash(prev_hash, seq, at, actor, action, object_type, oid, payload_text)
    return AuditRecord(seq, at, actor, action, object_type, oid, payload_text, prev_hash, digest)


def verify_chain(records: Iterable[AuditRecord], head: tuple[int, str] | None = None) -> AuditCheck:
    """Walk records in stored ``seq`` order and report the first one that breaks the chain.

    ``head`` is the (seq, hash) of the last record as remembered separately; it reveals records
    cut off the end of the log, which the chain alone cannot show.
    """
    expected_seq, expected_prev, length = 1, GENESIS_HASH, 0
    for rec in records:
        if rec.seq != expected_seq:
            return AuditCheck(False, length, expected_seq, Msg("storage.audit_gap", seq=expected_seq))
        if rec.prev_hash != expected_prev:
            return AuditCheck(False, length, rec.seq, Msg("storage.audit_unlinked", seq=rec.seq))
        digest = record_hash(rec.prev_hash, rec.seq, rec.at, rec.actor, rec.action,
                             rec.object_type, rec.object_id, rec.payload)
        if digest != rec.hash:
            return AuditCheck(False, length, rec.seq, Msg("storage.audit_changed", seq=rec.seq))
        expected_seq, expected_prev, length = rec.seq + 1, rec.hash, length + 1
    if head is not None and tuple(head) != (length, expected_prev):
        if head[0] > length:
            bad = length + 1
        elif head[0] < length:
            bad = head[0] + 1
        else:
            bad = length
        return AuditCheck(False, length, bad, Msg("storage.audit_end", length=length, head=head[0]))
    return AuditCheck(True, length, None, Msg("storage.audit_ok"))
