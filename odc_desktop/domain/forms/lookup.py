"""Which form an entry is rendered, validated and exported with: its own ``(id, version, hash)``.

The domain never reads a folder to find forms; its callers pass a :class:`FormLookup`. Two implement
it: :class:`~odc_desktop.domain.forms.definition.FormSet` (the shipped forms, one version per stage)
and ``odc_desktop.form_registry.FormRegistry`` (shipped plus stored versions in the data folder).
"""

from __future__ import annotations

from typing import Protocol

from odc_desktop.domain.forms.definition import Codelist, FormDefinition
from odc_desktop.domain.model import Entry
from odc_desktop.messages import CodedError


class FormLookup(Protocol):
    """Forms by ``(id, version, hash)``, the newest usable one per stage, and their codelists."""

    codelists: dict[str, Codelist]  # the current codelists (process-level choices: OPD, kecamatan, …)

    def current(self, stage: str) -> FormDefinition:
        """The form a new entry of ``stage`` is made with."""
        ...

    def get(self, form_id: str, version: int, form_hash: str) -> FormDefinition | None:
        """The form with exactly this id, version and content hash, or None when it is not here."""
        ...

    def codelists_for(self, form: FormDefinition) -> dict[str, Codelist]:
        """The codelists ``form`` is rendered and validated with."""
        ...


class FormMissing(CodedError, LookupError):
    """The entry's own form is not available; ``message(lang)`` says so (the code ``form.missing``)."""

    def __init__(self, entry: Entry):
        self.form_id, self.version, self.form_hash = entry.form_id, entry.form_version, entry.form_hash
        super().__init__("form.missing", form_id=self.form_id, version=self.version,
                         short_hash=self.form_hash[:12])


def form_of(forms: FormLookup, entry: Entry) -> FormDefinition | None:
    """The form ``entry`` was made with (None when it is not available)."""
    return forms.get(entry.form_id, entry.form_version, entry.form_hash)


def own_form(forms: FormLookup, entry: Entry) -> FormDefinition:
    """The form ``entry`` was made with; :class:`FormMissing` when it is not available."""
    form = form_of(forms, entry)
    if form is None:
        raise FormMissing(entry)
    return form
