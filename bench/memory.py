"""Memory benchmark: peak RSS of ``odc demo-data`` and ``odc export`` at 2,000 and 20,000 processes.

Each command runs as a real subprocess of a small wrapper process, which reports
``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``: the peak of that one command. The baseline,
measured in the same run, is the peak of ``odc forms list`` (the interpreter, our modules and the
forms, with no store work). Memory is flat in the size of the data when the peak at 20,000 processes
is about the peak at 2,000. Prints one JSON object as the last line:
``{"export_peak_mb", "demo_peak_mb", "baseline_mb", "sizes": {N: {"demo_mb", "export_mb", ...}}}``.
Target: both peaks < 300 MB.

    python bench/memory.py [--sizes 2000 20000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ODC = [sys.executable, "-m", "odc_desktop.cli"]
WRAPPER = ("import resource, subprocess, sys\n"
           "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
           "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def peak_mb(*args: str) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of one ``odc`` command run as a fresh subprocess."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", WRAPPER, *ODC, *args], capture_output=True, text=True,
                         check=True)
    code, kb = out.stdout.split()
    if code != "0":
        raise SystemExit(f"odc {' '.join(args)} failed ({code}): {out.stderr}")
    return round(int(kb) / 1024, 1), round(time.perf_counter() - start, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="odc-bench-memory-"))
    try:
        baseline, _ = peak_mb("--data-dir", str(root / "empty"), "forms", "list")
        sizes = {}
        for n in args.sizes:
            data = root / f"data-{n}"
            demo_mb, demo_s = peak_mb("--data-dir", str(data), "demo-data", "--processes", str(n))
            export_mb, export_s = peak_mb("--data-dir", str(data), "export", "--out", str(root / f"out-{n}.json"))
            size_mb = round((root / f"out-{n}.json").stat().st_size / 1_048_576, 1)
            sizes[n] = {"demo_mb": demo_mb, "demo_s": demo_s, "export_mb": export_mb, "export_s": export_s,
                        "export_file_mb": size_mb}
            print(f"{n} processes: demo-data {demo_mb} MB ({demo_s} s), export {export_mb} MB ({export_s} s, "
                  f"{size_mb} MB written)", flush=True)
            shutil.rmtree(data, ignore_errors=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps({"export_peak_mb": max(s["export_mb"] for s in sizes.values()),
                      "demo_peak_mb": max(s["demo_mb"] for s in sizes.values()),
                      "baseline_mb": baseline, "sizes": sizes}))


if __name__ == "__main__":
    main()
