"""Row → dataclass conversion for the SQLAlchemy side of :class:`~odc_desktop.storage.sql.SqlRepository`.

The process-list rows have their own plain-SQL module, :mod:`odc_desktop.storage.list_queries`.
"""

from __future__ import annotations

import json
from typing import Any

from odc_desktop.domain.model import Attachment, Entry, Process, ReviewNote
from odc_desktop.domain.statuses import EntryStatus, Stage


def to_process(row: Any) -> Process:
    """A ``processes`` row as a Process."""
    m = row._mapping
    return Process(id=m["id"], ocid=m["ocid"], title=m["title"], opd_code=m["opd_code"],
                   opd_name=m["opd_name"], year=m["year"], kode_rup=m["kode_rup"],
                   kecamatan=m["kecamatan"], current_stage=Stage(m["current_stage"]),
                   created_at=m["created_at"], updated_at=m["updated_at"], uid=m["uid"] or "")


def to_entry(row: Any) -> Entry:
    """An ``entries`` row as an Entry (data parsed from JSON)."""
    m = row._mapping
    return Entry(id=m["id"], uid=m["uid"], process_id=m["process_id"], stage=Stage(m["stage"]),
                 form_id=m["form_id"], form_version=m["form_version"], form_hash=m["form_hash"],
                 data=json.loads(m["data"]), status=EntryStatus(m["status"]),
                 revision=m["revision"], base_revision=m["base_revision"],
                 content_sha256=m["content_sha256"], created_at=m["created_at"],
                 updated_at=m["updated_at"], edit_seq=m["edit_seq"],
                 supersedes_uid=m["supersedes_uid"])


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
