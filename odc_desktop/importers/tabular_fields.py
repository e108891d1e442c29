"""The three kinds of table the app imports and the fields each feeds, with the header names that
mean them (synonyms), and a column mapping: which column feeds which field.

Kinds: ``progres`` (progress reports for Pelaksanaan, the app's own template), ``dpa`` (SIMDA/SIPD
budget lines: DPA/DPPA/RKA exports) and ``musrenbang`` (e-musrenbang proposals). A mapping is guessed
from the header names, shown to the operator, and saved per header signature (tabular_store).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from typing import Any

from odc_desktop.importers.rows import Finding
from odc_desktop.messages import text


@dataclasses.dataclass(frozen=True, slots=True)
class Said(Finding):
    """A finding whose code is in the message catalogue (``tabular.*``)."""

    def message(self, lang: str = "id") -> str:
        return text(self.code, lang, **self.values)


@dataclasses.dataclass(frozen=True)
class TargetField:
    """A field a column can feed: its id, its label in both languages, and the header names meaning it."""

    id: str
    label: dict[str, str]
    synonyms: tuple[str, ...]


def _f(field_id: str, id_label: str, en_label: str, *synonyms: str) -> TargetField:
    return TargetField(field_id, {"id": id_label, "en": en_label}, synonyms)


#: kind → the fields, in the order the template and the mapping page show them.
KINDS: dict[str, tuple[TargetField, ...]] = {
    "progres": (
        _f("kode_rup", "Kode RUP", "RUP code", "kode rup", "kd rup", "rup", "id rup", "kode paket rup"),
        _f("nomor_kontrak", "Nomor kontrak", "Contract number", "nomor kontrak", "no kontrak", "no. kontrak",
           "nomor spk", "no spk", "nomor surat perjanjian"),
        _f("tanggal", "Tanggal laporan", "Report date", "tanggal", "tgl", "tanggal laporan", "tgl laporan",
           "tanggal progres", "periode"),
        _f("progres_fisik", "% fisik", "% physical", "% fisik", "fisik", "progres fisik", "persen fisik",
           "realisasi fisik", "fisik (%)", "progress fisik", "persentase"),
        _f("progres_keuangan", "% keuangan", "% financial", "% keuangan", "keuangan", "progres keuangan",
           "persen keuangan", "realisasi keuangan", "keuangan (%)", "progress keuangan"),
        _f("nilai_bayar", "Nilai bayar", "Amount paid", "nilai bayar", "nilai pembayaran", "pembayaran",
           "nilai sp2d", "besar pembayaran", "dibayar"),
        _f("nomor_sp2d", "Nomor SP2D", "SP2D number", "nomor sp2d", "no sp2d", "sp2d"),
        _f("keterangan", "Keterangan", "Remarks", "keterangan", "ket", "catatan", "uraian progres"),
        _f("foto", "Foto", "Photo", "foto", "foto lapangan", "dokumentasi", "gambar", "images"),
    ),
    "dpa": (
        _f("kode_rup", "Kode RUP", "RUP code", "kode rup", "kd rup", "rup"),
        _f("mak", "Kode rekening (MAK)", "Account code (MAK)", "kode rekening", "kd rekening", "mak",
           "kode rek", "rekening", "kode akun", "kode sub kegiatan rekening"),
        _f("uraian", "Uraian / nama paket", "Description / package name", "uraian", "nama paket",
           "uraian belanja", "nama kegiatan", "nama sub kegiatan", "ket kegiatan", "keterangan"),
        _f("nilai", "Nilai anggaran", "Budget amount", "nilai", "jumlah", "total", "pagu", "pagu anggaran",
           "anggaran", "nilai rp", "jumlah (rp)", "nilai (rp)"),
        _f("sumber_dana", "Sumber dana", "Source of funds", "sumber dana", "nm sumber", "sumber"),
        _f("kode_opd", "Kode OPD", "Office code", "kode opd", "kode skpd", "kd satker", "kode unit",
           "kd skpd", "kode satker"),
        _f("nama_opd", "Nama OPD", "Office name", "nama opd", "nama skpd", "skpd", "opd", "satker",
           "nama satker", "unit"),
        _f("tahun", "Tahun anggaran", "Budget year", "tahun", "tahun anggaran", "ta"),
    ),
    "musrenbang": (
        _f("id_usulan", "ID usulan", "Proposal id", "id usulan", "no usulan", "nomor usulan", "kode usulan",
           "id"),
        _f("usulan", "Usulan", "Proposal", "usulan", "nama usulan", "judul usulan", "kegiatan usulan",
           "nama kegiatan"),
        _f("permasalahan", "Permasalahan / alasan", "Problem / rationale", "permasalahan", "masalah",
           "alasan", "alasan usulan", "latar belakang"),
        _f("lokasi", "Lokasi", "Location", "lokasi", "alamat", "desa", "lokasi usulan", "kelurahan"),
        _f("volume", "Volume", "Quantity", "volume", "vol", "volume satuan", "jumlah volume"),
        _f("anggaran", "Perkiraan anggaran", "Estimated budget", "anggaran", "perkiraan anggaran",
           "perkiraan biaya", "biaya", "pagu", "nilai usulan"),
        _f("kode_opd", "Kode OPD", "Office code", "kode opd", "kode skpd", "kd satker"),
        _f("nama_opd", "OPD tujuan", "Office", "opd", "opd tujuan", "skpd", "nama opd", "perangkat daerah"),
        _f("tahun", "Tahun", "Year", "tahun", "tahun anggaran", "tahun usulan"),
        _f("kode_rup", "Kode RUP", "RUP code", "kode rup", "kd rup"),
    ),
}

KIND_LABELS = {"progres": {"id": "Laporan progres (Pelaksanaan)", "en": "Progress report (Implementation)"},
               "dpa": {"id": "Anggaran DPA (SIMDA/SIPD)", "en": "DPA budget (SIMDA/SIPD)"},
               "musrenbang": {"id": "Usulan e-musrenbang", "en": "e-musrenbang proposals"}}


def normalise(name: str) -> str:
    """How a header name is compared: lower case, ``_``/``.`` as spaces, one space between words."""
    return " ".join(re.sub(r"[_.:\s]+", " ", name.casefold()).split())


_SYNONYMS = {kind: {normalise(s): f.id for f in fields for s in (f.id, *f.synonyms)} for kind, fields in KINDS.items()}


def signature(header: list[str]) -> str:
    """The header's signature: a hash of its normalised names (same columns in the same order)."""
    return hashlib.sha256("\x1f".join(normalise(h) for h in header).encode("utf-8")).hexdigest()[:32]


def guess_columns(kind: str, header: list[str]) -> dict[str, int]:
    """field id → column index, from the header names (the first column naming a field wins)."""
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        field_id = _SYNONYMS[kind].get(normalise(name))
        if field_id and field_id not in found:
            found[field_id] = index
    return found


def known_columns(header: list[str]) -> int:
    """How many cells of ``header`` name a field of the best-matching kind (to find the header row)."""
    return max(len(guess_columns(kind, header)) for kind in KINDS)


@dataclasses.dataclass
class Mapping:
    """Which column feeds which field of a table of one ``kind``; ``columns``: field id → column index."""

    kind: str
    columns: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "columns": dict(self.columns)}

    @classmethod
    def from_json(cls, data: Any, width: int) -> Mapping | None:
        """The mapping saved as ``data``, or None when it is not one (for a table ``width`` columns wide)."""
        if not isinstance(data, dict) or data.get("kind") not in KINDS or not isinstance(data.get("columns"), dict):
            return None
        ids = {f.id for f in KINDS[data["kind"]]}
        columns = {k: v for k, v in data["columns"].items()
                   if k in ids and isinstance(v, int) and not isinstance(v, bool) and 0 <= v < width}
        return cls(data["kind"], columns)


def guess_mapping(header: list[str]) -> Mapping:
    """The kind whose fields the header names most (progres on a tie), with those columns."""
    kind = max(KINDS, key=lambda k: (len(guess_columns(k, header)), k == "progres"))
    return Mapping(kind, guess_columns(kind, header))


def missing_keys(mapping: Mapping) -> list[str]:
    """The fields the mapping still needs before rows can be read (empty: ready)."""
    cols = mapping.columns
    if mapping.kind == "progres":
        need = [] if ("kode_rup" in cols or "nomor_kontrak" in cols) else ["kode_rup"]
        return need + [f for f in ("tanggal",) if f not in cols]
    if mapping.kind == "dpa":
        return [f for f in ("uraian", "nilai") if f not in cols]
    return [f for f in ("usulan",) if f not in cols]
