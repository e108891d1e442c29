"""What sync reads and writes in :class:`~odc_desktop.storage.sql.SqlRepository` (a mixin): the
outbox, receipts, per-attachment upload state, the unaudited sync state, ocid aliases and the
source rows of imported entries.

How two PCs converge on one process (the rule sync implements; docs/architecture.md):

- A process's identity across PCs is its ``uid`` (uuid4, made offline). Its ``ocid`` is a name:
  ``{prefix}-{kode RUP}`` when it has a kode RUP, else ``{prefix}-{device}-{seq}``.
- Two PCs that enter the same kode RUP make the same ocid under two uids. The server keeps the uid it
  accepted first for an ocid; a push naming that ocid under another uid joins the existing process,
  and the answer carries the server's uid. The PC then calls :meth:`adopt_process_identity`: its
  process takes the server's uid (and ocid), its own entries stay, and any ocid it gives up is
  kept in ``ocid_aliases``.
- ``ocid_aliases`` maps every other ocid a process has been known by (an offline ocid replaced by a
  kode RUP one, another PC's name for it) to the process: :meth:`find_process_by_ocid` and the
  duplicate check of ``create_process`` look there too, so the same paket is never made twice.
- ``sync_state`` (cursor, ETag) is bookkeeping, not a change of anyone's data: it is not audited,
  unlike ``meta``. Adopting an identity and adding an alias are audited.
"""

from __future__ import annotations

from odc_desktop.domain.model import OutboxItem, Receipt
from odc_desktop.storage.common import now_iso, search_text
from odc_desktop.storage.repository import StorageError


class SqlSyncMixin:
    """Outbox, receipts, upload state, sync state, aliases and import sources."""

    # outbox and receipts ---------------------------------------------------------------------
    def list_outbox(self) -> list[OutboxItem]:
        """Entries queued to push, oldest first (rows are written and removed by status changes)."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        with self._read() as conn:
            rows = conn.execute(sa.select(t.outbox).order_by(t.outbox.c.id)).all()
        return [OutboxItem(**{k: v for k, v in r._mapping.items() if k != "id"}) for r in rows]

    def note_push_attempt(self, entry_id: int, error: str | None) -> None:
        """Count one push attempt of a queued entry and remember its error (None: none)."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        with self._write() as conn:
            conn.execute(sa.update(t.outbox).where(t.outbox.c.entry_id == entry_id)
                         .values(attempts=t.outbox.c.attempts + 1, last_error=error))

    def receipts_of_entry(self, entry_id: int) -> list[Receipt]:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        with self._read() as conn:
            rows = conn.execute(sa.select(t.receipts).where(t.receipts.c.entry_id == entry_id)
                                .order_by(t.receipts.c.id)).all()
        return [Receipt(**{k: v for k, v in r._mapping.items() if k not in ("id", "entry_id")})
                for r in rows]

    # upload state of attachments -------------------------------------------------------------
    def upload_state(self, attachment_id: int) -> tuple[int, bool, str | None]:
        """(bytes uploaded, fully uploaded, resumable upload URL) of one attachment."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        with self._read() as conn:
            row = conn.execute(sa.select(t.attachment_uploads).where(
                t.attachment_uploads.c.attachment_id == attachment_id)).first()
        return (row.uploaded_bytes, bool(row.uploaded), row.upload_url) if row else (0, False, None)

    def uploaded_files(self, sha256s: list[str]) -> set[str]:
        """Of ``sha256s``, the files a copy of which (any attachment) is known to be on the server."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        found: set[str] = set()
        with self._read() as conn:
            for start in range(0, len(sha256s), 500):
                found |= set(conn.execute(sa.select(t.attachment_uploads.c.sha256).where(
                    t.attachment_uploads.c.uploaded == 1,
                    t.attachment_uploads.c.sha256.in_(sha256s[start:start + 500]))).scalars())
        return found

    def forget_uploads(self, sha256s: list[str]) -> None:
        """The server lacks these files after all: every copy's upload state back to never tried."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        with self._write() as conn:
            conn.execute(sa.update(t.attachment_uploads).where(t.attachment_uploads.c.sha256.in_(sha256s))
                         .values(uploaded_bytes=0, uploaded=0, upload_url=None))

    def set_upload_state(self, attachment_id: int, sha256: str, uploaded_bytes: int, uploaded: bool,
                         upload_url: str | None) -> None:
        with self._write() as conn:
            conn.exec_driver_sql(
                "INSERT INTO attachment_uploads (attachment_id, sha256, uploaded_bytes, uploaded, "
                "upload_url) VALUES (?, ?, ?, ?, ?) ON CONFLICT(attachment_id) DO UPDATE SET "
                "sha256 = excluded.sha256, uploaded_bytes = excluded.uploaded_bytes, "
                "uploaded = excluded.uploaded, upload_url = excluded.upload_url",
                (attachment_id, sha256, int(uploaded_bytes), int(bool(uploaded)), upload_url))

    def pending_totals(self) -> tuple[int, int]:
        """(queued entries in the outbox, bytes of their documents not yet on the server) in one
        query. A file is counted once however many entries carry it, by what its copy that went
        furthest has left (an uploaded copy has nothing left: the server keeps files by content)."""
        with self._read() as conn:
            row = conn.exec_driver_sql(
                "WITH queued AS (SELECT o.entry_id FROM outbox o JOIN entries e ON e.id = o.entry_id "
                "WHERE e.status = 'queued'), "
                "files AS (SELECT a.sha256, MIN(MAX(0, a.size - COALESCE(u.uploaded_bytes, 0))) AS left_bytes "
                "FROM attachments a JOIN queued q ON q.entry_id = a.entry_id "
                "LEFT JOIN attachment_uploads u ON u.attachment_id = a.id GROUP BY a.sha256) "
                "SELECT (SELECT COUNT(*) FROM queued), (SELECT COALESCE(SUM(left_bytes), 0) FROM files)").one()
        return int(row[0]), int(row[1])

    # sync state (not audited) ----------------------------------------------------------------
    def get_sync_state(self, key: str, default: str | None = None) -> str | None:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        with self._read() as conn:
            value = conn.execute(sa.select(t.sync_state.c.value)
                                 .where(t.sync_state.c.key == key)).scalar()
        return default if value is None else value

    def set_sync_state(self, key: str, value: str) -> None:
        """Store sync bookkeeping (cursor, ETag); unlike set_meta it writes no audit record."""
        with self._write() as conn:
            conn.exec_driver_sql("INSERT INTO sync_state(key, value) VALUES (?, ?) ON CONFLICT(key) "
                                 "DO UPDATE SET value = excluded.value", (key, str(value)))

    def last_refusal(self, entry_id: int) -> str | None:
        """The reason the server gave when it last refused this entry (as ``apply_refusal`` stored it
        in the audit record), or None when it never was."""
        with self._read() as conn:
            payload = conn.exec_driver_sql(
                "SELECT payload FROM audit_log WHERE object_type = 'entry' AND object_id = ? "
                "AND action = 'apply_refusal' ORDER BY seq DESC LIMIT 1", (str(entry_id),)).scalar()
        if payload is None:
            return None
        import json
        return json.loads(payload).get("reason")

    # process identity ------------------------------------------------------------------------
    def ocid_aliases(self, process_id: int) -> list[str]:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        with self._read() as conn:
            return list(conn.execute(sa.select(t.ocid_aliases.c.ocid)
                                     .where(t.ocid_aliases.c.process_id == process_id)
                                     .order_by(t.ocid_aliases.c.ocid)).scalars())

    def add_ocid_alias(self, process_id: int, ocid: str, reason: str,
                       actor: str | None = None) -> None:
        """Record that ``ocid`` also names the process (refused when it names another one)."""
        now = now_iso()
        with self._write() as conn:
            self._add_alias(conn, process_id, ocid, reason, now, actor)

    def _add_alias(self, conn, process_id: int, ocid: str, reason: str, now: str,
                   actor: str | None) -> None:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        owner = self._process_of_ocid(conn, ocid)
        if owner == process_id:
            return
        if owner is not None:
            raise StorageError("storage.ocid_taken", ocid=ocid)
        conn.execute(sa.insert(t.ocid_aliases).values(ocid=ocid, process_id=process_id,
                                                      reason=reason, created_at=now))
        self._audit(conn, now, actor, "add_ocid_alias", "process", process_id,
                    {"ocid": ocid, "reason": reason})

    def adopt_process_identity(self, process_id: int, uid: str, ocid: str,
                               actor: str | None = None) -> None:
        """Converge with the server's copy of this process: take its ``uid`` and ``ocid``; the ocid
        given up becomes an alias. Entries, documents and statuses are untouched."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        now = now_iso()
        with self._write() as conn:
            old = conn.execute(sa.select(t.processes).where(t.processes.c.id == process_id)).one()
            if old.ocid != ocid:
                conn.execute(sa.delete(t.ocid_aliases).where(t.ocid_aliases.c.ocid == ocid,
                                                             t.ocid_aliases.c.process_id == process_id))
                conn.execute(sa.update(t.processes).where(t.processes.c.id == process_id).values(
                    ocid=ocid, search_text=search_text(old.title, ocid, old.kode_rup, old.opd_name)))
                self._add_alias(conn, process_id, old.ocid, "converged", now, actor)
            conn.execute(sa.update(t.processes).where(t.processes.c.id == process_id).values(uid=uid))
            self._audit(conn, now, actor, "adopt_process_identity", "process", process_id,
                        {"old_uid": old.uid, "uid": uid, "old_ocid": old.ocid, "ocid": ocid})

    @staticmethod
    def _process_of_ocid(conn, ocid: str) -> int | None:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        found = conn.execute(sa.select(t.processes.c.id).where(t.processes.c.ocid == ocid)).scalar()
        if found is None:
            found = conn.execute(sa.select(t.ocid_aliases.c.process_id)
                                 .where(t.ocid_aliases.c.ocid == ocid)).scalar()
        return found

    # import sources --------------------------------------------------------------------------
    def entry_of_source(self, source_system: str, dataset: str, row_key: str) -> int | None:
        """The entry made from this source row by an earlier import, if any."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        with self._read() as conn:
            return conn.execute(sa.select(t.import_sources.c.entry_id).where(
                t.import_sources.c.source_system == source_system,
                t.import_sources.c.dataset == dataset,
                t.import_sources.c.row_key == row_key)).scalar()

    def record_source(self, entry_id: int, source_system: str, dataset: str, row_key: str) -> None:
        """Remember that the entry holds this source row (the row then points at this entry)."""
        with self._write() as conn:
            conn.exec_driver_sql(
                "INSERT INTO import_sources (entry_id, source_system, dataset, row_key, imported_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(source_system, dataset, row_key) DO UPDATE SET "
                "entry_id = excluded.entry_id, imported_at = excluded.imported_at",
                (entry_id, source_system, dataset, row_key, now_iso()))
