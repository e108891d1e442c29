"""Pull since a cursor with an ETag, against a real `odc-server` (SQLite and PostgreSQL)."""

from __future__ import annotations

import yaml

from odc_desktop.domain.forms.definition import forms_dir


def test_pull_from_the_start_brings_the_opd_master_then_nothing(served, operator):
    first = operator.http.get("/api/v1/pull", headers=operator.auth)
    assert first.status_code == 200
    body = first.json()
    shipped = yaml.safe_load((forms_dir() / "codelists" / "opd.yaml").read_text(encoding="utf-8"))["items"]
    assert [o["code"] for o in body["reference"]["opd"]] == sorted(i["code"] for i in shipped)
    assert body["decisions"] == [] and body["forms"] == [] and body["more"] is False
    cursor = body["cursor"]
    assert int(cursor) > 0
    idle = operator.http.get("/api/v1/pull", params={"cursor": cursor}, headers=operator.auth)
    assert idle.json()["reference"]["opd"] == [] and idle.json()["cursor"] == cursor
    etag = idle.headers["ETag"]
    again = operator.http.get("/api/v1/pull", params={"cursor": cursor},
                              headers={**operator.auth, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    # The ETag belongs to the answer: another cursor is another answer.
    other = operator.http.get("/api/v1/pull", params={"cursor": "0"}, headers={**operator.auth, "If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag


def test_a_page_never_splits_a_change(served, operator):
    everything = operator.http.get("/api/v1/pull", headers=operator.auth).json()
    page = operator.http.get("/api/v1/pull", params={"limit": 5}, headers=operator.auth).json()
    # The OPD master load is one change of many rows: a small page still brings all of it.
    assert page["reference"]["opd"] == everything["reference"]["opd"]
    assert page["cursor"] == everything["cursor"]
    rest = operator.http.get("/api/v1/pull", params={"cursor": page["cursor"]}, headers=operator.auth).json()
    assert rest["reference"]["opd"] == [] and rest["more"] is False


def test_pull_needs_a_login(served):
    import httpx

    assert httpx.get(served.url + "/api/v1/pull").status_code == 401
