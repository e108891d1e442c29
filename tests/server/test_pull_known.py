"""The first pull leaves out what the client says it has (``known_forms``, ``known_opd``:
sync/protocol/known.py), against a real `odc-server` (SQLite and PostgreSQL); a form version the
client does not have still comes, and so does an OPD list that differs from the client's."""

from __future__ import annotations

from odc_desktop.form_registry import FormRegistry
from odc_sync.client.forms import known_content
from odc_sync.protocol.known import form_token, shipped_content
from tests.server.api import API, Api
from tests.server.test_forms import planning_v2, publish


def _pull(api, **params):  # noqa: ANN001, ANN202
    response = api.http.get(f"{API}/pull", headers=api.auth, params={"cursor": "0", **params})
    assert response.status_code == 200, response.text
    return response.json()


def test_the_first_pull_leaves_out_the_shipped_opd_list_and_known_forms(served, operator):
    registry = FormRegistry.open(None)
    known = known_content(registry)
    assert set(known) == {"known"}  # a fresh PC: only the shipped set's digest
    _digest, _hashes, shipped_opd = shipped_content(registry.shipped)
    everything = _pull(operator)
    assert everything["reference"]["opd"]
    lean = _pull(operator, **known)
    assert lean["reference"]["opd"] == [] and lean["cursor"] == everything["cursor"]
    assert lean["more"] == everything["more"]
    assert _pull(operator, known_opd=shipped_opd)["reference"]["opd"] == []  # the OPD list alone
    other = _pull(operator, known="0" * 16)  # another app's shipped set: all of it
    assert other["reference"]["opd"] == everything["reference"]["opd"]
    assert _pull(operator, known_opd="0" * 16)["reference"]["opd"] == everything["reference"]["opd"]

    admin = Api(served.url)
    try:
        assert admin.login("admin", "admin").status_code == 200
        published = publish(admin, planning_v2())
        assert published.status_code == 200, published.text
    finally:
        admin.close()
    token = form_token(published.json()["hash"])
    new = _pull(operator, **known)  # a form the client does not have comes down
    assert [(f["id"], f["version"]) for f in new["forms"]] == [("planning", 2)] and new["reference"]["opd"] == []
    had = _pull(operator, known=known["known"], known_forms="abcdef012345." + token)
    assert had["forms"] == [] and had["cursor"] == new["cursor"]
    junk = _pull(operator, known_forms="not,hex!,", known_opd="x")  # unreadable: everything comes
    assert junk["forms"] == new["forms"]
    assert junk["reference"]["opd"] == everything["reference"]["opd"]
