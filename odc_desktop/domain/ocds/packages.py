"""OCDS release packages, compiled records and record packages, built offline.

Re-exported by :mod:`odc_desktop.domain.ocds.release`, which is the module callers import. Records are
compiled with ``ocdsmerge`` and the project's profile schema, so no schema is ever fetched.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from typing import Any, Iterable

import ocdsmerge

from odc_desktop.domain.ocds import profile
from odc_desktop.messages import CodedError


class NotOneRecord(CodedError, ValueError):
    """Releases that do not make one record."""

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")

DEFAULT_PUBLISHER_NAME = "Pemerintah Kabupaten Bojonegoro"
#: Where the central server publishes; the server passes its own URLs when it has other ones.
PUBLIC_BASE_URL = "https://opendata.bojonegorokab.go.id/ocds"
DEFAULT_RELEASE_PACKAGE_URI = f"{PUBLIC_BASE_URL}/releases.json"
DEFAULT_RECORD_PACKAGE_URI = f"{PUBLIC_BASE_URL}/records.json"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
PUBLICATION_POLICY_URL = f"{PUBLIC_BASE_URL}/kebijakan-publikasi"
#: The local extension (odc_desktop/domain/ocds/profile/extension.json) as the server serves it.
LOCAL_EXTENSION_URL = f"{PUBLIC_BASE_URL}/extension/v1/extension.json"

_REGISTRY = "https://raw.githubusercontent.com/open-contracting-extensions"
#: Registered extensions the builder may use, keyed by the registry id.
REGISTERED_EXTENSIONS: dict[str, str] = {
    "budget": f"{_REGISTRY}/ocds_budget_breakdown_extension/master/extension.json",
    "location": f"{_REGISTRY}/ocds_location_extension/master/extension.json",
    "process_title": f"{_REGISTRY}/ocds_process_title_extension/master/extension.json",
    "contract_completion": f"{_REGISTRY}/ocds_contract_completion_extension/master/extension.json",
    "partyScale": f"{_REGISTRY}/ocds_partyDetails_scale_extension/master/extension.json",
}

# Index-free paths (``a/b/c``) whose presence means an extension is used.
_EXTENSION_MARKERS: dict[str, tuple[str, ...]] = {
    "budget": ("planning/budget/budgetBreakdown",),
    "location": tuple(f"{section}/items/{field}" for section in ("tender", "awards", "contracts")
                      for field in ("deliveryLocation", "deliveryAddress")),
    "process_title": ("title", "description"),
    "contract_completion": tuple(f"contracts/implementation/{field}" for field in
                                 ("endDate", "endDateDetails", "finalValue", "finalValueDetails")),
    "partyScale": ("parties/details/scale",),
}


def to_ocds_datetime(value: str | dt.date | dt.datetime) -> str:
    """Return an OCDS date-time in WIB (``YYYY-MM-DDTHH:MM:SS+07:00``).

    A date alone becomes midnight WIB; a date-time without an offset is taken as WIB (the
    operator's clock); one with an offset (``Z``, ``+00:00``) is converted to WIB.
    """
    if isinstance(value, str):
        text = value.strip()
        parsed: dt.date | dt.datetime = (dt.date.fromisoformat(text) if len(text) == 10
                                         else dt.datetime.fromisoformat(text))
    else:
        parsed = value
    if not isinstance(parsed, dt.datetime):
        parsed = dt.datetime(parsed.year, parsed.month, parsed.day)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=WIB)
    return parsed.astimezone(WIB).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%S+07:00")


def _key_paths(obj: Any, prefix: str, found: set[str]) -> None:
    """Collect the index-free path of every key inside ``obj``."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            path = f"{prefix}/{key}" if prefix else key
            found.add(path)
            _key_paths(value, path, found)
    elif isinstance(obj, list):
        for value in obj:
            _key_paths(value, prefix, found)


def extensions_used(releases: Iterable[dict[str, Any]]) -> list[str]:
    """URLs of the registered extensions (plus the local one) whose fields the releases use."""
    found: set[str] = set()
    for release in releases:
        _key_paths(release, "", found)
    urls = [REGISTERED_EXTENSIONS[name] for name, markers in _EXTENSION_MARKERS.items()
            if any(marker in found for marker in markers)]
    if any(path.rpartition("/")[2].startswith("x_") for path in found):
        urls.append(LOCAL_EXTENSION_URL)
    return urls


def _package_metadata(releases: list[dict[str, Any]], published_date: str | dt.datetime, publisher_name: str,
                      uri: str) -> dict[str, Any]:
    package: dict[str, Any] = {
        "uri": uri,
        "version": "1.1",
        "publishedDate": to_ocds_datetime(published_date),
        "publisher": {"name": publisher_name},
        "license": LICENSE_URL,
        "publicationPolicy": PUBLICATION_POLICY_URL,
    }
    extensions = extensions_used(releases)
    if extensions:  # an empty list is flagged by the Data Review Tool as an empty field
        package["extensions"] = extensions
    return package


def release_package(releases: list[dict[str, Any]], published_date: str | dt.datetime,
                    publisher_name: str = DEFAULT_PUBLISHER_NAME,
                    uri: str = DEFAULT_RELEASE_PACKAGE_URI) -> dict[str, Any]:
    """Wrap releases in an OCDS 1.1 release package (license, policy and extensions included)."""
    package = _package_metadata(releases, published_date, publisher_name, uri)
    package["releases"] = releases
    return package


@functools.cache
def _merger() -> ocdsmerge.Merger:
    # Built once from the profile schema: Merger() without a schema would download one.
    return ocdsmerge.Merger(schema=copy.deepcopy(profile.release_schema()))


def compile_record(releases: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the OCDS record of one process: its releases (oldest first) and compiled release.

    Raises ``ValueError`` when the releases are empty or belong to more than one ocid.
    """
    ocids = {release.get("ocid") for release in releases}
    if len(ocids) != 1:
        raise NotOneRecord("ocds.record_ocids", ocids=sorted(map(str, ocids)))
    ordered = sorted(releases, key=lambda release: release["date"])
    return {
        "ocid": ordered[0]["ocid"],
        "releases": ordered,
        "compiledRelease": _merger().create_compiled_release(ordered),
    }


def group_by_ocid(releases: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Releases grouped by ocid, in the order each ocid first appears."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for release in releases:
        groups.setdefault(release["ocid"], []).append(release)
    return groups


def record_package(releases: list[dict[str, Any]], published_date: str | dt.datetime,
                   publisher_name: str = DEFAULT_PUBLISHER_NAME,
                   uri: str = DEFAULT_RECORD_PACKAGE_URI) -> dict[str, Any]:
    """An OCDS 1.1 record package with one compiled record per ocid found in ``releases``."""
    package = _package_metadata(releases, published_date, publisher_name, uri)
    package["records"] = [compile_record(group) for group in group_by_ocid(releases).values()]
    return package
