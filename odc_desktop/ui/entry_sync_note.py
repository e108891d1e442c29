"""One line under the process view's step bar saying where the shown stage's entry stands with the
server: waiting to be sent (and why it is still waiting), received (with the receipt's time), or
refused, with the server's reasons per field. Hidden for entries that were never sent."""

from __future__ import annotations

import logging

from PySide6.QtCore import QDateTime, QLocale, Qt
from PySide6.QtWidgets import QLabel, QWidget

from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.sync_status import EntrySyncState, entry_sync_state
from odc_desktop.ui.i18n import with_args
from odc_desktop.ui.services import Services

log = logging.getLogger(__name__)


class EntrySyncNote(QLabel):
    """The sync state of one stage's entry, read on the DB runner (:meth:`show_for`)."""

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent, objectName="entry_sync_note", wordWrap=True)
        self._services = services
        self._showing: tuple[int, Stage] | None = None
        self.state: EntrySyncState | None = None
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_for(self, process_id: int, stage: Stage) -> None:
        """Read and show the sync state of ``stage``'s current entry of ``process_id``."""
        self._showing = (process_id, stage)
        lang = self._services.lang
        self._services.db.run(lambda repo: entry_sync_state(repo, process_id, stage, lang),
                              lambda state: self._state_did_arrive(process_id, stage, state),
                              lambda exc: log.warning("sync state of %s/%s unreadable: %s", process_id, stage, exc))

    def _state_did_arrive(self, process_id: int, stage: Stage, state: EntrySyncState) -> None:
        if self._showing != (process_id, stage):
            return
        self.state = state
        text, role = self._describe(state)
        self.setText(text)
        self.setProperty("role", role)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setVisible(bool(text))

    def _describe(self, state: EntrySyncState) -> tuple[str, str]:
        if state.status == EntryStatus.REJECTED_BY_SERVER:
            lines = [self.tr("Ditolak server. Perbaiki isian berikut, tandai Siap, lalu kirim lagi:")]
            lines += [f"• {reason.field}: {reason.message}" if reason.field else f"• {reason.message}"
                      for reason in state.reasons]
            return "\n".join(lines), "error"
        if state.status == EntryStatus.QUEUED:
            if state.problem == "conflict":  # the ConflictPanel below says what happened and offers the choice
                return self.tr("Belum dikirim: menunggu Anda memilih versi (lihat konflik di bawah)."), "help"
            text = self.tr("Menunggu dikirim ke server pada sinkronisasi berikutnya.")
            if state.problem:
                text += " " + with_args(self.tr("Percobaan terakhir belum berhasil (%1)."), state.problem)
            return text, "help"
        if state.status in (EntryStatus.SUBMITTED, EntryStatus.APPROVED, EntryStatus.RETURNED) and state.accepted_at:
            return with_args(self.tr("Diterima server (tanda terima %1)."), _local_time(state.accepted_at)), "help"
        return "", "help"


def _local_time(stamp: str) -> str:
    """The receipt's UTC time (ISO 8601) in this PC's time zone and locale; the stamp as it is when
    it cannot be read."""
    when = QDateTime.fromString(stamp.replace("Z", "+00:00"), Qt.DateFormat.ISODateWithMs)
    if not when.isValid():
        return stamp
    return QLocale().toString(when.toLocalTime(), QLocale.FormatType.ShortFormat)
