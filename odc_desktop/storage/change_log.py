"""What a write changed, read back from the store itself (plain ``sqlite3``, no SQLAlchemy).

Every write that changes a process or its entries moves the process's ``change_seq`` forward and
appends an audit record in the same transaction. So a :class:`ChangeMark` taken before a piece of
work and :func:`changes_since` after it name the processes and entries the work changed, whatever
repository methods it called: the UI's database runner does this around each job, so no job has to
declare what it writes. Reads cost three index lookups and return nothing.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3

from odc_desktop.changes import Changes

#: Above this many changed processes, :class:`Changes` says "many" instead of naming them.
MAX_NAMED_PROCESSES = 1000


@dataclasses.dataclass(frozen=True)
class ChangeMark:
    """Where the store stood: the last audit record, the highest change sequence and process id."""

    audit_seq: int
    change_seq: int
    process_id: int


def change_mark(conn: sqlite3.Connection) -> ChangeMark:
    """The store's position now (three lookups of an index's last key)."""
    row = conn.execute("SELECT (SELECT max(seq) FROM audit_log), (SELECT max(change_seq) FROM processes), "
                       "(SELECT max(id) FROM processes)").fetchone()
    return ChangeMark(*(value or 0 for value in row))


def changes_since(conn: sqlite3.Connection, mark: ChangeMark) -> Changes:
    """The processes and entries changed after ``mark`` was taken (empty when nothing was written)."""
    now = change_mark(conn)
    if now == mark:
        return Changes()
    many = False
    processes = [pid for (pid,) in conn.execute(
        "SELECT id FROM processes WHERE change_seq > ? LIMIT ?", (mark.change_seq, MAX_NAMED_PROCESSES + 1))]
    if len(processes) > MAX_NAMED_PROCESSES:
        many, processes = True, []
    created = [pid for pid in processes if pid > mark.process_id]
    if now.process_id - mark.process_id > MAX_NAMED_PROCESSES:
        many = True
    entries: set[int] = set()
    for object_type, object_id, payload in conn.execute(
            "SELECT object_type, object_id, payload FROM audit_log WHERE seq > ? "
            "AND object_type IN ('entry', 'attachment', 'review_note')", (mark.audit_seq,)):
        if object_type == "entry":
            entries.add(int(object_id))
        else:
            entry_id = json.loads(payload).get("entry_id")
            if entry_id is not None:
                entries.add(int(entry_id))
    changes = Changes.of(processes, entries, created)
    return dataclasses.replace(changes, many_processes=True) if many else changes
