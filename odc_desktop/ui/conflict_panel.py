"""The way out of a push conflict in the process view: under the sync line, what happened in plain
Indonesian (with the server's revision) and "Lihat perbedaan…", which opens :class:`ConflictDialog`: the
fields that differ (SOP label, mine, the server's) and "Pakai versi saya" / "Pakai versi server" (for an
entry approved on the server meanwhile: "Buat perubahan dengan versi saya"). The choice runs as one
workflow operation on the database runner (:mod:`odc_desktop.workflow.conflicts`); the runner then
announces what changed, so the list refreshes, and the panel tells the view to reload the stage.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from odc_desktop.domain.statuses import Stage
from odc_desktop.ui.i18n import with_args
from odc_desktop.ui.services import Services

log = logging.getLogger(__name__)


def _conflict_of_stage(repo: Any, forms: Any, process_id: int, stage: Stage) -> Any:
    from odc_desktop.workflow.conflicts import conflict_of

    entry = repo.current_entry(process_id, stage)
    return conflict_of(repo, entry.id, forms) if entry is not None else None


class ConflictPanel(QFrame):
    """The shown stage's conflict with the server (hidden when it has none).

    Signals:
        conflict_did_resolve(entry_id): the operator chose a version and the store took it.
    """

    conflict_did_resolve = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent, objectName="conflict_panel")
        self._services = services
        self._showing: tuple[int, Stage] | None = None
        self.conflict: Any = None
        self.dialog: ConflictDialog | None = None
        self.text = QLabel(self, objectName="conflict_text", wordWrap=True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setProperty("role", "error")
        self.show_button = QPushButton(self.tr("&Lihat perbedaan…"), self, objectName="conflict_show")
        self.show_button.clicked.connect(self.open_dialog)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.show_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_for(self, process_id: int, stage: Stage) -> None:
        """Read (on the DB runner) and show the conflict of ``stage``'s current entry, if any."""
        self._showing = (process_id, stage)
        forms = self._services.forms
        self._services.db.run(lambda repo: _conflict_of_stage(repo, forms, process_id, stage),
                              lambda found: self._conflict_did_arrive(process_id, stage, found),
                              lambda exc: log.warning("conflict of %s/%s unreadable: %s", process_id, stage, exc))

    def _conflict_did_arrive(self, process_id: int, stage: Stage, found: Any) -> None:
        if self._showing != (process_id, stage):
            return
        self.conflict = found
        if found is not None:
            self.text.setText(self.describe(found))
        self.setVisible(found is not None)

    def describe(self, conflict: Any) -> str:
        """What happened, in the operator's words, with the server's revision."""
        revision = conflict.server_revision if conflict.server_revision is not None else "-"
        if conflict.kind == "entry_locked":
            said = self.tr("Konflik: entri ini sudah disetujui di server (revisi %1), jadi versi Anda tidak "
                           "bisa menimpanya.")
        elif conflict.kind == "revision_taken":
            said = self.tr("Konflik: entri ini juga diubah di komputer lain; server sudah memegang revisi %1 "
                           "dengan isi lain.")
        elif conflict.kind == "stale_base":
            said = self.tr("Konflik: server memegang revisi %1, bukan revisi yang menjadi dasar suntingan ini "
                           "(misalnya data dipulihkan dari cadangan lama).")
        else:
            said = self.tr("Konflik dengan server (revisi server %1).")
        return with_args(said, revision) + " " + self.tr("Entri ini tidak dikirim sampai Anda memilih versi.")

    def open_dialog(self) -> None:
        if self.conflict is None:
            return
        self.dialog = ConflictDialog(self._services, self.conflict, self)
        self.dialog.choice_did_apply.connect(self._choice_did_apply)
        self.dialog.open()

    def _choice_did_apply(self, entry_id: int) -> None:
        self.conflict = None
        self.hide()
        self.conflict_did_resolve.emit(entry_id)


def _shown(value: Any, empty: str) -> str:
    if value in (None, "", [], {}):
        return empty
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class ConflictDialog(QDialog):
    """The differing fields of one conflict and the two ways out.

    Signals:
        choice_did_apply(entry_id): the chosen version was stored (the dialog then closes).
    """

    choice_did_apply = Signal(int)

    def __init__(self, services: Services, conflict: Any, parent: QWidget | None = None):
        super().__init__(parent, objectName="conflict_dialog")
        self._services, self.conflict = services, conflict
        self.setWindowTitle(self.tr("Perbedaan dengan versi server"))
        lang = services.lang
        intro = QLabel(with_args(self.tr("Isian yang berbeda antara versi Anda dan versi server (revisi %1):"),
                                 conflict.server_revision if conflict.server_revision is not None else "-"), self)
        intro.setWordWrap(True)
        self.table = QTableWidget(len(conflict.differences), 3, self, objectName="conflict_table")
        self.table.setHorizontalHeaderLabels([self.tr("Isian"), self.tr("Versi saya"), self.tr("Versi server")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        empty = self.tr("(kosong)")
        for row, difference in enumerate(conflict.differences):
            label = difference.label.get(lang) or difference.label.get("id") or difference.field
            for column, value in enumerate((label, _shown(difference.mine, empty), _shown(difference.server, empty))):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.documents = QLabel(self.tr("Dokumen juga berbeda antara versi Anda dan versi server."), self)
        self.documents.setVisible(conflict.documents_differ)
        self.error = QLabel(self, objectName="conflict_error", wordWrap=True)
        self.error.setProperty("role", "error")
        self.error.hide()
        locked = conflict.kind == "entry_locked"
        self.mine_button = QPushButton(self.tr("Buat perubahan dengan &versi saya") if locked
                                       else self.tr("Pakai versi &saya"), self, objectName="conflict_keep_mine")
        self.server_button = QPushButton(self.tr("Pakai versi s&erver"), self, objectName="conflict_take_server")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.mine_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.server_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.mine_button.clicked.connect(self.keep_mine)
        self.server_button.clicked.connect(self.take_server)
        layout = QVBoxLayout(self)
        for widget in (intro, self.table, self.documents, self.error, buttons):
            layout.addWidget(widget)
        self.resize(720, 360)

    def keep_mine(self) -> None:
        from odc_desktop.workflow.conflicts import change_with_mine, keep_mine

        entry_id, forms = self.conflict.entry_id, self._services.forms
        if self.conflict.kind == "entry_locked":
            self._apply(lambda repo: change_with_mine(repo, forms, entry_id, repo.get_sync_state("server_key")))
        else:
            self._apply(lambda repo: keep_mine(repo, entry_id))

    def take_server(self) -> None:
        from odc_desktop.workflow.conflicts import take_server

        entry_id = self.conflict.entry_id
        self._apply(lambda repo: take_server(repo, entry_id, repo.get_sync_state("server_key")))

    def _apply(self, job: Any) -> None:
        self.mine_button.setEnabled(False)
        self.server_button.setEnabled(False)
        self._services.db.run(job, lambda _changed: self._did_apply(), self._did_fail)

    def _did_apply(self) -> None:
        self.choice_did_apply.emit(self.conflict.entry_id)
        self.accept()

    def _did_fail(self, exc: BaseException) -> None:
        say = getattr(exc, "message", None)
        self.error.setText(say(self._services.lang) if callable(say) else self.tr("Pilihan ini tidak dapat disimpan."))
        log.warning("conflict of entry %s not resolved: %s", self.conflict.entry_id, exc)
        self.error.show()
        self.mine_button.setEnabled(True)
        self.server_button.setEnabled(True)
