"""Fixtures of the server tests: an initialised, served `odc-server` per module on SQLite and on
PostgreSQL, and signed-in test devices."""

from __future__ import annotations

import dataclasses
from typing import Iterator

import pytest

from tests.server.api import Api
from tests.server.harness import ServedServer, database, run

OTHER_OPD = "1.02.0.00.0.00.05.0000"  # Dinas Kesehatan
BACKENDS = ["sqlite", "postgresql"]


@dataclasses.dataclass
class Served:
    kind: str
    options: list[str]
    server: ServedServer

    @property
    def url(self) -> str:
        return self.server.url

    def device(self, username: str = "operator", password: str | None = None) -> Api:
        api = Api(self.url)
        assert api.login(username, password or username).status_code == 200
        assert api.register().status_code == 201
        return api


@pytest.fixture(scope="module", params=BACKENDS)
def served(request, tmp_path_factory) -> Iterator[Served]:
    """`odc-server init --demo` plus an operator of another OPD, then `serve`, on each backend."""
    data_dir = tmp_path_factory.mktemp(f"server-{request.param}")
    with database(request.param, data_dir) as options:
        run(options, "init", "--demo")
        run(options, "create-user", "--username", "kesehatan", "--password", "kesehatan", "--role", "operator",
            "--opd", OTHER_OPD)
        server = ServedServer(options)
        try:
            yield Served(request.param, options, server)
        finally:
            server.stop()


@pytest.fixture
def operator(served: Served) -> Iterator[Api]:
    api = served.device("operator")
    yield api
    api.close()
