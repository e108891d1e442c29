"""The ``flag`` level: red flags about the procurement itself, never errors of the data.

A :class:`FlagIndex` is fed the releases of a file one at a time (streamed: it keeps only a few
numbers per contracting process) and then lists its flags. Amounts are compared only within one
currency and are shown in the data's own currency; an HPS (``tender/value``) or pagu
(``planning/budget/amount``) of 0 means "not given", not a ceiling. Review's red flags (issue 9)
are added as more ``_check_*`` functions over the same per-process summary.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from odc_desktop.domain.ocds.messages import money, problem
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


def _amount(value: Any, path: str, date: str) -> Amount | None:
    if not isinstance(value, dict):
        return None
    amount = value.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        return None
    currency = value.get("currency")
    return Amount(float(amount), currency if isinstance(currency, str) else None, path, date)


@dataclasses.dataclass
class Process:
    """What the flags need of one contracting process (one ocid): the newest HPS and pagu, every value."""

    hps: Amount | None = None
    pagu: Amount | None = None
    awards: dict[str, Amount] = dataclasses.field(default_factory=dict)       # award id → newest value
    contracts: dict[str, Amount] = dataclasses.field(default_factory=dict)
    payments: dict[str, dict[str, Amount]] = dataclasses.field(default_factory=dict)  # contract id → id → value


def _newer(old: Amount | None, new: Amount | None) -> Amount | None:
    if new is None:
        return old
    return new if old is None or new.date >= old.date else old


class FlagIndex:
    """Collects the amounts of each process from its releases and lists the red flags."""

    def __init__(self) -> None:
        self.processes: dict[str, Process] = {}

    def add(self, release: Any, prefix: str = "") -> None:
        """Take the amounts of one release (a release, compiled release or record's release)."""
        if not isinstance(release, dict):
            return
        ocid = release.get("ocid")
        key = ocid if isinstance(ocid, (str, int)) and not isinstance(ocid, bool) else f"@{prefix}"
        date = str(release.get("date") or "")
        process = self.processes.setdefault(str(key), Process())
        planning, tender = release.get("planning"), release.get("tender")
        budget = planning.get("budget") if isinstance(planning, dict) else None
        if isinstance(budget, dict):
            process.pagu = _newer(process.pagu, _amount(budget.get("amount"), join_path(prefix, "planning/budget/amount"), date))
        if isinstance(tender, dict):
            process.hps = _newer(process.hps, _amount(tender.get("value"), join_path(prefix, "tender/value"), date))
        for a, award in enumerate(dicts_in(release.get("awards"))):
            ident = str(award.get("id", f"#{a}"))
            found = _amount(award.get("value"), join_path(prefix, "awards", a, "value"), date)
            if found is not None:
                process.awards[ident] = _newer(process.awards.get(ident), found)
        for c, contract in enumerate(dicts_in(release.get("contracts"))):
            ident = str(contract.get("id", f"#{c}"))
            found = _amount(contract.get("value"), join_path(prefix, "contracts", c, "value"), date)
            if found is not None:
                process.contracts[ident] = _newer(process.contracts.get(ident), found)
            implementation = contract.get("implementation")
            if isinstance(implementation, dict):
                paid = process.payments.setdefault(ident, {})
                for t, transaction in enumerate(dicts_in(implementation.get("transactions"))):
                    value = transaction.get("value", transaction.get("amount"))  # 1.0 used "amount"
                    got = _amount(value, join_path(prefix, "contracts", c, "implementation/transactions", t), date)
                    if got is not None:
                        paid[str(transaction.get("id", f"#{t}"))] = got

    def problems(self, lang: str = "id") -> list[Problem]:
        """Every red flag of every process seen, as warnings of level ``flag``."""
        found: list[Problem] = []
        for process in self.processes.values():
            found += _check_ceilings(process, lang)
            found += _check_payments(process, lang)
        return found


def _above(value: Amount | None, ceiling: Amount | None) -> bool:
    """True when both are given, in one currency, the ceiling is not 0, and the value exceeds it."""
    return (value is not None and ceiling is not None and ceiling.amount > 0 and value.currency is not None
            and value.currency == ceiling.currency and value.amount > ceiling.amount)


def _flag(path: str, code: str, lang: str, value: float, limit: float, currency: str | None) -> Problem:
    found = problem(path, code, lang, "warning", value=money(value, currency, lang), limit=money(limit, currency, lang))
    return dataclasses.replace(found, level=LEVEL)


def _check_ceilings(process: Process, lang: str) -> list[Problem]:
    found = [_flag(join_path(award.path, "amount"), "award_above_hps", lang, award.amount, process.hps.amount,
                   award.currency)
             for award in process.awards.values() if _above(award, process.hps)]
    found += [_flag(join_path(contract.path, "amount"), "contract_above_pagu", lang, contract.amount,
                    process.pagu.amount, contract.currency)
              for contract in process.contracts.values() if _above(contract, process.pagu)]
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
            found.append(_flag(path, "transactions_above_contract", lang, total, contract.amount, contract.currency))
    return found
