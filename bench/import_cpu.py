"""CPU seconds of reading and storing 20,000 generated ISB rows, for comparing two source trees on a
loaded machine (CPU time is what other processes do not change):

    git archive main | tar -x -C /tmp/main-tree
    PYTHONPATH=/tmp/main-tree python bench/import_cpu.py      # the tree on PYTHONPATH is measured
    PYTHONPATH=. python bench/import_cpu.py

Prints one JSON line: the tree, CPU seconds of reading and of reading + storing, rows per CPU second.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import odc_desktop
from bench.isb_rows import write_isb_files
from odc_desktop.domain.forms.definition import load_form_set
from odc_desktop.importers import read_isb_files
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.workflow import import_rows

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000


def main() -> None:
    forms = load_form_set()
    with tempfile.TemporaryDirectory(prefix="odc-bench-cpu-") as tmp:
        files = write_isb_files(Path(tmp) / "isb", ROWS)
        started = time.process_time()
        batch = read_isb_files(files, forms)
        read_cpu = time.process_time() - started
        repo = SqlRepository.open(Path(tmp) / "store")
        import_rows(repo, forms, batch.rows, "ocds-bench0")
        total_cpu = time.process_time() - started
        repo.close()
    print(json.dumps({"tree": str(Path(odc_desktop.__file__).parents[1]), "read_cpu_s": round(read_cpu, 2),
                      "total_cpu_s": round(total_cpu, 2), "rows_per_cpu_s": round(ROWS / total_cpu)}))


if __name__ == "__main__":
    main()
