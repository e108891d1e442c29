"""Other versions of the shipped planning form, as the bytes a server would send (for registry tests).

Version 2 has different fields: ``alasan_kebutuhan`` is renamed ``latar_belakang`` and a new required
field ``nomor_dpa`` (the DPA number) is added to the first section, so data valid for version 1 is
not valid for version 2 and the other way round.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from odc_desktop.domain.forms.definition import forms_dir

NEW_FIELD = {"id": "nomor_dpa", "path": "planning/budget/project", "widget": "text", "required": True,
             "label": {"id": "Nomor DPA", "en": "DPA number"}, "max_length": 60}


def shipped_planning() -> dict[str, Any]:
    """The shipped planning form as data."""
    return yaml.safe_load((forms_dir() / "planning.yaml").read_text(encoding="utf-8"))


def planning_v2(migrations: dict[str, Any] | None = None, *, version: int = 2, title: str | None = None) -> bytes:
    """Planning version ``version`` with the fields of version 2 (see the module); ``migrations`` as in
    the form file; ``title`` changes the bytes (and so the hash) without changing the fields."""
    form = copy.deepcopy(shipped_planning())
    form["version"] = version
    for section in form["sections"]:
        for field in section["fields"]:
            if field["id"] == "alasan_kebutuhan":
                field["id"] = "latar_belakang"
    form["sections"][0]["fields"].append(dict(NEW_FIELD))
    if migrations is not None:
        form["migrations"] = migrations
    if title is not None:
        form["title"] = {"id": title, "en": title}
    return yaml.safe_dump(form, allow_unicode=True, sort_keys=False).encode("utf-8")


def planning_like_v1(version: int) -> bytes:
    """The shipped planning form's fields under another version number."""
    form = copy.deepcopy(shipped_planning())
    form["version"] = version
    return yaml.safe_dump(form, allow_unicode=True, sort_keys=False).encode("utf-8")


def valid_v2_data(v1_data: dict[str, Any]) -> dict[str, Any]:
    """Valid planning data of version 2 made from valid version-1 data."""
    data = dict(v1_data)
    data["latar_belakang"] = data.pop("alasan_kebutuhan")
    data["nomor_dpa"] = "DPA/1.03.10.2.01/2024"
    return data
