"""A pulled form is stored only when signed by the pinned server key, signed for what it says inside,
and accepted by the strict loader; every refusal is kept in sync_state and nothing is stored.
(Real Ed25519 keys, a real form registry folder, a real SQLite store; the server path is in
tests/sync/test_form_push.py.)"""

from __future__ import annotations

import hashlib

import pytest

from odc_desktop.form_registry import FormRegistry
from odc_desktop.storage.sql import SqlRepository
from odc_sync.client.forms import receive_form, refused_forms
from odc_sync.protocol.signing import new_private_key, sign_form
from tests.unit.form_versions import planning_v2

SERVER = new_private_key()
OTHER = new_private_key()


def signed(raw: bytes, *, key=SERVER, form_id: str = "planning", version: int = 2) -> dict:  # noqa: ANN001
    text = raw.decode("utf-8")
    return sign_form(key, {"id": form_id, "version": version, "hash": hashlib.sha256(raw).hexdigest(),
                           "yaml": text, "stage": "planning", "published_at": "2026-01-01T00:00:00+07:00",
                           "published_by": "admin"})


@pytest.fixture
def place(data_dir):
    repo = SqlRepository.open(data_dir)
    yield repo, FormRegistry.open(data_dir)
    repo.close()


def test_a_form_signed_by_the_pinned_key_is_stored_once(place):
    repo, registry = place
    item = signed(planning_v2())
    received, refused = receive_form(repo, registry, item, SERVER.public_key())
    assert refused is None and received == {"id": "planning", "version": 2, "hash": item["hash"]}
    assert registry.current("planning").version == 2
    assert receive_form(repo, registry, item, SERVER.public_key()) == (None, None)  # already here


@pytest.mark.parametrize("case, reason", [
    ("another key", "refused_signature"),
    ("text changed after signing", "refused_signature"),
    ("signed as another version", "refused_identity"),
    ("refused by the strict loader", "refused_invalid"),
    ("not a form object", "refused_signature"),
])
def test_a_form_that_fails_a_check_is_refused_recorded_and_never_stored(place, data_dir, case, reason):
    repo, registry = place
    raw = planning_v2(version=3)
    item = {
        "another key": lambda: signed(raw, key=OTHER, version=3),
        "text changed after signing": lambda: {**signed(raw, version=3),
                                               "yaml": raw.decode().replace("Nomor DPA", "Nomor rekening", 1)},
        "signed as another version": lambda: signed(raw, version=4),
        "refused by the strict loader": lambda: signed(raw.replace(b"\nversion: 3\n", b"\nversion: 3\nsurprise: 1\n", 1),
                                                       version=3),
        "not a form object": lambda: ["planning", 3],
    }[case]()
    received, refused = receive_form(repo, registry, item, SERVER.public_key())
    assert received is None and refused["reason"] == reason
    assert [r["reason"] for r in refused_forms(repo)] == [reason]
    assert refused["message"] and refused["message_en"] and refused["message"] != refused["message_en"]
    assert registry.current("planning").version == 1
    assert FormRegistry.open(data_dir).stored_versions() == []
    if case == "refused by the strict loader":
        kept = refused_forms(repo)[0]
        assert "'surprise'" in kept["message"] and "kunci tidak dikenal" in kept["message"]
        assert "'surprise'" in kept["message_en"] and "kunci tidak dikenal" not in kept["message_en"]


def test_a_registry_opened_before_a_sync_takes_the_stored_version_on_rescan(place, data_dir):
    repo, registry = place
    app_registry = FormRegistry.open(data_dir)  # the app's, opened at start
    assert app_registry.current("planning").version == 1
    received, _ = receive_form(repo, registry, signed(planning_v2()), SERVER.public_key())  # a sync's
    assert app_registry.rescan() == [("planning", 2, received["hash"])]
    assert app_registry.current("planning").version == 2 and app_registry.rescan() == []
