"""Push over a real `odc-server` (SQLite and PostgreSQL): receipts, duplicates, conflicts, rejections,
signatures."""

from __future__ import annotations

import copy

from odc_sync.protocol.canonical import content_sha256
from odc_sync.protocol.receipts import expanded_results
from odc_sync.protocol.signing import RECEIPT_FIELDS, receipt_valid
from tests.server.api import Api, payload
from tests.server.conftest import OTHER_OPD
from tests.server.harness import stats


def test_accepted_entries_carry_receipts_signed_by_the_server(served, operator):
    bodies = [payload() for _ in range(3)]
    results = operator.push(bodies)
    key = operator.server_key()
    assert [r["status"] for r in results] == ["accepted"] * 3
    for body, result in zip(bodies, results):
        receipt = result["receipt"]
        assert receipt["entry"] == body["entry"] and receipt["revision"] == 1
        assert receipt_valid(key, receipt, content_sha256=content_sha256(body))
        assert not receipt_valid(key, {**receipt, "server_seq": receipt["server_seq"] + 1})
    seqs = [r["receipt"]["server_seq"] for r in results]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3


def _fields(receipt: dict) -> dict:
    return {name: receipt[name] for name in (*RECEIPT_FIELDS, "key_id")}


def test_a_replayed_batch_gives_duplicates_with_the_original_receipts_and_no_new_rows(served, operator):
    bodies = [payload() for _ in range(5)]
    first = operator.push(bodies)
    before = stats(served.options)
    again = operator.push(bodies)
    assert [r["status"] for r in again] == ["duplicate"] * 5
    # the original receipts: the same five fields, now each with its own signature (protocol 3 gave the
    # first answer's receipts one root signature and a proof each)
    assert [_fields(r["receipt"]) for r in again] == [_fields(r["receipt"]) for r in first]
    key = operator.server_key()
    assert all(receipt_valid(key, r["receipt"]) and "proof" not in r["receipt"] for r in again)
    assert all(receipt_valid(key, r["receipt"]) and r["receipt"]["proof"]["tree_size"] == 5 for r in first)
    after = stats(served.options)
    assert after["entries_total"] == before["entries_total"]
    assert after["distinct_entries"] == before["distinct_entries"]


def test_a_stale_base_revision_is_a_conflict_with_the_server_copy(served, operator):
    first = payload()
    operator.push([first])
    second = {**payload(first["entry"], revision=2, base_revision=1), "data": first["data"] | {"pagu": 1_300_000_000}}
    assert operator.push([second])[0]["status"] == "accepted"
    stale = payload(first["entry"], revision=3, base_revision=1)
    (result,) = operator.push([stale])
    assert result["status"] == "conflict"
    assert result["server_copy"]["payload"] == second
    assert result["reasons"][0]["code"] == "stale_base"
    other_content = {**second, "data": second["data"] | {"pagu": 1_200_000_000}}
    (taken,) = operator.push([other_content])
    assert taken["status"] == "conflict" and taken["reasons"][0]["code"] == "revision_taken"


def test_one_rejected_item_does_not_stop_the_others(served, operator):
    bad_data = payload()
    bad_data["data"] = {**bad_data["data"], "pagu": "banyak"}
    del bad_data["data"]["jenis_pengadaan"]
    good = [payload(), payload()]
    results = operator.push([good[0], bad_data, good[1]])
    assert [r["status"] for r in results] == ["accepted", "rejected", "accepted"]
    reasons = results[1]["reasons"]
    assert {r["field"] for r in reasons} >= {"pagu", "jenis_pengadaan"}
    assert all(r["message"] and r["message_en"] for r in reasons)
    assert results[1]["retryable"] is False
    broken_shape = payload()
    broken_shape["surprise"] = 1
    (shape,) = operator.push([broken_shape])
    assert shape["status"] == "rejected" and shape["reasons"][0] == {
        "field": "surprise", "code": "unknown_key", "message": "Kunci tidak dikenal.", "message_en": "Unknown key."}


def test_a_tampered_entry_signature_is_refused(served, operator):
    body = payload()
    item = operator.signed(body)
    tampered = copy.deepcopy(item)
    tampered["payload"]["data"]["pagu"] = 9_999_999_999
    response = operator.push_items([tampered])
    (result,) = response.json()["results"]
    assert result["status"] == "rejected" and result["reasons"][0]["code"] == "bad_signature"
    stranger = Api(served.url)  # signed by a key the server never saw for this device
    forged = {"payload": body, "signature": stranger.signed(body)["signature"]}
    (result,) = operator.push_items([forged]).json()["results"]
    assert result["status"] == "rejected"
    assert operator.push_items([item]).json()["results"][0]["status"] == "accepted"
    stranger.close()


def test_an_entry_of_another_opd_is_refused_to_an_operator(served, operator):
    (result,) = operator.push([payload(opd=OTHER_OPD)])
    assert result["status"] == "rejected" and result["reasons"][0]["code"] == "forbidden_opd"
    mine = payload()
    operator.push([mine])
    other = served.device("kesehatan")
    response = other.http.get(f"/api/v1/entries/{mine['entry']}", headers=other.auth)
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden_opd"
    assert operator.http.get(f"/api/v1/entries/{mine['entry']}", headers=operator.auth).status_code == 200
    other.close()


def test_pushing_needs_a_registered_device_of_ones_own(served, operator):
    other = served.device("kesehatan")
    other.device = operator.device  # someone else's device id
    response = other.push_items([other.signed(payload(opd=OTHER_OPD))])
    assert response.status_code == 403 and response.json()["error"]["code"] == "unknown_device"
    other.close()


def test_device_registration_is_idempotent_and_a_device_id_keeps_its_key(served, operator):
    assert operator.register().status_code == 200
    clash = Api(served.url)
    clash.login("supervisor", "supervisor")
    clash.device = operator.device
    assert clash.register().status_code == 409
    response = clash.http.post("/api/v1/devices", headers=clash.auth,
                               json={"device": "x" * 20, "public_key": "bm90IGEga2V5", "name": ""})
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_public_key"
    clash.close()


def test_a_plain_uncompressed_body_is_accepted_too(served, operator):
    response = operator.push_items([operator.signed(payload())], compress=False)
    assert response.status_code == 200 and response.json()["results"][0]["status"] == "accepted"


def test_an_entry_whose_attachment_is_not_uploaded_waits_for_it(served, operator):
    content = b"%PDF-1.4 kerangka acuan kerja " + served.kind.encode()
    import hashlib

    sha = hashlib.sha256(content).hexdigest()
    body = payload(attachments=[{"sha256": sha, "size": len(content), "name": "kak.pdf", "media_type": "application/pdf",
                                      "document_type": "kak"}])
    (result,) = operator.push([body])
    assert result["status"] == "rejected" and result["retryable"] is True
    assert result["reasons"][0]["code"] == "attachment_missing"
    operator.upload(content)
    assert operator.push([body])[0]["status"] == "accepted"


def test_a_whole_request_that_cannot_be_read_is_refused_with_a_reason(served, operator):
    import gzip
    import json

    def post(raw: bytes, **headers: str):
        return operator.http.post("/api/v1/entries/push", content=raw,
                                  headers={**operator.auth, "Content-Type": "application/json", **headers})

    not_gzip = post(b"{}", **{"Content-Encoding": "gzip"})
    assert not_gzip.status_code == 400 and not_gzip.json()["error"]["code"] == "bad_request"
    bomb = post(gzip.compress(b" " * (40 * 1024 * 1024)), **{"Content-Encoding": "gzip"})
    assert bomb.status_code == 413 and bomb.json()["error"]["code"] == "body_too_large"
    future = post(json.dumps({"protocol": 99, "device": operator.device, "items": []}).encode())
    assert future.status_code == 400 and future.json()["error"]["code"] == "unsupported_protocol"
    assert "Perbarui aplikasi" in future.json()["error"]["message"]


def test_answers_come_back_compressed(served, operator):
    # 30 items: a protocol-3 answer of 5 (~400 B) is under the server's 512-byte gzip threshold
    response = operator.push_items([operator.signed(payload()) for _ in range(30)])
    assert response.headers.get("content-encoding") == "gzip"
    assert int(response.headers["content-length"]) < len(response.content)


def test_knowing_another_opds_entry_id_reveals_nothing_of_it(served, operator):
    theirs = payload()
    operator.push([theirs])
    other = served.device("kesehatan")
    for guess in (payload(theirs["entry"], opd=OTHER_OPD), payload(theirs["entry"], revision=2, base_revision=1,
                                                                    opd=OTHER_OPD)):
        (result,) = other.push([guess])
        assert result["status"] == "rejected" and result["reasons"][0]["code"] == "entry_moved"
        assert "server_copy" not in result and "receipt" not in result
    other.close()


def test_slim_answers_rebuild_to_exactly_the_stored_receipts_and_old_clients_get_them_whole(served, operator):
    bodies = [payload() for _ in range(3)]
    raw = operator.push_items([operator.signed(b) for b in bodies], protocol=2).json()  # protocol 2: slim receipts
    assert raw["protocol"] == 2 and all(set(r) == {"status", "server_seq", "signature"} for r in raw["results"])
    key = operator.server_key()
    rebuilt = expanded_results(raw, bodies, [content_sha256(b) for b in bodies])
    for body, result in zip(bodies, rebuilt):
        stored = operator.http.get(f"/api/v1/entries/{body['entry']}", headers=operator.auth).json()
        assert result["receipt"] == stored["revisions"][0]["receipt"]  # the server's stored receipt, unchanged
        assert receipt_valid(key, result["receipt"], content_sha256=content_sha256(body))
        other = {**body, "data": {**body["data"], "volume_pekerjaan": "1 m"}}  # content the client did not send
        assert not receipt_valid(key, {**result["receipt"], "content_sha256": content_sha256(other)})
    old = operator.push(bodies, protocol=1)  # a protocol-1 client: the original receipts, whole
    assert [r["status"] for r in old] == ["duplicate"] * 3
    assert [r["receipt"] for r in old] == [r["receipt"] for r in rebuilt]


def test_protocol_3_answers_sign_the_merkle_root_once_and_proofs_rebuild_the_stored_receipts(served, operator):
    key = operator.server_key()
    for size in (1, 5):  # one item; a size that is not a power of two
        bodies = [payload() for _ in range(size)]
        response = operator.push_items([operator.signed(b) for b in bodies], protocol=3)
        raw = response.json()
        assert raw["protocol"] == 3 and isinstance(raw["root_signature"], str)
        assert all(r == {"status": "accepted", "server_seq": r["server_seq"]} for r in raw["results"])
        assert raw["root_signature"].encode() in response.content and response.content.count(b'"signature"') == 0
        rebuilt = expanded_results(raw, bodies, [content_sha256(b) for b in bodies])
        for index, (body, result) in enumerate(zip(bodies, rebuilt)):
            receipt = result["receipt"]
            assert receipt["proof"]["index"] == index and receipt["proof"]["tree_size"] == size
            assert receipt_valid(key, receipt, content_sha256=content_sha256(body))
            assert not receipt_valid(key, {**receipt, "server_seq": receipt["server_seq"] + 1})
            stored = operator.http.get(f"/api/v1/entries/{body['entry']}", headers=operator.auth).json()
            kept = stored["revisions"][0]["receipt"]  # stored individually signed, exactly as before
            assert _fields(kept) == _fields(receipt) and "proof" not in kept and receipt_valid(key, kept)
    # a mixed batch: the replayed one is a duplicate with its own signature, the new ones share the root
    mixed = [bodies[2], payload(), payload()]
    raw = operator.push_items([operator.signed(b) for b in mixed], protocol=3).json()
    assert [r["status"] for r in raw["results"]] == ["duplicate", "accepted", "accepted"]
    assert "signature" in raw["results"][0] and "signature" not in raw["results"][1]
    rebuilt = expanded_results(raw, mixed, [content_sha256(b) for b in mixed])
    assert receipt_valid(key, rebuilt[0]["receipt"]) and "proof" not in rebuilt[0]["receipt"]
    assert [r["receipt"]["proof"]["index"] for r in rebuilt[1:]] == [0, 1]
    assert all(receipt_valid(key, r["receipt"]) for r in rebuilt)
    # protocol 1 and 2 get their old answers: whole receipts; slim ones each with its signature
    old = operator.push_items([operator.signed(b) for b in mixed], protocol=1).json()
    assert old["protocol"] == 1 and all(set(r["receipt"]) == {*RECEIPT_FIELDS, "key_id", "signature"}
                                        for r in old["results"])
    slim = operator.push_items([operator.signed(b) for b in mixed], protocol=2).json()
    assert slim["protocol"] == 2 and "root_signature" not in slim
    # (replays of receipts given at different moments: ``accepted_at`` rides along where not the shared one)
    assert all({"status", "server_seq", "signature"} <= set(r) <= {"status", "server_seq", "signature", "accepted_at"}
               for r in slim["results"])
    assert all(r["status"] == "duplicate" for r in slim["results"] + old["results"])
def test_the_stored_payload_is_exactly_the_bytes_the_device_signed(served, operator):
    """The server hashes the payload's canonical bytes once for the signature check and stores those very
    bytes: non-ASCII text (an em dash, guillemets, a check mark, a character outside the BMP) and the
    form's nested values and rupiah amounts survive bit for bit."""
    import json

    from sqlalchemy import create_engine, text

    from odc_sync.protocol.canonical import canonical_bytes
    from odc_sync.protocol.signing import public_key_from_b64, public_key_b64, signature_valid
    from odc_sync.server.db import sqlite_url

    body = payload()
    body["data"]["uraian_pekerjaan"] = "Rehabilitasi gedung — tahap ke-2 «Bojonegoro» ✓ 𝔘"
    item = operator.signed(body)
    (result,) = expanded_results(operator.push_items([item]).json(), [body], [content_sha256(body)])
    assert result["status"] == "accepted"
    options = served.options
    url = options[options.index("--db") + 1] if "--db" in options else sqlite_url(
        __import__("pathlib").Path(options[options.index("--data-dir") + 1]))
    engine = create_engine(url)
    with engine.connect() as connection:
        stored, signature = connection.execute(text("SELECT payload, signature FROM entries WHERE entry_uid = :uid"),
                                               {"uid": body["entry"]}).one()
    engine.dispose()
    assert stored.encode("utf-8") == canonical_bytes(body) == canonical_bytes(json.loads(stored))
    assert signature_valid(public_key_from_b64(public_key_b64(operator.key)), stored.encode("utf-8"), signature)


def test_a_push_with_a_bad_token_is_refused_as_such_before_its_body_or_device_is_looked_at(served, operator):
    """The push checks the token on its worker thread together with the device: a forged token gets 401
    whatever the body (garbage, or naming someone else's device), as it did when the token came first."""
    import secrets

    forged = {"Authorization": "Bearer " + secrets.token_urlsafe(32), "Content-Type": "application/json"}
    for raw, extra in ((b"not json", {}), (b"{}", {"Content-Encoding": "gzip"}),
                       (f'{{"protocol": 2, "device": "{operator.device}", "items": []}}'.encode(), {})):
        response = operator.http.post("/api/v1/entries/push", content=raw, headers={**forged, **extra})
        assert response.status_code == 401 and response.json()["error"]["code"] == "token_invalid", raw
        assert response.headers["WWW-Authenticate"] == "Bearer"
    missing = operator.http.post("/api/v1/entries/push", content=b"not json")
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "token_missing"
    # A valid token with a body that cannot be read: the body's reason, not the device's.
    bad = operator.http.post("/api/v1/entries/push", content=b"not json", headers=operator.auth)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_request"
