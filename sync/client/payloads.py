"""Entry payloads built from the store, exactly as the protocol hashes and signs them."""

from __future__ import annotations

from typing import Any

from odc_sync.protocol.canonical import content_sha256


def entry_payload(repo: Any, entry: Any) -> dict[str, Any]:
    """The payload of a queued entry: the next server revision, based on the one the server holds.

    Its :func:`content_sha256` equals the entry's stored content identity (one rule, see
    ``odc_desktop.domain.identity``), which is what the receipt must name.
    """
    process = repo.get_process(entry.process_id)
    attachments = [{"sha256": a.sha256, "size": a.size, "name": a.filename, "media_type": a.mime,
                    "document_type": a.document_type} for a in repo.list_attachments(entry.id)]
    attachments.sort(key=lambda a: (a["sha256"], a["document_type"], a["name"]))
    payload: dict[str, Any] = {
        "entry": entry.uid, "revision": entry.revision + 1, "base_revision": entry.revision or None,
        "ocid": process.ocid, "opd": process.opd_code, "stage": getattr(entry.stage, "value", entry.stage),
        "form": {"id": entry.form_id, "version": entry.form_version, "hash": entry.form_hash},
        "data": entry.data, "attachments": attachments}
    if entry.supersedes_uid:
        payload["supersedes"] = entry.supersedes_uid
    return payload


def identity_matches(payload: dict[str, Any], entry: Any) -> bool:
    return content_sha256(payload) == entry.content_sha256
