"""The stage form page against a real SQLite store: autosave, inline errors, money, help, steps,
read-only entries, drag-and-drop attachments, "Tandai siap", and its English chrome."""

from __future__ import annotations

import sqlite3
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from odc_desktop.app import close_services, create_services
from odc_desktop.ui import i18n
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.ui.parsed_editors import MoneyEditor
from odc_desktop.ui.process_list_model import status_text
from odc_desktop.ui.i18n import with_args
from tests.gui.form_driver import (
    TIMEOUT_MS,
    attach_by_drop,
    attach_required,
    drop_files,
    fill_page,
    make_document,
    open_page,
    type_into,
)
from tests.unit.form_samples import PROCESS, valid_data
from tests.status_path import TO_APPROVED, TO_SUBMITTED, advance

pytestmark = pytest.mark.gui


def _new_process(services):
    new = NewProcess(PROCESS["title"], PROCESS["opd_code"], PROCESS["opd_name"], PROCESS["year"],
                     PROCESS["kode_rup"], PROCESS["kecamatan"])
    return services.db.run(lambda repo: repo.create_process(new, "ocds-000bjn")).result(timeout=10)


def _close(services) -> None:
    close_services(services)


@pytest.fixture
def threaded(qapp, data_dir: Path):
    """Services with the real threaded DB runner on a real SQLite file."""
    services = create_services(data_dir)
    yield services
    _close(services)


@pytest.fixture
def direct(qapp, data_dir: Path):
    """Services whose DB jobs run at once on the GUI thread (same SQLite store)."""
    services = create_services(data_dir, sync=True)
    yield services
    _close(services)


def test_typing_autosaves_and_survives_reopening_the_store(qtbot, threaded, data_dir):
    process = _new_process(threaded)
    page = open_page(qtbot, threaded, process, Stage.PLANNING)
    with qtbot.waitSignal(page.entry_did_save, timeout=TIMEOUT_MS):
        type_into(qtbot, page.editors["pagu"].edit, "1250000000")
    type_into(qtbot, page.editors["uraian_pekerjaan"].edit, "Rehabilitasi jalan desa")
    assert page.save_label.text() == "Menyimpan…"
    qtbot.waitUntil(page.is_saved, timeout=TIMEOUT_MS)
    assert page.save_label.text().startswith("Tersimpan otomatis ")

    other = SqlRepository.open(data_dir)
    try:
        entry = other.current_entry(process.id, Stage.PLANNING)
        assert entry.data["pagu"] == 1_250_000_000
        assert entry.data["uraian_pekerjaan"] == "Rehabilitasi jalan desa"
        assert other.get_meta("ui.last_process_id") == str(process.id)
        assert other.get_meta("ui.last_stage") == "planning"
    finally:
        other.close()
    # Autosave records the form for crash recovery once, not again on every save of the same form;
    # the field edited last once per field (two here), not per keystroke.
    with sqlite3.connect(data_dir / "odc.sqlite3") as conn:
        keys = [k for (k,) in conn.execute("SELECT object_id FROM audit_log WHERE action = 'set_meta'")]
    assert sorted(keys) == ["ui.last_field", "ui.last_field", "ui.last_process_id", "ui.last_stage"]


def test_leaving_a_field_saves_before_the_debounce_fires(qtbot, threaded):
    process = _new_process(threaded)
    page = open_page(qtbot, threaded, process, Stage.PLANNING)
    page._debounce.setInterval(60_000)  # only the focus change can save within the wait below
    type_into(qtbot, page.editors["volume_pekerjaan"].edit, "1.200 m")
    assert not page.is_saved()
    page.editors["lokasi_detail"].edit.setFocus()
    qtbot.waitUntil(page.is_saved, timeout=TIMEOUT_MS)
    entry = threaded.db.run(lambda repo: repo.current_entry(process.id, Stage.PLANNING)).result(10)
    assert entry.data["volume_pekerjaan"] == "1.200 m"


def test_inline_error_appears_for_a_cleared_required_field_and_goes_when_filled(qtbot, direct):
    page = open_page(qtbot, direct, _new_process(direct), Stage.PLANNING)
    editor = page.editors["uraian_pekerjaan"]
    assert editor.error_label.isHidden()  # untouched fields do not shout
    type_into(qtbot, editor.edit, "x")
    qtbot.keyClick(editor.edit, Qt.Key.Key_Backspace)
    assert editor.error_label.isHidden()  # not while typing
    qtbot.keyClick(editor.edit, Qt.Key.Key_Tab)  # but once the operator leaves the field
    assert not editor.error_label.isHidden()
    assert "Uraian pekerjaan" in editor.error_label.text()
    assert any("Uraian pekerjaan" in m for m in page.summary.messages())
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, "Pengaspalan jalan")
    assert editor.error_label.isHidden()
    assert not any("Uraian pekerjaan" in m for m in page.summary.messages())


def test_money_editor_shows_rupiah_and_stores_an_int(qtbot, direct):
    process = _new_process(direct)
    page = open_page(qtbot, direct, process, Stage.PLANNING)
    editor = page.editors["pagu"]
    assert isinstance(editor, MoneyEditor)
    type_into(qtbot, editor.edit, "1250000000")
    assert editor.edit.text() == "1250000000"  # left as typed while typing
    qtbot.keyClick(editor.edit, Qt.Key.Key_Tab)
    assert editor.edit.text() == "Rp 1.250.000.000"
    # typing in the middle changes just that digit; the text is read again on leaving
    editor.edit.setFocus()
    editor.edit.setCursorPosition(len("Rp 1"))
    qtbot.keyClicks(editor.edit, "9")
    assert editor.edit.text() == "Rp 19.250.000.000"
    assert editor.edit.cursorPosition() == len("Rp 19")
    qtbot.keyClick(editor.edit, Qt.Key.Key_Tab)
    page.flush()
    stored = direct.db.run(lambda repo: repo.current_entry(process.id, Stage.PLANNING)).result()
    assert stored.data["pagu"] == 19_250_000_000
    assert type(stored.data["pagu"]) is int


def test_help_panel_follows_the_focused_field(qtbot, direct):
    page = open_page(qtbot, direct, _new_process(direct), Stage.PLANNING)
    page.editors["pagu"].focus_target().setFocus()
    qtbot.waitUntil(lambda: page.help.title.text() == "Pagu anggaran", timeout=TIMEOUT_MS)
    assert "SOP 2.1" in page.help.step.text()
    assert "DPA" in page.help.body.text()
    qtbot.mouseClick(page.editors["rincian_anggaran"].add_button, Qt.MouseButton.LeftButton)
    row = page.editors["rincian_anggaran"].row_editors(0)
    row["mak"].focus_target().setFocus()
    qtbot.waitUntil(lambda: page.help.title.text() == "Kode rekening (MAK)", timeout=TIMEOUT_MS)
    page.steps.setFocus()
    qtbot.waitUntil(lambda: page.help.shown_field_id is None, timeout=TIMEOUT_MS)
    assert page.help.title.text() == "Anggaran"
    assert "DPA" in page.help.body.text()


def test_steps_move_with_buttons_and_ctrl_page_keys(qtbot, direct):
    page = open_page(qtbot, direct, _new_process(direct), Stage.PLANNING)
    titles = [page.steps.item(i).text() for i in range(page.steps.count())]
    assert titles[0] == "1. Anggaran"
    assert titles[-1] == f"{len(page.form.sections) + 1}. Dokumen"
    assert not page.prev_button.isEnabled()
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert page.current_step() == 1
    second = page.form.sections[1]
    assert QApplication.focusWidget() is page.editors[second.fields[0].id].focus_target()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert page.current_step() == 2
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert page.current_step() == 1
    page.go_to_step(page.steps.count() - 1)
    assert page.pages.currentWidget() is page.attachments
    assert not page.next_button.isEnabled()


def test_submitted_entry_is_read_only_with_a_banner(qtbot, direct):
    process = _new_process(direct)
    form = direct.forms.current(Stage.PLANNING)

    def submitted(repo):
        entry = repo.create_entry(process.id, Stage.PLANNING, form.id, form.version, form.content_hash,
                                  {"pagu": 5_000_000})
        return advance(repo, entry.id, *TO_SUBMITTED)

    direct.db.run(submitted)
    page = open_page(qtbot, direct, process, Stage.PLANNING)
    assert not page.banners.locked.isHidden()
    assert "terkirim" in page.banners.locked.text()
    assert page.editors["pagu"].edit.isReadOnly()
    assert page.editors["pagu"].edit.text() == "Rp 5.000.000"
    qtbot.keyClicks(page.editors["pagu"].edit, "123")
    assert page.editors["pagu"].edit.text() == "Rp 5.000.000"
    assert not page.ready_button.isEnabled()
    assert not page.attachments.add_button.isEnabled()
    assert not page.editors["jenis_pengadaan"].combo.isEnabled()


def test_an_approved_entry_is_changed_through_a_new_entry_that_becomes_an_update(qtbot, direct, tmp_path):
    from odc_desktop.domain.ocds.release import build_process_releases

    process = _new_process(direct)
    form = direct.forms.current(Stage.PLANNING)
    path, sha = make_document(tmp_path, "DPA.pdf", b"%PDF-1.4 DPA " * 50)

    def approved(repo):
        entry = repo.create_entry(process.id, Stage.PLANNING, form.id, form.version, form.content_hash,
                                  valid_data("planning"))
        repo.add_attachment(entry.id, path, "DPA.pdf", "dpa")
        return advance(repo, entry.id, *TO_APPROVED)

    first = direct.db.run(approved).result()
    page = open_page(qtbot, direct, process, Stage.PLANNING)
    assert page.change_button.isVisible() and not page.ready_button.isEnabled()
    assert page.editors["pagu"].edit.isReadOnly()
    with qtbot.waitSignal(page.entry_status_did_change, timeout=TIMEOUT_MS):
        qtbot.mouseClick(page.change_button, Qt.MouseButton.LeftButton)
    assert page.entry.id != first.id and page.entry.status == EntryStatus.DRAFT
    assert page.entry.base_revision == first.revision
    assert not page.change_button.isVisible() and not page.editors["pagu"].edit.isReadOnly()
    type_into(qtbot, page.editors["uraian_pekerjaan"].edit, " Ditambah lokasi kedua.")
    page.flush()

    def check(repo):
        entries = repo.entries_of_process(process.id)
        assert repo.get_entry(first.id).data == valid_data("planning")  # the approved one is untouched
        assert [a.sha256 for a in repo.list_attachments(page.entry.id)] == [sha]
        releases = build_process_releases(repo.get_process(process.id), entries, direct.forms,
                                          {e.id: repo.list_attachments(e.id) for e in entries})
        return [r["tag"] for r in releases]

    assert direct.db.run(check).result() == [["planning"], ["planningUpdate"]]


def test_returned_entry_shows_the_reviewer_notes(qtbot, direct):
    process = _new_process(direct)
    form = direct.forms.current(Stage.PLANNING)

    def returned(repo):
        entry = repo.create_entry(process.id, Stage.PLANNING, form.id, form.version, form.content_hash)
        entry = advance(repo, entry.id, *TO_SUBMITTED, EntryStatus.RETURNED)
        repo.add_review_note(entry.id, "Pagu tidak sama dengan DPA.", "Bu Sri", field_id="pagu")

    direct.db.run(returned)
    page = open_page(qtbot, direct, process, Stage.PLANNING)
    assert not page.banners.notes.isHidden()
    assert "Pagu anggaran: Pagu tidak sama dengan DPA. — Bu Sri" in page.banners.notes.text()
    assert not page.editors["pagu"].edit.isReadOnly()


def test_dropping_a_file_attaches_it_with_its_sha256(qtbot, direct, tmp_path):
    process = _new_process(direct)
    page = open_page(qtbot, direct, process, Stage.PLANNING)
    page.go_to_step(page.steps.count() - 1)
    path, sha = make_document(tmp_path, "DPA 2024.pdf", b"%PDF-1.4 DPA Dinas PU " * 100)
    assert any(line.startswith("✗  DPA") for line in page.attachments.checklist_lines())
    attach_by_drop(qtbot, page, path, "dpa")
    [attachment] = page.attachments.attachments
    assert attachment.sha256 == sha
    assert attachment.document_type == "dpa"
    assert attachment.filename == "DPA 2024.pdf"
    assert any(line.startswith("✓  DPA") for line in page.attachments.checklist_lines())
    assert "DPA 2024.pdf" in page.attachments.list.item(0).text()
    stored = direct.db.run(lambda repo: repo.read_attachment(attachment)).result()
    assert stored == path.read_bytes()


def test_add_button_opens_a_file_dialog_then_asks_the_type(qtbot, direct, tmp_path):
    process = _new_process(direct)
    page = open_page(qtbot, direct, process, Stage.PLANNING)
    page.go_to_step(page.steps.count() - 1)
    path, sha = make_document(tmp_path, "KAK Jalan.pdf")
    panel = page.attachments
    with qtbot.waitSignal(panel.file_dialog_did_open, timeout=TIMEOUT_MS) as opened:
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    file_dialog = opened.args[0]
    file_dialog.setDirectory(str(tmp_path))
    file_dialog.selectFile(str(path))
    with qtbot.waitSignal(panel.document_type_requested, timeout=TIMEOUT_MS) as asked:
        file_dialog.accept()
    type_dialog = asked.args[0]
    type_dialog.combo.setCurrentIndex(type_dialog.combo.findData("kak"))
    type_dialog.accept()
    qtbot.waitUntil(lambda: len(panel.attachments) == 1, timeout=TIMEOUT_MS)
    attachment = panel.attachments[0]
    assert (attachment.filename, attachment.document_type, attachment.sha256) == ("KAK Jalan.pdf", "kak", sha)


def test_drop_dialog_defaults_to_the_first_missing_required_document(qtbot, direct, tmp_path):
    page = open_page(qtbot, direct, _new_process(direct), Stage.PLANNING)
    required = [d.type for d in page.form.documents if d.required]
    attach_by_drop(qtbot, page, make_document(tmp_path, "a.pdf")[0], required[0])
    with qtbot.waitSignal(page.attachments.document_type_requested, timeout=TIMEOUT_MS) as blocker:
        drop_files(page.attachments, [make_document(tmp_path, "b.pdf")[0]])
    dialog = blocker.args[0]
    assert dialog.document_type() == required[1]
    dialog.reject()


def test_too_large_file_gives_a_clear_message_and_keeps_the_others(qtbot, direct, tmp_path):
    page = open_page(qtbot, direct, _new_process(direct), Stage.PLANNING)
    attach_by_drop(qtbot, page, make_document(tmp_path, "kecil.pdf")[0], "dpa")
    direct.db.repo.max_attachment_bytes = 1024
    big, _sha = make_document(tmp_path, "besar.pdf", b"%PDF-1.4\n" + b"x" * 4096)
    page.attachments.add_file(big, "kak")
    message = page.attachments.message.text()
    assert "besar.pdf tidak dapat dilampirkan" in message and "terlalu besar" in message
    assert [a.filename for a in page.attachments.attachments] == ["kecil.pdf"]
    page.attachments.add_file(tmp_path, "kak")
    assert "bukan berkas" in page.attachments.message.text()


def test_mark_ready_is_blocked_by_problems_and_allowed_when_complete(qtbot, direct, tmp_path):
    process = _new_process(direct)
    page = open_page(qtbot, direct, process, Stage.PLANNING)
    page.go_to_step(2)
    qtbot.mouseClick(page.ready_button, Qt.MouseButton.LeftButton)
    assert page.entry is None  # nothing typed yet: asking to mark ready starts no entry
    assert page.summary.isVisibleTo(page)
    assert "Belum bisa ditandai siap" in page.summary.heading.text()
    assert page.current_step() == 0  # jumped to the first bad field: pagu
    assert QApplication.focusWidget() is page.editors["pagu"].edit
    assert not page.editors["pagu"].error_label.isHidden()

    fill_page(qtbot, page, valid_data("planning"))
    qtbot.mouseClick(page.ready_button, Qt.MouseButton.LeftButton)
    assert page.entry.status == EntryStatus.DRAFT  # documents still missing
    assert page.pages.currentWidget() is page.attachments
    assert any("DPA" in m for m in page.summary.messages())

    attach_required(qtbot, page, tmp_path)
    with qtbot.waitSignal(page.entry_status_did_change, timeout=TIMEOUT_MS) as blocker:
        qtbot.mouseClick(page.ready_button, Qt.MouseButton.LeftButton)
    assert blocker.args[1] == "ready"
    assert page.summary.isHidden()
    stored = direct.db.run(lambda repo: repo.current_entry(process.id, Stage.PLANNING)).result()
    assert stored.status == EntryStatus.READY
    assert stored.data["rincian_anggaran"][1]["nilai"] == 250_000_000


def test_tab_visits_fields_top_down_including_added_rows(qtbot, direct):
    page = open_page(qtbot, direct, _new_process(direct), Stage.PLANNING)
    group = page.editors["rincian_anggaran"]
    qtbot.mouseClick(group.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(group.add_button, Qt.MouseButton.LeftButton)
    page.editors["pagu"].edit.setFocus()
    visited = []
    for _ in range(10):
        visited.append(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    rows = [group.row_editors(0), group.row_editors(1)]
    expected = [page.editors["pagu"].edit, group.add_button]
    for row in rows:
        expected += [row["sumber_dana"].combo, row["mak"].edit, row["nilai"].edit]
        expected.append(visited[len(expected)])  # the row's "Hapus" button
    assert visited[:len(expected)] == expected
    assert all(w.text() == "Hapus" for w in (visited[5], visited[9]))


def test_editing_a_ready_entry_moves_it_back_to_draft(qtbot, direct):
    process = _new_process(direct)
    form = direct.forms.current(Stage.PLANNING)
    direct.db.run(lambda repo: advance(
        repo, repo.create_entry(process.id, Stage.PLANNING, form.id, form.version, form.content_hash).id,
        EntryStatus.READY))
    page = open_page(qtbot, direct, process, Stage.PLANNING)
    assert page.status_label.text() == "Siap dikirim"
    assert not page.ready_button.isEnabled()
    with qtbot.waitSignal(page.entry_status_did_change, timeout=TIMEOUT_MS) as blocker:
        type_into(qtbot, page.editors["volume_pekerjaan"].edit, "10 unit")
        page.flush()
    assert blocker.args[1] == "draft"
    assert page.status_label.text() == "Draf"
    assert page.ready_button.isEnabled()


def test_select_takes_a_typed_label_and_saves_the_code_at_once(qtbot, direct):
    process = _new_process(direct)
    page = open_page(qtbot, direct, process, Stage.PLANNING)
    page.go_to_step(1)
    editor = page.editors["metode_pemilihan"]
    assert editor.combo.itemText(0) == ""  # the empty choice comes first
    label = editor.combo.itemText(editor.combo.findData("tender"))
    editor.combo.setFocus()
    qtbot.keyClicks(editor.combo.lineEdit(), label.lower())
    qtbot.keyClick(editor.combo.lineEdit(), Qt.Key.Key_Return)
    assert editor.value() == "tender"
    stored = direct.db.run(lambda repo: repo.current_entry(process.id, Stage.PLANNING)).result()
    assert stored.data["metode_pemilihan"] == "tender"


@pytest.fixture(params=["qm", "ts"])
def english(request, qapp, data_dir: Path):
    """Services in English with the English chrome installed: "qm" the way the app does for
    ``--lang en`` (lrelease-compiled .qm), "ts" through the fallback that reads the .ts directly."""
    services = create_services(data_dir, "en", sync=True)
    fallback = None
    if request.param == "qm":
        i18n.install_language("en")
        assert not isinstance(i18n.make_translator("en"), i18n.TsTranslator)  # lrelease compiled it
    else:
        fallback = i18n.TsTranslator(i18n.resources_dir() / "odc_en.ts")
        qapp.installTranslator(fallback)
    yield services
    if fallback is not None:
        qapp.removeTranslator(fallback)
    i18n.install_language("id")
    _close(services)


def test_english_chrome_when_the_english_translator_is_installed(qtbot, english, tmp_path):
    page = open_page(qtbot, english, _new_process(english), Stage.PLANNING)
    assert page.title.text() == page.form.title["en"]
    assert [page.prev_button.text(), page.next_button.text(), page.ready_button.text()] == [
        "&Previous", "&Next", "Mark ready to s&end"]
    assert page.status_label.text() == status_text(None, "en") != "Belum diisi"
    assert page.help.heading.text() == "SOP guidance"

    editor = page.editors["uraian_pekerjaan"]
    type_into(qtbot, editor.edit, "x")
    assert page.save_label.text() == "Saving…"
    qtbot.keyClick(editor.edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor.edit, Qt.Key.Key_Tab)
    assert editor.error_label.text() == "Description of the work is required."
    assert page.summary.heading.text() == "1 field needs fixing:"
    page.flush()
    assert page.save_label.text().startswith("Saved automatically ")

    page.editors["pagu"].focus_target().setFocus()
    qtbot.waitUntil(lambda: page.help.title.text() == "Budget ceiling", timeout=TIMEOUT_MS)
    assert page.help.step.text() == "SOP step: SOP 2.1"
    assert page.help.body.text().endswith("Required.")
    group = page.editors["rincian_anggaran"]
    qtbot.mouseClick(group.add_button, Qt.MouseButton.LeftButton)
    assert group.add_button.text() == "&Add funding source"
    assert group.rows[0].title.text() == "Funding source 1"
    assert group.rows[0].findChild(type(group.add_button), "removeRowButton").text() == "Remove"
    page.go_to_step(2)
    assert page.editors["rencana_pemilihan_mulai"].edit.placeholderText() == "DD-MM-YYYY"

    documents_step = page.steps.count() - 1
    assert page.steps.item(documents_step).text() == f"{documents_step + 1}. Documents"
    page.go_to_step(documents_step)
    assert page.help.title.text() == "Documents"
    assert page.help.body.text().startswith("Attach the documents this stage asks for.")
    panel = page.attachments
    assert panel.add_button.text() == "&Add document…"
    assert panel.list.item(0).text() == "No documents yet."
    assert "Budget execution document (DPA) (required)" in panel.checklist.text()
    with qtbot.waitSignal(panel.document_type_requested, timeout=TIMEOUT_MS) as blocker:
        drop_files(panel, [make_document(tmp_path, "dpa.pdf")[0]])
    dialog = blocker.args[0]
    assert dialog.windowTitle() == "Document type"
    dialog.accept()
    qtbot.waitUntil(lambda: len(panel.attachments) == 1, timeout=TIMEOUT_MS)
    assert panel.message.text() == "dpa.pdf attached."

    qtbot.mouseClick(page.ready_button, Qt.MouseButton.LeftButton)
    heading = page.summary.heading.text()
    assert heading.startswith("Cannot mark ready yet: ") and "things need fixing" in heading
    assert QApplication.focusWidget() is page.editors["pagu"].edit
    assert page.editors["pagu"].error_label.text() == "Budget ceiling is required."


def _lupdate() -> str:
    import PySide6

    for name in ("lupdate", "lupdate.exe"):
        candidate = Path(PySide6.__file__).parent / name
        if candidate.exists():
            return str(candidate)
    raise AssertionError("PySide6's lupdate is missing; reinstall PySide6-Essentials")


def test_every_text_of_the_app_has_a_finished_english_translation(tmp_path):
    ui = Path(i18n.__file__).parent
    sources = sorted(ui.glob("*.py")) + [ui.parent / "app.py"]  # every text of the app's chrome
    extracted = tmp_path / "extracted.ts"
    subprocess.run([_lupdate(), "-silent", *map(str, sources), "-ts", str(extracted)], check=True,
                   capture_output=True, timeout=60)
    shipped: dict[tuple[str, str], ElementTree.Element] = {}
    for context in ElementTree.parse(i18n.resources_dir() / "odc_en.ts").getroot().iter("context"):
        for message in context.iter("message"):
            shipped[(context.findtext("name"), message.findtext("source"))] = message
    found = [(context.findtext("name"), message.findtext("source"), message.get("numerus") == "yes")
             for context in ElementTree.parse(extracted).getroot().iter("context")
             for message in context.iter("message")]
    assert len(found) > 40  # the page, its editors, documents panel and help panel
    for context, source, plural in found:
        message = shipped.get((context, source))
        assert message is not None, f"{context}: {source!r} is not in odc_en.ts"
        translation = message.find("translation")
        assert translation.get("type") is None, f"{context}: {source!r} is unfinished"
        forms = [f.text for f in translation.iter("numerusform")] if plural else [translation.text]
        assert forms and all(forms), f"{context}: {source!r} has an empty translation"


def test_with_args_fills_numbered_places_once():
    assert with_args("%1 tidak dapat dilampirkan: %2", "a%2.pdf", "terlalu besar") == (
        "a%2.pdf tidak dapat dilampirkan: terlalu besar")
    assert with_args("Baris %1 dari %3", 2) == "Baris 2 dari %3"


def _forms_v2(direct, migrations: dict):
    """The data folder's form registry, with planning version 2 added ('alasan_kebutuhan' renamed
    'latar_belakang', a new required 'nomor_dpa'): the shipped version 1 stays available."""
    from odc_desktop.form_registry import FormRegistry
    from tests.unit.form_versions import planning_v2

    registry = FormRegistry.open(direct.data_dir)
    registry.add(planning_v2(migrations))
    return registry


def _services_with(direct, forms):
    from odc_desktop.ui.services import Services

    return Services(direct.data_dir, direct.db, forms, direct.settings, direct.lang)


def _old_draft(direct, process, data):
    form = direct.forms.current(Stage.PLANNING)  # the shipped version 1
    return direct.db.run(lambda repo: repo.create_entry(process.id, Stage.PLANNING, form.id, 1,
                                                        form.content_hash, data)).result()


def test_a_draft_of_the_previous_form_version_migrates_when_opened(qtbot, direct, tmp_path):
    forms = _forms_v2(direct, {"from_version": 1, "renamed": {"alasan_kebutuhan": "latar_belakang"}})
    process = _new_process(direct)
    old = _old_draft(direct, process, {"pagu": 750_000_000, "alasan_kebutuhan": "Jalan rusak berat"})
    page = open_page(qtbot, _services_with(direct, forms), process, Stage.PLANNING)
    assert page.editors["latar_belakang"].edit.toPlainText() == "Jalan rusak berat"
    assert "versi 1 ke versi 2" in page.save_label.text()
    stored = direct.db.run(lambda repo: repo.get_entry(old.id)).result()
    assert (stored.form_version, stored.form_hash) == (2, forms.current(Stage.PLANNING).content_hash)
    assert stored.data == {"pagu": 750_000_000, "latar_belakang": "Jalan rusak berat"}
    assert not page.editors["pagu"].edit.isReadOnly()


def test_a_draft_that_cannot_migrate_keeps_its_version_and_says_why(qtbot, direct, tmp_path):
    forms = _forms_v2(direct, {"from_version": 1, "renamed": {"alasan_kebutuhan": "latar_belakang"}})
    process = _new_process(direct)
    # both the old and the new name hold a value: the rename would lose one of them
    old = _old_draft(direct, process, {"alasan_kebutuhan": "A", "latar_belakang": "B"})
    page = open_page(qtbot, _services_with(direct, forms), process, Stage.PLANNING)
    assert not page.banners.locked.isHidden()
    assert "tetap memakai versi itu" in page.banners.locked.text()
    assert "latar_belakang" in page.banners.locked.text()
    assert page.editors["pagu"].edit.isReadOnly() and not page.ready_button.isEnabled()
    assert direct.db.run(lambda repo: repo.get_entry(old.id)).result().form_version == 1
