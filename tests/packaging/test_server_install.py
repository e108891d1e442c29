"""odc-server installs (the core plus the `server` extra) and runs without PySide6: init --demo, serve,
/health. Installed offline from the wheelhouse, like the core (see test_core_install.py)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.packaging.test_core_install import REPO, SOURCES, _run, _wheelhouse

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    import os

    house = _wheelhouse()
    root = tmp_path_factory.mktemp("server-install")
    source = root / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SOURCES:
        path = REPO / name
        (shutil.copytree(path, source / name, ignore=ignore) if path.is_dir() else shutil.copy2(path, source / name))
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV", "ODC_", "QT_"))}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_CONFIG_FILE=os.devnull)
    venv = root / "venv"
    assert _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], env, root).returncode == 0
    installed = _run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
                      "--no-index", "--find-links", str(house), f"{source}[server]"], env, root)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return venv / "bin", env


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
        assert answer is not None and answer["status"] == "ok" and answer["protocol"] == 1
    finally:
        serve.terminate()
        serve.wait(timeout=20)
        serve.stderr.close()
