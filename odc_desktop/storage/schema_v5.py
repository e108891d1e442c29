"""Schema step 5: review on the supervisor's device, working offline (issue 9).

What version 5 adds to version 4 (nothing existing changes, so nothing is carried over):

- ``review_items``: the supervisor's review queue as the last sync pulled it, one row per entry
  awaiting review (``entry_uid``, the server ``revision`` to decide on, and the server's item as
  JSON: payload, documents, previous revision, red flags). A pull replaces the rows; a queued
  decision keeps its item until the server has taken the decision.
- ``review_decisions``: decisions made on this device, queued and pushed on the next sync through the
  server's decision endpoint; ``status`` is ``queued``, ``sent`` or ``refused`` (with the server's
  ``error`` code). One decision per entry revision.

Plain DDL, frozen here; it never reads :mod:`odc_desktop.storage.tables`.
"""

from __future__ import annotations

import sqlite3

_DDL = (
    """CREATE TABLE review_items (
        entry_uid TEXT PRIMARY KEY,
        revision INTEGER NOT NULL,
        ocid TEXT NOT NULL,
        stage TEXT NOT NULL,
        item TEXT NOT NULL,
        pulled_at TEXT NOT NULL)""",
    "CREATE INDEX ix_review_items_ocid ON review_items (ocid)",
    """CREATE TABLE review_decisions (
        id INTEGER PRIMARY KEY,
        entry_uid TEXT NOT NULL,
        revision INTEGER NOT NULL,
        decision TEXT NOT NULL,
        notes TEXT NOT NULL,
        status TEXT NOT NULL,
        error TEXT,
        decided_by TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        sent_at TEXT,
        UNIQUE (entry_uid, revision))""",
    "CREATE INDEX ix_review_decisions_status ON review_decisions (status)",
)


def step_5_review_offline(conn: sqlite3.Connection) -> None:
    """Version 5: see the module docstring."""
    for ddl in _DDL:
        conn.execute(ddl)
