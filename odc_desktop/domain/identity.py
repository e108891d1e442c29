"""The content identity of an entry: the one rule the store and the sync protocol both use.

It is SHA-256 (hex) of the canonical JSON of ``{"form": [id, version, hash], "data": data,
"documents": sorted [[sha256, document_type], …]}``. File names, titles, revisions and the entry's
place (ocid, OPD) are not content, so the same content sent twice under another revision is still
the same content (a duplicate), and a server receipt names exactly what the device holds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def content_identity(form_id: str, form_version: int, form_hash: str, data: dict[str, Any],
                     documents: Iterable[tuple[str, str]]) -> str:
    """SHA-256 (hex) of what an entry says: form ``(id, version, hash)``, data, document manifest.

    Changing this definition needs a store schema step that recomputes ``entries.content_sha256``.
    """
    manifest = sorted([str(sha), str(doc_type)] for sha, doc_type in documents)
    identity = {"form": [form_id, int(form_version), form_hash], "data": data, "documents": manifest}
    return hashlib.sha256(_canonical(identity)).hexdigest()


def payload_identity(payload: dict[str, Any]) -> str:
    """:func:`content_identity` of a sync entry payload (its ``form``, ``data`` and ``attachments``
    with their ``sha256`` and ``document_type``)."""
    form = payload["form"]
    documents = [(item["sha256"], item.get("document_type", "")) for item in payload.get("attachments") or []]
    return content_identity(form["id"], form["version"], form["hash"], payload["data"], documents)
