"""The supervisor's review page: the queue pulled by the last sync (offline too), the entry with its
SOP-labelled fields next to the previous revision (changes highlighted), its documents (downloaded
from the server and opened), the red flags of its process, and the decision: approve, or return with
a note on the entry and notes on single fields. A decision is queued and sent by the next sync.

Reads and writes run on the DB runner (writes through :mod:`odc_desktop.workflow.review`); a document
is fetched on the I/O runner. Signals:
    queue_did_load(count): the queue is on screen.
    decision_did_queue(entry_uid): a decision was kept for the next sync.
    document_did_open(path): a document was fetched and handed to the desktop.
    back_requested(): the user asked to go back to the process list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem, QPlainTextEdit,
    QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from odc_desktop.domain.review import ReviewItem, refusal_text
from odc_desktop.domain.statuses import Stage
from odc_desktop.ui.i18n import with_args
from odc_desktop.ui.services import Services

CHANGED = QColor("#fff3bf")  # a field that differs from the previous revision
NOTE_COLUMN = 4


def _load_queue(services: Services) -> Callable[[Any], list[tuple[ReviewItem, list[dict[str, str]]]]]:
    def job(repo: Any) -> list[tuple[ReviewItem, list[dict[str, str]]]]:
        from odc_desktop.domain.review_flags import process_flags

        items = repo.list_review_items()
        return [(item, process_flags(item, items, services.forms, services.lang)) for item in items]

    return job


def open_with_desktop(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ReviewPage(QWidget):
    """The review queue and the entry under review (see the module docstring for its signals)."""

    queue_did_load = Signal(int)
    decision_did_queue = Signal(str)
    document_did_open = Signal(str)
    back_requested = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None,
                 open_file: Callable[[Path], None] = open_with_desktop):
        super().__init__(parent)
        self.services, self.open_file = services, open_file
        self.items: list[tuple[ReviewItem, list[dict[str, str]]]] = []
        self.current: ReviewItem | None = None
        self._build()

    def _build(self) -> None:
        back = QPushButton(self.tr("← Daftar paket"), self, objectName="review_back")
        back.clicked.connect(self.back_requested)
        refresh = QPushButton(self.tr("Muat ulang antrean"), self, objectName="review_reload")
        refresh.clicked.connect(self.reload)
        top = QHBoxLayout()
        top.addWidget(back)
        top.addWidget(QLabel(self.tr("Tinjauan verifikator"), self, objectName="review_title"), 1)
        top.addWidget(refresh)
        self.queue = QListWidget(self, objectName="review_queue")
        self.queue.currentRowChanged.connect(self._show_row)
        self.header = QLabel(self, objectName="review_header", wordWrap=True)
        self.fields = QTableWidget(0, 5, self, objectName="review_fields")
        self.fields.setHorizontalHeaderLabels([self.tr("SOP"), self.tr("Isian"), self.tr("Nilai"),
                                               self.tr("Revisi sebelumnya"), self.tr("Catatan isian")])
        self.fields.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.fields.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.documents = QListWidget(self, objectName="review_documents")
        self.documents.itemActivated.connect(self._open_document)
        self.open_button = QPushButton(self.tr("&Buka dokumen"), self, objectName="review_open")
        self.open_button.clicked.connect(lambda: self._open_document(self.documents.currentItem()))
        self.flags = QListWidget(self, objectName="review_flags")
        self.note = QPlainTextEdit(self, objectName="review_note")
        self.note.setPlaceholderText(self.tr("Catatan untuk seluruh entri (wajib bila dikembalikan)"))
        self.note.setMaximumHeight(80)
        self.approve_button = QPushButton(self.tr("&Setujui"), self, objectName="review_approve")
        self.approve_button.clicked.connect(lambda: self._decide("approve"))
        self.return_button = QPushButton(self.tr("&Kembalikan dengan catatan"), self, objectName="review_return")
        self.return_button.clicked.connect(lambda: self._decide("return"))
        self.message = QLabel(self, objectName="review_message", wordWrap=True)
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.addWidget(self.header)
        column.addWidget(self.fields, 3)
        column.addWidget(QLabel(self.tr("Dokumen"), right))
        docs = QHBoxLayout()
        docs.addWidget(self.documents, 1)
        docs.addWidget(self.open_button)
        column.addLayout(docs, 1)
        column.addWidget(QLabel(self.tr("Tanda bahaya (red flag)"), right))
        column.addWidget(self.flags, 1)
        column.addWidget(self.note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.return_button)
        buttons.addWidget(self.approve_button)
        column.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.queue)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self._show_item(None)

    # the queue -------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the stored queue (with each process's red flags) and show it."""
        self.services.db.run(_load_queue(self.services), self._queue_did_load, self._did_fail)

    def _queue_did_load(self, items: list[tuple[ReviewItem, list[dict[str, str]]]]) -> None:
        keep = self.current.entry_uid if self.current else None
        self.items = items
        self.queue.blockSignals(True)
        self.queue.clear()
        for item, flags in items:
            stage = Stage(item.stage).title(self.services.lang)
            line = with_args(self.tr("%1 — %2 (revisi %3)"), item.ocid, stage, item.revision)
            if item.decision is not None:
                line += " · " + self._decision_text(item)
            row = QListWidgetItem(line + (with_args(self.tr(" · %1 tanda bahaya"), len(flags)) if flags else ""))
            row.setData(Qt.ItemDataRole.UserRole, item.entry_uid)
            self.queue.addItem(row)
        self.queue.blockSignals(False)
        rows = [i.entry_uid for i, _f in items]
        self.queue.setCurrentRow(rows.index(keep) if keep in rows else (0 if rows else -1))
        if not rows:
            self._show_item(None)
        self.queue_did_load.emit(len(items))

    def _decision_text(self, item: ReviewItem) -> str:
        decision = item.decision
        said = self.tr("disetujui") if decision.decision == "approve" else self.tr("dikembalikan")
        if decision.status.value == "refused":
            return with_args(self.tr("%1: ditolak server — %2"), said, refusal_text(decision.error or "", self.services.lang))
        if decision.status.value == "sent":
            return with_args(self.tr("%1: terkirim"), said)
        return with_args(self.tr("%1: menunggu sinkronisasi"), said)

    def _show_row(self, row: int) -> None:
        self._show_item(self.items[row] if 0 <= row < len(self.items) else None)

    # the entry -------------------------------------------------------------------------------
    def _show_item(self, found: tuple[ReviewItem, list[dict[str, str]]] | None) -> None:
        from odc_desktop.domain.review_view import document_rows, field_rows

        item, flags = found if found else (None, [])
        self.current = item
        for widget in (self.approve_button, self.return_button, self.open_button, self.note):
            widget.setEnabled(item is not None)
        self.fields.setRowCount(0)
        self.documents.clear()
        self.flags.clear()
        self.note.clear()
        if item is None:
            self.header.setText(self.tr("Tidak ada entri yang menunggu tinjauan. Sinkronkan untuk memperbarui."))
            return
        header = with_args(self.tr("%1 · %2 · revisi %3 · dikirim oleh %4"), item.ocid,
                           Stage(item.stage).title(self.services.lang), item.revision, item.item.get("author") or "-")
        if item.item.get("supersedes"):
            header += " · " + self.tr("perubahan atas entri yang sudah disetujui")
        if item.decision is not None:
            header += "\n" + self._decision_text(item)
        self.header.setText(header)
        rows = field_rows(self.services.forms, item, self.services.lang)
        self.fields.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate((row.sop_step, row.label, row.value, row.previous)):
                cell = QTableWidgetItem(value)
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if row.changed:
                    cell.setBackground(QBrush(CHANGED))
                self.fields.setItem(r, c, cell)
            note = QTableWidgetItem("")
            note.setData(Qt.ItemDataRole.UserRole, row.field_id)
            self.fields.setItem(r, NOTE_COLUMN, note)
        for document in document_rows(item):
            line = QListWidgetItem(f"{document.name} ({document.document_type}, {document.size:,} B)")
            line.setData(Qt.ItemDataRole.UserRole, document)
            self.documents.addItem(line)
        for flag in flags:
            self.flags.addItem(f"{flag['path']}: {flag['message']}")
        if not flags:
            self.flags.addItem(self.tr("Tidak ada tanda bahaya."))

    def field_notes(self) -> list[tuple[str, str]]:
        """(field id, note) of every field the reviewer wrote a note on."""
        notes = []
        for r in range(self.fields.rowCount()):
            cell = self.fields.item(r, NOTE_COLUMN)
            if cell is not None and cell.text().strip():
                notes.append((cell.data(Qt.ItemDataRole.UserRole), cell.text().strip()))
        return notes

    # decisions and documents -----------------------------------------------------------------
    def _decide(self, decision: str) -> None:
        if self.current is None:
            return
        uid, note, field_notes, forms = self.current.entry_uid, self.note.toPlainText(), self.field_notes(), self.services.forms

        def job(repo: Any) -> str:
            from odc_desktop.workflow.review import decide, signed_in_reviewer

            who = signed_in_reviewer(repo)
            return decide(repo, uid, decision, note, field_notes, decided_by=who, forms=forms, actor=who).entry_uid

        self.services.db.run(job, self._decision_did_queue, self._did_fail)

    def _decision_did_queue(self, uid: str) -> None:
        self.message.setText(self.tr("Keputusan disimpan; dikirim pada sinkronisasi berikutnya."))
        self.decision_did_queue.emit(uid)
        self.reload()

    def _open_document(self, line: QListWidgetItem | None) -> None:
        if line is None:
            return
        document = line.data(Qt.ItemDataRole.UserRole)
        folder = self.services.data_dir / "review-documents"

        def signed_in(repo: Any) -> tuple[str, str | None]:
            return repo.get_sync_state("server_url") or "", repo.get_sync_state("token")

        def fetch(login: tuple[str, str | None]) -> None:
            from odc_sync.client.review import download_document

            self.services.io.run(lambda: download_document(*login, document.url, document.sha256, folder,
                                                           document.name),
                                 self._document_did_arrive, self._did_fail)

        self.services.db.run(signed_in, fetch, self._did_fail)

    def _document_did_arrive(self, path: Path) -> None:
        self.open_file(path)
        self.document_did_open.emit(str(path))

    def _did_fail(self, exc: BaseException) -> None:
        said = exc.message(self.services.lang) if hasattr(exc, "message") else self.services.db.failure_message(exc)
        self.message.setText(said)
