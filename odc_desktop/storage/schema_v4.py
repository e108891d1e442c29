"""Schema step 4: the store that sync stands on (issue 7).

What version 4 adds to version 3, and how existing rows are carried over (in the one upgrade
transaction, so a crash leaves a version 3 file untouched):

- ``entries.edit_seq``: a local edit counter, bumped by every data save, document added or removed
  and form migration. ``entries.revision`` becomes the *server-facing* revision: the revision the
  server saw and accepted (0 = never accepted); only a receipt changes it. Carried over: ``edit_seq``
  takes the old revision (which counted local edits); ``revision`` keeps it for entries the old
  store had taken past ``queued`` (submitted, approved, returned) and is 0 for the rest.
- ``entries.supersedes_uid``: the uid of the approved (or submitted) entry this one changes. Carried
  over: an entry with a ``base_revision`` supersedes the entry of its stage just before it.
- ``entries.content_sha256`` is recomputed as the content identity
  (:func:`~odc_desktop.storage.common.content_identity`: form triple, data, document manifest).
- ``processes.uid`` (uuid4 for each existing process) and ``ocid_aliases``: other ocids that name
  the same process (see the convergence rule in :mod:`odc_desktop.storage.sql_sync`).
- ``outbox`` (entries queued to push), ``receipts`` (what the server accepted),
  ``attachment_uploads`` (per-attachment upload state), ``sync_state`` (cursor, ETag: not audited,
  unlike ``meta``) and ``import_sources`` (which source row an imported entry came from).

Plain DDL, frozen here; it never reads :mod:`odc_desktop.storage.tables`.
"""

from __future__ import annotations

import json
import sqlite3
import uuid

from odc_desktop.storage.common import content_identity

_DDL = (
    "ALTER TABLE processes ADD COLUMN uid TEXT",
    "ALTER TABLE entries ADD COLUMN edit_seq INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE entries ADD COLUMN supersedes_uid TEXT",
    """CREATE TABLE ocid_aliases (
        ocid TEXT PRIMARY KEY,
        process_id INTEGER NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
        reason TEXT NOT NULL, created_at TEXT NOT NULL)""",
    "CREATE INDEX ix_ocid_aliases_process ON ocid_aliases (process_id)",
    """CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL UNIQUE REFERENCES entries(id) ON DELETE CASCADE,
        entry_uid TEXT NOT NULL, content_sha256 TEXT NOT NULL, queued_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT)""",
    """CREATE TABLE receipts (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
        entry_uid TEXT NOT NULL, server_seq INTEGER NOT NULL, revision INTEGER NOT NULL,
        content_sha256 TEXT NOT NULL, signature TEXT NOT NULL, accepted_at TEXT NOT NULL,
        UNIQUE (entry_uid, revision))""",
    "CREATE INDEX ix_receipts_entry ON receipts (entry_id)",
    """CREATE TABLE attachment_uploads (
        attachment_id INTEGER PRIMARY KEY REFERENCES attachments(id) ON DELETE CASCADE,
        sha256 TEXT NOT NULL, uploaded_bytes INTEGER NOT NULL DEFAULT 0,
        uploaded INTEGER NOT NULL DEFAULT 0, upload_url TEXT)""",
    "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE import_sources (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
        source_system TEXT NOT NULL, dataset TEXT NOT NULL, row_key TEXT NOT NULL,
        imported_at TEXT NOT NULL, UNIQUE (source_system, dataset, row_key))""",
    "CREATE INDEX ix_import_sources_entry ON import_sources (entry_id)",
)

_SEEN_BY_SERVER = ("submitted", "approved", "returned")


def step_4_sync_ready(conn: sqlite3.Connection) -> None:
    """Version 4: see the module docstring."""
    for ddl in _DDL:
        conn.execute(ddl)
    for (pid,) in conn.execute("SELECT id FROM processes").fetchall():
        conn.execute("UPDATE processes SET uid = ? WHERE id = ?", (uuid.uuid4().hex, pid))
    conn.execute("CREATE UNIQUE INDEX ix_processes_uid ON processes (uid)")
    seen = ", ".join(f"'{s}'" for s in _SEEN_BY_SERVER)
    conn.execute(f"UPDATE entries SET edit_seq = revision, "
                 f"revision = CASE WHEN status IN ({seen}) THEN revision ELSE 0 END")
    conn.execute("""UPDATE entries SET supersedes_uid = (
                        SELECT prev.uid FROM entries AS prev
                        WHERE prev.process_id = entries.process_id AND prev.stage = entries.stage
                          AND prev.id < entries.id ORDER BY prev.id DESC LIMIT 1)
                    WHERE base_revision IS NOT NULL""")
    rows = conn.execute("SELECT id, form_id, form_version, form_hash, data FROM entries").fetchall()
    for entry_id, form_id, version, form_hash, data in rows:
        documents = conn.execute("SELECT sha256, document_type FROM attachments WHERE entry_id = ?",
                                 (entry_id,)).fetchall()
        identity = content_identity(form_id, version, form_hash, json.loads(data), documents)
        conn.execute("UPDATE entries SET content_sha256 = ? WHERE id = ?", (identity, entry_id))
