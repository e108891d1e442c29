"""OCDS rules the official schema and the Data Review Tool do not check, on one release.

Each check returns :class:`Problem` objects with paths relative to the release; the caller adds
the prefix (``releases/3``). Each code has one level (``messages.CODE_LEVELS``): the rules of the
standard that its schema cannot express are ``error``s, the rest are the Bojonegoro ``profile``'s.
Red flags about amounts are :mod:`red_flags`' job.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from odc_desktop.domain.ocds.messages import problem
from odc_desktop.domain.ocds.paths import join_path
from odc_desktop.domain.problems import Problem

#: Arrays whose entries must have distinct ids.
DUPLICATE_ID_ARRAYS = frozenset({"parties", "awards", "contracts", "documents", "items", "milestones",
                                 "transactions", "amendments", "budgetBreakdown", "tenderers", "suppliers"})
DATE_TIME_KEYS = frozenset({"date", "startDate", "endDate", "maxExtentDate", "dateSigned", "dueDate",
                            "dateMet", "dateModified", "datePublished"})
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(?P<offset>Z|[+-]\d{2}:\d{2})?$")

# Open codelists of OCDS 1.1.5 (plus extension codes) whose values the schema cannot check.
OPEN_CODELISTS: dict[str, frozenset[str]] = {
    "documentType": frozenset(
        "plannedProcurementNotice procurementPlan marketStudies needsAssessment feasibilityStudy projectPlan "
        "environmentalImpact assetAndLiabilityAssessment riskProvisions tenderNotice biddingDocuments "
        "technicalSpecifications evaluationCriteria evaluationReports eligibilityCriteria clarifications "
        "shortlistedFirms hearingNotice billOfQuantity bidders complaints contractDraft contractGuarantees "
        "awardNotice winningBid contractNotice contractSigned contractAnnexe contractSchedule "
        "contractArrangements subContract contractSummary completionCertificate physicalProgressReport "
        "financialProgressReport finalAudit debarments conflictOfInterest illustration submissionDocuments "
        "cancellationDetails".split()),
    "partyRole": frozenset("buyer procuringEntity supplier tenderer funder enquirer payer payee reviewBody "
                           "interestedParty sourceParty".split()),
    "awardCriteria": frozenset("priceOnly costOnly qualityOnly ratedCriteria lowestCost bestProposal "
                               "bestValueToGovernment singleBidOnly".split()),
}


@functools.lru_cache(maxsize=4096)
def _datetime_status(value: str) -> tuple[str, dt.datetime | None]:
    """("ok", parsed) | ("no_offset", None) | ("invalid", None); cached: dates repeat a lot."""
    match = _DATE_TIME.match(value)
    if match and not match.group("offset"):
        return "no_offset", None
    if match is None:
        return "invalid", None
    try:
        return "ok", dt.datetime.fromisoformat(value)
    except ValueError:
        return "invalid", None


def parse_datetime(value: Any) -> dt.datetime | None:
    """The aware datetime of an OCDS date-time string, or None when it is not one with an offset."""
    return _datetime_status(value)[1] if isinstance(value, str) else None


def _check_datetime(value: Any, path: list[Any], key: str, lang: str, out: list[Problem]) -> None:
    if not isinstance(value, str):
        return  # a wrong type is the schema's finding
    status = _datetime_status(value)[0]
    if status == "no_offset":
        out.append(problem(join_path(*path, key), "datetime_no_offset", lang, value=value))
    elif status == "invalid":
        out.append(problem(join_path(*path, key), "datetime_invalid", lang, value=value))


def _check_ids(key: str, items: list[Any], path: list[Any], lang: str, out: list[Problem]) -> None:
    first_at: dict[str, int] = {}
    for position, item in enumerate(items):
        if not isinstance(item, dict) or item.get("id") in (None, ""):
            continue
        ident = str(item["id"])
        if ident in first_at:
            out.append(problem(join_path(*path, position, "id"), "duplicate_id", lang, id=ident, array=key,
                               first=join_path(*path, first_at[ident], "id")))
        else:
            first_at[ident] = position


def _walk(obj: Any, path: list[Any], lang: str, out: list[Problem], profile: bool = True) -> None:
    """One pass over the release: ids in arrays, date-times, periods, open codelists.

    ``path`` is a list of parts, joined only when a problem is reported (this walk visits every
    node of every release, so building path strings eagerly would dominate its cost).
    """
    if isinstance(obj, dict):
        if "startDate" in obj and "endDate" in obj:
            start, end = parse_datetime(obj["startDate"]), parse_datetime(obj["endDate"])
            if start and end and end < start:
                out.append(problem(join_path(*path, "endDate"), "period_reversed", lang,
                                   start=obj["startDate"][:10], end=obj["endDate"][:10]))
        for key, value in obj.items():
            if profile and key in DATE_TIME_KEYS:
                _check_datetime(value, path, key, lang, out)
                continue
            if profile and key in ("documentType", "awardCriteria") and isinstance(value, str):
                if value not in OPEN_CODELISTS[key]:
                    out.append(problem(join_path(*path, key), "open_codelist", lang, "warning", value=value,
                                       codelist=key))
                continue
            if profile and key == "roles" and isinstance(value, list):
                for position, role in enumerate(value):
                    if isinstance(role, str) and role not in OPEN_CODELISTS["partyRole"]:
                        out.append(problem(join_path(*path, key, position), "open_codelist", lang, "warning",
                                           value=role, codelist="partyRole"))
                continue
            if isinstance(value, (dict, list)):
                path.append(key)
                if key in DUPLICATE_ID_ARRAYS and isinstance(value, list):
                    _check_ids(key, value, path, lang, out)
                _walk(value, path, lang, out, profile)
                path.pop()
    elif isinstance(obj, list):
        for position, value in enumerate(obj):
            if isinstance(value, (dict, list)):
                path.append(position)
                _walk(value, path, lang, out, profile)
                path.pop()


def _references(release: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """(path, reference, role) of every OrganizationReference the release holds."""
    refs: list[tuple[str, Any, str]] = []
    if "buyer" in release:
        refs.append(("buyer", release["buyer"], "buyer"))
    tender = release.get("tender") if isinstance(release.get("tender"), dict) else {}
    if "procuringEntity" in tender:
        refs.append(("tender/procuringEntity", tender["procuringEntity"], "procuringEntity"))
    refs += [(f"tender/tenderers/{i}", ref, "tenderer") for i, ref in enumerate(dicts_in(tender.get("tenderers")))]
    for a, award in enumerate(dicts_in(release.get("awards"))):
        refs += [(f"awards/{a}/suppliers/{i}", ref, "supplier")
                 for i, ref in enumerate(dicts_in(award.get("suppliers")))]
    for c, contract in enumerate(dicts_in(release.get("contracts"))):
        implementation = contract.get("implementation") if isinstance(contract.get("implementation"), dict) else {}
        for t, transaction in enumerate(dicts_in(implementation.get("transactions"))):
            for key in ("payer", "payee"):
                if key in transaction:
                    refs.append((f"contracts/{c}/implementation/transactions/{t}/{key}", transaction[key], key))
    budget = (release.get("planning") or {}).get("budget") if isinstance(release.get("planning"), dict) else None
    for b, line in enumerate(dicts_in(budget.get("budgetBreakdown") if isinstance(budget, dict) else None)):
        if "sourceParty" in line:
            refs.append((f"planning/budget/budgetBreakdown/{b}/sourceParty", line["sourceParty"], "sourceParty"))
    return refs


def dicts_in(value: Any) -> list[dict[str, Any]]:
    """The dict entries of a list (anything else: none), so checks never crash on bad shapes."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _check_references(release: dict[str, Any], lang: str, out: list[Problem]) -> None:
    roles_of = {str(p.get("id")): p.get("roles") if isinstance(p.get("roles"), list) else []
                for p in dicts_in(release.get("parties")) if p.get("id") not in (None, "")}
    for path, ref, role in _references(release):
        if not isinstance(ref, dict):
            continue  # the schema reports a reference that is not an object
        if ref.get("id") in (None, ""):
            out.append(problem(path, "party_ref_no_id", lang, role=role))
        elif str(ref["id"]) not in roles_of:
            out.append(problem(join_path(path, "id"), "party_missing", lang, role=role, id=ref["id"],
                               name=ref.get("name") or "?"))
        elif role not in roles_of[str(ref["id"])]:
            out.append(problem(join_path(path, "id"), "party_role_missing", lang, role=role,
                               name=ref.get("name") or ref["id"]))


def award_link_problems(indexed: list[tuple[str, dict[str, Any]]], lang: str = "id") -> list[Problem]:
    """Every contract's awardID must name an award held by some release of its ocid.

    ``indexed`` is (path prefix, release) of each release of one ocid. Skipped when none of them
    has awards: a paged feed, or a contract release on its own, may not hold the award stage.
    """
    if not any("awards" in release for _, release in indexed):
        return []
    award_ids = {str(award.get("id")) for _, release in indexed for award in dicts_in(release.get("awards"))}
    return [problem(join_path(where, "contracts", c, "awardID"), "dangling_award_id", lang,
                    award_id=contract["awardID"])
            for where, release in indexed for c, contract in enumerate(dicts_in(release.get("contracts")))
            if "awardID" in contract and str(contract["awardID"]) not in award_ids]


def release_problems(release: dict[str, Any], lang: str = "id", award_links: bool = True) -> list[Problem]:
    """Every custom check on one release (or compiled release), paths relative to it.

    ``award_links=False`` leaves awardID targets out, for a caller that checks them across all the
    releases of the ocid instead.
    """
    out: list[Problem] = []
    _walk(release, [], lang, out)
    _check_references(release, lang, out)
    if award_links:
        out += award_link_problems([("", release)], lang)
    return out


def walk_release(release: dict[str, Any], lang: str, out: list[Problem], profile: bool = True) -> None:
    """The one-pass checks of a release into ``out``: ids in arrays and periods (the standard's rules),
    and with ``profile`` also date-time offsets and open codelist values."""
    _walk(release, [], lang, out, profile)


def check_references(release: dict[str, Any], lang: str, out: list[Problem]) -> None:
    """The organization-reference checks of a release into ``out``."""
    _check_references(release, lang, out)
