"""Schema step 6: receipts signed per push answer (sync protocol 3, issue 8).

What version 6 adds to version 5: ``receipts.proof`` (TEXT, NULL allowed). NULL is a receipt whose
``signature`` is the server's signature over the receipt itself (every receipt a version 5 store
holds, and every duplicate); otherwise it is the canonical JSON ``{"index", "tree_size", "path":
[hex…]}`` of the receipt's Merkle audit path, and ``signature`` is the server's signature over that
tree's root (``odc_sync.protocol.signing.receipt_valid`` checks both kinds). Existing rows keep NULL:
nothing is rewritten.

Plain DDL, frozen here; it never reads :mod:`odc_desktop.storage.tables`.
"""

from __future__ import annotations

import sqlite3


def step_6_receipt_proofs(conn: sqlite3.Connection) -> None:
    """Version 6: see the module docstring."""
    conn.execute("ALTER TABLE receipts ADD COLUMN proof TEXT")
