"""The form check of a pushed entry: the same Qt-free ``validate_entry`` the app runs before "ready".

The server knows the shipped form set (admin-published versions arrive with the form distribution
work). An entry of an unknown form is rejected; an entry of a known form at the version the server
holds is checked field by field (errors only; warnings never refuse an entry); an entry of another
version of a known form is taken as the device checked it.
"""

from __future__ import annotations

import threading
from typing import Any

from odc_desktop.domain.forms.definition import FormSet, load_form_set
from odc_desktop.domain.forms.entry_checks import validate_entry
from odc_desktop.domain.forms.entry_schema import quick_check
from odc_sync.protocol.errors import problem

_loading = threading.Lock()
_loaded: list[FormSet] = []


def server_forms() -> FormSet:
    """The shipped form set, loaded once per process. The first pushes of a freshly started server
    arrive together on many threads: the lock makes one of them load it while the others wait, instead
    of every thread loading (and checking) the whole set at once (docs/benchmarks.md, "Server CPU")."""
    if _loaded:
        return _loaded[0]
    with _loading:
        if not _loaded:
            _loaded.append(load_form_set())
        return _loaded[0]


def warm_up() -> None:
    """Load the form set and compile each form's check before the first request (``odc-server serve``),
    so the first pushes do not pay for it while clients wait."""
    forms = server_forms()
    for form in forms.forms.values():
        quick_check(form, forms.codelists, required=True)


def form_problems(payload: dict[str, Any]) -> list[dict[str, str]]:
    """Per-field problems of ``payload``'s data against its form; empty when it may be stored."""
    forms = server_forms()
    form_ref = payload["form"]
    form = forms.forms.get(form_ref["id"])
    if form is None or form.stage != payload["stage"]:
        return [problem("form", "unknown_form", form=f"{form_ref['id']} v{form_ref['version']}")]
    if form.version != form_ref["version"]:
        return []
    found = [p for p in validate_entry(form, payload["data"], forms.codelists, forms=forms) if p.severity == "error"]
    if not found:
        return []
    english = {(p.path, p.code): p.message for p in validate_entry(form, payload["data"], forms.codelists,
                                                                   lang="en", forms=forms)}
    return [{"field": p.path, "code": p.code, "message": p.message,
             "message_en": english.get((p.path, p.code), p.message)} for p in found]
