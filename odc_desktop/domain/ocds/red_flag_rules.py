"""The red-flag rules over :class:`red_flags.Process` summaries, each with its reason in the catalogue.

One function per flag; each returns warnings of level ``flag`` whose message (area ``ocds``, key = the
code) says what was found and what to check. Legal numbers are data here, with their sources:

- Pengadaan Langsung ceilings: Perpres 16/2018 jo. Perpres 12/2021 — barang, pekerjaan konstruksi
  and jasa lainnya at most Rp 200.000.000; jasa konsultansi at most Rp 100.000.000.
- Minimum tender periods (announcement, ``tenderPeriod/startDate``, to the bid deadline,
  ``tenderPeriod/endDate``), in calendar days: :data:`MIN_TENDER_DAYS`. Peraturan LKPP 12/2021
  (pedoman pelaksanaan pengadaan melalui penyedia) sets the schedule per method; the project's
  stored references (indonesia-sources.md, forms/*.yaml) do not quote it, so these are conservative
  floors below the schedules the regulation allows (see docs/validation.md), to be confirmed by
  Diskominfo/UKPBJ against the regulation's text before being raised.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import re
from collections.abc import Collection

from odc_desktop.domain.ocds.messages import money, problem
from odc_desktop.domain.ocds.paths import join_path
from odc_desktop.domain.ocds.red_flags import LEVEL, Amount, Process
from odc_desktop.domain.problems import Problem

#: Pengadaan Langsung ceilings in rupiah (Perpres 16/2018 jo. 12/2021).
DIRECT_CEILING = 200_000_000
DIRECT_CEILING_CONSULTING = 100_000_000
#: "Just under" the ceiling: at least this share of it (and at most the ceiling itself).
SPLIT_BAND = 0.8
#: Titles this alike (difflib ratio of words without numbers) are "the same kind of work".
SPLIT_TITLE_SIMILARITY = 0.6
#: Minimum calendar days from announcement to bid deadline, by procurementMethodDetails (lower case).
MIN_TENDER_DAYS: dict[str, int] = {"tender": 7, "seleksi": 7, "tender cepat": 3}
COMPETITIVE = ("open", "selective")


def _flag(path: str, code: str, lang: str, **params: object) -> Problem:
    return dataclasses.replace(problem(path, code, lang, "warning", **params), level=LEVEL)


def _money_flag(path: str, code: str, lang: str, value: float, limit: float, currency: str | None) -> Problem:
    return _flag(path, code, lang, value=money(value, currency, lang), limit=money(limit, currency, lang))


def _above(value: Amount | None, ceiling: Amount | None) -> bool:
    """True when both are given, in one currency, the ceiling is not 0, and the value exceeds it."""
    return (value is not None and ceiling is not None and ceiling.amount > 0 and value.currency is not None
            and value.currency == ceiling.currency and value.amount > ceiling.amount)


def process_flags(process: Process, lang: str) -> list[Problem]:
    """Every flag about one process alone."""
    return (_check_ceilings(process, lang) + _check_contract_vs_award(process, lang) + _check_payments(process, lang)
            + _check_single_bidder(process, lang) + _check_tender_period(process, lang)
            + _check_signed_before_award(process, lang))


def _check_ceilings(process: Process, lang: str) -> list[Problem]:
    found = []
    if _above(process.hps, process.pagu):
        found.append(_money_flag(join_path(process.hps.path, "amount"), "hps_above_pagu", lang,
                                 process.hps.amount, process.pagu.amount, process.hps.currency))
    found += [_money_flag(join_path(award.path, "amount"), "award_above_hps", lang, award.amount,
                          process.hps.amount, award.currency)
              for award in process.awards.values() if _above(award, process.hps)]
    found += [_money_flag(join_path(contract.path, "amount"), "contract_above_pagu", lang, contract.amount,
                          process.pagu.amount, contract.currency)
              for contract in process.contracts.values() if _above(contract, process.pagu)]
    return found


def _award_of(process: Process, contract_id: str) -> str | None:
    """The award a contract belongs to: its awardID, or the only award of the process."""
    if contract_id in process.award_of:
        return process.award_of[contract_id]
    return next(iter(process.awards), None) if len(process.awards) == 1 else None


def _check_contract_vs_award(process: Process, lang: str) -> list[Problem]:
    found = []
    for ident, contract in process.contracts.items():
        award = process.awards.get(_award_of(process, ident) or "")
        if _above(contract, award):
            found.append(_money_flag(join_path(contract.path, "amount"), "contract_above_award", lang,
                                     contract.amount, award.amount, contract.currency))
    return found


def _check_payments(process: Process, lang: str) -> list[Problem]:
    found = []
    for ident, payments in process.payments.items():
        contract = process.contracts.get(ident)
        if contract is None or contract.amount <= 0 or not payments:
            continue
        same = [p for p in payments.values() if p.currency == contract.currency and p.currency is not None]
        total = sum(p.amount for p in same)
        if same and round(total, 2) > round(contract.amount, 2):  # sums of cents are not exact in floats
            path = same[0].path.rsplit("/", 1)[0]
            found.append(_money_flag(path, "transactions_above_contract", lang, total, contract.amount,
                                     contract.currency))
    return found


def _check_single_bidder(process: Process, lang: str) -> list[Problem]:
    bidders = process.facts.get("tenderers")
    if process.fact("method") not in COMPETITIVE or bidders is None or bidders.value != 1:
        return []
    return [_flag(bidders.path, "single_bidder", lang, method=_method_label(process))]


def _method_label(process: Process) -> str:
    return process.fact("details") or process.fact("method") or "?"


def _day(text: object) -> datetime.date | None:
    """The calendar day a date-time names (in its own offset); None when it is not a date."""
    try:
        return datetime.date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def _indonesian(process: Process) -> bool:
    """Whether Indonesian law applies: the data is in Bahasa Indonesia or its HPS/pagu in rupiah."""
    language = str(process.fact("language") or "").lower()
    return language == "id" or language.startswith("id-") or any(
        value is not None and value.currency == "IDR" for value in (process.hps, process.pagu))


def _check_tender_period(process: Process, lang: str) -> list[Problem]:
    details = str(process.fact("details") or "").strip().lower().replace("_", " ")
    minimum = MIN_TENDER_DAYS.get(details) if _indonesian(process) else None
    start, end = _day(process.fact("start")), _day(process.fact("end"))
    if minimum is None or start is None or end is None or end < start:  # a reversed period is an error already
        return []
    days = (end - start).days
    if days >= minimum:
        return []
    return [_flag(process.facts["end"].path, "tender_period_short", lang, days=days, minimum=minimum,
                  method=_method_label(process))]


def _check_signed_before_award(process: Process, lang: str) -> list[Problem]:
    found = []
    for ident, signed in process.signed.items():
        award = process.award_dates.get(_award_of(process, ident) or "")
        signed_day, award_day = _day(signed.value), _day(award.value) if award else None
        if signed_day and award_day and signed_day < award_day:
            found.append(_flag(signed.path, "contract_signed_before_award", lang, signed=signed_day.isoformat(),
                               awarded=award_day.isoformat()))
    return found


# --- packages of one OPD split under the Pengadaan Langsung ceiling --------------------------------

@dataclasses.dataclass
class _Package:
    key: str
    value: Amount
    ceiling: int
    group: tuple[str, str, str, int]   # buyer, year, category, ceiling
    words: str


def _words(title: str) -> str:
    """A title as the kind of work it names: lower case, without numbers and punctuation."""
    return " ".join(re.sub(r"[^a-z\s]", " ", title.lower()).split())


def _package(key: str, process: Process) -> _Package | None:
    if process.fact("method") in COMPETITIVE:  # it went to tender: nothing was avoided
        return None
    value = next((v for v in (process.pagu, process.hps, *process.contracts.values())
                  if v is not None and v.amount > 0), None)
    buyer, title = process.fact("buyer"), process.fact("title")
    start = str(process.fact("start") or "")
    year = start[:4] if start[:4].isdigit() else process.fact("year")
    if value is None or value.currency != "IDR" or not buyer or not title or not year:
        return None
    ceiling = DIRECT_CEILING_CONSULTING if process.fact("consulting") else DIRECT_CEILING
    if not SPLIT_BAND * ceiling <= value.amount <= ceiling:
        return None
    category = str(process.fact("category") or "")
    return _Package(key, value, ceiling, (buyer, year, category, ceiling), _words(title))


def split_package_flags(processes: dict[str, Process], lang: str, only: Collection[str] | None) -> list[Problem]:
    """Flags on each package of one buyer, year and category just under the direct-procurement ceiling
    with at least one other such package of a similar title."""
    groups: dict[tuple, list[_Package]] = {}
    for key, process in processes.items():
        package = _package(key, process)
        if package is not None:
            groups.setdefault(package.group, []).append(package)
    found = []
    for members in groups.values():
        for package in members:
            if only is not None and package.key not in only:
                continue
            alike = [other for other in members if other is not package and difflib.SequenceMatcher(
                None, package.words, other.words).ratio() >= SPLIT_TITLE_SIMILARITY]
            if alike:
                total = package.value.amount + sum(other.value.amount for other in alike)
                found.append(_flag(join_path(package.value.path, "amount"), "split_below_direct_ceiling", lang,
                                   count=len(alike) + 1, year=package.group[1],
                                   value=money(package.value.amount, "IDR", lang),
                                   limit=money(package.ceiling, "IDR", lang), total=money(total, "IDR", lang),
                                   others=", ".join(sorted(other.key for other in alike)[:5])))
    return found
