"""Server ingest under load: N concurrent clients push signed batches to PostgreSQL-backed odc-server
processes (real `odc-server serve` subprocesses on loopback, clients spread over them as a reverse
proxy would). Payloads are built, signed, serialised and gzipped before the clock starts; a push's
latency is its HTTP request alone (send to answer), measured on the client's own thread.

Prints one JSON object as the last line: ``{"clients", "servers", "batch_size", "pace_s",
"offered_entries_per_s", "entries", "entries_per_s", "p50_ms", "p95_ms", "max_ms", "late_p95_ms",
"server_cpu_ms_per_entry", "server_kernel_ms_per_entry", "server_cpu_share", "duplicates_on_replay"}``. With ``--pace S`` (default 0.8) each client pushes one batch every S
seconds, the clients spread evenly over one period: a steady offered load of
clients × batch_size / S entries per second (default 50 × 10 / 0.8 = 625/s), and the latency is
what a client waits at that load. ``late_p95_ms``: how far behind its schedule a push started (a
client whose previous push was still waiting starts late; large values mean the server did not keep
up with the offered load, whatever p95 says). ``entries_per_s`` = entries / wall time from the first
push to the last answer. With ``--pace 0`` every client pushes back to back (saturation: entries_per_s
is the ceiling, latency is mostly queueing behind the other clients' pushes). Targets (design.md):
≥ 500 entries/s with p95 < 500 ms, 50 clients, on a 2-core machine.

    python bench/server_load.py [--clients 50] [--batches 10] [--batch-size 10] [--pace 0.8] [--servers 2] [--db URL]
                                [--profile DIR]

``server_cpu_ms_per_entry``: CPU (user + system, from /proc) the server processes used during the push
phase, per entry stored; unlike the latencies it hardly moves with other load on the machine, so it is
the number to compare changes of the server by. ``--profile DIR`` samples the servers with py-spy over
the push phase; ``python bench/profile_summary.py DIR/*.txt`` prints where their time went.

``--db`` defaults to a fresh database made with ODC_TEST_PG_URL (scripts/pg_test_db.sh prints one).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from odc_sync.protocol.messages import PROTOCOL_VERSION  # noqa: E402
from tests.server.api import Api, payload  # noqa: E402
from tests.server.harness import ServedServer, fresh_pg_database, run, stats  # noqa: E402


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _cpu_s(server: ServedServer, kernel_only: bool = False) -> float:
    """CPU seconds (user + system, or system alone) the server process has used so far."""
    fields = Path(f"/proc/{server.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[12]) + (0 if kernel_only else int(fields[11]))) / os.sysconf("SC_CLK_TCK")


def _profilers(served: list[ServedServer], folder: str | None) -> list[subprocess.Popen]:
    """With ``--profile DIR``: py-spy (``pip install py-spy``) sampling each server process over the push
    phase alone (`--gil`: only the thread holding the interpreter, i.e. where its CPU goes, not its waits),
    written as collapsed stacks (DIR/server-N.txt, for bench/profile_summary.py)."""
    if not folder:
        return []
    Path(folder).mkdir(parents=True, exist_ok=True)
    spy = Path(sys.executable).with_name("py-spy")
    return [subprocess.Popen([str(spy), "record", "--pid", str(server.process.pid), "--rate", "200", "--gil", "--format", "raw",
                              "--nonblocking", "-o", str(Path(folder) / f"server-{n}.txt")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for n, server in enumerate(served)]


def _stop_profilers(profilers: list[subprocess.Popen]) -> None:
    for profiler in profilers:
        profiler.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
    for profiler in profilers:
        profiler.wait(timeout=60)


def _body(api: Api, items: list[dict]) -> bytes:
    """The push request's body as the client sends it (JSON, gzip), made before the clock starts."""
    return gzip.compress(json.dumps({"protocol": PROTOCOL_VERSION, "device": api.device, "items": items}).encode())


def measure(options: list[str], clients: int, batches: int, batch_size: int, servers: int, pace: float,
            profile: str | None = None) -> dict:
    run(options, "init", "--demo")
    served = [ServedServer(options) for _ in range(servers)]
    try:
        apis = []
        for index in range(clients):
            api = Api(served[index % servers].url)
            logged_in = api.login("operator", "operator")
            assert logged_in.status_code == 200, logged_in.text
            registered = api.register()
            assert registered.status_code == 201, registered.text
            apis.append(api)
        bodies = [[_body(api, [api.signed(payload()) for _ in range(batch_size)]) for _ in range(batches)]
                  for api in apis]
        latencies: list[float] = []
        late: list[float] = []
        answers: list[tuple[int, bytes]] = []
        lock = threading.Lock()
        start_line = threading.Barrier(clients + 1)

        def client(number: int, api: Api, its_bodies: list[bytes]) -> None:
            headers = {**api.auth, "Content-Type": "application/json", "Content-Encoding": "gzip"}
            start_line.wait()
            origin = time.perf_counter() + pace * number / clients  # paced clients spread over one period
            for k, body in enumerate(its_bodies):
                due = origin + k * pace
                if pace:
                    time.sleep(max(0.0, due - time.perf_counter()))
                began = time.perf_counter()
                try:
                    response = api.http.post("/api/v1/entries/push", content=body, headers=headers)
                    answer = (response.status_code, response.content)
                except httpx.HTTPError as exc:  # counted as a failure, never lost silently with the thread
                    answer = (0, f"{type(exc).__name__}: {exc}".encode())
                took = time.perf_counter() - began
                with lock:
                    latencies.append(took)
                    late.append(max(0.0, began - due) if pace else 0.0)
                    answers.append(answer)

        for api in apis:  # connections idle since the sign-in may be closed by the server: start afresh
            api.http.close()
            api.http = httpx.Client(base_url=str(api.http.base_url), timeout=60)
        threads = [threading.Thread(target=client, args=(n, api, its)) for n, (api, its) in enumerate(zip(apis, bodies))]
        for thread in threads:
            thread.start()
        profilers = _profilers(served, profile)
        cpu_before = sum(_cpu_s(server) for server in served)
        kernel_before = sum(_cpu_s(server, kernel_only=True) for server in served)
        start_line.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
        server_cpu = sum(_cpu_s(server) for server in served) - cpu_before
        server_kernel = sum(_cpu_s(server, kernel_only=True) for server in served) - kernel_before
        _stop_profilers(profilers)
        # Replay one client's first batch: all duplicates, no new rows.
        replay = apis[0].http.post("/api/v1/entries/push", content=bodies[0][0], headers={
            **apis[0].auth, "Content-Type": "application/json", "Content-Encoding": "gzip"}).json()["results"]
        for api in apis:
            api.close()
    finally:
        for server in served:
            server.stop()
    numbers = stats(options)
    entries = clients * batches * batch_size
    failures = [body[:200] for status, body in answers
                if status != 200 or any(r["status"] != "accepted" for r in json.loads(body)["results"])]
    assert len(answers) == clients * batches, f"{len(answers)} answers for {clients * batches} pushes"
    assert not failures, failures[:3]
    assert numbers["entries_total"] == numbers["distinct_entries"] == entries, (numbers, entries)
    return {"clients": clients, "servers": servers, "batch_size": batch_size, "pace_s": pace,
            "offered_entries_per_s": round(clients * batch_size / pace, 1) if pace else None, "entries": entries,
            "entries_per_s": round(entries / wall, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p95_ms": round(_percentile(latencies, 0.95) * 1000, 1),
            "max_ms": round(max(latencies) * 1000, 1),
            "late_p95_ms": round(_percentile(late, 0.95) * 1000, 1),
            "server_cpu_ms_per_entry": round(server_cpu * 1000 / entries, 2),
            "server_kernel_ms_per_entry": round(server_kernel * 1000 / entries, 2),
            "server_cpu_share": round(server_cpu / wall, 2),
            "duplicates_on_replay": sum(r["status"] == "duplicate" for r in replay)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=10)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--db", default=None)
    parser.add_argument("--pace", type=float, default=0.8,
                        help="seconds between one client's pushes (0: push back to back, the saturation test)")
    parser.add_argument("--profile", metavar="DIR", default=None,
                        help="sample the servers with py-spy over the push phase (collapsed stacks in DIR)")
    args = parser.parse_args()
    # The 50 client threads share this process: a thread whose answer arrived gets the interpreter
    # within 1 ms (not 5), so the latency measured is the request's, not the wait for this process's GIL.
    sys.setswitchinterval(0.001)
    with tempfile.TemporaryDirectory() as data_dir:
        if args.db:
            result = measure(["--data-dir", data_dir, "--db", args.db], args.clients, args.batches,
                             args.batch_size, args.servers, args.pace, args.profile)
        else:
            if not os.environ.get("ODC_TEST_PG_URL"):
                sys.exit("set ODC_TEST_PG_URL (bash scripts/pg_test_db.sh prints it) or pass --db")
            with fresh_pg_database() as url:
                result = measure(["--data-dir", data_dir, "--db", url], args.clients, args.batches,
                                 args.batch_size, args.servers, args.pace, args.profile)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
