"""SIGKILL the real app while the operator types; the next start restores the form being typed in
(the tender form, not the process's current stage) at the step being typed in (its third, not the
first) with everything autosaved (at most the field being typed may be lost), and says so."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from odc_desktop.app import close_services, create_main_window, create_services
from odc_desktop.domain.forms.definition import load_form_set
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import Stage
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.ui.form_page import FormPage

pytestmark = [pytest.mark.gui, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
#: Typed in this order (the last two on the form's third step); the last one may be lost (the
#: process is killed while it is being saved). "peserta": a bidder added, then its name typed.
TYPED = [("kode_tender", "12345678", "12345678"),
         ("hps", "1100000000", "Rp 1.100.000.000"),
         ("nama_tender", "Rehabilitasi jalan poros desa Ngumpakdalem",
          "Rehabilitasi jalan poros desa Ngumpakdalem"),
         ("jumlah_peserta", "7", "7"),
         ("peserta", "CV Ngumpak Jaya Konstruksi", "CV Ngumpak Jaya Konstruksi")]

CHILD = textwrap.dedent("""
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from odc_desktop.app import create_main_window, create_services
    from odc_desktop.domain.statuses import Stage
    from odc_desktop.ui.form_page import FormPage

    data_dir, process_id, typed = sys.argv[1], int(sys.argv[2]), eval(sys.argv[3])
    app = QApplication([])

    def wait_for(condition, what, timeout=20.0):
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                print("TIMEOUT " + what, flush=True)
                sys.exit(3)
            app.processEvents()
            time.sleep(0.01)

    services = create_services(data_dir)
    window = create_main_window(services)
    window.show()
    window.open_process(process_id, Stage.TENDER)
    wait_for(lambda: (p := window.findChild(FormPage)) is not None and p.is_loaded(), "load")
    page = window.findChild(FormPage)

    def type_field(field_id, text):
        editor = page.editors[field_id]
        page.go_to_step(page._step_of(editor))
        target = editor.focus_target()
        target.setFocus()
        QTest.keyClicks(target, text)

    def saved():
        wait_for(lambda: page.is_saved() and page.save_label.text().startswith("Tersimpan otomatis"),
                 "autosave")

    for field_id, text, _shown in typed[:-1]:
        type_field(field_id, text)
    saved()
    last_id, last_text, _shown = typed[-1]
    page.editors[last_id].add_button.click()  # saved at once: the bidder's row exists
    saved()
    print("SAVED", flush=True)
    QTest.keyClicks(page.editors[last_id].organization_forms()[-1].name, last_text)
    print("TYPED", flush=True)
    while True:  # keep the event loop (and the autosave timer) running until killed
        app.processEvents()
        time.sleep(0.005)
""")


def _read_line(proc: subprocess.Popen, expected: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line.strip())
        if line.strip() == expected:
            return
    proc.kill()
    raise AssertionError(f"child never printed {expected!r}; output: {seen}; "
                         f"stderr: {proc.stderr.read()[-2000:]}")


def test_sigkill_while_typing_loses_at_most_the_field_being_typed(qtbot, data_dir: Path):
    repo = SqlRepository.open(data_dir)
    process = repo.create_process(NewProcess("Rehabilitasi Jalan Poros Desa", "1.03.01",
                                             "Dinas PU Bina Marga", 2024, "41234567"), "ocds-000bjn")
    # The process is at the award stage, so reopening its current stage instead of the saved one
    # (tender, typed in below) would show the wrong form.
    award = load_form_set().for_stage(Stage.AWARD)
    repo.create_entry(process.id, Stage.AWARD, award.id, award.version, award.content_hash)
    assert repo.get_process(process.id).current_stage is Stage.AWARD
    repo.close()

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(data_dir), str(process.id), repr(TYPED)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=REPO)
    try:
        _read_line(proc, "SAVED", timeout=60)
        _read_line(proc, "TYPED", timeout=30)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    services = create_services(data_dir)
    window = create_main_window(services)
    qtbot.addWidget(window)
    try:
        window.show()
        with qtbot.waitSignal(window.session_did_restore, timeout=15_000,
                              check_params_cb=lambda process_id: process_id == process.id):
            window.restore_last_session()
        qtbot.waitUntil(lambda: (p := window.findChild(FormPage)) is not None and p.is_loaded(),
                        timeout=15_000)
        page = window.findChild(FormPage)
        assert page.stage == Stage.TENDER
        assert window.process_view.current_stage is Stage.TENDER
        for field_id, _typed, shown in TYPED[:-1]:
            assert _shown_text(page, field_id) == shown, field_id
        last_id, _typed, last_shown = TYPED[-1]
        bidders = page.editors[last_id].organization_forms()
        assert len(bidders) == 1
        assert last_shown.startswith(bidders[0].name.text())  # empty, partly or fully saved
        # Reopened at the step being typed in, with the cursor in the field edited last.
        qtbot.waitUntil(lambda: page.current_step() == 2, timeout=15_000)
        assert page.pages.currentIndex() == 2
        assert page.editors[last_id].isAncestorOf(QApplication.focusWidget())
        assert window.notice_bar.isVisibleTo(window)
        notice = window.notice_text.text()
        assert "dipulihkan" in notice
        assert "“Penawar”" in notice and "mungkin belum tersimpan" in notice
    finally:
        window.close()
        close_services(services)


def _shown_text(page: FormPage, field_id: str) -> str:
    edit = page.editors[field_id].edit
    return edit.toPlainText() if hasattr(edit, "toPlainText") else edit.text()
