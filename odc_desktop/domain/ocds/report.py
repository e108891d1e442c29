"""What ``odc validate`` found in one file: counts by level and code, the first paths, the details.

Notices and the reasons a file could not be read are the message catalogue's area ``validate``.
Counting never stops; details are kept up to ``keep`` problems (``None``: all, for ``--json``), so a
file with millions of problems still gives a short, complete summary.
"""

from __future__ import annotations

import collections
from typing import Any

from odc_desktop.domain.problems import Problem
from odc_desktop.messages import text

LEVELS = ("error", "profile", "flag")
FIRST_PATHS = 3

class Report:
    """Problems of one file by level and code; notices; or the reason it could not be read."""

    def __init__(self, keep: int | None = None):
        self.keep = keep
        self.counts: collections.Counter[tuple[str, str]] = collections.Counter()
        self.first_paths: dict[tuple[str, str], list[str]] = {}
        self.problems: list[Problem] = []
        self.notices: dict[tuple[str, str], int] = {}
        self._notice_params: dict[tuple[str, str], dict[str, Any]] = {}
        self.failed: tuple[str, dict[str, Any]] | None = None
        self.documents = self.releases = self.records = 0

    def add(self, found: Problem) -> None:
        key = (found.level, found.code)
        self.counts[key] += 1
        paths = self.first_paths.setdefault(key, [])
        if len(paths) < FIRST_PATHS:
            paths.append(found.path)
        if self.keep is None or len(self.problems) < self.keep:
            self.problems.append(found)

    def notice(self, key: str, **params: Any) -> None:
        """Remember a notice once (the same notice in several documents is told once)."""
        shown = repr(sorted(params.items()))
        self.notices[(key, shown)] = self.notices.get((key, shown), 0) + 1
        self._notice_params[(key, shown)] = params

    def notice_texts(self, lang: str) -> list[str]:
        return [text(f"validate.{key}", lang, **self._notice_params[(key, shown)]) for key, shown in self.notices]

    def fail(self, key: str, **params: Any) -> None:
        """The file could not be read at all (nothing else is reported)."""
        self.failed = (key, params)

    def failure_text(self, lang: str) -> str:
        assert self.failed is not None
        return text(f"validate.{self.failed[0]}", lang, **self.failed[1])

    def total(self, level: str) -> int:
        return sum(count for (lvl, _), count in self.counts.items() if lvl == level)

    def summary(self) -> list[dict[str, Any]]:
        """One row per (level, code), levels in order, biggest counts first."""
        rows = [{"level": level, "code": code, "count": count, "first_paths": self.first_paths[(level, code)]}
                for (level, code), count in self.counts.items()]
        return sorted(rows, key=lambda row: (LEVELS.index(row["level"]) if row["level"] in LEVELS else 9,
                                             -row["count"], row["code"]))

    def passed(self, profile_asked: bool) -> bool:
        """No error (and no profile problem when a profile was asked for); flags never fail a file."""
        if self.failed:
            return False
        blocking = [p for p in ("error", "profile") if p == "error" or profile_asked]
        return all(self._blocking_count(level) == 0 for level in blocking)

    def _blocking_count(self, level: str) -> int:
        if level == "profile":  # the profile's open-codelist advice is a warning
            return sum(c for (lvl, code), c in self.counts.items() if lvl == level and code != "open_codelist")
        return self.total(level)

    def as_json(self, lang: str, profile_asked: bool) -> dict[str, Any]:
        return {
            "valid": self.passed(profile_asked),
            "failure": self.failure_text(lang) if self.failed else None,
            "documents": self.documents, "releases": self.releases, "records": self.records,
            "counts": {level: self.total(level) for level in LEVELS},
            "summary": self.summary(),
            "notices": self.notice_texts(lang),
            "problems": [{"level": p.level, "code": p.code, "path": p.path, "message": p.message,
                          "severity": p.severity} for p in self.problems],
        }
