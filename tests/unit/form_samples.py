"""Valid, realistic entry data for each of the six stage forms (one Bojonegoro road package).

Shared by tests of other parts (release building, storage, UI). Dates are in lifecycle order
across the stages and values satisfy pagu ≥ HPS ≥ award ≥ contract.
"""

from __future__ import annotations

import copy
from typing import Any

#: Process-level facts for the same package (entered in the "Paket baru" dialog, not in forms).
PROCESS = {
    "kode_rup": "41234567",
    "title": "Rehabilitasi Jalan Poros Desa Ngumpakdalem – Sukowati Kec. Dander",
    "opd_code": "1.03.0.00.0.00.09.0000",
    "opd_name": "Dinas Pekerjaan Umum Bina Marga dan Penataan Ruang",
    "year": 2024,
    "kecamatan": "dander",
}

VALID_DATA: dict[str, dict[str, Any]] = {
    "planning": {
        "pagu": 1_250_000_000,
        "rincian_anggaran": [
            {"sumber_dana": "apbd", "mak": "1.03.10.2.01.0001.5.2.03.01.0001", "nilai": 1_000_000_000},
            {"sumber_dana": "dbh_migas", "mak": "1.03.10.2.01.0001.5.2.03.01.0001", "nilai": 250_000_000},
        ],
        "jenis_pengadaan": "pekerjaan_konstruksi",
        "metode_pemilihan": "tender",
        "uraian_pekerjaan": "Rehabilitasi jalan poros desa Ngumpakdalem–Sukowati dengan perkerasan "
                            "rigid beton K-350 lebar 4 m.",
        "volume_pekerjaan": "1.200 m",
        "lokasi_detail": "Desa Ngumpakdalem dan Desa Sukowati, Kec. Dander",
        "rencana_pemilihan_mulai": "2024-03-01",
        "rencana_pemilihan_selesai": "2024-04-30",
        "rencana_pelaksanaan_mulai": "2024-05-01",
        "rencana_pelaksanaan_selesai": "2024-10-31",
        "alasan_kebutuhan": "Usulan Musrenbang Kecamatan Dander 2023: jalan rusak berat menghambat "
                            "angkutan hasil pertanian.",
    },
    "tender": {
        "kode_tender": "10234567",
        "nama_tender": "Rehabilitasi Jalan Poros Desa Ngumpakdalem – Sukowati",
        "hps": 1_235_000_000,
        "metode_evaluasi": "harga_terendah",
        "metode_kualifikasi": "pasca_satu_file",
        "tanggal_pengumuman": "2024-03-11",
        "tanggal_penjelasan": "2024-03-14",
        "batas_penawaran": "2024-03-25",
        "jumlah_peserta": 3,
        "peserta": [
            {"name": "CV Karya Mandiri Bojonegoro", "npwp": "01.234.567.8-601.000",
             "address": "Jl. Veteran No. 12, Bojonegoro", "scale": "sme"},
            {"name": "PT Sinar Jaya Konstruksi", "npwp": "029876543601000", "address": None, "scale": "large"},
            {"name": "CV Bengawan Solo Abadi", "npwp": None, "address": "Kalitidu", "scale": "sme"},
        ],
        "status_tender": "selesai",
    },
    "award": {
        "pemenang": {"name": "CV Karya Mandiri Bojonegoro", "npwp": "01.234.567.8-601.000",
                     "address": "Jl. Veteran No. 12, Bojonegoro", "scale": "sme"},
        "nilai_penetapan": 1_189_500_000,
        "tanggal_penetapan": "2024-04-02",
        "nomor_sppbj": "027/123/412.204/2024",
        "alasan_pemilihan": "Penawaran terendah yang memenuhi persyaratan administrasi, teknis dan "
                            "kualifikasi menurut BA Hasil Pemilihan Pokja 12.",
    },
    "contract": {
        "nomor_kontrak": "640/45/SP/412.204/2024",
        "judul_kontrak": "Rehabilitasi Jalan Poros Desa Ngumpakdalem – Sukowati",
        "nilai_kontrak": 1_189_500_000,
        "tanggal_tanda_tangan": "2024-04-15",
        "mulai_kontrak": "2024-04-22",
        "selesai_kontrak": "2024-09-18",
        "jenis_kontrak": "harga_satuan",
        "cara_pembayaran": "termin",
        "adendum": [
            {"tanggal": "2024-08-20", "alasan": "Perpanjangan waktu karena hujan deras bulan Agustus.",
             "uraian": "Masa pelaksanaan 150 menjadi 150 hari kalender; nilai tetap."},
        ],
    },
    "implementation": {
        "progres_fisik": 62.5,
        "progres_keuangan": 30,
        "pembayaran": [
            {"tanggal": "2024-05-06", "nilai": 356_850_000, "nomor_sp2d": "01234/SP2D-LS/1.03/2024"},
        ],
        "tahapan": [
            {"judul": "Pekerjaan persiapan dan mobilisasi", "tanggal_rencana": "2024-05-01",
             "tanggal_tercapai": "2024-04-30", "status": "tercapai"},
            {"judul": "Progres fisik 100%", "tanggal_rencana": "2024-09-18", "status": "dijadwalkan"},
        ],
    },
    "completion": {
        "jenis_serah_terima": "pho",
        "nomor_bast": "027/88/BAST/412.204/2024",
        "tanggal_serah_terima": "2024-09-16",
        "nilai_akhir": 1_180_000_000,
        "alasan_perbedaan": "Pekerjaan kurang pada bahu jalan sesuai adendum dan opname akhir.",
    },
}


def valid_data(stage: str) -> dict[str, Any]:
    """A deep copy of the valid data of ``stage``, safe to modify in a test."""
    return copy.deepcopy(VALID_DATA[stage])


def other_stages(stage: str) -> dict[str, dict[str, Any]]:
    """The valid data of every stage except ``stage`` (the ``other_stages`` argument)."""
    return {s: copy.deepcopy(d) for s, d in VALID_DATA.items() if s != stage}
