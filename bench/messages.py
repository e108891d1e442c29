"""Benchmark: what the message catalogue costs, against the tables it replaced, in one run.

1. One message said (``text()`` with three parameters, as ``odc validate`` says one per problem) against
   the replaced way: a ``{"id", "en"}`` dict looked up and ``str.format``-ed. Best of ``--repeat``.
2. The first message of an area in a fresh process (its ``.mo`` current, so no Babel): the time to
   load the ``stage`` and ``status`` areas the app's list needs (their titles said), against the same
   process's ``import odc_desktop.cli``. Median of ``--repeat`` processes.

The last printed line is one JSON object. Run from the repository root: ``python bench/messages.py``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import timeit
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from odc_desktop.messages import text  # noqa: E402

TABLE = {"duplicate_id": {
    "id": "id '{id}' dipakai lebih dari sekali dalam {array} (pertama di {first}). Setiap isian {array} "
          "harus punya id sendiri.",
    "en": "id '{id}' is used more than once in {array} (first at {first}). Each entry of {array} needs "
          "its own id."}}
PARAMS = {"id": "a1", "array": "awards", "first": "awards/0"}

FIRST_LOAD = """
import time
t0 = time.perf_counter()
import odc_desktop.cli
from odc_desktop.domain.statuses import EntryStatus, Stage
t1 = time.perf_counter()
[s.title("id") for s in Stage] + [s.title("id") for s in EntryStatus]
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def _per_call(func, number: int, repeat: int) -> float:
    return min(timeit.repeat(func, number=number, repeat=repeat)) / number


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", type=int, default=100_000)
    args = parser.parse_args()

    text("ocds.duplicate_id", "id", **PARAMS)  # the area loaded (and compiled when its .po changed)
    catalogue = _per_call(lambda: text("ocds.duplicate_id", "id", **PARAMS), args.number, args.repeat)
    table = _per_call(lambda: TABLE["duplicate_id"]["id"].format(**PARAMS), args.number, args.repeat)
    print(f"one message: catalogue {catalogue * 1e6:.2f} us, table {table * 1e6:.2f} us")

    runs = []
    for _ in range(args.repeat):
        out = subprocess.run([sys.executable, "-c", FIRST_LOAD], capture_output=True, text=True, check=True,
                             cwd=REPO)
        runs.append(tuple(float(x) for x in out.stdout.split()))
    cli_import = statistics.median(r[0] for r in runs)
    first_titles = statistics.median(r[1] for r in runs)
    print(f"fresh process: import odc_desktop.cli {cli_import * 1e3:.1f} ms, "
          f"first stage and status titles {first_titles * 1e3:.2f} ms")
    print(json.dumps({"message_us": round(catalogue * 1e6, 2), "table_us": round(table * 1e6, 2),
                      "message_vs_table": round(catalogue / table, 2),
                      "cli_import_ms": round(cli_import * 1e3, 1), "first_titles_ms": round(first_titles * 1e3, 2),
                      "first_titles_vs_cli_import": round(first_titles / cli_import, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
