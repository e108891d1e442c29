"""Pieces of the stage form page: the status/reviewer-notes banners, the problem summary, which
field a problem belongs to, and the database jobs the page runs (plain functions of the repository,
run on the DB runner). Texts are ``tr()`` with Indonesian source (resources/odc_en.ts)."""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from odc_desktop.domain.forms.definition import FormDefinition, migrate_draft, text_in
from odc_desktop.domain.forms.lookup import FormLookup, form_of
from odc_desktop.domain.model import Entry, ReviewNote
from odc_desktop.domain.problems import Problem
from odc_desktop.domain.statuses import EDITABLE_STATUSES, EntryStatus, Stage
from odc_desktop.storage.repository import Repository
from odc_desktop.ui.session import remember_last_form


def field_of(problem: Problem) -> str | None:
    """The id of the field a problem belongs to (its own, else the first part of its path)."""
    return problem.field_id or (problem.path.split("/")[0] if problem.path else None)


def _field_label(form: FormDefinition, field_id: str | None, lang: str) -> str:
    field = form.field(field_id) if field_id else None
    return text_in(field.label, lang) if field else ""


class StatusBanners(QWidget):
    """The banner saying why an entry is read-only, and the reviewer notes of a returned entry."""

    def __init__(self, lang: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.lang = lang  # of the field labels, which come from the form file
        self.locked = QLabel(self)
        self.locked.setObjectName("readOnlyBanner")
        self.locked.setWordWrap(True)
        self.locked.setStyleSheet("background: #fff4ce; border: 1px solid #e0c060; padding: 6px;")
        self.notes = QLabel(self)
        self.notes.setObjectName("reviewNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setStyleSheet("background: #fde7e9; border: 1px solid #d9a0a6; padding: 6px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.locked)
        layout.addWidget(self.notes)
        self.locked.hide()
        self.notes.hide()

    def locked_text(self, status: EntryStatus) -> str:
        """Why an entry in ``status`` cannot be edited ("" when it can)."""
        if status == EntryStatus.QUEUED:
            return self.tr("Entri ini sedang menunggu dikirim ke server, sehingga tidak dapat diubah di sini.")
        if status == EntryStatus.SUBMITTED:
            return self.tr("Entri ini sudah terkirim dan menunggu verifikasi, sehingga tidak dapat diubah. "
                           "Bila verifikator mengembalikannya, Anda dapat memperbaikinya di sini.")
        if status == EntryStatus.APPROVED:
            return self.tr("Entri ini sudah disetujui dan dipublikasikan; datanya dikunci. Untuk mengubahnya, "
                           "pilih \"Buat perubahan\": entri baru dibuat dari data ini dan diterbitkan "
                           "sebagai pembaruan.")
        return ""

    def show_status(self, status: EntryStatus) -> None:
        self.show_locked(self.locked_text(status))

    def show_locked(self, text: str) -> None:
        """Show why the entry cannot be edited ("" hides the banner)."""
        self.locked.setText(text)
        self.locked.setVisible(bool(text))

    def show_notes(self, notes: list[ReviewNote], form: FormDefinition) -> None:
        lines = [self.tr("Dikembalikan oleh verifikator. Perbaiki hal berikut, lalu tandai siap lagi:")]
        for note in notes:
            label = _field_label(form, note.field_id, self.lang)
            lines.append(f"• {label + ': ' if label else ''}{note.text} — {note.author}")
        self.notes.setText("\n".join(lines))
        self.notes.setVisible(bool(notes))


class ProblemSummary(QFrame):
    """The list of problems above the form; activating one jumps to its field.

    Signals:
        problem_activated(object): the operator chose a problem (a :class:`Problem`).
    """

    problem_activated = Signal(object)

    def __init__(self, lang: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("problemSummary")
        self.lang = lang  # of the field labels, which come from the form file
        self.heading = QLabel(self)
        self.heading.setObjectName("problemHeading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.list = QListWidget(self)
        self.list.setMaximumHeight(66)  # about three problems; the rest scroll, the form keeps its room
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.list)
        self.problems: list[Problem] = []
        self.hide()

    def show_problems(self, problems: list[Problem], form: FormDefinition) -> None:
        self.problems = list(problems)
        self.list.clear()
        for problem in problems:
            label = _field_label(form, field_of(problem), self.lang)
            # most messages already name the field; prefix the label only where they do not
            text = problem.message if not label or label in problem.message else f"{label}: {problem.message}"
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, self.list.count() - 1)
        self.heading.setText(self.tr("%Ln isian perlu diperbaiki:", "", len(problems)))
        if problems:  # as tall as its rows, up to four; the rest scroll
            rows = min(len(problems), 4) * max(self.list.sizeHintForRow(0), 16)
            self.list.setFixedHeight(rows + 2 * self.list.frameWidth() + 4)
        self.setVisible(bool(problems))

    def set_heading(self, text: str) -> None:
        self.heading.setText(text)

    def messages(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def _activated(self, item: QListWidgetItem) -> None:
        self.problem_activated.emit(self.problems[item.data(Qt.ItemDataRole.UserRole)])


# --- database jobs (run on the DB runner; no widgets) -------------------------------------
@dataclasses.dataclass(frozen=True)
class LoadedEntry:
    """What the form page shows: the entry, the other stages' newest data (for cross-stage rules),
    its reviewer notes, how a draft of an older form version fared (see migrate_draft), and the form
    to show it with (its own; ``form_missing``: its own is not here, so it is shown read-only with
    ``form``, the current one)."""

    entry: Entry | None  # None: the stage has no entry yet; the first edit starts one
    others: dict[str, dict[str, Any]]
    notes: list[ReviewNote]
    migrated_from: int | None = None
    migration_problems: tuple[Problem, ...] = ()
    form: FormDefinition | None = None
    form_missing: bool = False


def _others(repo: Repository, process_id: int, stage: Stage) -> dict[str, dict[str, Any]]:
    return {e.stage.value: e.data for e in repo.entries_of_process(process_id) if e.stage != stage}


def load_entry_job(process_id: int, stage: Stage, forms: FormLookup,
                   lang: str = "id") -> Callable[[Repository], LoadedEntry]:
    """Job: the stage's current entry, or None when the stage has none (looking at a stage starts
    nothing: :func:`save_entry_job` starts the entry on the first edit), with the form to show it with.

    An entry is shown with its own form (``forms.get`` of its id, version and hash). An editable draft
    of an older version moves to the current form only when that form declares a migration from the
    draft's version and its renames/removals apply cleanly; otherwise it stays on its own version."""
    def job(repo: Repository) -> LoadedEntry:
        current = forms.current(stage)
        entry = repo.current_entry(process_id, stage)
        if entry is None:
            return LoadedEntry(None, _others(repo, process_id, stage), [], form=current)
        form = form_of(forms, entry)
        migrated_from, problems = None, ()
        declared = current.migration is not None and current.migration.from_version == entry.form_version
        if declared and entry.form_version < current.version and entry.status in EDITABLE_STATUSES:
            data, found = migrate_draft(current, entry.form_version, entry.data, lang)
            if found:
                problems = tuple(found)
            else:
                migrated_from, form = entry.form_version, current
                entry = repo.migrate_entry(entry.id, current.version, current.content_hash, data)
        notes = repo.list_review_notes(entry.id) if entry.status == EntryStatus.RETURNED else []
        return LoadedEntry(entry, _others(repo, process_id, stage), notes, migrated_from, problems,
                           form=form or current, form_missing=form is None)
    return job


def start_change_job(process_id: int, stage: Stage, form: FormDefinition, approved_id: int
                     ) -> Callable[[Repository], LoadedEntry]:
    """Job: a new draft entry for the stage that starts from the approved entry's data and documents.

    Approved entries are never edited; the new entry is published as an OCDS update of the approved one.
    Documents are linked again, not copied: the file store keeps one copy per SHA-256."""
    def job(repo: Repository):
        approved = repo.get_entry(approved_id)
        # the change starts on the approved entry's own form: its data was made with those fields
        entry = repo.create_entry(process_id, stage, approved.form_id, approved.form_version,
                                  approved.form_hash, dict(approved.data))
        for attachment in repo.list_attachments(approved_id):
            repo.add_attachment(entry.id, repo.read_attachment(attachment), attachment.filename,
                                attachment.document_type, attachment.title, attachment.mime)
        return LoadedEntry(repo.get_entry(entry.id), _others(repo, process_id, stage), [])
    return job


def started_entry(repo: Repository, process_id: int, stage: Stage, form: FormDefinition) -> Entry:
    """The stage's current entry, started (with the form's id/version/hash) when it has none."""
    entry = repo.current_entry(process_id, stage)
    return entry or repo.create_entry(process_id, stage, form.id, form.version, form.content_hash)


def save_entry_job(entry_id: int | None, data: dict[str, Any], process_id: int, stage: Stage,
                   form: FormDefinition, field_id: str | None = None) -> Callable[[Repository], Entry]:
    """Job: autosave the data (starting the stage's entry when ``entry_id`` is None) and remember
    it (and ``field_id``, edited last) as the last edited form, for crash recovery."""
    def job(repo: Repository) -> Entry:
        entry_id_now = started_entry(repo, process_id, stage, form).id if entry_id is None else entry_id
        entry = repo.save_entry_data(entry_id_now, data)
        remember_last_form(repo, process_id, stage, field_id)
        return entry
    return job


def mark_ready_job(entry_id: int | None, process_id: int, stage: Stage,
                   form: FormDefinition) -> Callable[[Repository], Entry]:
    """Job: move the entry to READY (a returned or rejected entry passes through DRAFT first;
    ``entry_id`` None: the stage's entry, started when it has none)."""
    def job(repo: Repository) -> Entry:
        entry = repo.get_entry(entry_id) if entry_id is not None else started_entry(
            repo, process_id, stage, form)
        entry_id_now = entry.id
        if entry.status in (EntryStatus.RETURNED, EntryStatus.REJECTED_BY_SERVER):
            entry = repo.set_entry_status(entry_id_now, EntryStatus.DRAFT)
        return repo.set_entry_status(entry_id_now, EntryStatus.READY)
    return job
