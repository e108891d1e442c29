"""Server ingest under load: N concurrent clients push signed batches to PostgreSQL-backed odc-server
processes (real `odc-server serve` subprocesses on loopback, clients spread over them as a reverse
proxy would). Payloads are built and signed before the clock starts; gzip is part of each request.

Prints one JSON object as the last line: ``{"clients", "servers", "batch_size", "pace_s", "entries",
"entries_per_s", "p50_ms", "p95_ms", "duplicates_on_replay"}``. With ``--pace 0`` every client pushes
back to back (saturation: entries_per_s is the ceiling, latency is mostly queueing); with ``--pace S``
each client pushes once every S seconds (a steady load: latency is the service time). Targets (design.md): ≥ 500 entries/s, p95 < 500 ms
with 50 clients on a 2-core machine.

    python bench/server_load.py [--clients 50] [--batches 4] [--batch-size 20] [--servers 2] [--db URL]

``--db`` defaults to a fresh database made with ODC_TEST_PG_URL (scripts/pg_test_db.sh prints one).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.server.api import Api, payload  # noqa: E402
from tests.server.harness import ServedServer, fresh_pg_database, run, stats  # noqa: E402


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(options: list[str], clients: int, batches: int, batch_size: int, servers: int, pace: float) -> dict:
    run(options, "init", "--demo")
    served = [ServedServer(options) for _ in range(servers)]
    try:
        apis = []
        for index in range(clients):
            api = Api(served[index % servers].url)
            assert api.login("operator", "operator").status_code == 200
            assert api.register().status_code == 201
            apis.append(api)
        work = [[[api.signed(payload()) for _ in range(batch_size)] for _ in range(batches)] for api in apis]
        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()
        start_line = threading.Barrier(clients + 1)

        def client(number: int, api: Api, its_batches: list[list[dict]]) -> None:
            start_line.wait()
            origin = time.perf_counter() + pace * number / clients  # paced clients spread over one period
            for k, items in enumerate(its_batches):
                if pace:
                    time.sleep(max(0.0, origin + k * pace - time.perf_counter()))
                began = time.perf_counter()
                response = api.push_items(items)
                took = time.perf_counter() - began
                with lock:
                    latencies.append(took)
                    if response.status_code != 200 or any(r["status"] != "accepted" for r in response.json()["results"]):
                        failures.append(response.text[:200])

        threads = [threading.Thread(target=client, args=(n, api, its)) for n, (api, its) in enumerate(zip(apis, work))]
        for thread in threads:
            thread.start()
        start_line.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
        # Replay everything once more: all duplicates, no new rows.
        replay = apis[0].push_items(work[0][0]).json()["results"]
        for api in apis:
            api.close()
    finally:
        for server in served:
            server.stop()
    numbers = stats(options)
    entries = clients * batches * batch_size
    assert not failures, failures[:3]
    assert numbers["entries_total"] == numbers["distinct_entries"] == entries
    return {"clients": clients, "servers": servers, "batch_size": batch_size, "pace_s": pace, "entries": entries,
            "entries_per_s": round(entries / wall, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p95_ms": round(_percentile(latencies, 0.95) * 1000, 1),
            "duplicates_on_replay": sum(r["status"] == "duplicate" for r in replay)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--batches", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=20)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--db", default=None)
    parser.add_argument("--pace", type=float, default=0.0,
                        help="seconds between one client's pushes (0: push back to back, the saturation test)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        if args.db:
            result = measure(["--data-dir", data_dir, "--db", args.db], args.clients, args.batches,
                             args.batch_size, args.servers, args.pace)
        else:
            if not os.environ.get("ODC_TEST_PG_URL"):
                sys.exit("set ODC_TEST_PG_URL (bash scripts/pg_test_db.sh prints it) or pass --db")
            with fresh_pg_database() as url:
                result = measure(["--data-dir", data_dir, "--db", url], args.clients, args.batches,
                                 args.batch_size, args.servers, args.pace)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
