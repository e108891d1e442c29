"""``odc-desktop --demo`` runs a local `odc-server` beside the app (issue 8, item 4): the app signs in
to it as the demo operator (the dialog comes prefilled), and the server never outlives the app: it
stops when the app closes, and when the app is killed outright."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from odc_desktop.app import close_services, create_main_window, create_services
from odc_desktop.demo_server import SERVER_FOLDER, DemoServer
from odc_desktop.sync_status import server_answers
from odc_desktop.ui.login_dialog import LoginDialog
from odc_desktop.ui.sync_setup import SyncSetup
from tests.sync.conftest import _no_proxy_env  # noqa: F401 - autouse: loopback without proxies

pytestmark = pytest.mark.gui

WAIT_MS = 120_000  # an upper bound for a loaded machine (the first start runs `init --demo`)


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie no parent reaped yet counts as ended)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            return not any(line.startswith("State:") and "Z" in line.split()[1] for line in status)
    except FileNotFoundError:
        return False


def _wait_until(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not {what} after {timeout} s")
        time.sleep(0.05)


def _statuses(window) -> list[str]:
    """The status cells; a row the list is still loading (after a re-sort) reads "" until it is shown."""
    model = window.list_page.model
    return sorted(model.index(row, 4).data() or "" for row in range(model.rowCount()))


def test_the_demo_app_starts_the_server_signs_in_prefilled_and_stops_it_on_close(qtbot, data_dir):
    from odc_desktop.domain.forms.definition import load_form_set
    from odc_desktop.domain.statuses import EntryStatus
    from tests.sync.conftest import add_entries

    add_entries(data_dir, load_form_set(), 2, status="ready")  # the demo operator's OPD
    services = create_services(data_dir)
    window = create_main_window(services)
    setup = SyncSetup(services, window, demo=True)
    window.show()
    with qtbot.waitSignal(window.list_page.list_did_update, timeout=WAIT_MS):
        window.start()
    try:
        setup.begin()
        qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), LoginDialog), timeout=WAIT_MS)
        dialog = QApplication.activeModalWidget()
        assert (dialog.username.text(), dialog.password.text()) == ("operator", "operator")
        url = services.settings.get("server_url")
        assert url == setup.demo_server.url and server_answers(url)
        assert json.loads((data_dir / "settings.json").read_text("utf-8"))["server_url"] == url
        with qtbot.waitSignal(setup.controller.sign_in_did_finish, timeout=WAIT_MS) as signed:
            qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # Enter signs in
        assert signed.args[0].online and signed.args[0].username == "operator"
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=WAIT_MS)  # closed once signed in
        process = setup.demo_server.process
        assert process.poll() is None and (data_dir / SERVER_FOLDER / "demo-init.done").exists()
        # Kirim ke server: both reach the server; its demo supervisor approves one and returns the
        # other through the real review endpoint, and the next run brings both decisions back.
        window.sync_actions.submit_action.trigger()
        decided = sorted([EntryStatus.APPROVED.title("id"), EntryStatus.RETURNED.title("id")])
        qtbot.waitUntil(lambda: _statuses(window) == decided, timeout=WAIT_MS)
        assert "Supervisor demo" in window.notice_text.text()
    finally:
        setup.close()
        window.close()
        close_services(services)
        window.deleteLater()
    assert process.poll() is not None and not server_answers(url, timeout=1.0)


CRASHING_APP = """
import sys, time
from odc_desktop.demo_server import DemoServer
server = DemoServer(sys.argv[1])
print(server.start(), server.process.pid, flush=True)
time.sleep(3600)
"""


def test_the_demo_server_does_not_outlive_a_killed_app(tmp_path: Path):
    app = subprocess.Popen([sys.executable, "-c", CRASHING_APP, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        url, pid = app.stdout.readline().split()
        assert server_answers(url) and _alive(int(pid))
    finally:
        app.send_signal(signal.SIGKILL)  # no clean-up runs: only the closed pipe tells the server
        app.wait()
        app.stdout.close()
    _wait_until(lambda: not _alive(int(pid)), "stopped")
    assert not server_answers(url, timeout=1.0)


def test_without_the_server_extra_the_demo_says_so_and_the_app_runs_without_sync(tmp_path: Path):
    """A Python without FastAPI and uvicorn (the core install): DemoServer refuses in one sentence."""
    script = ("import sys; sys.modules['fastapi'] = None\n"  # as if the server extra were not installed
              "from odc_desktop.demo_server import DemoServer, DemoServerError\n"
              "try:\n    DemoServer(sys.argv[1]).start()\nexcept DemoServerError as exc:\n"
              "    print(exc.message('id')); print(exc.message('en'))\n")
    said = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert said.returncode == 0, said.stderr
    indonesian, english = said.stdout.splitlines()
    assert "bagian server belum dipasang" in indonesian and "tanpa sinkronisasi" in indonesian
    assert "server part is not installed" in english
    assert not (tmp_path / SERVER_FOLDER).exists() and os.listdir(tmp_path) == []
