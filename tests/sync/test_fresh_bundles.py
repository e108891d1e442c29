"""Small files this PC never tried to send go straight into a bundle (no "already have it" check),
against a real `odc-server` (SQLite and PostgreSQL) through the hostile-link proxy: a bundle cut
mid-body finishes on the next run, which asks about the files it tried and sends again only the ones
that did not arrive whole; every file is stored once. Large (tus) files are still asked about."""

from __future__ import annotations

import gzip
import json
import random
import time

import pytest
import requests

from odc_sync.client import SyncEngine, login
from odc_sync.client.uploads import BUNDLE_FILE
from tests.hostile_link import HostileLink
from tests.sync.conftest import PDF, add_entries, tamper
from tests.sync.test_engine import store


class Sent(list):
    answers: list[tuple[str, bytes]]


def server_has(answers) -> set[str]:
    """The hashes the server said it has in the checks' answers."""
    return {sha for path, body in answers if path.endswith("/attachments/check") for sha in json.loads(body)["have"]}


@pytest.fixture
def sent(monkeypatch):
    """Every request the client sends, as ``(method, path, body)`` (requests' own ``send`` is wrapped
    to look, not to change anything)."""
    found: Sent = Sent()
    real = requests.Session.send

    def send(self, request, **kwargs):  # noqa: ANN001, ANN202
        body = request.body if isinstance(request.body, bytes) else (request.body or "").encode()
        found.append((request.method, request.path_url.split("?")[0], body))
        response = real(self, request, **kwargs)
        answers.append((request.path_url.split("?")[0], response.content))
        return response

    answers: list[tuple[str, bytes]] = []
    found.answers = answers  # type: ignore[attr-defined]

    monkeypatch.setattr(requests.Session, "send", send)
    return found


def checked(requests_sent) -> list[str]:
    """The hashes asked about in the "already have it" checks among ``requests_sent``."""
    asked = []
    for _method, path, body in requests_sent:
        if path.endswith("/attachments/check"):
            asked += json.loads(gzip.decompress(body))["sha256"]
    return asked


def bundles(requests_sent) -> list[bytes]:
    return [body for method, path, body in requests_sent if path.endswith("/attachments/bundle")]


def test_a_cut_bundle_of_never_tried_files_finishes_next_run_each_file_once(server, forms, tmp_path, sent):
    data_dir = tmp_path / "pc"
    data_dir.mkdir()
    rnd = random.Random(41)
    files = [PDF + rnd.randbytes(3000) for _ in range(6)]
    uids = [add_entries(data_dir, forms, 1, start=4000 + n, big=files[n], status="queued")[0] for n in range(6)]
    with store(data_dir) as repo:
        login(repo, data_dir, server.url, "operator", "operator")
        distinct = {a.sha256: a.size for uid in uids for a in repo.list_attachments(repo.entry_by_uid(uid).id)}
        before = server.stats()
        with HostileLink(server.port, cut_after=9000) as link:  # inside the bundle's third file
            repo.set_sync_state("server_url", link.url)
            first = SyncEngine(repo, data_dir, sleep=lambda s: None, retries=0).run()
            assert first.error == "sync.offline" and link.cuts == 1 and first.pending == 6
            assert checked(sent) == []  # never tried, small: straight into the bundle
            (cut,) = bundles(sent)
            token = {"Authorization": f"Bearer {repo.get_sync_state('token')}"}
            for _ in range(500):  # bounded wait: the server stores the whole files when it sees the cut
                if len(requests.post(server.url + "/api/v1/attachments/check", headers=token, timeout=30,
                                     json={"sha256": sorted(distinct), "answer": "have"}).json()["have"]) >= 3:
                    break
                time.sleep(0.01)
            sent.clear()
            sent.answers.clear()
            second = SyncEngine(repo, data_dir, sleep=lambda s: None, retries=0).run()
        assert second.error is None and second.pending == 0 and second.accepted == 6
        assert sorted(checked(sent)) == sorted(distinct)  # tried before: asked about first
        arrived = server_has(sent.answers)
        assert 3 <= len(arrived) < len(distinct)  # the whole files of the cut bundle were kept
        (again,) = bundles(sent)
        missing = sum(size for sha, size in distinct.items() if sha not in arrived)
        assert second.uploaded_bytes == missing  # only what did not arrive whole goes again
        assert len(again) < missing + 10 * len(distinct)  # frames of the missing files only
    after = server.stats()
    assert after["attachments"] - before["attachments"] == len(distinct)  # each stored once
    assert after["attachment_bytes"] - before["attachment_bytes"] == sum(distinct.values())
    assert len(cut) > 9000 - 2000


def test_large_files_are_still_asked_about_and_small_ones_go_in_unnamed_frames(server, forms, tmp_path, sent):
    data_dir = tmp_path / "pc2"
    data_dir.mkdir()
    big = PDF + random.Random(42).randbytes(BUNDLE_FILE + 100)
    (uid,) = add_entries(data_dir, forms, 1, start=4100, big=big, status="queued")
    with store(data_dir) as repo:
        login(repo, data_dir, server.url, "operator", "operator")
        attachments = {a.filename: a for a in repo.list_attachments(repo.entry_by_uid(uid).id)}
        summary = SyncEngine(repo, data_dir, sleep=lambda s: None).run()
    assert summary.error is None and summary.accepted == 1
    assert checked(sent) == [attachments["kak.pdf"].sha256]  # the tus-sized file only
    (bundle,) = bundles(sent)
    small = attachments["dpa.pdf"]
    assert bundle.startswith(f"{small.size}\n".encode()) and small.sha256.encode() not in bundle


def test_a_file_another_entry_sent_is_not_sent_again_until_the_server_says_it_lacks_it(server, forms, tmp_path,
                                                                                      sent):
    """A change links the same documents, and add_entries gives every entry the same DPA: a file one
    entry of this PC sent is on the server, whatever the new attachment's own state says; when the
    server lacks it after all (``attachment_missing``), every copy is forgotten and it travels again."""
    data_dir = tmp_path / "pc3"
    data_dir.mkdir()
    add_entries(data_dir, forms, 1, start=4200, status="queued")
    with store(data_dir) as repo:
        login(repo, data_dir, server.url, "operator", "operator")
        assert SyncEngine(repo, data_dir, sleep=lambda s: None).run().accepted == 1

    def run_with_new_entry(start: int):  # noqa: ANN202
        (uid,) = add_entries(data_dir, forms, 1, start=start, status="queued")  # the same DPA, its own KAK
        sent.clear()
        sent.answers.clear()
        with store(data_dir) as repo:
            files = {a.filename: a for a in repo.list_attachments(repo.entry_by_uid(uid).id)}
            return SyncEngine(repo, data_dir, sleep=lambda s: None).run(), files

    summary, files = run_with_new_entry(4201)
    assert summary.accepted == 1 and summary.uploaded_bytes == files["kak.pdf"].size  # the KAK alone
    assert checked(sent) == [] and [len(b) for b in bundles(sent)] == [len(f"{files['kak.pdf'].size}\n") +
                                                                        files["kak.pdf"].size]
    tamper(server, "DELETE FROM attachments WHERE sha256 = ?", (files["dpa.pdf"].sha256,))  # lost on the server
    summary, files = run_with_new_entry(4202)
    assert summary.accepted == 0 and summary.pending == 1  # refused for the missing DPA: retried next run
    with store(data_dir) as repo:
        again = SyncEngine(repo, data_dir, sleep=lambda s: None).run()
    # the entry's files travel again (the lost DPA, and its KAK with it: the answer names the entry)
    assert again.accepted == 1 and again.uploaded_bytes == files["dpa.pdf"].size + files["kak.pdf"].size
