"""Two `odc-server serve` processes on one database receive the same batches at the same moment:
each entry is stored once, both answers carry the same receipt, and server_seq has no gaps."""

from __future__ import annotations

import threading

import pytest

from odc_sync.protocol.canonical import content_sha256
from odc_sync.protocol.receipts import expanded_results
from odc_sync.protocol.signing import receipt_valid
from tests.server.api import Api, payload
from tests.server.harness import ServedServer, database, run, stats

BATCHES = 12
PER_BATCH = 20


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
def test_the_same_batches_sent_to_two_processes_at_once_are_stored_once(kind, tmp_path):
    with database(kind, tmp_path / "data") as options:
        run(options, "init", "--demo")
        servers = [ServedServer(options), ServedServer(options)]
        try:
            first = Api(servers[0].url)
            first.login("operator", "operator")
            assert first.register().status_code == 201
            second = Api(servers[1].url)  # the same device, signed in through the other process
            second.token, second.device, second.key = first.token, first.device, first.key
            batches = [[first.signed(payload()) for _ in range(PER_BATCH)] for _ in range(BATCHES)]
            answers: dict[int, list[list[dict]]] = {0: [], 1: []}
            barrier = threading.Barrier(2)

            def send(which: int, api: Api) -> None:
                for items in batches:
                    barrier.wait(timeout=60)
                    response = api.push_items(items)
                    assert response.status_code == 200, response.text
                    sent = [item["payload"] for item in items]  # slim receipts: rebuilt as the client does
                    answers[which].append(expanded_results(response.json(), sent, [content_sha256(p) for p in sent]))

            threads = [threading.Thread(target=send, args=(i, api)) for i, api in enumerate((first, second))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
            assert len(answers[0]) == len(answers[1]) == BATCHES
            key = first.server_key()
            for batch_a, batch_b in zip(answers[0], answers[1]):
                for a, b in zip(batch_a, batch_b):
                    assert sorted([a["status"], b["status"]]) == ["accepted", "duplicate"]
                    # the same receipt (protocol 3: the accepted one proven by its answer's root signature,
                    # the duplicate with its own signature; both verify)
                    assert {k: v for k, v in a["receipt"].items() if k not in ("signature", "proof")} == \
                        {k: v for k, v in b["receipt"].items() if k not in ("signature", "proof")}
                    assert receipt_valid(key, a["receipt"]) and receipt_valid(key, b["receipt"])
            accepted_by = [sum(r["status"] == "accepted" for batch in answers[i] for r in batch) for i in (0, 1)]
            first.close()
            second.close()
        finally:
            for server in servers:
                server.stop()
        numbers = stats(options)
        assert numbers["entries_total"] == numbers["distinct_entries"] == BATCHES * PER_BATCH
        assert numbers["max_server_seq"] == BATCHES * PER_BATCH  # gap-free
        assert sum(accepted_by) == BATCHES * PER_BATCH
        assert run(options, "verify-audit").returncode == 0
