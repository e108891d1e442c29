"""The shared protocol rules: canonical bytes, content hash, entry signatures, receipts, payload shape."""

from __future__ import annotations

import copy

from odc_sync.protocol.canonical import canonical_bytes, content_sha256
from odc_desktop.messages import text
from odc_sync.protocol.errors import HTTP_STATUS, message, problem
from odc_sync.protocol.messages import payload_shape_problems
from odc_sync.protocol.signing import (entry_signature_valid, new_private_key, public_key_b64, public_key_from_b64,
                                       receipt_valid, sign_entry, sign_receipt)
from odc_sync.protocol.tus import decode_metadata, encode_metadata
from tests.server.api import payload


def test_canonical_bytes_ignore_key_order_and_keep_unicode():
    assert canonical_bytes({"b": 1, "a": "Rp 1.000 – é"}) == '{"a":"Rp 1.000 – é","b":1}'.encode("utf-8")



def test_the_content_hash_is_the_stores_content_identity():
    from odc_desktop.domain.identity import content_identity

    body = payload(attachments=[{"sha256": "ab" * 32, "size": 3, "name": "kak.pdf", "media_type": "application/pdf",
                                 "document_type": "kak"}])
    form = body["form"]
    assert content_sha256(body) == content_identity(form["id"], form["version"], form["hash"], body["data"],
                                                    [("ab" * 32, "kak")])
    reordered = dict(reversed(list(body.items())))
    assert content_sha256(reordered) == content_sha256(body)
    # The same content under another revision, ocid or file name is the same content (a duplicate) ...
    assert content_sha256({**body, "revision": 5, "base_revision": 4, "ocid": "x"}) == content_sha256(body)
    renamed = copy.deepcopy(body)
    renamed["attachments"][0]["name"] = "lain.pdf"
    assert content_sha256(renamed) == content_sha256(body)
    # ... while data, the form or a document's type are content.
    assert content_sha256({**body, "data": {**body["data"], "pagu": 1}}) != content_sha256(body)
    assert content_sha256({**body, "form": {**form, "version": 2}}) != content_sha256(body)
    retyped = copy.deepcopy(body)
    retyped["attachments"][0]["document_type"] = "dpa"
    assert content_sha256(retyped) != content_sha256(body)


def test_an_entry_signature_covers_every_byte_of_the_payload():
    key = new_private_key()
    public = public_key_from_b64(public_key_b64(key))
    body = payload()
    signature = sign_entry(key, body)
    assert entry_signature_valid(public, body, signature)
    changed = copy.deepcopy(body)
    changed["data"]["pagu"] += 1
    assert not entry_signature_valid(public, changed, signature)
    assert not entry_signature_valid(public_key_from_b64(public_key_b64(new_private_key())), body, signature)
    assert not entry_signature_valid(public, body, "not base64!")


def test_a_receipt_is_valid_only_for_its_key_its_fields_and_the_content_sent():
    key = new_private_key()
    public = public_key_from_b64(public_key_b64(key))
    receipt = sign_receipt(key, {"entry": "e1", "revision": 2, "content_sha256": "ab" * 32, "server_seq": 7,
                                 "accepted_at": "2026-11-28T02:00:00.000000Z"})
    assert receipt_valid(public, receipt, content_sha256="ab" * 32)
    assert not receipt_valid(public, receipt, content_sha256="cd" * 32)
    for field, value in (("entry", "e2"), ("revision", 3), ("server_seq", 8), ("accepted_at", "x")):
        assert not receipt_valid(public, {**receipt, field: value})
    assert not receipt_valid(public_key_from_b64(public_key_b64(new_private_key())), receipt)
    # What a captive portal might answer is never a receipt.
    for junk in ("<html>200 OK</html>", None, {}, {"signature": "x"}, [receipt]):
        assert not receipt_valid(public, junk)


def test_the_payload_shape_is_checked_before_anything_else():
    assert payload_shape_problems(payload()) == []
    assert payload_shape_problems(payload(revision=2, base_revision=1)) == []
    assert payload_shape_problems("x") == [("", "payload_not_object")]
    body = payload()
    del body["ocid"]
    body["extra"] = True
    body["revision"] = 0
    body["attachments"] = [{"sha256": "no"}]
    assert set(payload_shape_problems(body)) == {("extra", "unknown_key"), ("ocid", "missing"),
                                                 ("revision", "bad_revision"), ("attachments[0]", "bad_attachment")}
    assert ("base_revision", "bad_revision") in payload_shape_problems(payload(revision=2, base_revision=2))


def test_every_code_has_both_languages_and_every_request_error_an_http_status():
    for code in HTTP_STATUS:  # both languages of every code: tests/unit/test_messages.py (area "server")
        assert message(code, "en") == text(f"server.{code}", "en") != message(code, "id")
    assert message("a_code_nobody_knows") == "a_code_nobody_knows"
    assert problem("pagu", "missing") == {"field": "pagu", "code": "missing", "message": "Wajib ada.",
                                          "message_en": "Required."}


def test_tus_metadata_round_trips():
    values = {"sha256": "ab" * 32, "filename": "Kontrak – 01.pdf"}
    assert decode_metadata(encode_metadata(values)) == values


def test_a_payload_may_name_the_entry_it_supersedes_and_attachments_carry_their_document_type():
    assert payload_shape_problems({**payload(), "supersedes": "a1" * 16}) == []
    assert payload_shape_problems({**payload(), "supersedes": ""}) == [("supersedes", "bad_text")]
    untyped = payload(attachments=[{"sha256": "ab" * 32, "size": 3, "name": "kak.pdf", "media_type": "application/pdf"}])
    assert payload_shape_problems(untyped) == [("attachments[0]", "bad_attachment")]
