"""The stage form renderer: one stage entry of one process, section by section.

Left: the steps (one per form section, then "Dokumen"); middle: the fields of the current step with
inline errors; right: the SOP help of the focused field. Every edit is saved through the DB runner
(typing debounced by :data:`DEBOUNCE_MS`, choices at once, pending saves flushed on focus-out, on a
step change and when the page is hidden or its window closes).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from odc_desktop.domain.forms import entry_checks
from odc_desktop.domain.forms.definition import FormDefinition, Section, text_in
from odc_desktop.domain.model import Entry, Process, ReviewNote
from odc_desktop.domain.problems import Problem
from odc_desktop.domain.statuses import EDITABLE_STATUSES, EntryStatus, Stage
from odc_desktop.ui.attachments_panel import AttachmentsPanel
from odc_desktop.ui.field_widgets import FieldEditor, make_editor
from odc_desktop.ui.form_page_parts import (
    LoadedEntry,
    ProblemSummary,
    StatusBanners,
    field_of,
    load_entry_job,
    mark_ready_job,
    save_entry_job,
    start_change_job,
    start_entry_job,
)
from odc_desktop.ui.help_panel import HelpPanel, HelpStrip
from odc_desktop.ui.i18n import with_args
from odc_desktop.ui.process_list_model import status_text
from odc_desktop.ui.returned_entries import note_field_id
from odc_desktop.ui.services import Services
from odc_desktop.ui.workers import failure_message

log = logging.getLogger(__name__)

#: Typing pauses this long (ms) before the entry is saved.
DEBOUNCE_MS = 300
#: Below this page width the SOP help folds from a column into a strip under the form.
NARROW_WIDTH = 1150
STEPS_WIDTH, NARROW_STEPS_WIDTH = 210, 160


class FormPage(QWidget):
    """The form of one stage of one process, with autosave, inline validation and documents.

    Signals:
        entry_did_save(entry_id): the entry's data was durably saved (after every autosave).
        entry_status_did_change(entry_id, status): the entry moved to ``status`` (an EntryStatus
            value), e.g. to "ready" after "Tandai siap", back to "draft" when a ready entry is edited,
            or "draft" when the first edit started the stage's entry (looking starts nothing).
    """

    entry_did_save = Signal(int)
    entry_status_did_change = Signal(int, str)

    def __init__(self, services: Services, process: Process, stage: Stage, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("formPage")
        self.services = services
        self.process = process
        self.stage = Stage(stage)
        # The current form until the entry is loaded; then the entry's own (see _use_form).
        self.form: FormDefinition = services.forms.current(self.stage)
        self.forms = services.forms  # the registry: what the workflow reads forms from
        self.lang = services.lang  # of the form file's texts; the page's own texts go through tr()
        self.entry: Entry | None = None  # None until loaded, or while the stage has no entry yet
        self._loaded = False
        self.editors: dict[str, FieldEditor] = {}
        self._data: dict[str, Any] = {}
        self._others: dict[str, dict[str, Any]] = {}
        self._problems: list[Problem] = []
        self._touched: set[str] = set()
        self._last_field: str | None = None  # edited last: crash recovery reopens its step
        self._field_to_show: str | None = None  # asked for before the entry loaded
        self._show_all = False
        self._dirty = False
        self._saves_in_flight = 0
        self._save_failed = False
        self._watched_window: QWidget | None = None
        self._narrow = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.flush)
        self._build()
        QApplication.instance().focusChanged.connect(self._on_focus_changed)

    # --- construction ---------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel(text_in(self.form.title, self.lang), self)
        self.title.setObjectName("formTitle")
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("entryStatus")
        self.status_label.setStyleSheet("border: 1px solid #8a8f98; border-radius: 8px; padding: 1px 8px;")
        self.save_label = QLabel(self)
        self.save_label.setObjectName("saveState")
        # The stage's name is on the process view's step bar already: the page spends no line on it
        # (its status and save state sit in the footer), so the fields get the height.
        self.title.hide()
        self.banners = StatusBanners(self.lang, self)
        self.summary = ProblemSummary(self.lang, self)
        self.summary.problem_activated.connect(self.jump_to_problem)
        self.steps = QListWidget(self)
        self.steps.setObjectName("stepList")
        self.steps.setMaximumWidth(STEPS_WIDTH)
        self.steps.setWordWrap(True)
        self.steps.setSpacing(3)
        self.pages = QStackedWidget(self)
        self.attachments = AttachmentsPanel(self.services, self.form, self)
        self.attachments.attachments_did_change.connect(lambda _a: self._on_attachments_changed())
        self._fill_steps()
        self.help = HelpPanel(self.lang, self)
        # On a narrow window the help column folds into a strip under the form (see _fit_width).
        self.help_strip = HelpStrip(self.help, self)
        self.help_strip.hide()
        self.steps.currentRowChanged.connect(self._on_step_selected)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        for widget in (self.pages, self.help):
            splitter.addWidget(widget)
        splitter.setStretchFactor(0, 1)
        # The steps beside, not in, the splitter: it would leave a gap beside their width cap.
        middle = QHBoxLayout()
        middle.setSpacing(6)
        middle.addWidget(self.steps)
        middle.addWidget(splitter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.banners)
        layout.addWidget(self.summary)
        layout.addLayout(middle, 1)
        layout.addWidget(self.help_strip)
        layout.addLayout(self._footer())
        self.steps.setCurrentRow(0)
        self._set_enabled(False)

    def _fill_steps(self) -> None:
        """One step per section of ``self.form``, then the documents."""
        for number, section in enumerate(self.form.sections, start=1):
            self.steps.addItem(f"{number}. {text_in(section.title, self.lang)}")
            self.pages.addWidget(self._section_page(section))
        documents = self.tr("Dokumen")
        self.steps.addItem(f"{len(self.form.sections) + 1}. {documents}")
        self.pages.addWidget(self.attachments)

    def _use_form(self, form: FormDefinition) -> None:
        """Show the entry with ``form``, its own, when the page was built with another version."""
        if form.content_hash == self.form.content_hash:
            return
        self.form = form
        self.steps.blockSignals(True)
        self.steps.clear()
        while self.pages.count():
            page = self.pages.widget(0)
            self.pages.removeWidget(page)
            if page is not self.attachments:
                page.deleteLater()
        self.editors.clear()
        self.attachments.form = form
        self.attachments.codelist = self._codelists().get("jenis_dokumen")
        self._fill_steps()
        self.steps.blockSignals(False)
        self.steps.setCurrentRow(0)
        self._on_step_selected(0)

    def _codelists(self) -> dict:
        """The codelists of the form shown (a stored form may bring its own)."""
        return self.services.forms.codelists_for(self.form)

    def _section_page(self, section: Section) -> QScrollArea:
        content = QWidget()
        content.setObjectName(f"section_{section.id}")
        form_layout = QFormLayout(content)
        # A field that does not fit beside its label goes under it: never a horizontal scroll bar.
        form_layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form_layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form_layout.setVerticalSpacing(12)
        heading = QLabel(text_in(section.title, self.lang), content)
        heading.setObjectName("sectionHeading")
        heading.setStyleSheet("font-size: 12pt; font-weight: bold; padding-bottom: 4px;")
        form_layout.addRow(heading)
        if text_in(section.sop, self.lang):  # the SOP's note for this step, seen on "Berikutnya"
            note = QLabel(text_in(section.sop, self.lang), content, objectName="sectionSop", wordWrap=True)
            note.setProperty("role", "help")
            form_layout.addRow(note)
        for field in section.fields:
            editor = make_editor(field, self._codelists(), self.lang, content)
            editor.value_did_change.connect(lambda immediate, e=editor: self._on_edit(e, immediate))
            label = QLabel(text_in(field.label, self.lang) + (" *" if field.required else ""), content)
            label.setObjectName("fieldLabel")
            label.setBuddy(editor.focus_target())
            form_layout.addRow(label, editor)
            self.editors[field.id] = editor
        scroll = QScrollArea(self)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        return scroll

    def _footer(self) -> QHBoxLayout:
        self.prev_button = QPushButton(self.tr("&Sebelumnya"), self)
        self.prev_button.clicked.connect(lambda: self.go_to_step(self.current_step() - 1, focus=True))
        self.next_button = QPushButton(self.tr("Beri&kutnya"), self)
        self.next_button.clicked.connect(lambda: self.go_to_step(self.current_step() + 1, focus=True))
        self.ready_button = QPushButton(self.tr("Tandai siap k&irim"), self)
        self.ready_button.setObjectName("markReadyButton")
        self.ready_button.clicked.connect(self.mark_ready)
        self.change_button = QPushButton(self.tr("Buat pe&rubahan"), self)
        self.change_button.setObjectName("startChangeButton")
        self.change_button.setToolTip(self.tr("Mulai entri baru dari data yang sudah disetujui; setelah "
                                              "diperiksa, entri itu diterbitkan sebagai pembaruan."))
        self.change_button.clicked.connect(self.start_change)
        self.change_button.hide()
        for keys, step in (("Ctrl+PgUp", -1), ("Ctrl+PgDown", 1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda s=step: self.go_to_step(self.current_step() + s, focus=True))
        row = QHBoxLayout()
        row.addWidget(self.prev_button)
        row.addWidget(self.next_button)
        row.addSpacing(8)
        row.addWidget(self.status_label)
        row.addWidget(self.save_label, 1)
        row.addWidget(self.change_button)
        row.addWidget(self.ready_button)
        return row

    # --- loading --------------------------------------------------------------------------
    def load(self) -> None:
        """Load (or start) the stage's current entry on the DB runner, then show it."""
        self.save_label.setText(self.tr("Memuat…"))
        self.services.db.run(load_entry_job(self.process.id, self.stage, self.forms, self.lang),
                             self._did_load, self._did_fail_to_load)

    def _did_load(self, loaded: LoadedEntry) -> None:
        entry, self._others = loaded.entry, loaded.others
        self.entry = entry
        self._loaded = True
        if entry is None:
            self._show_not_started()
            return
        if loaded.form is not None:
            self._use_form(loaded.form)
        self._data = dict(entry.data)
        for field_id, editor in self.editors.items():
            editor.set_value(self._data.get(field_id))
        self._apply_status(entry.status)
        self.show_review_notes(loaded.notes)
        # A draft of an older form version that cannot migrate stays read-only, documents too.
        editable = self.is_editable() and not loaded.migration_problems and not loaded.form_missing
        self.attachments.set_entry(entry.id, editable)
        self.save_label.setText(with_args(self.tr("Tersimpan %1"), _clock(entry.updated_at)))
        if loaded.form_missing:
            self._show_without_own_form(entry)
        elif loaded.migration_problems:
            self._keep_old_version(loaded)
        elif loaded.migrated_from is not None:
            self.save_label.setText(with_args(self.tr("Draf dipindahkan dari formulir versi %1 ke versi %2"),
                                              loaded.migrated_from, self.form.version))
        elif editable and self.form.version < self.services.forms.current(self.stage).version:
            self.save_label.setText(with_args(self.tr("Draf ini tetap memakai formulir versi %1, versi yang "
                                                      "dipakai saat dibuat."), self.form.version))
        self._validate()
        if self._field_to_show is None and self.flagged_fields():
            self._field_to_show = self.flagged_fields()[0]  # where the reviewer asks for a fix first
        self._show_asked_field()

    def show_review_notes(self, notes: list[ReviewNote]) -> None:
        """The reviewer's notes: all in the banner above the form, each field's also at its field,
        which is highlighted (an empty list clears them: the entry was sent again)."""
        self.banners.show_notes(notes, self.form)
        at_field: dict[str, list[str]] = {}
        for note in notes:
            field_id = note_field_id(self.form, note.field_id)
            if field_id in self.editors:
                at_field.setdefault(field_id, []).append(note.text)
        for field_id, editor in self.editors.items():
            texts = at_field.get(field_id)
            editor.show_review_note(with_args(self.tr("Catatan verifikator: %1"), " · ".join(texts)) if texts else "")

    def flagged_fields(self) -> list[str]:
        """The fields a reviewer's note is shown at, in form order."""
        return [field_id for field_id, editor in self.editors.items() if editor.review_note()]

    def _show_not_started(self) -> None:
        """An empty, editable form: the stage's entry starts with the first edit or document."""
        self._data = {}
        for editor in self.editors.values():
            editor.set_value(None)
            editor.set_read_only(False)
        self.status_label.setText(status_text(None, self.lang))
        self.banners.show_locked("")
        self._set_enabled(True)
        self.attachments.set_entry(None, True, self._start_entry_job())
        self.save_label.setText("")
        self._validate()
        self._show_asked_field()

    def _show_asked_field(self) -> None:
        """Show the field asked for (crash recovery) before the entry had loaded."""
        if self._field_to_show is not None:
            self.show_field(self._field_to_show)

    def _start_entry_job(self):
        return start_entry_job(self.process.id, self.stage, self.forms)

    def _keep_old_version(self, loaded: LoadedEntry) -> None:
        """A draft of an older form version that cannot migrate: shown read-only, with the reasons."""
        for editor in self.editors.values():
            editor.set_read_only(True)
        self.ready_button.setEnabled(False)
        reasons = "\n".join(f"• {p.message}" for p in loaded.migration_problems)
        self.banners.show_locked(with_args(
            self.tr("Draf ini dibuat dengan formulir versi %1 dan tetap memakai versi itu, karena tidak dapat "
                    "dipindahkan otomatis ke versi %2:\n%3"), loaded.entry.form_version,
            self.services.forms.current(self.stage).version, reasons))

    def _show_without_own_form(self, entry: Entry) -> None:
        """The entry's own form is not on this computer: shown read-only with the current one."""
        for editor in self.editors.values():
            editor.set_read_only(True)
        self.ready_button.setEnabled(False)
        self.change_button.hide()
        self.banners.show_locked(with_args(
            self.tr("Formulir yang dipakai entri ini (versi %1) tidak ada di komputer ini, sehingga entri "
                    "ditampilkan hanya-baca dengan formulir versi %2. Isiannya tidak diubah. Formulir itu "
                    "akan tersedia setelah sinkronisasi berikutnya; bila tidak, hubungi admin Diskominfo."),
            entry.form_version, self.form.version))

    def _did_fail_to_load(self, exc: BaseException) -> None:
        self.save_label.setText(with_args(self.tr("Formulir tidak dapat dimuat: %1"), failure_message(exc)))

    def _apply_status(self, status: EntryStatus) -> None:
        self.status_label.setText(status.title(self.lang))
        editable = status in EDITABLE_STATUSES
        self.banners.show_status(status)
        self._set_enabled(True)
        for editor in self.editors.values():
            editor.set_read_only(not editable)
        self.ready_button.setEnabled(editable and status != EntryStatus.READY)
        self.change_button.setVisible(status == EntryStatus.APPROVED)

    def _set_enabled(self, enabled: bool) -> None:
        self.pages.setEnabled(enabled)
        self.ready_button.setEnabled(enabled)

    def is_loaded(self) -> bool:
        """True once the stage's entry (or the fact that it has none yet) has been read."""
        return self._loaded

    def is_editable(self) -> bool:
        return self._loaded and (self.entry is None or self.entry.status in EDITABLE_STATUSES)

    # --- editing and autosave -------------------------------------------------------------
    def _on_edit(self, editor: FieldEditor, immediate: bool) -> None:
        if not self.is_editable():
            return
        self._data[editor.field.id] = editor.value()
        self._last_field = editor.field.id
        self._dirty = True
        if not immediate:
            editor.set_problems([])  # typing: its errors show again once the operator leaves it
        self.save_label.setText(self.tr("Menyimpan…"))
        self._validate()
        if immediate:
            self.flush()
        else:
            self._debounce.start()

    def flush(self) -> None:
        """Save pending edits now (no-op when nothing changed since the last save)."""
        self._debounce.stop()
        if not self._dirty or not self._loaded:
            return
        self._dirty = False
        self._saves_in_flight += 1
        self.save_label.setText(self.tr("Menyimpan…"))
        job = save_entry_job(self.entry.id if self.entry else None, dict(self._data), self.process.id,
                             self.stage, self.forms, self._last_field, self.lang)
        self.services.db.run(job, self._did_save, self._did_fail_to_save)

    def is_saved(self) -> bool:
        """True when every edit made so far is durably saved."""
        return not self._dirty and self._saves_in_flight == 0 and not self._save_failed

    def _did_save(self, entry: Entry) -> None:
        self._saves_in_flight -= 1
        self._save_failed = False
        self._entry_did_change(entry)
        if self.is_saved():
            self.save_label.setText(with_args(self.tr("Tersimpan otomatis %1"), _clock(entry.updated_at)))
        self.entry_did_save.emit(entry.id)

    def _entry_did_change(self, entry: Entry) -> None:
        """Take the stored entry; tell the process view when its status changed (or it started)."""
        old_status = self.entry.status if self.entry else None
        self.entry = entry
        if self.attachments.entry_id is None:
            self.attachments.entry_id = entry.id
        if entry.status != old_status:
            self._apply_status(entry.status)
            if entry.status not in EDITABLE_STATUSES:
                self.show_review_notes([])  # sent again: the notes were about the old content
            self.entry_status_did_change.emit(entry.id, entry.status.value)

    def _on_attachments_changed(self) -> None:
        self._refresh_summary()
        if self.entry is None and self.attachments.entry_id is not None:  # a document started it
            entry_id = self.attachments.entry_id
            self.services.db.run(lambda repo: repo.get_entry(entry_id), self._entry_did_change)

    def _did_fail_to_save(self, exc: BaseException) -> None:
        self._saves_in_flight -= 1
        self._save_failed = True
        self._dirty = True  # keep the edits; the next change or flush tries again
        text = self.tr("Gagal menyimpan: %1 Isian Anda tetap di layar; perubahan berikutnya akan "
                       "mencoba menyimpan lagi.")
        self.save_label.setText(with_args(text, failure_message(exc)))

    # --- validation -----------------------------------------------------------------------
    def _validate(self) -> list[Problem]:
        """Check the fields, show their problems inline and in the summary; returns them."""
        self._check_fields()
        self._refresh_summary()
        return self._problems

    def _check_fields(self, typing: bool = True) -> None:
        """Validate; show each touched field's problems. ``typing``: the field being typed in only
        loses problems that are fixed, it gains none until the operator leaves it."""
        codelists = self._codelists()
        self._problems = entry_checks.validate_entry(self.form, self._data, codelists, self._others,
                                                     self.lang, forms=self.services.forms)
        focused = self._field_editor_at(QApplication.focusWidget()) if typing else None
        for field_id, editor in self.editors.items():
            shown = self._show_all or field_id in self._touched
            problems = [p for p in self._problems if field_of(p) == field_id] if shown else []
            if editor is not focused or not problems:
                editor.set_problems(problems)

    def _document_problems(self) -> list[Problem]:
        have = [a.document_type for a in self.attachments.attachments]
        return entry_checks.missing_documents(self.form, have, self._codelists(), self.lang)

    def _refresh_summary(self, documents: list[Problem] | None = None) -> None:
        """Show the problems in the summary; ``documents``: the missing documents, if known."""
        shown = [p for p in self._problems if self._show_all or field_of(p) in self._touched]
        if self._show_all:
            shown += self._document_problems() if documents is None else documents
        self.summary.show_problems(shown, self.form)

    def problems(self) -> list[Problem]:
        """Every current problem of the entry (fields, rules and missing required documents)."""
        self._check_fields(typing=False)
        documents = self._document_problems()
        self._refresh_summary(documents)
        return self._problems + documents

    def mark_ready(self) -> None:
        """Validate; with no problems move the entry to READY, else list them and jump to the first."""
        if not self.is_editable():
            return
        self.flush()
        self._show_all = True
        errors = [p for p in self.problems() if p.severity == "error"]
        if errors:
            self.summary.set_heading(self.tr("Belum bisa ditandai siap: %Ln hal perlu diperbaiki (klik "
                                             "untuk menuju isiannya).", "", len(errors)))
            self.jump_to_problem(errors[0])
            return
        job = mark_ready_job(self.entry.id if self.entry else None, self.process.id, self.stage,
                             self.forms, self.lang)
        self.services.db.run(job, self._did_mark_ready, self._did_fail_to_save)

    def start_change(self) -> None:
        """Start a new draft entry from this approved one (it becomes an OCDS update when published)."""
        if self.entry is None or self.entry.status != EntryStatus.APPROVED:
            return
        self.change_button.setEnabled(False)
        job = start_change_job(self.process.id, self.stage, self.forms, self.entry.id, self.lang)
        self.services.db.run(job, self._did_start_change, self._did_fail_to_start_change)

    def _did_start_change(self, loaded: LoadedEntry) -> None:
        self.change_button.setEnabled(True)
        self._did_load(loaded)
        self.entry_status_did_change.emit(self.entry.id, self.entry.status.value)

    def _did_fail_to_start_change(self, exc: BaseException) -> None:
        self.change_button.setEnabled(True)
        self.save_label.setText(with_args(self.tr("Perubahan tidak dapat dimulai: %1"), failure_message(exc)))

    def _did_mark_ready(self, entry: Entry) -> None:
        self._entry_did_change(entry)
        self.save_label.setText(self.tr("Ditandai siap dikirim."))

    def jump_to_problem(self, problem: Problem) -> None:
        """Show the step holding the problem's field and put the cursor in it."""
        editor = self.editors.get(field_of(problem) or "")
        if editor is None:
            self.go_to_step(len(self.form.sections))
            return
        self.go_to_step(self._step_of(editor))
        editor.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    # --- steps and focus ------------------------------------------------------------------
    def show_field(self, field_id: str) -> None:
        """Show the step holding ``field_id`` with the cursor in it (once the entry has loaded)."""
        editor = self.editors.get(field_id)
        if editor is None:
            return
        if self.entry is None:
            self._field_to_show = field_id
            return
        self._field_to_show = None
        self.go_to_step(self._step_of(editor))
        editor.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def current_step(self) -> int:
        return self.steps.currentRow()

    def go_to_step(self, index: int, focus: bool = False) -> None:
        """Show step ``index`` (sections, then documents); ``focus`` puts the cursor in its first field."""
        if 0 <= index < self.steps.count():
            self.steps.setCurrentRow(index)
            if focus and index < len(self.form.sections):
                first = self.form.sections[index].fields[0].id
                self.editors[first].focus_target().setFocus(Qt.FocusReason.TabFocusReason)

    def _on_step_selected(self, index: int) -> None:
        self.flush()
        self.pages.setCurrentIndex(index)
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < self.steps.count() - 1)
        if index < len(self.form.sections):
            self.help.show_section(self.form.sections[index])
        else:
            self.help.show_text(self.tr("Dokumen"), self.tr(
                "Lampirkan dokumen yang diminta tahap ini. Tarik berkas ke daftar atau pilih "
                "\"Tambah dokumen…\". Dokumen bertanda ✗ wajib sebelum entri dapat ditandai siap."))

    def _step_of(self, editor: FieldEditor) -> int:
        for index, section in enumerate(self.form.sections):
            if any(f.id == editor.field.id for f in section.fields):
                return index
        return 0

    def _editor_at(self, widget: QWidget | None) -> FieldEditor | None:
        if widget is None or not self.isAncestorOf(widget):
            return None
        while widget is not None and widget is not self:
            if isinstance(widget, FieldEditor):
                return widget
            widget = widget.parentWidget()
        return None

    def _field_editor_at(self, widget: QWidget | None) -> FieldEditor | None:
        """The page's top-level editor holding ``widget`` (a group's, not its row child's)."""
        editor = self._editor_at(widget)
        while editor is not None and self.editors.get(editor.field.id) is not editor:
            editor = self._editor_at(editor.parentWidget())
        return editor

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        left = self._field_editor_at(old)
        if left is not None and left is not self._field_editor_at(new):
            # Leaving a field saves it at once and shows what is wrong with it (never while typing).
            self._touched.add(left.field.id)
            self._validate()
            self.flush()
        if new is None or not self.isAncestorOf(new):
            return
        editor = self._editor_at(new)
        if editor is not None:
            self.help.show_field(editor.field)
        else:
            self._on_step_help()

    def _on_step_help(self) -> None:
        index = self.current_step()
        if 0 <= index < len(self.form.sections):
            self.help.show_section(self.form.sections[index])

    # --- width ----------------------------------------------------------------------------
    def is_narrow(self) -> bool:
        """True while the help shows as a strip under the form instead of a column beside it."""
        return self._narrow

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_width(event.size().width())

    def _fit_width(self, width: int) -> None:
        narrow = width < NARROW_WIDTH
        if narrow == self._narrow:
            return
        self._narrow = narrow
        self.help.setVisible(not narrow)
        self.help_strip.setVisible(narrow)
        self.steps.setMaximumWidth(NARROW_STEPS_WIDTH if narrow else STEPS_WIDTH)

    # --- lifecycle ------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        # Esc inside the form never reaches the window's "back to the list" shortcut: a stray Esc
        # while typing must not leave the form (open pop-ups still close on Esc first).
        if event.type() == QEvent.Type.ShortcutOverride and event.key() == Qt.Key.Key_Escape \
                and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            event.accept()
            return True
        return super().event(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        window = self.window()
        if window is not self and window is not self._watched_window:
            # The window's Close reaches this filter before its closeEvent, so edits are queued
            # ahead of whatever the window does on close.
            window.installEventFilter(self)
            self._watched_window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched_window and event.type() == QEvent.Type.Close:
            self.flush()
        return False

    def hideEvent(self, event) -> None:
        self.flush()
        super().hideEvent(event)

    def closeEvent(self, event) -> None:
        self.flush()
        super().closeEvent(event)


def _clock(iso: str) -> str:
    """``2024-05-01T14:03:22+07:00`` → ``14:03:22`` (the time shown in the save state)."""
    try:
        return datetime.fromisoformat(iso).strftime("%H:%M:%S")
    except ValueError:
        return iso
