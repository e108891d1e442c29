"""What the importers tell people: the area ``importers`` of the message catalogue
(``odc_desktop/messages/locale/{id,en}/LC_MESSAGES/importers.po``), keyed by a stable code.

A finding carries the bare key (``"not_json"``: the code an importer's JSON report names);
:func:`say` says it. A new message is one entry in both PO files (docs/architecture.md, "Messages").
"""

from __future__ import annotations

from typing import Any

from odc_desktop.messages import text

AREA = "importers"


def say(code: str, lang: str = "id", **values: Any) -> str:
    """The message ``code`` (a key of the area ``importers``) in ``lang`` (Indonesian when unknown),
    with ``values`` filled in."""
    return text(f"{AREA}.{code}", lang, **values)
