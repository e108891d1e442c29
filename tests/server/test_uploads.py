"""Attachments over tus 1.0 (creation, creation-with-upload, checksum) against a real `odc-server`:
resume after a cut, checksum refusals, the "already have it" check."""

from __future__ import annotations

import base64
import hashlib
import random
import socket
import time
import urllib.parse

from odc_sync.protocol.tus import encode_metadata
from tests.server.harness import stats

CHUNK = 64 * 1024


def _cut_patch(url: str, location: str, token: str, offset: int, chunk: bytes, sent: int, *,
               checksum: bool = False) -> None:
    """A PATCH whose connection drops after ``sent`` bytes of the chunk's body (a link that dies)."""
    parts = urllib.parse.urlsplit(url)
    digest = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
    head = (f"PATCH {location} HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: Bearer {token}\r\n"
            f"Tus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\n"
            + (f"Upload-Checksum: sha256 {digest}\r\n" if checksum else "")
            + f"Upload-Offset: {offset}\r\nContent-Length: {len(chunk)}\r\n\r\n").encode()
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
    # A chunk with Upload-Checksum is all or nothing: cut, none of it is kept.
    _cut_patch(served.url, location, operator.token, offset, content[offset:offset + CHUNK], cut_at - offset,
               checksum=True)
    assert operator.offset(location) == offset
    # Without one the server keeps what arrived (tus core); the whole file's SHA-256 is checked at the end.
    _cut_patch(served.url, location, operator.token, offset, content[offset:offset + CHUNK], cut_at - offset)
    # The server stores them when it sees the connection gone (a moment after the cut: until then HEAD
    # says the offset before, which is as good a place to resume).
    for _ in range(500):  # bounded wait
        resume_at = operator.offset(location)
        if resume_at > offset:
            break
        time.sleep(0.01)
    assert offset < resume_at <= cut_at
    # A client that lost everything asks the server where to go on: creation of the same file gives the
    # same upload back with its offset.
    again = operator.http.post("/api/v1/uploads", headers={
        **operator.tus_headers(), "Upload-Length": str(len(content)),
        "Upload-Metadata": encode_metadata({"sha256": sha, "filename": "kak.pdf"})})
    assert again.status_code == 201 and again.headers["Location"] == location
    assert again.headers["Upload-Offset"] == str(resume_at)
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
    assert set(options.headers["Tus-Extension"].split(",")) == {"creation", "creation-with-upload", "checksum"}
    no_version = operator.http.post("/api/v1/uploads", headers={**operator.auth, "Upload-Length": "10"})
    assert no_version.status_code == 412
    other = served.device("kesehatan")
    location = operator.create_upload(b"x" * 100)
    assert other.http.head(location, headers=other.tus_headers()).status_code == 404  # not theirs
    other.close()


def _create_with(operator, content: bytes, body: bytes):  # noqa: ANN001, ANN202
    return operator.http.post("/api/v1/uploads", content=body, headers={
        **operator.tus_headers(), "Upload-Length": str(len(content)), "Content-Type": "application/offset+octet-stream",
        "Upload-Metadata": encode_metadata({"sha256": hashlib.sha256(content).hexdigest(), "filename": "dpa.pdf"})})


def test_creation_with_upload_stores_the_first_bytes_in_one_round_trip(served, operator):
    small = b"%PDF-1.4 DPA " + served.kind.encode() * 50
    whole = _create_with(operator, small, small)  # a small file: one request
    assert whole.status_code == 201 and whole.headers["Upload-Offset"] == str(len(small))
    assert operator.check([hashlib.sha256(small).hexdigest()])["have"]
    big = random.Random(5).randbytes(3 * CHUNK)
    first = _create_with(operator, big, big[:CHUNK])
    assert first.status_code == 201 and first.headers["Upload-Offset"] == str(CHUNK)
    # The same file's creation again (a client that lost the answer): the body is not for offset 0 any
    # more, so it is not stored; the answer says where the upload stands.
    again = _create_with(operator, big, b"\0" * CHUNK)
    assert again.headers["Location"] == first.headers["Location"] and again.headers["Upload-Offset"] == str(CHUNK)
    response = operator.patch(first.headers["Location"], CHUNK, big[CHUNK:])
    assert response.status_code == 204 and response.headers["Upload-Offset"] == str(len(big))
    assert operator.check([hashlib.sha256(big).hexdigest()])["have"]


def _frames(*files: tuple[str, bytes]) -> bytes:
    return b"".join(f"{sha} {len(data)}\n".encode() + data for sha, data in files)


def test_small_files_travel_in_one_bundle_each_checked_against_its_name(served, operator):
    one, two = f"BAST {served.kind} 1".encode() * 20, f"foto {served.kind} 2".encode() * 30
    sha_one, sha_two = hashlib.sha256(one).hexdigest(), hashlib.sha256(two).hexdigest()
    liar = hashlib.sha256(b"the real bytes").hexdigest()
    headers = {**operator.auth, "Content-Type": "application/x-odc-bundle"}
    answer = operator.http.post("/api/v1/attachments/bundle", headers=headers,
                                content=_frames((sha_one, one), (liar, b"other bytes"), (sha_two, two)))
    assert answer.status_code == 200 and answer.json() == {"stored": 2, "refused": [liar]}
    assert operator.check([sha_one, sha_two, liar]) == {"have": [sha_one, sha_two], "missing": [liar]}
    anonymous = operator.http.post("/api/v1/attachments/bundle", content=_frames((liar, b"x")),
                                   headers={"Content-Type": "application/x-odc-bundle"})
    assert anonymous.status_code == 401
    garbage = operator.http.post("/api/v1/attachments/bundle", headers=headers, content=b"not a frame\n123")
    assert garbage.status_code == 400


def send_cut_bundle(served, operator, body: bytes, content_type: str, first_sha: str) -> None:
    """POST ``body`` as a bundle over a raw socket, cut 1,000 bytes before its end, then wait (bounded)
    until the server has stored the file ``first_sha`` that arrived whole."""
    parts = urllib.parse.urlsplit(served.url)
    head = (f"POST /api/v1/attachments/bundle HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Authorization: Bearer {operator.token}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection((parts.hostname, parts.port)) as connection:
        connection.sendall(head + body[:len(body) - 1000])  # the second file is cut
        connection.shutdown(socket.SHUT_RDWR)
    for _ in range(500):  # bounded wait: the server stores them when it sees the connection gone
        if operator.check([first_sha])["have"]:
            break
        time.sleep(0.01)


def test_a_cut_bundle_keeps_the_files_that_arrived_whole(served, operator):
    first, second = random.Random(11).randbytes(5000), random.Random(12).randbytes(5000)
    sha_first, sha_second = hashlib.sha256(first).hexdigest(), hashlib.sha256(second).hexdigest()
    send_cut_bundle(served, operator, _frames((sha_first, first), (sha_second, second)), "application/x-odc-bundle",
                    sha_first)
    assert operator.check([sha_first, sha_second]) == {"have": [sha_first], "missing": [sha_second]}


def test_the_check_answers_only_what_the_server_has_when_asked(served, operator):
    content = b"%PDF-1.7 sudah ada " + served.kind.encode() * 500
    sha = hashlib.sha256(content).hexdigest()
    operator.upload(content)
    unknown = hashlib.sha256(b"never sent " + served.kind.encode()).hexdigest()
    response = operator.http.post("/api/v1/attachments/check", headers=operator.auth,
                                  json={"sha256": [sha, unknown], "answer": "have"})
    assert response.status_code == 200 and response.json() == {"have": [sha]}
