"""Drive a FormPage the way an operator does: keystrokes into line edits, combo choices, dates
picked on the date editor, rows and organizations added with their buttons, files dropped on the
documents panel. Shared by the form page and full-process tests."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog

from odc_desktop.domain.statuses import Stage
from odc_desktop.ui.compound_editors import (
    GroupEditor,
    OrganizationEditor,
    OrganizationForm,
    OrganizationListEditor,
)
from odc_desktop.ui.field_widgets import (
    FieldEditor,
    NumberEditor,
    SelectEditor,
    TextAreaEditor,
    TextEditor,
    format_number,
)
from odc_desktop.ui.form_page import FormPage
from odc_desktop.ui.parsed_editors import DateEditor, MoneyEditor

TIMEOUT_MS = 60_000  # an upper bound for a loaded machine; waits end as soon as their event happens


def open_page(qtbot, services, process, stage: Stage) -> FormPage:
    """A shown, loaded FormPage of ``stage``."""
    page = FormPage(services, process, stage)
    qtbot.addWidget(page)
    page.resize(1150, 720)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=TIMEOUT_MS)
    page.load()
    qtbot.waitUntil(page.is_loaded, timeout=TIMEOUT_MS)
    return page


def type_into(qtbot, line_edit, text: str) -> None:
    """Clear a line edit or text box with the keyboard, then type ``text`` key by key."""
    line_edit.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(line_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(line_edit, Qt.Key.Key_Delete)
    type_text(qtbot, line_edit, text)


def type_text(qtbot, widget, text: str) -> None:
    """Type ``text`` key by key; characters QTest cannot map (``–``, ``é``) go as key events
    carrying just their text, as an input method delivers them."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                     Qt.KeyboardModifier.NoModifier, ch))


def fill_organization(qtbot, form: OrganizationForm, value: dict[str, Any]) -> None:
    for key in ("name", "npwp", "address"):
        if value.get(key):
            type_into(qtbot, getattr(form, key), str(value[key]))
    if value.get("scale"):
        form.scale.setCurrentIndex(form.scale.findData(value["scale"]))


def fill_editor(qtbot, editor: FieldEditor, value: Any) -> None:
    """Enter ``value`` (stored-data shape) into ``editor`` through its widgets."""
    if value is None:
        return
    if isinstance(editor, GroupEditor):
        for item in value:
            qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
            row = editor.row_editors(len(editor.rows) - 1)
            for child_id, child_value in item.items():
                fill_editor(qtbot, row[child_id], child_value)
    elif isinstance(editor, OrganizationListEditor):
        for item in value:
            qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
            fill_organization(qtbot, editor.organization_forms()[-1], item)
    elif isinstance(editor, OrganizationEditor):
        fill_organization(qtbot, editor.form, value)
    elif isinstance(editor, SelectEditor):
        editor.combo.setFocus()
        editor.combo.setCurrentIndex(editor.combo.findData(value))
    elif isinstance(editor, DateEditor):
        year, month, day = (int(part) for part in str(value).split("-"))
        editor.edit.setFocus()
        editor.set_date(year, month, day)
    elif isinstance(editor, MoneyEditor):
        type_into(qtbot, editor.edit, str(int(value)))
    elif isinstance(editor, NumberEditor):
        type_into(qtbot, editor.edit, format_number(value))
    elif isinstance(editor, (TextEditor, TextAreaEditor)):
        type_into(qtbot, editor.edit, str(value))
    else:
        raise TypeError(f"no driver for {type(editor).__name__}")


def fill_page(qtbot, page: FormPage, data: dict[str, Any]) -> None:
    """Fill every field of ``data``, step by step with the "Berikutnya" button."""
    page.go_to_step(0)
    for index, section in enumerate(page.form.sections):
        assert page.current_step() == index
        for field in section.fields:
            if field.id in data:
                fill_editor(qtbot, page.editors[field.id], data[field.id])
        qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)


def drop_files(panel, paths: list[Path]) -> None:
    """Send a real drag-enter and drop of file URLs onto the documents panel."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPoint(panel.width() // 2, panel.height() // 2)
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, drop)
    assert drop.isAccepted()


def attach_by_drop(qtbot, page: FormPage, path: Path, document_type: str) -> None:
    """Drop one file, answer the document-type dialog and wait until the attachment is listed."""
    panel = page.attachments
    before = len(panel.attachments)
    with qtbot.waitSignal(panel.document_type_requested, timeout=TIMEOUT_MS) as blocker:
        drop_files(panel, [path])
    dialog: QDialog = blocker.args[0]
    dialog.combo.setCurrentIndex(dialog.combo.findData(document_type))
    dialog.accept()
    qtbot.waitUntil(lambda: len(panel.attachments) == before + 1, timeout=TIMEOUT_MS)


def make_document(folder: Path, name: str, content: bytes | None = None) -> tuple[Path, str]:
    """Write a small real file; return its path and SHA-256."""
    data = content if content is not None else b"%PDF-1.4\n% " + name.encode() + b"\n%%EOF\n"
    path = folder / name
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def attach_required(qtbot, page: FormPage, folder: Path) -> None:
    """Attach one document of every type the stage requires (by drag-and-drop)."""
    for doc in page.form.documents:
        if doc.required:
            path, _sha = make_document(folder, f"{page.stage.value}_{doc.type}.pdf")
            attach_by_drop(qtbot, page, path, doc.type)
