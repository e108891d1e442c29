"""OPD names → OPD codes (``kd_satker_str``) through the ``opd`` codelist, for exports that name the
office instead of coding it (SIMDA/SIPD DPA lines, e-musrenbang proposals).

A name is compared without case, punctuation or extra spaces, without the regency's name after it
("DINAS PENDIDIKAN KAB. BOJONEGORO" is "Dinas Pendidikan") and with the usual abbreviations
expanded ("Disdik", "Dinkes", "Bappeda": the codelist's own bracketed abbreviations and
:data:`ABBREVIATIONS`). A name that matches no office is not guessed: :meth:`OpdNames.closest` gives
the nearest names to suggest.
"""

from __future__ import annotations

import difflib
import re

from odc_desktop.domain.forms.definition import Codelist

#: Abbreviations used in the regency's documents → the office's name in the ``opd`` codelist.
ABBREVIATIONS = {
    "setda": "Sekretariat Daerah", "sekda": "Sekretariat Daerah", "setwan": "Sekretariat DPRD",
    "inspektorat": "Inspektorat Daerah", "itda": "Inspektorat Daerah",
    "disdik": "Dinas Pendidikan", "dispendik": "Dinas Pendidikan", "diknas": "Dinas Pendidikan",
    "dinkes": "Dinas Kesehatan",
    "rsud bojonegoro": "RSUD Dr. R. Sosodoro Djatikoesoemo", "rsud sosodoro": "RSUD Dr. R. Sosodoro Djatikoesoemo",
    "dpubmpr": "Dinas Pekerjaan Umum Bina Marga dan Penataan Ruang",
    "pu bina marga": "Dinas Pekerjaan Umum Bina Marga dan Penataan Ruang",
    "dpu bina marga": "Dinas Pekerjaan Umum Bina Marga dan Penataan Ruang",
    "dpu sda": "Dinas Pekerjaan Umum Sumber Daya Air", "pu sda": "Dinas Pekerjaan Umum Sumber Daya Air",
    "disperkim": "Dinas Perumahan, Kawasan Permukiman dan Cipta Karya",
    "dprkpck": "Dinas Perumahan, Kawasan Permukiman dan Cipta Karya",
    "satpol pp": "Satuan Polisi Pamong Praja", "damkar": "Dinas Pemadam Kebakaran",
    "dinsos": "Dinas Sosial",
    "dp3akb": "Dinas Pemberdayaan Perempuan, Perlindungan Anak dan Keluarga Berencana",
    "dkp": "Dinas Ketahanan Pangan", "dlh": "Dinas Lingkungan Hidup",
    "dukcapil": "Dinas Kependudukan dan Pencatatan Sipil", "disdukcapil": "Dinas Kependudukan dan Pencatatan Sipil",
    "dpmd": "Dinas Pemberdayaan Masyarakat dan Desa", "dishub": "Dinas Perhubungan",
    "diskominfo": "Dinas Komunikasi dan Informatika", "kominfo": "Dinas Komunikasi dan Informatika",
    "disdag": "Dinas Perdagangan", "disperinaker": "Dinas Perindustrian dan Tenaga Kerja",
    "dispora": "Dinas Kepemudaan dan Olahraga", "disbudpar": "Dinas Kebudayaan dan Pariwisata",
    "dispusip": "Dinas Perpustakaan dan Kearsipan", "disperpusip": "Dinas Perpustakaan dan Kearsipan",
    "distan": "Dinas Pertanian", "disnakkan": "Dinas Peternakan dan Perikanan",
    "ukpbj": "Bagian Pengadaan Barang dan Jasa (UKPBJ) Setda",
}
#: Words naming the regency after an office's name (left out when comparing).
_REGENCY = re.compile(r"\b(?:pemerintah\s+)?(?:kab|kabupaten|pemkab)\s+bojonegoro\b|\bbojonegoro\b$")
#: Suggestions given for a name that matches no office.
SUGGESTIONS = 3


def compare_form(name: str) -> str:
    """How an OPD name is compared: lower case, the regency's name left out, letters and digits only."""
    text = name.casefold().replace(".", " ")
    text = _REGENCY.sub(" ", " ".join(text.split()))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


class OpdNames:
    """The offices of the ``opd`` codelist, found by name (see the module docstring)."""

    def __init__(self, codelist: Codelist | None):
        self._codes: dict[str, str] = {}
        self._labels: dict[str, str] = {}  # compare form → the codelist's name (for suggestions)
        by_label = {}
        for item in codelist.items if codelist else ():
            label = item.label.get("id", "")
            by_label[compare_form(label)] = item.code
            self._add(label, item.code, label)
            inside = re.search(r"\(([^)]+)\)", label)
            if inside:  # "Badan … Daerah (BPBD)": the bracketed abbreviation, and the name without it
                self._add(inside.group(1), item.code, label)
                self._add(label[:inside.start()] + label[inside.end():], item.code, label)
        for short, label in ABBREVIATIONS.items():
            code = by_label.get(compare_form(label))
            if code:
                self._codes.setdefault(compare_form(short), code)

    def _add(self, name: str, code: str, label: str) -> None:
        key = compare_form(name)
        if key:
            self._codes.setdefault(key, code)
            self._labels.setdefault(key, label)

    def code_of(self, name: str) -> str | None:
        """The code of the office named ``name``, or None when no office has that name."""
        return self._codes.get(compare_form(name))

    def label_of(self, code: str) -> str | None:
        """The codelist's name of the office with ``code``."""
        return next((label for key, label in self._labels.items() if self._codes.get(key) == code), None)

    def closest(self, name: str) -> list[str]:
        """The codelist's names nearest to ``name`` (at most :data:`SUGGESTIONS`), best first."""
        found = difflib.get_close_matches(compare_form(name), list(self._labels), n=SUGGESTIONS * 2, cutoff=0.5)
        return list(dict.fromkeys(self._labels[k] for k in found))[:SUGGESTIONS]
