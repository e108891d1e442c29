"""Workflow operations on an entry's content: open a stage, save a draft, mark it ready, start a
change of an approved one, migrate a draft to the current form, add and remove documents.

Each operation is one transaction (``repo.batch()``: all of it or nothing) and returns a
:class:`~odc_desktop.workflow.results.Changed`; a refusal raises WorkflowRefused and changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from odc_desktop.domain.forms import entry_checks
from odc_desktop.domain.forms.definition import FormDefinition, migrate_draft
from odc_desktop.domain.model import Entry
from odc_desktop.domain.problems import Problem
from odc_desktop.domain.statuses import EDITABLE_STATUSES, EntryStatus, Stage
from odc_desktop.messages import Msg
from odc_desktop.storage.repository import Repository
from odc_desktop.domain.forms.lookup import FormLookup, form_of
from odc_desktop.workflow.refused import WorkflowRefused
from odc_desktop.workflow.results import Changed, StageView, changed, unchanged

#: Statuses whose entry is changed by starting a new one that supersedes it.
CHANGEABLE = frozenset({EntryStatus.APPROVED, EntryStatus.SUBMITTED})


def _editable(entry: Entry) -> Entry:
    if entry.status not in EDITABLE_STATUSES:
        raise WorkflowRefused("workflow.entry_locked", status=entry.status)
    return entry


def _declares_migration(current: FormDefinition, entry: Entry) -> bool:
    """Whether ``current`` is a newer version of the entry's form that says how to move its data."""
    return (current.id == entry.form_id and current.version > entry.form_version
            and current.migration is not None and current.migration.from_version == entry.form_version)


def open_stage(repo: Repository, forms: FormLookup, process_id: int, stage: Stage) -> StageView:
    """The stage's current entry (None when not started; looking creates nothing) and its form."""
    entry = repo.current_entry(process_id, Stage(stage))
    current = forms.current(Stage(stage).value)
    if entry is None:
        return StageView(None, current)
    own = form_of(forms, entry)
    return StageView(entry, own or current, own is not None)


def start_stage(repo: Repository, forms: FormLookup, process_id: int, stage: Stage,
                actor: str | None = None) -> Changed:
    """The stage's current entry, or a new empty draft with the current form when it has none (a
    document added before any field was typed starts the entry)."""
    stage = Stage(stage)
    with repo.batch():
        entry = repo.current_entry(process_id, stage)
        if entry is not None:
            return unchanged(entry)
        form = forms.current(stage.value)
        return changed(repo.create_entry(process_id, stage, form.id, form.version, form.content_hash,
                                         {}, actor=actor), None)


def other_stages(repo: Repository, process_id: int, stage: Stage) -> dict[str, dict[str, Any]]:
    """The newest data of every other stage of the process (for cross-stage rules)."""
    return {e.stage.value: e.data for e in repo.entries_of_process(process_id) if e.stage != stage}


def save_draft(repo: Repository, forms: FormLookup, process_id: int, stage: Stage,
               data: dict[str, Any], entry_id: int | None = None,
               actor: str | None = None) -> Changed:
    """Autosave ``data``: into ``entry_id`` (default: the stage's current entry), starting the
    stage's entry with the current form on the first save. Bumps the edit counter only (the server
    revision stays); an editable entry that was ready or returned is a draft again."""
    stage = Stage(stage)
    with repo.batch():
        entry = repo.get_entry(entry_id) if entry_id is not None else repo.current_entry(process_id, stage)
        if entry is None:
            form = forms.current(stage.value)
            entry = repo.create_entry(process_id, stage, form.id, form.version, form.content_hash,
                                      data, actor=actor)
            return changed(entry, None)
        old = _editable(entry).status
        saved = repo.save_entry_data(entry.id, data, actor=actor)
        return changed(saved, old) if saved.edit_seq != entry.edit_seq else unchanged(saved)


def ready_problems(repo: Repository, forms: FormLookup, entry: Entry, lang: str = "id"
                   ) -> tuple[list[Problem], list[Problem]]:
    """(errors in the data, missing required documents) of ``entry``, checked with its own form."""
    form = form_of(forms, entry)
    if form is None:
        raise WorkflowRefused("workflow.form_unknown", form_id=entry.form_id, version=entry.form_version)
    others = other_stages(repo, entry.process_id, entry.stage)
    codelists = forms.codelists_for(form)
    errors = [p for p in entry_checks.validate_entry(form, entry.data, codelists, others, lang)
              if p.severity == "error"]
    have = [a.document_type for a in repo.list_attachments(entry.id)]
    return errors, entry_checks.missing_documents(form, have, codelists, lang)


def mark_ready(repo: Repository, forms: FormLookup, entry_id: int, actor: str | None = None,
               lang: str = "id") -> Changed:
    """Move an entry to READY when its data is valid for its own form and every required document
    is attached; otherwise refuse (``invalid_data`` with ``problems``, ``missing_documents``). A
    returned or rejected entry passes through DRAFT; a ready one stays as it is."""
    with repo.batch():
        entry = repo.get_entry(entry_id)
        if entry.status == EntryStatus.READY:
            return unchanged(entry)
        _editable(entry)
        errors, missing = ready_problems(repo, forms, entry, lang)
        if errors:
            raise WorkflowRefused("workflow.invalid_data", count=len(errors), problems=tuple(errors))
        if missing:
            raise WorkflowRefused("workflow.missing_documents", problems=tuple(missing),
                                  documents=", ".join(p.path.split("/", 1)[1] for p in missing))
        if entry.status != EntryStatus.DRAFT:
            repo.set_local_status(entry.id, EntryStatus.DRAFT, actor=actor)
        return changed(repo.set_local_status(entry.id, EntryStatus.READY, actor=actor), entry.status)


def start_change(repo: Repository, forms: FormLookup, entry_id: int,
                 actor: str | None = None) -> Changed:
    """Start a change of an approved (or submitted) entry: a new draft with the current form that
    supersedes it, with its data and its documents linked again (no bytes copied). One transaction:
    a crash part-way leaves no new entry at all."""
    with repo.batch():
        old = repo.get_entry(entry_id)
        if old.status not in CHANGEABLE:
            raise WorkflowRefused("workflow.wrong_status", status=old.status, action=Msg("workflow.action_change"))
        current = repo.current_entry(old.process_id, old.stage)
        if current is None or current.id != old.id:
            raise WorkflowRefused("workflow.stage_busy")
        # the change stays on the approved entry's own form (its data was made with those fields),
        # unless the current form declares a migration from that version and it applies cleanly
        form, data = form_of(forms, old), dict(old.data)
        current = forms.current(old.stage.value)
        if _declares_migration(current, old):
            moved, problems = migrate_draft(current, old.form_version, data)
            if not problems or form is None:
                if problems:
                    raise WorkflowRefused("workflow.cannot_migrate", old=old.form_version, new=current.version)
                form, data = current, moved
        if form is None:
            raise WorkflowRefused("workflow.form_unknown", form_id=old.form_id, version=old.form_version)
        new = repo.create_entry(old.process_id, old.stage, form.id, form.version, form.content_hash,
                                data, actor=actor)
        for attachment in repo.list_attachments(old.id):
            repo.link_attachment(new.id, attachment, actor=actor)
        return changed(repo.get_entry(new.id), None)


def migrate_to_current(repo: Repository, forms: FormLookup, entry_id: int, lang: str = "id",
                       actor: str | None = None) -> tuple[Changed, list[Problem]]:
    """Move an editable draft of an older form version to the current form when its declared
    renames/removals allow. Returns the result and, when it cannot move, the reasons (it then keeps
    its old version and nothing is written)."""
    with repo.batch():
        entry = repo.get_entry(entry_id)
        form: FormDefinition = forms.current(entry.stage.value)
        # only where the current form declares how; otherwise the draft stays on its own version
        if not _declares_migration(form, entry) or entry.status not in EDITABLE_STATUSES:
            return unchanged(entry), []
        data, problems = migrate_draft(form, entry.form_version, entry.data, lang)
        if problems:
            return unchanged(entry), problems
        moved = repo.migrate_entry(entry.id, form.version, form.content_hash, data, actor=actor)
        return changed(moved, entry.status), []


def add_document(repo: Repository, entry_id: int, source: Path | bytes, filename: str,
                 document_type: str, title: str = "", mime: str | None = None,
                 actor: str | None = None) -> Changed:
    """Attach a document to an editable entry (a content change: edit counter, content identity).
    The bytes are copied before the one short write transaction, so a large file never holds it."""
    entry = _editable(repo.get_entry(entry_id))
    repo.add_attachment(entry_id, source, filename, document_type, title, mime, actor=actor)
    return changed(repo.get_entry(entry_id), entry.status)


def attach_stored_document(repo: Repository, entry_id: int, sha: str, size: int, filename: str,
                           document_type: str, title: str = "", mime: str | None = None,
                           actor: str | None = None) -> Changed:
    """Link a file already copied into the file store (the app copies on its file thread, so a long
    copy holds up no database work) to an editable entry: the same content change as add_document."""
    entry = _editable(repo.get_entry(entry_id))
    repo.attach_stored_file(entry_id, sha, size, filename, document_type, title, mime, actor=actor)
    return changed(repo.get_entry(entry_id), entry.status)


def remove_document(repo: Repository, attachment_id: int, actor: str | None = None) -> Changed:
    """Remove a document from an editable entry (a content change)."""
    attachment = repo.get_attachment(attachment_id)
    entry = _editable(repo.get_entry(attachment.entry_id))
    repo.remove_attachment(attachment_id, actor=actor)
    return changed(repo.get_entry(entry.id), entry.status)
