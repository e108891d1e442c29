"""What importing rows would do, without writing: the import wizard's preview.

:func:`preview_import` runs :func:`~odc_desktop.workflow.imports.import_rows` as a dry run, so the
preview finds each row's process and stage entry and compares contents exactly as the import will.
The wizard shows the counts before the operator confirms, and imports only the new and updated rows,
so a second import of the same files writes nothing.
"""

from __future__ import annotations

import dataclasses

from odc_desktop.domain.forms.lookup import FormLookup
from odc_desktop.domain.imports import ImportRow
from odc_desktop.storage.repository import Repository
from odc_desktop.workflow.imports import CHANGED, CREATED, KEPT, REJECTED, UNCHANGED, RowOutcome, import_rows

#: The wizard's words for the import's outcomes.
NEW, UPDATED, BLOCKED = "new", "updated", "blocked"
_WIZARD = {CREATED: NEW, CHANGED: UPDATED, UNCHANGED: UNCHANGED, KEPT: BLOCKED, REJECTED: REJECTED}


@dataclasses.dataclass
class ImportPreview:
    """The outcome of every row (``RowOutcome`` of the import), in the rows' order."""

    outcomes: list[RowOutcome]

    def counts(self) -> dict[str, int]:
        found = {NEW: 0, UPDATED: 0, UNCHANGED: 0, BLOCKED: 0, REJECTED: 0}
        for item in self.outcomes:
            found[_WIZARD[item.outcome]] += 1
        return found

    def to_write(self) -> list[ImportRow]:
        """The rows an import should write (new and updated)."""
        return [item.row for item in self.outcomes if item.outcome in (CREATED, CHANGED)]

    def refused(self) -> list[RowOutcome]:
        """The rows left alone with a reason (an entry past ready; a process the rows do not name)."""
        return [item for item in self.outcomes if item.outcome in (KEPT, REJECTED)]


def preview_import(repo: Repository, forms: FormLookup, rows: list[ImportRow], ocid_prefix: str) -> ImportPreview:
    """The outcome of importing each of ``rows`` into ``repo`` now; nothing is written."""
    return ImportPreview(import_rows(repo, forms, rows, ocid_prefix, dry_run=True).outcomes)
