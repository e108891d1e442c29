"""Benchmark of the bulk write path: importing generated ISB rows, and ``odc demo-data``.

1. ``--rows`` generated ISB rows (bench/isb_rows.py: RUP packages and their tender announcements)
   read by the importers and stored by ``workflow.import_rows`` (the store's bulk path), in rows per
   second: reading and storing separately and together. Baseline in the same run: the same rows (the
   first ``--baseline-rows``) stored the per-row way (``create_process`` + ``save_draft`` per stage,
   100 processes per transaction), which is how imports and demo data wrote before the bulk path;
   and the same files read with the form check's compiled shortcut off (every stage row walked by
   jsonschema, as before the shortcut): ``read_speedup``; and read with cyclic garbage collection
   running (not paused as in ``domain/bulk_work.py``): ``read_gc_speedup``.
2. ``odc demo-data --processes N`` as a real subprocess, in processes per second; baseline in the
   same run: the per-process path of demo data (still used when attachments are asked for) on
   ``--baseline-processes`` processes.

Each rate is also given per CPU second of the measured process (``…_per_cpu_s``: what the work costs,
whatever else the machine runs). Prints one JSON line last with ``import_rows_per_s`` and
``demo_processes_per_s``:
``python bench/import.py --rows 20000 --processes 10000``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.isb_rows import write_isb_files  # noqa: E402
from odc_desktop.demo import data as demo  # noqa: E402
from odc_desktop.domain.forms.definition import load_form_set  # noqa: E402
from odc_desktop.domain.model import NewProcess  # noqa: E402
from odc_desktop.domain.statuses import Stage  # noqa: E402
from odc_desktop.importers import read_isb_files  # noqa: E402
from odc_desktop.storage.sql import SqlRepository  # noqa: E402
from odc_desktop.workflow import import_rows, save_draft  # noqa: E402

PREFIX = "ocds-bench0"


def _per_row_baseline(forms, rows, folder: Path) -> float:
    """Rows per second stored one call per process and per stage (the path before the bulk one)."""
    repo = SqlRepository.open(folder)
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.process_key, []).append(row)
    started = time.perf_counter()
    items = iter(groups.values())
    while chunk := list(itertools.islice(items, 100)):
        with repo.batch():
            for group in chunk:
                f = next(r.process_fields for r in group if r.process_fields.get("title"))
                process = repo.create_process(NewProcess(f["title"], f["opd_code"], f.get("opd_name") or "",
                                                         int(f["year"]), f.get("kode_rup")), PREFIX)
                for row in group:
                    save_draft(repo, forms, process.id, Stage(row.stage), row.data)
    elapsed = time.perf_counter() - started
    repo.close()
    return len(rows) / elapsed


def _read_without_shortcut(files, forms) -> float:
    """Seconds to read ``files`` with every stage row checked by the jsonschema walk (no shortcut)."""
    from odc_desktop.domain.forms import entry_checks

    shortcut = entry_checks._passes_quickly
    entry_checks._passes_quickly = lambda *_args: False
    try:
        started = time.perf_counter()
        read_isb_files(files, forms)
        return time.perf_counter() - started
    finally:
        entry_checks._passes_quickly = shortcut


def _read_collecting(files, forms) -> float:
    """Seconds to read ``files`` with cyclic garbage collection running throughout."""
    import contextlib

    from odc_desktop.importers import isb

    paused = isb.collector_paused
    isb.collector_paused = contextlib.nullcontext
    try:
        started = time.perf_counter()
        read_isb_files(files, forms)
        return time.perf_counter() - started
    finally:
        isb.collector_paused = paused


def bench_import(rows: int, baseline_rows: int, work: Path) -> dict:
    forms = load_form_set()
    files = write_isb_files(work / "isb", rows)
    started, cpu = time.perf_counter(), time.process_time()
    batch = read_isb_files(files, forms)
    read_s = time.perf_counter() - started
    repo = SqlRepository.open(work / "bulk")
    started = time.perf_counter()
    result = import_rows(repo, forms, batch.rows, PREFIX)
    store_s = time.perf_counter() - started
    cpu_s = time.process_time() - cpu  # this process's CPU time: what a loaded machine does not change
    assert result.counts()["created"] == len(batch.rows), result.counts()
    assert repo.verify_audit_chain().ok
    repo.close()
    baseline = _per_row_baseline(forms, batch.rows[:baseline_rows], work / "per_row")
    full_check_s = _read_without_shortcut(files, forms)
    collecting_s = _read_collecting(files, forms)
    stored = len(batch.rows)
    return {"rows": rows, "read_s": round(read_s, 2), "store_s": round(store_s, 2),
            "read_rows_per_s": round(rows / read_s), "store_rows_per_s": round(stored / store_s),
            "import_rows_per_s": round(rows / (read_s + store_s)), "import_rows_per_cpu_s": round(rows / cpu_s),
            "baseline_per_row_store_rows_per_s": round(baseline),
            "store_speedup": round(stored / store_s / baseline, 1),
            "read_full_check_rows_per_s": round(rows / full_check_s), "read_speedup": round(full_check_s / read_s, 2),
            "read_gc_on_rows_per_s": round(rows / collecting_s), "read_gc_speedup": round(collecting_s / read_s, 2)}


def bench_demo(processes: int, baseline_processes: int, work: Path) -> dict:
    import resource

    data_dir = work / "demo"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "odc_desktop.cli", "--data-dir", str(data_dir), "demo-data",
                           "--processes", str(processes)], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu_s = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    assert done.returncode == 0, done.stderr
    forms = load_form_set()
    repo = SqlRepository.open(work / "demo_baseline")
    rng, summary = random.Random("bench"), demo.DemoSummary()
    plans = demo._plans(forms, baseline_processes, 1, dt.date.today())
    started = time.perf_counter()
    while chunk := list(itertools.islice(plans, demo.BATCH_PROCESSES)):
        with repo.batch():
            for planned in chunk:
                demo._write_process(repo, forms, rng, planned, PREFIX, 0, 1, 0, summary)
    baseline = baseline_processes / (time.perf_counter() - started)
    repo.close()
    return {"processes": processes, "demo_s": round(elapsed, 2),
            "demo_processes_per_s": round(processes / elapsed),
            "demo_processes_per_cpu_s": round(processes / child_cpu_s),
            "baseline_per_process_processes_per_s": round(baseline),
            "demo_speedup": round(processes / elapsed / baseline, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--baseline-rows", type=int, default=2_000)
    parser.add_argument("--processes", type=int, default=10_000)
    parser.add_argument("--baseline-processes", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="odc-bench-import-") as tmp:
        work = Path(tmp)
        imported = bench_import(args.rows, args.baseline_rows, work)
        print(json.dumps({"import": imported}), flush=True)
        made = bench_demo(args.processes, args.baseline_processes, work)
        print(json.dumps({"demo": made}), flush=True)
    print(json.dumps({"import_rows_per_s": imported["import_rows_per_s"],
                      "import_rows_per_cpu_s": imported["import_rows_per_cpu_s"],
                      "store_rows_per_s": imported["store_rows_per_s"],
                      "demo_processes_per_s": made["demo_processes_per_s"],
                      "demo_processes_per_cpu_s": made["demo_processes_per_cpu_s"],
                      "import_store_speedup": imported["store_speedup"], "import_read_speedup": imported["read_speedup"],
                      "import_read_gc_speedup": imported["read_gc_speedup"],
                      "demo_speedup": made["demo_speedup"]}))


if __name__ == "__main__":
    main()
