"""Run the real ``odc`` command line as a subprocess, and make demo stores with it (shared by tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ODC = [sys.executable, "-m", "odc_desktop.cli"]


def odc(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``odc ARGS`` run to its end (in ``cwd`` when given); text output captured."""
    return subprocess.run(ODC + list(args), capture_output=True, text=True, timeout=300, cwd=cwd)


def demo_store(folder: Path, *args: str) -> Path:
    """``folder`` filled by ``odc demo-data ARGS`` (which must succeed)."""
    made = odc("demo-data", *args, "--data-dir", str(folder))
    assert made.returncode == 0, made.stderr
    return folder
