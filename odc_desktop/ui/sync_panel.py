"""Sync in the main window: the "Sinkronisasi" menu (sign in, send ready entries, sync now) and the
status-bar indicator (online or offline, what is waiting to be sent, the last contact).

:func:`install_sync` adds both to a :class:`MainWindow` and stops the controller when the app
closes; the window itself knows nothing of sync.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLocale, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QWidget

from odc_desktop.sync_status import QueueResult, queue_ready_entries
from odc_desktop.ui.i18n import with_args
from odc_desktop.ui.sync_controller import SyncController, SyncState

if TYPE_CHECKING:
    from odc_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def size_text(size: int) -> str:
    """A byte count as people read it (QLocale's KB/MB, in the app's language)."""
    return QLocale().formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeSIFormat)


class SyncStatusLabel(QLabel):
    """The status-bar indicator; its tooltip holds the last run's summary or what stopped it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, objectName="sync_status")
        self.show_state(SyncState())

    def show_state(self, state: SyncState) -> None:
        if state.online is None:
            where = self.tr("Server: memeriksa…")
        elif state.online:
            where = self.tr("● Daring")
        else:
            where = self.tr("○ Luring")
        parts = [where]
        if state.running:
            parts.append(self.tr("menyinkronkan…"))
        if state.pending.items:
            parts.append(with_args(self.tr("%1 entri (%2) menunggu"), QLocale().toString(state.pending.items),
                                   size_text(state.pending.bytes)))
        else:
            parts.append(self.tr("tidak ada yang menunggu"))
        if state.last_contact is not None:
            parts.append(with_args(self.tr("kontak terakhir %1"),
                                   QLocale().toString(state.last_contact.time(), QLocale.FormatType.ShortFormat)))
        self.setText(" · ".join(parts))
        self.setProperty("online", "yes" if state.online else "no")
        self.setToolTip(self._tooltip(state))

    def _tooltip(self, state: SyncState) -> str:
        lines = []
        if not state.signed_in:
            lines.append(self.tr("Belum masuk ke server: Sinkronisasi → Masuk ke server…"))
        elif state.username:
            lines.append(with_args(self.tr("Masuk sebagai %1"), state.username))
        summary = state.last_summary
        if summary is not None:
            lines.append(with_args(self.tr("Sinkronisasi terakhir: %1 dikirim, %2 diterima, %3 sudah ada di server, "
                                           "%4 konflik, %5 ditolak, %6 diunggah; %7 masih menunggu."),
                                   summary.pushed, summary.accepted, summary.duplicates, summary.conflicts,
                                   summary.rejected, size_text(summary.uploaded_bytes), summary.pending))
        if state.last_error:
            lines.append(with_args(self.tr("Terhenti: %1"), state.last_error))
        if state.last_contact is not None:
            lines.append(with_args(self.tr("Kontak terakhir dengan server: %1"),
                                   QLocale().toString(state.last_contact, QLocale.FormatType.LongFormat)))
        return "\n".join(lines)


class SyncActions(QObject):
    """The "Sinkronisasi" menu of the main window and what its actions do."""

    def __init__(self, window: MainWindow, controller: SyncController, *, username: str = "",
                 password: str = ""):
        super().__init__(window)
        self.window, self.controller = window, controller
        self._prefill = (username, password)
        self.login_action = self._action(self.tr("&Masuk ke server…"), "Ctrl+Shift+L", self.open_login,
                                         "action_login")
        self.submit_action = self._action(self.tr("&Kirim ke server"), "Ctrl+Shift+K", self.submit_ready,
                                          "action_submit")
        self.submit_action.setToolTip(self.tr("Antrekan semua entri berstatus Siap untuk dikirim, lalu sinkronkan"))
        self.sync_action = self._action(self.tr("&Sinkronkan sekarang"), "F9", self.sync_now, "action_sync_now")
        self.sync_action.setToolTip(self.tr("Kirim entri yang menunggu dan ambil hasil verifikasi (F9)"))
        menu = window.menuBar().addMenu(self.tr("Sin&kronisasi"))
        menu.setObjectName("sync_menu")
        menu.addActions([self.login_action, self.submit_action, self.sync_action])
        self.status = SyncStatusLabel(window)
        window.statusBar().addPermanentWidget(self.status)
        controller.state_did_change.connect(self.status.show_state)
        controller.sync_did_finish.connect(self._sync_did_finish)

    def _action(self, text: str, keys: str, slot, name: str) -> QAction:
        action = QAction(text, self.window, objectName=name)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def open_login(self) -> None:
        """Show the sign-in dialog (prefilled in a demo)."""
        from odc_desktop.ui.login_dialog import LoginDialog

        username, password = self._prefill
        dialog = LoginDialog(self.controller, self.window, username=username, password=password)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one per request, gone once answered
        dialog.open()

    def sync_now(self) -> None:
        """Sync now; before the first sign-in of this session, ask to sign in (which then syncs)."""
        if self.controller.state.signed_in:
            self.controller.sync_now()
        else:
            self.open_login()

    def submit_ready(self) -> None:
        """Queue every ready entry (on the DB runner), then sync."""
        lang = self.controller.services.lang
        self.controller.services.db.run(lambda repo: queue_ready_entries(repo, lang=lang), self._did_queue)

    def _did_queue(self, result: QueueResult) -> None:
        if result.queued:
            self.window.statusBar().showMessage(
                with_args(self.tr("%1 entri diantrekan untuk dikirim."), QLocale().toString(len(result.queued))), 10000)
            self.controller.refresh_pending()
            self.controller.sync_now()
        elif not result.other_opd:
            self.window.show_notice(self.tr("Tidak ada entri berstatus Siap untuk dikirim. Tandai entri sebagai "
                                            "Siap di formulirnya terlebih dahulu."))
        if result.other_opd:
            self.window.show_notice(with_args(self.tr("%1 entri siap milik OPD lain tidak dikirim: akun Anda "
                                                      "hanya dapat mengirim data OPD-nya sendiri."),
                                              QLocale().toString(result.other_opd)))
        for _entry_id, reason in result.refused:
            log.info("entry not queued: %s", reason)

    def _sync_did_finish(self, summary) -> None:
        if summary is not None and summary.rejected:
            self.window.show_notice(with_args(self.tr("Server menolak %1 entri. Buka paketnya untuk melihat "
                                                      "alasannya."), summary.rejected))
        elif summary is not None and summary.conflicts:
            self.window.show_notice(with_args(self.tr("%1 entri berkonflik dengan versi di server. Buka paketnya "
                                                      "lalu pilih \"Lihat perbedaan…\"."), summary.conflicts))


def install_sync(window: MainWindow, controller: SyncController, *, username: str = "",
                 password: str = "") -> SyncActions:
    """Add the sync menu and indicator to ``window`` (the caller starts ``controller`` and shuts it
    down). ``username``/``password`` prefill the sign-in dialog (the demo's account)."""
    actions = SyncActions(window, controller, username=username, password=password)
    window.sync_actions = actions
    controller.sign_in_did_finish.connect(lambda _who: window.forms_push.refresh())  # the role may change
    controller.sync_did_finish.connect(lambda summary: _show_what_sync_brought(window, summary))
    return actions


def _show_what_sync_brought(window: MainWindow, summary: Any) -> None:
    """A run that brought form versions or draft notices refreshes the admin action and the notices;
    one that pulled the review queue reloads the review page when it has been opened."""
    if summary is None:
        return
    if summary.forms_received or summary.migration_notices or summary.drafts_migrated:
        window.forms_push.refresh()
    page = getattr(window, "review_page", None)
    if summary.review_queue is not None and page is not None:
        page.reload()
    shown = window.stack.currentWidget()
    if summary.conflicts and hasattr(shown, "refresh_sync_state"):  # the open process view: its conflict panel
        shown.refresh_sync_state()
