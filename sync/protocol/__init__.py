"""The sync protocol shared by the client and the server (version :data:`PROTOCOL_VERSION`).

Shapes: :mod:`.messages`; canonical bytes and hashes: :mod:`.canonical`; signatures and receipts:
:mod:`.signing`; error codes and their texts: :mod:`.errors`; tus headers: :mod:`.tus`.
"""

from odc_sync.protocol.canonical import canonical_bytes, content_sha256
from odc_sync.protocol.messages import API_PREFIX, PROTOCOL_VERSION, ItemStatus, Role

__all__ = ["API_PREFIX", "PROTOCOL_VERSION", "ItemStatus", "Role", "canonical_bytes", "content_sha256"]
