"""Server time: Unix seconds in the database, ISO 8601 UTC on the wire."""

from __future__ import annotations

import datetime
import time


def now() -> float:
    return time.time()


def now_iso(at: float | None = None) -> str:
    moment = datetime.datetime.fromtimestamp(now() if at is None else at, datetime.timezone.utc)
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")
