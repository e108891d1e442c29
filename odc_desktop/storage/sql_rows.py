"""Row ↔ dataclass conversion and the process-list query of :class:`~odc_desktop.storage.sql.SqlRepository`.

Kept apart from the repository class so the SQL that must stay fast at 100,000 processes is in one
small place. The list query is shaped so that SQLite
answers it from an index in list order (see :func:`process_list_sql`).
"""

from __future__ import annotations

import json
from typing import Any

from odc_desktop.domain.model import (
    Attachment,
    Entry,
    Process,
    ProcessFilter,
    ProcessRow,
    ReviewNote,
)
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.common import decode_statuses, search_terms

ROW_COLUMNS = "id, ocid, title, opd_name, year, current_stage, statuses, updated_at"


def to_process(row: Any) -> Process:
    """A ``processes`` row as a Process."""
    m = row._mapping
    return Process(id=m["id"], ocid=m["ocid"], title=m["title"], opd_code=m["opd_code"],
                   opd_name=m["opd_name"], year=m["year"], kode_rup=m["kode_rup"],
                   kecamatan=m["kecamatan"], current_stage=Stage(m["current_stage"]),
                   created_at=m["created_at"], updated_at=m["updated_at"])


def to_process_row(row: tuple) -> ProcessRow:
    """A tuple of :data:`ROW_COLUMNS` as a ProcessRow."""
    pid, ocid, title, opd_name, year, stage, statuses, updated_at = row
    return ProcessRow(id=pid, ocid=ocid, title=title, opd_name=opd_name, year=year,
                      current_stage=Stage(stage), stage_statuses=decode_statuses(statuses),
                      updated_at=updated_at)


def to_entry(row: Any) -> Entry:
    """An ``entries`` row as an Entry (data parsed from JSON)."""
    m = row._mapping
    return Entry(id=m["id"], uid=m["uid"], process_id=m["process_id"], stage=Stage(m["stage"]),
                 form_id=m["form_id"], form_version=m["form_version"], form_hash=m["form_hash"],
                 data=json.loads(m["data"]), status=EntryStatus(m["status"]),
                 revision=m["revision"], base_revision=m["base_revision"],
                 content_sha256=m["content_sha256"], created_at=m["created_at"],
                 updated_at=m["updated_at"])


def to_attachment(row: Any) -> Attachment:
    """An ``attachments`` row as an Attachment."""
    m = row._mapping
    return Attachment(id=m["id"], entry_id=m["entry_id"], sha256=m["sha256"],
                      filename=m["filename"], mime=m["mime"], size=m["size"],
                      document_type=m["document_type"], title=m["title"],
                      created_at=m["created_at"])


def to_note(row: Any) -> ReviewNote:
    """A ``review_notes`` row as a ReviewNote."""
    m = row._mapping
    return ReviewNote(id=m["id"], entry_id=m["entry_id"], field_id=m["field_id"],
                      author=m["author"], text=m["text"], created_at=m["created_at"])


def _like_pattern(fragment: str) -> str:
    """A LIKE pattern matching ``fragment`` anywhere; both sides are already lowercase."""
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def process_list_sql(flt: ProcessFilter) -> tuple[str, list[Any]]:
    """SQL and parameters selecting the ids that match ``flt``, most recently changed first.

    Text terms and the status are substring tests that no b-tree can seek, so when one is present
    the year and stage tests are written ``+column`` (no index) and SQLite scans the covering
    ``ix_processes_list`` in list order: about 100,000 index entries, no table lookups. An OPD
    keeps its own index, being selective enough that looking rows up is cheaper than the scan.
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
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql + " ORDER BY change_seq DESC", params
