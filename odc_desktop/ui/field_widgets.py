"""One editor per form widget type, built at runtime from a form :class:`Field`.

Every editor is a :class:`FieldEditor`: it shows its input, an inline error line under it, and
reports edits through ``value_did_change(bool)`` — ``True`` when the change should be saved at once
(a choice was made, a row was added), ``False`` for typing, which the page debounces. Values follow
docs/architecture.md "Entry data": money ``int``, date ``"YYYY-MM-DD"``, select the codelist code.
Labels, help and codelist labels come from the form files in ``lang``; the editors' own words go
through ``tr()`` (Indonesian source, English in resources/odc_en.ts).

The compound editors (organization, group) live in :mod:`odc_desktop.ui.compound_editors`, the
money and date editors (which read typed text with :mod:`odc_desktop.domain.parsing`) in
:mod:`odc_desktop.ui.parsed_editors`; :func:`make_editor` builds the right one for any field.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from odc_desktop.domain.forms.definition import Codelist, Field, text_in
from odc_desktop.domain.problems import Problem
from odc_desktop.ui.searchable_combo import SearchableComboBox

#: Problem codes that repeat, in the validator's words, what an editor already said about the text
#: it could not read; while the editor shows its own message these are left out.
_REFUSAL_CODES = frozenset({"invalid_type", "invalid_date", "invalid_npwp", "pattern_mismatch"})


def parse_number(text: str) -> int | float | None:
    """Parse a number typed the Indonesian way (``1.500`` thousands, ``12,5`` decimals) or plainly."""
    cleaned = text.strip().replace(" ", "")
    if not cleaned:
        return None
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return int(value) if value.is_integer() and "." not in cleaned else value


def format_number(value: Any) -> str:
    """Show a stored number with a decimal comma (``12.5`` → ``"12,5"``)."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",")


class FieldEditor(QWidget):
    """Base of all editors: input area plus an inline error label.

    Signals:
        value_did_change(bool): the value changed; ``True`` asks for an immediate save.
    """

    value_did_change = Signal(bool)

    def __init__(self, field: Field, lang: str = "id", parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.lang = lang
        self.setObjectName(field.id)  # tests and scripts find a field by its id
        self._input_error = ""
        self._problems: list[Problem] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()

    def _finish_layout(self, body: QWidget | QHBoxLayout) -> None:
        """Put the input (widget or layout) above the error line."""
        if isinstance(body, QWidget):
            self._layout.addWidget(body)
        else:
            self._layout.addLayout(body)
        self._layout.addWidget(self.error_label)
        # Screen readers announce the focused input; give it the field's label.
        label = text_in(self.field.label, self.lang)
        self.setAccessibleName(label)
        target = self.focus_target()
        if target is not self and not target.accessibleName() and not isinstance(target, QAbstractButton):
            target.setAccessibleName(label)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show ``value`` without emitting ``value_did_change``."""
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        """The widget that takes focus when the page jumps to this field."""
        return self

    def tab_widgets(self) -> list[QWidget]:
        """The inputs Tab visits inside this editor, in order."""
        return [self.focus_target()]

    def set_problems(self, problems: list[Problem]) -> None:
        """Show the messages of the problems whose path is this field (or inside it)."""
        self._problems = list(problems)
        self._show_errors()

    def show_input_error(self, message: str) -> None:
        """Say why the typed text was not read ("" once it is); shown until the text is fixed, in
        place of the validator's more general words about the same value."""
        self._input_error = message
        self._show_errors()

    def input_error(self) -> str:
        """The message about text this editor could not read ("" when there is none)."""
        return self._input_error

    def _show_errors(self) -> None:
        problems = self._problems
        if self.input_error():
            problems = [p for p in problems if p.code not in _REFUSAL_CODES]
        messages = list(dict.fromkeys([self._input_error] * bool(self._input_error)
                                      + [p.message for p in problems]))
        self.error_label.setText("\n".join(messages))
        self.error_label.setVisible(bool(messages))

    def placeholder(self) -> str:
        return text_in(self.field.placeholder, self.lang)

    def show_review_note(self, text: str) -> None:
        """Highlight the field with a reviewer's note under its input ("" clears both)."""
        label = self.findChild(QLabel, "reviewNote", Qt.FindChildOption.FindDirectChildrenOnly)
        if label is None and text:
            label = QLabel(self, objectName="reviewNote", wordWrap=True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setStyleSheet("color: #7f1d1d; background: #fde7e9; padding: 2px 4px;")
            self._layout.addWidget(label)
        if label is not None:
            label.setText(text)
            label.setVisible(bool(text))
        self.setProperty("reviewFlagged", bool(text))
        # Qt paints a plain widget's own border only with a styled background.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, bool(text))
        self.setStyleSheet(f"#{self.objectName()} {{ border-left: 3px solid #b91c1c; }}"
                           if text else "")

    def review_note(self) -> str:
        """The reviewer's note shown at this field ("" when none)."""
        label = self.findChild(QLabel, "reviewNote", Qt.FindChildOption.FindDirectChildrenOnly)
        return label.text() if label is not None and label.isVisibleTo(self) else ""


class TextEditor(FieldEditor):
    """Single-line text (``text``)."""

    def __init__(self, field: Field, lang: str = "id", parent: QWidget | None = None):
        super().__init__(field, lang, parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.placeholder())
        if field.max_length:
            self.edit.setMaxLength(field.max_length)
        self.edit.textEdited.connect(lambda _t: self.value_did_change.emit(False))
        self._finish_layout(self.edit)

    def value(self) -> str | None:
        return self.edit.text().strip() or None

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def focus_target(self) -> QWidget:
        return self.edit


class TextAreaEditor(FieldEditor):
    """Multi-line text (``textarea``); Tab leaves the box so the form stays keyboard-friendly."""

    def __init__(self, field: Field, lang: str = "id", parent: QWidget | None = None):
        super().__init__(field, lang, parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText(self.placeholder())
        self.edit.setFixedHeight(84)
        self.edit.textChanged.connect(self._on_text_changed)
        self._loading = False
        self._finish_layout(self.edit)

    def _on_text_changed(self) -> None:
        if not self._loading:
            self.value_did_change.emit(False)

    def value(self) -> str | None:
        return self.edit.toPlainText().strip() or None

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            self.edit.setPlainText("" if value is None else str(value))
        finally:
            self._loading = False

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def focus_target(self) -> QWidget:
        return self.edit


class NumberEditor(TextEditor):
    """A number (``number``): int when whole, else float; Indonesian decimal comma accepted."""

    suffix = ""

    def __init__(self, field: Field, lang: str = "id", parent: QWidget | None = None):
        super().__init__(field, lang, parent)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.edit.setMaximumWidth(200)
        if self.suffix:
            row = QHBoxLayout()
            row.addWidget(self.edit)
            row.addWidget(QLabel(self.suffix, self))
            row.addStretch(1)
            self._layout.insertLayout(0, row)

    def value(self) -> int | float | str | None:
        text = self.edit.text().strip()
        if not text:
            return None
        number = parse_number(text)
        # An unparseable entry is kept as text so layer-1 validation can say what is wrong.
        return text if number is None else number

    def set_value(self, value: Any) -> None:
        self.edit.setText(format_number(value) if isinstance(value, (int, float)) else (value or ""))


class PercentEditor(NumberEditor):
    """A percentage 0–100 (``percent``), stored as float."""

    suffix = "%"

    def value(self) -> float | str | None:
        number = super().value()
        return float(number) if isinstance(number, (int, float)) else number


class SelectEditor(FieldEditor):
    """A codelist choice: labels in the UI language, an empty choice first, type-to-search."""

    def __init__(self, field: Field, codelist: Codelist | None, lang: str = "id",
                 parent: QWidget | None = None):
        super().__init__(field, lang, parent)
        hint = self.placeholder() or self.tr("— pilih atau ketik untuk mencari —")
        self.combo = SearchableComboBox(self, hint)
        self.combo.addItem("", None)
        self.combo.add_items([(text_in(i.label, lang), i.code) for i in (codelist.items if codelist else ())])
        self.combo.setMinimumWidth(280)
        self.combo.currentIndexChanged.connect(lambda _i: self.value_did_change.emit(True))
        self._finish_layout(self.combo)

    def value(self) -> str | None:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        self.combo.blockSignals(True)
        try:
            index = self.combo.findData(value) if value is not None else 0
            self.combo.setCurrentIndex(max(index, 0))
        finally:
            self.combo.blockSignals(False)

    def choose(self, code: str) -> None:
        """Choose the item with this code as the operator would (emits ``value_did_change``)."""
        index = self.combo.findData(code)
        if index < 0:
            raise KeyError(code)
        self.combo.setCurrentIndex(index)

    def set_read_only(self, read_only: bool) -> None:
        self.combo.setEnabled(not read_only)

    def focus_target(self) -> QWidget:
        return self.combo

    def tab_widgets(self) -> list[QWidget]:
        # The editable combo's own line edit is a separate stop in Qt's focus chain; keep it
        # next to its combo so a row added later does not leave it at the end of the chain.
        return [self.combo, self.combo.lineEdit()]


def make_editor(field: Field, codelists: dict[str, Codelist], lang: str = "id",
                parent: QWidget | None = None) -> FieldEditor:
    """Build the editor for ``field`` (any of the widget types of docs/architecture.md)."""
    from odc_desktop.ui.compound_editors import GroupEditor, OrganizationEditor, OrganizationListEditor
    from odc_desktop.ui.parsed_editors import DateEditor, MoneyEditor

    if field.widget == "select":
        return SelectEditor(field, codelists.get(field.codelist or ""), lang, parent)
    if field.widget == "organization":
        cls = OrganizationListEditor if field.multiple else OrganizationEditor
        return cls(field, lang, parent)
    if field.widget == "group":
        return GroupEditor(field, codelists, lang, parent)
    simple = {"text": TextEditor, "textarea": TextAreaEditor, "money": MoneyEditor,
              "number": NumberEditor, "percent": PercentEditor, "date": DateEditor}
    return simple[field.widget](field, lang, parent)
