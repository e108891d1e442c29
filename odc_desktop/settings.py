"""Settings declared once, typed, with defaults and labels (stored as settings.json in the data dir).

Both the CLI and the desktop app read them through :class:`Settings`; nothing else reads or writes the
file, and no code calls QSettings.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from odc_desktop.domain.ocid import UNREGISTERED_OCID_PREFIX
from odc_desktop.messages import CodedError

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"


@dataclasses.dataclass(frozen=True)
class SettingDef:
    """One setting: key, type, default, labels and help in Bahasa Indonesia and English."""

    key: str
    type: type
    default: Any
    label: dict[str, str]
    help: dict[str, str]
    choices: tuple[Any, ...] = ()
    #: Set by Diskominfo's admin, not the operator: shown under "Pengaturan lanjutan".
    advanced: bool = False
    #: The value is a code of this codelist (forms/codelists/<id>.yaml), chosen from a list.
    codelist: str | None = None


SETTINGS: tuple[SettingDef, ...] = (
    SettingDef("ocid_prefix", str, UNREGISTERED_OCID_PREFIX,
               {"id": "Prefiks OCID", "en": "OCID prefix"},
               {"id": "Prefiks dari Open Contracting Partnership, bentuk ocds-xxxxxx. Bawaan "
                      f"'{UNREGISTERED_OCID_PREFIX}' BELUM terdaftar: ganti sebelum publikasi.",
                "en": "Prefix issued by the Open Contracting Partnership, form ocds-xxxxxx. The default "
                      f"'{UNREGISTERED_OCID_PREFIX}' is NOT registered: replace it before publishing."},
               advanced=True),
    SettingDef("server_url", str, "http://127.0.0.1:8765",
               {"id": "Alamat server", "en": "Server address"},
               {"id": "Alamat server pusat ODC (Diskominfo), mis. https://odc.bojonegorokab.go.id",
                "en": "Address of the central ODC server (Diskominfo)"}, advanced=True),
    SettingDef("language", str, "id", {"id": "Bahasa", "en": "Language"},
               {"id": "Bahasa tampilan aplikasi", "en": "Language of the application"}, ("id", "en")),
    SettingDef("operator_name", str, "",
               {"id": "Nama operator", "en": "Operator name"},
               {"id": "Dicatat di riwayat perubahan", "en": "Recorded in the change history"}),
    SettingDef("default_opd", str, "",
               {"id": "OPD tempat Anda bertugas", "en": "OPD you work for"},
               {"id": "Dipilih otomatis untuk paket baru; ketik untuk mencari",
                "en": "Chosen for new processes; type to search"}, codelist="opd"),
    SettingDef("backup_keep", int, 7,
               {"id": "Cadangan harian disimpan", "en": "Daily backups kept"},
               {"id": "Saat aplikasi dibuka, data dicadangkan bila cadangan terakhir lebih dari sehari; "
                      "sebanyak ini yang terbaru disimpan. 0 = tanpa cadangan otomatis.",
                "en": "When the app starts, the data is backed up if the last backup is more than a day "
                      "old; this many of the newest are kept. 0 = no automatic backup."},
               (0, 1, 3, 7, 14, 30)),
    SettingDef("backup_folder", str, "",
               {"id": "Folder cadangan", "en": "Backup folder"},
               {"id": "Tempat cadangan harian, sebaiknya di disk lain atau flashdisk. Kosong = folder "
                      "'backups' di folder data.",
                "en": "Where daily backups go, preferably another disk or a USB drive. Empty = the "
                      "'backups' folder in the data folder."}),
)

_DEFS = {d.key: d for d in SETTINGS}


class SettingsError(CodedError, ValueError):
    """A setting got a value of the wrong type or outside its choices (the catalogue's area ``settings``)."""


class Settings:
    """Typed access to settings.json; unknown keys in the file are kept but ignored."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / SETTINGS_FILE
        self._values: dict[str, Any] = {}
        # The whole file as read, so keys this version does not know survive a save.
        self._raw: dict[str, Any] = {}
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            # A damaged settings file must not stop the operator: fall back to defaults, keep the file.
            log.warning("settings file %s unreadable (%s); using defaults", self.path, exc)
            return
        if isinstance(raw, dict):
            self._raw = raw
            for key, value in raw.items():
                definition = _DEFS.get(key)
                if definition and isinstance(value, definition.type):
                    self._values[key] = value

    def get(self, key: str) -> Any:
        return self._values.get(key, _DEFS[key].default)

    def set(self, key: str, value: Any) -> None:
        """Set and persist one setting atomically."""
        definition = _DEFS.get(key)
        if definition is None:
            raise SettingsError("settings.unknown", key=key)
        if not isinstance(value, definition.type):
            raise SettingsError("settings.wrong_type", label=definition.label, type=definition.type.__name__)
        if definition.choices and value not in definition.choices:
            raise SettingsError("settings.not_a_choice", value=value, label=definition.label)
        if key == "ocid_prefix":
            validate_ocid_prefix(value)
        self._values[key] = value
        self._save()

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".settings-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({**self._raw, **self._values}, fh, ensure_ascii=False, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    @property
    def ocid_prefix(self) -> str:
        return self.get("ocid_prefix")

    @property
    def ocid_prefix_is_placeholder(self) -> bool:
        return self.ocid_prefix == UNREGISTERED_OCID_PREFIX

    @property
    def backup_folder(self) -> Path:
        """Where daily backups go: the chosen folder, else ``backups`` in the data dir."""
        chosen = self.get("backup_folder").strip()
        return Path(chosen).expanduser() if chosen else self.path.parent / "backups"


def validate_ocid_prefix(prefix: str) -> None:
    """Raise SettingsError unless prefix looks like an OCP-issued prefix (ocds- + 6 a-z0-9)."""
    import re

    if not re.fullmatch(r"ocds-[a-z0-9]{6}", prefix):
        raise SettingsError("settings.ocid_prefix")
