"""The change channel in the real app (issue 7, item 6): a write made by any background job, as sync
or an import will make them, reaches the views without anyone refreshing them by hand: the list's
status column, a new process in the list, the open process's stage buttons. Real SQLite store, real
database thread, real widgets."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject

from odc_desktop.app import close_services, create_main_window, create_services
from odc_desktop.changes import Changes
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

WAIT_MS = 60_000  # an upper bound for a loaded machine; each wait ends as soon as its event happens
PREFIX = "ocds-a1b2c3"
TITLES = ["Rehabilitasi Jembatan Kauman", "Pembangunan Jalan Desa Napis", "Pengadaan Bibit Padi"]


def _new(title: str, number: int) -> NewProcess:
    return NewProcess(title=title, opd_code="1.03", opd_name="Dinas PU", year=2025, kode_rup=str(42_000_000 + number))


@pytest.fixture
def window(qtbot, data_dir):
    """The real app on a store with three processes, one of them with a planning draft."""
    seed = create_services(data_dir, sync=True)
    for number, title in enumerate(TITLES):
        process = seed.db.repo.create_process(_new(title, number), PREFIX)
    form = seed.forms.for_stage(Stage.PLANNING)
    seed.db.repo.create_entry(process.id, Stage.PLANNING, form.id, form.version, form.content_hash, {})
    close_services(seed)
    window = create_main_window(create_services(data_dir))
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.list_page.list_did_update, timeout=WAIT_MS):
        window.start()
    yield window
    window.close()
    close_services(window.services)


def _status_cell(window: MainWindow, title: str) -> str | None:
    model = window.list_page.model
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == title:
            return model.index(row, 4).data()
    return None


def _draft_of(repo, title: str):
    process = next(p for p in map(repo.get_process, repo.list_process_ids()) if p.title == title)
    return process, repo.current_entry(process.id, Stage.PLANNING)


def test_a_status_changed_by_a_background_job_shows_in_the_list_without_a_refresh(window, qtbot):
    assert _status_cell(window, TITLES[2]) == "Draf"
    db = window.services.db
    with qtbot.waitSignal(window.services.changes.store_did_change, timeout=WAIT_MS) as told:
        db.run(lambda repo: repo.set_local_status(_draft_of(repo, TITLES[2])[1].id, EntryStatus.READY))
    process, entry = db.run(lambda repo: _draft_of(repo, TITLES[2])).result(timeout=60)
    assert told.args[0] == Changes.of([process.id], [entry.id])
    qtbot.waitUntil(lambda: _status_cell(window, TITLES[2]) == "Siap dikirim", timeout=WAIT_MS)
    assert _status_cell(window, TITLES[0]) == "Belum diisi"  # the other rows are as they were


def test_a_process_created_by_a_background_job_appears_in_the_list(window, qtbot):
    assert window.list_page.model.rowCount() == 3
    with qtbot.waitSignal(window.list_page.list_did_update, timeout=WAIT_MS,
                          check_params_cb=lambda count: count == 4):
        window.services.db.run(lambda repo: repo.create_process(_new("Sumur Bor Desa Ngumpak", 9), PREFIX))
    assert window.list_page.count.text() == "4 paket"
    assert _status_cell(window, "Sumur Bor Desa Ngumpak") == "Belum diisi"


def test_the_open_process_shows_a_status_changed_in_the_background(window, qtbot):
    db = window.services.db
    process, entry = db.run(lambda repo: _draft_of(repo, TITLES[2])).result(timeout=60)
    window.open_process(process.id, Stage.PLANNING)
    view = window.process_view
    button = view.stage_buttons[Stage.PLANNING]
    qtbot.waitUntil(lambda: button.text().endswith("Draf"), timeout=WAIT_MS)
    db.run(lambda repo: repo.set_local_status(entry.id, EntryStatus.READY))
    qtbot.waitUntil(lambda: button.text().endswith("Siap dikirim"), timeout=WAIT_MS)


class ThreadRecorder(QObject):
    """A receiver living on the GUI thread, as every view is; records the thread its slot runs on."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[threading.Thread] = []

    def note(self, _changes: Changes) -> None:
        self.threads.append(threading.current_thread())


def test_changes_published_on_another_thread_reach_the_views_on_the_gui_thread(window, qtbot):
    """Sync will publish from its own thread: the adapter hands the change to the GUI thread."""
    recorder = ThreadRecorder()
    signals = window.services.changes
    signals.store_did_change.connect(recorder.note)
    with qtbot.waitSignal(signals.store_did_change, timeout=WAIT_MS):
        publisher = threading.Thread(target=signals.channel.publish, args=(Changes.of([1]),), name="sync-like")
        publisher.start()
        publisher.join()
    qtbot.waitUntil(lambda: bool(recorder.threads), timeout=WAIT_MS)
    assert recorder.threads == [threading.current_thread()]


def test_a_job_that_fails_after_writing_still_tells_the_views_and_the_operator(window, qtbot):
    """What a failing job committed before it failed is on the list, and the operator is told."""
    db = window.services.db
    process, entry = db.run(lambda repo: _draft_of(repo, TITLES[2])).result(timeout=60)

    def write_then_fail(repo):
        repo.set_local_status(entry.id, EntryStatus.READY)
        raise ValueError("a later step failed")

    with qtbot.waitSignals([window.services.changes.store_did_change, db.job_did_fail], timeout=WAIT_MS):
        db.run(write_then_fail)
    assert window.notice_bar.isVisible() and "tidak selesai" in window.notice_text.text()
    qtbot.waitUntil(lambda: _status_cell(window, TITLES[2]) == "Siap dikirim", timeout=WAIT_MS)
