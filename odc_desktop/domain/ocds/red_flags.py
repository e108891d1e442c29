"""The ``flag`` level: red flags about the procurement itself, never errors of the data.

A :class:`FlagIndex` is fed the releases of a file one at a time (streamed: it keeps only a few
numbers, dates and words per contracting process) and then lists its flags. Amounts are compared only
within one currency and are shown in the data's own currency; an HPS (``tender/value``) or pagu
(``planning/budget/amount``) of 0 means "not given", not a ceiling. Of several releases of one
process, the newest (by ``date``) value of each field counts. The rules themselves are
:mod:`red_flag_rules`; :func:`flags_for_releases` is the one call for one process (review).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable
from typing import Any

from odc_desktop.domain.ocds.checks import dicts_in
from odc_desktop.domain.ocds.paths import join_path
from odc_desktop.domain.problems import Problem

LEVEL = "flag"


@dataclasses.dataclass
class Amount:
    """A value of the data (amount and currency) and where it is."""

    amount: float
    currency: str | None
    path: str
    date: str = ""


@dataclasses.dataclass
class Stamp:
    """A date or count of the data and where it is; ``date`` is the date of the release that said it."""

    value: Any
    path: str
    date: str = ""


def _amount(value: Any, where: str, key: str, date: str) -> Amount | None:
    """The amount of a value at ``where``/``key`` (the path is joined only for a real amount)."""
    if not isinstance(value, dict):
        return None
    amount = value.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        return None
    currency = value.get("currency")
    return Amount(float(amount), currency if isinstance(currency, str) else None, join_path(where, key), date)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclasses.dataclass
class Process:
    """What the flags need of one contracting process (one ocid): the newest of each value."""

    hps: Amount | None = None
    pagu: Amount | None = None
    awards: dict[str, Amount] = dataclasses.field(default_factory=dict)       # award id → newest value
    contracts: dict[str, Amount] = dataclasses.field(default_factory=dict)
    payments: dict[str, dict[str, Amount]] = dataclasses.field(default_factory=dict)  # contract id → id → value
    award_dates: dict[str, Stamp] = dataclasses.field(default_factory=dict)   # award id → date
    signed: dict[str, Stamp] = dataclasses.field(default_factory=dict)        # contract id → dateSigned
    award_of: dict[str, str] = dataclasses.field(default_factory=dict)        # contract id → awardID
    facts: dict[str, Stamp] = dataclasses.field(default_factory=dict)
    """method, details, category, consulting, tenderers, start, end, buyer, title, language, year."""

    def take(self, name: str, value: Any, where: str, key: str, date: str) -> None:
        """Keep ``value`` (at ``where``/``key``) as the fact ``name`` unless an older release says it
        than the one kept. The path is joined only when kept: this runs for every release."""
        if value is None:
            return
        old = self.facts.get(name)
        if old is None or date >= old.date:
            self.facts[name] = Stamp(value, f"{where}/{key}" if where else key, date)

    def fact(self, name: str) -> Any:
        found = self.facts.get(name)
        return found.value if found is not None else None


def _newer(old: Any, new: Any) -> Any:
    if new is None:
        return old
    return new if old is None or new.date >= old.date else old


class FlagIndex:
    """Collects the amounts, dates and counts of each process from its releases and lists the red flags."""

    def __init__(self) -> None:
        self.processes: dict[str, Process] = {}

    def add(self, release: Any, prefix: str = "") -> None:
        """Take what the flags need of one release (a release, compiled release or record's release)."""
        if not isinstance(release, dict):
            return
        ocid = release.get("ocid")
        key = ocid if isinstance(ocid, (str, int)) and not isinstance(ocid, bool) else f"@{prefix}"
        date = str(release.get("date") or "")
        process = self.processes.setdefault(str(key), Process())
        planning, tender = release.get("planning"), release.get("tender")
        budget = planning.get("budget") if isinstance(planning, dict) else None
        if isinstance(budget, dict):
            process.pagu = _newer(process.pagu, _amount(budget.get("amount"), prefix, "planning/budget/amount", date))
        if isinstance(tender, dict):
            process.hps = _newer(process.hps, _amount(tender.get("value"), prefix, "tender/value", date))
            _take_tender(process, tender, join_path(prefix, "tender"), date)
        buyer = release.get("buyer")
        if isinstance(buyer, dict):
            process.take("buyer", _text(buyer.get("id")) or _text(buyer.get("name")), prefix, "buyer", date)
        process.take("title", _text(release.get("title")), prefix, "title", date)
        process.take("language", _text(release.get("language")), prefix, "language", date)
        process.take("year", date[:4] if date[:4].isdigit() else None, prefix, "date", date)
        for a, award in enumerate(dicts_in(release.get("awards"))):
            ident = str(award.get("id", f"#{a}"))
            where = join_path(prefix, "awards", a)
            found = _amount(award.get("value"), where, "value", date)
            if found is not None:
                process.awards[ident] = _newer(process.awards.get(ident), found)
            if _text(award.get("date")):
                process.award_dates[ident] = _newer(process.award_dates.get(ident),
                                                    Stamp(award["date"], join_path(where, "date"), date))
        for c, contract in enumerate(dicts_in(release.get("contracts"))):
            self._add_contract(process, contract, join_path(prefix, "contracts", c), str(contract.get("id", f"#{c}")), date)

    @staticmethod
    def _add_contract(process: Process, contract: dict[str, Any], where: str, ident: str, date: str) -> None:
        found = _amount(contract.get("value"), where, "value", date)
        if found is not None:
            process.contracts[ident] = _newer(process.contracts.get(ident), found)
        if isinstance(contract.get("awardID"), (str, int)) and not isinstance(contract.get("awardID"), bool):
            process.award_of[ident] = str(contract["awardID"])
        if _text(contract.get("dateSigned")):
            process.signed[ident] = _newer(process.signed.get(ident),
                                           Stamp(contract["dateSigned"], join_path(where, "dateSigned"), date))
        implementation = contract.get("implementation")
        if isinstance(implementation, dict):
            paid = process.payments.setdefault(ident, {})
            for t, transaction in enumerate(dicts_in(implementation.get("transactions"))):
                value = transaction.get("value", transaction.get("amount"))  # 1.0 used "amount"
                got = _amount(value, where, f"implementation/transactions/{t}", date)
                if got is not None:
                    paid[str(transaction.get("id", f"#{t}"))] = got

    def problems(self, lang: str = "id", only: Collection[str] | None = None) -> list[Problem]:
        """Every red flag of every process seen (or of the processes keyed in ``only``), as warnings of
        level ``flag``. The split-package flag compares the processes of one buyer and year."""
        from odc_desktop.domain.ocds import red_flag_rules as rules  # the rules read this module's types

        found: list[Problem] = []
        for key, process in self.processes.items():
            if only is None or key in only:
                found += rules.process_flags(process, lang)
        found += rules.split_package_flags(self.processes, lang, only)
        return found


def _take_tender(process: Process, tender: dict[str, Any], where: str, date: str) -> None:
    process.take("method", _text(tender.get("procurementMethod")), where, "procurementMethod", date)
    process.take("details", _text(tender.get("procurementMethodDetails")), where, "procurementMethodDetails", date)
    process.take("category", _text(tender.get("mainProcurementCategory")), where, "mainProcurementCategory", date)
    extra = tender.get("additionalProcurementCategories")
    if isinstance(extra, list):
        process.take("consulting", "consultingServices" in extra, where, "additionalProcurementCategories", date)
    if process.fact("title") is None:
        process.take("title", _text(tender.get("title")), where, "title", "")
    period = tender.get("tenderPeriod")
    if isinstance(period, dict):
        process.take("start", _text(period.get("startDate")), where, "tenderPeriod/startDate", date)
        process.take("end", _text(period.get("endDate")), where, "tenderPeriod/endDate", date)
    count, key = _bidders(tender)
    process.take("tenderers", count, where, key, date)


def _bidders(tender: dict[str, Any]) -> tuple[int | None, str]:
    """How many bid, and where inside the tender that was read: ``numberOfTenderers``, else the bids
    extension's statistics, else the length of ``tenderers``."""
    count = _count(tender.get("numberOfTenderers"))
    if count is not None:
        return count, "numberOfTenderers"
    bids = tender.get("bids")  # the bids extension (tender/bids in some publishers' data)
    for s, statistic in enumerate(dicts_in(bids.get("statistics") if isinstance(bids, dict) else None)):
        if statistic.get("measure") in ("bids", "validBids") and _count(statistic.get("value")) is not None:
            return statistic["value"], f"bids/statistics/{s}/value"
    tenderers = dicts_in(tender.get("tenderers"))
    return (len(tenderers), "tenderers") if tenderers else (None, "")


def flags_for_releases(releases: Iterable[Any], lang: str = "id", neighbours: Iterable[Any] = ()) -> list[Problem]:
    """The red flags of one process from its releases (paths relative to each release, as in a form).

    ``neighbours`` are releases of other processes of the same buyer: they are only compared with this
    one (split packages), never flagged themselves.
    """
    index = FlagIndex()
    own: set[str] = set()
    for release in releases:
        index.add(release)
        if isinstance(release, dict):
            own.add(str(release.get("ocid")) if release.get("ocid") is not None else "@")
    for release in neighbours:
        if isinstance(release, dict) and str(release.get("ocid")) not in own:
            index.add(release, "@neighbour")
    return index.problems(lang, only=own)
