"""The engine's first pull does not download what the app ships (real `odc-server`, SQLite and
PostgreSQL): the shipped OPD list and form versions are left out; a form version published on the
server and an OPD list changed there still come down to a fresh PC."""

from __future__ import annotations

import pytest
import requests

from odc_sync.client import SyncEngine, login
from tests.server.api import Api
from tests.server.test_forms import planning_v2, publish
from tests.sync.conftest import tamper
from tests.sync.test_engine import store


@pytest.fixture
def pulls(monkeypatch):
    """The JSON of every pull answer the client received (requests' ``send`` wrapped to look)."""
    found: list[dict] = []
    real = requests.Session.send

    def send(self, request, **kwargs):  # noqa: ANN001, ANN202
        response = real(self, request, **kwargs)
        if request.path_url.startswith("/api/v1/pull") and response.status_code == 200:
            found.append(response.json())
        return response

    monkeypatch.setattr(requests.Session, "send", send)
    return found


def fresh_pc_sync(tmp_path, server, name: str):
    data_dir = tmp_path / name
    data_dir.mkdir()
    with store(data_dir) as repo:
        login(repo, data_dir, server.url, "operator", "operator")
        summary = SyncEngine(repo, data_dir, sleep=lambda s: None).run()
        assert summary.error is None and summary.pulled
        return summary, repo.get_sync_state("cursor")


def test_the_first_pull_brings_only_what_the_pc_lacks(server, tmp_path, pulls):
    summary, cursor = fresh_pc_sync(tmp_path, server, "pc1")
    (answer,) = pulls
    assert answer["reference"]["opd"] == [] and answer["forms"] == [] and int(cursor) > 0
    assert summary.forms_received == []

    admin = Api(server.url)
    try:
        assert admin.login("admin", "admin").status_code == 200
        assert publish(admin, planning_v2()).status_code == 200
    finally:
        admin.close()
    tamper(server, "UPDATE opds SET name_en = ?, change_seq = change_seq + 1000000 WHERE code = ?",
           ("Public Works Office (renamed)", "1.03.0.00.0.00.09.0000"))
    pulls.clear()
    summary, _ = fresh_pc_sync(tmp_path, server, "pc2")
    (answer,) = pulls
    assert [(f["id"], f["version"]) for f in answer["forms"]] == [("planning", 2)]
    assert [(f["id"], f["version"]) for f in summary.forms_received] == [("planning", 2)]
    names = {o["code"]: o["name"]["en"] for o in answer["reference"]["opd"]}
    assert names["1.03.0.00.0.00.09.0000"] == "Public Works Office (renamed)" and len(names) > 1
