"""The forms by keyboard alone: Enter picks a suggestion, Esc in a field stays in the form, a removed
row comes back with "Urungkan", no Alt+letter is used twice on one page, Tab visits only what can be
seen and typed into, and "Berikutnya" shows the next step's SOP note."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea

from odc_desktop.app import close_services, create_main_window, create_services
from odc_desktop.domain.forms.definition import text_in
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import Stage
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.ui import i18n
from odc_desktop.ui.compound_editors import GroupEditor
from odc_desktop.ui.form_page import FormPage
from odc_desktop.ui.new_process_dialog import NewProcessDialog
from odc_desktop.ui.settings_dialog import SettingsDialog
from tests.gui.form_driver import TIMEOUT_MS, open_page, type_into
from tests.gui.mnemonics import clashes, mnemonic_of

pytestmark = pytest.mark.gui


def _process(services):
    new = NewProcess("Rehabilitasi Jalan Poros Desa", "1.03.01", "Dinas PU Bina Marga", 2024, "41234567")
    return services.db.run(lambda repo: repo.create_process(new, "ocds-000bjn")).result(timeout=10)


@pytest.fixture
def services(qapp, data_dir: Path):
    services = create_services(data_dir)
    yield services
    close_services(services)


@pytest.fixture
def window(qtbot, services):
    window = create_main_window(services)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT_MS)
    yield window
    window.close()


def _open(qtbot, window, process_id: int, stage: Stage) -> FormPage:
    window.open_process(process_id, stage)
    qtbot.waitUntil(lambda: isinstance(window.process_view.current_page(), FormPage)
                    and window.process_view.current_page().is_loaded(), timeout=TIMEOUT_MS)
    return window.process_view.current_page()


def test_mnemonic_reader():
    assert mnemonic_of("Tandai siap k&irim") == "i"
    assert mnemonic_of("Q&&A &Save") == "s"
    assert mnemonic_of("Simpan") is None


@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_two_visible_buttons_or_labels_share_an_alt_letter(qtbot, data_dir, lang):
    services = create_services(data_dir, lang)
    window = create_main_window(services)
    qtbot.addWidget(window)
    try:
        window.show()
        assert clashes(window) == {}, "process list"
        process = _process(services)
        _open(qtbot, window, process.id, Stage.PLANNING)
        for stage in Stage:
            window.process_view.show_stage(stage)
            page = window.process_view.current_page()
            qtbot.waitUntil(page.is_loaded, timeout=TIMEOUT_MS)
            for step in range(page.steps.count()):
                page.go_to_step(step)
                for editor in page.editors.values():  # a row shows its own buttons
                    if hasattr(editor, "add_row") and editor.isVisibleTo(window) and not editor.rows:
                        editor.add_row()
                assert clashes(window) == {}, f"{stage.value}, step {step + 1}"
        for dialog_class in (NewProcessDialog, SettingsDialog):
            dialog = dialog_class(services, window)
            qtbot.addWidget(dialog)
            dialog.show()
            assert clashes(dialog) == {}, dialog_class.__name__
            dialog.reject()
    finally:
        window.close()
        close_services(services)
        i18n.install_language("id")  # the default, for the tests that follow


def test_enter_on_a_suggestion_picks_it(qtbot, services, data_dir):
    page = open_page(qtbot, services, _process(services), Stage.PLANNING)
    page.go_to_step(page._step_of(page.editors["metode_pemilihan"]))
    combo = page.editors["metode_pemilihan"].combo
    combo.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClicks(combo.lineEdit(), "langs")  # "Pengadaan Langsung", "Penunjukan Langsung"
    popup = combo.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(page.entry_did_save, timeout=TIMEOUT_MS):
        qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert combo.currentText() == "Pengadaan Langsung"
    repo = SqlRepository.open(data_dir)
    try:
        assert repo.current_entry(page.process.id, Stage.PLANNING).data["metode_pemilihan"] == (
            "pengadaan_langsung")
    finally:
        repo.close()


def test_esc_in_a_field_stays_in_the_form(qtbot, services, window):
    page = _open(qtbot, window, _process(services).id, Stage.PLANNING)
    edit = page.editors["pagu"].edit
    type_into(qtbot, edit, "5000000")
    qtbot.keyClick(edit, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.process_view
    assert QApplication.focusWidget() is edit
    # Outside the form (on the step bar) Esc still goes back to the list.
    button = window.process_view.stage_buttons[Stage.PLANNING]
    button.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClick(button, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.list_page


def test_a_removed_row_comes_back_with_urungkan(qtbot, services, data_dir):
    page = open_page(qtbot, services, _process(services), Stage.PLANNING)
    group: GroupEditor = page.editors["rincian_anggaran"]
    page.go_to_step(page._step_of(group))
    assert group.add_button.text() == "&Tambah sumber dana"
    for amount in ("1000000", "2000000"):
        qtbot.mouseClick(group.add_button, Qt.MouseButton.LeftButton)
        type_into(qtbot, group.row_editors(len(group.rows) - 1)["nilai"].edit, amount)
    assert [f.title.text() for f in group.rows] == ["Sumber dana 1", "Sumber dana 2"]
    qtbot.waitUntil(page.is_saved, timeout=TIMEOUT_MS)

    remove = group.rows[0].findChild(type(group.add_button), "removeRowButton")
    remove.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(remove, Qt.Key.Key_Space)
    assert len(group.rows) == 1 and group.undo_bar.isVisible()
    assert group.undo_text.text() == "Sumber dana 1 dihapus."
    assert QApplication.focusWidget() is group.undo_button
    qtbot.waitUntil(page.is_saved, timeout=TIMEOUT_MS)
    assert [r["nilai"] for r in _stored(data_dir, page)["rincian_anggaran"]] == [2_000_000]

    qtbot.keyClick(group.undo_button, Qt.Key.Key_Space)  # the same key again undoes it
    assert not group.undo_bar.isVisible()
    assert [e["nilai"].value() for e in (group.row_editors(0), group.row_editors(1))] == [
        1_000_000, 2_000_000]
    assert [group.rows_box.indexOf(frame) for frame in group.rows] == [0, 1]  # back in its place
    assert [frame.title.text() for frame in group.rows] == ["Sumber dana 1", "Sumber dana 2"]
    qtbot.waitUntil(page.is_saved, timeout=TIMEOUT_MS)
    assert [r["nilai"] for r in _stored(data_dir, page)["rincian_anggaran"]] == [1_000_000, 2_000_000]


def _stored(data_dir: Path, page: FormPage) -> dict:
    repo = SqlRepository.open(data_dir)
    try:
        return repo.current_entry(page.process.id, page.stage).data
    finally:
        repo.close()


@pytest.mark.parametrize("stage", list(Stage))
def test_tab_visits_only_inputs_and_buttons_that_can_be_seen(qtbot, services, window, stage):
    page = _open(qtbot, window, _process(services).id, stage)
    for step in range(len(page.form.sections)):
        page.go_to_step(step, focus=True)
        for _ in range(25):
            widget = QApplication.focusWidget()
            assert widget is not None and widget.isVisible() and widget.width() > 0
            assert not isinstance(widget, QScrollArea), f"step {step + 1}: the scroll area takes Tab"
            qtbot.keyClick(widget, Qt.Key.Key_Tab)


def test_next_shows_the_sop_note_of_the_step(qtbot, services):
    page = open_page(qtbot, services, _process(services), Stage.PLANNING)
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    section = page.form.sections[1]
    note = page.pages.currentWidget().widget().findChild(type(page.title), "sectionSop")
    assert text_in(section.sop, "id") and note is not None and note.isVisible()
    assert note.text() == text_in(section.sop, "id")
