"""Bundles of small files without names (``application/x-odc-bundle2``, frames ``<size> LF <bytes>``)
against a real `odc-server` (SQLite and PostgreSQL): the server stores each file under the SHA-256 of
what arrived (one copy of a file it has), answers only how many frames it stored, keeps the whole
files of a cut bundle, and an entry naming a file that did not arrive is refused at push
(``attachment_missing``). The older named format still works (tests/server/test_uploads.py)."""

from __future__ import annotations

import hashlib
import random

from odc_sync.protocol.tus import BUNDLE2_CONTENT_TYPE, BUNDLE_CONTENT_TYPE
from tests.server.api import payload
from tests.server.harness import stats
from tests.server.test_uploads import send_cut_bundle


def _frames(*files: bytes) -> bytes:
    return b"".join(f"{len(data)}\n".encode() + data for data in files)


def _post(api, body: bytes, kind: str = BUNDLE2_CONTENT_TYPE):  # noqa: ANN001, ANN202
    return api.http.post("/api/v1/attachments/bundle", content=body, headers={**api.auth, "Content-Type": kind})


def test_unnamed_frames_are_stored_under_their_hash_once(served, operator):
    one, two = f"BAST v2 {served.kind} 1".encode() * 20, f"foto v2 {served.kind} 2".encode() * 30
    sha_one, sha_two = hashlib.sha256(one).hexdigest(), hashlib.sha256(two).hexdigest()
    answer = _post(operator, _frames(one, two, b""))
    assert answer.status_code == 200 and answer.json() == {"stored": 3}
    assert sorted(operator.check([sha_one, sha_two])["have"]) == sorted([sha_one, sha_two])
    before = stats(served.options)
    again = _post(operator, _frames(two, one))  # another PC sending the same files: one copy kept
    assert again.status_code == 200 and again.json() == {"stored": 2}
    after = stats(served.options)
    assert (after["attachments"], after["attachment_bytes"]) == (before["attachments"], before["attachment_bytes"])
    # the older named format of an older client still works beside it
    three = f"SPK v1 {served.kind}".encode() * 10
    old = _post(operator, f"{hashlib.sha256(three).hexdigest()} {len(three)}\n".encode() + three, BUNDLE_CONTENT_TYPE)
    assert old.status_code == 200 and old.json() == {"stored": 1, "refused": []}
    for bad in (b"12x\n123", b"99999999\n" + b"x" * 10, b"5\nabc"):
        assert _post(operator, bad).status_code == 400
    assert _post(operator, _frames(b"x"), "application/octet-stream").status_code == 400
    anonymous = operator.http.post("/api/v1/attachments/bundle", content=_frames(b"y"),
                                   headers={"Content-Type": BUNDLE2_CONTENT_TYPE})
    assert anonymous.status_code == 401


def test_a_cut_unnamed_bundle_keeps_the_whole_files_and_a_missing_one_stops_its_entry(served, operator):
    first, second = random.Random(21).randbytes(5000), random.Random(22).randbytes(5000)
    sha_first, sha_second = hashlib.sha256(first).hexdigest(), hashlib.sha256(second).hexdigest()
    send_cut_bundle(served, operator, _frames(first, second), BUNDLE2_CONTENT_TYPE, sha_first)
    assert operator.check([sha_first, sha_second]) == {"have": [sha_first], "missing": [sha_second]}
    # the cut file never arrived whole: an entry naming it is refused until it does
    named = payload(attachments=[{"sha256": sha, "size": 5000, "name": f"{n}.pdf", "media_type": "application/pdf",
                                  "document_type": "kak"} for n, sha in enumerate((sha_first, sha_second))])
    (result,) = operator.push([named])
    assert result["status"] == "rejected" and result["reasons"][0]["code"] == "attachment_missing"
