"""Fixtures of the sync client tests: a real `odc-server` (`init --demo`) on a loopback port per module,
on SQLite and on PostgreSQL (each its own fresh database, see tests/server/harness.py: never skipped in
CI), operator stores made through the real workflow, and the `odc` CLI as a subprocess."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Iterator

import pytest

from odc_desktop.domain.forms.definition import FormSet, load_form_set
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import Stage
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.workflow import mark_ready, queue, save_draft
from tests.server.harness import ServedServer, database, run
from tests.unit.form_samples import PROCESS, valid_data

PREFIX = "ocds-a1b2c3"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
OTHER_OPD = ("1.02.0.00.0.00.05.0000", "Dinas Kesehatan")


BACKENDS = ["sqlite", "postgresql"]


class Server:
    def __init__(self, kind: str, options: list[str], served: ServedServer) -> None:
        self.kind, self.options, self.served, self.url, self.port = kind, options, served, served.url, served.port

    def stats(self) -> dict:
        return json.loads(run(self.options, "stats", "--json").stdout)

    def count(self, table: str) -> int:
        """Rows of the server's ``table``, read straight from its database (cheap enough to poll)."""
        if self.kind == "sqlite":
            path = Path(self.options[self.options.index("--data-dir") + 1]) / "odc-server.sqlite3"
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
            try:
                return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            finally:
                conn.close()
        import psycopg

        url = self.options[self.options.index("--db") + 1].replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url) as conn:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, tmp_path_factory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp(f"odc-server-{request.param}")
    with database(request.param, data_dir) as options:
        run(options, "init", "--demo")
        served = ServedServer(options)
        try:
            yield Server(request.param, options, served)
        finally:
            served.stop()


@pytest.fixture(scope="module")
def forms() -> FormSet:
    return load_form_set()


def add_entries(data_dir: Path, forms: FormSet, count: int, *, start: int = 0, big: bytes | None = None,
                opd: tuple[str, str] | None = None, status: str = "ready") -> list[str]:
    """``count`` planning entries with valid data and their documents (``big`` as the KAK when given),
    each on its own process; brought to ``status`` ("draft", "ready" or "queued"). Their uids."""
    repo = SqlRepository.open(data_dir)
    uids = []
    try:
        for n in range(start, start + count):
            code, name = opd or (PROCESS["opd_code"], PROCESS["opd_name"])
            process = repo.create_process(NewProcess(title=f"{PROCESS['title']} {n}", opd_code=code, opd_name=name,
                                                     year=PROCESS["year"], kode_rup=str(41234567 + n)), PREFIX)
            entry = save_draft(repo, forms, process.id, Stage.PLANNING, valid_data("planning")).entry
            repo.add_attachment(entry.id, PDF + b"dpa", "dpa.pdf", "dpa")
            repo.add_attachment(entry.id, big if big is not None else PDF + b"kak" + str(n).encode(), "kak.pdf", "kak")
            if status in ("ready", "queued"):
                entry = mark_ready(repo, forms, entry.id).entry
            if status == "queued":
                queue(repo, entry.id)
            uids.append(entry.uid)
    finally:
        repo.close()
    return uids


def invalid_draft(data_dir: Path, forms: FormSet, n: int = 900) -> str:
    """A planning draft that cannot be marked ready (no data, no documents)."""
    repo = SqlRepository.open(data_dir)
    try:
        process = repo.create_process(NewProcess(title=f"Paket kosong {n}", opd_code=PROCESS["opd_code"],
                                                 opd_name=PROCESS["opd_name"], year=PROCESS["year"],
                                                 kode_rup=str(51234567 + n)), PREFIX)
        return save_draft(repo, forms, process.id, Stage.PLANNING, {"pagu": 5}).entry.uid
    finally:
        repo.close()


@pytest.fixture(autouse=True)
def _no_proxy_env(monkeypatch):
    """requests honours *_PROXY variables; the tests talk to loopback only."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    os.environ.setdefault("NO_PROXY", "127.0.0.1")


def tamper(server: Server, sql: str, params: tuple) -> None:
    """Change the server's database behind its back (``?`` placeholders), as a broken or tampered
    server would have: for tests that the client believes only receipts for exactly what it sent."""
    if server.kind == "sqlite":
        path = Path(server.options[server.options.index("--data-dir") + 1]) / "odc-server.sqlite3"
        conn = sqlite3.connect(path, timeout=30)
        try:
            with conn:
                conn.execute(sql, params)
        finally:
            conn.close()
        return
    import psycopg

    url = server.options[server.options.index("--db") + 1].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn:
        conn.execute(sql.replace("?", "%s"), params)
