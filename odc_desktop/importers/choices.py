"""Indonesian labels (and SIRUP numbers) of the source systems → codes of the forms' codelists.

Keys are :func:`~odc_desktop.importers.values.label_key` forms of the labels seen in ISB/Inaproc
data (reference/indonesia-sources.md §1.3, §3). None marks a label that could mean two codes: it is
refused with that reason rather than guessed. The codelist maps each code to OCDS and writes the
Indonesian label into ``procurementMethodDetails`` / ``x_jenisPengadaan``; the source label itself
stays in the row's raw values.
"""

from __future__ import annotations

from odc_desktop.importers.values import label_key


def _table(pairs: dict[str, str | None]) -> dict[str, str | None]:
    return {label_key(label): code for label, code in pairs.items()}


METODE_PEMILIHAN = _table({
    "Tender": "tender", "Tender Terbuka": "tender", "Tender Cepat": "tender_cepat", "Seleksi": "seleksi",
    "Pengadaan Langsung": "pengadaan_langsung", "Penunjukan Langsung": "penunjukan_langsung",
    "E-Purchasing": "e_purchasing", "EPurchasing": "e_purchasing", "E-Katalog": "e_purchasing",
    "Dikecualikan": "dikecualikan",
    # SIRUP kd_metode_pengadaan
    "7": "penunjukan_langsung", "8": "pengadaan_langsung", "9": "e_purchasing", "13": "tender",
    "14": "tender_cepat", "15": "seleksi",
})

JENIS_PENGADAAN = _table({
    "Barang": "barang", "Pengadaan Barang": "barang",
    "Pekerjaan Konstruksi": "pekerjaan_konstruksi",
    "Pekerjaan Konstruksi Terintegrasi": "pekerjaan_konstruksi",
    "Jasa Konsultansi Konstruksi": "jasa_konsultansi_konstruksi",
    "Jasa Konsultansi Badan Usaha Konstruksi": "jasa_konsultansi_konstruksi",
    "Jasa Konsultansi Perorangan Konstruksi": "jasa_konsultansi_konstruksi",
    "Jasa Konsultansi Non Konstruksi": "jasa_konsultansi_non_konstruksi",
    "Jasa Konsultansi Badan Usaha Non Konstruksi": "jasa_konsultansi_non_konstruksi",
    "Jasa Konsultansi Perorangan Non Konstruksi": "jasa_konsultansi_non_konstruksi",
    "Jasa Konsultansi Perorangan": None,  # konstruksi or not is not said
    "Jasa Konsultansi": None,
    "Jasa Lainnya": "jasa_lainnya",
    # SIRUP kd_jenis_pengadaan (3 = Jasa Konsultansi, konstruksi or not unknown)
    "1": "barang", "2": "pekerjaan_konstruksi", "3": None, "4": "jasa_lainnya",
})

METODE_EVALUASI = _table({
    "Harga Terendah Sistem Gugur": "harga_terendah", "Harga Terendah": "harga_terendah",
    "Kualitas dan Biaya": "kualitas_dan_biaya", "Kualitas": "kualitas", "Pagu Anggaran": "pagu_anggaran",
    "Biaya Terendah": "biaya_terendah", "Sistem Nilai": "nilai", "Nilai": "nilai",
    "Penilaian Biaya Selama Umur Ekonomis": "umur_ekonomis", "Umur Ekonomis": "umur_ekonomis",
})

METODE_KUALIFIKASI = _table({
    "Pascakualifikasi Satu File": "pasca_satu_file", "Pasca Satu File": "pasca_satu_file",
    "Pascakualifikasi Dua File": "pasca_dua_file", "Pasca Dua File": "pasca_dua_file",
    "Prakualifikasi Satu File": "pra_satu_file", "Pra Satu File": "pra_satu_file",
    "Prakualifikasi Dua File": "pra_dua_file", "Pra Dua File": "pra_dua_file",
    "Pra Dua File Kualitas Biaya": "pra_dua_file", "Pra Dua File Kualitas": "pra_dua_file",
    "Pra Dua File Pagu Anggaran": "pra_dua_file", "Pra Dua File Biaya Terendah": "pra_dua_file",
    "Prakualifikasi Dua Tahap": "pra_dua_tahap", "Pra Dua Tahap": "pra_dua_tahap",
})

STATUS_TENDER = _table({
    "Berlangsung": "berlangsung", "Aktif": "berlangsung", "Selesai": "selesai",
    "Tender Sudah Selesai": "selesai", "Paket Sudah Selesai": "selesai", "Gagal": "gagal",
    "Batal": "batal", "Dibatalkan": "batal",
    "Gagal/Batal": None,  # ISB does not say which
})

JENIS_KONTRAK = _table({
    "Lumsum": "lumsum", "Lumpsum": "lumsum", "Lump Sum": "lumsum", "Harga Satuan": "harga_satuan",
    "Gabungan Lumsum dan Harga Satuan": "gabungan", "Gabungan Lumpsum dan Harga Satuan": "gabungan",
    "Terima Jadi": "terima_jadi", "Terima Jadi (Turnkey)": "terima_jadi", "Turnkey": "terima_jadi",
    "Kontrak Payung": "kontrak_payung", "Waktu Penugasan": "waktu_penugasan",
    "Tahun Jamak": "tahun_jamak", "Kontrak Tahun Jamak": "tahun_jamak",
})

CARA_PEMBAYARAN = _table({"Sekaligus": "sekaligus", "Termin": "termin", "Bulanan": "bulanan"})

SUMBER_DANA = _table({
    "APBD": "apbd", "APBD Murni": "apbd", "APBDP": "apbd_perubahan", "APBD-P": "apbd_perubahan",
    "P-APBD": "apbd_perubahan", "APBD Perubahan": "apbd_perubahan", "DAK Fisik": "dak_fisik",
    "DAK Non Fisik": "dak_non_fisik", "DAU": "dau", "Dana Alokasi Umum": "dau", "DBH Migas": "dbh_migas",
    "Dana Bagi Hasil Migas": "dbh_migas", "DBHCHT": "dbhcht", "BLUD": "blud", "APBN": "apbn",
    "Bantuan Keuangan Provinsi": "bantuan_keuangan_provinsi",
    "BUMD": "lainnya", "Lainnya": "lainnya",
})

#: Words at the start of a supplier's name or in its legal form that show a business entity, whose
#: NPWP is not personal data (an individual's NPWP is, so it is never imported into a field).
BUSINESS_FORMS = ("pt", "cv", "firma", "fa", "ud", "koperasi", "perum", "persero", "yayasan", "kso")
