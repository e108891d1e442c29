"""The main window as an operator uses it: search, filters, new process, process view, settings,
English chrome, crash recovery, and the --self-test run as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from odc_desktop.app import close_services, create_services
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.settings import Settings
from odc_desktop.ui.main_window import MainWindow
from odc_desktop.ui.new_process_dialog import NewProcessDialog
from odc_desktop.ui.process_list_model import STATUS_COLOURS
from odc_desktop.ui.session import CLEAN_EXIT_KEY, LAST_PROCESS_KEY, LAST_STAGE_KEY
from odc_desktop.ui.settings_dialog import SettingsDialog
from tests.gui.app_windows import AppWindows

pytestmark = pytest.mark.gui

WAIT_MS = 60_000  # an upper bound for a loaded machine; each wait ends as soon as its event happens

PREFIX = "ocds-a1b2c3"
TITLES = ["Pembangunan Jembatan Ledok Kulon", "Rehabilitasi Puskesmas Ngraho", "Pengadaan Komputer Dinas",
          "Pembangunan Jalan Desa Napis", "Jasa Konsultansi Jembatan Kauman", "Pengadaan Bibit Padi"]


def _seed(data_dir: Path, lang: str = "id"):
    """A store with 6 processes over two OPDs and years; one with a ready planning entry, one
    (TITLES[2]) in the tender stage."""
    services = create_services(data_dir, lang, sync=True)
    repo, forms = services.db.repo, services.forms
    opds = forms.codelists["opd"].items[:2]
    rows = [NewProcess(title=t, opd_code=opds[i % 2].code, opd_name=opds[i % 2].label["id"],
                       year=2023 + i % 2, kode_rup=str(40_000_000 + i)) for i, t in enumerate(TITLES)]
    repo.bulk_insert_processes(rows, PREFIX)
    target = repo.find_process_by_ocid(f"{PREFIX}-40000003")
    form = forms.for_stage(Stage.PLANNING)
    entry = repo.create_entry(target.id, Stage.PLANNING, form.id, form.version, form.content_hash, {"pagu": 5})
    repo.set_local_status(entry.id, EntryStatus.READY)
    tendering = repo.find_process_by_ocid(f"{PREFIX}-40000002")
    form = forms.for_stage(Stage.TENDER)
    repo.create_entry(tendering.id, Stage.TENDER, form.id, form.version, form.content_hash, {"hps": 5})
    close_services(services)


@pytest.fixture
def make_window(qtbot, data_dir):
    """Build the real app (real SQLite, real DB thread) on the seeded data dir; closed at teardown."""
    windows = AppWindows(qtbot, data_dir)

    def make(lang: str = "id", seed: bool = True) -> MainWindow:
        if seed and not windows.opened:
            _seed(data_dir)
        return windows.open(lang)

    yield make
    windows.close_all()


def _titles(window: MainWindow) -> set[str]:
    model = window.list_page.model
    return {model.index(r, 0).data() for r in range(model.rowCount())}


def _wait_rows(qtbot, window: MainWindow, count: int) -> None:
    model = window.list_page.model
    qtbot.waitUntil(lambda: model.rowCount() == count and all(model.is_row_loaded(r) for r in range(count)),
                    timeout=WAIT_MS)


def test_list_shows_every_process_with_count(make_window):
    window = make_window()
    assert window.list_page.model.rowCount() == 6
    assert window.list_page.count.text() == "6 paket"
    headers = [window.list_page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert headers == ["Nama paket", "OPD", "Tahun", "Tahap", "Status", "Diperbarui"]


def test_typing_in_search_narrows_rows(qtbot, make_window):
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.list_page.search.hasFocus()
    qtbot.keyClicks(window.list_page.search, "jembatan")
    _wait_rows(qtbot, window, 2)
    assert _titles(window) == {TITLES[0], TITLES[4]}
    assert window.list_page.count.text() == "2 paket"
    window.list_page.search.clear()
    qtbot.keyClicks(window.list_page.search, "40000005")  # kode RUP
    _wait_rows(qtbot, window, 1)
    assert _titles(window) == {TITLES[5]}


@pytest.mark.parametrize("combo_name, value, expected", [
    ("opd", "first_opd", {TITLES[0], TITLES[2], TITLES[4]}),
    ("year", 2024, {TITLES[1], TITLES[3], TITLES[5]}),
    ("stage", Stage.PLANNING, set(TITLES) - {TITLES[2]}),
    ("stage", Stage.TENDER, {TITLES[2]}),
    ("status", EntryStatus.READY, {TITLES[3]}),
])
def test_each_filter_narrows_rows(qtbot, make_window, combo_name, value, expected):
    window = make_window()
    page = window.list_page
    if value == "first_opd":
        value = window.services.forms.codelists["opd"].items[0].code
    combo = getattr(page, combo_name)
    qtbot.waitUntil(lambda: combo.findData(value) >= 0, timeout=WAIT_MS)  # years arrive asynchronously
    combo.setCurrentIndex(combo.findData(value))
    _wait_rows(qtbot, window, len(expected))
    assert _titles(window) == expected


def test_new_process_dialog_validates_then_creates_and_opens(qtbot, make_window):
    window = make_window()
    seen: dict[str, str] = {}

    def fill_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewProcessDialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # empty form: inline errors, stays open
        seen["title"] = dialog.errors["title"].text()
        seen["opd"] = dialog.errors["opd"].text()
        qtbot.keyClicks(dialog.title_edit, "Peningkatan Jalan Poros Kecamatan Balen")
        dialog.opd.setCurrentIndex(3)
        qtbot.keyClicks(dialog.kode_rup, "12ab345")  # the validator drops the letters
        dialog.kecamatan.setCurrentIndex(2)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_dialog)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert seen == {"title": "Nama paket wajib diisi.", "opd": "Pilih OPD yang menjalankan paket ini."}
    view = window.process_view
    qtbot.waitUntil(lambda: view.process is not None, timeout=WAIT_MS)
    assert window.stack.currentWidget() is view
    assert view.process.title == "Peningkatan Jalan Poros Kecamatan Balen"
    assert view.process.ocid == f"{window.services.settings.ocid_prefix}-12345"
    assert view.process.kecamatan == window.services.forms.codelists["kecamatan"].items[1].code
    window.activateWindow()  # the offscreen platform does not hand activation back after a dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.list_page
    _wait_rows(qtbot, window, 7)


def test_opening_a_process_shows_its_six_stages(qtbot, make_window):
    window = make_window()
    window.list_page.table.setFocus()
    process_id = window.services.db.run(lambda repo: repo.find_process_by_ocid(f"{PREFIX}-40000003").id).result()
    row = window.list_page.model.row_of(process_id)
    window.list_page.table.selectRow(row)
    qtbot.keyClick(window.list_page.table, Qt.Key.Key_Return)
    view = window.process_view
    qtbot.waitUntil(lambda: view.process is not None and view.current_stage is not None, timeout=WAIT_MS)
    assert view.title.text() == TITLES[3]
    assert f"{PREFIX}-40000003" in view.details.text()
    texts = [b.text() for b in view.stage_buttons.values()]
    assert len(texts) == 6
    assert texts[0] == "1. Perencanaan\nSiap dikirim"
    assert texts[5] == "6. Serah terima\nBelum diisi"
    assert view.current_stage is Stage.PLANNING
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: view.current_stage is Stage.AWARD, timeout=WAIT_MS)
    assert type(view.current_page()).__name__ == "FormPage"
    # Looking at the award stage starts nothing: no entry, and the step bar still says so.
    page = view.current_page()
    qtbot.waitUntil(page.is_loaded, timeout=WAIT_MS)
    window.services.db.wait_idle()
    assert window.services.db.run(lambda repo: repo.current_entry(process_id, Stage.AWARD)).result() is None
    assert view.stage_buttons[Stage.AWARD].text().endswith("Belum diisi")
    # The first value typed starts the entry; the step bar shows the new draft.
    money = page.editors["nilai_penetapan"]
    page.go_to_step(0)
    money.edit.setFocus()
    qtbot.keyClicks(money.edit, "1,19 M")
    qtbot.keyClick(money.edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: view.stage_buttons[Stage.AWARD].text().endswith("Draf"), timeout=WAIT_MS)
    stored = window.services.db.run(lambda repo: repo.current_entry(process_id, Stage.AWARD)).result()
    assert stored.data["nilai_penetapan"] == 1_190_000_000
    # Each step is marked in the colour of its status, as in the list's status column.
    assert _top_border_colour(view.stage_buttons[Stage.PLANNING]) == STATUS_COLOURS[EntryStatus.READY]
    assert _top_border_colour(view.stage_buttons[Stage.AWARD]) == STATUS_COLOURS[EntryStatus.DRAFT]
    assert _top_border_colour(view.stage_buttons[Stage.CONTRACT]) == STATUS_COLOURS[None]


def _top_border_colour(button) -> str:
    return button.grab().toImage().pixelColor(button.width() // 2, 1).name()


def test_settings_dialog_rejects_bad_prefix_and_saves_good_one(qtbot, make_window):
    window = make_window()
    dialog = SettingsDialog(window.services, window)
    qtbot.addWidget(dialog)
    prefix = dialog.editors["ocid_prefix"]
    prefix.clear()
    qtbot.keyClicks(prefix, "OCDS-12")
    dialog.save()
    assert dialog.errors["ocid_prefix"].isVisibleTo(dialog)
    assert "ocds-" in dialog.errors["ocid_prefix"].text() and "harus" in dialog.errors["ocid_prefix"].text()
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert Settings(window.services.data_dir).ocid_prefix == "ocds-000bjn"
    prefix.clear()
    qtbot.keyClicks(prefix, "ocds-bjn123")
    dialog.save()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert Settings(window.services.data_dir).ocid_prefix == "ocds-bjn123"
    window.update_status_bar()
    assert window.prefix_label.text() == "Prefiks OCID: ocds-bjn123"


def test_status_bar_tells_the_prefix_plainly(make_window):
    window = make_window()
    # No permanent warning the operator cannot act on: the prefix, and a tooltip for the curious.
    assert window.prefix_label.text() == "Prefiks OCID: ocds-000bjn"
    assert "belum terdaftar" in window.prefix_label.toolTip()
    assert window.prefix_label.property("role") in (None, "")
    assert not window.prefix_label.font().bold()
    assert str(window.services.data_dir) in window.data_dir_label.text()


def test_english_chrome(qtbot, make_window):
    window = make_window(lang="en")
    assert window.new_action.text() == "&New process…"
    assert window.list_page.model.headerData(0, Qt.Orientation.Horizontal) == "Process name"
    assert window.list_page.count.text() == "6 processes"
    assert window.list_page.opd.itemText(0) == "All OPDs"
    assert "not registered" in window.prefix_label.toolTip()


def test_restores_last_draft_after_unclean_exit(qtbot, make_window, data_dir):
    _seed(data_dir)
    services = create_services(data_dir, sync=True)
    process = services.db.repo.find_process_by_ocid(f"{PREFIX}-40000001")
    services.db.repo.set_meta(CLEAN_EXIT_KEY, "0")
    services.db.repo.set_meta(LAST_PROCESS_KEY, str(process.id))
    services.db.repo.set_meta(LAST_STAGE_KEY, "contract")
    close_services(services)
    window = make_window(seed=False)
    with qtbot.waitSignal(window.session_did_restore, timeout=WAIT_MS,
                          check_params_cb=lambda process_id: process_id == process.id):
        window.restore_last_session()
    view = window.process_view
    qtbot.waitUntil(lambda: view.process is not None and view.current_stage is Stage.CONTRACT, timeout=WAIT_MS)
    assert view.process.id == process.id
    assert window.notice_bar.isVisible()
    assert window.notice_text.text() == ("Aplikasi sebelumnya tidak ditutup dengan benar. "
                                         "Draf terakhir Anda telah dipulihkan.")


def test_clean_close_is_recorded_and_no_notice_next_time(qtbot, make_window, data_dir):
    first = make_window()
    assert first.services.db.run(lambda repo: repo.get_meta(CLEAN_EXIT_KEY)).result() == "0"
    first.close()
    assert first.services.db.run(lambda repo: repo.get_meta(CLEAN_EXIT_KEY)).result() == "1"
    second = make_window(seed=False)
    with qtbot.assertNotEmitted(second.session_did_restore):
        second.restore_last_session()
        qtbot.waitUntil(lambda: second.previous_session is not None, timeout=WAIT_MS)
    assert second.previous_session.clean_exit
    assert not second.notice_bar.isVisible()
    assert second.stack.currentWidget() is second.list_page


def _run_app(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "odc_desktop.app", *args], capture_output=True, text=True,
                          timeout=180, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


@pytest.mark.slow
def test_self_test_subprocess_writes_seven_screenshots(tmp_path):
    out, data = tmp_path / "out", tmp_path / "data"
    result = _run_app("--self-test", str(out), "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.glob("*.png"))
    assert names == sorted(["main_window.png"] + [f"stage_{s.value}.png" for s in Stage])
    assert all((out / n).stat().st_size > 5000 for n in names)
    assert set(result.stdout.split()) == set(names)
    assert (data / "logs" / "odc-desktop.log").exists()


def test_ts_fallback_translator_reads_english_without_lrelease(qapp):
    from odc_desktop.ui.i18n import TsTranslator, resources_dir

    translator = TsTranslator(resources_dir() / "odc_en.ts")
    assert translator.translate("ProcessListModel", "Nama paket") == "Process name"
    assert translator.translate("ProcessListPage", "%Ln paket", None, 1) == "%Ln process"
    assert translator.translate("ProcessListPage", "%Ln paket", None, 5) == "%Ln processes"
    assert translator.translate("ProcessListPage", "tidak ada", None, -1) is None


def test_demo_mode_fills_an_empty_store_once(make_window, qtbot):
    from odc_desktop.app import DEMO_PROCESSES, fill_demo_data_if_empty

    window = make_window(seed=False)
    assert window.list_page.model.rowCount() == 0
    # 40 processes are generated on the database thread (seconds on a busy machine), then the list reloads.
    # Wait for the reload that shows them: an earlier update of the empty list (the start's, or one a
    # change notice asked for) must not end the wait.
    with qtbot.waitSignal(window.list_page.list_did_update, timeout=WAIT_MS,
                          check_params_cb=lambda count: count == DEMO_PROCESSES):
        fill_demo_data_if_empty(window.services, window)
    assert "Data demo dibuat: 40 paket" in window.notice_text.text()
    _wait_rows(qtbot, window, DEMO_PROCESSES)
    fill_demo_data_if_empty(window.services, window)  # a second start adds nothing
    window.services.db.settle()
    assert window.services.db.run(lambda repo: repo.count_processes()).result(timeout=10) == DEMO_PROCESSES


def test_an_empty_store_and_an_empty_search_say_what_to_do(make_window, qtbot):
    window = make_window(seed=False)
    page = window.list_page
    assert page.list_area.currentWidget() is page.empty_hint
    assert "Paket baru" in page.empty_hint.text() and "Ctrl+N" in page.empty_hint.text()


def test_a_search_without_matches_shows_a_hint_and_clearing_it_shows_the_list(make_window, qtbot):
    window = make_window()
    page = window.list_page
    assert page.list_area.currentWidget() is page.table
    with qtbot.waitSignal(page.list_did_update, timeout=WAIT_MS):
        qtbot.keyClicks(page.search, "tidak ada yang seperti ini")
    assert page.list_area.currentWidget() is page.empty_hint
    assert "Tidak ada paket yang cocok" in page.empty_hint.text()
    with qtbot.waitSignal(page.list_did_update, timeout=WAIT_MS):
        page.search.clear()
    _wait_rows(qtbot, window, len(TITLES))
    assert page.list_area.currentWidget() is page.table


def test_an_unhandled_error_shows_a_calm_dialog_and_logs_the_traceback(qtbot, data_dir, monkeypatch):
    import logging
    import logging.handlers

    from odc_desktop import app as app_module

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    app_module.setup_logging(data_dir)
    app_module._install_excepthook(data_dir)
    seen: list[str] = []

    def answer_dialog():
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, answer_dialog)
            return
        seen.append(box.text())
        box.accept()

    QTimer.singleShot(20, answer_dialog)
    try:
        raise ValueError("nilai rusak di baris 7")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert seen and "Data Anda tetap tersimpan" in seen[0]
    assert "Traceback" not in seen[0]
    for handler in logging.getLogger().handlers:
        handler.flush()
    log_text = app_module.log_path(data_dir).read_text(encoding="utf-8")
    assert "ValueError: nilai rusak di baris 7" in log_text and "Traceback" in log_text
    for handler in list(logging.getLogger().handlers):  # keep later tests' logs out of this file
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            logging.getLogger().removeHandler(handler)
            handler.close()


def test_a_second_app_on_the_same_data_folder_is_refused_with_a_message(tmp_path):
    from odc_desktop.storage.folder_lock import APP_PROGRAM, FolderLock

    data = tmp_path / "data"
    data.mkdir()
    with FolderLock(data, APP_PROGRAM):  # this test process plays the app that is already open
        result = _run_app("--self-test", str(tmp_path / "out"), "--data-dir", str(data))
    assert result.returncode == 3
    assert "sudah terbuka untuk folder data ini" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_lock_left_by_a_killed_app_does_not_block_the_next_start(tmp_path):
    import signal

    data = tmp_path / "data"
    data.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys\n"
        "from odc_desktop.storage.folder_lock import APP_PROGRAM, FolderLock\n"
        f"lock = FolderLock({str(data)!r}, APP_PROGRAM).acquire()\n"
        "print('LOCKED', flush=True)\n"
        "sys.stdin.read()\n")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "LOCKED"
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    finally:
        holder.kill()
    result = _run_app("--self-test", str(tmp_path / "out"), "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
