"""Attachments over tus 1.0 (creation + checksum) against a real `odc-server`: resume after a cut,
checksum refusals, the "already have it" check."""

from __future__ import annotations

import hashlib
import random
import socket
import urllib.parse

from tests.server.harness import stats

CHUNK = 64 * 1024


def _cut_patch(url: str, location: str, token: str, offset: int, chunk: bytes, sent: int) -> None:
    """A PATCH whose connection drops after ``sent`` bytes of the chunk's body (a link that dies)."""
    parts = urllib.parse.urlsplit(url)
    head = (f"PATCH {location} HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: Bearer {token}\r\n"
            f"Tus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\n"
            f"Upload-Offset: {offset}\r\nContent-Length: {len(chunk)}\r\n\r\n").encode()
    with socket.create_connection((parts.hostname, parts.port)) as connection:
        connection.sendall(head + chunk[:sent])
        connection.shutdown(socket.SHUT_RDWR)


def test_an_upload_cut_at_a_random_offset_resumes_from_the_servers_offset(served, operator):
    rng = random.Random(8)
    content = rng.randbytes(5 * CHUNK + 1234)
    sha = hashlib.sha256(content).hexdigest()
    before = stats(served.options)
    location = operator.create_upload(content)
    cut_at = rng.randrange(CHUNK, len(content) - 1)  # somewhere inside a later chunk
    offset = 0
    while offset + CHUNK <= cut_at:
        response = operator.patch(location, offset, content[offset:offset + CHUNK])
        assert response.status_code == 204
        offset = int(response.headers["Upload-Offset"])
    _cut_patch(served.url, location, operator.token, offset, content[offset:offset + CHUNK], cut_at - offset)
    # A client that lost everything asks the server where to go on: creation of the same file gives the
    # same upload back, and HEAD says how many verified bytes it holds (whole chunks only).
    assert operator.create_upload(content) == location
    resume_at = operator.offset(location)
    assert resume_at == offset and resume_at % CHUNK == 0 and resume_at <= cut_at
    resent = 0
    while resume_at < len(content):
        chunk = content[resume_at:resume_at + CHUNK]
        resent += len(chunk)
        response = operator.patch(location, resume_at, chunk)
        assert response.status_code == 204
        resume_at = int(response.headers["Upload-Offset"])
    assert resent <= len(content) - offset  # nothing before the server's offset was sent again
    assert operator.check([sha]) == {"have": [sha], "missing": []}
    after = stats(served.options)
    assert after["attachments"] == before["attachments"] + 1
    assert after["attachment_bytes"] == before["attachment_bytes"] + len(content)
    assert operator.http.head(location, headers=operator.tus_headers()).status_code == 404  # finished


def test_a_chunk_whose_checksum_does_not_match_is_refused_and_not_stored(served, operator):
    content = random.Random(2).randbytes(3 * CHUNK)
    location = operator.create_upload(content)
    assert operator.patch(location, 0, content[:CHUNK]).status_code == 204
    bad = operator.patch(location, CHUNK, content[CHUNK:2 * CHUNK], checksum=b"something else")
    assert bad.status_code == 460 and bad.json()["error"]["code"] == "checksum_mismatch"
    assert operator.offset(location) == CHUNK
    wrong_offset = operator.patch(location, 0, content[:CHUNK])
    assert wrong_offset.status_code == 409 and wrong_offset.headers["Upload-Offset"] == str(CHUNK)


def test_a_file_that_does_not_hash_to_its_name_is_refused_and_starts_over(served, operator):
    content = random.Random(3).randbytes(2 * CHUNK)
    location = operator.create_upload(content)
    assert operator.patch(location, 0, content[:CHUNK]).status_code == 204
    liar = b"\0" * CHUNK  # a correct chunk checksum, but not the declared file
    response = operator.patch(location, CHUNK, liar)
    assert response.status_code == 460 and response.json()["error"]["code"] == "file_hash_mismatch"
    assert operator.offset(location) == 0
    assert operator.check([hashlib.sha256(content).hexdigest()])["missing"]


def test_a_file_the_server_has_costs_one_small_request(served, operator):
    content = b"%PDF-1.7 BAST " + served.kind.encode() * 1000
    sha = hashlib.sha256(content).hexdigest()
    unknown = hashlib.sha256(b"never uploaded").hexdigest()
    assert operator.check([sha, unknown]) == {"have": [], "missing": [sha, unknown]}
    operator.upload(content)
    response = operator.http.post("/api/v1/attachments/check", headers=operator.auth, json={"sha256": [sha, unknown]})
    assert response.json() == {"have": [sha], "missing": [unknown]}
    assert len(response.content) + len(response.request.content) < 1024


def test_tus_capabilities_and_version_are_announced_and_required(served, operator):
    options = operator.http.options("/api/v1/uploads")
    assert options.status_code == 204 and options.headers["Tus-Version"] == "1.0.0"
    assert set(options.headers["Tus-Extension"].split(",")) == {"creation", "checksum"}
    no_version = operator.http.post("/api/v1/uploads", headers={**operator.auth, "Upload-Length": "10"})
    assert no_version.status_code == 412
    other = served.device("kesehatan")
    location = operator.create_upload(b"x" * 100)
    assert other.http.head(location, headers=other.tus_headers()).status_code == 404  # not theirs
    other.close()
