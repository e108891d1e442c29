"""Form updates in the app, with the real window and a real `odc-server` on loopback: the admin's
"Terbitkan versi formulir…" (shown only for an admin) publishes through the same code as the CLI, and
an operator is shown the drafts that could not move to a new form version."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from odc_desktop.storage.sql import SqlRepository
from odc_desktop.domain.forms.definition import load_form_set
from odc_sync.client import SyncEngine, login
from tests.gui.app_windows import WAIT_MS, AppWindows
from tests.server.api import API, Api
from tests.server.harness import ServedServer, database, run
from tests.server.review_api import pull_all
from tests.sync.form_updates import RENAME, draft, form_file
from tests.unit.form_samples import valid_data
from tests.unit.form_versions import planning_v2

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def server_url(tmp_path_factory) -> Iterator[str]:
    with database("sqlite", tmp_path_factory.mktemp("odc-server")) as options:
        run(options, "init", "--demo")
        served = ServedServer(options)
        try:
            yield served.url
        finally:
            served.stop()


@pytest.fixture
def open_window(qtbot, data_dir, monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    windows = AppWindows(qtbot, data_dir)
    yield lambda lang="id": windows.open(lang, ready=lambda window: window.forms_push.state_did_refresh)
    windows.close_all()


def _sign_in(data_dir: Path, url: str, who: str) -> None:
    repo = SqlRepository.open(data_dir)
    try:
        login(repo, data_dir, url, who, who)
    finally:
        repo.close()


def test_an_admin_publishes_a_form_version_from_the_app(qtbot, open_window, data_dir, server_url, tmp_path):
    _sign_in(data_dir, server_url, "admin")
    window = open_window()
    action = window.forms_push.publish_action
    assert action.isVisible() and action.isEnabled() and action in window.file_menu.actions()
    path = tmp_path / "planning-v5.yaml"
    path.write_bytes(planning_v2(version=5, title="Perencanaan lima"))
    with qtbot.waitSignal(window.forms_push.form_did_publish, timeout=WAIT_MS) as published:
        window.forms_push.publish_file(path)
    assert (published.args[0]["id"], published.args[0]["version"]) == ("planning", 5)
    assert window.notice_bar.isVisible() and "Formulir planning versi 5" in window.notice_text.text()
    operator = Api(server_url)
    try:
        assert operator.login("operator", "operator").status_code == 200
        assert ("planning", 5) in [(f["id"], f["version"]) for f in pull_all(operator)["forms"]]
    finally:
        operator.close()
    # A file the strict loader refuses never leaves the PC; the notice names the key.
    broken = tmp_path / "rusak.yaml"
    broken.write_bytes(planning_v2(version=6).replace(b"\nversion: 6\n", b"\nversion: 6\nsurprise: 1\n", 1))
    with qtbot.waitSignal(window.forms_push.publish_did_fail, timeout=WAIT_MS) as failed:
        window.forms_push.publish_file(broken)
    assert "rusak.yaml" in failed.args[0] and "'surprise'" in failed.args[0]
    assert window.notice_text.text() == failed.args[0] and action.isEnabled()


def test_an_operator_sees_no_publish_action_and_is_told_of_drafts_that_stay(open_window, data_dir, server_url,
                                                                            tmp_path):
    admin = Api(server_url)
    try:
        assert admin.login("admin", "admin").status_code == 200
        raw = form_file(tmp_path, 9, RENAME).read_bytes()
        answer = admin.http.post(f"{API}/forms", content=raw,
                                 headers={**admin.auth, "Content-Type": "application/yaml"})
        assert answer.status_code == 200, answer.text
    finally:
        admin.close()
    _sign_in(data_dir, server_url, "operator")
    repo = SqlRepository.open(data_dir)
    try:
        forms = load_form_set()
        stay = [draft(repo, forms, n, valid_data("planning")).uid for n in range(1, 5)]  # a field v9 dropped
        summary = SyncEngine(repo, data_dir, sleep=lambda s: None).run()
        assert summary.error is None and [n["entry"] for n in summary.migration_notices] == stay
    finally:
        repo.close()
    window = open_window("en")
    assert not window.forms_push.publish_action.isVisible()
    assert window.notice_bar.isVisible()
    shown = window.notice_text.text()
    assert "stays on form planning version 1" in shown and "version 9" in shown and "Paket draf 1" in shown
    assert "Paket draf 3" in shown and "Paket draf 4" not in shown  # three named, the rest counted
    assert shown.endswith("… and 1 more drafts stay on an older form version.")
