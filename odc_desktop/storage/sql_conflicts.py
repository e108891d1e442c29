"""What resolving a push conflict writes in :class:`~odc_desktop.storage.sql.SqlRepository` (a mixin).

A conflict (the server holds a newer or another revision of a queued entry) is kept by the sync
engine in ``sync_state`` as ``conflict.<entry uid>``; :mod:`odc_desktop.workflow.conflicts` resolves it
with these methods, one transaction each, audited:

* :meth:`rebase_queued_entry` — "keep mine": the queued entry's server revision becomes the server
  copy's, so the next push is the next revision on top of it (content unchanged);
* :meth:`replace_queued_content` — "take the server's": the queued entry's form, data and documents
  become the server copy's (the receipt then moves it to ``submitted`` through ``record_receipt``).
  What it held before is written whole into the audit record (``replaced``); the bytes of its
  documents stay in the file store, so nothing the operator typed or attached is lost.
"""

from __future__ import annotations

from typing import Any

from odc_desktop.domain.model import Entry
from odc_desktop.domain.statuses import EntryStatus
from odc_desktop.storage.common import canonical_json, now_iso
from odc_desktop.storage.repository import StorageError


class SqlConflictsMixin:
    """Conflict bookkeeping and resolution of the SQL repository."""

    def sync_state_items(self, prefix: str) -> dict[str, str]:
        """Every ``sync_state`` row whose key starts with ``prefix`` (e.g. ``"conflict."``)."""
        with self._read() as conn:
            rows = conn.exec_driver_sql("SELECT key, value FROM sync_state WHERE substr(key, 1, ?) = ?",
                                        (len(prefix), prefix)).all()
        return {key: value for key, value in rows}

    def delete_sync_state(self, key: str) -> None:
        """Forget one ``sync_state`` row (not audited, like :meth:`set_sync_state`)."""
        with self._write() as conn:
            conn.exec_driver_sql("DELETE FROM sync_state WHERE key = ?", (key,))

    def stored_files_missing(self, sha256s: list[str]) -> list[str]:
        """Those of ``sha256s`` whose bytes this store's file store does not hold."""
        return [sha for sha in sha256s if not self.files.exists(sha)]

    def _queued_row(self, conn, entry_id: int) -> Entry:  # noqa: ANN001
        entry = self._entry_row(conn, entry_id)
        if entry.status != EntryStatus.QUEUED:
            raise StorageError("conflict.entry_not_queued", status=entry.status)
        return entry

    def rebase_queued_entry(self, entry_id: int, server_revision: int, actor: str | None = None,
                            payload: dict[str, Any] | None = None) -> Entry:
        """A queued entry's server revision becomes ``server_revision`` (its next push is
        ``server_revision + 1`` based on it); its content and outbox row stay, the last error is cleared."""
        now = now_iso()
        with self._write() as conn:
            entry = self._queued_row(conn, entry_id)
            conn.exec_driver_sql("UPDATE entries SET revision = ?, updated_at = ? WHERE id = ?",
                                 (int(server_revision), now, entry.id))
            conn.exec_driver_sql("UPDATE outbox SET attempts = 0, last_error = NULL WHERE entry_id = ?", (entry.id,))
            self._touch_process(conn, entry.process_id, now)
            self._audit(conn, now, actor, "keep_my_version", "entry", entry.id,
                        {**(payload or {}), "from_revision": entry.revision, "server_revision": int(server_revision),
                         "content_sha256": entry.content_sha256})
            return self._entry_row(conn, entry.id)

    def replace_queued_content(self, entry_id: int, form: tuple[str, int, str], data: dict[str, Any],
                               documents: list[dict[str, Any]], actor: str | None = None,
                               payload: dict[str, Any] | None = None) -> Entry:
        """A queued entry's form triple, data and documents (``{sha256, name, size, media_type,
        document_type}`` each, bytes already in the file store) become the given ones; it stays queued
        (a receipt for the new content moves it on). Its former content goes whole into the audit
        record's ``replaced``; the former documents' bytes are not removed from the file store."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        now = now_iso()
        with self._write() as conn:
            entry = self._queued_row(conn, entry_id)
            missing = [d["sha256"] for d in documents if not self.files.exists(d["sha256"])]
            if missing:
                raise StorageError("storage.stored_copy_gone", filename=", ".join(m[:12] for m in missing))
            mine = conn.execute(sa.select(t.attachments).where(t.attachments.c.entry_id == entry.id)
                                .order_by(t.attachments.c.id)).all()
            conn.execute(sa.delete(t.attachments).where(t.attachments.c.entry_id == entry.id))
            for doc in documents:
                conn.execute(sa.insert(t.attachments).values(
                    entry_id=entry.id, sha256=doc["sha256"], filename=str(doc.get("name") or doc["sha256"][:12]),
                    mime=str(doc.get("media_type") or "application/octet-stream"), size=int(doc.get("size") or 0),
                    document_type=str(doc.get("document_type") or ""), title="", created_at=now))
            form_id, version, form_hash = form
            identity = self._identity(conn, entry.id, form_id, version, form_hash, data)
            conn.execute(sa.update(t.entries).where(t.entries.c.id == entry.id).values(
                form_id=form_id, form_version=int(version), form_hash=form_hash, data=canonical_json(data),
                content_sha256=identity, edit_seq=entry.edit_seq + 1, updated_at=now))
            conn.execute(sa.update(t.outbox).where(t.outbox.c.entry_id == entry.id)
                         .values(content_sha256=identity, last_error=None))
            self._touch_process(conn, entry.process_id, now)
            replaced = {"form": [entry.form_id, entry.form_version, entry.form_hash], "data": entry.data,
                        "revision": entry.revision, "content_sha256": entry.content_sha256,
                        "documents": [{"sha256": a.sha256, "filename": a.filename, "mime": a.mime, "size": a.size,
                                       "document_type": a.document_type, "title": a.title} for a in mine]}
            self._audit(conn, now, actor, "take_server_copy", "entry", entry.id,
                        {**(payload or {}), "content_sha256": identity, "replaced": replaced})
            return self._entry_row(conn, entry.id)

    def replaced_content(self, entry_id: int) -> dict[str, Any] | None:
        """What the entry held before its last :meth:`replace_queued_content` (None: never replaced)."""
        import json
        with self._read() as conn:
            found = conn.exec_driver_sql(
                "SELECT payload FROM audit_log WHERE object_type = 'entry' AND object_id = ? "
                "AND action = 'take_server_copy' ORDER BY seq DESC LIMIT 1", (str(entry_id),)).scalar()
        return None if found is None else json.loads(found).get("replaced")
