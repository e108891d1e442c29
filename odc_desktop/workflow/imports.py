"""Import already-normalised rows (from ISB or another source) as draft entries, in one transaction.

The importers parse and normalise a source file into :class:`ImportRow` objects and call
:func:`import_rows`; nothing else of theirs writes. Each row names its process by the process's key
fields (a kode RUP makes the ocid), its stage, its data and its source (system, dataset, row key).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.common import clean_kode_rup, ocid_for_kode_rup
from odc_desktop.storage.repository import Repository
from odc_desktop.domain.forms.lookup import FormLookup
from odc_desktop.workflow.refused import WorkflowRefused
from odc_desktop.workflow.results import Changed, changed

#: Statuses an import may write into; later ones are the server's and change only by "Buat perubahan".
IMPORTABLE = frozenset({EntryStatus.DRAFT, EntryStatus.READY})


@dataclasses.dataclass(frozen=True)
class ImportRow:
    """One normalised source row: which process (``process``: its key fields), which stage, the
    stage data (keyed by form field id), and where it came from."""

    process: NewProcess
    stage: Stage
    data: dict[str, Any]
    source_system: str  # e.g. "isb"
    dataset: str  # e.g. "tender-selesai-2024"
    row_key: str  # the row's own key in the dataset (kode tender, kode RUP, …)


@dataclasses.dataclass(frozen=True)
class ImportResult:
    """What one batch did: the rows written (as Changed) and the rows left alone, with why."""

    written: tuple[Changed, ...]
    skipped: tuple[tuple[ImportRow, WorkflowRefused], ...]


def import_rows(repo: Repository, forms: FormLookup, rows: list[ImportRow], ocid_prefix: str,
                actor: str | None = None) -> ImportResult:
    """Create or update draft entries from ``rows`` in one transaction (all rows or none).

    A row finds its process by the entry an earlier import made from the same source row, else by
    its kode RUP's ocid (or an alias), else a new process is made. The stage's entry is created with
    the current form, or, when it is a draft or ready, updated with the row's values over the
    stored ones (fields the source does not have keep what the operator typed); it is then a draft.
    An entry past ready is never touched: the row is skipped with ``import_past_ready``. Each
    written entry records its source row.
    """
    written: list[Changed] = []
    skipped: list[tuple[ImportRow, WorkflowRefused]] = []
    with repo.batch():
        for row in rows:
            stage = Stage(row.stage)
            process_id = _process_of(repo, row, ocid_prefix, actor)
            entry = repo.current_entry(process_id, stage)
            if entry is None:
                form = forms.current(stage.value)
                entry = repo.create_entry(process_id, stage, form.id, form.version, form.content_hash,
                                          dict(row.data), actor=actor)
                result = changed(entry, None)
            elif entry.status in IMPORTABLE:
                saved = repo.save_entry_data(entry.id, {**entry.data, **row.data}, actor=actor)
                result = changed(saved, entry.status)
            else:
                skipped.append((row, WorkflowRefused("workflow.import_past_ready", row_key=row.row_key,
                                                     status=entry.status)))
                continue
            repo.record_source(result.entry.id, row.source_system, row.dataset, row.row_key)
            written.append(result)
    return ImportResult(tuple(written), tuple(skipped))


def _process_of(repo: Repository, row: ImportRow, ocid_prefix: str, actor: str | None) -> int:
    known = repo.entry_of_source(row.source_system, row.dataset, row.row_key)
    if known is not None:
        return repo.get_entry(known).process_id
    kode_rup = clean_kode_rup(row.process.kode_rup)
    if kode_rup:
        found = repo.find_process_by_ocid(ocid_for_kode_rup(ocid_prefix, kode_rup))
        if found is not None:
            return found.id
    return repo.create_process(row.process, ocid_prefix, actor=actor).id
