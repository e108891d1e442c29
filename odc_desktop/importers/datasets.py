"""The ISB/Inaproc datasets: how each is recognised (by its columns); its mapper (:mod:`.mappers`) reads a row.

A file is the dataset whose ``signature`` columns all appear in its first rows; when several match,
the one with the most signature columns wins (SPSE-TenderSelesai has every column of
SPSE-TenderPengumuman and more). ``rank`` orders datasets when two fill the same field: the later,
more specific record wins (e-kontrak over the tender announcement, the announcement over RUP for
tender fields, RUP over SPSE for planning fields).
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from odc_desktop.importers import mappers as m
from odc_desktop.importers.record import RowReader


@dataclasses.dataclass(frozen=True)
class Dataset:
    """One recognised dataset: its name, the columns that identify it, its rank and row mapper."""

    name: str
    signature: frozenset[str]
    keys: tuple[str, ...]  # columns naming a row in messages and sources
    rank: int
    mapper: Callable[[RowReader], None] | None  # None: reference data (the OPD master)


def _ds(name: str, signature: str, keys: str, rank: int, mapper: Callable[[RowReader], None] | None) -> Dataset:
    return Dataset(name, frozenset(signature.split()), tuple(keys.split()), rank, mapper)


DATASETS: tuple[Dataset, ...] = (
    _ds("RUP-MasterSatker", "kd_satker_str nama_satker status_satker jenis_satker", "kd_satker_str", 0, None),
    _ds("RUP-PaketPenyedia-Terumumkan",
        "kd_rup nama_paket pagu kd_metode_pengadaan metode_pengadaan jenis_pengadaan tgl_awal_kontrak",
        "kd_rup", 50, m.rup_penyedia),
    _ds("RUP-PaketSwakelola-Terumumkan", "kd_rup nama_paket pagu tipe_swakelola uraian_pekerjaan", "kd_rup", 50,
        m.rup_swakelola),
    _ds("RUP-PaketAnggaran (Penyedia/Swakelola)", "kd_rup mak sumber_dana pagu asal_dana", "kd_rup mak", 50,
        m.rup_anggaran),
    _ds("RUP-PaketLokasi (Penyedia/Swakelola)", "kd_rup detail_lokasi kd_kab_kota kab_kota kd_provinsi", "kd_rup", 50,
        m.rup_lokasi),
    _ds("SPSE-TenderPengumuman", "kd_tender kd_rup nama_paket hps mtd_pemilihan status_tender tgl_pengumuman_tender",
        "kd_tender", 60, m.tender_announcement),
    _ds("SPSE-TenderSelesai",
        "kd_tender kd_rup nama_paket hps mtd_pemilihan status_tender tgl_pengumuman_tender tgl_penetapan_pemenang",
        "kd_tender", 61, m.tender_announcement),
    _ds("SPSE-TenderSelesaiNilai", "kd_tender kd_rup_paket nilai_negosiasi nilai_kontrak nama_penyedia "
        "tgl_penetapan_pemenang", "kd_tender", 62, m.tender_announcement),
    _ds("SPSE-PesertaTender", "kd_tender kd_peserta nama_penyedia nilai_penawaran pemenang", "kd_tender kd_peserta",
        60, m.tender_bidders),
    _ds("SPSE-JadwalTahapanTender", "kd_tender kd_tahapan nama_tahapan tgl_awal tgl_akhir", "kd_tender kd_tahapan",
        70, m.tender_schedule),
    _ds("SPSE-JadwalTahapanNonTender", "kd_nontender kd_tahapan nama_tahapan tgl_awal tgl_akhir",
        "kd_nontender kd_tahapan", 70, m.nontender_schedule),
    _ds("SPSE-NonTenderPengumuman", "kd_nontender kd_rup nama_paket hps mtd_pemilihan status_nontender "
        "tgl_pengumuman_nontender", "kd_nontender", 60, m.nontender_announcement),
    _ds("SPSE-NonTenderSelesai", "kd_nontender kd_rup nama_paket hps mtd_pemilihan status_nontender "
        "tgl_pengumuman_nontender nilai_negosiasi", "kd_nontender", 61, m.nontender_announcement),
    _ds("SPSE-TenderEkontrak-SPPBJ", "kd_tender no_sppbj tgl_sppbj harga_final", "kd_tender no_sppbj", 80, m.sppbj),
    _ds("SPSE-NonTenderEkontrak-SPPBJ", "kd_nontender no_sppbj tgl_sppbj harga_final", "kd_nontender no_sppbj", 80,
        m.sppbj),
    _ds("SPSE-TenderEkontrak-Kontrak", "kd_tender no_kontrak tgl_kontrak nilai_kontrak jenis_kontrak tgl_kontrak_awal",
        "kd_tender no_kontrak", 80, m.kontrak),
    _ds("SPSE-NonTenderEkontrak-Kontrak", "kd_nontender no_kontrak tgl_kontrak nilai_kontrak jenis_kontrak "
        "tgl_kontrak_awal", "kd_nontender no_kontrak", 80, m.kontrak),
    _ds("SPSE-TenderEkontrak-SPMKSPP", "kd_tender no_spmk_spp tgl_spmk_spp tgl_mulai_pekerjaan tgl_selesai_pekerjaan",
        "kd_tender no_spmk_spp", 80, m.spmk),
    _ds("SPSE-NonTenderEkontrak-SPMKSPP", "kd_nontender no_spmk_spp tgl_spmk_spp tgl_mulai_pekerjaan "
        "tgl_selesai_pekerjaan", "kd_nontender no_spmk_spp", 80, m.spmk),
    _ds("SPSE-TenderEkontrak-BAPBAST", "kd_tender no_bast tgl_bast besar_pembayaran progres_pekerjaan",
        "kd_tender no_bast", 80, m.bapbast),
    _ds("SPSE-NonTenderEkontrak-BAPBAST", "kd_nontender no_bast tgl_bast besar_pembayaran progres_pekerjaan",
        "kd_nontender no_bast", 80, m.bapbast),
    _ds("SPSE-PencatatanNonTender", "kd_nontender_pct kd_rup nama_paket pagu total_realisasi", "kd_nontender_pct",
        60, m.pencatatan_nontender),
    _ds("SPSE-PencatatanNonTenderRealisasi", "kd_nontender_pct no_realisasi tgl_realisasi nilai_realisasi "
        "jenis_realisasi", "kd_nontender_pct no_realisasi", 60, m.realisasi_nontender),
    _ds("SPSE-PencatatanSwakelola", "kd_swakelola_pct kd_rup nama_paket pagu total_realisasi", "kd_swakelola_pct",
        60, m.pencatatan_swakelola),
    _ds("SPSE-PencatatanSwakelolaRealisasi", "kd_swakelola_pct tgl_realisasi jenis_realisasi",
        "kd_swakelola_pct no_realisasi", 60, m.realisasi_swakelola),
    _ds("Ecat-PaketEPurchasing", "kd_paket kd_rup rup_nama_pkt total_harga tgl_order", "kd_paket", 60, m.epurchasing),
)


def recognise(columns: set[str]) -> Dataset | None:
    """The dataset whose signature columns all appear in ``columns`` (the most specific one)."""
    matching = [d for d in DATASETS if d.signature <= columns]
    if not matching:
        return None
    best = max(len(d.signature) for d in matching)
    top = [d for d in matching if len(d.signature) == best]
    return top[0] if len(top) == 1 else None
