"""tus 1.0 as this project speaks it (core + creation + creation-with-upload + checksum extensions).

* ``POST {API_PREFIX}/uploads`` with ``Upload-Length`` and ``Upload-Metadata: sha256 <base64 of the
  hex digest>,filename <base64>`` → 201, ``Location`` of the upload and its ``Upload-Offset`` (0 for a
  new upload; where it stands when the same user's upload of the same file is already under way). With
  ``Content-Type: application/offset+octet-stream`` the body is the file's first bytes
  (creation-with-upload: one round trip less per file; stored only when the upload stands at 0). If
  the server already holds the file, 200 with ``Upload-Offset`` = ``Upload-Length``.
* ``HEAD <location>`` → ``Upload-Offset`` (where to resume), ``Upload-Length``.
* ``PATCH <location>`` with ``Content-Type: application/offset+octet-stream`` and ``Upload-Offset`` →
  204 with the new ``Upload-Offset``. When the link drops mid-body the server keeps the bytes that
  arrived (tus core), so a cut costs only the request in flight, not its chunk. With
  ``Upload-Checksum: sha256 <base64 of the chunk's raw digest>`` (``sha1`` also accepted) the chunk is
  all or nothing instead: one whose checksum does not match is refused with 460, a cut one is not
  stored. When the last byte lands, the whole file must hash to the declared SHA-256 (else 460 and the
  upload starts over from 0): that is the check every byte passes. The upload is then finished: its
  location answers 404 from then on, and the check below says the server has the file.
* ``POST {API_PREFIX}/attachments/bundle``: small files (at most :data:`BUNDLE_MAX_FILE` bytes)
  together. ``Content-Type: application/x-odc-bundle2``: frames ``<size> LF <bytes>``, each stored
  under the SHA-256 of what arrived → ``{"stored": <n>}`` (the first n frames); older clients'
  ``application/x-odc-bundle``: frames ``<sha256 hex> SP <size> LF <bytes>``, each checked against its
  SHA-256 → ``{"stored": <count>, "refused": [sha256, …]}``; a cut bundle keeps the files that arrived
  whole (see :mod:`odc_sync.server.api_bundle`).
* ``POST {API_PREFIX}/attachments/check`` ``{"sha256": [hex, …]}`` → ``{"have": […], "missing": […]}``:
  the cheap "already have it" check.
"""

from __future__ import annotations

import base64

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,creation-with-upload,checksum"
CHECKSUM_ALGORITHMS = ("sha256", "sha1")
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
DEFAULT_CHUNK = 256 * 1024
BUNDLE_CONTENT_TYPE = "application/x-odc-bundle"  # frames named by their SHA-256 (older clients)
BUNDLE2_CONTENT_TYPE = "application/x-odc-bundle2"  # unnamed frames: the server hashes what arrived
BUNDLE_MAX_FILE = 256 * 1024  # a file this small may travel in a bundle
BUNDLE_MAX_BODY = 4 * 1024 * 1024  # what the server takes in one bundle request


def encode_metadata(values: dict[str, str]) -> str:
    """The ``Upload-Metadata`` header for ``values``."""
    return ",".join(f"{key} {base64.b64encode(value.encode('utf-8')).decode('ascii')}"
                    for key, value in values.items())


def decode_metadata(header: str) -> dict[str, str]:
    """``Upload-Metadata`` back into a dict; ``ValueError`` when malformed."""
    found: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in header.split(","))):
        key, _, value = part.partition(" ")
        try:
            found[key] = base64.b64decode(value, validate=True).decode("utf-8") if value else ""
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValueError(f"bad metadata value for {key}") from exc
    return found
