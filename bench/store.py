"""Benchmark of the local store at scale: bulk insert and process-list queries on 100,000 processes.

Prints one JSON line of timings in milliseconds (median of several runs per query), e.g.
``python bench/store.py --n 100000``. Run it on the target hardware; nothing here is a timed test.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from odc_desktop.domain.model import NewProcess, ProcessFilter
from odc_desktop.domain.statuses import EntryStatus, Stage
from odc_desktop.storage.sql import SqlRepository

WORKS = ["Pembangunan Jalan", "Rehabilitasi Gedung", "Pengadaan Alat Kesehatan", "Peningkatan Jembatan",
         "Normalisasi Saluran", "Pengadaan Komputer", "Pembangunan Drainase", "Belanja Jasa Konsultansi"]
PLACES = ["Ngasem", "Kalitidu", "Dander", "Padangan", "Sumberrejo", "Baureno", "Kepohbaru", "Temayang"]


def make_rows(n: int, rng: random.Random) -> list[NewProcess]:
    """n synthetic processes over 40 OPDs and 8 years; 70% with a kode RUP."""
    rows = []
    for i in range(n):
        opd = rng.randrange(40)
        rows.append(NewProcess(
            title=f"{rng.choice(WORKS)} Desa {rng.choice(PLACES)} Paket {i}",
            opd_code=f"1.{opd:02d}.0.00", opd_name=f"Dinas Nomor {opd:02d}", year=2019 + i % 8,
            kode_rup=str(30_000_000 + i) if rng.random() < 0.7 else None))
    return rows


def timed(fn, repeat: int = 7) -> float:
    """Median wall time of fn() in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def main() -> None:
    """Build a store of --n processes in a temporary dir and time the list queries."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        repo = SqlRepository.open(Path(tmp))
        rows = make_rows(args.n, rng)
        start = time.perf_counter()
        repo.bulk_insert_processes(rows, "ocds-bench")
        insert_ms = round((time.perf_counter() - start) * 1000, 1)
        # Give a fifth of the processes real entries' statuses spread over stages, the way saved
        # entries would leave them (entries themselves are irrelevant to list speed).
        with repo._write() as conn:
            conn.exec_driver_sql("UPDATE processes SET statuses = 'planning=approved,tender=draft,', "
                                 "current_stage = 'tender' WHERE id % 5 = 0")
            conn.exec_driver_sql("UPDATE processes SET statuses = 'planning=ready,' WHERE id % 7 = 0")
        queries = {
            "all": ProcessFilter(),
            "text_jalan": ProcessFilter(text="jalan"),
            "text_rare": ProcessFilter(text="paket 4242"),
            "text_short": ProcessFilter(text="ng"),
            "opd": ProcessFilter(opd_code="1.07.0.00"),
            "year": ProcessFilter(year=2024),
            "stage": ProcessFilter(stage=Stage.TENDER),
            "status": ProcessFilter(status=EntryStatus.READY),
            "all_filters": ProcessFilter(text="jalan", opd_code="1.07.0.00", year=2024,
                                         stage=Stage.TENDER, status=EntryStatus.DRAFT),
            "text_status": ProcessFilter(text="desa", status=EntryStatus.DRAFT),
        }
        result = {"n": args.n, "bulk_insert_ms": insert_ms}
        for name, flt in queries.items():
            result[f"list_{name}_ms"] = timed(lambda f=flt: repo.list_process_ids(f))
            result[f"list_{name}_hits"] = len(repo.list_process_ids(flt))
        page = repo.list_process_ids()[5000:5100]
        result["rows_page100_ms"] = timed(lambda: repo.get_process_rows(page))
        result["count_ms"] = timed(repo.count_processes)
        result["list_opds_ms"] = timed(repo.list_opds)
        result["list_years_ms"] = timed(repo.list_years)
        repo.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
