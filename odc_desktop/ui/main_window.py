"""The main window: actions and menus, the process list and the process view in a stack, the notice
bar and the status bar. It also records whether the app exits cleanly, to restore the last draft."""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from odc_desktop.domain.forms.definition import text_in
from odc_desktop.domain.statuses import Stage
from odc_desktop.ui.forms_push import FormsPush
from odc_desktop.ui.i18n import with_args
from odc_desktop.ui.process_list_page import ProcessListPage
from odc_desktop.ui.services import Services
from odc_desktop.ui.session import CLEAN_EXIT_KEY, PreviousSession, start_session
from odc_desktop.ui.workers import DbRunner, IoRunner

if TYPE_CHECKING:
    from odc_desktop.ui.process_view import ProcessView

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """The application window.

    Signals:
        session_did_restore(process_id): the last draft of an unclean previous run was reopened.
    """

    session_did_restore = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.previous_session: PreviousSession | None = None
        self._started = False
        self._session_begun = False
        self._restore_requested = False
        self.setWindowTitle(self.tr("ODC Desktop — Open Data Kontrak Bojonegoro"))
        # A 1024×768 office screen gets a window that fits it (a smaller, virtual screen is ignored).
        available = self.screen().availableGeometry()
        if available.width() >= 1024 and available.height() >= 700:
            self.resize(min(1180, available.width()), min(740, available.height()))
        else:
            self.resize(1180, 740)
        self._build_pages()
        self._build_actions()
        self._build_status_bar()
        self.forms_push = FormsPush(self, self.file_menu)  # publish a form (admin), draft notices
        self.list_page.process_activated.connect(self.open_process)
        for runner in (services.db, services.io):  # a failed job without its own handler is shown here
            if isinstance(runner, (DbRunner, IoRunner)):
                runner.job_did_fail.connect(self.show_notice)

    # construction ----------------------------------------------------------------------------
    def _build_pages(self) -> None:
        self.list_page = ProcessListPage(self.services, self)
        self._process_view: ProcessView | None = None  # built on first use, see process_view
        self.stack = QStackedWidget(self, objectName="main_stack")
        self.stack.addWidget(self.list_page)
        self.notice_bar = QFrame(self, objectName="notice_bar")
        self.notice_text = QLabel(self.notice_bar, objectName="notice_text", wordWrap=True)
        close = QToolButton(self.notice_bar, text="×", objectName="notice_close", autoRaise=True)
        close.setToolTip(self.tr("Tutup pemberitahuan"))
        close.clicked.connect(self.notice_bar.hide)
        bar = QHBoxLayout(self.notice_bar)
        bar.setContentsMargins(12, 6, 6, 6)
        bar.addWidget(self.notice_text, 1)
        bar.addWidget(close)
        self.notice_bar.hide()
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.notice_bar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    @property
    def process_view(self) -> ProcessView:
        """The page of one process, built the first time it is needed (not to show the list)."""
        if self._process_view is None:
            from odc_desktop.ui.process_view import ProcessView  # not needed for the first window

            self._process_view = ProcessView(self.services, self)
            self._process_view.back_requested.connect(self.show_list)
            self.stack.addWidget(self._process_view)
        return self._process_view

    def _action(self, text: str, shortcuts: list[QKeySequence], slot, name: str) -> QAction:
        action = QAction(text, self, objectName=name)
        action.setShortcuts(shortcuts)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence
        self.new_action = self._action(self.tr("Paket &baru…"), [key(key.StandardKey.New)],
                                       self.new_process, "action_new_process")
        self.search_action = self._action(self.tr("&Cari"), [key(key.StandardKey.Find)],
                                          self.focus_search, "action_search")
        self.settings_action = self._action(self.tr("&Pengaturan…"), [key("Ctrl+,")],
                                            self.open_settings, "action_settings")
        self.quit_action = self._action(self.tr("&Keluar"), [key("Ctrl+Q")], self.close, "action_quit")
        self.back_action = self._action(self.tr("&Kembali ke daftar"), [key("Alt+Left"), key("Esc")],
                                        self.show_list, "action_back")
        self.back_action.setEnabled(False)
        self.import_action = self._action(self.tr("&Impor data…"), [key("Ctrl+I")], self.open_import, "action_import")
        self.new_action.setToolTip(self.tr("Buat paket pengadaan baru (Ctrl+N)"))
        self.search_action.setToolTip(self.tr("Cari paket (Ctrl+F)"))
        file_menu = self.file_menu = self.menuBar().addMenu(self.tr("&Berkas"))
        file_menu.addActions([self.new_action, self.import_action, self.settings_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        nav_menu = self.menuBar().addMenu(self.tr("&Navigasi"))
        nav_menu.addActions([self.search_action, self.back_action])
        self.review_action = self._action(self.tr("&Tinjauan verifikator"), [key("Ctrl+Shift+R")],
                                          self.open_review, "action_review")
        nav_menu.addAction(self.review_action)
        # The everyday actions sit at the right of the menu bar rather than on a toolbar of their
        # own, which would take a line of height from the form on a 768-pixel screen.
        corner = QWidget(self.menuBar(), objectName="main_toolbar")
        corner_row = QHBoxLayout(corner)
        corner_row.setContentsMargins(0, 0, 4, 0)
        corner_row.setSpacing(2)
        for action in (self.new_action, self.search_action, self.settings_action):
            button = QToolButton(corner, autoRaise=True)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            corner_row.addWidget(button)
        self.menuBar().setCornerWidget(corner, Qt.Corner.TopRightCorner)

    def open_import(self) -> None:
        """Open the import wizard ("Impor data…")."""
        from odc_desktop.ui.import_wizard import ImportWizard

        ImportWizard(self.services, self).open()

    def _build_status_bar(self) -> None:
        self.data_dir_label = QLabel(self, objectName="data_dir_label")
        self.prefix_label = QLabel(self, objectName="prefix_label")
        self.update_status_bar()  # before the status bar polishes the labels: no re-polish needed
        self.statusBar().addWidget(self.data_dir_label, 1)
        self.statusBar().addPermanentWidget(self.prefix_label)

    def update_status_bar(self) -> None:
        """Show the data folder and the OCID prefix, plainly: whether the prefix is registered is the
        admin's business (told in the tooltip and in Pengaturan lanjutan), not a warning that sits
        in front of the operator all day."""
        self.data_dir_label.setText(with_args(self.tr("Folder data: %1"), self.services.data_dir))
        settings = self.services.settings
        self.prefix_label.setText(with_args(self.tr("Prefiks OCID: %1"), settings.ocid_prefix))
        self.prefix_label.setToolTip(self.tr("Prefiks ini belum terdaftar; admin Diskominfo menggantinya "
                                             "sebelum data diterbitkan.")
                                     if settings.ocid_prefix_is_placeholder else "")

    # navigation ------------------------------------------------------------------------------
    def start(self) -> None:
        """Fill the list (asynchronously); call once after the window shows.

        Everything else waits until its first rows are painted (:meth:`_list_did_show`): the year
        filter, the previous session's markers, loading SQLAlchemy for the first write (~0.2 s of
        CPU that would otherwise delay those rows), the form renderer.
        """
        self._started = True
        self.list_page.list_did_update.connect(self._list_did_show,
                                               Qt.ConnectionType.SingleShotConnection)
        self.list_page.reload()

    def _list_did_show(self, _count: int) -> None:
        self.list_page.load_years()
        self._begin_session()
        self.services.db.run(lambda repo: repo.warm_up())
        # Import the form renderer now too, so opening the first process is quick.
        QTimer.singleShot(100, lambda: importlib.import_module("odc_desktop.ui.form_page"))

    def open_process(self, process_id: int, stage: Stage | None = None, field_id: str | None = None) -> None:
        """Switch to the process view showing ``process_id`` (at ``stage`` or its current stage, at
        the step of ``field_id`` if given)."""
        self._begin_session()  # edits may follow: this run must be marked as running first
        self.process_view.open_process(process_id, stage, field_id)
        self.stack.setCurrentWidget(self.process_view)
        self.back_action.setEnabled(True)

    def open_review(self) -> None:
        """Switch to the supervisor's review page (ui.review_page), built on first use."""
        if getattr(self, "review_page", None) is None:
            from odc_desktop.ui.review_page import ReviewPage  # not needed for the first window

            self.review_page = ReviewPage(self.services, self)
            self.review_page.back_requested.connect(self.show_list)
            self.stack.addWidget(self.review_page)
        self.review_page.reload()
        self.stack.setCurrentWidget(self.review_page)
        self.back_action.setEnabled(True)

    def show_list(self) -> None:
        """Return to the process list."""
        if self.stack.currentWidget() is self.list_page:
            return
        self.stack.setCurrentWidget(self.list_page)
        self.back_action.setEnabled(False)  # rows changed meanwhile were re-read as the changes came
        self.list_page.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_search(self) -> None:
        self.show_list()
        self.list_page.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.list_page.search.selectAll()

    def new_process(self) -> None:
        """Ask for a new process; once created, open it."""
        from odc_desktop.ui.new_process_dialog import NewProcessDialog  # not needed at start-up

        dialog = NewProcessDialog(self.services, self)
        if dialog.exec() == NewProcessDialog.DialogCode.Accepted and dialog.created is not None:
            self.open_process(dialog.created.id)  # the list shows it once the change arrives

    def open_settings(self) -> None:
        """Show the settings dialog; apply what changed."""
        from odc_desktop.ui.settings_dialog import SettingsDialog  # not needed at start-up

        dialog = SettingsDialog(self.services, self)
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            self.update_status_bar()
            if dialog.restart_needed:
                self.statusBar().showMessage(self.tr("Bahasa baru berlaku setelah aplikasi dibuka ulang."),
                                             10000)

    # crash recovery --------------------------------------------------------------------------
    def _begin_session(self) -> None:
        """Read the previous run's markers and mark this run as running (once, on the DB thread).

        Normally once the list is on screen; earlier if a process is opened or a restore is asked
        for without :meth:`start`. Not at construction: the first write loads SQLAlchemy (~0.2 s).
        """
        if not self._session_begun:
            self._session_begun = True
            self.services.db.run(start_session, self._session_did_start)

    def _session_did_start(self, previous: PreviousSession) -> None:
        self.previous_session = previous
        if self._restore_requested:
            self._restore_now()

    def restore_last_session(self) -> None:
        """Reopen the last saved draft if the previous run did not close cleanly (with a notice).

        After :meth:`start` this happens once the list is on screen; without a list, right away.
        """
        self._restore_requested = True
        if not self._started:
            self._begin_session()
        if self.previous_session is not None:
            self._restore_now()

    def _restore_now(self) -> None:
        self._restore_requested = False
        previous = self.previous_session
        if previous is None or previous.clean_exit or previous.process_id is None:
            return
        text = self.tr("Aplikasi sebelumnya tidak ditutup dengan benar. Draf terakhir Anda telah dipulihkan.")
        label = self._field_label(previous)
        if label:
            # Autosave waits for a pause in typing, so the last keystrokes may not have reached it.
            text += " " + with_args(self.tr("Periksa isian “%1” dan isian sesudahnya: yang diketik "
                                            "dalam sedetik terakhir sebelum aplikasi berhenti mungkin belum "
                                            "tersimpan."), label)
        self.show_notice(text)
        self.open_process(previous.process_id, previous.stage, previous.field_id)
        self.session_did_restore.emit(previous.process_id)

    def _field_label(self, previous: PreviousSession) -> str:
        """The label of the field edited last before the crash, in the UI language ("" if unknown)."""
        if previous.stage is None or not previous.field_id:
            return ""
        form = self.services.forms.current(previous.stage)
        for section in form.sections:
            for field in section.fields:
                if field.id == previous.field_id:
                    return text_in(field.label, self.services.lang)
        return ""

    def show_notice(self, text: str) -> None:
        """Show a non-blocking notice above the pages (closed with its × button)."""
        self.notice_text.setText(text)
        self.notice_bar.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Pending saves run first (the runner is serial), then the clean-exit marker.
        self.services.db.run(lambda repo: repo.set_meta(CLEAN_EXIT_KEY, "1"))
        self.services.db.wait_idle()
        super().closeEvent(event)
