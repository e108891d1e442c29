"""The supervisor's review page with real widgets on a real store: the queue as sync keeps it, the
entry's SOP-labelled fields beside the previous revision (changes highlighted), red flags, decisions
queued through the workflow (refusals said), and a document fetched from a real `odc-server` and
handed to the desktop."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from odc_desktop.app import close_services, create_services
from odc_desktop.domain.review import DecisionStatus
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.ui.main_window import MainWindow
from odc_desktop.ui.review_page import CHANGED, NOTE_COLUMN, ReviewPage
from odc_desktop.workflow.review import keep_review_queue
from odc_sync.client import SyncEngine, login
from tests.sync.conftest import PDF, _no_proxy_env, add_entries, forms, server  # noqa: F401 - fixtures
from tests.unit.form_samples import valid_data
from tests.unit.test_cli_review import _item

pytestmark = pytest.mark.gui

WAIT_MS = 60_000  # an upper bound for a loaded machine; each wait ends when its event happens


def _supervisor_store(data_dir: Path, role: str = "supervisor") -> None:
    repo = SqlRepository.open(data_dir)
    try:
        for key, value in {"role": role, "username": "bu_sri", "server_url": "http://127.0.0.1:9"}.items():
            repo.set_sync_state(key, value)
        before = dict(valid_data("planning"), pagu=1_000_000_000)
        planning = _item("bbbb00000001", "planning", valid_data("planning"), "ocds-a1b2c3-41238888")
        planning["previous"] = {"data": before}
        award = dict(valid_data("award"), nilai_penetapan=1_300_000_000)
        keep_review_queue(repo, [planning, _item("aaaa00000001", "tender", valid_data("tender")),
                                 _item("aaaa00000002", "award", award)])
    finally:
        repo.close()


@pytest.fixture
def page(qtbot, qapp, data_dir):
    _supervisor_store(data_dir)
    services = create_services(data_dir, sync=True)
    opened: list[Path] = []
    widget = ReviewPage(services, open_file=opened.append)
    widget.opened = opened
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.queue_did_load, timeout=WAIT_MS):
        widget.reload()
    yield widget
    close_services(services)


def _row_of(page: ReviewPage, field_id: str) -> int:
    return next(r for r in range(page.fields.rowCount())
                if page.fields.item(r, NOTE_COLUMN).data(Qt.ItemDataRole.UserRole) == field_id)


def _select(page: ReviewPage, uid: str) -> None:
    rows = [page.queue.item(r).data(Qt.ItemDataRole.UserRole) for r in range(page.queue.count())]
    page.queue.setCurrentRow(rows.index(uid))


def test_the_entry_shows_sop_labels_the_previous_revision_and_red_flags(page):
    assert page.queue.count() == 3
    _select(page, "bbbb00000001")
    pagu = _row_of(page, "pagu")
    assert [page.fields.item(pagu, c).text() for c in range(4)] == [
        "SOP 2.1", "Pagu anggaran", "Rp 1.250.000.000", "Rp 1.000.000.000"]
    assert page.fields.item(pagu, 2).background().color() == CHANGED
    same = _row_of(page, "jenis_pengadaan")
    assert page.fields.item(same, 2).background().color() != CHANGED
    assert page.flags.item(0).text() == "Tidak ada tanda bahaya."
    _select(page, "aaaa00000002")
    assert "awards/0/value/amount" in page.flags.item(0).text() and "HPS" in page.flags.item(0).text()
    assert "1 tanda bahaya" in page.queue.currentItem().text()


def test_return_with_field_notes_is_queued_and_a_bad_return_is_refused(qtbot, page):
    _select(page, "bbbb00000001")
    page.fields.item(_row_of(page, "pagu"), NOTE_COLUMN).setText("Pagu tidak sesuai DPA")
    qtbot.mouseClick(page.return_button, Qt.MouseButton.LeftButton)  # no note on the entry
    assert "memerlukan catatan" in page.message.text()
    page.note.setPlainText("Lengkapi rincian")
    with qtbot.waitSignal(page.decision_did_queue, timeout=WAIT_MS) as queued:
        qtbot.mouseClick(page.return_button, Qt.MouseButton.LeftButton)
    assert queued.args == ["bbbb00000001"]
    qtbot.waitUntil(lambda: "menunggu sinkronisasi" in page.queue.currentItem().text(), timeout=WAIT_MS)
    (decision,) = page.services.db.run(lambda repo: repo.list_review_decisions()).result()
    assert (decision.decision, decision.status, decision.decided_by) == ("return", DecisionStatus.QUEUED, "bu_sri")
    assert [(n.field, n.text) for n in decision.notes] == [(None, "Lengkapi rincian"), ("pagu", "Pagu tidak sesuai DPA")]


def test_an_operator_account_cannot_approve_here(qtbot, qapp, tmp_path):
    _supervisor_store(tmp_path, role="operator")
    services = create_services(tmp_path, sync=True)
    try:
        widget = ReviewPage(services)
        qtbot.addWidget(widget)
        widget.reload()
        qtbot.mouseClick(widget.approve_button, Qt.MouseButton.LeftButton)
        assert "Hanya akun verifikator" in widget.message.text()
        assert services.db.run(lambda repo: repo.list_review_decisions()).result() == []
    finally:
        close_services(services)


def test_the_main_window_opens_the_review_page(qtbot, page, data_dir):
    window = MainWindow(page.services)
    qtbot.addWidget(window)
    window.review_action.trigger()
    assert window.stack.currentWidget() is window.review_page
    qtbot.waitUntil(lambda: window.review_page.queue.count() == 3, timeout=WAIT_MS)
    window.back_action.trigger()
    assert window.stack.currentWidget() is window.list_page
    window.close()  # while the store is open (its clean-exit marker is written on close)


def test_a_document_is_fetched_from_the_server_and_opened(qtbot, qapp, server, forms, tmp_path):
    operator, supervisor = tmp_path / "operator", tmp_path / "supervisor"
    operator.mkdir()
    supervisor.mkdir()
    (uid,) = add_entries(operator, forms, 1, start=2000, status="queued")
    for folder, who in ((operator, "operator"), (supervisor, "supervisor")):
        repo = SqlRepository.open(folder)
        try:
            login(repo, folder, server.url, who, who)
            assert SyncEngine(repo, folder, sleep=lambda s: None).run().error is None
        finally:
            repo.close()
    services = create_services(supervisor, sync=True)
    try:
        opened: list[Path] = []
        widget = ReviewPage(services, open_file=opened.append)
        qtbot.addWidget(widget)
        widget.reload()
        _select(widget, uid)
        names = [widget.documents.item(r).text() for r in range(widget.documents.count())]
        widget.documents.setCurrentRow(next(i for i, n in enumerate(names) if n.startswith("dpa.pdf")))
        with qtbot.waitSignal(widget.document_did_open, timeout=WAIT_MS):
            qtbot.mouseClick(widget.open_button, Qt.MouseButton.LeftButton)
        (path,) = opened
        assert path.read_bytes() == PDF + b"dpa" and path.suffix == ".pdf"
    finally:
        close_services(services)
