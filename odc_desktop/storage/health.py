"""Is the store's database sound? Cheap checks when it opens, the full check for ``odc doctor``.

Opening a store must stay fast at 100,000 processes (``bench/startup.py``), but must never use a
database damaged while nobody had it open (a disk error, a bad copy, a program writing into it).
The compromise: when the last program closes the store cleanly it records the size and mtime of
``odc.sqlite3`` and its ``-wal`` file in ``odc.sqlite3.clean``. On open, if the files still match that
record, nothing touched them since a clean close and no check runs; otherwise (a crash, another
program, an old store without the record, or bytes written into the file) SQLite's
``PRAGMA quick_check`` runs once before anything is read. ``odc doctor`` always runs the full
``PRAGMA integrity_check``.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from pathlib import Path

from odc_desktop.messages import Msg
from odc_desktop.storage.db import DAMAGED_MESSAGE, DB_FILENAME
from odc_desktop.storage.repository import StoreDamaged

log = logging.getLogger(__name__)

CLEAN_MARKER = DB_FILENAME + ".clean"
#: Left in the data dir while a restore swaps files in; its presence means the swap did not finish.
RESTORE_MARKER = "restore-in-progress"
EMPTY_DB_MESSAGE = Msg("storage.empty_db")
RESTORE_UNFINISHED_MESSAGE = Msg("storage.restore_unfinished")


def _stamp(data_dir: Path) -> dict[str, list[int] | None]:
    stamp: dict[str, list[int] | None] = {}
    for name in (DB_FILENAME, DB_FILENAME + "-wal"):
        try:
            st = (data_dir / name).stat()
        except FileNotFoundError:
            st = None
        # an empty -wal (one a program made on opening, or left by a reader) holds nothing
        stamp[name] = [st.st_size, st.st_mtime_ns] if st and st.st_size else None
    return stamp


def mark_clean(data_dir: Path) -> None:
    """Record that the store was closed cleanly as it is now (called after its connections close)."""
    try:
        tmp = data_dir / (CLEAN_MARKER + ".tmp")
        tmp.write_text(json.dumps(_stamp(data_dir)), encoding="utf-8")
        os.replace(tmp, data_dir / CLEAN_MARKER)
    except OSError as exc:  # a read-only folder: the next open just runs the quick check
        log.info("cannot record a clean close in %s: %s", data_dir, exc)


def closed_cleanly(data_dir: Path) -> bool:
    """True when the database files are exactly as the last clean close left them."""
    try:
        recorded = json.loads((data_dir / CLEAN_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return recorded == _stamp(data_dir)


def has_attachments(data_dir: Path) -> bool:
    """True when the file store holds at least one attachment file."""
    root = data_dir / "files"
    if not root.is_dir():
        return False
    for sub in root.iterdir():
        if sub.name != "tmp" and sub.is_dir() and any(p.is_file() for p in sub.iterdir()):
            return True
    return False


def refuse_unusable(data_dir: Path) -> None:
    """StoreDamaged for a store that must not be opened whatever its database says: an empty
    database beside stored attachments, or a restore that stopped half-way."""
    if (data_dir / RESTORE_MARKER).exists():
        raise StoreDamaged(RESTORE_UNFINISHED_MESSAGE, "restore_unfinished")
    db = data_dir / DB_FILENAME
    if db.is_file() and db.stat().st_size == 0 and has_attachments(data_dir):
        raise StoreDamaged(EMPTY_DB_MESSAGE, "empty")


def connect_read_only(db: Path) -> sqlite3.Connection:
    """A sqlite3 connection that can only read the database file ``db`` (never creates it)."""
    return sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True)


def database_problems(conn: sqlite3.Connection, full: bool = False) -> list[str]:
    """What SQLite finds wrong in the database (``quick_check``, or ``integrity_check`` when ``full``)."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        rows = conn.execute(f"PRAGMA {pragma}").fetchall()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [str(row[0]) for row in rows if row[0] != "ok"]


def check_on_open(conn: sqlite3.Connection, was_closed_cleanly: bool) -> None:
    """Raise StoreDamaged when the database, changed since its last clean close, is damaged.

    ``was_closed_cleanly`` is :func:`closed_cleanly` taken before ``conn`` was opened (opening makes
    the ``-wal`` file).
    """
    if was_closed_cleanly:
        return
    problems = database_problems(conn)
    if problems:
        log.error("local database damaged: %s", "; ".join(problems[:20]))
        raise StoreDamaged(DAMAGED_MESSAGE)


def diagnose(data_dir: Path) -> list[str | StoreDamaged]:
    """Every problem of the database file found by SQLite's full integrity check, read-only.

    Each problem is SQLite's own text, or the StoreDamaged that refuses the store (``message(lang)``).
    An empty list means the database is sound (or does not exist yet). Never raises for a damaged
    file: the damage is the answer.
    """
    try:
        refuse_unusable(data_dir)
    except StoreDamaged as exc:
        return [exc]
    db = data_dir / DB_FILENAME
    if not db.is_file():
        return []
    try:
        conn = connect_read_only(db)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        return database_problems(conn, full=True)
    finally:
        conn.close()

