"""Sync in the app (issue 8, item 4): the sign-in dialog online and then offline, "Kirim ke server" and
"Sinkronkan sekarang" against a real `odc-server` on a loopback port, the status-bar indicator going
offline and recovering, and a refused entry showing the server's reason. Real widgets, real SQLite,
real database and sync threads; every wait ends on a signal or a condition."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from odc_desktop.app import close_services, create_main_window, create_services
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.ui.login_dialog import LoginDialog
from odc_desktop.ui.process_list_model import PROCESS_ID_ROLE
from odc_desktop.ui.sync_controller import SyncController
from odc_desktop.ui.sync_panel import install_sync
from tests.gui.mnemonics import clashes
from tests.server.harness import ServedServer, database, run
from tests.sync.conftest import OTHER_OPD, _no_proxy_env, add_entries  # noqa: F401 - the fixture is used

pytestmark = pytest.mark.gui

WAIT_MS = 60_000  # an upper bound for a loaded machine; each wait ends as soon as its event happens
QUIET_MS = 3_600_000  # the timers never fire by themselves in a test: each step is asked for


@pytest.fixture(scope="module")
def forms():
    from odc_desktop.domain.forms.definition import load_form_set

    return load_form_set()


@pytest.fixture
def server_options(tmp_path):
    folder = tmp_path / "server"
    with database("sqlite", folder) as options:
        run(options, "init", "--demo")
        yield options


@pytest.fixture
def server(server_options):
    served = ServedServer(server_options)
    yield served
    served.stop()


@pytest.fixture
def app_with_sync(qtbot, data_dir, server):
    """Open the real window with sync installed (timers quiet) on ``data_dir``, pointed at ``server``."""
    made = []

    def make(lang: str = "id"):
        services = create_services(data_dir, lang)
        services.settings.set("server_url", server.url)
        window = create_main_window(services)
        controller = SyncController(services, window, sync_interval_ms=QUIET_MS, health_interval_ms=QUIET_MS)
        install_sync(window, controller)
        window.show()
        qtbot.waitExposed(window)
        with qtbot.waitSignal(window.list_page.list_did_update, timeout=WAIT_MS):
            window.start()
        controller.start()
        made.append((window, controller))
        return window, controller

    yield make
    for window, controller in made:
        controller.shutdown()
        window.close()
        close_services(window.services)
        window.deleteLater()  # with its dialogs, now, on this thread (not in a later test's collection)


def sign_in(qtbot, window, controller, username="operator", password="operator"):
    """Type into the real dialog and press Enter; the dialog (closed or still open) and the outcome."""
    dialog = LoginDialog(controller, window)
    qtbot.addWidget(dialog)  # closed and deleted with the test, whether it is still open or not
    dialog.show()
    dialog.username.setText(username)
    dialog.password.setText(password)
    outcome = []
    controller.sign_in_did_finish.connect(outcome.append)
    controller.sign_in_did_fail.connect(outcome.append)
    try:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(outcome), timeout=WAIT_MS)
    finally:
        controller.sign_in_did_finish.disconnect(outcome.append)
        controller.sign_in_did_fail.disconnect(outcome.append)
    return dialog, outcome[0]


def status_of(window, title_part: str) -> str | None:
    model = window.list_page.model
    for row in range(model.rowCount()):
        if title_part in (model.index(row, 0).data() or ""):
            return model.index(row, 4).data()
    return None


def test_first_sign_in_online_then_offline_against_the_cached_hash(qtbot, app_with_sync, server):
    window, controller = app_with_sync()
    assert not clashes(window)  # the Sinkronisasi menu's Alt+letter is its own
    dialog = LoginDialog(controller, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not clashes(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc cancels
    assert not dialog.isVisible() and dialog.result() == LoginDialog.DialogCode.Rejected
    dialog, who = sign_in(qtbot, window, controller)
    assert who.online and who.username == "operator" and dialog.result() == LoginDialog.DialogCode.Accepted
    server.stop()  # from now on the server cannot be reached

    dialog, who = sign_in(qtbot, window, controller)
    assert not isinstance(who, str) and not who.online and who.username == "operator"

    dialog, said = sign_in(qtbot, window, controller, password="salah")
    assert said == dialog.message.text() and "Kata sandi salah" in said
    assert dialog.isVisible()  # still open for another try


def test_offline_without_any_earlier_sign_in_says_the_server_is_needed_once(qtbot, app_with_sync, server):
    window, controller = app_with_sync()
    server.stop()
    dialog, said = sign_in(qtbot, window, controller)
    assert "belum pernah masuk" in said and dialog.isVisible()


def test_kirim_ke_server_queues_ready_entries_and_the_list_shows_them_submitted(qtbot, app_with_sync, data_dir,
                                                                             forms):
    add_entries(data_dir, forms, 2, status="ready")
    add_entries(data_dir, forms, 1, start=5, status="ready", opd=OTHER_OPD)  # the server would refuse it
    window, controller = app_with_sync()
    _dialog, who = sign_in(qtbot, window, controller)
    assert who.online
    qtbot.waitUntil(lambda: not controller.state.running, timeout=WAIT_MS)  # the run after sign-in
    submitted = EntryStatus.SUBMITTED.title("id")
    assert status_of(window, " 0") == EntryStatus.READY.title("id")
    window.sync_actions.submit_action.trigger()
    qtbot.waitUntil(lambda: status_of(window, " 0") == submitted and status_of(window, " 1") == submitted,
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: controller.state.pending.items == 0 and not controller.state.running, timeout=WAIT_MS)
    assert controller.state.last_summary.accepted == 2
    assert "tidak ada yang menunggu" in window.sync_actions.status.text()
    assert status_of(window, " 5") == EntryStatus.READY.title("id")  # another OPD's entry stays ready
    assert "1 entri siap milik OPD lain tidak dikirim" in window.notice_text.text()
    assert window.services.settings.get("default_opd")  # new processes start in the account's OPD


def test_status_bar_counts_pending_goes_offline_and_recovers_on_reconnection(qtbot, app_with_sync, data_dir,
                                                                            forms, server, server_options):
    window, controller = app_with_sync()
    sign_in(qtbot, window, controller)
    qtbot.waitUntil(lambda: not controller.state.running and controller.state.online, timeout=WAIT_MS)
    port = server.port
    server.stop()
    repo = SqlRepository.open(data_dir)  # another writer queues entries (as `odc submit` would)
    try:
        from odc_desktop.workflow import queue

        for uid in add_entries(data_dir, forms, 2, start=10, status="ready"):
            queue(repo, repo.entry_by_uid(uid).id)
    finally:
        repo.close()
    controller.refresh_pending()
    controller.check_server()
    label = window.sync_actions.status
    qtbot.waitUntil(lambda: controller.state.online is False and controller.state.pending.items == 2, timeout=WAIT_MS)
    assert "Luring" in label.text() and "2 entri" in label.text() and "menunggu" in label.text()
    assert controller.state.pending.bytes > 0
    with qtbot.waitSignal(controller.sync_did_finish, timeout=WAIT_MS):
        window.sync_actions.sync_action.trigger()  # F9 while offline: it stops, says why, loses nothing
    assert "Terhenti: Server tidak dapat dihubungi" in label.toolTip() and "Masuk sebagai operator" in label.toolTip()
    assert controller.state.pending.items == 2 and "Luring" in label.text()

    again = ServedServer.__new__(ServedServer)  # the same server back on the same port
    again.options, again.port, again.url = server_options, port, f"http://127.0.0.1:{port}"
    import subprocess

    from tests.server.harness import ODC_SERVER

    again.process = subprocess.Popen([*ODC_SERVER, *server_options, "serve", "--port", str(port)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        again._wait_until_healthy()
        with qtbot.waitSignal(controller.sync_did_finish, timeout=WAIT_MS):
            controller.check_server()  # it answers again: a run starts by itself
        qtbot.waitUntil(lambda: controller.state.pending.items == 0, timeout=WAIT_MS)
        assert controller.state.online and "Daring" in label.text() and "kontak terakhir" in label.text()
        assert controller.state.last_summary.accepted == 2
        assert "Sinkronisasi terakhir: 2 dikirim, 2 diterima" in label.toolTip() and "Terhenti" not in label.toolTip()
    finally:
        again.stop()


def test_a_refused_entry_shows_the_servers_reason(qtbot, app_with_sync, data_dir, forms):
    add_entries(data_dir, forms, 1, start=20, status="queued", opd=OTHER_OPD)  # not the operator's OPD
    window, controller = app_with_sync()
    sign_in(qtbot, window, controller)
    refused = EntryStatus.REJECTED_BY_SERVER.title("id")
    qtbot.waitUntil(lambda: status_of(window, " 20") == refused, timeout=WAIT_MS)
    assert "1 entri" in window.notice_text.text()
    model = window.list_page.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data().endswith(" 20"))
    process_id = model.index(row, 0).data(PROCESS_ID_ROLE)
    window.open_process(process_id, Stage.PLANNING)
    note = window.process_view.sync_note
    qtbot.waitUntil(lambda: note.isVisible() and "Ditolak server" in note.text(), timeout=WAIT_MS)
    assert "Data ini milik OPD lain." in note.text()


def test_in_english_the_sync_menu_dialog_and_indicator_are_english_without_clashes(qtbot, app_with_sync):
    from odc_desktop.ui import i18n

    try:
        window, controller = app_with_sync("en")
        assert not clashes(window)
        dialog = LoginDialog(controller, window)
        qtbot.addWidget(dialog)
        dialog.show()
        assert not clashes(dialog) and dialog.windowTitle() == "Sign in to the ODC server"
        dialog.reject()
        assert window.sync_actions.sync_action.text() == "Sync &now"
        from PySide6.QtWidgets import QMenu

        assert window.findChild(QMenu, "sync_menu").title() == "Syn&c"
        qtbot.waitUntil(lambda: controller.state.online is not None, timeout=WAIT_MS)
        assert "Online" in window.sync_actions.status.text()
    finally:
        i18n.install_language("id")


def test_closing_the_app_during_a_run_cancels_it_and_loses_nothing(qtbot, app_with_sync, data_dir, forms, server):
    window, controller = app_with_sync()
    sign_in(qtbot, window, controller)
    qtbot.waitUntil(lambda: not controller.state.running, timeout=WAIT_MS)
    server.stop()  # a run now waits between retries: closing must not wait for them
    uids = add_entries(data_dir, forms, 2, start=30, status="queued")
    with qtbot.waitSignal(controller.state_did_change, timeout=WAIT_MS,
                          check_params_cb=lambda state: state.running):
        controller.sync_now()
    controller.shutdown()
    assert not controller.runner._thread.is_alive() and controller.state.running  # stopped mid-run
    repo = SqlRepository.open(data_dir)
    try:
        assert [repo.entry_by_uid(uid).status for uid in uids] == [EntryStatus.QUEUED] * 2
        assert len(repo.list_outbox()) == 2  # still queued: the next start sends them
    finally:
        repo.close()


def test_a_sync_brings_new_submissions_onto_the_open_review_page(qtbot, app_with_sync, data_dir, forms, server,
                                                                 tmp_path):
    """The supervisor's page follows sync: an entry an operator submits meanwhile appears on the open
    review page after "Sinkronkan sekarang", without reopening it."""
    from odc_sync.client import SyncEngine, login

    window, controller = app_with_sync()
    _dialog, who = sign_in(qtbot, window, controller, "supervisor", "supervisor")
    assert who.online
    qtbot.waitUntil(lambda: not controller.state.running, timeout=WAIT_MS)  # the run after sign-in
    window.open_review()  # builds the page and asks for the stored queue (answered on the DB thread)
    with qtbot.waitSignal(window.review_page.queue_did_load, timeout=WAIT_MS) as loaded:
        pass
    assert loaded.args == [0]
    operator = tmp_path / "operator"
    operator.mkdir()
    add_entries(operator, forms, 1, start=7000, status="queued")
    repo = SqlRepository.open(operator)
    try:
        login(repo, operator, server.url, "operator", "operator")
        assert SyncEngine(repo, operator, sleep=lambda s: None).run().accepted == 1
    finally:
        repo.close()
    with qtbot.waitSignal(window.review_page.queue_did_load, timeout=WAIT_MS) as loaded:
        window.sync_actions.sync_action.trigger()
    assert loaded.args == [1] and window.review_page.queue.count() == 1


def test_signing_in_as_admin_in_the_app_shows_the_publish_action(qtbot, app_with_sync):
    """The role comes with the sign-in: the admin's "Terbitkan versi formulir…" appears without a restart."""
    window, controller = app_with_sync()
    assert not window.forms_push.publish_action.isVisible()
    with qtbot.waitSignal(window.forms_push.state_did_refresh, timeout=WAIT_MS,
                          check_params_cb=lambda admin, _notices: admin):
        _dialog, who = sign_in(qtbot, window, controller, "admin", "admin")
    assert who.online and window.forms_push.publish_action.isVisible() and window.forms_push.publish_action.isEnabled()
