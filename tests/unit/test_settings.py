"""Settings are declared once, typed, persisted atomically, and a damaged file never stops the app."""

from __future__ import annotations

import json

import pytest

from odc_desktop.settings import SETTINGS, UNREGISTERED_OCID_PREFIX, Settings, SettingsError


def test_defaults_and_labels_in_both_languages(data_dir):
    settings = Settings(data_dir)
    assert settings.ocid_prefix == UNREGISTERED_OCID_PREFIX
    assert settings.ocid_prefix_is_placeholder
    assert settings.get("language") == "id"
    for definition in SETTINGS:
        assert definition.label["id"] and definition.label["en"]
        assert definition.help["id"] and definition.help["en"]


def test_values_persist_across_instances(data_dir):
    Settings(data_dir).set("ocid_prefix", "ocds-a1b2c3")
    Settings(data_dir).set("server_url", "https://odc.bojonegorokab.go.id")
    again = Settings(data_dir)
    assert again.ocid_prefix == "ocds-a1b2c3"
    assert not again.ocid_prefix_is_placeholder
    assert again.get("server_url") == "https://odc.bojonegorokab.go.id"


@pytest.mark.parametrize("key, value, words", [
    ("ocid_prefix", "OCDS-ABC", "Prefiks OCID"),
    ("ocid_prefix", "ocds-1234567", "Prefiks OCID"),
    ("language", "fr", "tidak tersedia"),
    ("language", 5, "bertipe"),
    ("nonexistent", "x", "tidak dikenal"),
])
def test_bad_values_are_refused_in_indonesian(data_dir, key, value, words):
    settings = Settings(data_dir)
    with pytest.raises(SettingsError, match=words):
        settings.set(key, value)
    assert not (data_dir / "settings.json").exists()


@pytest.mark.parametrize("content", [b"{not json", b"\x00\xff", b"[1, 2]", b'{"ocid_prefix": 42}'])
def test_damaged_file_falls_back_to_defaults_and_is_kept(data_dir, content):
    (data_dir / "settings.json").write_bytes(content)
    settings = Settings(data_dir)
    assert settings.ocid_prefix == UNREGISTERED_OCID_PREFIX
    assert (data_dir / "settings.json").read_bytes() == content


def test_unknown_keys_in_the_file_are_ignored(data_dir):
    (data_dir / "settings.json").write_text(json.dumps({"ocid_prefix": "ocds-zzzzzz", "old_key": 1}))
    settings = Settings(data_dir)
    assert settings.ocid_prefix == "ocds-zzzzzz"
    settings.set("language", "en")
    saved = json.loads((data_dir / "settings.json").read_text())
    assert saved == {"ocid_prefix": "ocds-zzzzzz", "old_key": 1, "language": "en"}
