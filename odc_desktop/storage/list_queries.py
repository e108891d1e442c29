"""The process-list reads of :class:`~odc_desktop.storage.sql.SqlRepository`, in plain SQL on ``sqlite3``.

These are the only queries between starting the app and its first painted rows, so they run on the
store's plain ``sqlite3`` connection (:func:`odc_desktop.storage.db.connect`) and never import
SQLAlchemy (about 0.2 s). They are also the SQL that must stay fast at 100,000 processes: the list
query is shaped so that SQLite answers it from an index in list order (see :func:`process_list_sql`).

The connection is in autocommit mode, so each call sees every commit made before it, including the
writes the repository makes through its SQLAlchemy engine (WAL: readers see the last commit).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from odc_desktop.domain.model import ProcessFilter, ProcessOrder, ProcessRow
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.common import decode_statuses, search_terms
from odc_desktop.storage.db import read_snapshot
from odc_desktop.storage.list_order import order_by_sql

ROW_COLUMNS = "id, ocid, title, opd_name, year, current_stage, statuses, updated_at"
#: Ids per ``IN (...)`` query, well under SQLite's bound-parameter limit.
CHUNK = 500


def to_process_row(row: tuple) -> ProcessRow:
    """A tuple of :data:`ROW_COLUMNS` as a ProcessRow."""
    pid, ocid, title, opd_name, year, stage, statuses, updated_at = row
    return ProcessRow(id=pid, ocid=ocid, title=title, opd_name=opd_name, year=year,
                      current_stage=Stage(stage), stage_statuses=decode_statuses(statuses),
                      updated_at=updated_at)


def _like_pattern(fragment: str) -> str:
    """A LIKE pattern matching ``fragment`` anywhere; both sides are already lowercase."""
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def process_list_sql(flt: ProcessFilter, order: ProcessOrder = ProcessOrder()) -> tuple[str, list[Any]]:
    """SQL and parameters selecting the ids that match ``flt`` in ``order`` (by default most recently
    changed first).

    Text terms and the status are substring tests that no b-tree can seek, so when one is present
    the year and stage tests are written ``+column`` (no index) and SQLite scans the covering
    ``ix_processes_list`` in list order: about 100,000 index entries, no table lookups. An OPD
    keeps its own index, being selective enough that looking rows up is cheaper than the scan.
    Another order keeps that scan (``INDEXED BY``) and sorts the matches; without filters it reads
    the order's own index (see :mod:`odc_desktop.storage.list_order`).
    """
    where: list[str] = []
    params: list[Any] = []
    terms = search_terms(flt.text)
    scan = bool(terms) or flt.status is not None
    for term in terms:
        where.append("search_text LIKE ? ESCAPE '\\'")  # measured faster than instr()
        params.append(_like_pattern(term))
    if flt.status is not None:
        where.append("statuses LIKE ? ESCAPE '\\'")
        params.append(_like_pattern(f"={EntryStatus(flt.status).value},"))
    if flt.opd_code is not None:
        where.append("opd_code = ?")
        params.append(flt.opd_code)
    if flt.year is not None:
        where.append("+year = ?" if scan else "year = ?")
        params.append(int(flt.year))
    if flt.stage is not None:
        where.append("+current_stage = ?" if scan else "current_stage = ?")
        params.append(Stage(flt.stage).value)
    sql = "SELECT id FROM processes"
    if scan and order != ProcessOrder():
        # Else SQLite may walk the order's index and look up all 100,000 rows for the text test.
        sql += " INDEXED BY ix_processes_list"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return f"{sql} ORDER BY {order_by_sql(order)}", params


def list_process_ids(conn: sqlite3.Connection, flt: ProcessFilter,
                     order: ProcessOrder = ProcessOrder()) -> list[int]:
    """Ids of the processes matching ``flt``, in ``order`` (most recently changed first by default)."""
    sql, params = process_list_sql(flt, order)
    # One joined string instead of 100,000 row tuples halves the time. "LIMIT -1" makes the ORDER BY
    # part of the subquery's meaning, so SQLite never optimises it away.
    joined = conn.execute(f"SELECT group_concat(id) FROM ({sql} LIMIT -1)", params).fetchall()[0][0]
    return list(map(int, joined.split(","))) if joined else []


def get_process_rows(conn: sqlite3.Connection, ids: list[int]) -> list[ProcessRow]:
    """The list rows of ``ids``, in that order; ids that no longer exist are left out."""
    found: dict[int, ProcessRow] = {}
    with read_snapshot(conn):
        for start in range(0, len(ids), CHUNK):
            chunk = [int(i) for i in ids[start:start + CHUNK]]
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(f"SELECT {ROW_COLUMNS} FROM processes WHERE id IN ({marks})",
                                    chunk).fetchall():
                found[row[0]] = to_process_row(row)
    return [found[i] for i in ids if i in found]


def count_processes(conn: sqlite3.Connection) -> int:
    """How many processes the store holds."""
    return conn.execute("SELECT count(*) FROM processes").fetchall()[0][0]


def list_opds(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """``(opd_code, opd_name)`` of every OPD that has processes, by name."""
    rows = conn.execute("SELECT DISTINCT opd_name, opd_code FROM processes "
                        "ORDER BY opd_name COLLATE NOCASE, opd_code").fetchall()
    return [(code, name) for name, code in rows]


def list_years(conn: sqlite3.Connection) -> list[int]:
    """The years that have processes, newest first."""
    return [year for (year,) in conn.execute("SELECT DISTINCT year FROM processes "
                                             "ORDER BY year DESC").fetchall()]


def list_returned_process_ids(conn: sqlite3.Connection) -> set[int]:
    """The processes with an entry in status ``returned`` (current or not: a submitted entry superseded
    by a change can be returned later), found by the entries' status index without reading the list."""
    rows = conn.execute("SELECT DISTINCT process_id FROM entries WHERE status = ?",
                        (EntryStatus.RETURNED.value,)).fetchall()
    return {process_id for (process_id,) in rows}
