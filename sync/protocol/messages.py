"""The shapes exchanged by client and server (protocol version :data:`PROTOCOL_VERSION`).

All bodies are JSON objects. A request body may be gzip-compressed (``Content-Encoding: gzip``).

Entry payload (what is signed; ``content_sha256`` = the content identity of its form triple, data and
attachment manifest, :func:`odc_sync.protocol.canonical.content_sha256`)::

    {"entry": "<uuid of the stage entry>", "revision": 2, "base_revision": 1 | null,
     "ocid": "ocds-…-123", "opd": "<OPD code>", "stage": "planning",
     "form": {"id": "planning", "version": 1, "hash": "<form file sha256>"},
     "data": {…form data…},
     "attachments": [{"sha256": "<hex>", "size": 1234, "name": "kak.pdf", "media_type": "application/pdf",
                      "document_type": "kak"}],
     "supersedes": "<uid of the approved entry this one changes>"  (optional)}

Push request ``POST /api/v1/entries/push``::

    {"protocol": 1, "device": "<device id>",
     "items": [{"payload": {…}, "signature": "<base64 Ed25519 over the payload's canonical bytes>"}]}

Push response (to a protocol-1 request): ``{"protocol": 1, "results": [<one per item, same order>]}`` where a
result is one of

* ``{"entry", "revision", "status": "accepted", "receipt": <signed receipt>}``
* ``{"entry", "revision", "status": "duplicate", "receipt": <the original signed receipt>}``
* ``{"entry", "revision", "status": "conflict", "server_copy": {"payload", "receipt"} | null,
  "reasons": [<problem>]}`` — the base revision is stale, or that revision already holds other content
* ``{"entry", "revision", "status": "rejected", "reasons": [<problem>], "retryable": false}`` —
  quarantine it; ``retryable`` is true only for ``attachment_missing`` (upload, then push again)

A problem is ``{"field": "<field id or payload key, '' for the whole item>", "code": "<code>",
"message": "<Bahasa Indonesia>", "message_en": "<English>"}``.

Signed receipt: ``{"entry", "revision", "content_sha256", "server_seq", "accepted_at", "key_id",
"signature"}`` (see :mod:`odc_sync.protocol.signing`).

Protocol 2: the same request; the answer carries receipts slim (``server_seq`` and ``signature`` per
item, ``accepted_at``/``key_id`` once per answer) and the client rebuilds and verifies them, see
:mod:`odc_sync.protocol.receipts`.

Protocol 3 (:data:`PROTOCOL_VERSION`, what the client sends): as protocol 2, but the accepted items
carry no signature of their own (``status`` and ``server_seq`` only): the answer carries one
``root_signature`` over the RFC 6962 Merkle root of their receipts (duplicates keep their individual
signature); the client stores each receipt with that signature and its audit path (``proof``), see
:mod:`odc_sync.protocol.receipts`. The server answers a protocol-1 or protocol-2 request exactly the
old way, so older clients keep working; a newer client needs a server that knows its protocol
(server first, then clients).

Optional payload key ``"supersedes": "<uid of the approved entry this one changes>"``: a change of an
approved (locked) entry is a new entry uid naming it; once approved it is published as an OCDS
update/amendment release of the same process.

Pull ``GET /api/v1/pull`` → ``{"protocol", "cursor", "more", "decisions": [...], "forms": [...],
"reference": {"opd": [...]}}`` where

* a decision is ``{"entry", "revision", "opd", "decision": "approve" | "return", "reviewer",
  "notes": [{"field": "<field id>" | null, "text"}], "decided_at", "key_id", "signature"}`` — a client
  applies it with the workflow's ``apply_decision`` after :func:`odc_sync.protocol.signing.decision_valid`;
  ``field`` null is the note on the whole entry;
* a form is ``{"id", "version", "hash", "yaml", "published_at", "key_id", "signature"}`` — ``hash`` is
  SHA-256 of the YAML bytes; a client uses it only when
  :func:`odc_sync.protocol.signing.form_signature_valid` holds for its pinned server key.

Errors of a whole request: HTTP 4xx/5xx with ``{"error": {"code", "message", "message_en"}}``
(codes in :mod:`odc_sync.protocol.errors`).
"""

from __future__ import annotations

import re
from typing import Any

PROTOCOL_VERSION = 3
# push requests the server answers (1: full receipts, 2: slim receipts, 3: slim, one signature per answer)
PUSH_PROTOCOLS = (1, 2, 3)
API_PREFIX = "/api/v1"
MAX_BATCH_ITEMS = 200
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class ItemStatus:
    """The four per-item results of a push."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    REJECTED = "rejected"
    ALL = (ACCEPTED, DUPLICATE, CONFLICT, REJECTED)


class Role:
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    ALL = (OPERATOR, SUPERVISOR, ADMIN)


PAYLOAD_KEYS = {"entry", "revision", "base_revision", "ocid", "opd", "stage", "form", "data", "attachments",
                "supersedes"}
ATTACHMENT_KEYS = {"sha256", "size", "name", "media_type", "document_type"}
OPTIONAL_KEYS = {"base_revision", "attachments", "supersedes"}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def payload_shape_problems(payload: Any) -> list[tuple[str, str]]:
    """``(field, code)`` for every way ``payload`` breaks the entry payload shape; empty when sound.

    Both sides run it: the client before queueing, the server before anything else.
    """
    if not isinstance(payload, dict):
        return [("", "payload_not_object")]
    found = [(key, "unknown_key") for key in sorted(set(payload) - PAYLOAD_KEYS)]
    found += [(key, "missing") for key in sorted(PAYLOAD_KEYS - set(payload) - OPTIONAL_KEYS)]
    for key in ("entry", "ocid", "opd", "stage"):
        if key in payload and not (isinstance(payload[key], str) and payload[key].strip()
                                   and len(payload[key]) <= 200):
            found.append((key, "bad_text"))
    if "revision" in payload and not (_is_int(payload["revision"]) and payload["revision"] >= 1):
        found.append(("revision", "bad_revision"))
    base, revision = payload.get("base_revision"), payload.get("revision")
    if base is not None and not (_is_int(base) and _is_int(revision) and 1 <= base < revision):
        found.append(("base_revision", "bad_revision"))
    form = payload.get("form")
    if "form" in payload and not (isinstance(form, dict) and set(form) == {"id", "version", "hash"}
                                  and isinstance(form["id"], str) and _is_int(form["version"])
                                  and isinstance(form["hash"], str)):
        found.append(("form", "bad_form"))
    if "data" in payload and not isinstance(payload["data"], dict):
        found.append(("data", "payload_not_object"))
    supersedes = payload.get("supersedes")
    if supersedes is not None and not (isinstance(supersedes, str) and supersedes.strip() and len(supersedes) <= 200):
        found.append(("supersedes", "bad_text"))
    for index, item in enumerate(payload.get("attachments") or []):
        if not (isinstance(item, dict) and set(item) == ATTACHMENT_KEYS
                and isinstance(item["sha256"], str) and SHA256_HEX.match(item["sha256"])
                and _is_int(item["size"]) and item["size"] >= 0
                and isinstance(item["name"], str) and isinstance(item["media_type"], str)
                and isinstance(item["document_type"], str)):
            found.append((f"attachments[{index}]", "bad_attachment"))
    if "attachments" in payload and not isinstance(payload["attachments"], list):
        found.append(("attachments", "bad_attachment"))
    return found


def attachment_hashes(payload: dict[str, Any]) -> list[str]:
    return [item["sha256"] for item in payload.get("attachments") or []]
