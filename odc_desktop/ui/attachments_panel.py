"""The documents of one stage entry: list, add (file dialog or drag-and-drop), remove, and the
checklist of the documents the stage requires.

Copying a file into the store runs on the DB runner (files may be large); a file that cannot be read
or is too large is reported in a message under the list and nothing already attached is touched.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from odc_desktop.domain.forms import Codelist, FormDefinition, text_in
from odc_desktop.domain.model import Attachment
from odc_desktop.storage.repository import StorageError
from odc_desktop.ui.services import Services

log = logging.getLogger(__name__)

_TEXT = {
    "id": {"title": "Dokumen", "add": "&Tambah dokumen…", "remove": "&Hapus dokumen",
           "drop": "Tarik berkas ke sini untuk melampirkannya.", "checklist": "Dokumen yang diminta",
           "required": "wajib", "optional": "tidak wajib", "ask_title": "Jenis dokumen",
           "ask_label": "Pilih jenis dokumen untuk: {name}", "choose_file": "Pilih dokumen",
           "copying": "Menyalin {name}…", "added": "{name} terlampir.",
           "failed": "{name} tidak dapat dilampirkan: {reason}",
           "unreadable": "berkas tidak dapat dibaca ({reason}). Periksa bahwa berkas masih ada dan "
                         "tidak sedang dibuka program lain, lalu coba lagi.",
           "not_file": "{name} bukan berkas (mungkin folder); pilih berkas dokumennya.",
           "empty": "Belum ada dokumen."},
    "en": {"title": "Documents", "add": "&Add document…", "remove": "&Remove document",
           "drop": "Drop files here to attach them.", "checklist": "Requested documents",
           "required": "required", "optional": "optional", "ask_title": "Document type",
           "ask_label": "Choose the document type of: {name}", "choose_file": "Choose document",
           "copying": "Copying {name}…", "added": "{name} attached.",
           "failed": "{name} could not be attached: {reason}",
           "unreadable": "the file cannot be read ({reason}). Check that it still exists and is not "
                         "open in another program, then try again.",
           "not_file": "{name} is not a file (maybe a folder); choose the document file.",
           "empty": "No documents yet."},
}


def human_size(size: int) -> str:
    """``1536`` → ``"1,5 KB"`` (decimal comma, as read in Indonesia)."""
    value, unit = float(size), "B"
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            break
        value /= 1024
    return (f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}").replace(".", ",")


class DocumentTypeDialog(QDialog):
    """Asks which document type a file is; opened window-modal and non-blocking (``open()``)."""

    def __init__(self, filename: str, choices: list[tuple[str, str]], default: str | None,
                 lang: str, parent: QWidget | None = None):
        super().__init__(parent)
        t = _TEXT["en" if lang == "en" else "id"]
        self.setWindowTitle(t["ask_title"])
        self.combo = QComboBox(self)
        for code, label in choices:
            self.combo.addItem(label, code)
        if default is not None:
            self.combo.setCurrentIndex(max(self.combo.findData(default), 0))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(t["ask_label"].format(name=filename), self))
        layout.addWidget(self.combo)
        layout.addWidget(buttons)

    def document_type(self) -> str:
        return self.combo.currentData()


class AttachmentsPanel(QFrame):
    """Attachments of the entry set with :meth:`set_entry`.

    Signals:
        attachments_did_change(list): the entry's attachments after a load, add or remove.
        document_type_requested(QDialog): a type dialog was opened (tests and the page may answer it).
    """

    attachments_did_change = Signal(list)
    document_type_requested = Signal(QDialog)

    def __init__(self, services: Services, form: FormDefinition, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("attachmentsPanel")
        self.setAcceptDrops(True)
        self.services = services
        self.form = form
        self.lang = services.lang
        self.t = _TEXT["en" if self.lang == "en" else "id"]
        self.codelist: Codelist | None = services.forms.codelists.get("jenis_dokumen")
        self.entry_id: int | None = None
        self.editable = True
        self.attachments: list[Attachment] = []
        self.pending = 0
        self._to_ask: list[Path] = []
        self._asking: DocumentTypeDialog | None = None
        self._types_being_added: set[str] = set()
        self._build()

    def _build(self) -> None:
        self.list = QListWidget(self)
        self.list.setObjectName("attachmentList")
        self.list.setAlternatingRowColors(True)
        self.add_button = QPushButton(self.t["add"], self)
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton(self.t["remove"], self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.drop_hint = QLabel(self.t["drop"], self)
        self.drop_hint.setObjectName("dropHint")
        self.message = QLabel(self)
        self.message.setObjectName("attachmentMessage")
        self.message.setWordWrap(True)
        self.checklist = QLabel(self)
        self.checklist.setObjectName("documentChecklist")
        self.checklist.setTextFormat(Qt.TextFormat.RichText)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        heading = QLabel(self.t["checklist"], self)
        heading.setObjectName("checklistHeading")
        layout.addWidget(heading)
        layout.addWidget(self.checklist)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.drop_hint)
        layout.addWidget(self.message)
        self._refresh_checklist()

    # --- loading -------------------------------------------------------------------------
    def set_entry(self, entry_id: int, editable: bool) -> None:
        """Show the attachments of this entry; ``editable`` False disables add/remove/drop."""
        self.entry_id = entry_id
        self.editable = editable
        self.add_button.setEnabled(editable)
        self.remove_button.setEnabled(editable)
        self.setAcceptDrops(editable)
        self.drop_hint.setVisible(editable)
        self.reload()

    def reload(self) -> None:
        entry_id = self.entry_id
        self.services.db.run(lambda repo: repo.list_attachments(entry_id), self._show)

    def _show(self, attachments: list[Attachment]) -> None:
        self.attachments = list(attachments)
        self._types_being_added.clear()
        self.list.clear()
        for att in self.attachments:
            item = QListWidgetItem(f"{self.type_label(att.document_type)} — {att.filename} "
                                   f"({human_size(att.size)})", self.list)
            item.setData(Qt.ItemDataRole.UserRole, att.id)
            item.setToolTip(f"SHA-256 {att.sha256}")
        if not self.attachments:
            QListWidgetItem(self.t["empty"], self.list).setFlags(Qt.ItemFlag.NoItemFlags)
        self._refresh_checklist()
        self.attachments_did_change.emit(self.attachments)

    def type_label(self, code: str) -> str:
        item = self.codelist.item(code) if self.codelist else None
        return text_in(item.label, self.lang) if item else code

    def _refresh_checklist(self) -> None:
        have = {a.document_type for a in self.attachments}
        lines = []
        for doc in self.form.documents:
            done = doc.type in have
            colour = "#1e7d32" if done else ("#b3261e" if doc.required else "#6b6f76")
            kind = self.t["required"] if doc.required else self.t["optional"]
            lines.append(f'<span style="color:{colour}">{"✓" if done else "✗"}</span>&nbsp; '
                         f"{html.escape(self.type_label(doc.type))} ({kind})")
        self.checklist.setText("<br>".join(lines))

    def checklist_lines(self) -> list[str]:
        """The checklist as plain text lines (``✓  DPA … (wajib)``)."""
        have = {a.document_type for a in self.attachments}
        return [f"{'✓' if d.type in have else '✗'}  {self.type_label(d.type)}" for d in self.form.documents]

    def missing_required(self) -> list[str]:
        have = {a.document_type for a in self.attachments}
        return [d.type for d in self.form.documents if d.required and d.type not in have]

    def type_choices(self) -> list[tuple[str, str]]:
        """The form's documents first, then every other ``jenis_dokumen`` type."""
        codes = [d.type for d in self.form.documents]
        codes += [c for c in (self.codelist.codes() if self.codelist else []) if c not in codes]
        return [(code, self.type_label(code)) for code in codes]

    # --- adding --------------------------------------------------------------------------
    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(self, self.t["choose_file"])
        self.ask_types_and_add([Path(p) for p in paths])

    def ask_types_and_add(self, paths: list[Path]) -> None:
        """Ask the document type of each file in turn (one dialog at a time), then attach it."""
        self._to_ask.extend(paths)
        if self._asking is None:
            self._ask_next()

    def _ask_next(self) -> None:
        if not self._to_ask:
            self._asking = None
            return
        path = self._to_ask.pop(0)
        taken = {a.document_type for a in self.attachments} | self._types_being_added
        missing = [t for t in self.missing_required() if t not in taken]
        dialog = DocumentTypeDialog(path.name, self.type_choices(), missing[0] if missing else None,
                                    self.lang, self)
        self._asking = dialog
        dialog.accepted.connect(lambda: self._type_chosen(path, dialog.document_type()))
        dialog.finished.connect(lambda _r: (dialog.deleteLater(), self._ask_next()))
        dialog.open()
        self.document_type_requested.emit(dialog)

    def _type_chosen(self, path: Path, document_type: str) -> None:
        self._types_being_added.add(document_type)
        self.add_file(path, document_type)

    def add_file(self, path: Path, document_type: str) -> None:
        """Copy ``path`` into the store on the DB runner and link it as ``document_type``."""
        if self.entry_id is None or not self.editable:
            return
        if not path.is_file():
            self.message.setText(self.t["not_file"].format(name=path.name))
            return
        entry_id, name = self.entry_id, path.name
        self.pending += 1
        self.message.setText(self.t["copying"].format(name=name))

        def job(repo):
            try:
                repo.add_attachment(entry_id, path, name, document_type)
            except OSError as exc:
                raise StorageError(self.t["unreadable"].format(reason=exc.strerror or exc)) from exc
            return repo.list_attachments(entry_id)

        self.services.db.run(job, lambda atts: self._added(name, atts),
                             lambda exc: self._failed(name, exc))

    def _added(self, name: str, attachments: list[Attachment]) -> None:
        self.pending -= 1
        self.message.setText(self.t["added"].format(name=name))
        self._show(attachments)

    def _failed(self, name: str, exc: BaseException) -> None:
        self.pending -= 1
        self._types_being_added.clear()
        reason = str(exc) if isinstance(exc, StorageError) else self.t["unreadable"].format(reason=exc)
        self.message.setText(self.t["failed"].format(name=name, reason=reason))

    def remove_selected(self) -> None:
        item = self.list.currentItem()
        attachment_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        if attachment_id is None or not self.editable:
            return
        entry_id = self.entry_id

        def job(repo):
            repo.remove_attachment(attachment_id)
            return repo.list_attachments(entry_id)

        self.services.db.run(job, self._show, lambda exc: self.message.setText(str(exc)))

    # --- drag and drop -------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.editable and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if not self.editable or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.ask_types_and_add(paths)
