"""What each ISB/Inaproc dataset's row fills in: one mapper per dataset, reading through RowReader.

Field ids are those of ``forms/*.yaml``; ``rank_offset`` lowers a value repeated from another
stage's source (SPSE repeats the RUP's pagu), so the dataset that owns the fact wins the join.
"""

from __future__ import annotations

from odc_desktop.importers import choices as C
from odc_desktop.importers.record import RowReader, RowRejected
from odc_desktop.importers.rows import Finding
from odc_desktop.importers.values import read_choice, read_code, read_codes, read_date, read_money, read_text

P, T, A, K, I, S = "planning", "tender", "award", "contract", "implementation", "completion"
#: Offsets that put a fact repeated from another system below the dataset that owns it: RUP (rank 50)
#: owns the package's name and planning facts; SPSE datasets rank 60-80 (datasets.py).
BELOW_RUP_FROM_SPSE = -20  # announcements (60) → 40
BELOW_RUP_FROM_RECORDS = -15  # pencatatan, realisasi, e-purchasing (60) → 45
BELOW_RUP_FROM_EKONTRAK = -35  # e-kontrak (80) → 45


# --- RUP (SIRUP) --------------------------------------------------------------------------------
def _active_rup(r: RowReader) -> str:
    """The row's kode RUP; a package deleted or made inactive in SIRUP rejects the row."""
    kode = r.key("kd_rup")
    deleted, active = r.row.get("status_delete_rup"), r.row.get("status_aktif_rup")
    if deleted in (True, 1, "true", "True") or active in (False, 0, "false", "False"):
        raise RowRejected(Finding("row_withdrawn", {"n": r.n, "kode": kode}))
    return kode


def _rup_common(r: RowReader) -> None:
    r.alias("rup", _active_rup(r))
    r.common()
    r.money(P, "pagu", "pagu")
    r.text(P, "uraian_pekerjaan", "urarian_pekerjaan", "uraian_pekerjaan", cut=True)
    r.text(P, "volume_pekerjaan", "volume_pekerjaan", cut=True)


def rup_penyedia(r: RowReader) -> None:
    _rup_common(r)
    r.choice(P, "jenis_pengadaan", C.JENIS_PENGADAAN, "jenis pengadaan", "jenis_pengadaan", "kd_jenis_pengadaan")
    r.choice(P, "metode_pemilihan", C.METODE_PEMILIHAN, "metode pemilihan", "metode_pengadaan", "kd_metode_pengadaan")
    r.date(P, "rencana_pemilihan_mulai", "tgl_awal_pemilihan")
    r.date(P, "rencana_pemilihan_selesai", "tgl_akhir_pemilihan", month_last=True)
    r.date(P, "rencana_pelaksanaan_mulai", "tgl_awal_kontrak")
    r.date(P, "rencana_pelaksanaan_selesai", "tgl_akhir_kontrak", month_last=True)


def rup_swakelola(r: RowReader) -> None:
    _rup_common(r)
    r.date(P, "rencana_pelaksanaan_mulai", "tgl_awal_pelaksanaan_kontrak")
    r.date(P, "rencana_pelaksanaan_selesai", "tgl_akhir_pelaksanaan_kontrak", month_last=True)


def rup_anggaran(r: RowReader) -> None:
    kode = _active_rup(r)
    r.alias("rup", kode)
    r.common(title_column=None)
    line = {"sumber_dana": r.read("sumber_dana", _sumber), "mak": r.read("mak", _mak),
            "nilai": _money_only(r, "pagu")}
    line = {k: v for k, v in line.items() if v is not None}
    key = f"{kode}|{r.row.get('mak')}|{r.row.get('sumber_dana')}|{r.row.get('pagu')}"
    r.item(P, "rincian_anggaran", key, line, ("sumber_dana", "mak", "pagu"))


def rup_lokasi(r: RowReader) -> None:
    kode = r.key("kd_rup")
    r.alias("rup", kode)
    r.common(title_column=None)
    parts = [r.read(c, _plain) for c in ("detail_lokasi", "kab_kota", "provinsi")]
    text = ", ".join(p for p in parts if p)
    if text:
        r.item(P, "lokasi_detail", f"{kode}|{text}", text, ("detail_lokasi", "kab_kota", "provinsi"))


# --- SPSE tender / non-tender -------------------------------------------------------------------
def _rup_codes(r: RowReader, *columns: str) -> None:
    """The kode RUP a row of another system names (``a;b``: the first joins, the rest are kept).
    Not the row's own key: an unreadable one is noted and the row kept."""
    codes = r.read(r.first(*columns), read_codes) or []
    r.alias("rup", codes[0] if codes else None)
    r.record.kode_rup_lain.extend(codes[1:])


def _selection(r: RowReader, kind: str) -> str:
    code = r.key("kd_tender" if kind == "tender" else "kd_nontender")
    r.alias(kind, code)
    return code


def _announcement(r: RowReader, kind: str) -> None:
    code = _selection(r, kind)
    _rup_codes(r, "kd_rup", "kd_rup_paket")
    r.common(title_rank=BELOW_RUP_FROM_SPSE)  # RUP names the package; SPSE only when RUP is not imported
    r.put(T, "kode_tender", "kd_tender" if kind == "tender" else "kd_nontender", code)
    r.text(T, "nama_tender", "nama_paket", cut=True)
    r.money(T, "hps", "hps")
    r.choice(T, "metode_evaluasi", C.METODE_EVALUASI, "metode evaluasi", "mtd_evaluasi")
    r.choice(T, "metode_kualifikasi", C.METODE_KUALIFIKASI, "metode kualifikasi", "mtd_kualifikasi")
    announced = r.date(T, "tanggal_pengumuman", "tgl_pengumuman_tender", "tgl_pengumuman_nontender")
    version = r.read(r.first("versi_tender", "versi_nontender"), read_code)
    r.record.selection_order = (int(version) if version and version.isdigit() else 1, announced or "")
    r.choice(T, "status_tender", C.STATUS_TENDER, "status tender", "status_tender", "status_nontender")
    low = BELOW_RUP_FROM_SPSE  # planning facts repeated in SPSE: used only where RUP is not imported
    r.money(P, "pagu", "pagu", rank_offset=low)
    r.choice(P, "jenis_pengadaan", C.JENIS_PENGADAAN, "jenis pengadaan", "jenis_pengadaan", rank_offset=low)
    r.choice(P, "metode_pemilihan", C.METODE_PEMILIHAN, "metode pemilihan", "mtd_pemilihan", rank_offset=low)
    r.choice(K, "jenis_kontrak", C.JENIS_KONTRAK, "jenis kontrak", "kontrak_pembayaran", rank_offset=low)
    r.text(P, "lokasi_detail", "lokasi_pekerjaan", cut=True, rank_offset=low)
    r.date(A, "tanggal_penetapan", "tgl_penetapan_pemenang")
    if r.has("nilai_negosiasi") or r.has("nama_penyedia"):  # results: SelesaiNilai, NonTenderSelesai
        _winner(r, rank_offset=-5)
        r.money(A, "nilai_penetapan", "nilai_negosiasi")
        r.money(K, "nilai_kontrak", "nilai_kontrak", rank_offset=low)


def tender_announcement(r: RowReader) -> None:
    _announcement(r, "tender")


def nontender_announcement(r: RowReader) -> None:
    _announcement(r, "nontender")


def _winner(r: RowReader, rank_offset: int = 0) -> None:
    org = r.organization()
    if org:
        r.put(A, "pemenang", "nama_penyedia", org, rank_offset)


def tender_bidders(r: RowReader) -> None:
    """SPSE-PesertaTender lists every registrant: only a row with a bid is a bidder."""
    _selection(r, "tender")
    if r.has("nilai_penawaran"):
        org = r.organization()
        if org:
            key = str(r.row.get("kd_peserta") or r.row.get("kd_penyedia") or org["name"])
            r.item(T, "peserta", key, org, ("nama_penyedia", "nilai_penawaran"))
    if str(r.row.get("pemenang")) == "1":
        _winner(r, rank_offset=-10)


#: SPSE schedule stage names → (stage, field, which end of the period).
SCHEDULE = (("upload dokumen penawaran", T, "batas_penawaran", "tgl_akhir"),
            ("pemasukan dokumen penawaran", T, "batas_penawaran", "tgl_akhir"),
            ("pemasukan penawaran", T, "batas_penawaran", "tgl_akhir"),
            ("penjelasan", T, "tanggal_penjelasan", "tgl_awal"),
            ("pengumuman", T, "tanggal_pengumuman", "tgl_awal"),
            ("undangan", T, "tanggal_pengumuman", "tgl_awal"),
            ("penetapan pemenang", A, "tanggal_penetapan", "tgl_awal"),
            ("penetapan calon pemenang", A, "tanggal_penetapan", "tgl_awal"))


def _schedule(r: RowReader, kind: str) -> None:
    _selection(r, kind)
    name = " ".join(str(r.row.get("nama_tahapan") or "").casefold().split())
    for words, stage, field, column in SCHEDULE:
        if name.startswith(words) or (words == "penjelasan" and "penjelasan" in name):
            if not (field == "tanggal_pengumuman" and "pemenang" in name):
                r.date(stage, field, column)
            return


def tender_schedule(r: RowReader) -> None:
    _schedule(r, "tender")


def nontender_schedule(r: RowReader) -> None:
    _schedule(r, "nontender")


# --- e-kontrak ----------------------------------------------------------------------------------
def _ekontrak(r: RowReader) -> None:
    _selection(r, "tender" if r.has("kd_tender") else "nontender")
    r.common(title_rank=BELOW_RUP_FROM_EKONTRAK)
    number, opd = r.read("no_kontrak", _plain), r.record.process.get("opd_code")
    if number and opd and sum(ch.isalnum() for ch in number) >= 3:
        # Numbers such as "01/SPK/2025" recur across offices: the key is the number within its OPD.
        r.alias("kontrak", f"{opd.value}|{''.join(number.split()).casefold()}")
    r.text(A, "nomor_sppbj", "no_sppbj")
    r.text(K, "nomor_kontrak", "no_kontrak", rank_offset=-5)


def sppbj(r: RowReader) -> None:
    _ekontrak(r)
    _winner(r, rank_offset=-1)  # the Kontrak row also gives the legal form (whether the NPWP may be kept)
    r.money(A, "nilai_penetapan", "harga_final", rank_offset=-15)


def kontrak(r: RowReader) -> None:
    _ekontrak(r)
    _winner(r)
    r.text(K, "nomor_kontrak", "no_kontrak")
    r.money(K, "nilai_kontrak", "nilai_kontrak")
    r.date(K, "tanggal_tanda_tangan", "tgl_kontrak")
    r.choice(K, "jenis_kontrak", C.JENIS_KONTRAK, "jenis kontrak", "jenis_kontrak")
    r.date(K, "mulai_kontrak", "tgl_kontrak_awal")
    r.date(K, "selesai_kontrak", "tgl_kontrak_akhir")


def spmk(r: RowReader) -> None:
    _ekontrak(r)
    r.date(K, "tanggal_tanda_tangan", "tgl_kontrak", rank_offset=-5)
    r.date(K, "mulai_kontrak", "tgl_mulai_pekerjaan", rank_offset=5)  # work starts on the SPMK date
    r.date(K, "selesai_kontrak", "tgl_selesai_pekerjaan", rank_offset=5)


def bapbast(r: RowReader) -> None:
    _ekontrak(r)
    r.date(K, "tanggal_tanda_tangan", "tgl_kontrak", rank_offset=-5)
    r.money(K, "nilai_kontrak", "nilai_kontrak", rank_offset=-5)
    r.choice(K, "cara_pembayaran", C.CARA_PEMBAYARAN, "cara pembayaran", "cara_pembayaran_kontrak")
    r.percent(I, "progres_fisik", "progres_pekerjaan")
    paid, day = _money_only(r, "besar_pembayaran"), r.read("tgl_bap", read_date)
    if paid and day:
        r.item(I, "pembayaran", f"bap|{r.row.get('no_bap')}|{day}|{paid}", {"tanggal": day, "nilai": paid},
               ("no_bap", "tgl_bap", "besar_pembayaran"))
    r.constant(S, "jenis_serah_terima", "no_bast", "bast")
    r.text(S, "nomor_bast", "no_bast")
    r.date(S, "tanggal_serah_terima", "tgl_bast")


# --- pencatatan, realisasi, e-purchasing --------------------------------------------------------
def _record_only(r: RowReader, kind: str, column: str) -> None:
    r.alias(kind, r.key(column))
    _rup_codes(r, "kd_rup")
    low = BELOW_RUP_FROM_RECORDS
    r.common(title_rank=low)
    r.money(P, "pagu", "pagu", rank_offset=low)
    r.text(P, "uraian_pekerjaan", "uraian_pekerjaan", cut=True, rank_offset=low)
    r.choice(P, "jenis_pengadaan", C.JENIS_PENGADAAN, "jenis pengadaan", "kategori_pengadaan", rank_offset=low)
    r.choice(P, "metode_pemilihan", C.METODE_PEMILIHAN, "metode pemilihan", "mtd_pemilihan", rank_offset=low)


def pencatatan_nontender(r: RowReader) -> None:
    _record_only(r, "pencatatan", "kd_nontender_pct")


def pencatatan_swakelola(r: RowReader) -> None:
    _record_only(r, "swakelola", "kd_swakelola_pct")


def _realisation(r: RowReader, kind: str, column: str) -> None:
    code = r.key(column)
    r.alias(kind, code)
    r.common(title_rank=BELOW_RUP_FROM_RECORDS)
    paid = _money_only(r, r.first("nilai_realisasi", "nilai_realiasi") or "nilai_realisasi")
    day = r.read("tgl_realisasi", read_date)
    if paid and day:
        number = r.row.get("no_realisasi") or r.row.get("no_dok_realisasi")
        r.item(I, "pembayaran", f"{code}|{number}|{day}|{paid}", {"tanggal": day, "nilai": paid},
               ("no_realisasi", "tgl_realisasi", "nilai_realisasi", "jenis_realisasi"))


def realisasi_nontender(r: RowReader) -> None:
    _realisation(r, "pencatatan", "kd_nontender_pct")


def realisasi_swakelola(r: RowReader) -> None:
    _realisation(r, "swakelola", "kd_swakelola_pct")


def epurchasing(r: RowReader) -> None:
    code = r.key("kd_paket")
    r.alias("epurchasing", code)
    _rup_codes(r, "kd_rup")
    r.common("rup_nama_pkt", title_rank=BELOW_RUP_FROM_RECORDS)
    r.constant(P, "metode_pemilihan", "kd_paket", "e_purchasing")  # the dataset is e-purchasing orders
    r.put(K, "nomor_kontrak", "kd_paket", code)
    r.money(K, "nilai_kontrak", "total_harga")
    r.date(K, "tanggal_tanda_tangan", "tgl_order")


# --- small readers ------------------------------------------------------------------------------
def _plain(value: object) -> str:
    return read_text(value)


def _mak(value: object) -> str | None:
    text = _plain(value).replace(" ", "")
    return text if text and len(text) <= 80 and all(p.isdigit() for p in text.rstrip(".").split(".")) else None


def _sumber(value: object) -> str:
    return read_choice(value, C.SUMBER_DANA, "sumber dana")


def _money_only(r: RowReader, column: str) -> int | None:
    result = r.read(column, read_money)
    return result[0] if result else None
