"""The client engine in-process against a real `odc-server`: a poisoned entry is quarantined while the
rest go through, a conflict keeps the server's copy, receipts are believed only when signed by the
pinned key, a captive portal's HTML "200 OK" is never success, and a cut upload resumes from the
server's offset (through the hostile-link proxy)."""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import json
import os
import time

import httpx
import pytest

from odc_desktop.domain.statuses import EntryStatus
from odc_desktop.storage.sql import SqlRepository
from odc_sync.client import SyncEngine, SyncError, login
from odc_sync.client.payloads import entry_payload
from odc_sync.protocol.signing import new_private_key, public_key_b64
from tests.hostile_link import HostileLink
from tests.loopback_http import loopback_http
from tests.server.api import Api
from tests.sync.conftest import OTHER_OPD, PDF, add_entries

S = EntryStatus


def no_sleep(_seconds: float) -> None:
    pass


@contextlib.contextmanager
def store(data_dir):
    repo = SqlRepository.open(data_dir)
    try:
        yield repo
    finally:
        repo.close()


def signed_in_store(tmp_path, server, name: str = "pc"):
    data_dir = tmp_path / name
    data_dir.mkdir()
    with store(data_dir) as repo:
        login(repo, data_dir, server.url, "operator", "operator")
    return data_dir


def engine(repo, data_dir, **options) -> SyncEngine:
    return SyncEngine(repo, data_dir, sleep=no_sleep, **options)


def statuses(repo, uids) -> list[EntryStatus]:
    return [repo.entry_by_uid(uid).status for uid in uids]


def test_login_keeps_the_device_key_private_and_pins_the_server_key(server, tmp_path):
    data_dir = signed_in_store(tmp_path, server)
    assert (os.stat(data_dir / "device.key").st_mode & 0o777) == 0o600
    with store(data_dir) as repo:
        assert repo.get_sync_state("server_key") and repo.get_sync_state("token")
        audit = repo.verify_audit_chain().length
        login(repo, data_dir, server.url, "operator", "operator")  # again: same device, nothing audited
        assert repo.verify_audit_chain().length == audit
        repo.set_sync_state("server_key", public_key_b64(new_private_key()))
        with pytest.raises(SyncError) as refused:
            login(repo, data_dir, server.url, "operator", "operator")
        assert refused.value.code == "sync.server_key_changed"


def test_a_poisoned_entry_is_quarantined_while_the_rest_go_through(server, forms, tmp_path):
    data_dir = signed_in_store(tmp_path, server)
    good = add_entries(data_dir, forms, 2, start=100, status="queued")
    poisoned = add_entries(data_dir, forms, 1, start=102, status="queued", opd=OTHER_OPD)  # not the user's OPD
    good += add_entries(data_dir, forms, 2, start=103, status="queued")
    with store(data_dir) as repo:
        summary = engine(repo, data_dir, batch_size=10).run()
        assert (summary.accepted, summary.rejected, summary.pending, summary.error) == (4, 1, 0, None)
        assert statuses(repo, good) == [S.SUBMITTED] * 4
        assert statuses(repo, poisoned) == [S.REJECTED_BY_SERVER]
        assert summary.quarantined[0]["entry"] == poisoned[0]
        assert summary.quarantined[0]["reasons"][0]["code"] == "forbidden_opd"


def test_a_conflict_keeps_the_server_copy_and_the_entry_unsubmitted(server, forms, tmp_path):
    data_dir = signed_in_store(tmp_path, server)
    (uid,) = add_entries(data_dir, forms, 1, start=200, status="queued")
    with store(data_dir) as repo:
        other = entry_payload(repo, repo.entry_by_uid(uid))
    other["data"] = {**other["data"], "volume_pekerjaan": "999 m"}  # another PC got there first
    other["attachments"] = []
    rival = Api(server.url)
    try:
        assert rival.login("operator", "operator").status_code == 200 and rival.register().status_code == 201
        (first,) = rival.push([other])
        assert first["status"] == "accepted"
    finally:
        rival.close()
    with store(data_dir) as repo:
        summary = engine(repo, data_dir).run()
        assert (summary.conflicts, summary.accepted, summary.pending) == (1, 0, 1)
        entry = repo.entry_by_uid(uid)
        assert entry.status == S.QUEUED and repo.receipts_of_entry(entry.id) == []
        kept = json.loads(repo.get_sync_state(f"conflict.{uid}"))
        assert kept["server_copy"]["payload"]["data"]["volume_pekerjaan"] == "999 m"


def test_receipts_not_signed_by_the_pinned_key_are_not_believed(server, forms, tmp_path):
    data_dir = signed_in_store(tmp_path, server)
    uids = add_entries(data_dir, forms, 2, start=300, status="queued")
    with store(data_dir) as repo:
        pinned = repo.get_sync_state("server_key")
        repo.set_sync_state("server_key", public_key_b64(new_private_key()))  # as if another server answered
        summary = engine(repo, data_dir).run()
        assert (summary.invalid_receipts, summary.accepted, summary.pending) == (2, 0, 2)
        assert statuses(repo, uids) == [S.QUEUED] * 2
        repo.set_sync_state("server_key", pinned)
        summary = engine(repo, data_dir).run()  # the true key: the original receipts, as duplicates
        assert (summary.duplicates, summary.pending) == (2, 0) and statuses(repo, uids) == [S.SUBMITTED] * 2


class _Portal(http.server.BaseHTTPRequestHandler):
    """A hotel hotspot: every request gets a friendly HTML page and 200 OK."""

    def _page(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = b"<html><body><h1>Selamat datang</h1><form>Masuk WiFi</form></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Upload-Offset", "999999999")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_HEAD = do_PATCH = _page

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass


def portal():  # noqa: ANN201 - a context manager yielding the portal's URL
    return loopback_http(_Portal)


def test_captive_portal_html_is_never_taken_for_success(server, forms, tmp_path):
    data_dir = signed_in_store(tmp_path, server)
    uids = add_entries(data_dir, forms, 2, start=400, status="queued")
    with portal() as url, store(data_dir) as repo:
        with pytest.raises(SyncError) as refused:
            login(repo, tmp_path / "other", url, "operator", "operator")
        assert refused.value.code == "sync.not_protocol"
        real = repo.get_sync_state("server_url")
        repo.set_sync_state("server_url", url)  # the hotspot now answers in the server's place
        summary = engine(repo, data_dir).run()
        assert summary.error == "sync.not_protocol" and (summary.accepted, summary.pending) == (0, 2)
        assert statuses(repo, uids) == [S.QUEUED] * 2
        assert all(repo.receipts_of_entry(repo.entry_by_uid(u).id) == [] for u in uids)
        assert not any(repo.upload_state(a.id)[1] for u in uids for a in repo.list_attachments(repo.entry_by_uid(u).id))
        repo.set_sync_state("server_url", real)
        summary = engine(repo, data_dir).run()
        assert (summary.accepted, summary.pending, summary.error) == (2, 0, None)


def test_an_upload_cut_mid_way_resumes_from_the_servers_offset(server, forms, tmp_path):
    data_dir = signed_in_store(tmp_path, server)
    big = PDF + os.urandom(600 * 1024)  # incompressible; 64 KB chunks
    (uid,) = add_entries(data_dir, forms, 1, start=500, status="queued", big=big)
    with HostileLink(server.port, cut_after=250_000, latency=0.001) as link, store(data_dir) as repo:
        repo.set_sync_state("server_url", link.url)
        first = engine(repo, data_dir, retries=0, chunk_size=64 * 1024).run()
        assert link.cuts == 1 and first.error == "sync.offline" and first.accepted == 0
        kak = next(a for a in repo.list_attachments(repo.entry_by_uid(uid).id) if a.document_type == "kak")
        at_cut, done, url = repo.upload_state(kak.id)  # the last offset the server confirmed
        assert not done and url and 0 < at_cut < len(big)
        # The server kept the bytes of the cut chunk that reached it (no per-chunk checksum: tus core).
        auth = {"Tus-Resumable": "1.0.0", "Authorization": f"Bearer {repo.get_sync_state('token')}"}
        held = int(httpx.head(server.url + url, headers=auth).headers["Upload-Offset"])
        assert at_cut < held < len(big)
        sent_before = link.up_bytes
        second = engine(repo, data_dir, chunk_size=64 * 1024).run()
        assert (second.accepted, second.pending, second.error) == (1, 0, None)
        assert second.uploaded_bytes == len(big) - held  # resumed from the server's offset, not restarted
        assert link.up_bytes - sent_before < len(big) - held + 20_000  # the rest, requests and the push
        assert repo.entry_by_uid(uid).status == S.SUBMITTED


def test_small_files_go_in_bundles_and_a_cut_one_goes_on_with_what_is_missing(server, forms, tmp_path):
    data_dir = signed_in_store(tmp_path, server)
    files = [PDF + os.urandom(12_000) for _ in range(6)]  # small: one bundle, no tus upload each
    uids = [add_entries(data_dir, forms, 1, start=800 + n, status="queued", big=big)[0] for n, big in enumerate(files)]
    with HostileLink(server.port, cut_after=40_000, latency=0.001) as link, store(data_dir) as repo:
        repo.set_sync_state("server_url", link.url)
        first = engine(repo, data_dir, retries=0).run()
        assert link.cuts == 1 and first.error == "sync.offline" and first.accepted == 0
        watcher = Api(server.url)  # bounded wait: the server stores the whole files once it sees the cut
        watcher.login("operator", "operator")
        for _ in range(500):
            if watcher.check([hashlib.sha256(f).hexdigest() for f in files])["have"]:
                break
            time.sleep(0.01)
        watcher.close()
        second = engine(repo, data_dir).run()
        assert (second.accepted, second.pending, second.error) == (6, 0, None)
        # The files that arrived whole before the cut were kept: only the rest went again.
        assert 0 < second.uploaded_bytes < sum(len(f) for f in files)
        assert statuses(repo, uids) == [S.SUBMITTED] * 6
    operator = Api(server.url)
    operator.login("operator", "operator")
    hashes = [hashlib.sha256(f).hexdigest() for f in files]
    assert operator.check(hashes) == {"have": hashes, "missing": []}
    operator.close()


def test_a_cancelled_run_stops_between_requests_and_the_next_one_goes_on(server, forms, tmp_path):
    data_dir = signed_in_store(tmp_path, server)
    uids = add_entries(data_dir, forms, 4, start=600, status="queued")
    pushed = []
    with store(data_dir) as repo:
        first = engine(repo, data_dir, batch_size=2, is_cancelled=lambda: bool(pushed),
                       on_progress=lambda phase, done, total: pushed.append(done) if phase == "push" else None).run()
        assert (first.error, first.accepted, first.pending) == ("sync.cancelled", 2, 2)
        second = engine(repo, data_dir, batch_size=2).run()
        assert (second.accepted, second.pending, second.error) == (2, 0, None)
        assert statuses(repo, uids) == [S.SUBMITTED] * 4
