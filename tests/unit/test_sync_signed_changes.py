"""The server-signed changes a client pulls: published forms and review decisions (odc_sync.protocol.signing)."""

from __future__ import annotations

import hashlib

from odc_sync.protocol.signing import (decision_valid, form_signature_valid, new_private_key, sign_decision,
                                       sign_form)

YAML = "id: planning\nversion: 2\nstage: planning\n"


def signed_form(key, text: str = YAML) -> dict:  # noqa: ANN001
    return sign_form(key, {"id": "planning", "version": 2, "hash": hashlib.sha256(text.encode()).hexdigest(),
                           "yaml": text, "published_at": "2026-11-28T03:00:00.000000Z"})


def test_a_form_signed_by_the_pinned_key_is_accepted():
    key = new_private_key()
    assert form_signature_valid(key.public_key(), signed_form(key))


def test_a_forged_form_signature_is_refused():
    server, forger = new_private_key(), new_private_key()
    genuine = signed_form(server)
    forged = signed_form(forger, YAML + "x_extra: 1\n")
    assert not form_signature_valid(server.public_key(), forged)  # signed by another key
    assert not form_signature_valid(server.public_key(), {**forged, "key_id": genuine["key_id"]})
    assert not form_signature_valid(server.public_key(), {**genuine, "signature": forged["signature"]})
    assert not form_signature_valid(server.public_key(), {**genuine, "version": 3})
    # the signature covers the hash, the hash covers the text: a changed text is refused either way
    assert not form_signature_valid(server.public_key(), {**genuine, "yaml": YAML + "x_extra: 1\n"})
    for broken in (None, [], {**genuine, "signature": "bukan base64!"}, {k: v for k, v in genuine.items() if k != "yaml"}):
        assert not form_signature_valid(server.public_key(), broken)


def test_a_decision_is_signed_over_what_the_client_applies():
    key = new_private_key()
    decision = sign_decision(key, {"entry": "e1", "revision": 2, "opd": "x", "decision": "return",
                                   "reviewer": "sri", "notes": [{"field": None, "text": "Perbaiki."}],
                                   "decided_at": "2026-11-28T03:00:00.000000Z"})
    assert decision_valid(key.public_key(), decision)
    assert not decision_valid(key.public_key(), {**decision, "decision": "approve"})
    assert not decision_valid(key.public_key(), {**decision, "notes": []})
    assert not decision_valid(new_private_key().public_key(), decision)
