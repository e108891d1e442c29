"""Editors whose typed text is read by :mod:`odc_desktop.domain.parsing`: rupiah and dates.

Typed and pasted text is left exactly as the operator wrote it until they leave the field (or press
Enter); then it is read once. Read text is shown in the one way the form's help shows it
(``Rp 1.250.000.000``, ``17-08-2026``); text that cannot be read for certain stays on screen with
the parser's message under it, and is saved as typed so nothing is lost (the entry cannot be marked
ready until it is fixed). Nothing is ever silently changed into another value.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QToolButton, QWidget

from odc_desktop.domain.forms.definition import Field
from odc_desktop.domain.parsing import (
    EARLIEST,
    YEARS_AHEAD,
    InputRefused,
    format_date,
    format_rupiah,
    parse_date,
    parse_rupiah,
)
from odc_desktop.ui.field_widgets import TextEditor


class _ParsedTextEditor(TextEditor):
    """A line edit whose text is read by ``parse`` when the operator leaves it."""

    def __init__(self, field: Field, parse: Callable[[str], Any], lang: str = "id",
                 parent: QWidget | None = None):
        self._parse = parse
        super().__init__(field, lang, parent)
        self.edit.textEdited.connect(self._on_typed)
        self.edit.editingFinished.connect(self.read_text)

    def _on_typed(self, _text: str) -> None:
        self.show_input_error("")  # no errors while typing; the text is read on leaving

    def parsed(self) -> Any:
        """The value of the text (None when empty); InputRefused when it cannot be read."""
        text = self.edit.text().strip()
        return self._parse(text) if text else None

    def read_text(self) -> None:
        """Read the text: show it the standard way, or say why it cannot be read."""
        try:
            value = self.parsed()
        except InputRefused as refused:
            self.show_input_error(refused.message(self.lang))
            return
        self.show_input_error("")
        if value is not None and self.edit.text() != self.shown_text(value):
            self.edit.setText(self.shown_text(value))

    def shown_text(self, value: Any) -> str:
        """How a read value is shown."""
        raise NotImplementedError

    def store(self, value: Any) -> Any:
        """How a read value is stored."""
        return value

    def value(self) -> Any:
        try:
            value = self.parsed()
        except InputRefused:
            return self.edit.text().strip()  # kept as typed; the page says it must be fixed
        return None if value is None else self.store(value)

    def _show_stored(self, text: str) -> None:
        self.edit.setText(text)
        self.show_input_error("")
        if text:
            self.read_text()


class MoneyEditor(_ParsedTextEditor):
    """Rupiah amount (``money``): ``1.250.000.000``, ``1,25 M``, ``IDR 1,250,000,000.00``… are
    read on leaving and shown as ``Rp 1.250.000.000``; stores an ``int``."""

    def __init__(self, field: Field, lang: str = "id", parent: QWidget | None = None):
        super().__init__(field, parse_rupiah, lang, parent)
        self.edit.setMaximumWidth(280)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.edit.setPlaceholderText(self.placeholder() or "Rp 0")

    def shown_text(self, value: int) -> str:
        return format_rupiah(value)

    def set_value(self, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            value = None
        self._show_stored(format_rupiah(int(value)) if isinstance(value, (int, float)) else (value or ""))


class DateEditor(_ParsedTextEditor):
    """A date (``date``) typed as ``17-08-2026``, ``17/8/2026``, ``17082026``, ``2026-08-17`` or
    ``17 Agustus 2026``, or picked from a calendar (button, F4 or Alt+Down); shown ``DD-MM-YYYY``,
    stored ``YYYY-MM-DD``. Empty means no date; the × button (reachable with Tab) empties it."""

    def __init__(self, field: Field, lang: str = "id", parent: QWidget | None = None):
        super().__init__(field, parse_date, lang, parent)
        self.edit.setMaximumWidth(170)
        self.edit.setPlaceholderText(self.tr("HH-BB-TTTT"))
        self.edit.installEventFilter(self)
        self.calendar_button = QToolButton(self)
        self.calendar_button.setObjectName("calendarButton")
        self.calendar_button.setText("▾")
        self.calendar_button.setToolTip(self.tr("Pilih dari kalender (F4)"))
        self.calendar_button.setAccessibleName(self.tr("Pilih dari kalender"))
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # F4 / Alt+Down from the field
        self.calendar_button.clicked.connect(self.open_calendar)
        self.clear_button = QToolButton(self)
        self.clear_button.setObjectName("clearDateButton")
        self.clear_button.setText("×")
        self.clear_button.setToolTip(self.tr("Kosongkan tanggal"))
        self.clear_button.setAccessibleName(self.tr("Kosongkan tanggal"))
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.clear_button.clicked.connect(self.clear)
        self.edit.textChanged.connect(self._update_clear_button)
        self.calendar: QCalendarWidget | None = None
        self._read_only = False
        row = QHBoxLayout()
        row.setSpacing(2)
        self._layout.removeWidget(self.edit)
        row.addWidget(self.edit)
        row.addWidget(self.calendar_button)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        self._layout.insertLayout(0, row)
        self._update_clear_button()

    def shown_text(self, value: dt.date) -> str:
        return format_date(value)

    def store(self, value: dt.date) -> str:
        return value.isoformat()

    def set_value(self, value: Any) -> None:
        try:
            text = format_date(dt.date.fromisoformat(str(value))) if value else ""
        except ValueError:
            text = str(value)  # text that was typed and not yet fixed
        self._show_stored(text)

    def set_date(self, year: int, month: int, day: int) -> None:
        """Choose a date as the operator would (emits ``value_did_change``)."""
        self._choose(dt.date(year, month, day))

    def clear(self) -> None:
        """Empty the date (the × button)."""
        if self._read_only or not self.edit.text():
            return
        self.edit.clear()
        self.show_input_error("")
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.value_did_change.emit(True)

    def _choose(self, day: dt.date) -> None:
        self.edit.setText(format_date(day))
        self.show_input_error("")
        self.value_did_change.emit(True)

    def _update_clear_button(self, _text: str = "") -> None:
        # Disabled while empty, so Tab goes straight on to the next field.
        self.clear_button.setEnabled(bool(self.edit.text()) and not self._read_only)

    def open_calendar(self) -> None:
        """Show the calendar under the field, on the field's date or else today's month."""
        if self._read_only:
            return
        if self.calendar is None:
            self.calendar = QCalendarWidget(self)
            self.calendar.setWindowFlags(Qt.WindowType.Popup)
            self.calendar.setObjectName("dateCalendar")
            self.calendar.setGridVisible(True)
            self.calendar.activated.connect(self._calendar_chose)
            self.calendar.clicked.connect(self._calendar_chose)
        today = dt.date.today()
        self.calendar.setDateRange(QDate(EARLIEST.year, 1, 1),
                                   QDate(today.year + YEARS_AHEAD, today.month, min(today.day, 28)))
        try:
            current = self.parsed() or today
        except InputRefused:
            current = today
        self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        self.calendar.move(self.edit.mapToGlobal(QPoint(0, self.edit.height())))
        self.calendar.show()
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _calendar_chose(self, date: QDate) -> None:
        self.calendar.hide()
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)
        self._choose(dt.date(date.year(), date.month(), date.day()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            alt_down = (event.key() == Qt.Key.Key_Down
                        and event.modifiers() & Qt.KeyboardModifier.AltModifier)
            if event.key() == Qt.Key.Key_F4 or alt_down:
                self.open_calendar()
                return True
        return False

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        super().set_read_only(read_only)
        self.calendar_button.setEnabled(not read_only)
        self._update_clear_button()

    def tab_widgets(self) -> list[QWidget]:
        return [self.edit, self.clear_button]
