"""Which form an entry is rendered, validated and exported with: its own ``(id, version, hash)``.

The domain never reads a folder to find forms; its callers pass a :class:`FormLookup`. Two implement
it: :class:`~odc_desktop.domain.forms.definition.FormSet` (the shipped forms, one version per stage)
and ``odc_desktop.form_registry.FormRegistry`` (shipped plus stored versions in the data folder).
"""

from __future__ import annotations

from typing import Protocol

from odc_desktop.domain.forms.definition import Codelist, FormDefinition
from odc_desktop.domain.model import Entry

#: Why an entry cannot be shown or exported with its own form, in both languages.
FORM_MISSING = {
    "id": "Formulir yang dipakai entri ini ('{form_id}' versi {version}, sidik {short_hash}) tidak ada di "
          "komputer ini.",
    "en": "The form this entry was made with ('{form_id}' version {version}, fingerprint {short_hash}) is "
          "not on this computer.",
}


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


class FormMissing(LookupError):
    """The entry's own form is not available; ``message(lang)`` says so."""

    def __init__(self, entry: Entry):
        self.form_id, self.version, self.form_hash = entry.form_id, entry.form_version, entry.form_hash
        super().__init__(self.message("en"))

    def message(self, lang: str = "id") -> str:
        text = FORM_MISSING.get(lang) or FORM_MISSING["id"]
        return text.format(form_id=self.form_id, version=self.version, short_hash=self.form_hash[:12])


def form_of(forms: FormLookup, entry: Entry) -> FormDefinition | None:
    """The form ``entry`` was made with (None when it is not available)."""
    return forms.get(entry.form_id, entry.form_version, entry.form_hash)


def own_form(forms: FormLookup, entry: Entry) -> FormDefinition:
    """The form ``entry`` was made with; :class:`FormMissing` when it is not available."""
    form = form_of(forms, entry)
    if form is None:
        raise FormMissing(entry)
    return form
