"""Same-day dates in ``date_order`` rules (issue 7, "What must be shown"): a start and an end on the
same day are accepted by every shipped rule (a one-day tender explanation, a contract signed on the
award day), the day before is refused, and the same-day entries export as a valid package."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from odc_desktop.domain.ocds import export
from odc_desktop.domain.forms.entry_checks import validate_entry
from odc_desktop.domain.forms.definition import FormSet, Rule, load_form_set
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.statuses import Stage
from odc_desktop.storage.sql import SqlRepository
from tests.unit.form_samples import VALID_DATA

FORMS = load_form_set()
DATE_RULES = [(stage, index, rule) for stage, form in FORMS.forms.items()
              for index, rule in enumerate(form.rules) if rule.type == "date_order"]
SAME_DAY = "2024-05-06"


def _with_dates(stage: str, rule: Rule, first: str, second: str) -> dict[str, dict[str, Any]]:
    """Every stage's valid data with the rule's first and second dates set (wherever they live)."""
    data = copy.deepcopy(VALID_DATA)
    for ref, value in ((rule.params["first"], first), (rule.params["second"], second)):
        where, field_id = ref.split(":", 1) if ":" in ref else (stage, ref)
        data[where][field_id] = value
    return data


def _rule_problems(stage: str, rule: Rule, data: dict[str, dict[str, Any]]) -> list:
    others = {s: d for s, d in data.items() if s != stage}
    return [p for p in validate_entry(FORMS.forms[stage], data[stage], FORMS.codelists, others)
            if p.message == rule.message["id"]]


def test_the_shipped_forms_have_date_order_rules_within_and_across_stages():
    refs = [ref for _, _, rule in DATE_RULES for ref in (rule.params["first"], rule.params["second"])]
    assert len(DATE_RULES) >= 8 and any(":" in ref for ref in refs)


@pytest.mark.parametrize(("stage", "index", "rule"), DATE_RULES,
                         ids=[f"{stage}-{index}" for stage, index, _ in DATE_RULES])
def test_a_start_and_end_on_the_same_day_are_accepted(stage: str, index: int, rule: Rule):
    assert _rule_problems(stage, rule, _with_dates(stage, rule, SAME_DAY, SAME_DAY)) == []
    refused = _rule_problems(stage, rule, _with_dates(stage, rule, SAME_DAY, "2024-05-05"))
    assert [p.code for p in refused] == ["date_order"]


def test_same_day_periods_export_as_a_valid_package(data_dir):
    forms: FormSet = FORMS
    data = copy.deepcopy(VALID_DATA)
    data["planning"].update(rencana_pemilihan_mulai=SAME_DAY, rencana_pemilihan_selesai=SAME_DAY,
                            rencana_pelaksanaan_mulai=SAME_DAY, rencana_pelaksanaan_selesai=SAME_DAY)
    data["contract"].update(mulai_kontrak="2024-06-03", selesai_kontrak="2024-06-03")
    repo = SqlRepository.open(data_dir)
    try:
        opd = forms.codelists["opd"].items[0]
        new = NewProcess(title="Perbaikan Gorong-gorong Desa Kauman", opd_code=opd.code,
                         opd_name=opd.label["id"], year=2024, kode_rup="41200001")
        process = repo.create_process(new, "ocds-a1b2c3")
        for stage in ("planning", "tender", "award", "contract"):
            form = forms.for_stage(Stage(stage))
            repo.create_entry(process.id, Stage(stage), form.id, form.version, form.content_hash, data[stage])
        result = export.export_package(repo, forms)  # validated before it is returned
    finally:
        repo.close()
    assert result.skipped == []
    tags = [release["tag"][0] for release in result.package["releases"]]
    assert sorted(tags) == ["award", "contract", "planning", "tender"]
    contract = next(r for r in result.package["releases"] if r["tag"] == ["contract"])["contracts"][0]
    assert contract["period"]["startDate"][:10] == contract["period"]["endDate"][:10] == "2024-06-03"
