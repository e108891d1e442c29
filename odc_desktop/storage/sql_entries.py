"""Stage entries, attachments and review notes of :class:`~odc_desktop.storage.sql.SqlRepository`.

A mixin so that the repository module stays readable; it relies on the repository's ``_write``,
``_read``, ``_audit``, ``_next_change_seq`` and ``files``. Each method imports SQLAlchemy and the
table objects itself (see :mod:`odc_desktop.storage.sql`), so importing this module does not.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any


from odc_desktop.domain.model import Attachment, Entry, ReviewNote
from odc_desktop.domain.statuses import EDITABLE_STATUSES, EntryStatus, Stage, check_transition
from odc_desktop.storage.common import (
    EMPTY_NOTE_MESSAGE,
    canonical_json,
    content_sha256,
    encode_statuses,
    guess_mime,
    latest_stage,
    new_uid,
    not_newer_message,
    now_iso,
    read_only_message,
    stage_busy_message,
)
from odc_desktop.storage.filestore import refuse_unfit_document
from odc_desktop.storage.repository import NotFound, ReadOnlyEntry, StorageError
from odc_desktop.storage.sql_rows import to_attachment, to_entry, to_note

if TYPE_CHECKING:
    from sqlalchemy import Connection


def _current_entry_ids():
    """The id of each (process, stage)'s newest entry: "current" everywhere in the store."""
    import sqlalchemy as sa
    from odc_desktop.storage import tables as t
    return sa.select(sa.func.max(t.entries.c.id)).group_by(t.entries.c.process_id, t.entries.c.stage)


class SqlEntriesMixin:
    """Entry, attachment and review-note methods of the SQL repository."""

    # helpers ---------------------------------------------------------------------------------
    @staticmethod
    def _entry_row(conn: Connection, entry_id: int) -> Entry:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        row = conn.execute(sa.select(t.entries).where(t.entries.c.id == entry_id)).first()
        if row is None:
            raise NotFound(f"Entri #{entry_id} tidak ditemukan. Muat ulang paket ini.")
        return to_entry(row)

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
                     actor: str = "operator") -> Entry:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        stage = Stage(stage)
        data = dict(data or {})
        now = now_iso()
        with self._write() as conn:
            exists = sa.select(t.processes.c.id).where(t.processes.c.id == process_id)
            if conn.execute(exists).first() is None:
                raise NotFound(f"Paket #{process_id} tidak ditemukan. Muat ulang daftar paket.")
            current = conn.execute(sa.select(t.entries.c.status, t.entries.c.revision)
                                   .where(t.entries.c.process_id == process_id,
                                          t.entries.c.stage == stage.value)
                                   .order_by(t.entries.c.id.desc()).limit(1)).first()
            if current is not None and current.status != EntryStatus.APPROVED.value:
                raise StorageError(stage_busy_message(stage))
            sha = content_sha256(data)
            entry_id = conn.execute(sa.insert(t.entries).values(
                uid=new_uid(), process_id=process_id, stage=stage.value, form_id=form_id,
                form_version=int(form_version), form_hash=form_hash, data=canonical_json(data),
                status=EntryStatus.DRAFT.value, revision=1,
                base_revision=current.revision if current else None, content_sha256=sha,
                created_at=now, updated_at=now)).inserted_primary_key[0]
            self._touch_process(conn, process_id, now)
            self._audit(conn, now, actor, "create_entry", "entry", entry_id,
                        {"process_id": process_id, "stage": stage.value, "form_id": form_id,
                         "form_version": int(form_version), "content_sha256": sha})
            return self._entry_row(conn, entry_id)

    def get_entry(self, entry_id: int) -> Entry:
        with self._read() as conn:
            return self._entry_row(conn, entry_id)

    def save_entry_data(self, entry_id: int, data: dict[str, Any], actor: str = "operator") -> Entry:
        sha = content_sha256(data)
        now = now_iso()
        with self._write() as conn:
            entry = self._editable_entry(conn, entry_id)
            if sha == entry.content_sha256:
                return entry  # nothing changed: no new revision, no audit record
            return self._rewrite_entry(conn, entry, now, actor, "save_entry_data",
                                       {"revision": entry.revision + 1, "content_sha256": sha,
                                        "status": EntryStatus.DRAFT.value},
                                       data=canonical_json(data), content_sha256=sha,
                                       revision=entry.revision + 1)

    def migrate_entry(self, entry_id: int, form_version: int, form_hash: str, data: dict[str, Any],
                      actor: str = "operator") -> Entry:
        sha, now = content_sha256(data), now_iso()
        with self._write() as conn:
            entry = self._editable_entry(conn, entry_id)
            if form_version <= entry.form_version:
                raise StorageError(not_newer_message(entry.form_version, form_version))
            return self._rewrite_entry(conn, entry, now, actor, "migrate_entry",
                                       {"from_version": entry.form_version, "to_version": form_version,
                                        "form_hash": form_hash, "revision": entry.revision + 1,
                                        "content_sha256": sha},
                                       data=canonical_json(data), content_sha256=sha,
                                       revision=entry.revision + 1, form_version=form_version,
                                       form_hash=form_hash)

    def set_entry_status(self, entry_id: int, status: EntryStatus, actor: str = "operator",
                         reason: str = "") -> Entry:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        status = EntryStatus(status)
        now = now_iso()
        with self._write() as conn:
            entry = self._entry_row(conn, entry_id)
            check_transition(entry.status, status)
            conn.execute(sa.update(t.entries).where(t.entries.c.id == entry_id)
                         .values(status=status.value, updated_at=now))
            self._touch_process(conn, entry.process_id, now)
            self._audit(conn, now, actor, "set_entry_status", "entry", entry_id,
                        {"from": entry.status.value, "to": status.value, "reason": reason,
                         "revision": entry.revision, "content_sha256": entry.content_sha256})
            return self._entry_row(conn, entry_id)

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

    # attachments -----------------------------------------------------------------------------
    def _editable_entry(self, conn: Connection, entry_id: int) -> Entry:
        entry = self._entry_row(conn, entry_id)
        if entry.status not in EDITABLE_STATUSES:
            raise ReadOnlyEntry(read_only_message(entry.status))
        return entry

    def _rewrite_entry(self, conn: Connection, entry: Entry, now: str, actor: str, action: str,
                       payload: dict[str, Any], **values: Any) -> Entry:
        """Store new values of an editable entry, audited. Whatever changes in an entry is checked
        again, so it is a DRAFT afterwards (every editable status may go back to DRAFT)."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        conn.execute(sa.update(t.entries).where(t.entries.c.id == entry.id).values(
            status=EntryStatus.DRAFT.value, updated_at=now, **values))
        self._touch_process(conn, entry.process_id, now)
        self._audit(conn, now, actor, action, "entry", entry.id, payload)
        return self._entry_row(conn, entry.id)

    def _documents_changed(self, conn: Connection, entry: Entry, now: str) -> None:
        """A validated (or returned) entry whose documents change must be checked again: draft."""
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        if entry.status != EntryStatus.DRAFT:
            conn.execute(sa.update(t.entries).where(t.entries.c.id == entry.id)
                         .values(status=EntryStatus.DRAFT.value, updated_at=now))
        self._touch_process(conn, entry.process_id, now)

    def add_attachment(self, entry_id: int, source: Path | bytes, filename: str, document_type: str,
                       title: str = "", mime: str | None = None,
                       actor: str = "operator") -> Attachment:
        with self._read() as conn:  # refuse before copying a possibly large file into the store
            self._editable_entry(conn, entry_id)
        refuse_unfit_document(source, filename, mime)
        sha, size = self.files.put(source)  # outside the transaction: copying may take a while
        return self.attach_stored_file(entry_id, sha, size, filename, document_type, title, mime, actor)

    def attach_stored_file(self, entry_id: int, sha: str, size: int, filename: str, document_type: str,
                           title: str = "", mime: str | None = None, actor: str = "operator") -> Attachment:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        now = now_iso()
        with self._write() as conn:
            entry = self._editable_entry(conn, entry_id)
            if not self.files.exists(sha):  # removed with the last attachment using it, meanwhile
                raise StorageError(f"Salinan berkas {filename} tidak ada lagi di penyimpanan. Lampirkan "
                                   f"berkas itu sekali lagi.")
            att_id = conn.execute(sa.insert(t.attachments).values(
                entry_id=entry_id, sha256=sha, filename=filename, mime=guess_mime(filename, mime),
                size=size, document_type=document_type, title=title,
                created_at=now)).inserted_primary_key[0]
            self._documents_changed(conn, entry, now)
            self._audit(conn, now, actor, "add_attachment", "attachment", att_id,
                        {"entry_id": entry_id, "sha256": sha, "filename": filename, "size": size,
                         "document_type": document_type})
            return to_attachment(conn.execute(sa.select(t.attachments)
                                              .where(t.attachments.c.id == att_id)).one())

    def remove_attachment(self, attachment_id: int, actor: str = "operator") -> None:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        now = now_iso()
        with self._write() as conn:
            row = conn.execute(sa.select(t.attachments).where(t.attachments.c.id == attachment_id)).first()
            if row is None:
                raise NotFound(f"Lampiran #{attachment_id} tidak ditemukan. Muat ulang entri ini.")
            att = to_attachment(row)
            entry = self._editable_entry(conn, att.entry_id)
            conn.execute(sa.delete(t.attachments).where(t.attachments.c.id == attachment_id))
            self._documents_changed(conn, entry, now)
            self._audit(conn, now, actor, "remove_attachment", "attachment", attachment_id,
                        {"entry_id": att.entry_id, "sha256": att.sha256, "filename": att.filename})
            still_used = conn.execute(sa.select(t.attachments.c.id)
                                      .where(t.attachments.c.sha256 == att.sha256).limit(1)).first()
        if still_used is None:
            self.files.remove(att.sha256)  # after commit: a rollback never loses bytes still linked

    def list_attachments(self, entry_id: int) -> list[Attachment]:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        with self._read() as conn:
            rows = conn.execute(sa.select(t.attachments).where(t.attachments.c.entry_id == entry_id)
                                .order_by(t.attachments.c.id)).all()
        return [to_attachment(r) for r in rows]

    def attachment_totals(self) -> tuple[int, int]:
        with self._read() as conn:
            count = conn.exec_driver_sql("SELECT count(*) FROM attachments").scalar_one()
            size = conn.exec_driver_sql("SELECT coalesce(sum(size), 0) FROM (SELECT max(size) AS size "
                                        "FROM attachments GROUP BY sha256)").scalar_one()
        return count, size

    # review notes ----------------------------------------------------------------------------
    def add_review_note(self, entry_id: int, text: str, author: str,
                        field_id: str | None = None) -> ReviewNote:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        if not text.strip():
            raise StorageError(EMPTY_NOTE_MESSAGE)
        now = now_iso()
        with self._write() as conn:
            self._entry_row(conn, entry_id)
            note_id = conn.execute(sa.insert(t.review_notes).values(
                entry_id=entry_id, field_id=field_id, author=author, text=text,
                created_at=now)).inserted_primary_key[0]
            self._audit(conn, now, author, "add_review_note", "review_note", note_id,
                        {"entry_id": entry_id, "field_id": field_id, "text": text})
            return to_note(conn.execute(sa.select(t.review_notes)
                                        .where(t.review_notes.c.id == note_id)).one())

    def list_review_notes(self, entry_id: int) -> list[ReviewNote]:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        with self._read() as conn:
            rows = conn.execute(sa.select(t.review_notes).where(t.review_notes.c.entry_id == entry_id)
                                .order_by(t.review_notes.c.id)).all()
        return [to_note(r) for r in rows]
