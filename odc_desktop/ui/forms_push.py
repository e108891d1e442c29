"""Form updates in the app: the admin's "Terbitkan versi formulir…" and the operator's notices about
drafts that stay on an older form version.

The publishing itself is the Qt-free :func:`odc_sync.client.publish.publish_form` (the same code as
``odc forms publish``): the sign-in is read on the database runner, the file is checked and sent on
the I/O runner, and the answer comes back to the GUI thread. The action is shown only while the
account signed in on this PC is an admin (the role the server gave at login, in ``sync_state``).
The notices are those :mod:`odc_sync.client.forms` keeps in ``sync_state`` after a sync.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from odc_desktop.messages import CodedError, text
from odc_desktop.ui.i18n import with_args

if TYPE_CHECKING:
    from odc_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)

#: Drafts named one by one in the notice bar (the bar stays a few lines high).
NOTICES_SHOWN = 3


def _state_job(forms: Any):  # noqa: ANN202
    """Job (database runner): form versions a sync stored since are taken into ``forms``; then
    whether an admin is signed in, and the pending migration notices."""
    from odc_sync.client.forms import migration_notices
    from odc_sync.client.publish import is_admin

    def job(repo: Any) -> tuple[bool, list[dict[str, Any]]]:
        if hasattr(forms, "rescan"):
            forms.rescan()
        return is_admin(repo), migration_notices(repo)
    return job


class FormsPush(QObject):
    """The form-update parts of ``window`` (its file menu gets the publish action).

    Call :meth:`refresh` after a sign-in or a sync (it also runs once when the list first shows).

    Signals:
        state_did_refresh(is_admin, notice_count): the role and the notices were read again.
        form_did_publish(form): the server answered the published form (signed, verified).
        publish_did_fail(message): publishing was refused or the server could not be reached.
    """

    state_did_refresh = Signal(bool, int)
    form_did_publish = Signal(dict)
    publish_did_fail = Signal(str)

    def __init__(self, window: MainWindow, file_menu: Any) -> None:
        super().__init__(window)
        # No Python reference back to the window (it is the Qt parent): a cycle between the two would
        # be left to the cyclic collector, which may run on a worker thread (see ui/workers.py).
        self.services = window.services
        self.publish_action = QAction(self.tr("Terbitkan versi formulir…"), window, objectName="action_publish_form")
        self.publish_action.setToolTip(self.tr("Kirim berkas formulir (.yaml) versi baru ke server pusat; "
                                               "komputer lain menerimanya saat sinkronisasi (khusus admin)"))
        self.publish_action.triggered.connect(self.choose_and_publish)
        self.publish_action.setVisible(False)  # until the role is read
        separator = next((a for a in file_menu.actions() if a.isSeparator()), None)
        file_menu.insertAction(separator, self.publish_action)  # with the other file actions
        window.list_page.list_did_update.connect(self.refresh, Qt.ConnectionType.SingleShotConnection)

    def _window(self) -> MainWindow:
        return self.parent()  # type: ignore[return-value]

    def refresh(self, *_args: Any) -> None:
        """Read the role, the notices and newly stored form versions again (off the GUI thread);
        show the notices."""
        self.services.db.run(_state_job(self.services.forms), self._state_did_arrive)

    def _state_did_arrive(self, state: tuple[bool, list[dict[str, Any]]]) -> None:
        admin, notices = state
        self.publish_action.setVisible(admin)
        self.publish_action.setEnabled(admin)
        if notices:
            from odc_sync.client.forms import notice_text

            lines = [notice_text(n, self.services.lang) for n in notices[:NOTICES_SHOWN]]
            if len(notices) > NOTICES_SHOWN:
                lines.append(with_args(self.tr("… dan %1 draf lain tetap memakai versi formulir lama."),
                                       len(notices) - NOTICES_SHOWN))
            self._window().show_notice("\n".join(lines))
        self.state_did_refresh.emit(admin, len(notices))

    def choose_and_publish(self) -> None:
        """Ask for the form file, then publish it."""
        path, _ = QFileDialog.getOpenFileName(self._window(), self.tr("Pilih berkas formulir yang diterbitkan"),
                                              "", self.tr("Berkas formulir (*.yaml *.yml)"))
        if path:
            self.publish_file(Path(path))

    def publish_file(self, path: Path) -> None:
        """Check and publish the form file ``path`` off the GUI thread; the result is shown in the
        notice bar (and said by :attr:`form_did_publish` / :attr:`publish_did_fail`)."""
        from odc_sync.client.publish import publish_form, sign_in_of

        self.publish_action.setEnabled(False)
        forms = self.services.forms
        shipped = getattr(forms, "shipped", forms)

        def send(sign_in: dict[str, str]) -> None:
            self.services.io.run(lambda: publish_form(path, shipped, sign_in), self._did_publish, self._did_fail)

        self.services.db.run(sign_in_of, send, self._did_fail)

    def _did_publish(self, signed: dict[str, Any]) -> None:
        self.publish_action.setEnabled(True)
        self._window().show_notice(text("forms_push.published", self.services.lang, form_id=signed.get("id"),
                                     version=signed.get("version"), stage=signed.get("stage"),
                                     short_hash=str(signed.get("hash"))[:12]))
        self.form_did_publish.emit(signed)

    def _did_fail(self, exc: BaseException) -> None:
        self.publish_action.setEnabled(True)
        if isinstance(exc, CodedError):
            said = exc.message(self.services.lang)
        else:
            log.error("publishing a form failed", exc_info=exc)
            said = self.tr("Formulir tidak dapat diterbitkan karena kesalahan tak terduga; rinciannya ada "
                           "di berkas log.")
        self._window().show_notice(said)
        self.publish_did_fail.emit(said)
