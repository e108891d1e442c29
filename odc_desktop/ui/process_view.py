"""The second page of the main window: one process, its six stages as a step bar, and the current
stage's form below."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from odc_desktop.changes import Changes
from odc_desktop.domain.model import Process
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.repository import Repository
from odc_desktop.ui.conflict_panel import ConflictPanel
from odc_desktop.ui.i18n import with_args
from odc_desktop.ui.process_list_model import STATUS_COLOURS, status_text
from odc_desktop.ui.services import Services

if TYPE_CHECKING:
    from odc_desktop.ui.form_page import FormPage

log = logging.getLogger(__name__)

StageStatuses = dict[Stage, EntryStatus | None]


def _load_process(repo: Repository, process_id: int) -> tuple[Process, StageStatuses]:
    """The process and the status of each stage's current entry (None: not started)."""
    process = repo.get_process(process_id)
    return process, _stage_statuses(repo, process_id)


def _stage_statuses(repo: Repository, process_id: int) -> StageStatuses:
    # The list row already holds every stage's status: one small read instead of six entries.
    rows = repo.get_process_rows([process_id])
    known = rows[0].stage_statuses if rows else {}
    return {stage: known.get(stage) for stage in Stage}


class ProcessView(QWidget):
    """Header, step bar (Alt+1..Alt+6) and the form of the selected stage of one process.

    Signals:
        back_requested(): the operator asked to return to the list.
    """

    back_requested = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self._services = services
        self.process: Process | None = None
        self.current_stage: Stage | None = None
        self.statuses: StageStatuses = {}
        self._pages: dict[Stage, FormPage] = {}
        self._build()
        # Any write to the open process (a save, a status change, a stage started, later a sync)
        # re-reads the stage buttons' statuses.
        services.changes.store_did_change.connect(self._store_did_change)

    def _build(self) -> None:
        self.back_button = QPushButton(self.tr("← Kembali ke &daftar"), self, objectName="back_button")
        self.back_button.clicked.connect(self.back_requested)
        self.title = QLabel(self, objectName="process_title", wordWrap=True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel(self, objectName="process_details", wordWrap=True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header = QFrame(self, objectName="process_header")
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(10, 6, 10, 6)
        header_layout.setSpacing(2)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        header_layout.addLayout(top)
        header_layout.addWidget(self.details)

        self.step_bar = QFrame(self, objectName="step_bar")
        steps = QHBoxLayout(self.step_bar)
        steps.setSpacing(6)
        steps.setContentsMargins(0, 0, 0, 0)
        self.stage_group = QButtonGroup(self)
        self.stage_buttons: dict[Stage, QToolButton] = {}
        for number, stage in enumerate(Stage, start=1):
            button = QToolButton(self.step_bar, objectName=f"stage_{stage.value}", checkable=True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setToolTip(with_args(self.tr("Buka tahap ini (Alt+%1)"), number))
            button.clicked.connect(lambda _checked=False, s=stage: self.show_stage(s))
            self.stage_group.addButton(button)
            self.stage_buttons[stage] = button
            steps.addWidget(button)
            shortcut = QShortcut(QKeySequence(f"Alt+{number}"), self)
            shortcut.activated.connect(lambda s=stage: self.show_stage(s))

        self.pages = QStackedWidget(self, objectName="stage_pages")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 4)  # compact: the form gets the height
        layout.setSpacing(6)
        layout.addWidget(header)
        layout.addWidget(self.step_bar)
        from odc_desktop.ui.entry_sync_note import EntrySyncNote  # the shown entry's state with the server

        self.sync_note = EntrySyncNote(self._services, self)
        layout.addWidget(self.sync_note)
        self.conflict_panel = ConflictPanel(self._services, self)  # a push conflict and the way out of it
        self.conflict_panel.conflict_did_resolve.connect(self._conflict_did_resolve)
        layout.addWidget(self.conflict_panel)
        layout.addWidget(self.pages, 1)

    # public API ------------------------------------------------------------------------------
    def open_process(self, process_id: int, stage: Stage | None = None, field_id: str | None = None) -> None:
        """Show ``process_id`` at ``stage`` (default: its current stage), loading it on the DB runner;
        ``field_id``: a field of that stage's form to show with the cursor in it."""
        self._services.db.run(lambda repo: _load_process(repo, process_id),
                              lambda result: self._process_did_load(*result, stage, field_id),
                              lambda exc: self._process_did_fail(process_id, exc))

    def show_stage(self, stage: Stage) -> None:
        """Show the form of ``stage`` of the open process (created and loaded on first visit)."""
        if self.process is None:
            return
        page = self._pages.get(stage)
        if page is None:
            page = self._make_page(stage)
            self._pages[stage] = page
            self.pages.addWidget(page)
        self.current_stage = stage
        self.sync_note.show_for(self.process.id, stage)
        self.conflict_panel.show_for(self.process.id, stage)
        self.stage_buttons[stage].setChecked(True)
        self.pages.setCurrentWidget(page)

    def current_page(self) -> QWidget | None:
        return self.pages.currentWidget()

    def refresh_statuses(self) -> None:
        """Re-read each stage's status (after an entry's status changed)."""
        if self.process is None:
            return
        process_id = self.process.id
        self._services.db.run(lambda repo: _stage_statuses(repo, process_id),
                              lambda statuses: self._statuses_did_arrive(process_id, statuses))

    # internals -------------------------------------------------------------------------------
    def _store_did_change(self, changes: Changes) -> None:
        if self.process is not None and changes.touches_process(self.process.id):
            self.refresh_statuses()

    def refresh_sync_state(self) -> None:
        """Re-read the shown stage's sync line and conflict (a sync run met a conflict)."""
        if self.process is not None and self.current_stage is not None:
            self.sync_note.show_for(self.process.id, self.current_stage)
            self.conflict_panel.show_for(self.process.id, self.current_stage)

    def _conflict_did_resolve(self, _entry_id: int) -> None:
        """The operator chose a version: the stage's form, its sync line and the statuses are re-read."""
        if self.process is None or self.current_stage is None:
            return
        page = self._pages.get(self.current_stage)
        if page is not None:
            page.load()
        self.sync_note.show_for(self.process.id, self.current_stage)
        self.refresh_statuses()

    def _process_did_load(self, process: Process, statuses: StageStatuses, stage: Stage | None,
                          field_id: str | None = None) -> None:
        self._clear_pages()
        self.process = process
        self.title.setText(process.title)
        parts = [process.ocid, process.opd_name, with_args(self.tr("Tahun %1"), process.year),
                 with_args(self.tr("Kode RUP: %1"), process.kode_rup or "—")]
        self.details.setText("   ·   ".join(parts))
        self._statuses_did_arrive(process.id, statuses)
        # A stage a reviewer returned is what the operator came to fix: it opens first.
        returned = next((s for s in Stage if statuses.get(s) == EntryStatus.RETURNED), None)
        self.show_stage(stage or returned or process.current_stage)
        self.stage_buttons[self.current_stage].setFocus(Qt.FocusReason.OtherFocusReason)
        if field_id:
            self._pages[self.current_stage].show_field(field_id)

    def _process_did_fail(self, process_id: int, exc: BaseException) -> None:
        log.warning("process %s could not be opened: %s", process_id, exc)
        self._services.db.report_failure(exc)  # the main window's notice says why the list came back
        self.back_requested.emit()

    def _statuses_did_arrive(self, process_id: int, statuses: StageStatuses) -> None:
        if self.process is None or self.process.id != process_id:
            return
        if self.current_stage is not None and statuses != self.statuses:
            self.sync_note.show_for(process_id, self.current_stage)
        self.statuses = statuses
        lang = self._services.lang
        for number, stage in enumerate(Stage, start=1):
            status = statuses.get(stage)
            button = self.stage_buttons[stage]
            button.setText(f"{number}. {stage.title(lang)}\n{status_text(status, lang)}")
            # The colours of the list's status column; the widget's own sheet wins over style.qss.
            button.setStyleSheet(f"QToolButton {{ border-top-color: {STATUS_COLOURS[status]}; }}")

    def _make_page(self, stage: Stage) -> FormPage:
        # Imported on first use: the form renderer pulls in validation (jsonschema), which the
        # start-up path to a usable list does not need. MainWindow.start preloads it when idle.
        from odc_desktop.ui.form_page import FormPage

        assert self.process is not None
        page = FormPage(self._services, self.process, stage, self)
        page.load()
        return page

    def _clear_pages(self) -> None:
        for page in self._pages.values():
            self.pages.removeWidget(page)
            page.deleteLater()
        self._pages.clear()
        self.current_stage = None
