"""The process list sorts by any column when its header is clicked, in the database (the model
holds ids only), and stays a well-behaved Qt model; filters and search keep the chosen order."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from odc_desktop.domain.statuses import EntryStatus
from tests.gui.test_main_window import TITLES, _wait_rows, make_window  # noqa: F401  (fixture)

pytestmark = pytest.mark.gui


def _column(window, column: int) -> list[str]:
    model = window.list_page.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def _click_header(qtbot, window, column: int) -> None:
    header = window.list_page.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    with qtbot.waitSignal(window.list_page.list_did_update, timeout=5000):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    _wait_rows(qtbot, window, window.list_page.model.rowCount())


def test_clicking_a_header_sorts_by_that_column(qtbot, make_window, qtmodeltester):
    window = make_window()
    header = window.list_page.table.horizontalHeader()
    assert header.sortIndicatorSection() == 5 and header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    _click_header(qtbot, window, 0)  # Nama paket, A→Z
    assert _column(window, 0) == sorted(TITLES, key=str.lower)
    _click_header(qtbot, window, 0)  # Z→A
    assert _column(window, 0) == sorted(TITLES, key=str.lower, reverse=True)
    _click_header(qtbot, window, 2)  # Tahun
    years = _column(window, 2)
    assert years == sorted(years) and years[0] != years[-1]
    _click_header(qtbot, window, 3)  # Tahap: the one process in the tender stage comes last
    assert _column(window, 3)[-1] == "Pemilihan" and _column(window, 0)[-1] == TITLES[2]
    _click_header(qtbot, window, 4)  # Status: not started, then draft, then ready
    assert _column(window, 4) == ["Belum diisi"] * 4 + [EntryStatus.DRAFT.title("id"),
                                                         EntryStatus.READY.title("id")]
    qtmodeltester.check(window.list_page.model)


def test_search_keeps_the_chosen_order(qtbot, make_window):
    window = make_window()
    _click_header(qtbot, window, 0)
    with qtbot.waitSignal(window.list_page.list_did_update, timeout=5000):
        qtbot.keyClicks(window.list_page.search, "pembangunan")
    matches = [t for t in TITLES if "pembangunan" in t.lower()]
    _wait_rows(qtbot, window, len(matches))
    assert _column(window, 0) == sorted(matches, key=str.lower)
