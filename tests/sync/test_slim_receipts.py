"""Slim receipts (protocol 2, and protocol 3's one signature per answer) against a real `odc-server`:
the client rebuilds each receipt from what it sent and stores it only when the server's signature
verifies over it. A server that stored other content, or an answer changed on the way, leaves the
entry queued (never submitted); with protocol 3 a changed answer leaves ALL its accepted entries
queued (tests/sync/test_batch_receipts.py has more)."""

from __future__ import annotations

import base64
import contextlib
import http.server
import json

import httpx
import pytest

from odc_desktop.domain.statuses import EntryStatus
from odc_sync.client.payloads import entry_payload
from odc_sync.protocol.signing import public_key_from_b64, receipt_valid
from tests.loopback_http import loopback_http
from tests.server.api import Api
from tests.sync.conftest import add_entries, tamper
from tests.sync.test_engine import engine, signed_in_store, statuses, store

S = EntryStatus
HOP = {"connection", "content-length", "content-encoding", "transfer-encoding", "keep-alive", "date", "server"}


def test_a_receipt_for_other_content_than_sent_leaves_the_entry_queued(server, forms, tmp_path):
    data_dir = signed_in_store(tmp_path, server)
    (uid,) = add_entries(data_dir, forms, 1, start=600, status="queued")
    with store(data_dir) as repo:
        entry = repo.entry_by_uid(uid)
        other = entry_payload(repo, entry)
    other["data"] = {**other["data"], "volume_pekerjaan": "999 m"}  # the content the server really holds
    other["attachments"] = []
    rival = Api(server.url)
    try:
        assert rival.login("operator", "operator").status_code == 200 and rival.register().status_code == 201
        assert rival.push([other])[0]["status"] == "accepted"
    finally:
        rival.close()
    # A broken server: its row claims this PC's content, so it answers "duplicate" with the receipt it
    # signed for the other content.
    tamper(server, "UPDATE entries SET content_sha256 = ? WHERE entry_uid = ?", (entry.content_sha256, uid))
    with store(data_dir) as repo:
        summary = engine(repo, data_dir).run()
        assert (summary.invalid_receipts, summary.duplicates, summary.accepted, summary.pending) == (1, 0, 0, 1)
        assert statuses(repo, [uid]) == [S.QUEUED]
        assert repo.receipts_of_entry(repo.entry_by_uid(uid).id) == []


class _Tamperer(http.server.BaseHTTPRequestHandler):
    """A link that forwards everything to the real server but changes push answers on the way:
    ``server.change(answer)`` edits the parsed JSON of each one."""

    protocol_version = "HTTP/1.1"

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in {"host", "connection", "content-length", "accept-encoding"}}
        answer = self.server.upstream.request(self.command, self.path, content=body, headers=headers)
        content = answer.content
        if self.path.startswith("/api/v1/entries/push") and answer.status_code == 200:
            parsed = answer.json()
            self.server.change(parsed)
            content = json.dumps(parsed).encode()
        self.send_response(answer.status_code)
        for name, value in answer.headers.items():
            if name.lower() not in HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    do_GET = do_POST = do_HEAD = do_PATCH = _forward

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass


@contextlib.contextmanager
def tampering(url: str, change):  # noqa: ANN001
    with httpx.Client(base_url=url, timeout=60) as upstream, loopback_http(_Tamperer, upstream=upstream,
                                                                          change=change) as proxy:
        yield proxy


def _shift_first(answer: dict) -> None:
    """The first receipt's sequence number changed: the Merkle root over the answer's receipts changes."""
    answer["results"][0]["server_seq"] += 1


def _swap_first_two(answer: dict) -> None:
    """Two items swapped: each is genuine, but for the other entry (and the root changes)."""
    answer["results"][0], answer["results"][1] = answer["results"][1], answer["results"][0]


def _other_root_signature(answer: dict) -> None:
    """The root signature replaced by a well-formed one that is not the server's over this root."""
    signature = base64.b64decode(answer["root_signature"])
    answer["root_signature"] = base64.b64encode(bytes([signature[0] ^ 1]) + signature[1:]).decode()


@pytest.mark.parametrize("change", [_shift_first, _swap_first_two, _other_root_signature])
def test_a_push_answer_changed_on_the_way_leaves_all_its_accepted_entries_queued(server, forms, tmp_path, change):
    data_dir = signed_in_store(tmp_path, server)
    uids = add_entries(data_dir, forms, 3, start=620 + 10 * [_shift_first, _swap_first_two, _other_root_signature].index(change),
                       status="queued")
    with store(data_dir) as repo:
        real = repo.get_sync_state("server_url")
        with tampering(real, change) as url:
            repo.set_sync_state("server_url", url)
            summary = engine(repo, data_dir).run()
        assert (summary.invalid_receipts, summary.accepted, summary.pending) == (3, 0, 3)
        assert statuses(repo, uids) == [S.QUEUED] * 3
        assert all(repo.receipts_of_entry(repo.entry_by_uid(uid).id) == [] for uid in uids)
        repo.set_sync_state("server_url", real)
        summary = engine(repo, data_dir).run()  # the true answer: the original receipts, as duplicates
        assert (summary.duplicates, summary.accepted, summary.pending) == (3, 0, 0)
        assert statuses(repo, uids) == [S.SUBMITTED] * 3
        key = public_key_from_b64(repo.get_sync_state("server_key"))
        for uid in uids:
            entry = repo.entry_by_uid(uid)
            (receipt,) = repo.receipts_of_entry(entry.id)
            assert receipt.proof is None  # a duplicate: individually signed
            assert receipt_valid(key, receipt.signed(), content_sha256=entry.content_sha256)
