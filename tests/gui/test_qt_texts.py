"""Qt's own texts follow the app's language: the standard dialog buttons, the right-click menu of a
text field and the calendar's month names (Qt ships no Indonesian, so the project's qtbase_id.ts)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDialogButtonBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QToolButton,
)

from odc_desktop.ui import i18n

pytestmark = pytest.mark.gui


@pytest.fixture
def language(qapp):
    """Install a language for one test; Indonesian (the default) again afterwards."""
    yield i18n.install_language
    i18n.install_language("id")


def _menu_texts(widget) -> list[str]:
    menu = widget.createStandardContextMenu()
    try:
        return [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]
    finally:
        menu.deleteLater()


def _month_shown(qtbot, year: int, month: int) -> str:
    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    calendar.setSelectedDate(QDate(year, month, 17))
    calendar.setCurrentPage(year, month)
    return calendar.findChild(QToolButton, "qt_calendar_monthbutton").text()


def test_indonesian_dialog_buttons_context_menu_and_calendar(qtbot, language):
    language("id")
    box = QMessageBox(QMessageBox.Icon.Question, "Judul", "Teks",
                      QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QMessageBox.StandardButton.Cancel).text() == "Batal"
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                               | QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Batal"
    assert buttons.button(QDialogButtonBox.StandardButton.Close).text() == "Tutup"
    edit = QLineEdit("teks")
    qtbot.addWidget(edit)
    assert _menu_texts(edit) == ["&Urungkan", "&Ulangi", "Po&tong", "&Salin", "T&empel", "Hapus",
                                 "Pilih semua"]
    area = QPlainTextEdit("teks")
    qtbot.addWidget(area)
    assert "T&empel" in _menu_texts(area)
    assert _month_shown(qtbot, 2026, 8) == "Agustus"
    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    assert calendar.locale().dayName(1, QLocale.FormatType.ShortFormat) == "Sen"  # the day-name header


def test_english_keeps_qts_own_texts(qtbot, language):
    language("en")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"
    edit = QLineEdit("text")
    qtbot.addWidget(edit)
    assert _menu_texts(edit)[0] == "&Undo"
    assert _month_shown(qtbot, 2026, 8) == "August"


@pytest.mark.parametrize("name", ["odc_en.ts", "qtbase_id.ts"])
def test_catalogues_compile_with_lrelease(tmp_path, name):
    """A malformed .ts would silently fall back to reading the XML (or to the source language)."""
    import subprocess

    lrelease = i18n._lrelease_executable()
    assert lrelease is not None
    done = subprocess.run([lrelease, str(i18n.resources_dir() / name), "-qm", str(tmp_path / "out.qm")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 unfinished" in done.stdout
