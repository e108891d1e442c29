"""Stage entries → OCDS 1.1.5 releases (one per entry), plus packages and compiled records.

Form field paths are OCDS paths, so building a release is writing each field's value at its path,
converted by widget (money → amount + IDR, date → midnight WIB, select → OCDS code + Indonesian
label, organization → party references). The releases of one process are built together so every
party carries the union of its roles across the process: ocdsmerge replaces ``roles`` lists whole,
and a compiled record would otherwise keep only the roles of the last release.
"""

from __future__ import annotations

import copy
import hashlib
import re
from typing import Any

from odc_desktop.domain.forms.definition import Codelist, Field, FormDefinition
from odc_desktop.domain.forms.lookup import FormLookup, own_form
from odc_desktop.domain.model import Attachment, Entry, Process
from odc_desktop.domain.ocid import UNREGISTERED_OCID_PREFIX
from odc_desktop.domain.ocds.packages import (
    DEFAULT_PUBLISHER_NAME, LICENSE_URL, LOCAL_EXTENSION_URL, PUBLICATION_POLICY_URL,
    REGISTERED_EXTENSIONS, compile_record, extensions_used, group_by_ocid, record_package,
    release_package, to_ocds_datetime)
from odc_desktop.domain.parsing import parse_npwp
from odc_desktop.domain.ocds.paths import get_path, parent_path, set_path, split_path
from odc_desktop.domain.statuses import EntryStatus

__all__ = [
    "DEFAULT_OCID_PREFIX", "DEFAULT_PUBLISHER_NAME", "LICENSE_URL", "LOCAL_EXTENSION_URL",
    "PUBLICATION_POLICY_URL", "REGISTERED_EXTENSIONS", "build_process_releases", "compile_record",
    "extensions_used", "group_by_ocid", "record_package", "release_package", "to_ocds_datetime"]

#: Default ocid prefix: the unregistered placeholder (see :mod:`odc_desktop.domain.ocid`). The
#: settings say whether the prefix in use is still this placeholder (``ocid_prefix_is_placeholder``).
DEFAULT_OCID_PREFIX = UNREGISTERED_OCID_PREFIX

#: The party role implied by the key an OrganizationReference sits under.
ROLE_OF_KEY = {"buyer": "buyer", "procuringEntity": "procuringEntity", "suppliers": "supplier",
               "tenderers": "tenderer", "payer": "payer", "payee": "payee", "sourceParty": "sourceParty"}
#: OCDS fields holding a list of OrganizationReferences (a single organization is still a list).
REFERENCE_LISTS = frozenset({"suppliers", "tenderers"})
#: Arrays merged by id: objects the forms create in them get id = position + 1.
ID_ARRAYS = frozenset({"items", "milestones", "transactions", "amendments", "budgetBreakdown",
                       "documents", "awards", "contracts"})
UPDATE_TAGS = {"planning": "planningUpdate", "tender": "tenderUpdate", "award": "awardUpdate",
               "contract": "contractUpdate", "implementation": "implementationUpdate"}
_SKIP = object()  # a placeholder that cannot be resolved yet (e.g. {supplier} before any award)


def _stage_name(entry: Entry) -> str:
    return str(getattr(entry.stage, "value", entry.stage))


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


class _Parties:
    """The parties of one process: organizations by id with the union of their roles."""

    def __init__(self, process: Process):
        self.ocid = process.ocid
        self.by_id: dict[str, dict[str, Any]] = {}
        self.buyer = self.add({"id": f"ID-SATKER-{process.opd_code}", "name": process.opd_name},
                              ("buyer", "procuringEntity"))

    def add(self, party: dict[str, Any], roles: tuple[str, ...] | list[str]) -> dict[str, str]:
        """Record ``party`` (later details win) with ``roles``; return its reference."""
        known = self.by_id.setdefault(party["id"], {"id": party["id"], "roles": []})
        known.update({key: value for key, value in party.items() if key != "roles"})
        self.add_roles(party["id"], roles)
        return {"id": party["id"], "name": known["name"]}

    def add_roles(self, party_id: str, roles: tuple[str, ...] | list[str]) -> None:
        known = self.by_id[party_id]["roles"]
        known.extend(role for role in roles if role not in known)

    def organization(self, org: dict[str, Any], roles: tuple[str, ...] | list[str]) -> dict[str, str] | None:
        """Reference to the party made from an organization field value (None without a name)."""
        name = " ".join(str(org.get("name") or "").split())
        if not name:
            return None
        npwp = _npwp16(org.get("npwp"))
        party: dict[str, Any] = {"name": name}
        if npwp:
            party["id"] = f"ID-DJP-{npwp}"
            party["identifier"] = {"scheme": "ID-DJP", "id": npwp, "legalName": name}
        else:
            digest = hashlib.sha1(name.casefold().encode("utf-8")).hexdigest()[:8]
            party["id"] = f"{self.ocid}-org-{digest}"
        if org.get("address"):
            party["address"] = {"streetAddress": str(org["address"]).strip(), "countryName": "Indonesia"}
        if org.get("scale"):
            party["details"] = {"scale": org["scale"]}
        return self.add(party, roles)


class _ProcessReleases:
    """Builds the releases of one process; parties are attached once every entry is read."""

    def __init__(self, process: Process, forms: FormLookup):
        self.process = process
        self.forms = forms
        self.parties = _Parties(process)
        self.ids = {"ocid": process.ocid, "award_id": f"{process.ocid}-award-1",
                    "contract_id": f"{process.ocid}-contract-1"}
        self.supplier_candidates: list[dict[str, str]] = []
        #: The codelists of the form whose entry is being written (each entry has its own form).
        self.codelists: dict[str, Codelist] = forms.codelists

    # --- values -------------------------------------------------------------------------------
    def resolve(self, value: Any, key: str) -> Any:
        """Replace placeholders in a constant; ``key`` is the field the value is written to."""
        if value == "{buyer}" or value == "{supplier}":
            ref = self.parties.buyer if value == "{buyer}" else self.first_supplier()
            if ref is None:
                return _SKIP
            if key in ROLE_OF_KEY:
                self.parties.add_roles(ref["id"], [ROLE_OF_KEY[key]])
            return dict(ref)
        if isinstance(value, str):
            for name, replacement in self.ids.items():
                value = value.replace("{" + name + "}", replacement)
            return value
        if isinstance(value, dict):
            return {k: v for k, v in ((k, self.resolve(v, k)) for k, v in value.items()) if v is not _SKIP}
        if isinstance(value, list):
            return [v for v in (self.resolve(item, key) for item in value) if v is not _SKIP]
        return value

    def first_supplier(self) -> dict[str, str] | None:
        """The first supplier of the latest award entry read so far (awards are read first)."""
        return self.supplier_candidates[-1] if self.supplier_candidates else None

    def write_constants(self, target: dict[str, Any], constants: dict[str, Any]) -> None:
        for path, value in constants.items():
            resolved = self.resolve(value, str(split_path(path)[-1]))
            if resolved is not _SKIP:
                set_path(target, path, resolved)

    def write_field(self, target: dict[str, Any], field: Field, value: Any) -> None:
        """Write one field's value into ``target`` (a release, or one item of a group)."""
        if _is_empty(value):
            return
        widget, path = field.widget, field.path
        if widget == "money":
            set_path(target, path, int(value))
            if path.endswith("amount"):
                set_path(target, f"{parent_path(path)}/currency" if "/" in path else "currency", "IDR")
        elif widget == "date":
            set_path(target, path, to_ocds_datetime(value))
        elif widget == "percent":
            set_path(target, path, float(value))
        elif widget in ("text", "textarea"):
            if str(value).strip():
                set_path(target, path, str(value).strip())
        elif widget == "select":
            self.write_select(target, field, value)
        elif widget == "organization":
            self.write_organization(target, field, value)
        elif widget == "group":
            self.write_group(target, field, value)
        else:  # number, and any widget whose value is written as entered
            set_path(target, path, value)

    def write_select(self, target: dict[str, Any], field: Field, code: Any) -> None:
        codelist = self.codelists.get(field.codelist or "")
        item = codelist.item(code) if codelist else None
        if item is None:  # an unknown code is kept as entered; layer 1 reports it
            set_path(target, field.path, code)
            return
        set_path(target, field.path, item.ocds if item.ocds is not None else item.code)
        if field.details_path:
            set_path(target, field.details_path, item.label.get("id") or item.code)
        for path, value in item.also.items():
            set_path(target, path, copy.deepcopy(value))

    def write_organization(self, target: dict[str, Any], field: Field, value: Any) -> None:
        key = str(split_path(field.path)[-1])
        roles = list(field.roles) + ([ROLE_OF_KEY[key]] if key in ROLE_OF_KEY else [])
        orgs = value if isinstance(value, list) else [value]
        refs = [ref for ref in (self.parties.organization(org, roles) for org in orgs if isinstance(org, dict))
                if ref is not None]
        if not refs:
            return
        if "supplier" in roles:
            self.supplier_candidates.append(refs[0])
        set_path(target, field.path, refs if (field.multiple or key in REFERENCE_LISTS) else refs[0])

    def write_group(self, target: dict[str, Any], field: Field, rows: Any) -> None:
        items = []
        for row in rows if isinstance(rows, list) else []:
            item: dict[str, Any] = {}
            for child in field.fields:
                self.write_field(item, child, row.get(child.id) if isinstance(row, dict) else None)
            if item:
                self.write_constants(item, field.item_constants)
                items.append(item)
        if items:
            set_path(target, field.path, items)

    # --- releases ------------------------------------------------------------------------------
    def body(self, entry: Entry, form: FormDefinition, attachments: list[Attachment],
             tag: str) -> dict[str, Any]:
        """The release of one entry, without its parties. Its id names the entry's content by its
        local edit counter, which changes with every data or document change (the server revision
        changes only when a server accepts it)."""
        self.codelists = self.forms.codelists_for(form)
        release: dict[str, Any] = {
            "ocid": self.process.ocid, "id": f"{_stage_name(entry)}-{entry.uid}-r{entry.edit_seq}",
            "date": to_ocds_datetime(entry.updated_at), "tag": [tag], "initiationType": "tender",
            "language": "id", "title": self.process.title, "buyer": dict(self.parties.buyer)}
        for field in form.all_fields():
            self.write_field(release, field, entry.data.get(field.id))
        self.write_constants(release, form.constants)
        documents = _documents(attachments, self.codelists)
        if documents:
            merged = list(get_path(release, form.documents_path) or [])
            known = {doc.get("id") for doc in merged}
            for document in documents:  # the same file attached twice is one document
                if document["id"] not in known:
                    known.add(document["id"])
                    merged.append(document)
            set_path(release, form.documents_path, merged)
        if "tender" in release:
            release["tender"].setdefault("id", f"{self.process.ocid}-tender-1")
            release["tender"]["procuringEntity"] = dict(self.parties.buyer)
            self._kecamatan(release["tender"])
        _fill_missing_ids(release)
        return release

    def _kecamatan(self, tender: dict[str, Any]) -> None:
        items = tender.get("items")
        if not self.process.kecamatan or not items:
            return
        codelist = self.forms.codelists.get("kecamatan")
        item = codelist.item(self.process.kecamatan) if codelist else None
        locality = item.label.get("id") if item else self.process.kecamatan
        items[0].setdefault("deliveryAddress", {"locality": locality, "region": "Jawa Timur",
                                                "countryName": "Indonesia"})

    def attach_parties(self, release: dict[str, Any]) -> None:
        ids: list[str] = []
        _referenced_ids(release, ids)
        release["parties"] = [copy.deepcopy(self.parties.by_id[pid]) for pid in ids if pid in self.parties.by_id]


def _referenced_ids(obj: Any, found: list[str]) -> None:
    """Collect (in order, once) the ids of every OrganizationReference inside ``obj``."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key in ROLE_OF_KEY:
                for ref in value if isinstance(value, list) else [value]:
                    if isinstance(ref, dict) and ref.get("id") not in found:
                        found.append(ref.get("id"))
            else:
                _referenced_ids(value, found)
    elif isinstance(obj, list):
        for value in obj:
            _referenced_ids(value, found)


def _fill_missing_ids(obj: Any) -> None:
    """Give objects in id-merged arrays that have no id the id ``position + 1``."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key in ID_ARRAYS and isinstance(value, list):
                for position, item in enumerate(value):
                    if isinstance(item, dict) and _is_empty(item.get("id")):
                        item["id"] = str(position + 1)
            _fill_missing_ids(value)
    elif isinstance(obj, list):
        for value in obj:
            _fill_missing_ids(value)


def _documents(attachments: list[Attachment], codelists: dict[str, Codelist]) -> list[dict[str, Any]]:
    """OCDS documents of an entry's attachments; documentType comes from ``jenis_dokumen``."""
    codelist = codelists.get("jenis_dokumen")
    documents = []
    for attachment in attachments:
        item = codelist.item(attachment.document_type) if codelist else None
        document: dict[str, Any] = {
            "id": attachment.sha256[:16],
            "documentType": (item.ocds or item.code) if item else attachment.document_type,
            "title": attachment.title or attachment.filename,
            "format": attachment.mime,
            "datePublished": to_ocds_datetime(attachment.created_at),
            "language": "id"}
        documents.append({key: value for key, value in document.items() if not _is_empty(value)})
    return documents


def _release_tag(entry: Entry, form: FormDefinition, entries: list[Entry]) -> str:
    """The form's tag, or its ``…Update`` when the entry supersedes an approved one of its stage."""
    superseded = [other for other in entries
                  if other.stage == entry.stage and other.status == EntryStatus.APPROVED
                  and (other.created_at, other.id) < (entry.created_at, entry.id)]
    if not superseded:
        return form.release_tag
    if form.release_tag == "contract" and len(entry.data.get("adendum") or []) > max(
            len(other.data.get("adendum") or []) for other in superseded):
        return "contractAmendment"
    return UPDATE_TAGS.get(form.release_tag, form.release_tag)


def build_process_releases(process: Process, entries: list[Entry], forms: FormLookup,
                           attachments_by_entry: dict[int, list[Attachment]] | None = None,
                           history: list[Entry] | None = None) -> list[dict[str, Any]]:
    """Return one OCDS release per entry (in the order given) of one process.

    Every release carries the parties it references, each with the union of its roles across
    all the given entries. ``attachments_by_entry`` maps entry id → its attachments. ``history``:
    every entry of the process (default: ``entries``), which tells whether an entry supersedes an
    approved one (an update or amendment) when only some entries are released.
    """
    attachments_by_entry = attachments_by_entry or {}
    builder = _ProcessReleases(process, forms)
    releases = []
    # Award entries first, so {supplier} resolves in implementation releases built before them.
    own = [own_form(forms, entry) for entry in entries]  # FormMissing when one is not here
    order = sorted(range(len(entries)), key=lambda i: (own[i].release_tag != "award", i))
    built: dict[int, dict[str, Any]] = {}
    for index in order:
        entry, form = entries[index], own[index]
        tag = _release_tag(entry, form, entries if history is None else history)
        built[index] = builder.body(entry, form, attachments_by_entry.get(entry.id, []), tag)
    for index in range(len(entries)):
        builder.attach_parties(built[index])
        releases.append(built[index])
    return releases


def _npwp16(value: Any) -> str:
    """The 16-digit NPWP of a stored value (older entries may hold 15 digits), "" when none."""
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        return parse_npwp(text)
    except ValueError:  # not an NPWP: validation keeps such an entry from being exported
        return re.sub(r"\D", "", text)
