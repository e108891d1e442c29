"""Read and write values at OCDS paths such as ``"awards/0/value/amount"``.

Paths use ``/`` between keys; a segment made only of digits indexes a list. Writing creates the
dicts and lists on the way, so a form field whose path is ``tender/items/0/description`` produces
``{"tender": {"items": [{"description": ...}]}}`` from an empty release.
"""

from __future__ import annotations

from typing import Any

from odc_desktop.messages import CodedError


class PathConflict(CodedError, ValueError):
    """An OCDS path that cannot be written (empty, or crossing a value of the wrong kind)."""

_MISSING = object()


def split_path(path: str) -> list[str | int]:
    """Split ``"a/0/b"`` into ``["a", 0, "b"]`` (digit-only segments become list indexes)."""
    return [int(part) if part.isdigit() else part for part in path.strip("/").split("/") if part]


def join_path(*parts: str | int) -> str:
    """Join path parts with ``/``, skipping empty parts (``join_path("releases", 3, "")``)."""
    return "/".join(str(part) for part in parts if part != "")


def get_path(obj: Any, path: str | list[str | int], default: Any = None) -> Any:
    """Return the value at ``path`` inside ``obj``, or ``default`` when any step is missing."""
    parts = split_path(path) if isinstance(path, str) else path
    current = obj
    for part in parts:
        if isinstance(part, int):
            if not isinstance(current, list) or part >= len(current):
                return default
            current = current[part]
        else:
            if not isinstance(current, dict):
                return default
            current = current.get(part, _MISSING)
            if current is _MISSING:
                return default
    return current


def set_path(obj: dict[str, Any], path: str, value: Any) -> None:
    """Write ``value`` at ``path`` inside ``obj``, creating dicts and lists as needed.

    A list index beyond the end pads the list with empty dicts, because OCDS arrays at indexed
    paths (``awards/0``, ``tender/items/0``) always hold objects. Raises ``PathConflict`` (a ``ValueError``) when an
    existing value of the wrong kind sits on the way (a form whose paths contradict each other).
    """
    parts = split_path(path)
    if not parts:
        raise PathConflict("ocds.path_empty")
    current: Any = obj
    for position, part in enumerate(parts):
        last = position == len(parts) - 1
        following = None if last else parts[position + 1]
        if isinstance(part, int):
            if not isinstance(current, list):
                raise PathConflict("ocds.path_not_list", path=path, part=part)
            while len(current) <= part:
                current.append({})
            if last:
                current[part] = value
            else:
                if not isinstance(current[part], (dict, list)):
                    current[part] = [] if isinstance(following, int) else {}
                current = current[part]
        else:
            if not isinstance(current, dict):
                raise PathConflict("ocds.path_not_object", path=path, part=part)
            if last:
                current[part] = value
            else:
                child = current.get(part)
                if not isinstance(child, (dict, list)):
                    child = [] if isinstance(following, int) else {}
                    current[part] = child
                current = child


def parent_path(path: str) -> str:
    """``"tender/value/amount"`` → ``"tender/value"``; a one-segment path → ``""``."""
    head, _, _ = path.strip("/").rpartition("/")
    return head
