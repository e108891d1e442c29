"""Real `odc-server` processes for the tests: databases (SQLite file or a fresh PostgreSQL database),
`odc-server` commands as subprocesses, and a served instance on a free loopback port.

PostgreSQL comes from ODC_TEST_PG_URL (a role that may create databases; `.ci/run` and
scripts/pg_test_db.sh prepare it). With CI=true a missing or unreachable PostgreSQL fails the tests;
outside CI they are skipped.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Iterator

import httpx
import pytest

ODC_SERVER = [sys.executable, "-m", "odc_sync.server.cli"]
HEALTH = "/api/v1/health"
# Runs argv[2:] with Python after asking Linux to SIGTERM it when its parent dies (PR_SET_PDEATHSIG,
# kept across exec), so a test run that is killed leaves no served server behind; exits at once when
# the parent (pid argv[1]) is already gone.
_ORPHAN_GUARD = ("import ctypes, os, signal, sys\n"
                 "if sys.platform == 'linux':\n"
                 "    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)\n"
                 "    if os.getppid() != int(sys.argv[1]):\n"
                 "        sys.exit(1)\n"
                 "os.execv(sys.executable, [sys.executable, *sys.argv[2:]])")


def pg_admin_url() -> str:
    """The maintenance URL, or skip (outside CI) / fail (CI) when there is none."""
    url = os.environ.get("ODC_TEST_PG_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("ODC_TEST_PG_URL is not set in CI: .ci/run must prepare PostgreSQL")
        pytest.skip("no PostgreSQL configured (set ODC_TEST_PG_URL, see scripts/pg_test_db.sh)")
    return url


@contextlib.contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test server; dropped afterwards."""
    import psycopg

    admin = pg_admin_url()
    name = f"odc_t_{uuid.uuid4().hex[:12]}"
    plain = admin.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL at ODC_TEST_PG_URL is not reachable: {exc}")
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def database(kind: str, data_dir: Path) -> Iterator[list[str]]:
    """The `odc-server` options naming a fresh database of ``kind`` ("sqlite" or "postgresql")."""
    if kind == "sqlite":
        yield ["--data-dir", str(data_dir)]
    else:
        with fresh_pg_database() as url:
            yield ["--data-dir", str(data_dir), "--db", url]


def run(options: list[str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """One `odc-server` command."""
    result = subprocess.run([*ODC_SERVER, *options, *args], capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"odc-server {' '.join(args)} failed ({result.returncode}): {result.stderr}")
    return result


def stats(options: list[str]) -> dict:
    return json.loads(run(options, "stats", "--json").stdout)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServedServer:
    """`odc-server serve` on a free loopback port, waited for until /health answers."""

    def __init__(self, options: list[str], *extra: str) -> None:
        self.options = options
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        guarded = [sys.executable, "-c", _ORPHAN_GUARD, str(os.getpid()), *ODC_SERVER[1:]]
        self.process = subprocess.Popen([*guarded, *options, "serve", "--port", str(self.port), *extra],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self._wait_until_healthy()

    def _wait_until_healthy(self) -> None:
        for _ in range(600):  # bounded: 600 polls at most
            if self.process.poll() is not None:
                raise AssertionError(f"odc-server serve exited: {self.process.stderr.read()}")
            try:
                if httpx.get(self.url + HEALTH, timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise AssertionError("odc-server serve did not answer /health")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream:
                stream.close()
