"""Make tests/data/store_v4/: a local store as schema version 4 left it (frozen; do not re-run).

Run once with the code of schema version 4 (main before the store's step 5):
``python tests/data/make_store_v4.py``. It takes the frozen version 3 store, lets the version 4 code
upgrade it, and adds what only version 4 has: an outbox row (the ready tender queued), sync state.
``tests/unit/test_store_upgrade_v5.py`` upgrades a copy of it to version 5.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from odc_desktop.domain.statuses import EntryStatus
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.workflow import queue

HERE = Path(__file__).parent
OUT = HERE / "store_v4"


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    shutil.copytree(HERE / "store_v3", OUT)
    repo = SqlRepository.open(OUT)
    ready = repo.iter_entries({EntryStatus.READY})
    queue(repo, ready[0].id, actor="pembuat")
    repo.set_sync_state("cursor", "7")
    repo.set_sync_state("username", "operator")
    repo.close()
    (OUT / "odc.sqlite3.clean").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
