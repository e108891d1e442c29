"""Attachments and review notes of :class:`~odc_desktop.storage.sql.SqlRepository` (a mixin).

A document is content: adding, linking or removing one recomputes the entry's content identity and
bumps its edit counter, like a data save (:meth:`SqlEntriesMixin._content_changed`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from odc_desktop.domain.model import Attachment, ReviewNote
from odc_desktop.storage.common import EMPTY_NOTE_MESSAGE, guess_mime, now_iso
from odc_desktop.storage.filestore import refuse_unfit_document
from odc_desktop.storage.repository import NotFound, StorageError
from odc_desktop.storage.sql_rows import to_attachment, to_note

if TYPE_CHECKING:
    from sqlalchemy import Connection


class SqlAttachmentsMixin:
    """Attachment and review-note methods of the SQL repository."""

    def add_attachment(self, entry_id: int, source: Path | bytes, filename: str, document_type: str,
                       title: str = "", mime: str | None = None,
                       actor: str | None = None) -> Attachment:
        with self._read() as conn:  # refuse before copying a possibly large file into the store
            self._editable_entry(conn, entry_id)
        refuse_unfit_document(source, filename, mime)
        sha, size = self.files.put(source)  # outside the transaction: copying may take a while
        return self._link(entry_id, sha, size, filename, guess_mime(filename, mime), document_type,
                          title, actor, "add_attachment")

    def link_attachment(self, entry_id: int, attachment: Attachment,
                        actor: str | None = None) -> Attachment:
        """Link an already stored document (of another entry) to this one; no bytes are copied."""
        return self._link(entry_id, attachment.sha256, attachment.size, attachment.filename,
                          attachment.mime, attachment.document_type, attachment.title, actor,
                          "link_attachment")

    def attach_stored_file(self, entry_id: int, sha: str, size: int, filename: str, document_type: str,
                           title: str = "", mime: str | None = None, actor: str | None = None) -> Attachment:
        """Link a file the UI's file thread already copied into the file store (``files.put``)."""
        if not self.files.exists(sha):  # removed with the last attachment using it, meanwhile
            raise StorageError("storage.stored_copy_gone", filename=filename)
        return self._link(entry_id, sha, size, filename, guess_mime(filename, mime), document_type,
                          title, actor, "add_attachment")

    def _link(self, entry_id: int, sha: str, size: int, filename: str, mime: str, document_type: str,
              title: str, actor: str | None, action: str) -> Attachment:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        now = now_iso()
        with self._write() as conn:
            entry = self._editable_entry(conn, entry_id)
            att_id = conn.execute(sa.insert(t.attachments).values(
                entry_id=entry_id, sha256=sha, filename=filename, mime=mime, size=size,
                document_type=document_type, title=title, created_at=now)).inserted_primary_key[0]
            self._content_changed(conn, entry, now, actor, action,
                                  {"attachment_id": att_id, "sha256": sha, "filename": filename,
                                   "size": size, "document_type": document_type})
            return self._attachment_row(conn, att_id)

    @staticmethod
    def _attachment_row(conn: Connection, attachment_id: int) -> Attachment:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        row = conn.execute(sa.select(t.attachments).where(t.attachments.c.id == attachment_id)).first()
        if row is None:
            raise NotFound("storage.attachment_not_found", attachment_id=attachment_id)
        return to_attachment(row)

    def get_attachment(self, attachment_id: int) -> Attachment:
        with self._read() as conn:
            return self._attachment_row(conn, attachment_id)

    def remove_attachment(self, attachment_id: int, actor: str | None = None) -> None:
        import sqlalchemy as sa
        from odc_desktop.storage import tables as t
        now = now_iso()
        with self._write() as conn:
            att = self._attachment_row(conn, attachment_id)
            entry = self._editable_entry(conn, att.entry_id)
            conn.execute(sa.delete(t.attachments).where(t.attachments.c.id == attachment_id))
            self._content_changed(conn, entry, now, actor, "remove_attachment",
                                  {"attachment_id": attachment_id, "sha256": att.sha256,
                                   "filename": att.filename})
            still_used = conn.execute(sa.select(t.attachments.c.id)
                                      .where(t.attachments.c.sha256 == att.sha256).limit(1)).first()
        if still_used is None and self._batch is None:
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

    def attachment_path(self, attachment: Attachment) -> Path | None:
        return self.files.path_for(attachment.sha256)

    def read_attachment(self, attachment: Attachment) -> bytes:
        return self.files.read(attachment.sha256)

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
