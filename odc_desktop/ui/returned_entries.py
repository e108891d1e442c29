"""Returned entries for the operator (database jobs and plain helpers; no widgets).

A process with an entry a reviewer returned is pinned at the top of the process list, whatever the
chosen order, with the reviewer's notes; the chosen order applies inside the pinned group and below
it. In the form, the notes of the entry's latest decision stay visible (and their fields highlighted)
while the operator fixes it: returned, then draft and ready again, until it is queued.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from odc_desktop.domain.model import ProcessFilter, ProcessOrder, ProcessRow, ReviewNote
from odc_desktop.domain.statuses import EDITABLE_STATUSES, EntryStatus, Stage

if TYPE_CHECKING:  # the list is on the start-up path: neither is needed to run it
    from odc_desktop.domain.forms.definition import FormDefinition
    from odc_desktop.storage.repository import Repository

#: Notes are read for at most this many pinned processes (the rest show theirs when opened).
NOTES_FOR_AT_MOST = 200


#: By process id: (stage, the notes of its latest decision) of each returned stage.
ProcessNotes = dict[int, list[tuple[Stage, list[ReviewNote]]]]


@dataclasses.dataclass(frozen=True)
class ProcessList:
    """The ids the list shows, the ``returned`` first."""

    ids: list[int]
    returned: int = 0


def has_returned(row: ProcessRow) -> bool:
    """True when a stage of the process has an entry returned by a reviewer."""
    return EntryStatus.RETURNED in row.stage_statuses.values()


def latest_notes(notes: list[ReviewNote]) -> list[ReviewNote]:
    """The notes of the newest decision (one decision writes all its notes at one time)."""
    if not notes:
        return []
    newest = max(note.created_at for note in notes)
    return [note for note in notes if note.created_at == newest]


def notes_to_show(repo: Repository, entry_id: int, status: EntryStatus) -> list[ReviewNote]:
    """The reviewer's notes the form shows for an entry: those of its latest decision while the
    operator can still fix it (returned, draft, ready, refused), none once it is sent again."""
    return latest_notes(repo.list_review_notes(entry_id)) if status in EDITABLE_STATUSES else []


def returned_notes(repo: Repository, process_id: int) -> list[tuple[Stage, list[ReviewNote]]]:
    """(stage, notes) of each returned current entry of the process."""
    found = []
    for stage in Stage:
        entry = repo.current_entry(process_id, stage)
        if entry is not None and entry.status == EntryStatus.RETURNED:
            found.append((stage, latest_notes(repo.list_review_notes(entry.id))))
    return found


def list_job(flt: ProcessFilter, order: ProcessOrder) -> Callable[[Repository], ProcessList]:
    """Job: the ids matching ``flt`` in ``order``, the processes with a returned entry first."""
    def job(repo: Repository) -> ProcessList:
        ids = repo.list_process_ids(flt, order)
        marked = repo.list_returned_process_ids()  # an index lookup: usually none or a few
        if marked:  # only where the returned entry is the stage's current one (the list's own statuses)
            marked = {row.id for row in repo.get_process_rows(sorted(marked)) if has_returned(row)}
        returned = [i for i in ids if i in marked] if marked else []
        if not returned:
            return ProcessList(ids)
        pinned = set(returned)
        return ProcessList(returned + [i for i in ids if i not in pinned], len(returned))
    return job


def notes_job(process_ids: list[int]) -> Callable[[Repository], ProcessNotes]:
    """Job: the reviewers' notes of these returned processes (asked after the list is painted: they
    are read with SQLAlchemy, which the first rows must not wait for)."""
    return lambda repo: {pid: returned_notes(repo, pid) for pid in process_ids[:NOTES_FOR_AT_MOST]}


def note_field_id(form: FormDefinition, ref: str | None) -> str | None:
    """The top-level field of ``form`` a note is about: ``ref`` is a field id, a path inside one
    (``rincian_anggaran/0/nilai``) or the field's OCDS path (``tender/value/amount``); None: the entry."""
    if not ref:
        return None
    head = ref.split("/")[0]
    for candidate in (ref, head):
        if form.field(candidate) is not None:
            return candidate
    for field in form.all_fields():
        if ref == field.path or ref.startswith(field.path + "/") or ("/" in ref and field.path.startswith(ref + "/")):
            return field.id
    return None
