"""SQLAlchemy Core tables of the local database, as the current schema version has them.

The tables are *created* by the numbered upgrade steps in :mod:`odc_desktop.storage.db` (plain DDL, frozen
per version); these objects only describe them for queries. ``tests/unit/test_storage_sql.py`` checks
that both agree.

Beyond docs/architecture.md, ``processes`` keeps two denormalised columns updated in the same
transaction as every entry change, so the process list never joins ``entries``:
``statuses`` (``"planning=draft,tender=ready,"``, the current entry status per stage) and
``change_seq`` (a counter that orders the list by most recent change, exact even within one second).
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, Text

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

processes = Table(
    "processes", metadata,
    Column("id", Integer, primary_key=True),
    Column("ocid", Text, nullable=False, unique=True),
    Column("kode_rup", Text),
    Column("title", Text, nullable=False),
    Column("opd_code", Text, nullable=False),
    Column("opd_name", Text, nullable=False),
    Column("year", Integer, nullable=False),
    Column("kecamatan", Text),
    Column("current_stage", Text, nullable=False),
    Column("statuses", Text, nullable=False),
    Column("change_seq", Integer, nullable=False),
    Column("search_text", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Column("uid", Text, unique=True),
)

entries = Table(
    "entries", metadata,
    Column("id", Integer, primary_key=True),
    Column("uid", Text, nullable=False, unique=True),
    Column("process_id", Integer, ForeignKey("processes.id"), nullable=False),
    Column("stage", Text, nullable=False),
    Column("form_id", Text, nullable=False),
    Column("form_version", Integer, nullable=False),
    Column("form_hash", Text, nullable=False),
    Column("data", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("base_revision", Integer),
    Column("content_sha256", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Column("edit_seq", Integer, nullable=False),
    Column("supersedes_uid", Text),
)

attachments = Table(
    "attachments", metadata,
    Column("id", Integer, primary_key=True),
    Column("entry_id", Integer, ForeignKey("entries.id"), nullable=False),
    Column("sha256", Text, nullable=False),
    Column("filename", Text, nullable=False),
    Column("mime", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("document_type", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("created_at", Text, nullable=False),
)

review_notes = Table(
    "review_notes", metadata,
    Column("id", Integer, primary_key=True),
    Column("entry_id", Integer, ForeignKey("entries.id"), nullable=False),
    Column("field_id", Text),
    Column("author", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", Text, nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("seq", Integer, primary_key=True),
    Column("at", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("object_type", Text, nullable=False),
    Column("object_id", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("prev_hash", Text, nullable=False),
    Column("hash", Text, nullable=False),
)

ocid_aliases = Table(
    "ocid_aliases", metadata,
    Column("ocid", Text, primary_key=True),
    Column("process_id", Integer, ForeignKey("processes.id"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_at", Text, nullable=False),
)

outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True),
    Column("entry_id", Integer, ForeignKey("entries.id"), nullable=False, unique=True),
    Column("entry_uid", Text, nullable=False),
    Column("content_sha256", Text, nullable=False),
    Column("queued_at", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
)

receipts = Table(
    "receipts", metadata,
    Column("id", Integer, primary_key=True),
    Column("entry_id", Integer, ForeignKey("entries.id"), nullable=False),
    Column("entry_uid", Text, nullable=False),
    Column("server_seq", Integer, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("content_sha256", Text, nullable=False),
    Column("signature", Text, nullable=False),
    Column("accepted_at", Text, nullable=False),
    Column("proof", Text),  # schema v6: the Merkle audit path (JSON) of a protocol-3 receipt, else NULL
)

attachment_uploads = Table(
    "attachment_uploads", metadata,
    Column("attachment_id", Integer, ForeignKey("attachments.id"), primary_key=True),
    Column("sha256", Text, nullable=False),
    Column("uploaded_bytes", Integer, nullable=False),
    Column("uploaded", Integer, nullable=False),
    Column("upload_url", Text),
)

sync_state = Table(
    "sync_state", metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

import_sources = Table(
    "import_sources", metadata,
    Column("id", Integer, primary_key=True),
    Column("entry_id", Integer, ForeignKey("entries.id"), nullable=False),
    Column("source_system", Text, nullable=False),
    Column("dataset", Text, nullable=False),
    Column("row_key", Text, nullable=False),
    Column("imported_at", Text, nullable=False),
)

review_items = Table(
    "review_items", metadata,
    Column("entry_uid", Text, primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("ocid", Text, nullable=False),
    Column("stage", Text, nullable=False),
    Column("item", Text, nullable=False),
    Column("pulled_at", Text, nullable=False),
)

review_decisions = Table(
    "review_decisions", metadata,
    Column("id", Integer, primary_key=True),
    Column("entry_uid", Text, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("decision", Text, nullable=False),
    Column("notes", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("error", Text),
    Column("decided_by", Text, nullable=False),
    Column("decided_at", Text, nullable=False),
    Column("sent_at", Text),
)
