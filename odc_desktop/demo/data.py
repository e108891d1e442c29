"""Synthetic but realistic procurement processes of Kabupaten Bojonegoro, for demos and benchmarks.

Values follow the stage rules (pagu ≥ HPS ≥ nilai penetapan = nilai kontrak; dates in lifecycle order);
codes are drawn from the shipped codelists, so the data stays valid when the forms change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random
from collections.abc import Iterator
from typing import Any, Callable

from odc_desktop import workflow
from odc_desktop.demo.sample_files import make_jpeg, make_pdf
from odc_desktop.domain.forms.definition import Codelist
from odc_desktop.domain.forms.lookup import FormLookup
from odc_desktop.domain.model import NewProcess
from odc_desktop.domain.ocid import UNREGISTERED_OCID_PREFIX
from odc_desktop.domain.parsing import format_date, parse_date, parse_npwp
from odc_desktop.domain.statuses import STAGE_ORDER, Stage

WORKS = [
    ("Pembangunan Jalan Rabat Beton Desa {desa}", "works", 400_000_000, 4_500_000_000),
    ("Rehabilitasi Jembatan {desa} Kecamatan {kec}", "works", 300_000_000, 6_000_000_000),
    ("Peningkatan Jalan Poros Kecamatan {kec}", "works", 1_000_000_000, 14_000_000_000),
    ("Rehabilitasi Gedung SDN {desa} {n}", "works", 150_000_000, 900_000_000),
    ("Pembangunan Saluran Irigasi Desa {desa}", "works", 200_000_000, 2_500_000_000),
    ("Rehabilitasi Puskesmas {kec}", "works", 500_000_000, 3_000_000_000),
]
GOODS = [
    ("Pengadaan Alat Kesehatan Puskesmas {kec}", "goods", 100_000_000, 2_000_000_000),
    ("Pengadaan Komputer dan Printer {opd}", "goods", 50_000_000, 600_000_000),
    ("Pengadaan Mebeler Sekolah Kecamatan {kec}", "goods", 80_000_000, 700_000_000),
    ("Pengadaan Bibit Padi Unggul Kecamatan {kec}", "goods", 60_000_000, 900_000_000),
    ("Pengadaan Kendaraan Operasional {opd}", "goods", 250_000_000, 1_500_000_000),
]
SERVICES = [
    ("Jasa Konsultansi Perencanaan Jembatan {desa}", "consulting", 80_000_000, 800_000_000),
    ("Jasa Konsultansi Pengawasan Jalan Kecamatan {kec}", "consulting", 60_000_000, 600_000_000),
    ("Jasa Kebersihan Kantor {opd}", "services", 100_000_000, 900_000_000),
    ("Jasa Pemeliharaan Jaringan Internet {opd}", "services", 50_000_000, 400_000_000),
]
DESA = ["Ngumpakdalem", "Sukorejo", "Kalianyar", "Mojoranu", "Ngraseh", "Sumberarum", "Kendung",
        "Temayang", "Pacul", "Kauman", "Ledok Kulon", "Campurejo", "Sendangrejo", "Padangmentoyo",
        "Kedungprimpen", "Sambongrejo", "Kabalan", "Banjarsari", "Prayungan", "Napis"]
COMPANY_PREFIX = ["CV", "CV", "PT", "CV", "PT"]
COMPANY_NAMES = ["Sumber Rejeki", "Karya Bangun Bojonegoro", "Angling Dharma Konstruksi", "Bengawan Jaya",
                 "Mitra Sejahtera Abadi", "Tirta Makmur", "Cahaya Teknik", "Sinar Jati", "Ledre Mandiri",
                 "Kayangan Api Perkasa", "Wonocolo Utama", "Dander Indah", "Cipta Karya Nusantara",
                 "Bumi Rahayu", "Delta Medika", "Indo Komputindo", "Sarana Tani Makmur"]


@dataclasses.dataclass
class DemoSummary:
    """What generate() made, for the CLI to report."""

    processes: int = 0
    entries: int = 0
    attachments: int = 0
    attachment_bytes: int = 0


def _code_for(codelist: Codelist, ocds_value: Any, rng: random.Random) -> str:
    """A code of the codelist whose OCDS mapping is ``ocds_value`` (any code when none maps to it)."""
    matches = [item.code for item in codelist.items if item.ocds == ocds_value]
    return rng.choice(matches or codelist.codes())


def _npwp(rng: random.Random) -> str:
    """A company NPWP as an operator would type it (15 digits, grouped), read as the form reads it."""
    d = "".join(str(rng.randint(0, 9)) for _ in range(15))
    return parse_npwp(f"{d[0:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:15]}")


def _company(rng: random.Random) -> dict[str, Any]:
    return {"name": f"{rng.choice(COMPANY_PREFIX)} {rng.choice(COMPANY_NAMES)}",
            "npwp": _npwp(rng),
            "address": f"Jl. {rng.choice(['Veteran', 'Panglima Sudirman', 'Gajah Mada', 'Diponegoro', 'Rajekwesi'])}"
                       f" No. {rng.randint(1, 200)}, Bojonegoro",
            "scale": rng.choice(["micro", "sme", "sme", "large"])}


def _round(value: float, unit: int = 1000) -> int:
    return int(value // unit * unit)


def _d(day: dt.date) -> str:
    """A date as the date field stores it: shown DD-MM-YYYY, read back by the form's parser."""
    return parse_date(format_date(day), today=day).isoformat()


class _ProcessPlan:
    """All stage data of one synthetic process, consistent across stages."""

    def __init__(self, rng: random.Random, forms: FormLookup, year: int, opd_name: str, kec: str):
        cl = forms.codelists
        template, kind, low, high = rng.choice(WORKS + WORKS + GOODS + SERVICES)
        self.title = template.format(desa=rng.choice(DESA), kec=kec, opd=opd_name, n=rng.randint(1, 6))
        pagu = _round(rng.uniform(low, high), 1_000_000)
        category = {"works": "works", "goods": "goods"}.get(kind, "services")
        method = "open" if pagu > 200_000_000 else "direct"
        start = dt.date(year, rng.randint(1, 3), rng.randint(1, 28))
        tender_end = start + dt.timedelta(days=rng.randint(14, 30))
        award_date = tender_end + dt.timedelta(days=rng.randint(5, 20))
        signed = award_date + dt.timedelta(days=rng.randint(3, 14))
        work_start = signed + dt.timedelta(days=rng.randint(0, 7))
        work_end = work_start + dt.timedelta(days=rng.choice([60, 90, 120, 150, 180]))
        hps = _round(pagu * rng.uniform(0.92, 1.0))
        award_value = _round(hps * rng.uniform(0.85, 0.99))
        first_line = _round(pagu * rng.uniform(0.5, 1.0)) if rng.random() < 0.3 else pagu
        breakdown = [{"sumber_dana": rng.choice(cl["sumber_dana"].codes()),
                      "mak": f"1.03.{rng.randint(1, 9):02d}.2.01.{rng.randint(1, 20):04d}.5.2.03.01.{rng.randint(1, 99):04d}",
                      "nilai": first_line}]
        if first_line < pagu:
            breakdown.append({"sumber_dana": rng.choice(cl["sumber_dana"].codes()), "mak": "",
                              "nilai": pagu - first_line})
        winner = _company(rng)
        others = [_company(rng) for _ in range(rng.randint(1, 4))]
        paid_parts = rng.randint(1, 3)
        progress = rng.choice([35.0, 50.0, 75.0, 100.0])
        payments, paid_total = [], 0
        for i in range(paid_parts):
            amount = _round(award_value * progress / 100 / paid_parts)
            paid_total += amount
            payments.append({"tanggal": _d(work_start + dt.timedelta(days=20 * (i + 1))), "nilai": amount,
                             "nomor_sp2d": f"{rng.randint(1000, 9999)}/SP2D-LS/{year}"})
        final_value = award_value if rng.random() < 0.8 else _round(award_value * rng.uniform(0.95, 1.0))
        self.data: dict[Stage, dict[str, Any]] = {
            Stage.PLANNING: {
                "pagu": pagu, "rincian_anggaran": breakdown,
                "jenis_pengadaan": _code_for(cl["jenis_pengadaan"], category, rng),
                "metode_pemilihan": _code_for(cl["metode_pemilihan"], method, rng),
                "uraian_pekerjaan": f"{self.title} sesuai KAK dan DPA tahun anggaran {year}.",
                "volume_pekerjaan": rng.choice(["1 paket", "1 unit", "350 m", "1,2 km", "12 unit"]),
                "lokasi_detail": f"Kecamatan {kec}, Kabupaten Bojonegoro",
                "rencana_pemilihan_mulai": _d(start), "rencana_pemilihan_selesai": _d(tender_end),
                "rencana_pelaksanaan_mulai": _d(work_start), "rencana_pelaksanaan_selesai": _d(work_end),
                "alasan_kebutuhan": "Kebutuhan sesuai Renja OPD dan hasil Musrenbang kecamatan.",
            },
            Stage.TENDER: {
                "kode_tender": str(rng.randint(10_000_000, 99_999_999)), "nama_tender": self.title,
                "hps": hps, "metode_evaluasi": rng.choice(cl["metode_evaluasi"].codes()),
                "metode_kualifikasi": rng.choice(cl["metode_kualifikasi"].codes()),
                "tanggal_pengumuman": _d(start), "batas_penawaran": _d(tender_end),
                "tanggal_penjelasan": _d(start + dt.timedelta(days=3)),
                "jumlah_peserta": len(others) + 1, "peserta": [winner] + others,
                "status_tender": _code_for(cl["status_tender"], "complete", rng),
            },
            Stage.AWARD: {
                "pemenang": winner, "nilai_penetapan": award_value, "tanggal_penetapan": _d(award_date),
                "nomor_sppbj": f"027/{rng.randint(100, 999)}/SPPBJ/412.{rng.randint(10, 99)}/{year}",
                "alasan_pemilihan": "Penawaran terendah yang memenuhi persyaratan administrasi, teknis "
                                    "dan kualifikasi, setelah klarifikasi dan negosiasi.",
            },
            Stage.CONTRACT: {
                "nomor_kontrak": f"027/{rng.randint(100, 999)}/KONTRAK/412.{rng.randint(10, 99)}/{year}",
                "judul_kontrak": self.title, "nilai_kontrak": award_value,
                "tanggal_tanda_tangan": _d(signed), "mulai_kontrak": _d(work_start),
                "selesai_kontrak": _d(work_end), "jenis_kontrak": rng.choice(cl["jenis_kontrak"].codes()),
                "cara_pembayaran": rng.choice(cl["cara_pembayaran"].codes()), "adendum": [],
            },
            Stage.IMPLEMENTATION: {
                "progres_fisik": progress, "progres_keuangan": round(100 * paid_total / award_value, 1),
                "pembayaran": payments,
                "tahapan": [{"judul": "Mobilisasi dan persiapan", "tanggal_rencana": _d(work_start),
                             "tanggal_tercapai": _d(work_start + dt.timedelta(days=5)),
                             "status": _code_for(cl["status_milestone"], "met", rng)}],
            },
            Stage.COMPLETION: {
                "jenis_serah_terima": rng.choice(cl["jenis_serah_terima"].codes()),
                "nomor_bast": f"027/{rng.randint(100, 999)}/BAST/412.{rng.randint(10, 99)}/{year}",
                "tanggal_serah_terima": _d(work_end), "nilai_akhir": final_value,
            },
        }
        if final_value != award_value:
            self.data[Stage.COMPLETION]["alasan_perbedaan"] = ("Pekerjaan tambah kurang sesuai berita "
                                                               "acara pemeriksaan lapangan.")


def _stages_reached(rng: random.Random, year: int, today: dt.date) -> int:
    """How many of the six stages this process has entries for (most are complete)."""
    if year >= today.year:
        return rng.choice([1, 1, 2, 2, 3])
    return 6 if rng.random() < 0.75 else rng.randint(1, 5)


def _wants_ready(rng: random.Random, is_last: bool) -> bool:
    """Whether the operator has marked an entry ready: earlier stages mostly, the latest one half of
    the time. Statuses past ready come only from a server, so demo data never makes them."""
    return rng.random() < (0.5 if is_last else 0.85)


#: Processes written per transaction: one durable commit per batch instead of one per change.
BATCH_PROCESSES = 100
#: Processes per transaction of the bulk path (no attachments asked for).
BULK_PROCESSES = 500


def _plans(forms: FormLookup, processes: int, seed: int, today: dt.date) -> Iterator[tuple[Any, ...]]:
    """The processes to make, one at a time (memory stays flat however many are asked for):
    (opd, kecamatan, year, plan, kode RUP, stages reached). The same seed gives the same plans."""
    rng = random.Random(seed)
    opds = forms.codelists["opd"].items
    kecamatan = forms.codelists["kecamatan"].items
    for _ in range(processes):
        opd, kec = rng.choice(opds), rng.choice(kecamatan)
        year = rng.choice([today.year - 3, today.year - 2, today.year - 1, today.year - 1, today.year])
        plan = _ProcessPlan(rng, forms, year, opd.label["id"], kec.label["id"])
        kode_rup = str(rng.randint(20_000_000, 59_999_999)) if rng.random() < 0.85 else None
        yield opd, kec, year, plan, kode_rup, _stages_reached(rng, year, today)


def generate(repo: Any, forms: FormLookup, processes: int, attachments: int = 0, seed: int = 1,
             ocid_prefix: str = UNREGISTERED_OCID_PREFIX, today: dt.date | None = None,
             on_progress: Callable[[int, int], None] | None = None) -> DemoSummary:
    """Create ``processes`` synthetic processes (with their stage entries) and ``attachments`` files.

    Processes are made and written one at a time, :data:`BATCH_PROCESSES` per transaction.
    Everything is written through :mod:`odc_desktop.workflow`, so entries are drafts or ready (an
    entry is ready only when its data and documents pass mark_ready): statuses past ready come only
    from a server. Attachments are spread evenly over the entries (required document types first)
    and added while the entries are drafts; to spread them, a first pass over the same plans counts
    the entries.
    """
    today = today or dt.date.today()
    total_entries = 1
    if attachments:
        total_entries = sum(p[-1] for p in _plans(forms, processes, seed, today)) or 1
    summary = DemoSummary()
    entry_index = 0
    rng = random.Random(f"{seed}-writes")  # apart from the plans' own, so both passes see the same plans
    plans = _plans(forms, processes, seed, today)
    batch = BATCH_PROCESSES if attachments else BULK_PROCESSES
    for start in range(0, processes, batch):
        chunk = list(itertools.islice(plans, batch))
        if not attachments:  # the store's bulk path: one insert per table, one audit append
            _write_bulk(repo, forms, rng, chunk, ocid_prefix, summary)
        else:
            with repo.batch():
                for planned in chunk:
                    entry_index = _write_process(repo, forms, rng, planned, ocid_prefix, attachments,
                                                 total_entries, entry_index, summary)
        if on_progress:
            on_progress(min(start + batch, processes), processes)
    return summary


def stages_reached(forms: FormLookup, seed: int, today: dt.date | None = None) -> int:
    """How many stages the first process of ``generate(..., seed=seed)`` fills (without writing it)."""
    return next(_plans(forms, 1, seed, today or dt.date.today()))[-1]


def _write_bulk(repo: Any, forms: FormLookup, rng: random.Random, chunk: list[tuple[Any, ...]],
                ocid_prefix: str, summary: DemoSummary) -> None:
    """Store a batch of planned processes through the workflow's bulk path (one transaction); each
    entry the operator would mark ready starts ready when mark_ready would allow it."""
    wanted = [f"{ocid_prefix}-{p[4]}" for p in chunk if p[4]]
    taken = set(repo.known_ocids(wanted))
    plans = []
    for opd, kec, year, plan, kode_rup, reached in chunk:
        ocid = f"{ocid_prefix}-{kode_rup}" if kode_rup else None
        if ocid in taken:
            kode_rup = None
        elif ocid:
            taken.add(ocid)
        stages = tuple(workflow.PlannedStage(stage, plan.data[stage], _wants_ready(rng, position == reached - 1))
                       for position, stage in enumerate(STAGE_ORDER[:reached]))
        plans.append(workflow.PlannedProcess(NewProcess(title=plan.title, opd_code=opd.code,
                                                        opd_name=opd.label["id"], year=year, kode_rup=kode_rup,
                                                        kecamatan=kec.code), stages))
        summary.processes += 1
        summary.entries += len(stages)
    workflow.create_processes(repo, forms, plans, ocid_prefix, actor="demo")


def _write_process(repo: Any, forms: FormLookup, rng: random.Random, planned: tuple[Any, ...], ocid_prefix: str,
                   attachments: int, total_entries: int, entry_index: int, summary: DemoSummary) -> int:
    """Store one planned process with its entries, attachments and statuses; return the next entry index."""
    opd, kec, year, plan, kode_rup, reached = planned
    if kode_rup and repo.find_process_by_ocid(f"{ocid_prefix}-{kode_rup}") is not None:
        kode_rup = None
    new = NewProcess(title=plan.title, opd_code=opd.code, opd_name=opd.label["id"], year=year,
                     kode_rup=kode_rup, kecamatan=kec.code)
    process = workflow.create_process(repo, new, ocid_prefix, actor="demo")
    summary.processes += 1
    for position, stage in enumerate(STAGE_ORDER[:reached]):
        entry = workflow.save_draft(repo, forms, process.id, stage, plan.data[stage], actor="demo").entry
        summary.entries += 1
        share = attachments // total_entries + (1 if entry_index < attachments % total_entries else 0)
        for k in range(share):
            _attach_one(repo, forms, rng, entry.id, stage, plan.title, k, summary)
        entry_index += 1
        if _wants_ready(rng, position == reached - 1):
            try:
                workflow.mark_ready(repo, forms, entry.id, actor="demo")
            except workflow.WorkflowRefused:
                pass  # invalid data or documents missing: it stays a draft, as it would for an operator
    return entry_index


def _attach_one(repo: Any, forms: FormLookup, rng: random.Random, entry_id: int, stage: Stage, title: str,
                k: int, summary: DemoSummary) -> None:
    """Attach the k-th document of an entry: its form's document types in order, PDF or JPEG."""
    doc_types = forms.codelists["jenis_dokumen"]
    wanted = [d.type for d in forms.current(stage).documents] or doc_types.codes()
    doc_type = wanted[k % len(wanted)]
    item = doc_types.item(doc_type)
    label = item.label["id"] if item else doc_type
    number = summary.attachments + 1
    if "foto" in doc_type:
        payload = make_jpeg(rng.randint(0, 10**9), f"{label} - {title}")
        name, mime = f"foto-{number}.jpg", "image/jpeg"
    else:
        lines = [f"Paket: {title}", f"Tahap: {stage.title()}", f"Nomor: {rng.randint(100, 999)}/{number}",
                 "Dokumen contoh untuk demonstrasi ODC Desktop."]
        payload, name, mime = make_pdf(label, lines), f"{doc_type}-{number}.pdf", "application/pdf"
    workflow.add_document(repo, entry_id, payload, name, doc_type, title=label, mime=mime, actor="demo")
    summary.attachments += 1
    summary.attachment_bytes += len(payload)
