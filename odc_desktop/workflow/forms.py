"""Which form an entry is read, validated and rendered with: the :class:`FormLookup` the workflow
takes, and :class:`FormSetLookup`, the adapter over today's one-version-per-stage FormSet.

A form registry (shipped and downloaded forms by ``(id, version, hash)``) implements the same
protocol and replaces the adapter without any change here.
"""

from __future__ import annotations

from typing import Protocol

from odc_desktop.domain.forms.definition import Codelist, FormDefinition, FormSet
from odc_desktop.domain.model import Entry


class FormLookup(Protocol):
    """Forms by stage (the current one) and by their exact identity."""

    codelists: dict[str, Codelist]

    def current(self, stage: str) -> FormDefinition:
        """The form new entries of ``stage`` are made with."""

    def get(self, form_id: str, version: int, form_hash: str) -> FormDefinition | None:
        """The form with exactly this identity, or None when this computer does not have it."""


class FormSetLookup:
    """A :class:`FormLookup` over one :class:`FormSet` (one version per stage)."""

    def __init__(self, form_set: FormSet) -> None:
        self.form_set = form_set
        self.codelists = form_set.codelists

    def current(self, stage: str) -> FormDefinition:
        return self.form_set.for_stage(stage)

    def get(self, form_id: str, version: int, form_hash: str) -> FormDefinition | None:
        for form in self.form_set.forms.values():
            if (form.id, form.version, form.content_hash) == (form_id, int(version), form_hash):
                return form
        return None


def form_of(forms: FormLookup, entry: Entry) -> FormDefinition | None:
    """The form ``entry`` was made with, or None when it is not available here."""
    return forms.get(entry.form_id, entry.form_version, entry.form_hash)
