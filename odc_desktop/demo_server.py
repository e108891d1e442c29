"""The local `odc-server` that ``odc-desktop --demo`` runs beside the app (Qt-free).

:class:`DemoServer` keeps the server's own data folder inside the demo data folder (``server/``),
runs ``odc-server init --demo`` there once (the demo accounts ``operator``/``operator``,
``supervisor``/``supervisor``, ``admin``/``admin``), then serves on a free loopback port and waits
until ``/api/v1/health`` answers.

The server must never outlive the app, also when the app crashes or is killed. So it does not run
``odc-server serve`` directly but this module (``python -m odc_desktop.demo_server``), which watches
its standard input: the app holds the other end of that pipe, and the operating system closes it
whatever way the app ends. At end of input the server is stopped (and the process ends for certain
a few seconds later). This works the same on Windows, where there is no parent-death signal.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from odc_desktop.messages import CodedError

SERVER_FOLDER = "server"
INIT_MARKER = "demo-init.done"
DEMO_USER = ("operator", "operator")
#: What the server needs beyond the core install (the ``server`` extra).
SERVER_MODULES = ("fastapi", "uvicorn", "alembic", "argon2")
STOP_GRACE_S = 10.0


class DemoServerError(CodedError):
    """The demo server could not be started (area ``app_sync``)."""


def server_installed() -> bool:
    """True when the ``server`` extra is installed (FastAPI, uvicorn, Alembic, argon2)."""
    for name in SERVER_MODULES:
        try:
            if importlib.util.find_spec(name) is None:
                return False
        except (ImportError, ValueError):  # a module blocked or broken in this Python
            return False
    return True


def free_port(preferred: int = 0) -> int:
    """A free loopback port: ``preferred`` when it is free (the demo keeps its address, so the app's
    sign-in and device stay the same from one start to the next), else any."""
    for port in (preferred, 0) if preferred else (0,):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise OSError("no free port")


def _server_cli(folder: Path) -> list[str]:
    return [sys.executable, "-m", "odc_sync.server.cli", "--data-dir", str(folder)]


class DemoServer:
    """A demo `odc-server` in ``<demo data dir>/server`` on a free loopback port (see the module)."""

    def __init__(self, demo_data_dir: Path) -> None:
        self.folder = Path(demo_data_dir) / SERVER_FOLDER
        self.process: subprocess.Popen | None = None
        self.url: str | None = None

    def start(self, timeout: float = 60.0, port: int = 0) -> str:
        """Initialise (once), serve (on ``port`` when it is free) and wait for health; returns the
        server's address. :class:`DemoServerError` when the extra is missing or it does not come up."""
        if not server_installed():
            raise DemoServerError("app_sync.demo_server_missing")
        self.folder.mkdir(parents=True, exist_ok=True)
        if not (self.folder / INIT_MARKER).exists():
            done = subprocess.run([*_server_cli(self.folder), "init", "--demo"], capture_output=True, text=True,
                                  timeout=timeout)
            if done.returncode != 0:
                raise DemoServerError("app_sync.demo_server_failed", reason=(done.stderr or done.stdout).strip()[-300:])
            (self.folder / INIT_MARKER).write_text("init --demo\n", encoding="utf-8")
        port = free_port(port)
        log = open(self.folder / "serve.log", "ab")  # noqa: SIM115 - the child writes it; closed in stop()
        self._log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "odc_desktop.demo_server", "--data-dir", str(self.folder), "--port", str(port)],
            stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{port}"
        self._wait_until_healthy(timeout)
        return self.url

    def _wait_until_healthy(self, timeout: float) -> None:
        from odc_desktop.sync_status import server_answers

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise DemoServerError("app_sync.demo_server_failed", reason=self._log_tail())
            if server_answers(self.url, timeout=1.0):
                return
            time.sleep(0.1)
        self.stop()
        raise DemoServerError("app_sync.demo_server_failed", reason="/api/v1/health")

    def _log_tail(self) -> str:
        try:
            return (self.folder / "serve.log").read_text(encoding="utf-8", errors="replace").strip()[-300:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Close the server's input (it stops itself), then wait; terminate it if it does not. Idempotent."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.stdin:
            process.stdin.close()
        try:
            process.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self._log.close()


# the demo supervisor ---------------------------------------------------------------------------------
DEMO_SUPERVISOR = ("supervisor", "supervisor")
REVIEW_MARKER = "demo-review.json"
#: The note the demo supervisor returns an entry with (the server keeps it as written).
RETURN_NOTE = ("Contoh dari server demo: periksa kembali isian dan dokumen tahap ini, lalu kirim lagi. "
               "(Demo: please check this stage's fields and documents again, then resend.)")


def demo_review(server_url: str, folder: Path, timeout: float = 15.0) -> int:
    """Let the demo supervisor decide through the real review endpoint, so the operator sees both
    outcomes: the first entry waiting for review is approved, the next one returned with a note. Each
    happens once per demo server (remembered in ``folder``). Returns how many decisions were made."""
    import json

    import requests

    from odc_sync.protocol.messages import API_PREFIX

    marker = Path(folder) / REVIEW_MARKER
    done = json.loads(marker.read_text("utf-8")) if marker.exists() else {}
    if "approve" in done and "return" in done:
        return 0
    base, made = server_url.rstrip("/") + API_PREFIX, 0
    with requests.Session() as http:
        answer = http.post(f"{base}/auth/login", json=dict(zip(("username", "password"), DEMO_SUPERVISOR)),
                           timeout=timeout)
        answer.raise_for_status()
        http.headers["Authorization"] = f"Bearer {answer.json()['token']}"
        queue = http.get(f"{base}/review/queue", timeout=timeout)
        queue.raise_for_status()
        for item in queue.json().get("items", []):
            decision = "approve" if "approve" not in done else "return" if "return" not in done else None
            if decision is None:
                break
            notes = [{"field": None, "text": RETURN_NOTE}] if decision == "return" else []
            http.post(f"{base}/review/{item['id']}/decision", timeout=timeout,
                      json={"revision": item["revision"], "decision": decision, "notes": notes}).raise_for_status()
            done[decision], made = item["id"], made + 1
    if made:
        marker.write_text(json.dumps(done), encoding="utf-8")
    return made


# the watched server process ------------------------------------------------------------------------
def _watch_input() -> None:
    """Block until standard input ends (the app closed it, or ended), then stop this process."""
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except OSError:
        pass
    os.kill(os.getpid(), signal.SIGTERM if hasattr(signal, "SIGTERM") else signal.SIGINT)  # uvicorn stops
    time.sleep(5.0)
    os._exit(0)  # it did not stop in time: end for certain


def main(argv: list[str] | None = None) -> int:
    """``python -m odc_desktop.demo_server --data-dir DIR --port N``: serve until stdin ends."""
    parser = argparse.ArgumentParser(prog="odc_desktop.demo_server")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    threading.Thread(target=_watch_input, name="stdin-watch", daemon=True).start()
    from odc_sync.server.cli import main as server_main

    return server_main(["--data-dir", args.data_dir, "serve", "--host", "127.0.0.1", "--port", str(args.port)])


if __name__ == "__main__":
    sys.exit(main())
