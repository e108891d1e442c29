"""Sync over a hostile link: our engine against a naive client, in the same run, through the same
hostile-link proxy (tests/hostile_link.py: rate limit, latency, cuts at random offsets).

A real `odc-server` (`init --demo`, SQLite) on loopback; two operator stores with the same content
(N planning entries, each with a small DPA and an incompressible KAK of ``--file-kb`` KB; other uids).
``--demo P``: instead, two stores of the demo data mix (``odc demo-data --processes P --attachments 3P``
then ``odc submit --all``; every stage and OPD, small generated PDFs and photos), synced as ``admin``.
``--only ours|naive`` runs one client.

* ours: ``odc_sync.client.SyncEngine`` runs until nothing is pending (tus chunks that resume from the
  server's offset, the "already have it" check, gzip batches of signed entries).
* naive: per entry, each file whole in one request (tus POST + one PATCH from offset 0 with the
  file's checksum), then the entry alone, uncompressed; any failure starts that entry again from zero.
  (A cut PATCH with Upload-Checksum stores nothing on the server, so zero is where it really stands.)

Cuts: whenever the link has no cut pending, the next one is set at a random offset ``--cut-min-kb`` to
``--cut-max-kb`` further on (both clients meet the same cut schedule from the same seed).

Prints one JSON object: ``ours_bytes`` / ``naive_bytes`` (bytes over the link, both directions),
``payload_bytes`` (the compressed payload: gzip of the signed push bodies + the file bytes),
``ratio`` = ours_bytes / payload_bytes (target ≤ 1.10), ``ours_s``, ``naive_s``, ``cuts_ours``,
``cuts_naive``, ``entries``, and the server's ``entries_total`` / ``distinct_entries`` (no duplicates).
All bytes are counted at the hostile-link proxy: requests and answers, headers included.
``ours_review_bytes``: of ``ours_bytes``, the review step's (``--demo`` syncs as ``admin``, a reviewer, so
each run also downloads the review queue, which the naive client does not); ``ratio_without_review`` =
(ours_bytes - ours_review_bytes) / payload_bytes; ``ours_runs``: engine runs until nothing was pending.

    python bench/sync.py [--entries 20] [--file-kb 32] [--rate 32000] [--latency 0.3] [--demo PROCESSES]
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests  # noqa: E402

from odc_desktop.domain.forms.definition import load_form_set  # noqa: E402
from odc_desktop.storage.sql import SqlRepository  # noqa: E402
from odc_sync.client import SyncEngine, login  # noqa: E402
from odc_sync.client import engine as sync_engine  # noqa: E402
from odc_sync.client.account import device_key  # noqa: E402
from odc_sync.client.payloads import entry_payload  # noqa: E402
from odc_sync.protocol.canonical import canonical_bytes  # noqa: E402
from odc_sync.protocol.messages import PROTOCOL_VERSION  # noqa: E402
from odc_sync.protocol.signing import sign_entry  # noqa: E402
from odc_sync.protocol.tus import encode_metadata  # noqa: E402
from tests.hostile_link import HostileLink  # noqa: E402
from tests.server.harness import ServedServer, run, stats  # noqa: E402
from tests.odc_cli import demo_store, odc  # noqa: E402
from tests.sync.conftest import PDF, add_entries  # noqa: E402


class Cutter:
    """Keeps one cut pending on ``link`` at a random distance (seeded)."""

    def __init__(self, link: HostileLink, seed: int, low: int, high: int) -> None:
        self.link, self.random, self.low, self.high = link, random.Random(seed), low, high
        self.stop = threading.Event()
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self) -> None:
        while not self.stop.is_set():
            if self.link.cut_after is None:
                self.link.cut_after = self.link.up_bytes + self.random.randint(self.low, self.high)
            time.sleep(0.01)


def make_store(folder: Path, forms, entries: int, files: list[bytes]) -> Path:
    folder.mkdir(parents=True)
    for n in range(entries):
        add_entries(folder, forms, 1, start=n, big=files[n], status="queued")
    return folder


def make_demo_store(folder: Path, processes: int, attachments: int, seed: int) -> Path:
    """The demo data mix: ``odc demo-data`` (its generated PDFs and photos, every stage, various
    statuses), then ``odc submit --all`` queues every entry that may go."""
    demo_store(folder, "--processes", str(processes), "--attachments", str(attachments), "--seed", str(seed))
    queued = odc("submit", "--all", "--data-dir", str(folder))
    assert queued.returncode == 0, queued.stderr
    return folder


def payload_bytes(repo, data_dir: Path, batch: int) -> int:
    """gzip of the signed push bodies as the engine batches them, plus every distinct file's bytes."""
    key = device_key(data_dir, create=False)
    entries = [repo.get_entry(item.entry_id) for item in repo.list_outbox()]
    total, seen = 0, set()
    for start in range(0, len(entries), batch):
        items = []
        for entry in entries[start:start + batch]:
            payload = entry_payload(repo, entry)
            items.append({"payload": payload, "signature": sign_entry(key, payload)})
            for attachment in repo.list_attachments(entry.id):
                if attachment.sha256 not in seen:
                    seen.add(attachment.sha256)
                    total += attachment.size
        body = {"protocol": PROTOCOL_VERSION, "device": repo.get_sync_state("device"), "items": items}
        total += len(gzip.compress(canonical_bytes(body), 6, mtime=0))
    return total


class ReviewBytes:
    """Counts the link's bytes (both directions, headers included) of the review step of each run
    (``GET /review/queue`` of a supervisor or admin: the reviewer's own work, which the naive client does
    not do), so the report can give the sync's ratio without it too. Wraps the engine's call; changes
    nothing it does."""

    def __init__(self, link: HostileLink) -> None:
        self.link, self.bytes = link, 0
        self.real = sync_engine.sync_review
        sync_engine.sync_review = self._counted

    def _counted(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        before = self.link.up_bytes + self.link.down_bytes
        try:
            return self.real(*args, **kwargs)
        finally:
            self.bytes += self.link.up_bytes + self.link.down_bytes - before

    def close(self) -> None:
        sync_engine.sync_review = self.real


def ours(server_url: str, link: HostileLink, data_dir: Path, batch: int, counters: dict) -> float:
    repo = SqlRepository.open(data_dir)
    review = ReviewBytes(link)
    try:
        repo.set_sync_state("server_url", link.url)
        started = time.perf_counter()
        for _ in range(10_000):
            summary = SyncEngine(repo, data_dir, base_delay=0.05, retries=6, batch_size=batch,
                                 chunk_size=64 * 1024).run()
            counters["runs"] = counters.get("runs", 0) + 1
            if summary.pending == 0 and summary.error is None:
                break
        return time.perf_counter() - started
    finally:
        counters["review_bytes"] = review.bytes
        review.close()
        repo.close()


def naive(link: HostileLink, data_dir: Path) -> float:
    """Per entry: each file whole in one tus PATCH from offset 0 (with its checksum), then the entry
    alone, uncompressed; any failure starts the entry again from zero (a cut PATCH with a checksum
    stores nothing, so zero is right)."""
    repo = SqlRepository.open(data_dir)
    token = repo.get_sync_state("token")
    key = device_key(data_dir, create=False)
    work = []
    for item in repo.list_outbox():
        entry = repo.get_entry(item.entry_id)
        payload = entry_payload(repo, entry)
        body = json.dumps({"protocol": PROTOCOL_VERSION, "device": repo.get_sync_state("device"),
                           "items": [{"payload": payload, "signature": sign_entry(key, payload)}]}).encode()
        files = [(a.sha256, repo.read_attachment(a)) for a in repo.list_attachments(entry.id)]
        work.append((body, files))
    repo.close()
    auth = {"Authorization": f"Bearer {token}", "Tus-Resumable": "1.0.0"}
    started = time.perf_counter()
    with requests.Session() as http:
        for body, files in work:
            while True:
                try:
                    for sha, data in files:
                        made = http.post(link.url + "/api/v1/uploads", timeout=120, headers={
                            **auth, "Upload-Length": str(len(data)), "Upload-Metadata": encode_metadata({"sha256": sha})})
                        location = made.headers.get("Location")
                        if location:
                            sent = http.patch(link.url + location, data=data, timeout=120, headers={
                                **auth, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream",
                                "Upload-Checksum": "sha256 " + base64.b64encode(bytes.fromhex(sha)).decode()})
                            if sent.status_code != 204:
                                raise requests.ConnectionError(f"upload refused {sent.status_code}")
                    pushed = http.post(link.url + "/api/v1/entries/push", data=body, timeout=120,
                                       headers={**auth, "Content-Type": "application/json"})
                    if pushed.status_code == 200:
                        break
                except requests.RequestException:
                    time.sleep(0.05)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--file-kb", type=int, default=32)
    parser.add_argument("--rate", type=float, default=32_000, help="bytes per second (256 kbit/s)")
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--cut-min-kb", type=int, default=100)
    parser.add_argument("--cut-max-kb", type=int, default=400)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=("ours", "naive"), default=None, help="run one client only")
    parser.add_argument("--demo", type=int, default=0, metavar="PROCESSES",
                        help="sync the demo data mix of this many processes instead (odc demo-data, 3 files each)")
    args = parser.parse_args()
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        os.environ.pop(name, None)
    forms = load_form_set()
    rnd = random.Random(args.seed)
    files = [PDF + rnd.randbytes(args.file_kb * 1024) for _ in range(args.entries)]
    with tempfile.TemporaryDirectory(prefix="odc-bench-sync-") as tmp:
        root = Path(tmp)
        options = ["--data-dir", str(root / "server")]
        (root / "server").mkdir()
        run(options, "init", "--demo")
        server = ServedServer(options)
        try:
            stores = {}
            for name in ("ours", "naive"):
                stores[name] = (make_demo_store(root / name, args.demo, 3 * args.demo, args.seed) if args.demo else
                                make_store(root / name, forms, args.entries, files))
                repo = SqlRepository.open(stores[name])
                try:
                    user = "admin" if args.demo else "operator"  # the demo data spans every OPD
                    login(repo, stores[name], server.url, user, user)
                    if name == "ours":
                        payload = payload_bytes(repo, stores[name], args.batch)
                finally:
                    repo.close()
            repo = SqlRepository.open(stores["ours"])
            try:
                entries = len(repo.list_outbox())
            finally:
                repo.close()
            result = {"entries": entries, "demo_processes": args.demo or None,
                      "file_kb": None if args.demo else args.file_kb, "rate": args.rate, "latency": args.latency,
                      "payload_bytes": payload}
            counters: dict = {}
            for name, client in (("ours", lambda link: ours(server.url, link, stores["ours"], args.batch, counters)),
                                 ("naive", lambda link: naive(link, stores["naive"]))):
                if args.only and name != args.only:
                    continue
                with HostileLink(server.port, rate=args.rate, latency=args.latency) as link:
                    cutter = Cutter(link, args.seed, args.cut_min_kb * 1024, args.cut_max_kb * 1024)
                    seconds = client(link)
                    cutter.stop.set()
                    result[f"{name}_bytes"] = link.up_bytes + link.down_bytes
                    result[f"{name}_up_bytes"] = link.up_bytes
                    result[f"{name}_s"] = round(seconds, 2)
                    result[f"cuts_{name}"] = link.cuts
            found = stats(options)
            if "ours_bytes" in result:
                result.update(ours_runs=counters["runs"], ours_review_bytes=counters["review_bytes"],
                              ratio_without_review=round((result["ours_bytes"] - counters["review_bytes"]) / payload, 3))
            result.update(ratio=round(result["ours_bytes"] / payload, 3) if "ours_bytes" in result else None,
                          entries_total=found["entries_total"], distinct_entries=found["distinct_entries"])
        finally:
            server.stop()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
