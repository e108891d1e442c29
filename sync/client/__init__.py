"""The sync client engine (no Qt, no threads of its own).

The app (on its network worker) and the ``odc`` CLI call:

* :func:`login(repo, data_dir, server_url, username, password) <odc_sync.client.account.login>` — sign in,
  register this device's Ed25519 key, pin the server's receipt key (kept in ``sync_state``; the device
  key in ``<data_dir>/device.key``, mode 0600);
* :class:`SyncEngine(repo, data_dir, is_cancelled=…, on_progress=…) <odc_sync.client.engine.SyncEngine>`
  and its ``run()`` → :class:`~odc_sync.client.engine.SyncSummary` (one run: upload, push, pull);
* :func:`~odc_sync.client.account.signed_in` and :class:`~odc_sync.client.http.SyncError` (``sync.*``
  codes said in Indonesian or English from the message catalogue).
"""

from odc_sync.client.account import login, signed_in
from odc_sync.client.engine import SyncEngine, SyncSummary
from odc_sync.client.http import Cancelled, SyncError

__all__ = ["Cancelled", "SyncEngine", "SyncError", "SyncSummary", "login", "signed_in"]
