"""The "Masuk ke server" dialog: server address, username, password.

The sign-in itself runs on the sync worker (:meth:`SyncController.sign_in`): online through the
server the first time, offline against the cached argon2 hash afterwards
(:mod:`odc_desktop.offline_login`). The dialog stays open, with the reason, when it is refused.
Enter signs in, Esc cancels.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from odc_desktop.ui.sync_controller import SyncController


class LoginDialog(QDialog):
    """Asks for the server address, username and password and signs in through ``controller``;
    closes with Accepted once signed in (``signed_in`` then holds who), and says why when refused."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None, *,
                 username: str = "", password: str = ""):
        super().__init__(parent)
        self.controller = controller
        self.signed_in = None
        self.setWindowTitle(self.tr("Masuk ke server ODC"))
        self.setMinimumWidth(440)
        self.server = QLineEdit(controller.server_url, self, objectName="login_server")
        self.username = QLineEdit(username or (controller.state.username or ""), self, objectName="login_username")
        self.password = QLineEdit(password, self, objectName="login_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        intro = QLabel(self.tr("Masuk sekali dengan internet; sesudahnya Anda juga dapat masuk tanpa "
                               "internet di komputer ini dengan kata sandi yang sama."), self, wordWrap=True)
        intro.setProperty("role", "help")
        self.message = QLabel(self, objectName="login_message", wordWrap=True)
        self.message.setProperty("role", "error")
        self.message.hide()
        form = QFormLayout()
        for text, widget in ((self.tr("&Alamat server:"), self.server), (self.tr("&Nama pengguna:"), self.username),
                             (self.tr("&Kata sandi:"), self.password)):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(self.tr("&Masuk"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("login_ok")
        self.ok_button.setDefault(True)  # Enter in any field signs in
        cancel = self.buttons.addButton(self.tr("&Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("login_cancel")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        controller.sign_in_did_finish.connect(self._did_sign_in)
        controller.sign_in_did_fail.connect(self._did_fail)
        self._listening = True
        (self.password if self.username.text() else self.username).setFocus()

    def submit(self) -> None:
        """Sign in with what was typed (on the sync worker); the answer closes the dialog or says why."""
        if not self.ok_button.isEnabled():
            return
        self.ok_button.setEnabled(False)
        self.message.setText(self.tr("Menghubungi server…"))
        self.message.setProperty("role", "help")
        self.message.show()
        self.controller.sign_in(self.server.text(), self.username.text(), self.password.text())

    def _did_sign_in(self, who) -> None:
        if self.ok_button.isEnabled():
            return  # not this dialog's request
        self.signed_in = who
        self.accept()

    def _did_fail(self, message: str) -> None:
        if self.ok_button.isEnabled():
            return
        self.ok_button.setEnabled(True)
        self.message.setProperty("role", "error")
        self.message.setText(message)
        self.message.show()
        self.password.selectAll()
        self.password.setFocus()

    def done(self, result: int) -> None:
        if self._listening:  # the controller outlives the dialog
            self._listening = False
            self.controller.sign_in_did_finish.disconnect(self._did_sign_in)
            self.controller.sign_in_did_fail.disconnect(self._did_fail)
        super().done(result)
