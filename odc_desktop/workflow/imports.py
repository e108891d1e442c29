"""Import the importers' rows (:class:`~odc_desktop.importers.rows.ImportRow`) as draft entries.

The importers read and normalise a source file (their data already passed the form's checks: this
module does not check it again) and :func:`import_rows` stores it, :data:`BATCH_PROCESSES` processes
per transaction (a kill leaves each batch whole or absent). A process is found by its key: a kode
RUP names its ocid; any other key (``tender:…``, ``kontrak:…``) is found through the source rows of
earlier imports (``import_sources``, dataset :data:`PROCESS_KEYS`). A process not found is created
(through the store's bulk path) when its rows carry a title, an OPD and a year; otherwise its rows are
rejected with a reason: a budget-line dataset alone names no package, its RUP dataset does.

Per stage: a new entry is created; a draft or ready entry takes the row's values over the stored
ones (fields the source lacks keep what the operator typed) and, when that changes its content, is a
draft again; the same content is ``unchanged`` (re-importing changes nothing); an entry past ready is
never touched (``kept``, with the reason).

A row's documents (photos of a progress report) are attached to its stage entry through the
workflow's ``add_document`` in the same transaction; a document whose content (SHA-256) the entry
already has is not attached again, and a new one makes an otherwise unchanged entry ``changed``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from pathlib import Path

from odc_desktop.domain.bulk_work import collector_paused
from odc_desktop.domain.forms.lookup import FormLookup
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.domain.imports import ImportRow
from odc_desktop.messages import Msg
from odc_desktop.storage.common import canonical_json, clean_kode_rup, ocid_for_kode_rup
from odc_desktop.storage.repository import Repository
from odc_desktop.workflow.bulk import PlannedProcess, PlannedStage, create_processes
from odc_desktop.workflow.entries import add_document

#: Statuses an import may write into; later ones are the server's and change only by "Buat perubahan".
IMPORTABLE = frozenset({EntryStatus.DRAFT, EntryStatus.READY})
#: The ``import_sources`` dataset under which each imported entry also records its process key.
PROCESS_KEYS = "process"
#: Processes written per transaction.
BATCH_PROCESSES = 500

CREATED, CHANGED, UNCHANGED, KEPT, REJECTED = "created", "changed", "unchanged", "kept", "rejected"


@dataclasses.dataclass(frozen=True)
class RowOutcome:
    """What became of one row: ``outcome`` is created, changed, unchanged, kept (an entry past ready,
    left alone) or rejected; ``reason`` (a :class:`~odc_desktop.messages.Msg`) says why for the last two."""

    row: ImportRow
    outcome: str
    entry_id: int | None = None
    reason: Msg | None = None


@dataclasses.dataclass
class ImportResult:
    """What :func:`import_rows` did, row by row, how many processes it created and documents it attached."""

    outcomes: list[RowOutcome] = dataclasses.field(default_factory=list)
    processes_created: int = 0
    documents_attached: int = 0

    def of(self, outcome: str) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.outcome == outcome]

    def counts(self) -> dict[str, int]:
        return {k: len(self.of(k)) for k in (CREATED, CHANGED, UNCHANGED, KEPT, REJECTED)}


def _system(row: ImportRow) -> str:
    """The system a row's process key is recorded under (its first source's)."""
    return row.source[0].system if row.source else "import"


def _sources(row: ImportRow) -> tuple[tuple[str, str, str], ...]:
    own = tuple(dict.fromkeys((s.system, s.dataset, s.row_key) for s in row.source))
    return own + ((_system(row), PROCESS_KEYS, row.process_key),)


def _new_process(rows: list[ImportRow]) -> NewProcess | None:
    """The process the rows describe, when one of them carries a title, an OPD and a year."""
    for row in rows:
        f = row.process_fields
        if f.get("title") and f.get("opd_code") and f.get("year"):
            return NewProcess(title=str(f["title"]), opd_code=str(f["opd_code"]),
                              opd_name=str(f.get("opd_name") or f["opd_code"]), year=int(f["year"]),
                              kode_rup=f.get("kode_rup"))
    return None


def _groups(rows: Iterable[ImportRow]) -> list[list[ImportRow]]:
    groups: dict[str, list[ImportRow]] = {}
    for row in rows:
        groups.setdefault(row.process_key, []).append(row)
    return list(groups.values())


def import_rows(repo: Repository, forms: FormLookup, rows: list[ImportRow], ocid_prefix: str,
                actor: str | None = None, on_progress: Callable[[int, int], None] | None = None,
                dry_run: bool = False) -> ImportResult:
    """Store ``rows`` (see the module docstring); ``on_progress(done, total)`` after each batch.
    ``dry_run``: say what each row would become (the import wizard's preview) and write nothing."""
    result = ImportResult()
    groups = _groups(rows)
    done = 0
    with collector_paused():  # many objects, no cycles: see domain/bulk_work.py
        for start in range(0, len(groups), BATCH_PROCESSES):
            chunk = groups[start:start + BATCH_PROCESSES]
            with repo.batch():
                _import_chunk(repo, forms, chunk, ocid_prefix, actor, result, dry_run)
            done += sum(len(g) for g in chunk)
            if on_progress:
                on_progress(done, len(rows))
    return result


def _import_chunk(repo: Repository, forms: FormLookup, groups: list[list[ImportRow]], ocid_prefix: str,
                  actor: str | None, result: ImportResult, dry_run: bool = False) -> None:
    keys_by_system: dict[str, list[str]] = {}  # one import may mix systems (SIPD budget lines, e-musrenbang…)
    for group in groups:
        keys_by_system.setdefault(_system(group[0]), []).append(group[0].process_key)
    by_key: dict[str, int] = {}
    for system, keys in keys_by_system.items():
        by_key.update(repo.processes_of_sources(system, PROCESS_KEYS, keys))
    kodes = {g[0].process_key: clean_kode_rup(g[0].process_fields.get("kode_rup")) for g in groups}
    by_ocid = repo.known_ocids([ocid_for_kode_rup(ocid_prefix, k) for k in kodes.values() if k])
    new_plans: list[PlannedProcess] = []
    new_rows: list[list[ImportRow]] = []
    for group in groups:
        key = group[0].process_key
        kode = kodes[key]
        process_id = by_key.get(key) or (by_ocid.get(ocid_for_kode_rup(ocid_prefix, kode)) if kode else None)
        if process_id is not None:
            for row in group:
                result.outcomes.append(_into_existing(repo, forms, process_id, row, actor, result, dry_run))
            continue
        new = _new_process(group)
        if new is None:
            result.outcomes.extend(RowOutcome(r, REJECTED, reason=Msg("import.no_process", key=key))
                                   for r in group)
            continue
        stages = {}
        for row in group:  # one entry per stage: a second row of a stage adds its values
            old = stages.get(row.stage)
            stages[row.stage] = PlannedStage(Stage(row.stage), {**(old.data if old else {}), **row.data},
                                             sources=(old.sources if old else ()) + _sources(row))
        new_plans.append(PlannedProcess(new, tuple(stages.values())))
        new_rows.append(group)
    ids = [] if dry_run else create_processes(repo, forms, new_plans, ocid_prefix, actor=actor)
    result.processes_created += len(new_plans) if dry_run else len(ids)
    for n, group in enumerate(new_rows):
        for row in group:
            entry_id = None
            if row.documents and not dry_run:
                entry_id = repo.current_entry(ids[n], Stage(row.stage)).id
                result.documents_attached += _attach(repo, entry_id, row, actor)
            result.outcomes.append(RowOutcome(row, CREATED, entry_id))


def _into_existing(repo: Repository, forms: FormLookup, process_id: int, row: ImportRow,
                   actor: str | None, result: ImportResult, dry_run: bool = False) -> RowOutcome:
    """Apply ``row`` to the stage entry of an existing process (see :func:`_would_become`: the dry run
    is that decision without the write)."""
    stage = Stage(row.stage)
    entry = repo.current_entry(process_id, stage)
    planned = _would_become(repo, entry, row)
    if dry_run or planned.outcome in (KEPT, UNCHANGED):
        return planned
    if entry is None:
        form = forms.current(stage.value)
        entry = repo.create_entry(process_id, stage, form.id, form.version, form.content_hash,
                                  dict(row.data), actor=actor)
    elif canonical_json({**entry.data, **row.data}) != canonical_json(entry.data):
        entry = repo.save_entry_data(entry.id, {**entry.data, **row.data}, actor=actor)
    for source in _sources(row):
        repo.record_source(entry.id, *source)
    result.documents_attached += _attach(repo, entry.id, row, actor)
    return RowOutcome(row, planned.outcome, entry.id)


def _new_documents(repo: Repository, entry_id: int | None, row: ImportRow) -> list:
    """The row's documents whose content the entry does not have yet (each content once)."""
    have = {a.sha256 for a in repo.list_attachments(entry_id)} if entry_id is not None and row.documents else set()
    out = []
    for document in row.documents:
        if document.sha256 not in have:
            have.add(document.sha256)
            out.append(document)
    return out


def _attach(repo: Repository, entry_id: int, row: ImportRow, actor: str | None) -> int:
    """Attach the row's documents the entry lacks; how many."""
    new = _new_documents(repo, entry_id, row)
    for document in new:
        add_document(repo, entry_id, Path(document.path), document.filename, document.document_type,
                     document.title, actor=actor)
    return len(new)


def _would_become(repo: Repository, entry, row: ImportRow) -> RowOutcome:
    """What importing ``row`` does to ``entry`` (the stage's current one; None: not started): created,
    kept (past ready), unchanged (the row's values over the stored ones and its documents say
    nothing new) or changed."""
    if entry is None:
        return RowOutcome(row, CREATED)
    if entry.status not in IMPORTABLE:
        return RowOutcome(row, KEPT, entry.id, Msg("import.kept_past_ready", key=row.process_key,
                                                   stage=entry.stage, status=entry.status))
    same = canonical_json({**entry.data, **row.data}) == canonical_json(entry.data)
    same = same and not _new_documents(repo, entry.id, row)
    return RowOutcome(row, UNCHANGED if same else CHANGED, entry.id)

