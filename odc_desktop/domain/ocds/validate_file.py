"""``odc validate``: any OCDS file checked at three levels that are never mixed.

- ``error``: the official schema of the data's version (1.1.5, or 1.0.3 for 1.0 data) with the
  shipped extensions the package declares, package and record schemas, formats, and the standard's
  rules its schema cannot express (:mod:`official_checks`); awardIDs and release ids across a file.
- ``profile``: the Bojonegoro publication profile (:mod:`validation`), only when asked for.
- ``flag``: red flags about the procurement (:mod:`red_flags`), warnings.

A small file is read whole; a big one is streamed (:mod:`read`): a first quick pass reads each
document's metadata (``version`` and ``extensions`` may follow the releases), the second validates
item by item.
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path
from typing import Any, Callable, Iterator

from odc_desktop.domain.ocds import official, official_checks, red_flags
from odc_desktop.domain.ocds.messages import describe_value, json_type_name, problem
from odc_desktop.domain.ocds.read import (DocumentEnd, Item, ReadError, iter_documents, iter_list_items,
                                         iter_small_documents, pieces_of, read_small)
from odc_desktop.domain.ocds.report import Report
from odc_desktop.domain.ocds.paths import join_path
from odc_desktop.domain.problems import Problem

PROFILES = ("bojonegoro",)


@dataclasses.dataclass
class _Document:
    """What the second pass knows of one document: its metadata (first pass) and its accumulators."""

    prefix: str
    version: str
    extensions: tuple[str, ...]
    release_ids: dict[tuple[str, str], str] = dataclasses.field(default_factory=dict)
    award_ids: dict[str, set[str]] = dataclasses.field(default_factory=dict)
    award_refs: dict[str, list[tuple[str, str]]] = dataclasses.field(default_factory=dict)
    flags: red_flags.FlagIndex = dataclasses.field(default_factory=red_flags.FlagIndex)


class FileValidator:
    """Validates one file into a :class:`Report`; ``profile`` is None or a name from :data:`PROFILES`."""

    def __init__(self, lang: str = "id", profile: str | None = None, keep: int | None = None):
        self.lang, self.profile = lang, profile
        self.report = Report(keep=keep)

    def run(self, path: Path) -> Report:
        try:
            values = read_small(path)
            first = pieces_of(values, False) if values is not None else iter_documents(path, False)
            # Per document only its version and extensions are kept, so JSON Lines stay flat in memory.
            settings: list[tuple[str, tuple[str, ...]]] = []
            last: DocumentEnd | None = None
            deep = streamed = False
            for piece in first:
                if isinstance(piece, Item):
                    deep = deep or piece.too_deep
                else:
                    settings.append(self._settings(piece))
                    last, deep, streamed = piece, deep or piece.too_deep, streamed or bool(piece.streamed)
            if values is not None:
                pieces: Iterator[Item | DocumentEnd] = pieces_of(values)
            elif deep or streamed and len(settings) > 1:
                pieces = iter_documents(path)
            elif streamed and last is not None and len(last.streamed) == 1:
                # one package, one list: its items built by ijson's C code, then its end
                pieces = itertools.chain(iter_list_items(path, next(iter(last.streamed))), [last])
            elif not streamed:  # releases or records one after the other (JSON Lines): built in C too
                pieces = iter_small_documents(path)
            else:
                pieces = iter_documents(path)
            self._second_pass(pieces, settings)
        except ReadError as exc:
            self.report.fail(exc.key, **exc.params)
        if not self.report.failed and not self.report.documents:
            self.report.fail("empty")
        return self.report

    def _second_pass(self, pieces: Iterator[Item | DocumentEnd], settings: list[tuple[str, tuple[str, ...]]]) -> None:
        doc: _Document | None = None
        for piece in pieces:
            if doc is None:
                version, extensions = settings[piece.document]
                prefix = f"#{piece.document + 1}" if len(settings) > 1 else ""
                doc = _Document(prefix, version, extensions)
            if isinstance(piece, Item):
                self._item(doc, piece)
            else:
                self._end(doc, piece)
                doc = None

    # -- documents -----------------------------------------------------------------------------

    def _settings(self, end: DocumentEnd) -> tuple[str, tuple[str, ...]]:
        """(schema version, shipped extensions) of a document, from its metadata; notices on the way."""
        meta = end.value if isinstance(end.value, dict) else {}
        is_package = bool(end.streamed) or any(key in meta for key in ("releases", "records")) and "ocid" not in meta
        default = official.PACKAGE_DEFAULT_VERSION if is_package else official.ITEM_DEFAULT_VERSION
        version, notice = official.version_of(meta.get("version") if is_package else None, default)
        if notice:
            self.report.notice(notice, value=meta.get("version"))
        if is_package and version == "1.0":
            self.report.notice("version_1_0")
        extensions, unknown = official.extension_names(meta.get("extensions"))
        for url in unknown:
            self.report.notice("extension_not_checked", url=url)
        return version, extensions

    def _end(self, doc: _Document, end: DocumentEnd) -> None:
        self.report.documents += 1
        value, where = end.value, doc.prefix
        if end.too_deep:
            self._add([problem(where, "too_deep", self.lang)])
        elif end.streamed or isinstance(value, dict) and ("releases" in value or "records" in value) \
                and "ocid" not in value:
            self._package(doc, value, end.streamed)
        elif isinstance(value, dict) and "ocid" in value and isinstance(value.get("releases"), list):
            self._safely(where, self._record, doc, value)
        elif isinstance(value, dict) and "ocid" in value:
            self._safely(where, self._release, doc, value)
        elif isinstance(value, list) and value and all(isinstance(v, dict) and "ocid" in v for v in value):
            for position, release in enumerate(value):
                self._safely(join_path(where, position), self._release, doc, release)
        else:
            self._add([problem(where, "not_ocds", self.lang, what=describe_value(value, self.lang))])
        self._finish(doc)

    def _package(self, doc: _Document, meta: dict[str, Any], streamed: dict[str, int]) -> None:
        kinds = [key for key in ("releases", "records") if key in streamed or key in meta]
        for key in kinds:
            if key in meta and not isinstance(meta[key], list):
                self._add([problem(join_path(doc.prefix, key), "items_not_list", self.lang, key=key,
                                   actual=json_type_name(meta[key], self.lang))])
                return
        kind = "record" if kinds == ["records"] else "release"
        shell = dict(meta)
        for key in kinds:
            shell.setdefault(key, [None] * streamed.get(key, 0))
        self._add(official_checks.schema_problems(official.package_shell_validator(doc.version, kind), shell,
                                                  doc.prefix, self.lang))
        if self.profile:
            from odc_desktop.domain.ocds.validation import package_problems
            self._add([dataclasses.replace(p, path=join_path(doc.prefix, p.path))
                       for p in package_problems(meta, self.lang)])

    # -- items -------------------------------------------------------------------------------

    def _item(self, doc: _Document, item: Item) -> None:
        where = join_path(doc.prefix, item.kind, item.position)
        if item.too_deep:
            self._add([problem(where, "too_deep", self.lang)])
        else:
            self._safely(where, self._release if item.kind == "releases" else self._record, doc, item.value)

    def _safely(self, where: str, check: Callable[[_Document, Any, str], None], doc: _Document, value: Any) -> None:
        """Run one check; nesting too deep for the recursive checks becomes a ``too_deep`` problem."""
        try:
            check(doc, value, where)
        except RecursionError:
            self._add([problem(where, "too_deep", self.lang)])
        except ValueError as exc:  # jsonschema-rs says "Recursion limit reached"
            if "ecursion" not in str(exc):
                raise
            self._add([problem(where, "too_deep", self.lang)])

    def _release(self, doc: _Document, release: Any, where: str) -> None:
        self.report.releases += 1
        found = official_checks.release_problems(release, doc.version, doc.extensions, where, self.lang)
        if self.profile:
            found += self._profile(release, where, found)
        self._add(found)
        if isinstance(release, dict):
            self._index(doc, release, where)

    def _profile(self, release: Any, where: str, errors: list[Problem]) -> list[Problem]:
        from odc_desktop.domain.ocds.validation import release_profile_problems

        taken = {p.path for p in errors}
        return [p for p in release_profile_problems(release, where, self.lang)
                if p.level == "profile" and p.path not in taken]

    def _record(self, doc: _Document, record: Any, where: str) -> None:
        self.report.records += 1
        self._add(official_checks.schema_problems(official.record_shell_validator(doc.version), record, where,
                                                  self.lang))
        if not isinstance(record, dict):
            return
        releases = record.get("releases") if isinstance(record.get("releases"), list) else []
        linked = all(isinstance(r, dict) and "url" in r and "ocid" not in r for r in releases)
        for position, release in enumerate(releases):
            path = join_path(where, "releases", position)
            if linked:
                self._add(official_checks.schema_problems(official.linked_release_validator(doc.version), release,
                                                          path, self.lang))
            else:
                self._release(doc, release, path)
        if "compiledRelease" in record:
            compiled = join_path(where, "compiledRelease")
            self._add(official_checks.release_problems(record["compiledRelease"], doc.version, doc.extensions,
                                                       compiled, self.lang))
            if linked and isinstance(record["compiledRelease"], dict):
                doc.flags.add(record["compiledRelease"], compiled)

    # -- across releases ---------------------------------------------------------------------

    def _index(self, doc: _Document, release: dict[str, Any], where: str) -> None:
        ocid, ident = release.get("ocid"), release.get("id")
        if isinstance(ocid, str) and isinstance(ident, (str, int)) and not isinstance(ident, bool):
            key = (ocid, str(ident))
            if key in doc.release_ids:
                self._add([problem(join_path(where, "id"), "duplicate_release_id", self.lang, ocid=ocid, id=key[1],
                                   first=join_path(doc.release_ids[key], "id"))])
            else:
                doc.release_ids[key] = where
        if isinstance(ocid, str) and doc.version != "1.0":
            awards = release.get("awards")
            if isinstance(awards, list):
                doc.award_ids.setdefault(ocid, set()).update(
                    str(a.get("id")) for a in awards if isinstance(a, dict) and "id" in a)
            for c, contract in enumerate(release.get("contracts") or [] if isinstance(release.get("contracts"), list)
                                         else []):
                if isinstance(contract, dict) and isinstance(contract.get("awardID"), (str, int)):
                    doc.award_refs.setdefault(ocid, []).append(
                        (join_path(where, "contracts", c, "awardID"), str(contract["awardID"])))
        doc.flags.add(release, where)

    def _finish(self, doc: _Document) -> None:
        for ocid, refs in doc.award_refs.items():
            if ocid not in doc.award_ids:
                continue  # no release of this ocid holds awards: a feed may not carry that stage
            self._add([problem(path, "dangling_award_id", self.lang, award_id=award_id) for path, award_id in refs
                       if award_id not in doc.award_ids[ocid]])
        self._add(doc.flags.problems(self.lang))

    def _add(self, found: list[Problem]) -> None:
        for item in found:
            self.report.add(item)


def validate_file(path: Path, lang: str = "id", profile: str | None = None, keep: int | None = None) -> Report:
    """Validate the OCDS file at ``path`` at the three levels (``profile`` only when named)."""
    return FileValidator(lang, profile, keep).run(Path(path))
