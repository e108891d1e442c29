"""Benchmark of one autosave through the workflow against the floor of a durable SQLite write.

An autosave (``workflow.save_draft`` on an entry with documents) recomputes the content identity,
bumps the edit counter, refreshes the process row and appends an audit record, in one
``synchronous=FULL`` transaction. Its baseline, measured in the same run on the same disk, is one
plain ``sqlite3`` UPDATE of the same JSON with the store's pragmas, committed: the cost of durability
alone. Prints the median of each and their ratio as one JSON line:
``python bench/autosave.py --saves 300``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from odc_desktop.domain.forms.definition import load_form_set
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import Stage
from odc_desktop.storage.db import connect
from odc_desktop.storage.sql import SqlRepository
from odc_desktop import workflow
from odc_desktop.workflow import add_document, save_draft


def _data(n: int) -> dict:
    return {"pagu": 1_000_000 + n, "uraian_pekerjaan": "Rehabilitasi jalan poros desa " * 20}


def autosave_ms(folder: Path, saves: int) -> list[float]:
    forms = load_form_set()
    repo = SqlRepository.open(folder)
    try:
        process = workflow.create_process(repo, NewProcess("Jalan Desa Napis", "1.03", "Dinas PU", 2026), "ocds-x")
        entry = save_draft(repo, forms, process.id, Stage.PLANNING, _data(0)).entry
        for k in range(5):
            add_document(repo, entry.id, b"%PDF-1.4 " + bytes([k]) * 2000, f"{k}.pdf", "dpa")
        times = []
        for n in range(1, saves + 1):
            start = time.perf_counter()
            save_draft(repo, forms, process.id, Stage.PLANNING, _data(n), entry_id=entry.id)
            times.append((time.perf_counter() - start) * 1000)
        return times
    finally:
        repo.close()


def floor_ms(folder: Path, saves: int) -> list[float]:
    conn = connect(folder / "floor.sqlite3")
    try:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, data TEXT NOT NULL)")
        conn.execute("INSERT INTO t VALUES (1, '{}')")
        times = []
        for n in range(1, saves + 1):
            start = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE t SET data = ? WHERE id = 1", (json.dumps(_data(n)),))
            conn.execute("COMMIT")
            times.append((time.perf_counter() - start) * 1000)
        return times
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        floor = statistics.median(floor_ms(Path(folder), args.saves))
        autosave = statistics.median(autosave_ms(Path(folder) / "store", args.saves))
    print(json.dumps({"saves": args.saves, "floor_ms": round(floor, 2), "autosave_ms": round(autosave, 2),
                      "ratio": round(autosave / floor, 2)}))


if __name__ == "__main__":
    main()
