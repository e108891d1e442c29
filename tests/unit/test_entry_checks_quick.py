"""``validate_entry(..., without_required=True)`` (the importers' check) finds exactly the problems the
full check finds other than missing fields: its compiled shortcut (fastjsonschema) must never pass a
value the form's jsonschema validator faults. Every field of every shipped form is tried with values
of the wrong type, out of range, too long, off-pattern, not in the codelist, and dates that are not real."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from odc_desktop.domain.forms.definition import FormSet, load_form_set
from odc_desktop.domain.forms.entry_checks import validate_entry
from tests.unit.form_samples import VALID_DATA, other_stages, valid_data

BAD_VALUES: tuple[Any, ...] = (
    True, False, 1.5, -1, 0, 10**16, 1e300, "x", "", "x" * 5001, "2026-02-30", "2026-13-01", "17/08/2026",
    "2026-08-17", "2026-08-17T10:00:00", [], [{}], [{"nama": 1}], {}, {"name": ""}, {"name": "PT A", "npwp": "12"},
    {"name": "PT A", "scale": "huge"}, {"name": "PT A", "extra": 1}, 101, 100.0, 62.5, "62,5", "kode_tidak_ada",
)


@pytest.fixture(scope="module")
def forms() -> FormSet:
    return load_form_set()


def _without_missing(problems) -> list[tuple[str, str, str]]:
    return [(p.path, p.code, p.message) for p in problems if p.code != "required"]


def _variants(data: dict[str, Any]):
    """``data`` with one field (or one field of a group's first row) replaced by each bad value."""
    for key, value in data.items():
        for bad in BAD_VALUES:
            yield {**data, key: bad}
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for child in value[0]:
                for bad in BAD_VALUES:
                    changed = copy.deepcopy(data)
                    changed[key][0][child] = bad
                    yield changed


@pytest.mark.parametrize("stage", list(VALID_DATA))
def test_the_quick_check_agrees_with_the_full_one(forms: FormSet, stage: str):
    form, others = forms.forms[stage], other_stages(stage)
    tried = faulted = 0
    for data in _variants(valid_data(stage)):
        full = _without_missing(validate_entry(form, data, forms.codelists, others, "id", forms=forms))
        quick = _without_missing(validate_entry(form, data, forms.codelists, others, "id", forms=forms,
                                                without_required=True))
        assert quick == full, data
        tried, faulted = tried + 1, faulted + bool(full)
    assert tried > 100 and faulted > tried // 3  # the variants do hit the checks


def _dropped(data: dict[str, Any]):
    """``data`` without one field (or without one field of a group's first row), and empty."""
    yield {}
    for key, value in data.items():
        yield {k: v for k, v in data.items() if k != key}
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for child in value[0]:
                changed = copy.deepcopy(data)
                del changed[key][0][child]
                yield changed


def _said(problems) -> list[tuple[str, str, str]]:
    return [(p.path, p.code, p.message) for p in problems]


@pytest.mark.parametrize("stage", list(VALID_DATA))
def test_the_shortcut_of_the_full_check_finds_what_the_jsonschema_walk_finds(forms: FormSet, stage: str):
    """The full check (the app's "ready", the server's check of every push) skips the jsonschema walk
    only for data the compiled check passes: the same problems as always walking it, for every bad
    value and every missing field, in both modes."""
    form, others = forms.forms[stage], other_stages(stage)
    tried = faulted = missing = 0
    for data in [valid_data(stage), *_variants(valid_data(stage)), *_dropped(valid_data(stage))]:
        for without_required in (False, True):
            walked = _said(validate_entry(form, data, forms.codelists, others, "id", forms=forms,
                                          without_required=without_required, quick=False))
            quick = _said(validate_entry(form, data, forms.codelists, others, "id", forms=forms,
                                         without_required=without_required))
            assert quick == walked, (without_required, data)
            tried += 1
            faulted += bool(walked)
            missing += any(code == "required" for _path, code, _message in walked)
    assert faulted > tried // 3 and missing > 0  # the variants do hit the checks, missing fields too
