"""Form publishing on a real `odc-server` (SQLite and PostgreSQL): an admin publishes a form version that
passes the strict loader; the server signs it and clients pull it; non-admins and bad files are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from odc_sync.protocol.signing import form_signature_valid
from tests.server.api import API
from tests.server.review_api import pull_all

FORMS = Path(__file__).resolve().parents[2] / "forms"


def planning_v2() -> bytes:
    text = (FORMS / "planning.yaml").read_text(encoding="utf-8")
    assert "\nversion: 1\n" in text
    return text.replace("\nversion: 1\n", "\nversion: 2\n", 1).encode("utf-8")


def publish(api, raw: bytes):  # noqa: ANN001, ANN201
    return api.http.post(f"{API}/forms", content=raw, headers={**api.auth, "Content-Type": "application/yaml"})


@pytest.fixture
def admin(served):
    api = served.device("admin")
    yield api
    api.close()


def test_an_admin_publishes_a_signed_form_that_clients_pull(served, admin, operator):
    raw = planning_v2()
    response = publish(admin, raw)
    assert response.status_code == 200, response.text
    signed = response.json()
    assert (signed["id"], signed["version"], signed["yaml"]) == ("planning", 2, raw.decode())
    assert publish(admin, raw).json() == signed  # the same file again: the same publication
    (pulled,) = [f for f in pull_all(operator)["forms"] if (f["id"], f["version"]) == ("planning", 2)]
    assert pulled == signed
    key = operator.server_key()
    assert form_signature_valid(key, pulled)
    forged_yaml = pulled["yaml"].replace("Perencanaan", "Perencanaan palsu", 1)
    assert not form_signature_valid(key, {**pulled, "yaml": forged_yaml})
    assert not form_signature_valid(key, {**pulled, "yaml": forged_yaml,
                                          "hash": __import__("hashlib").sha256(forged_yaml.encode()).hexdigest()})
    changed = raw.replace(b"\ntitle: {id: Perencanaan,", b"\ntitle: {id: Perencanaan!,", 1)
    assert changed != raw
    clash = publish(admin, changed)
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "form_exists"


def test_only_an_admin_may_publish_a_form(served, operator):
    supervisor = served.device("supervisor")
    try:
        for api in (operator, supervisor):
            response = publish(api, planning_v2())
            assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden_role"
    finally:
        supervisor.close()


def test_a_form_the_strict_loader_refuses_is_not_published(served, admin, operator):
    broken = planning_v2().replace(b"\nversion: 2\n", b"\nversion: 3\nsurprise: 1\n", 1)
    response = publish(admin, broken)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "form_refused" and error["message"].startswith("Formulir ditolak")
    assert error["message_en"].startswith("The form was refused")
    assert not [f for f in pull_all(operator)["forms"] if f["version"] == 3]
    unknown = planning_v2().replace(b"\nid: planning\n", b"\nid: lain\n", 1)
    assert publish(admin, unknown).status_code == 422
