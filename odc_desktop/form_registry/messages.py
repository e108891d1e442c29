"""The form registry's sentences, by code, in Bahasa Indonesia and English (to be folded into the one
message catalogue). ``detail`` is the strict loader's own sentence, which names the file and the key."""

from __future__ import annotations

from typing import Any

from odc_desktop.os_reasons import os_reason

MESSAGES: dict[str, dict[str, str]] = {
    "form_unreadable": {
        "id": "Berkas formulir '{name}' tidak dapat dibaca: {reason}. Formulir yang ada tetap dipakai.",
        "en": "The form file '{name}' cannot be read: {reason}. The forms already here stay in use."},
    "form_invalid": {
        "id": "Berkas formulir '{name}' ditolak karena isinya tidak sah. Formulir yang ada tetap dipakai. "
              "Rincian: {detail}",
        "en": "The form file '{name}' was refused because its content is not valid. The forms already here "
              "stay in use. Details: {detail}"},
    "form_unknown": {
        "id": "Formulir '{form_id}' tidak dikenal aplikasi ini. Yang dapat ditambahkan hanya versi lain dari "
              "formulir tahap yang sudah ada: {known}.",
        "en": "This application does not know the form '{form_id}'. Only other versions of the existing "
              "stage forms can be added: {known}."},
    "form_wrong_stage": {
        "id": "Formulir '{form_id}' adalah formulir tahap '{expected}', tetapi berkas ini menyebut tahap "
              "'{stage}'. Berkas ditolak.",
        "en": "The form '{form_id}' is the form of stage '{expected}', but this file names stage '{stage}'. "
              "The file was refused."},
    "form_cross_stage": {
        "id": "Formulir '{form_id}' versi {version} ditolak karena tidak cocok dengan formulir tahap lain. "
              "Rincian: {detail}",
        "en": "The form '{form_id}' version {version} was refused because it does not fit the other stages' "
              "forms. Details: {detail}"},
    "form_not_saved": {
        "id": "Formulir '{form_id}' versi {version} tidak dapat disimpan di '{path}': {reason}. Formulir "
              "yang ada tetap dipakai.",
        "en": "The form '{form_id}' version {version} cannot be saved in '{path}': {reason}. The forms "
              "already here stay in use."},
    "form_stored_broken": {
        "id": "Berkas formulir '{path}' di folder data rusak dan diabaikan. Entri yang dibuat dengannya "
              "dibuka hanya-baca. Rincian: {detail}",
        "en": "The form file '{path}' in the data folder is damaged and was ignored. Entries made with it "
              "open read-only. Details: {detail}"},
    "form_stored_changed": {
        "id": "Berkas formulir '{path}' di folder data berubah sejak disimpan (isinya tidak cocok dengan "
              "sidik jari pada namanya) dan diabaikan. Entri yang dibuat dengannya dibuka hanya-baca.",
        "en": "The form file '{path}' in the data folder changed after it was saved (its content does not "
              "match the fingerprint in its name) and was ignored. Entries made with it open read-only."},
    "form_added": {
        "id": "Formulir '{form_id}' versi {version} (sidik {short_hash}) disimpan di {path}. Formulir tahap "
              "'{stage}' yang dipakai untuk entri baru: versi {current}.",
        "en": "Form '{form_id}' version {version} (fingerprint {short_hash}) stored in {path}. The form of "
              "stage '{stage}' that new entries use: version {current}."},
}


def say(code: str, lang: str = "id", **values: Any) -> str:
    """The sentence ``code`` in ``lang`` (Bahasa Indonesia when ``lang`` is unknown), filled in; an
    OSError value becomes the system's reason in ``lang``."""
    texts = MESSAGES[code]
    values = {k: os_reason(v, lang) if isinstance(v, OSError) else v for k, v in values.items()}
    return (texts.get(lang) or texts["id"]).format(**values)


class FormRefused(Exception):
    """A form file was not added (nothing was written; the forms already stored stay).

    ``code`` is a key of :data:`MESSAGES`; ``message(lang)`` is the sentence for the user.
    """

    def __init__(self, code: str, **values: Any):
        self.code, self.values = code, values
        super().__init__(say(code, "id", **values))

    def message(self, lang: str = "id") -> str:
        return say(self.code, lang, **self.values)


class StoredFormProblem:
    """A stored form file that was ignored (damaged or changed); ``message(lang)`` says which and why."""

    def __init__(self, code: str, **values: Any):
        self.code, self.values = code, values

    def message(self, lang: str = "id") -> str:
        return say(self.code, lang, **self.values)

    def __repr__(self) -> str:
        return f"StoredFormProblem({self.code!r}, {self.values!r})"
