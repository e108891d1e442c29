"""Process-list benchmark on 100,000 processes, through the real model and DB thread.

"open"   = list_process_ids() with no filter + model.set_ids + the first page of rows loaded;
"search" = list_process_ids(text) + set_ids + the first page, median over several typical searches.
"sort"   = the same as "open" sorted by each other column (a header click), ascending, and the
           "jembatan" search sorted by name; reported, no target of its own.
"pinned" = "open" and "search" as the list page does them (returned_entries.list_job: the processes with
           a returned entry found too and pinned first), against the plain open/search of the same run.
Prints one JSON object as the last line: ``{"open_ms", "search_ms", "sort_ms", "sort_vs_open",
"processes"}``.
Targets: open < 200 ms, search < 50 ms.

    python bench/list.py [--n 100000] [--repeat 9]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from startup import bench_data_dir  # noqa: E402

from odc_desktop.domain.model import ProcessFilter, ProcessOrder, SortKey  # noqa: E402
from odc_desktop.storage.sql import SqlRepository  # noqa: E402
from odc_desktop.ui.process_list_model import ProcessListModel  # noqa: E402
from odc_desktop.ui.returned_entries import list_job  # noqa: E402
from odc_desktop.ui.workers import DbRunner  # noqa: E402

SEARCHES = ["jembatan", "kalitidu", "30012345", "dinas nomor 07", "drainase desa dander"]


def open_list(db: DbRunner, model: ProcessListModel, flt: ProcessFilter,
              order: ProcessOrder = ProcessOrder(), pinned: bool = False) -> float:
    """Milliseconds from asking for the ids to the first page of rows being in the model."""
    loop = QEventLoop()
    model.rows_did_load.connect(loop.quit)
    start = time.perf_counter()

    def ids_did_arrive(ids: list[int]) -> None:
        if not pinned:
            model.set_ids(ids)
        if ids:
            model.index(0, 0).data()  # what the view does when it paints the first row
        else:
            QTimer.singleShot(0, loop.quit)

    if pinned:
        db.run(list_job(flt, order), lambda found: (model.set_ids(found.ids, found.returned),
                                                     ids_did_arrive(found.ids)))
    else:
        db.run(lambda repo: repo.list_process_ids(flt, order), ids_did_arrive)
    loop.exec()
    elapsed = (time.perf_counter() - start) * 1000
    model.rows_did_load.disconnect(loop.quit)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description="Process list open/search times")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    data_dir = bench_data_dir(args.n)
    app = QApplication([])
    repo = SqlRepository.open(data_dir)
    db = DbRunner(repo)
    model = ProcessListModel(db)
    open_list(db, model, ProcessFilter())  # warm caches once, as a running app would have
    opens = [open_list(db, model, ProcessFilter()) for _ in range(args.repeat)]
    per_search = {text: statistics.median(open_list(db, model, ProcessFilter(text=text))
                                          for _ in range(args.repeat)) for text in SEARCHES}
    per_sort = {key.value: statistics.median(open_list(db, model, ProcessFilter(), ProcessOrder(key, False))
                                             for _ in range(args.repeat))
                for key in SortKey if key is not SortKey.UPDATED}
    per_sort["jembatan by title"] = statistics.median(
        open_list(db, model, ProcessFilter(text="jembatan"), ProcessOrder(SortKey.TITLE, False))
        for _ in range(args.repeat))
    pinned_opens = [open_list(db, model, ProcessFilter(), pinned=True) for _ in range(args.repeat)]
    pinned_search = statistics.median(statistics.median(open_list(db, model, ProcessFilter(text=text), pinned=True)
                                                        for _ in range(args.repeat)) for text in SEARCHES)
    returned = db.run(list_job(ProcessFilter(), ProcessOrder())).result().returned
    for key, ms in per_sort.items():
        print(f"sort {key}: {ms:.1f} ms")
    for text, ms in per_search.items():
        hits = db.run(lambda r, t=text: r.list_process_ids(ProcessFilter(text=t))).result()
        print(f"search {text!r}: {ms:.1f} ms, {len(hits)} hits")
    db.shutdown()
    repo.close()
    del app
    print(json.dumps({"open_ms": round(statistics.median(opens), 1),
                      "search_ms": round(statistics.median(per_search.values()), 1),
                      "sort_ms": {key: round(ms, 1) for key, ms in per_sort.items()},
                      # against the unsorted open of the same run: what a header click adds
                      "sort_vs_open": {key: round(ms / statistics.median(opens), 2)
                                       for key, ms in per_sort.items()},
                      "open_pinned_ms": round(statistics.median(pinned_opens), 1),
                      "search_pinned_ms": round(pinned_search, 1),
                      "pinned_vs_open": round(statistics.median(pinned_opens) / statistics.median(opens), 2),
                      "pinned_vs_search": round(pinned_search / statistics.median(per_search.values()), 2),
                      "returned_processes": returned, "processes": args.n}))


if __name__ == "__main__":
    main()
