"""What the operator types is what gets saved (issue 5): every listed rupiah, NPWP and date string,
typed key by key or pasted, into a real form on a real SQLite store, then Tab; refused text stays
on screen with a message and is never turned into another value; looking at a stage starts no
entry; empty or mislabelled documents are refused; documents open in the system viewer."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication

from odc_desktop.app import close_services, create_services
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import Stage
from odc_desktop.ui.compound_editors import GroupEditor
from odc_desktop.ui.field_widgets import FieldEditor
from odc_desktop.ui.form_page import FormPage
from tests.gui.form_driver import TIMEOUT_MS, attach_by_drop, make_document, open_page, type_into
from tests.unit.form_samples import PROCESS

pytestmark = pytest.mark.gui

BILLION = 1_250_000_000
RUPIAH = [("1250000000", BILLION), ("1.250.000.000", BILLION), ("1.250.000.000,00", BILLION),
          ("1.250.000.000,-", BILLION), ("Rp 1.250.000.000,00", BILLION), ("Rp. 1.250.000.000", BILLION),
          ("IDR 1,250,000,000.00", BILLION), ("1,25 M", BILLION), ("1,25 miliar", BILLION),
          ("617,4 jt", 617_400_000), ("617,4 juta", 617_400_000), ("500 rb", 500_000)]
RUPIAH_REFUSED = ["1.250.000.000,50", "-5000", "1.250,000", "1,25 ons"]
NPWP = [("01.234.567.8-601.000", "0012345678601000", "01.234.567.8-601.000"),
        ("012345678601000", "0012345678601000", "01.234.567.8-601.000"),
        ("NPWP: 01.234.567.8-601.000", "0012345678601000", "01.234.567.8-601.000"),
        ("3522012345678901", "3522012345678901", "3522012345678901"),
        ("3522 0123 4567 8901", "3522012345678901", "3522012345678901"),
        ("0012345678601000", "0012345678601000", "0012345678601000")]
DATES = ["17/08/2026", "17-08-2026", "17.08.2026", "17082026", "17/8/2026", "2026-08-17", "17 Agustus 2026"]


@pytest.fixture
def store(qapp, data_dir: Path):
    """Services whose DB jobs run at once on the GUI thread, on a real SQLite file."""
    services = create_services(data_dir, sync=True)
    yield services
    close_services(services)


def _process(services):
    new = NewProcess(PROCESS["title"], PROCESS["opd_code"], PROCESS["opd_name"], PROCESS["year"],
                     PROCESS["kode_rup"], PROCESS["kecamatan"])
    return services.db.run(lambda repo: repo.create_process(new, "ocds-000bjn")).result(timeout=10)


def _stored(services, process, stage):
    entry = services.db.run(lambda repo: repo.current_entry(process.id, stage)).result(timeout=10)
    return None if entry is None else entry.data


def _paste(qtbot, line_edit, text: str) -> None:
    """Replace the line edit's text by pasting ``text`` from the system clipboard (Ctrl+V)."""
    QApplication.clipboard().setText(text)
    line_edit.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(line_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(line_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert line_edit.text() == text


def _enter(qtbot, page: FormPage, line_edit, text: str, paste: bool) -> None:
    if paste:
        _paste(qtbot, line_edit, text)
    else:
        type_into(qtbot, line_edit, text)
    qtbot.keyClick(line_edit, Qt.Key.Key_Tab)
    page.flush()


@pytest.mark.parametrize("paste", [False, True], ids=["typed", "pasted"])
def test_every_listed_rupiah_string_is_saved_as_its_whole_rupiah_value(qtbot, store, paste):
    process = _process(store)
    page = open_page(qtbot, store, process, Stage.PLANNING)
    editor = page.editors["pagu"]
    for text, amount in RUPIAH:
        _enter(qtbot, page, editor.edit, text, paste)
        assert editor.edit.text() == f"Rp {amount:,}".replace(",", "."), text
        assert editor.error_label.isHidden(), text
        stored = _stored(store, process, Stage.PLANNING)["pagu"]
        assert stored == amount and type(stored) is int, text


def test_refused_rupiah_stays_as_typed_with_a_message_and_blocks_ready(qtbot, store):
    process = _process(store)
    page = open_page(qtbot, store, process, Stage.PLANNING)
    editor = page.editors["pagu"]
    for text in RUPIAH_REFUSED:
        type_into(qtbot, editor.edit, text)
        assert editor.error_label.isHidden()  # nothing said while typing
        qtbot.keyClick(editor.edit, Qt.Key.Key_Tab)
        page.flush()
        assert editor.edit.text() == text  # never silently changed
        assert not editor.error_label.isHidden() and text in editor.error_label.text()
        assert _stored(store, process, Stage.PLANNING)["pagu"] == text  # kept, not a wrong number
    assert "pecahan" not in editor.error_label.text()  # the last message is about the last text
    page.mark_ready()
    assert any(p.path == "pagu" for p in page.problems())
    type_into(qtbot, editor.edit, "1,25 M")
    qtbot.keyClick(editor.edit, Qt.Key.Key_Tab)
    assert editor.error_label.isHidden()


def test_a_fraction_of_a_rupiah_is_refused_in_english_too(qtbot, qapp, data_dir):
    services = create_services(data_dir, "en", sync=True)
    try:
        page = open_page(qtbot, services, _process(services), Stage.PLANNING)
        editor = page.editors["pagu"]
        type_into(qtbot, editor.edit, "1.250.000.000,50")
        qtbot.keyClick(editor.edit, Qt.Key.Key_Tab)
        assert "fraction of a rupiah" in editor.error_label.text()
    finally:
        close_services(services)


@pytest.mark.parametrize("paste", [False, True], ids=["typed", "pasted"])
def test_every_listed_npwp_is_saved_with_16_digits(qtbot, store, paste):
    process = _process(store)
    page = open_page(qtbot, store, process, Stage.AWARD)
    form = page.editors["pemenang"].form
    type_into(qtbot, form.name, "CV Karya Mandiri")
    for text, npwp, shown in NPWP:
        _enter(qtbot, page, form.npwp, text, paste)
        assert form.npwp.text() == shown, text
        assert form.npwp_error.isHidden()
        assert form.npwp16.isHidden() == (npwp == shown), text  # the 16 digits beside a 15-digit NPWP
        assert _stored(store, process, Stage.AWARD)["pemenang"]["npwp"] == npwp, text
    # loaded again, a 15-digit NPWP is shown in its old form with the 16 digits beside it
    _enter(qtbot, page, form.npwp, "01.234.567.8-601.000", paste)
    page.close()
    again = open_page(qtbot, store, process, Stage.AWARD).editors["pemenang"].form
    assert again.npwp.text() == "01.234.567.8-601.000" and "0012345678601000" in again.npwp16.text()
    assert not again.npwp16.isHidden()


def test_an_npwp_of_another_length_is_refused(qtbot, store):
    process = _process(store)
    page = open_page(qtbot, store, process, Stage.AWARD)
    form = page.editors["pemenang"].form
    type_into(qtbot, form.name, "CV Karya Mandiri")
    _enter(qtbot, page, form.npwp, "01.234.567.8-601.00", paste=False)
    assert form.npwp.text() == "01.234.567.8-601.00"
    assert not form.npwp_error.isHidden() and "14 digit" in form.npwp_error.text()
    assert page.editors["pemenang"].error_label.isHidden()  # said once, under the NPWP


@pytest.mark.parametrize("paste", [False, True], ids=["typed", "pasted"])
def test_every_listed_date_is_saved_into_an_empty_or_a_filled_field(qtbot, store, paste):
    process = _process(store)
    page = open_page(qtbot, store, process, Stage.AWARD)
    editor = page.editors["tanggal_penetapan"]
    for text in DATES:
        editor.clear()
        assert editor.edit.text() == ""
        _enter(qtbot, page, editor.edit, text, paste)  # into an empty field
        assert editor.edit.text() == "17-08-2026" and editor.error_label.isHidden(), text
        assert _stored(store, process, Stage.AWARD)["tanggal_penetapan"] == "2026-08-17", text
    editor.set_date(2025, 1, 2)
    type_into(qtbot, editor.edit, "1 Mei 2026")  # over a filled one
    qtbot.keyClick(editor.edit, Qt.Key.Key_Tab)
    page.flush()
    assert _stored(store, process, Stage.AWARD)["tanggal_penetapan"] == "2026-05-01"


@pytest.mark.parametrize("text, words", [("31-02-2026", "tidak ada di kalender"),
                                         ("17-08-1999", "sebelum tahun 2000"),
                                         ("17-08-2099", "10 tahun ke depan"), ("besok", "HH-BB-TTTT")])
def test_an_impossible_or_implausible_date_is_refused(qtbot, store, text, words):
    process = _process(store)
    page = open_page(qtbot, store, process, Stage.AWARD)
    editor = page.editors["tanggal_penetapan"]
    _enter(qtbot, page, editor.edit, text, paste=False)
    assert editor.edit.text() == text and words in editor.error_label.text()
    assert _stored(store, process, Stage.AWARD)["tanggal_penetapan"] == text


def test_date_keyboard_tab_up_calendar_and_clear(qtbot, store):
    process = _process(store)
    page = open_page(qtbot, store, process, Stage.AWARD)
    editor = page.editors["tanggal_penetapan"]
    editor.edit.setFocus()
    qtbot.keyClick(editor.edit, Qt.Key.Key_Up)  # Up on an empty date invents nothing
    assert editor.edit.text() == "" and editor.value() is None
    qtbot.keyClick(editor.edit, Qt.Key.Key_Tab)  # and Tab leaves an empty date at once
    assert not editor.isAncestorOf(QApplication.focusWidget())
    # F4 opens the calendar; Enter there picks the date
    editor.edit.setFocus()
    qtbot.keyClick(editor.edit, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: editor.calendar is not None and editor.calendar.isVisible(), timeout=TIMEOUT_MS)
    editor.calendar.setSelectedDate(editor.calendar.selectedDate().addDays(1))
    picked = editor.calendar.selectedDate()
    qtbot.keyClick(editor.calendar.findChild(QAbstractItemView), Qt.Key.Key_Return)
    assert not editor.calendar.isVisible()
    page.flush()
    assert _stored(store, process, Stage.AWARD)["tanggal_penetapan"] == picked.toString("yyyy-MM-dd")
    # Alt+Down opens it too; Esc closes it without a change
    qtbot.keyClick(editor.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(editor.calendar.isVisible, timeout=TIMEOUT_MS)
    editor.calendar.hide()
    # the clear button is the next Tab stop of a filled date, and Space empties the date
    editor.edit.setFocus()
    qtbot.keyClick(editor.edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.clear_button
    qtbot.keyClick(editor.clear_button, Qt.Key.Key_Space)
    page.flush()
    assert editor.edit.text() == "" and _stored(store, process, Stage.AWARD)["tanggal_penetapan"] is None


def test_looking_at_a_stage_starts_no_entry(qtbot, store):
    process = _process(store)
    before = store.db.run(lambda repo: repo.get_process_rows([process.id])).result(timeout=10)[0]
    changes = []
    page = FormPage(store, process, Stage.TENDER)
    qtbot.addWidget(page)
    page.entry_status_did_change.connect(lambda *args: changes.append(args))
    page.show()
    page.load()
    qtbot.waitUntil(page.is_loaded, timeout=TIMEOUT_MS)
    for step in range(page.steps.count()):  # every step, every field focused, nothing typed
        page.go_to_step(step, focus=True)
        for editor in page.editors.values():
            if page.pages.currentWidget().isAncestorOf(editor):
                editor.focus_target().setFocus()
    page.flush()
    page.close()
    assert _stored(store, process, Stage.TENDER) is None and changes == []
    after = store.db.run(lambda repo: repo.get_process_rows([process.id])).result(timeout=10)[0]
    assert after == before


def test_an_empty_row_shows_no_errors_until_the_operator_leaves_it(qtbot, store):
    page = open_page(qtbot, store, _process(store), Stage.PLANNING)
    group = page.editors["rincian_anggaran"]
    page.go_to_step(page._step_of(group))
    qtbot.mouseClick(group.add_button, Qt.MouseButton.LeftButton)
    row = group.row_editors(0)
    assert all(e.error_label.isHidden() for e in row.values()) and group.error_label.isHidden()
    page.editors["pagu"].focus_target().setFocus()  # leaving the group shows what is missing
    assert not all(e.error_label.isHidden() for e in row.values())


@pytest.mark.parametrize("name, content, words", [
    ("kosong.pdf", b"", "kosong (0 byte)"),
    ("dpa.pdf", b"<html>bukan pdf</html>", "bukan PDF"),
    ("foto.jpg", b"%PDF-1.4 sebenarnya pdf", "bukan JPEG"),
    ("foto.png", b"\xff\xd8\xff\xe0 sebenarnya jpeg", "bukan PNG"),
])
def test_an_empty_or_mislabelled_document_is_refused(qtbot, store, tmp_path, name, content, words):
    process = _process(store)
    page = open_page(qtbot, store, process, Stage.PLANNING)
    path, _sha = make_document(tmp_path, name, content)
    page.attachments.add_file(path, "dpa")
    assert words in page.attachments.message.text() and page.attachments.attachments == []
    assert _stored(store, process, Stage.PLANNING) is None  # a refused document starts no entry either


def test_optional_documents_are_not_marked_like_missing_required_ones(qtbot, store):
    page = open_page(qtbot, store, _process(store), Stage.PLANNING)
    lines = page.attachments.checklist_lines()
    assert lines[0].startswith("✗  ") and lines[1].startswith("✗  ")  # DPA and KAK are required
    assert lines[2].startswith("○  ")  # the RUP printout is optional
    assert page.attachments.checklist.text().count("✗") == 2


class _Viewer(QObject):
    """Stands in for the system viewer: records the URLs QDesktopServices hands to it."""

    def __init__(self):
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def show_file(self, url: QUrl) -> None:
        self.urls.append(url)


def test_an_attached_document_opens_in_the_system_viewer(qtbot, store, tmp_path):
    page = open_page(qtbot, store, _process(store), Stage.PLANNING)
    path, _sha = make_document(tmp_path, "DPA 2026.pdf")
    attach_by_drop(qtbot, page, path, "dpa")
    assert page.entry is not None  # the first document started the entry
    panel = page.attachments
    viewer = _Viewer()
    QDesktopServices.setUrlHandler("file", viewer, "show_file")
    try:
        panel.list.setCurrentRow(0)
        with qtbot.waitSignal(panel.document_did_open, timeout=TIMEOUT_MS):
            qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
        item_rect = panel.list.visualItemRect(panel.list.item(0))
        with qtbot.waitSignal(panel.document_did_open, timeout=TIMEOUT_MS):
            qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=item_rect.center())
            qtbot.mouseDClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=item_rect.center())
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert len(viewer.urls) == 2
    opened = Path(viewer.urls[0].toLocalFile())
    assert opened.name == "DPA 2026.pdf" and opened.read_bytes() == path.read_bytes()


def test_every_editor_is_named_by_its_field_id_and_label(qtbot, store):
    process = _process(store)
    for stage in Stage:
        page = open_page(qtbot, store, process, stage)
        for field in page.form.all_fields():
            editor = page.editors[field.id]
            assert page.findChild(FieldEditor, field.id) is editor
            assert editor.accessibleName() == field.label["id"]
            target = editor.focus_target()
            if isinstance(target, QAbstractButton):  # a list's "Tambah …" button: read by its text
                assert target.text()
            else:  # the input itself, or a compound's first input under its own name ("Nama")
                assert target.accessibleName() in (field.label["id"], "Nama")
            if isinstance(editor, GroupEditor):
                page.go_to_step(page._step_of(editor))
                qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
                for child in field.fields:
                    row_editor = editor.row_editors(0)[child.id]
                    assert row_editor.objectName() == child.id
                    assert row_editor.accessibleName() == child.label["id"]
        page.close()
