"""A background job that fails reaches the operator as a calm notice (issue 7, item 6): the real app
(real SQLite store, real database thread), a job queued without ``on_error`` that fails, the notice
bar of the main window. A job whose caller handles its own failure is not reported twice."""

from __future__ import annotations

import logging

import pytest

from odc_desktop.app import close_services, create_main_window, create_services
from odc_desktop.storage.repository import NotFound
from odc_desktop.ui import i18n
from odc_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

WAIT_MS = 60_000  # an upper bound for a loaded machine; each wait ends as soon as its event happens

GENERIC_ID = ("Sebuah pekerjaan di latar belakang tidak selesai. Data yang sudah tersimpan tetap aman. "
              "Coba lagi; bila tetap gagal, hubungi Diskominfo dan sertakan berkas log.")
GENERIC_EN = ("A background task did not finish. The data already saved is safe. Try again; if it keeps "
              "failing, contact Diskominfo and include the log file.")


@pytest.fixture
def make_window(qtbot, data_dir):
    """The real app's main window on an empty store; closed (and Indonesian again) at teardown."""
    built: list[MainWindow] = []

    def make(lang: str = "id") -> MainWindow:
        window = create_main_window(create_services(data_dir, lang))
        built.append(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    for window in built:
        window.close()
        close_services(window.services)
    i18n.install_language("id")


def _broken_job(repo) -> None:
    """A job that fails the way a programming mistake would (not a storage error)."""
    repo.count_processes()
    raise ValueError("internal detail the operator should not read")


def test_a_failing_job_without_a_handler_shows_a_calm_notice_and_logs_the_details(make_window, qtbot,
                                                                                   caplog):
    window = make_window()
    assert window.notice_bar.isHidden()
    with caplog.at_level(logging.ERROR), qtbot.waitSignal(window.services.db.job_did_fail,
                                                         timeout=WAIT_MS) as failed:
        window.services.db.run(_broken_job)
    assert failed.args == [GENERIC_ID]
    assert window.notice_bar.isVisible()
    assert window.notice_text.text() == GENERIC_ID
    assert "internal detail" not in window.notice_text.text()
    logged = [r for r in caplog.records if r.exc_info and isinstance(r.exc_info[1], ValueError)]
    assert logged and "internal detail" in str(logged[0].exc_info[1])  # the developer finds the cause


def test_a_storage_error_is_shown_in_its_own_words(make_window, qtbot):
    window = make_window()
    with qtbot.waitSignal(window.services.db.job_did_fail, timeout=WAIT_MS) as failed:
        window.services.db.run(lambda repo: repo.get_process(987_654))  # a process that is not there
    assert failed.args == ["Paket #987654 tidak ditemukan. Muat ulang daftar paket."]
    assert window.notice_text.text() == failed.args[0]


def test_a_storage_error_is_shown_in_the_app_language(make_window, qtbot):
    window = make_window("en")
    with qtbot.waitSignal(window.services.db.job_did_fail, timeout=WAIT_MS) as failed:
        window.services.db.run(lambda repo: repo.get_process(987_654))
    assert failed.args == ["Process #987654 was not found. Reload the list of processes."]
    assert window.notice_text.text() == failed.args[0]


def test_the_notice_follows_the_app_language(make_window, qtbot):
    window = make_window("en")
    with qtbot.waitSignal(window.services.db.job_did_fail, timeout=WAIT_MS):
        window.services.db.run(_broken_job)
    assert window.notice_text.text() == GENERIC_EN


def test_a_job_with_its_own_handler_is_reported_once_by_its_caller(make_window, qtbot):
    window = make_window()
    handled: list[BaseException] = []
    with qtbot.assertNotEmitted(window.services.db.job_did_fail):
        window.services.db.run(_broken_job, on_error=handled.append)
        window.services.db.run(lambda repo: repo.get_process(987_654), on_error=handled.append)
        qtbot.waitUntil(lambda: len(handled) == 2, timeout=WAIT_MS)
        window.services.db.settle()
    assert isinstance(handled[0], ValueError) and isinstance(handled[1], NotFound)
    assert window.notice_bar.isHidden()


def test_a_failing_file_copy_on_the_file_runner_shows_its_message(make_window, qtbot, tmp_path):
    window = make_window()
    gone = tmp_path / "sudah dipindah.pdf"  # chosen, then moved away before the copy ran
    with qtbot.waitSignal(window.services.io.job_did_fail, timeout=WAIT_MS) as failed:
        window.services.io.run(lambda: window.services.files.put(gone))
    assert failed.args == [f"Berkas {gone} tidak ditemukan. Periksa lokasinya lalu pilih berkas itu lagi."]
    assert window.notice_bar.isVisible() and window.notice_text.text() == failed.args[0]


def test_opening_a_process_that_is_gone_returns_to_the_list_and_says_why(make_window, qtbot):
    window = make_window()
    window.open_process(987_654)  # e.g. a stale row: the job that loads it fails
    qtbot.waitUntil(lambda: window.notice_bar.isVisible(), timeout=WAIT_MS)
    assert window.notice_text.text() == "Paket #987654 tidak ditemukan. Muat ulang daftar paket."
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.list_page, timeout=WAIT_MS)
