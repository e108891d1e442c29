"""What importing rows would do, without writing: new, updated, unchanged, or blocked (read-only).

:func:`preview_import` finds each row's process and stage entry exactly as
:func:`~odc_desktop.workflow.imports.import_rows` would, and compares the row's data with the stored
draft by content (the row's values over the stored ones, as the import merges them). The import
wizard shows the counts before the operator confirms, and imports only the new and updated rows, so a
second import of the same files writes nothing.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from odc_desktop.domain.model import Entry
from odc_desktop.domain.statuses import Stage
from odc_desktop.storage.common import clean_kode_rup, ocid_for_kode_rup
from odc_desktop.storage.repository import Repository
from odc_desktop.workflow.imports import IMPORTABLE, ImportRow

NEW, UPDATED, UNCHANGED, BLOCKED = "new", "updated", "unchanged", "blocked"


@dataclasses.dataclass(frozen=True)
class RowOutcome:
    """What importing ``row`` would do (``outcome``), and for a blocked row the entry that blocks it."""

    row: ImportRow
    outcome: str
    entry: Entry | None = None


@dataclasses.dataclass
class ImportPreview:
    """The outcome of every row, in the rows' order."""

    outcomes: list[RowOutcome]

    def counts(self) -> dict[str, int]:
        found = {NEW: 0, UPDATED: 0, UNCHANGED: 0, BLOCKED: 0}
        for item in self.outcomes:
            found[item.outcome] += 1
        return found

    def to_write(self) -> list[ImportRow]:
        """The rows an import should write (new and updated)."""
        return [item.row for item in self.outcomes if item.outcome in (NEW, UPDATED)]


def find_process(repo: Repository, row: ImportRow, ocid_prefix: str) -> int | None:
    """The process ``row`` would land in (as import_rows finds it), or None: a new one."""
    known = repo.entry_of_source(row.source_system, row.dataset, row.row_key)
    if known is not None:
        return repo.get_entry(known).process_id
    kode_rup = clean_kode_rup(row.process.kode_rup)
    if kode_rup:
        found = repo.find_process_by_ocid(ocid_for_kode_rup(ocid_prefix, kode_rup))
        if found is not None:
            return found.id
    return None


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


def preview_import(repo: Repository, rows: list[ImportRow], ocid_prefix: str) -> ImportPreview:
    """The outcome of importing each of ``rows`` into ``repo`` now; nothing is written."""
    outcomes = []
    for row in rows:
        process_id = find_process(repo, row, ocid_prefix)
        entry = repo.current_entry(process_id, Stage(row.stage)) if process_id is not None else None
        if entry is None:
            outcomes.append(RowOutcome(row, NEW))
        elif entry.status not in IMPORTABLE:
            outcomes.append(RowOutcome(row, BLOCKED, entry))
        elif _same({**entry.data, **row.data}, entry.data):
            outcomes.append(RowOutcome(row, UNCHANGED, entry))
        else:
            outcomes.append(RowOutcome(row, UPDATED, entry))
    return ImportPreview(outcomes)
