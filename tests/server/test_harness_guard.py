"""The test harness's served server does not outlive a test run that is killed: the process that
started it is SIGKILLed, and the server goes too (it would otherwise hold its port and database)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.server.harness import run

STARTER = """
import sys, time
from tests.server.harness import ServedServer
server = ServedServer(["--data-dir", sys.argv[1]])
print(server.process.pid, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (dead, not yet reaped by init) counts as gone
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_a_served_server_stops_when_the_test_process_that_started_it_is_killed(tmp_path):
    run(["--data-dir", str(tmp_path)], "init")
    root = Path(__file__).resolve().parents[2]
    starter = subprocess.Popen([sys.executable, "-c", STARTER, str(tmp_path)], cwd=root,
                               stdout=subprocess.PIPE, text=True)
    try:
        server_pid = int(starter.stdout.readline())
        assert _alive(server_pid)
        starter.kill()
        starter.wait()
        for _ in range(300):  # bounded: up to 300 looks, 0.1 s apart
            if not _alive(server_pid):
                break
            time.sleep(0.1)
        assert not _alive(server_pid), "the served server outlived the killed test process"
    finally:
        starter.kill()
        starter.stdout.close()
