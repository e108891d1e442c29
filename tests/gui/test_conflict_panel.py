"""A push conflict in the app: the process view says what happened (with the server's revision), "Lihat
perbedaan…" lists the differing fields, and "Pakai versi server" / "Pakai versi saya" resolve it, by
keyboard, after which the form, the sync line and the list show the new state. Real widgets, real
SQLite, a real `odc-server` on loopback made the conflict; every wait ends on a condition."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.sql import SqlRepository
from tests.gui.app_windows import AppWindows
from tests.gui.mnemonics import clashes
from tests.gui.test_app_sync import (  # noqa: F401 - fixtures
    WAIT_MS,
    app_with_sync,
    server,
    server_options,
    sign_in,
    status_of,
)
from tests.sync.conftest import _no_proxy_env, add_entries  # noqa: F401 - the fixture is used
from tests.sync.test_conflicts import conflicted, rival_pushes, rival_revisions

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def forms():
    from odc_desktop.domain.forms.definition import load_form_set

    return load_form_set()


@pytest.fixture
def open_app(qtbot):
    windows = AppWindows(qtbot)
    yield lambda data_dir, lang="id": windows.open(lang, data_dir=data_dir)
    windows.close_all()


def _open_process(qtbot, window, data_dir, uid):
    repo = SqlRepository.open(data_dir)
    try:
        process_id = repo.entry_by_uid(uid).process_id
    finally:
        repo.close()
    window.open_process(process_id, Stage.PLANNING)
    view = window.process_view
    qtbot.waitUntil(lambda: view.current_page() is not None and view.current_page().entry is not None,
                    timeout=WAIT_MS)
    return view


def _open_conflict(qtbot, window, data_dir, uid):
    view = _open_process(qtbot, window, data_dir, uid)
    qtbot.waitUntil(lambda: view.conflict_panel.isVisible(), timeout=WAIT_MS)
    return view


def _press(qtbot, button):
    """Reach ``button`` by keyboard and press it with the space bar."""
    assert button.focusPolicy() & Qt.FocusPolicy.TabFocus and button.isEnabled()
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(button, Qt.Key.Key_Space)


def test_the_servers_version_is_taken_from_the_dialog_and_the_view_and_list_refresh(qtbot, open_app, server,
                                                                                  forms, tmp_path):
    data_dir, uid = conflicted(server, forms, tmp_path, 2100, ["999 m"])
    window = open_app(data_dir)
    queued = EntryStatus.QUEUED.title("id")
    assert status_of(window, " 2100") == queued
    view = _open_conflict(qtbot, window, data_dir, uid)
    panel = view.conflict_panel
    assert "diubah di komputer lain" in panel.text.text() and "revisi 1" in panel.text.text()
    # not "waiting for the next sync": sync leaves it until a version is chosen (and no raw code)
    qtbot.waitUntil(lambda: "menunggu Anda memilih versi" in view.sync_note.text(), timeout=WAIT_MS)
    assert "conflict" not in view.sync_note.text() and "berikutnya" not in view.sync_note.text()
    page = view.current_page()
    qtbot.waitUntil(lambda: page.entry is not None, timeout=WAIT_MS)
    assert not clashes(window), clashes(window)  # Alt+L is the panel's alone
    _press(qtbot, panel.show_button)
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible(), timeout=WAIT_MS)
    dialog = panel.dialog
    assert not clashes(dialog)
    rows = [[dialog.table.item(r, c).text() for c in range(3)] for r in range(dialog.table.rowCount())]
    assert rows[0][0] == "Volume pekerjaan" and rows[0][2] == "999 m" and rows[0][1] != "999 m"
    assert dialog.documents.isVisible()  # the server's copy has no documents
    assert dialog.mine_button.text() == "Pakai versi &saya" and dialog.server_button.text() == "Pakai versi s&erver"
    _press(qtbot, dialog.server_button)
    qtbot.waitUntil(lambda: not dialog.isVisible() and not panel.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.editors["volume_pekerjaan"].value() == "999 m", timeout=WAIT_MS)
    submitted = EntryStatus.SUBMITTED.title("id")
    qtbot.waitUntil(lambda: status_of(window, " 2100") == submitted, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "Diterima server" in view.sync_note.text(), timeout=WAIT_MS)


def test_my_version_is_kept_from_the_dialog_in_english(qtbot, open_app, server, forms, tmp_path):
    from odc_desktop.ui import i18n

    data_dir, uid = conflicted(server, forms, tmp_path, 2200, ["888 m"])
    try:
        i18n.install_language("en")
        window = open_app(data_dir, "en")
        view = _open_conflict(qtbot, window, data_dir, uid)
        panel = view.conflict_panel
        assert "changed on another computer" in panel.text.text() and "revision 1" in panel.text.text()
        _press(qtbot, panel.show_button)
        qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible(), timeout=WAIT_MS)
        dialog = panel.dialog
        assert dialog.table.item(0, 0).text() == "Quantity of work" and dialog.mine_button.text() == "Keep &my version"
        assert not clashes(dialog)
        assert "choose a version" in view.sync_note.text()
        _press(qtbot, dialog.mine_button)
        qtbot.waitUntil(lambda: not dialog.isVisible() and not panel.isVisible(), timeout=WAIT_MS)
        # resolved: it goes with the next sync again
        qtbot.waitUntil(lambda: "Waiting to be sent to the server at the next sync." == view.sync_note.text(),
                        timeout=WAIT_MS)
    finally:
        i18n.install_language("id")
    repo = SqlRepository.open(data_dir)
    try:
        entry = repo.entry_by_uid(uid)
        assert (entry.status, entry.revision) == (EntryStatus.QUEUED, 1)  # sent as revision 2 by the next sync
        assert entry.data["volume_pekerjaan"] != "888 m"
    finally:
        repo.close()


def test_a_conflict_met_by_the_apps_own_sync_shows_in_the_open_process(qtbot, app_with_sync, data_dir, server, forms):
    (uid,) = add_entries(data_dir, forms, 1, start=2300, status="queued")
    assert rival_pushes(server, rival_revisions(data_dir, uid, ["123 m"]))[0]["status"] == "accepted"
    window, controller = app_with_sync()
    view = _open_process(qtbot, window, data_dir, uid)
    assert not view.conflict_panel.isVisible()
    sign_in(qtbot, window, controller)  # signing in runs a sync, which meets the other PC's revision
    qtbot.waitUntil(lambda: view.conflict_panel.isVisible(), timeout=WAIT_MS)
    assert "revisi 1" in view.conflict_panel.text.text()
    assert "berkonflik dengan versi di server" in window.notice_text.text()
