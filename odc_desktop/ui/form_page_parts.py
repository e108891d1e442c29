"""Pieces of the stage form page: the status/reviewer-notes banners, the problem summary, which
field a problem belongs to, and the database jobs the page runs (plain functions of the repository,
run on the DB runner). Texts are ``tr()`` with Indonesian source (resources/odc_en.ts)."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from odc_desktop import workflow
from odc_desktop.domain.forms.definition import FormDefinition, text_in
from odc_desktop.domain.forms.lookup import FormLookup
from odc_desktop.domain.model import Entry, ReviewNote
from odc_desktop.domain.problems import Problem
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.repository import Repository, StorageError
from odc_desktop.ui.returned_entries import note_field_id, notes_to_show
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
            label = _field_label(form, note_field_id(form, note.field_id), self.lang) or (note.field_id or "")
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


# --- database jobs (run on the DB runner; no widgets; every write through odc_desktop.workflow) ---
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


@contextlib.contextmanager
def refusals_in(lang: str) -> Iterator[None]:
    """A workflow refusal inside the block reaches the page as a StorageError in ``lang``."""
    try:
        yield
    except workflow.WorkflowRefused as refused:
        raise StorageError(refused.message(lang)) from refused


def load_entry_job(process_id: int, stage: Stage, forms: FormLookup,
                   lang: str = "id") -> Callable[[Repository], LoadedEntry]:
    """Job: the stage's current entry, or None when the stage has none (looking at a stage starts
    nothing: :func:`save_entry_job` starts the entry on the first edit), with the form to show it with
    (its own). An editable draft of an older version moves to the current form only when that form
    declares a migration from the draft's version and its renames/removals apply cleanly; otherwise it
    stays on its own version (and the problems say why, when a declared migration does not apply)."""
    def job(repo: Repository) -> LoadedEntry:
        view = workflow.open_stage(repo, forms, process_id, stage)
        entry = view.entry
        if entry is None:
            return LoadedEntry(None, workflow.other_stages(repo, process_id, stage), [], form=view.form)
        migrated_from, problems = None, ()
        result, found = workflow.migrate_to_current(repo, forms, entry.id, lang)
        if found:
            problems = tuple(found)
        elif result.changed:
            migrated_from, entry = entry.form_version, result.entry
            view = workflow.open_stage(repo, forms, process_id, stage)
        notes = notes_to_show(repo, entry.id, entry.status)
        return LoadedEntry(entry, workflow.other_stages(repo, process_id, stage), notes,
                           migrated_from, problems, form=view.form, form_missing=not view.own_form)
    return job


def start_change_job(process_id: int, stage: Stage, forms: FormLookup, approved_id: int,
                     lang: str = "id") -> Callable[[Repository], LoadedEntry]:
    """Job: a new draft entry for the stage that starts from the approved entry's data and documents
    (workflow.start_change: one transaction; documents are linked again, not copied)."""
    def job(repo: Repository) -> LoadedEntry:
        with refusals_in(lang):
            entry = workflow.start_change(repo, forms, approved_id).entry
        view = workflow.open_stage(repo, forms, process_id, stage)
        return LoadedEntry(entry, workflow.other_stages(repo, process_id, stage), [], form=view.form)
    return job


def start_entry_job(process_id: int, stage: Stage, forms: FormLookup) -> Callable[[Repository], int]:
    """Job: the id of the stage's current entry, started (empty, current form) when it has none."""
    return lambda repo: workflow.start_stage(repo, forms, process_id, stage).entry.id


def save_entry_job(entry_id: int | None, data: dict[str, Any], process_id: int, stage: Stage,
                   forms: FormLookup, field_id: str | None = None,
                   lang: str = "id") -> Callable[[Repository], Entry]:
    """Job: autosave the data (starting the stage's entry when ``entry_id`` is None) and remember
    it (and ``field_id``, edited last) as the last edited form, for crash recovery."""
    def job(repo: Repository) -> Entry:
        with refusals_in(lang):
            entry = workflow.save_draft(repo, forms, process_id, stage, data, entry_id).entry
        remember_last_form(repo, process_id, stage, field_id)
        return entry
    return job


def mark_ready_job(entry_id: int | None, process_id: int, stage: Stage, forms: FormLookup,
                   lang: str = "id") -> Callable[[Repository], Entry]:
    """Job: move the entry to READY through workflow.mark_ready (which checks the data and the
    documents again with the entry's own form; ``entry_id`` None: the stage's entry, started when
    it has none). A refusal reaches the page as a StorageError in ``lang``."""
    def job(repo: Repository) -> Entry:
        with refusals_in(lang):
            target = entry_id if entry_id is not None else workflow.start_stage(
                repo, forms, process_id, stage).entry.id
            return workflow.mark_ready(repo, forms, target, lang=lang).entry
    return job
