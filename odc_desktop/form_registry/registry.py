"""The form registry: shipped and stored form versions, looked up by ``(id, version, content hash)``.

Every entry points at the form it was made with; the registry gives that very form back, so an old
draft renders and validates with its own fields after a newer version arrives. A new entry takes
:meth:`FormRegistry.current`. The shipped forms (the ``odc_forms`` package) are always there; stored
forms live in ``<data folder>/forms/`` (:mod:`.files`) and are only listed at start, read and checked
the first time they are needed, so the start path pays two directory listings and nothing more.

Rules (docs/architecture.md, "Form registry"):

- A stored form is another version of a shipped form: same id, same stage.
- ``current(stage)``: the stored version with the highest number above the shipped one that loads
  cleanly (same number: the newer file), else the shipped form. A damaged file is skipped, never fatal.
- Codelists: a stored form uses the shipped codelists, each replaced by a file of the same name in its
  form folder's ``codelists/`` when there is one; shipped forms use the shipped codelists.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path

from odc_desktop.domain.forms.definition import (
    Codelist, FormDefinition, FormError, FormSet, check_cross_stage, load_codelist, load_form, load_form_set,
)
from odc_desktop.domain.forms.definition_checks import read_bytes, read_yaml
from odc_desktop.domain.statuses import STAGE_ORDER
from odc_desktop.form_registry.files import StoredFile, scan, stored_path, write_atomically
from odc_desktop.form_registry.refused import FormRefused, StoredFormProblem
from odc_desktop.messages import Msg
from odc_desktop.os_reasons import OsReason
from odc_desktop.form_registry.passed_checks import PassedChecks

log = logging.getLogger(__name__)

Key = tuple[str, int, str]


class FormRegistry:
    """Shipped forms plus the versions stored in ``folder`` (``<data folder>/forms``; None: shipped only).

    Safe to use from the GUI thread and the database thread at once (one lock around what it learns).
    ``problems`` lists the stored files found damaged so far (see :meth:`check_stored`).
    """

    def __init__(self, shipped: FormSet, folder: Path | None = None, *, stored_checks: Path | None = None):
        self.shipped = shipped
        self._passed = PassedChecks(stored_checks)  # see passed_checks.py
        self.folder = Path(folder) if folder is not None else None
        self._shipped_by_id = {form.id: form for form in shipped.forms.values()}
        self._stored: dict[Key, StoredFile] = scan(self.folder)
        self._loaded: dict[Key, FormDefinition] = {}
        self._broken: dict[Key, StoredFormProblem] = {}
        self._current: dict[str, FormDefinition] = {}
        self._codelists: dict[str, dict[str, Codelist]] = {}
        self._lock = threading.RLock()

    @classmethod
    def open(cls, data_dir: Path | str | None, *, checks_cache: Path | None = None) -> "FormRegistry":
        """The registry of ``data_dir`` (None: shipped forms only); ``checks_cache`` as for
        :func:`~odc_desktop.domain.forms.definition.load_form_set`; the stored forms' passes are
        remembered beside it (``form-checks-stored.json``)."""
        shipped = load_form_set(checks_cache=checks_cache)
        stored_checks = checks_cache.with_name("form-checks-stored.json") if checks_cache is not None else None
        return cls(shipped, Path(data_dir) / "forms" if data_dir is not None else None,
                   stored_checks=stored_checks)

    @property
    def codelists(self) -> dict[str, Codelist]:
        """The shipped codelists (the choices of the process itself: OPD, kecamatan, document types)."""
        return self.shipped.codelists

    @property
    def problems(self) -> list[StoredFormProblem]:
        with self._lock:
            return list(self._broken.values())

    # --- lookups ------------------------------------------------------------------------------
    def current(self, stage: str) -> FormDefinition:
        """The newest usable form of ``stage`` (a Stage or its value): what a new entry is made with."""
        stage = str(getattr(stage, "value", stage))
        with self._lock:
            found = self._current.get(stage)
            if found is None:
                found = self._current[stage] = self._newest(self.shipped.for_stage(stage))
            return found

    #: The name a FormSet gives it: code written for the shipped set keeps working with the registry.
    for_stage = current

    def get(self, form_id: str, version: int, form_hash: str) -> FormDefinition | None:
        """The form with exactly this id, version and content hash; None when it is not here (or its
        stored file is damaged, which :attr:`problems` then names)."""
        shipped = self.shipped.get(form_id, version, form_hash)
        if shipped is not None:
            return shipped
        stored = self._stored.get((form_id, int(version), form_hash))
        return self._load(stored) if stored is not None else None

    def codelists_for(self, form: FormDefinition) -> dict[str, Codelist]:
        """The codelists ``form`` is rendered and validated with (see the module's rules)."""
        if self.shipped.get(form.id, form.version, form.content_hash) is not None:
            return self.shipped.codelists
        return self._codelists_of(form.id)

    def stored_versions(self) -> list[tuple[str, int, str]]:
        """``(id, version, hash)`` of every stored form file, damaged ones included, sorted."""
        with self._lock:
            return sorted(self._stored)

    def rescan(self) -> list[Key]:
        """Look in the folder again for form files stored since (by a sync in another process or
        registry); the new ones count from now on. Returns their ``(id, version, hash)``."""
        found = scan(self.folder)
        with self._lock:
            new = sorted(key for key in found if key not in self._stored)
            for key in new:
                self._stored[key] = found[key]
            if new:
                self._current.clear()
        return new

    def check_stored(self) -> list[StoredFormProblem]:
        """Read every stored form file now (off the start path) and return the damaged ones' problems."""
        for stored in list(self._stored.values()):
            self._load(stored)
        return self.problems

    # --- adding -------------------------------------------------------------------------------
    def add(self, source: Path | str | bytes) -> FormDefinition:
        """Check a form file (path or bytes) in full and store it as ``<id>/<version>-<hash>.yaml``.

        Returns the form (the one already here when the very same bytes were added before). Raises
        :class:`FormRefused` (nothing written, every form already here stays) when the file cannot be
        read, fails the strict loader, is not a version of a shipped form, does not fit the other
        stages' current forms, or cannot be written.
        """
        if self.folder is None:
            raise ValueError("this registry has no data folder to store forms in")
        if isinstance(source, (bytes, bytearray)):
            raw, path = bytes(source), Path("unduhan") / "formulir.yaml"
        else:
            path = Path(source)
            try:
                raw = path.read_bytes()
            except OSError as exc:
                raise FormRefused("form_registry.form_unreadable", name=path.name, reason=OsReason(exc)) from exc
        try:
            form = self._parse(path, raw)
        except FormError as exc:
            raise FormRefused("form_registry.form_invalid", name=path.name, detail=exc) from exc
        self._check_identity(form)
        existing = self.get(form.id, form.version, form.content_hash)
        if existing is not None:
            return existing
        with self._lock:
            forms = {stage.value: self.current(stage.value) for stage in STAGE_ORDER}
            try:
                check_cross_stage({**forms, form.stage: form}, self.folder / form.id)
            except FormError as exc:
                raise FormRefused("form_registry.form_cross_stage", form_id=form.id, version=form.version,
                                  detail=exc) from exc
            target = stored_path(self.folder, form.id, form.version, form.content_hash)
            try:
                write_atomically(target, raw)
            except OSError as exc:
                raise FormRefused("form_registry.form_not_saved", form_id=form.id, version=form.version,
                                  path=target.parent, reason=OsReason(exc)) from exc
            stored = StoredFile(form.id, form.version, form.content_hash, target)
            self._passed.remember(self._passed.fingerprint(f"{form.id}/{target.name}", raw))
            self._stored[stored.key] = stored
            self._loaded[stored.key] = form
            self._broken.pop(stored.key, None)
            self._current.pop(form.stage, None)
        log.info("form %s version %s (%s) stored in %s", form.id, form.version, form.content_hash, target)
        return form

    # --- inside -------------------------------------------------------------------------------
    def _newest(self, shipped: FormDefinition) -> FormDefinition:
        newer = [s for s in self._stored.values() if s.form_id == shipped.id and s.version > shipped.version]
        for stored in sorted(newer, key=lambda s: (s.version, _mtime(s.path)), reverse=True):
            form = self._load(stored)
            if form is not None:
                return form
        return shipped

    def _check_identity(self, form: FormDefinition) -> None:
        """A stored form is another version of a shipped form, for the same stage."""
        shipped = self._shipped_by_id.get(form.id)
        if shipped is None:
            raise FormRefused("form_registry.form_unknown", form_id=form.id, known=", ".join(self._shipped_by_id))
        if form.stage != shipped.stage:
            raise FormRefused("form_registry.form_wrong_stage", form_id=form.id, expected=shipped.stage, stage=form.stage)

    def _parse(self, path: Path, raw: bytes, *, meta_schema: bool = True) -> FormDefinition:
        """The strict loader's form of ``raw``, checked against the codelists its form folder uses
        (``meta_schema=False``: only for bytes that passed it before, see passed_checks.py)."""
        _, data = read_yaml(path, raw)
        form_id = data.get("id")
        codelists = self._codelists_of(form_id) if form_id in self._shipped_by_id else self.shipped.codelists
        return load_form(path, codelists, raw, meta_schema=meta_schema)

    def _codelists_of(self, form_id: str) -> dict[str, Codelist]:
        with self._lock:
            found = self._codelists.get(form_id)
            if found is not None:
                return found
            found = dict(self.shipped.codelists)
            own = self.folder / form_id / "codelists" if self.folder is not None else None
            for path in sorted(own.glob("*.yaml")) if own is not None and own.is_dir() else ():
                try:
                    found[path.stem] = load_codelist(path)
                except FormError as exc:  # the shipped one stays; the form's own check may then fail
                    log.warning("stored codelist %s ignored: %s", path, exc)
            self._codelists[form_id] = found
            return found

    def _load(self, stored: StoredFile) -> FormDefinition | None:
        """The stored form, read and checked once; None (and a problem) when the file is damaged."""
        with self._lock:
            if stored.key in self._loaded:
                return self._loaded[stored.key]
            if stored.key in self._broken:
                return None
            problem = None
            try:
                raw = read_bytes(stored.path)
                if hashlib.sha256(raw).hexdigest() != stored.form_hash:
                    problem = StoredFormProblem("form_registry.form_stored_changed", path=stored.path)
                else:
                    fingerprint = self._passed.fingerprint(f"{stored.form_id}/{stored.path.name}", raw)
                    checked_before = self._passed.passed(fingerprint)
                    form = self._parse(stored.path, raw, meta_schema=not checked_before)
                    self._check_identity(form)
                    if (form.id, form.version) != (stored.form_id, stored.version):
                        problem = StoredFormProblem("form_registry.form_stored_broken", path=stored.path, detail=Msg(
                            "form_registry.inner_identity", form_id=form.id, version=form.version))
                    elif not checked_before:
                        self._passed.remember(fingerprint)
            except FormError as exc:
                problem = StoredFormProblem("form_registry.form_stored_broken", path=stored.path, detail=exc)
            except FormRefused as exc:
                problem = StoredFormProblem("form_registry.form_stored_broken", path=stored.path, detail=exc)
            if problem is not None:
                log.warning("stored form ignored: %s", problem.message("en"))
                self._broken[stored.key] = problem
                return None
            self._loaded[stored.key] = form
            return form


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
