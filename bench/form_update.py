"""Benchmark of what a sync does after a new form version arrives: moving drafts (sync/client/forms.py).

A store made by ``odc demo-data --processes N`` (a real subprocess; its planning drafts carry a field
the new version drops without declaring it, so none can move and every one gets a notice). Planning
version 2 (tests/sync/form_updates.py: a declared rename, an undeclared drop) is stored, then timed:

* ``baseline``: listing the store's drafts and their current forms (what any pass pays);
* ``first``: the first pass after the version arrived (``move_drafts``: a migration tried per draft);
* ``again``: a later sync while the notices are pending (drafts unchanged: told again, not retried).

Prints one JSON line last: ``python bench/form_update.py --processes 2000``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from odc_desktop.domain.statuses import EntryStatus  # noqa: E402
from odc_desktop.form_registry import FormRegistry  # noqa: E402
from odc_desktop.storage.sql import SqlRepository  # noqa: E402
from odc_sync.client.forms import move_drafts  # noqa: E402
from tests.sync.form_updates import RENAME, form_file  # noqa: E402


def timed(call):  # noqa: ANN001, ANN201
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="odc-bench-forms-") as folder:
        data = Path(folder) / "data"
        subprocess.run([sys.executable, "-m", "odc_desktop.cli", "demo-data", "--processes", str(args.processes),
                        "--data-dir", str(data)], check=True, capture_output=True)
        repo = SqlRepository.open(data)
        registry = FormRegistry.open(data)
        registry.add(form_file(Path(folder), 2, RENAME))
        baseline, drafts = timed(lambda: [(e.uid, registry.current(e.stage.value).version)
                                          for e in repo.iter_entries({EntryStatus.DRAFT})])
        first, (moved, notices) = timed(lambda: move_drafts(repo, registry))
        again, (_, notices_again) = timed(lambda: move_drafts(repo, registry))
        repo.close()
    found = {"drafts": len(drafts), "moved": moved, "notices": len(notices), "baseline_s": round(baseline, 3),
             "first_s": round(first, 3), "again_s": round(again, 3),
             "first_over_baseline": round(first / baseline, 2), "again_over_baseline": round(again / baseline, 2)}
    assert len(notices_again) == len(notices)
    print(json.dumps(found))


if __name__ == "__main__":
    main()
