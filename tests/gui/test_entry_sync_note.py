"""The process view's sync line shows a receipt's time as this PC's local time, not the raw stamp."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDateTime, QLocale, Qt

from odc_desktop.ui.entry_sync_note import _local_time

pytestmark = pytest.mark.gui


def test_a_receipt_time_is_shown_in_local_time_and_the_locale(qapp):
    shown = _local_time("2026-11-28T05:28:38.175411Z")
    when = QDateTime.fromString("2026-11-28T05:28:38.175+00:00", Qt.DateFormat.ISODateWithMs).toLocalTime()
    assert shown == QLocale().toString(when, QLocale.FormatType.ShortFormat)
    assert "T05" not in shown and "Z" not in shown


def test_a_stamp_that_cannot_be_read_is_shown_as_it_is(qapp):
    assert _local_time("kemarin") == "kemarin"
