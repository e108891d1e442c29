"""The app fits an office screen: 1024×768, and a maximised window on 1366×768 (1366×697 usable).
The window may be that small in both languages; every step of every stage form then shows without a
horizontal scroll bar, with at least 60% of the height for the form itself, uncut stage buttons,
and money and NPWP boxes wide enough for their values."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from odc_desktop.app import close_services, create_main_window, create_services
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import Stage
from odc_desktop.ui import i18n
from odc_desktop.ui.compound_editors import GroupEditor, OrganizationListEditor
from odc_desktop.ui.form_page import FormPage
from tests.gui.form_driver import TIMEOUT_MS, type_into

pytestmark = pytest.mark.gui

LONG_TITLE = ("Pembangunan Jembatan Penghubung Desa Ngumpakdalem dan Desa Kalitidu Kecamatan Dander "
              "Tahap II")
LONG_OPD = "Dinas Pekerjaan Umum Bina Marga dan Penataan Ruang"


@pytest.fixture(params=["id", "en"])
def window(request, qtbot, qapp, data_dir):
    services = create_services(data_dir, request.param)
    window = create_main_window(services)  # installs the language and the style sheet, as the app
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    new = NewProcess(LONG_TITLE, "1.03.03", LONG_OPD, 2024, "41234567")
    window.process_id = services.db.run(lambda repo: repo.create_process(new, "ocds-000bjn")).result(10).id
    yield window
    window.close()
    close_services(services)
    i18n.install_language("id")  # the default, for the tests that follow


def test_the_window_may_be_1024_by_700(window):
    hint = window.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 700, hint
    assert window.minimumSize().width() <= 1024 and window.minimumSize().height() <= 700


def _settle(qtbot, window) -> None:
    """Handle the posted layout requests now (no timed wait); nested layouts post more, hence thrice."""
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def _open_stage(qtbot, window, stage: Stage) -> FormPage:
    if window.process_view.process is None:
        window.open_process(window.process_id, stage)
        qtbot.waitUntil(lambda: window.process_view.process is not None, timeout=TIMEOUT_MS)
    window.process_view.show_stage(stage)
    page = window.process_view.current_page()
    qtbot.waitUntil(page.is_loaded, timeout=TIMEOUT_MS)
    return page


@pytest.mark.parametrize("size", [(1024, 768), (1366, 697)])
def test_every_form_step_fits_without_sideways_scrolling(qtbot, window, size):
    width, height = size
    window.resize(width, height)
    _settle(qtbot, window)
    assert (window.width(), window.height()) == size
    for stage in Stage:
        page = _open_stage(qtbot, window, stage)
        _settle(qtbot, window)
        # A narrow window folds the SOP help under the form; a wide one keeps it beside.
        assert page.is_narrow() == (width < 1100) and page.help.isVisible() == (width >= 1100)
        for button in window.process_view.stage_buttons.values():
            assert button.width() >= button.sizeHint().width() - 2, button.text()  # not cut off
        for step in range(len(page.form.sections)):
            page.go_to_step(step)
            _settle(qtbot, window)
            area = page.pages.currentWidget()
            where = f"{stage.value}, step {step + 1}, {width}x{height}"
            assert not area.horizontalScrollBar().isVisible(), where
            assert area.height() >= 0.6 * window.height(), (where, area.height())


def test_money_npwp_and_names_show_whole_in_repeat_rows(qtbot, window):
    window.resize(1024, 768)
    page = _open_stage(qtbot, window, Stage.PLANNING)
    group: GroupEditor = page.editors["rincian_anggaran"]
    page.go_to_step(page._step_of(group))
    group.add_row()
    money = group.row_editors(0)["nilai"].edit
    type_into(qtbot, money, "1250000000000")
    _settle(qtbot, window)
    assert _fits(money), money.text()

    page = _open_stage(qtbot, window, Stage.TENDER)
    bidders: OrganizationListEditor = page.editors["peserta"]
    page.go_to_step(page._step_of(bidders))
    bidders.add_row()
    form = bidders.organization_forms()[0]
    type_into(qtbot, form.name, "CV Karya Bangun Konstruksi Ngumpakdalem Sejahtera")
    type_into(qtbot, form.npwp, "0123456789012345")
    _settle(qtbot, window)
    assert _fits(form.npwp), form.npwp.text()
    assert _fits(form.name), form.name.text()
    assert not page.pages.currentWidget().horizontalScrollBar().isVisible()


def _fits(edit) -> bool:
    """The whole text of a line edit is visible (its frame and margins aside)."""
    return edit.fontMetrics().horizontalAdvance(edit.text()) + 16 <= edit.width()


def test_a_narrow_window_shows_the_sop_help_under_the_form(qtbot, window):
    window.resize(1024, 768)
    page = _open_stage(qtbot, window, Stage.PLANNING)
    _settle(qtbot, window)
    assert page.is_narrow() and page.help_strip.isVisible() and not page.help.isVisible()
    page.editors["pagu"].focus_target().setFocus()
    field = page.form.field("pagu")
    label = field.label[window.services.lang]
    qtbot.waitUntil(lambda: page.help_strip.text().startswith(label), timeout=TIMEOUT_MS)
    assert field.help[window.services.lang].split()[0] in page.help_strip.text()
    window.resize(1366, 697)  # maximised on a 1366×768 screen: the help column comes back
    qtbot.waitUntil(lambda: page.help.isVisible() and not page.help_strip.isVisible(), timeout=TIMEOUT_MS)


def test_the_process_list_keeps_room_for_names_at_1024(qtbot, window):
    window.resize(1024, 768)
    _settle(qtbot, window)
    table = window.list_page.table
    assert table.columnWidth(0) >= 300  # the name column; the others have fixed widths
    assert not table.horizontalScrollBar().isVisible()
    page = window.list_page
    for combo in (page.opd, page.year, page.stage, page.status):  # "Semua tahun" etc. not cut off
        assert combo.fontMetrics().horizontalAdvance(combo.currentText()) + 30 <= combo.width(), \
            combo.currentText()
