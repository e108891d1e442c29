"""Make tests/data/store_v5/: a local store as schema version 5 left it (frozen; do not re-run).

Run once with the code of schema version 5 (main before the store's step 6, commit aa84837):
``python tests/data/make_store_v5.py``. It takes the frozen version 4 store, lets the version 5 code
upgrade it, and adds what a version 5 store of a synced PC has: a server key pinned at login
(``sync_state.server_key``, its private half in ``server_key.txt`` beside the store so tests can sign
more), and the queued tender submitted with a plain receipt (one Ed25519 signature over the receipt,
as protocols 1 and 2 gave it). ``tests/unit/test_store_upgrade_v6.py`` upgrades a copy of it to
version 6.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from odc_desktop.domain.model import Receipt
from odc_desktop.storage.sql import SqlRepository
from odc_desktop.workflow import apply_receipt
from odc_sync.protocol.canonical import b64encode
from odc_sync.protocol.signing import new_private_key, private_key_bytes, public_key_b64, sign_receipt

HERE = Path(__file__).parent
OUT = HERE / "store_v5"


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    shutil.copytree(HERE / "store_v4", OUT)
    repo = SqlRepository.open(OUT)
    key = new_private_key()
    (OUT / "server_key.txt").write_text(b64encode(private_key_bytes(key)) + "\n")
    repo.set_sync_state("server_key", public_key_b64(key))
    entry = repo.get_entry(repo.list_outbox()[0].entry_id)
    signed = sign_receipt(key, {"entry": entry.uid, "revision": entry.revision + 1, "content_sha256": entry.content_sha256,
                                "server_seq": 41, "accepted_at": "2026-11-27T10:00:00Z"})
    apply_receipt(repo, Receipt(entry_uid=entry.uid, server_seq=41, revision=entry.revision + 1,
                                content_sha256=entry.content_sha256, signature=signed["signature"],
                                accepted_at=signed["accepted_at"]), actor="sync")
    repo.close()
    (OUT / "odc.sqlite3.clean").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
