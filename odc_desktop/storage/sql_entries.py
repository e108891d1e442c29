"""Stage entries and their statuses in :class:`~odc_desktop.storage.sql.SqlRepository`.

A mixin so that the repository module stays readable; it relies on the repository's ``_write``,
``_read``, ``_audit``, ``_next_change_seq`` and ``files``. Each method imports SQLAlchemy and the tables itself, so importing this module does not.

Status changes are split by who may make them: :meth:`set_local_status` moves only between
``draft``, ``ready`` and ``queued`` (keeping the outbox in step); ``submitted`` needs a stored
receipt for the entry's exact content (:meth:`record_receipt`), ``approved``/``returned`` a
decision (:meth:`record_decision`), ``rejected_by_server`` a server refusal
(:meth:`record_refusal`). The operations of :mod:`odc_desktop.workflow` are their only callers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from odc_desktop.domain.model import Entry, Receipt
from odc_desktop.domain.statuses import (
    EDITABLE_STATUSES,
    EntryStatus,
    InvalidTransition,
    Stage,
    check_transition,
)
from odc_desktop.storage.common import (
    canonical_json,
    content_identity,
    encode_statuses,
    latest_stage,
    new_uid,
    not_newer_message,
    now_iso,
    read_only_message,
    stage_busy_message,
)
from odc_desktop.storage.repository import NotFound, ReadOnlyEntry, StorageError
from odc_desktop.storage.sql_rows import to_entry

if TYPE_CHECKING:
    from sqlalchemy import Connection

#: Statuses the device sets itself; the others come only from the server.
LOCAL_STATUSES = frozenset({EntryStatus.DRAFT, EntryStatus.READY, EntryStatus.QUEUED})
#: Entries whose change starts a new entry that supersedes them.
SUPERSEDABLE = frozenset({EntryStatus.APPROVED, EntryStatus.SUBMITTED})


def _current_entry_ids():
    """The id of each (process, stage)'s newest entry: "current" everywhere in the store."""
    import sqlalchemy as sa
    from odc_desktop.storage import tables as t
    return sa.select(sa.func.max(t.entries.c.id)).group_by(t.entries.c.process_id, t.entries.c.stage)


class SqlEntriesMixin:
    """Entry and status methods of the SQL repository."""

    # helpers ---------------------------------------------------------------------------------
    @staticmethod
    def _entry_row(conn: Connection, entry_id: int) -> Entry:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        row = conn.execute(sa.select(t.entries).where(t.entries.c.id == entry_id)).first()
        if row is None:
            raise NotFound("storage.entry_not_found", entry_id=entry_id)
        return to_entry(row)

    @staticmethod
    def _identity(conn: Connection, entry_id: int, form_id: str, form_version: int, form_hash: str,
                  data: dict[str, Any]) -> str:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        documents = conn.execute(sa.select(t.attachments.c.sha256, t.attachments.c.document_type)
                                 .where(t.attachments.c.entry_id == entry_id)).all()
        return content_identity(form_id, form_version, form_hash, data, documents)

    def _touch_process(self, conn: Connection, process_id: int, now: str) -> None:
        """Refresh the process's denormalised statuses, current stage and list order."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        rows = conn.exec_driver_sql(
            "SELECT stage, status FROM entries WHERE id IN (SELECT max(id) FROM entries "
            "WHERE process_id = ? GROUP BY stage)", (process_id,)).all()
        statuses = {Stage(s): EntryStatus(st) for s, st in rows}
        conn.execute(sa.update(t.processes).where(t.processes.c.id == process_id).values(
            statuses=encode_statuses(statuses), current_stage=latest_stage(statuses).value,
            change_seq=self._next_change_seq(conn), updated_at=now))

    def _editable_entry(self, conn: Connection, entry_id: int) -> Entry:
        entry = self._entry_row(conn, entry_id)
        if entry.status not in EDITABLE_STATUSES:
            raise ReadOnlyEntry(read_only_message(entry.status))
        return entry

    def _content_changed(self, conn: Connection, entry: Entry, now: str, actor: str | None,
                         action: str, payload: dict[str, Any], data: dict[str, Any] | None = None,
                         form_version: int | None = None, form_hash: str | None = None) -> Entry:
        """Store a new content of an editable entry (new ``data``/form version, or its documents
        changed): its identity is recomputed from data and documents, the edit counter goes up, and
        it is a DRAFT again (checked anew). The server revision stays."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        data = entry.data if data is None else data
        version = entry.form_version if form_version is None else int(form_version)
        form_hash = entry.form_hash if form_hash is None else form_hash
        identity = self._identity(conn, entry.id, entry.form_id, version, form_hash, data)
        conn.execute(sa.update(t.entries).where(t.entries.c.id == entry.id).values(
            data=canonical_json(data), form_version=version, form_hash=form_hash,
            status=EntryStatus.DRAFT.value, updated_at=now, content_sha256=identity,
            edit_seq=entry.edit_seq + 1))
        self._touch_process(conn, entry.process_id, now)
        self._audit(conn, now, actor, action, "entry", entry.id,
                    {**payload, "edit_seq": entry.edit_seq + 1, "content_sha256": identity})
        return self._entry_row(conn, entry.id)

    # entries ---------------------------------------------------------------------------------
    def current_entry(self, process_id: int, stage: Stage) -> Entry | None:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        with self._read() as conn:
            row = conn.execute(sa.select(t.entries).where(t.entries.c.process_id == process_id,
                                                          t.entries.c.stage == Stage(stage).value)
                               .order_by(t.entries.c.id.desc()).limit(1)).first()
        return to_entry(row) if row else None

    def entries_of_process(self, process_id: int) -> list[Entry]:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        with self._read() as conn:
            rows = conn.execute(sa.select(t.entries).where(t.entries.c.process_id == process_id)
                                .order_by(t.entries.c.id)).all()
        return [to_entry(r) for r in rows]

    def create_entry(self, process_id: int, stage: Stage, form_id: str, form_version: int,
                     form_hash: str, data: dict[str, Any] | None = None,
                     actor: str | None = None) -> Entry:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        stage = Stage(stage)
        data = dict(data or {})
        now = now_iso()
        with self._write() as conn:
            exists = sa.select(t.processes.c.id).where(t.processes.c.id == process_id)
            if conn.execute(exists).first() is None:
                raise NotFound("storage.process_not_found", process_id=process_id)
            current = conn.execute(sa.select(t.entries.c.uid, t.entries.c.status, t.entries.c.revision)
                                   .where(t.entries.c.process_id == process_id,
                                          t.entries.c.stage == stage.value)
                                   .order_by(t.entries.c.id.desc()).limit(1)).first()
            if current is not None and EntryStatus(current.status) not in SUPERSEDABLE:
                raise StorageError(stage_busy_message(stage))
            sha = content_identity(form_id, form_version, form_hash, data, ())
            entry_id = conn.execute(sa.insert(t.entries).values(
                uid=new_uid(), process_id=process_id, stage=stage.value, form_id=form_id,
                form_version=int(form_version), form_hash=form_hash, data=canonical_json(data),
                status=EntryStatus.DRAFT.value, revision=0, edit_seq=1,
                supersedes_uid=current.uid if current else None,
                base_revision=current.revision if current else None, content_sha256=sha,
                created_at=now, updated_at=now)).inserted_primary_key[0]
            self._touch_process(conn, process_id, now)
            self._audit(conn, now, actor, "create_entry", "entry", entry_id,
                        {"process_id": process_id, "stage": stage.value, "form_id": form_id,
                         "form_version": int(form_version), "content_sha256": sha,
                         "supersedes_uid": current.uid if current else None})
            return self._entry_row(conn, entry_id)

    def get_entry(self, entry_id: int) -> Entry:
        with self._read() as conn:
            return self._entry_row(conn, entry_id)

    def entry_by_uid(self, uid: str) -> Entry | None:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        with self._read() as conn:
            row = conn.execute(sa.select(t.entries).where(t.entries.c.uid == uid)).first()
        return to_entry(row) if row else None

    def save_entry_data(self, entry_id: int, data: dict[str, Any], actor: str | None = None) -> Entry:
        now = now_iso()
        with self._write() as conn:
            entry = self._editable_entry(conn, entry_id)
            if canonical_json(data) == canonical_json(entry.data):
                return entry  # nothing changed: no new edit, no audit record
            return self._content_changed(conn, entry, now, actor, "save_entry_data",
                                         {"status": EntryStatus.DRAFT.value}, data=data)

    def migrate_entry(self, entry_id: int, form_version: int, form_hash: str, data: dict[str, Any],
                      actor: str | None = None) -> Entry:
        now = now_iso()
        with self._write() as conn:
            entry = self._editable_entry(conn, entry_id)
            if form_version <= entry.form_version:
                raise StorageError(not_newer_message(entry.form_version, form_version))
            return self._content_changed(conn, entry, now, actor, "migrate_entry",
                                         {"from_version": entry.form_version,
                                          "to_version": form_version, "form_hash": form_hash},
                                         data=data, form_version=form_version, form_hash=form_hash)

    # statuses --------------------------------------------------------------------------------
    def _move(self, conn: Connection, entry: Entry, status: EntryStatus, now: str, actor: str | None,
              action: str, payload: dict[str, Any], **values: Any) -> Entry:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        check_transition(entry.status, status)
        conn.execute(sa.update(t.entries).where(t.entries.c.id == entry.id)
                     .values(status=status.value, updated_at=now, **values))
        if entry.status == EntryStatus.QUEUED:
            conn.execute(sa.delete(t.outbox).where(t.outbox.c.entry_id == entry.id))
        self._touch_process(conn, entry.process_id, now)
        self._audit(conn, now, actor, action, "entry", entry.id,
                    {"from": entry.status.value, "to": status.value, "revision": entry.revision,
                     "content_sha256": entry.content_sha256, **payload})
        return self._entry_row(conn, entry.id)

    def set_local_status(self, entry_id: int, status: EntryStatus, actor: str | None = None,
                         reason: str = "") -> Entry:
        """Move an entry between draft, ready and queued (InvalidTransition otherwise); queuing
        writes its outbox row with the content identity it has now, leaving the queue removes it."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        status, now = EntryStatus(status), now_iso()
        if status not in LOCAL_STATUSES:
            raise InvalidTransition("storage.from_server_only", status=status)
        with self._write() as conn:
            entry = self._entry_row(conn, entry_id)
            moved = self._move(conn, entry, status, now, actor, "set_entry_status", {"reason": reason})
            if status == EntryStatus.QUEUED:
                conn.execute(sa.insert(t.outbox).values(
                    entry_id=entry.id, entry_uid=entry.uid, content_sha256=entry.content_sha256,
                    queued_at=now, attempts=0))
            return moved

    def record_receipt(self, entry_id: int, receipt: Receipt, actor: str | None = None) -> Entry:
        """queued → submitted, storing the receipt; refused (StorageError) unless the receipt names
        this entry and exactly its content. The server revision becomes the receipt's."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        now = now_iso()
        with self._write() as conn:
            entry = self._entry_row(conn, entry_id)
            if (receipt.entry_uid, receipt.content_sha256) != (entry.uid, entry.content_sha256):
                raise StorageError("storage.receipt_mismatch")
            conn.execute(sa.insert(t.receipts).values(entry_id=entry.id, **receipt.__dict__))
            details = {"server_seq": receipt.server_seq, "server_revision": receipt.revision,
                       "signature": receipt.signature}
            if receipt.proof is not None:  # protocol 3: the signature is over a Merkle root
                details["proof"] = receipt.proof
            return self._move(conn, entry, EntryStatus.SUBMITTED, now, actor, "apply_receipt", details,
                              revision=receipt.revision)

    def record_decision(self, entry_id: int, status: EntryStatus, author: str,
                        notes: list[tuple[str | None, str]] = (), actor: str | None = None) -> Entry:
        """submitted → approved or returned (the reviewer's ``notes`` as (field id, text) pairs)."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        status, now = EntryStatus(status), now_iso()
        if status not in (EntryStatus.APPROVED, EntryStatus.RETURNED):
            raise InvalidTransition("storage.not_a_decision", status=status)
        with self._write() as conn:
            entry = self._entry_row(conn, entry_id)
            moved = self._move(conn, entry, status, now, actor, "apply_decision",
                               {"author": author, "notes": len(notes)})
            for field_id, text in notes:
                conn.execute(sa.insert(t.review_notes).values(
                    entry_id=entry.id, field_id=field_id, author=author, text=text, created_at=now))
            return moved

    def record_refusal(self, entry_id: int, reason: str, actor: str | None = None) -> Entry:
        """queued → rejected_by_server, with the server's reason in the audit record."""
        now = now_iso()
        with self._write() as conn:
            entry = self._entry_row(conn, entry_id)
            return self._move(conn, entry, EntryStatus.REJECTED_BY_SERVER, now, actor,
                              "apply_refusal", {"reason": reason})

    # queries ---------------------------------------------------------------------------------
    def iter_entries(self, statuses: set[EntryStatus] | None = None) -> list[Entry]:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        query = sa.select(t.entries).where(t.entries.c.id.in_(_current_entry_ids()))
        if statuses is not None:
            query = query.where(t.entries.c.status.in_([EntryStatus(s).value for s in statuses]))
        with self._read() as conn:
            return [to_entry(r) for r in conn.execute(query.order_by(t.entries.c.id))]

    def count_entries_by_status(self) -> dict[str, int]:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        counts = {s.value: 0 for s in EntryStatus}
        query = (sa.select(t.entries.c.status, sa.func.count())
                 .where(t.entries.c.id.in_(_current_entry_ids())).group_by(t.entries.c.status))
        with self._read() as conn:
            for status, n in conn.execute(query):
                counts[status] = n
        return counts
