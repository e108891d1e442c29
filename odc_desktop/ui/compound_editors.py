"""Editors made of several inputs: an organization (name, NPWP, address, scale), a list of
organizations (``multiple: true``) and a repeat group of child fields.

Rows are added with a button at the top of the editor, so the Tab order stays top-down (the button
comes first, then every row in order) without re-ordering the whole page's focus chain.

The row editors' words use ``QCoreApplication.translate`` with a fixed context rather than
``self.tr``: PySide's ``tr`` looks up the instance's class first, and a ``%n`` text or a fallback
translator stops that search before it reaches the base class that owns the text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from odc_desktop.domain.forms.definition import Codelist, Field, text_in
from odc_desktop.domain.problems import Problem
from odc_desktop.domain.parsing import InputRefused, format_npwp, parse_npwp
from odc_desktop.ui.field_widgets import FieldEditor, make_editor
from odc_desktop.ui.i18n import with_args

NPWP_HINT = "00.000.000.0-000.000"


def _chain_tab_order(widgets: list[QWidget]) -> None:
    """Make Tab visit ``widgets`` in this order, right after the first one."""
    for first, second in zip(widgets, widgets[1:]):
        QWidget.setTabOrder(first, second)


class OrganizationForm(QFrame):
    """Name, NPWP, address and business size of one organization.

    The NPWP is read with :func:`parse_npwp` when the operator leaves it: 15 or 16 digits, stored as
    16; a 15-digit NPWP stays shown as typed (grouped, also when loaded again) with its 16-digit form
    beside it, and text that is not an NPWP stays as typed with the reason under it.

    Signals:
        changed(bool): a part changed; ``True`` for a choice (save at once), ``False`` for typing.
    """

    changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("organizationForm")
        self.name = QLineEdit(self)
        self.npwp = QLineEdit(self)
        self.npwp.setPlaceholderText(NPWP_HINT)
        self.npwp.setMaxLength(40)  # room for a pasted "NPWP: 01.234.567.8-601.000"
        self.npwp.setMaximumWidth(220)
        self.npwp16 = QLabel(self)
        self.npwp16.setObjectName("npwp16")
        self.npwp16.hide()
        self.npwp_error = QLabel(self)
        self.npwp_error.setObjectName("fieldError")
        self.npwp_error.setWordWrap(True)
        self.npwp_error.setStyleSheet("color: #b3261e;")
        self.npwp_error.hide()
        npwp_row = QHBoxLayout()
        npwp_row.addWidget(self.npwp)
        npwp_row.addWidget(self.npwp16)
        npwp_row.addStretch(1)
        npwp_box = QVBoxLayout()
        npwp_box.setSpacing(2)
        npwp_box.addLayout(npwp_row)
        npwp_box.addWidget(self.npwp_error)
        self.lang = "id"
        self.address = QLineEdit(self)
        self.scale = QComboBox(self)
        self.scale.addItem("", None)
        for code, label in (("micro", self.tr("Usaha mikro")), ("sme", self.tr("Usaha kecil/menengah")),
                            ("large", self.tr("Usaha besar"))):
            self.scale.addItem(label, code)
        layout = QFormLayout(self)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow rows: fields go under
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addRow(self.tr("Nama") + " *", self.name)
        layout.addRow(self.tr("NPWP"), npwp_box)
        for edit, label in ((self.name, self.tr("Nama")), (self.npwp, self.tr("NPWP")),
                            (self.address, self.tr("Alamat")), (self.scale, self.tr("Skala usaha"))):
            edit.setAccessibleName(label)
        layout.addRow(self.tr("Alamat"), self.address)
        layout.addRow(self.tr("Skala usaha"), self.scale)
        for edit in (self.name, self.address):
            edit.textEdited.connect(lambda _t: self.changed.emit(False))
        self.npwp.textEdited.connect(self._on_npwp_edited)
        self.npwp.editingFinished.connect(self.read_npwp)
        self.scale.currentIndexChanged.connect(lambda _i: self.changed.emit(True))

    def _on_npwp_edited(self, _text: str) -> None:
        self._show_npwp_error("")  # no errors while typing
        self.npwp16.hide()
        self.changed.emit(False)

    def _parsed_npwp(self) -> str | None:
        text = self.npwp.text().strip()
        return parse_npwp(text) if text else None

    def read_npwp(self) -> None:
        """Read the NPWP: show it grouped (with its 16 digits when it had 15), or say why not."""
        try:
            npwp = self._parsed_npwp()
        except InputRefused as refused:
            self._show_npwp_error(refused.message(self.lang))
            self.npwp16.hide()
            return
        self._show_npwp_error("")
        if npwp is None:
            self.npwp16.hide()
            return
        typed_15 = sum(ch.isdigit() for ch in self.npwp.text()) == 15
        shown = format_npwp(npwp) if typed_15 else npwp  # as typed: 15 digits grouped, or the 16
        if self.npwp.text() != shown:
            self.npwp.setText(shown)
        self.npwp16.setText(with_args(self.tr("16 digit: %1"), npwp))
        self.npwp16.setVisible(typed_15)

    def _show_npwp_error(self, message: str) -> None:
        self.npwp_error.setText(message)
        self.npwp_error.setVisible(bool(message))

    def npwp_error_text(self) -> str:
        """Why the typed NPWP cannot be read ("" when it can or is empty)."""
        return self.npwp_error.text() if not self.npwp_error.isHidden() else ""

    def value(self) -> dict[str, Any]:
        try:
            npwp = self._parsed_npwp()
        except InputRefused:
            npwp = self.npwp.text().strip()  # kept as typed; the page says it must be fixed
        return {"name": self.name.text().strip() or None, "npwp": npwp,
                "address": self.address.text().strip() or None, "scale": self.scale.currentData()}

    def set_value(self, value: dict[str, Any] | None) -> None:
        value = value or {}
        self.name.setText(value.get("name") or "")
        npwp = str(value.get("npwp") or "")
        self.npwp.setText(format_npwp(npwp) if npwp.isdigit() and len(npwp) == 16 else npwp)
        self.read_npwp()
        self.address.setText(value.get("address") or "")
        self.scale.blockSignals(True)
        self.scale.setCurrentIndex(max(self.scale.findData(value.get("scale")), 0)
                                   if value.get("scale") else 0)
        self.scale.blockSignals(False)

    def tab_widgets(self) -> list[QWidget]:
        return [self.name, self.npwp, self.address, self.scale]

    def set_read_only(self, read_only: bool) -> None:
        for edit in (self.name, self.npwp, self.address):
            edit.setReadOnly(read_only)
        self.scale.setEnabled(not read_only)


class OrganizationEditor(FieldEditor):
    """One organization (``organization``); value ``None`` while every part is empty."""

    def __init__(self, field: Field, lang: str = "id", parent: QWidget | None = None):
        super().__init__(field, lang, parent)
        self.form = OrganizationForm(self)
        self.form.lang = lang
        self.form.changed.connect(self.value_did_change.emit)
        self._finish_layout(self.form)

    def value(self) -> dict[str, Any] | None:
        value = self.form.value()
        return value if any(value.values()) else None

    def set_value(self, value: Any) -> None:
        self.form.set_value(value if isinstance(value, dict) else None)

    def set_read_only(self, read_only: bool) -> None:
        self.form.set_read_only(read_only)

    def focus_target(self) -> QWidget:
        return self.form.name

    def input_error(self) -> str:
        return self.form.npwp_error_text()

    def tab_widgets(self) -> list[QWidget]:
        return self.form.tab_widgets()


class _RowsEditor(FieldEditor):
    """Shared machinery of the list editors: an add button on top, rows with a remove button."""

    def __init__(self, field: Field, lang: str = "id", parent: QWidget | None = None):
        super().__init__(field, lang, parent)
        self.rows: list[QFrame] = []
        self._read_only = False
        self._removed: tuple[int, Any] | None = None  # (index, value) of the row "Urungkan" restores
        self.add_button = QPushButton(self.add_text(), self)
        self.add_button.setObjectName("addRowButton")
        self.add_button.clicked.connect(self.add_row)
        empty = QCoreApplication.translate("RowsEditor", "Belum ada %1.")
        self.empty_label = QLabel(with_args(empty, self.item_noun().lower()), self)
        self.empty_label.setObjectName("emptyRowsLabel")
        self.undo_bar = QFrame(self, objectName="undoRemoveBar")
        self.undo_text = QLabel(self.undo_bar, objectName="undoRemoveText")
        self.undo_button = QPushButton(QCoreApplication.translate("RowsEditor", "&Urungkan"), self.undo_bar,
                                       objectName="undoRemoveButton")
        self.undo_button.clicked.connect(self.undo_remove)
        undo_row = QHBoxLayout(self.undo_bar)
        undo_row.setContentsMargins(0, 0, 0, 0)
        undo_row.addWidget(self.undo_text)
        undo_row.addWidget(self.undo_button)
        undo_row.addStretch(1)
        self.undo_bar.hide()
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(6)
        body = QVBoxLayout()
        head = QHBoxLayout()
        head.addWidget(self.add_button)
        head.addStretch(1)
        body.addLayout(head)
        body.addWidget(self.undo_bar)
        body.addWidget(self.empty_label)
        body.addLayout(self.rows_box)
        self._finish_layout(body)

    def item_noun(self) -> str:
        """What one row is called, from the form's ``item_label`` ("Peserta"), else "Baris"."""
        return text_in(self.field.item_label, self.lang) or QCoreApplication.translate("RowsEditor", "Baris")

    def add_text(self) -> str:
        """Text of the add button (translated): "Tambah peserta"; Alt+T."""
        return with_args(QCoreApplication.translate("RowsEditor", "&Tambah %1"), self.item_noun().lower())

    def row_title(self, number: int) -> str:
        """Title of row ``number`` (1-based): "Peserta 1"."""
        return f"{self.item_noun()} {number}"

    def _make_body(self) -> QWidget:
        raise NotImplementedError

    def _append_row(self) -> QFrame:
        frame = QFrame(self)
        frame.setObjectName("repeatRow")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        outer = QVBoxLayout(frame)
        outer.setContentsMargins(6, 4, 6, 6)
        head = QHBoxLayout()
        frame.title = QLabel(frame)
        frame.title.setObjectName("repeatRowTitle")
        remove = QPushButton(QCoreApplication.translate("RowsEditor", "Hapus"), frame)
        remove.setObjectName("removeRowButton")
        remove.setEnabled(not self._read_only)
        remove.clicked.connect(lambda: self.remove_row(self.rows.index(frame)))
        head.addWidget(frame.title)
        head.addStretch(1)
        head.addWidget(remove)
        outer.addLayout(head)
        frame.body = self._make_body()
        frame.body.setParent(frame)
        outer.addWidget(frame.body)
        self.rows.append(frame)
        self.rows_box.addWidget(frame)
        frame.show()  # at once, not on the layout's queued show, so Tab and focus reach it now
        self._renumber()
        return frame

    def _renumber(self) -> None:
        for n, frame in enumerate(self.rows, start=1):
            frame.title.setText(self.row_title(n))
        self.empty_label.setVisible(not self.rows)
        _chain_tab_order(self.tab_widgets())

    def tab_widgets(self) -> list[QWidget]:
        order: list[QWidget] = [self.add_button]
        for frame in self.rows:
            order += self._row_tab_widgets(frame) + [frame.findChild(QPushButton, "removeRowButton")]
        return order

    def _row_tab_widgets(self, frame: QFrame) -> list[QWidget]:
        raise NotImplementedError

    def add_row(self) -> None:
        """Add an empty row, focus its first input and ask for an immediate save."""
        self._forget_removed()
        frame = self._append_row()
        targets = self._row_tab_widgets(frame)
        if targets:
            targets[0].setFocus(Qt.FocusReason.OtherFocusReason)
        self.value_did_change.emit(True)

    def remove_row(self, index: int) -> None:
        """Remove row ``index`` and save; a notice offers to bring it back (:meth:`undo_remove`)."""
        title = self.rows[index].title.text()
        self._removed = (index, self.value()[index])
        frame = self.rows.pop(index)
        frame.hide()
        frame.deleteLater()
        self._renumber()
        self.undo_text.setText(with_args(QCoreApplication.translate("RowsEditor", "%1 dihapus."), title))
        self.undo_bar.show()
        self.undo_button.setFocus(Qt.FocusReason.OtherFocusReason)  # Space again brings it back
        self.value_did_change.emit(True)

    def undo_remove(self) -> None:
        """Put the row removed last back in its place, with its values, and save."""
        if self._removed is None or self._read_only:
            return
        index, item = self._removed
        self._removed = None
        self.undo_bar.hide()
        frame = self._append_row()
        self._set_row_value(frame, item)
        self.rows.remove(frame)
        self.rows.insert(min(index, len(self.rows)), frame)
        self.rows_box.insertWidget(min(index, len(self.rows) - 1), frame)
        self._renumber()
        targets = self._row_tab_widgets(frame)
        if targets:
            targets[0].setFocus(Qt.FocusReason.OtherFocusReason)
        self.value_did_change.emit(True)

    def _forget_removed(self) -> None:
        self._removed = None
        self.undo_bar.hide()

    def set_value(self, value: Any) -> None:
        items = value if isinstance(value, list) else []
        self._forget_removed()
        while self.rows:
            old = self.rows.pop()
            old.hide()
            old.deleteLater()
        for item in items:
            self._set_row_value(self._append_row(), item)
        self._renumber()

    def _set_row_value(self, frame: QFrame, item: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.add_button.setEnabled(not read_only)
        self.undo_button.setEnabled(not read_only)
        for frame in self.rows:
            frame.findChild(QPushButton, "removeRowButton").setEnabled(not read_only)
            self._set_row_read_only(frame, read_only)

    def _set_row_read_only(self, frame: QFrame, read_only: bool) -> None:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        return self.add_button


class OrganizationListEditor(_RowsEditor):
    """Several organizations (``organization`` with ``multiple: true``), e.g. the tenderers."""

    def _make_body(self) -> QWidget:
        form = OrganizationForm()
        form.lang = self.lang
        form.changed.connect(self.value_did_change.emit)
        return form

    def _set_row_value(self, frame: QFrame, item: Any) -> None:
        frame.body.set_value(item if isinstance(item, dict) else None)

    def _set_row_read_only(self, frame: QFrame, read_only: bool) -> None:
        frame.body.set_read_only(read_only)

    def _row_tab_widgets(self, frame: QFrame) -> list[QWidget]:
        return frame.body.tab_widgets()

    def value(self) -> list[dict[str, Any]]:
        return [frame.body.value() for frame in self.rows]

    def organization_forms(self) -> list[OrganizationForm]:
        return [frame.body for frame in self.rows]

    def input_error(self) -> str:
        return next((f.npwp_error_text() for f in self.organization_forms() if f.npwp_error_text()), "")


class GroupEditor(_RowsEditor):
    """A repeat group (``group``): rows of child editors; value is a list of objects."""

    def __init__(self, field: Field, codelists: dict[str, Codelist], lang: str = "id",
                 parent: QWidget | None = None):
        self.codelists = codelists
        super().__init__(field, lang, parent)

    def _make_body(self) -> QWidget:
        body = QWidget()
        body.editors = {}
        layout = QFormLayout(body)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow rows: fields go under
        layout.setContentsMargins(0, 0, 0, 0)
        for child in self.field.fields:
            editor = make_editor(child, self.codelists, self.lang, body)
            editor.value_did_change.connect(self.value_did_change.emit)
            editor.set_read_only(self._read_only)
            label = text_in(child.label, self.lang) + (" *" if child.required else "")
            layout.addRow(label, editor)
            body.editors[child.id] = editor
        return body

    def _set_row_value(self, frame: QFrame, item: Any) -> None:
        item = item if isinstance(item, dict) else {}
        for child_id, editor in frame.body.editors.items():
            editor.set_value(item.get(child_id))

    def _set_row_read_only(self, frame: QFrame, read_only: bool) -> None:
        for editor in frame.body.editors.values():
            editor.set_read_only(read_only)

    def _row_tab_widgets(self, frame: QFrame) -> list[QWidget]:
        return [w for editor in frame.body.editors.values() for w in editor.tab_widgets()]

    def value(self) -> list[dict[str, Any]]:
        return [{cid: ed.value() for cid, ed in frame.body.editors.items()} for frame in self.rows]

    def row_editors(self, index: int) -> dict[str, FieldEditor]:
        """The child editors of row ``index`` by child field id."""
        return self.rows[index].body.editors

    def set_problems(self, problems: list[Problem]) -> None:
        """Show row problems (path ``group/<row>/<child>``) under the child; the rest on the group."""
        own: list[Problem] = []
        per_child: dict[tuple[int, str], list[Problem]] = {}
        for problem in problems:
            parts = problem.path.split("/")
            if len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) < len(self.rows) \
                    and parts[2] in self.rows[int(parts[1])].body.editors:
                per_child.setdefault((int(parts[1]), parts[2]), []).append(problem)
            else:
                own.append(problem)
        for n, frame in enumerate(self.rows):
            for child_id, editor in frame.body.editors.items():
                editor.set_problems(per_child.get((n, child_id), []))
        super().set_problems(own)
