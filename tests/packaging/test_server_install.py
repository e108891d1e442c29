"""odc-server installs (the core plus the `server` extra) and runs without PySide6: init --demo, serve,
/health. Installed offline from the wheelhouse, like the core (see test_core_install.py)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.packaging.test_core_install import _run, install_fresh

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    return install_fresh(tmp_path_factory.mktemp("server-install"), "[server]")


def test_odc_server_installs_and_serves_without_pyside6(server_env, tmp_path: Path) -> None:
    bin_dir, env = server_env
    probe = _run([str(bin_dir / "python"), "-c", "import importlib.util, json; "
                  "print(json.dumps(importlib.util.find_spec('PySide6') is None))"], env, tmp_path)
    assert json.loads(probe.stdout) is True
    odc_server = str(bin_dir / "odc-server")
    data = tmp_path / "server-data"
    init = _run([odc_server, "--data-dir", str(data), "init", "--demo"], env, tmp_path)
    assert init.returncode == 0, init.stderr
    assert "operator / operator" in init.stdout
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    serve = subprocess.Popen([odc_server, "--data-dir", str(data), "serve", "--port", str(port)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        answer = None
        for _ in range(300):  # bounded wait for the port to answer
            assert serve.poll() is None, serve.stderr.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=1) as response:
                    answer = json.loads(response.read())
                    break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        assert answer is not None and answer["status"] == "ok" and answer["protocol"] == 3
    finally:
        serve.terminate()
        serve.wait(timeout=20)
        serve.stderr.close()
