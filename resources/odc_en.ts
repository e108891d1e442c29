<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="id">
  <context>
    <name>MainWindow</name>
    <message>
      <source>&amp;Impor data…</source>
      <translation>&amp;Import data…</translation>
    </message>
    <message>
      <source>ODC Desktop — Open Data Kontrak Bojonegoro</source>
      <translation>ODC Desktop — Bojonegoro Open Contract Data</translation>
    </message>
    <message>
      <source>Tutup pemberitahuan</source>
      <translation>Close notice</translation>
    </message>
    <message>
      <source>Paket &amp;baru…</source>
      <translation>&amp;New process…</translation>
    </message>
    <message>
      <source>&amp;Cari</source>
      <translation>&amp;Search</translation>
    </message>
    <message>
      <source>&amp;Pengaturan…</source>
      <translation>Se&amp;ttings…</translation>
    </message>
    <message>
      <source>&amp;Keluar</source>
      <translation>&amp;Quit</translation>
    </message>
    <message>
      <source>&amp;Kembali ke daftar</source>
      <translation>&amp;Back to list</translation>
    </message>
    <message>
      <source>Buat paket pengadaan baru (Ctrl+N)</source>
      <translation>Create a new procurement process (Ctrl+N)</translation>
    </message>
    <message>
      <source>Cari paket (Ctrl+F)</source>
      <translation>Search processes (Ctrl+F)</translation>
    </message>
    <message>
      <source>&amp;Berkas</source>
      <translation>&amp;File</translation>
    </message>
    <message>
      <source>&amp;Navigasi</source>
      <translation>Na&amp;vigate</translation>
    </message>
    <message>
      <source>Alat</source>
      <translation>Tools</translation>
    </message>
    <message>
      <source>Folder data: %1</source>
      <translation>Data folder: %1</translation>
    </message>
    <message>
      <source>⚠ Prefiks OCID %1 belum terdaftar — ganti di Pengaturan sebelum publikasi</source>
      <translation>⚠ OCID prefix %1 is not registered — change it in Settings before publishing</translation>
    </message>
    <message>
      <source>Prefiks OCID: %1</source>
      <translation>OCID prefix: %1</translation>
    </message>
    <message>
      <source>Bahasa baru berlaku setelah aplikasi dibuka ulang.</source>
      <translation>The new language applies after the application is restarted.</translation>
    </message>
    <message>
      <source>Aplikasi sebelumnya tidak ditutup dengan benar. Draf terakhir Anda telah dipulihkan.</source>
      <translation>The application was not closed properly last time. Your last draft has been restored.</translation>
    </message>
    <message>
      <source>Periksa isian “%1” dan isian sesudahnya: yang diketik dalam sedetik terakhir sebelum aplikasi berhenti mungkin belum tersimpan.</source>
      <translation>Check the field “%1” and the ones after it: what was typed in the last second before the app stopped may not have been saved.</translation>
    </message>
    <message>
      <source>Prefiks ini belum terdaftar; admin Diskominfo menggantinya sebelum data diterbitkan.</source>
      <translation>This prefix is not registered yet; the Diskominfo admin replaces it before data is published.</translation>
    </message>
    <message>
      <source>&amp;Tinjauan verifikator</source>
      <translation>Supervisor &amp;review</translation>
    </message>
  </context>
  <context>
    <name>NewProcessDialog</name>
    <message>
      <source>Paket baru</source>
      <translation>New process</translation>
    </message>
    <message>
      <source>mis. Rehabilitasi Jalan Desa Ngasem</source>
      <translation>e.g. Rehabilitation of Ngasem village road</translation>
    </message>
    <message>
      <source>— pilih OPD —</source>
      <translation>— choose an OPD —</translation>
    </message>
    <message>
      <source>angka dari SIRUP, boleh dikosongkan</source>
      <translation>digits from SIRUP, may be left empty</translation>
    </message>
    <message>
      <source>— tidak ada / seluruh kabupaten —</source>
      <translation>— none / whole regency —</translation>
    </message>
    <message>
      <source>&amp;Nama paket:</source>
      <translation>Process &amp;name:</translation>
    </message>
    <message>
      <source>&amp;OPD:</source>
      <translation>&amp;OPD:</translation>
    </message>
    <message>
      <source>&amp;Tahun anggaran:</source>
      <translation>Budget &amp;year:</translation>
    </message>
    <message>
      <source>&amp;Kode RUP:</source>
      <translation>&amp;RUP code:</translation>
    </message>
    <message>
      <source>K&amp;ecamatan:</source>
      <translation>Sub-&amp;district:</translation>
    </message>
    <message>
      <source>&amp;Buat paket</source>
      <translation>Cr&amp;eate process</translation>
    </message>
    <message>
      <source>B&amp;atal</source>
      <translation>&amp;Cancel</translation>
    </message>
    <message>
      <source>Nama paket wajib diisi.</source>
      <translation>The process name is required.</translation>
    </message>
    <message>
      <source>Nama paket terlalu pendek; tulis nama lengkap seperti di RUP.</source>
      <translation>The process name is too short; write the full name as in the RUP.</translation>
    </message>
    <message>
      <source>Pilih OPD yang menjalankan paket ini.</source>
      <translation>Choose the OPD that runs this process.</translation>
    </message>
    <message>
      <source>Kode RUP hanya berisi angka, atau kosongkan bila belum ada.</source>
      <translation>The RUP code contains digits only; leave it empty if there is none yet.</translation>
    </message>
    <message>
      <source>Paket tidak dapat dibuat. Coba lagi; bila tetap gagal, hubungi Diskominfo dan sertakan berkas log.</source>
      <translation>The process could not be created. Try again; if it keeps failing, contact Diskominfo and include the log file.</translation>
    </message>
    <message>
      <source>ketik untuk mencari, mis. Dinas P</source>
      <translation>type to search, e.g. Public W</translation>
    </message>
    <message>
      <source>kosong: seluruh kabupaten; ketik untuk mencari</source>
      <translation>empty: the whole regency; type to search</translation>
    </message>
    <message>
      <source>OCID paket ini: %1</source>
      <translation>OCID of this process: %1</translation>
    </message>
    <message>
      <source>Tanpa kode RUP, OCID dibuat otomatis dari kode komputer ini: %1-…-nomor urut.</source>
      <translation>Without a RUP code, the OCID is made from this computer's code: %1-…-sequence number.</translation>
    </message>
  </context>
  <context>
    <name>ProcessListModel</name>
    <message>
      <source>Belum diisi</source>
      <extracomment>Role that returns the process id of a row.</extracomment>
      <translation>Not started</translation>
    </message>
    <message>
      <source>Nama paket</source>
      <translation>Process name</translation>
    </message>
    <message>
      <source>OPD</source>
      <translation>OPD</translation>
    </message>
    <message>
      <source>Tahun</source>
      <translation>Year</translation>
    </message>
    <message>
      <source>Tahap</source>
      <translation>Stage</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>Diperbarui</source>
      <translation>Updated</translation>
    </message>
    <message>
      <source>Memuat…</source>
      <translation>Loading…</translation>
    </message>
    <message>
      <source>%1 (%2) · sekarang %3</source>
      <translation>%1 (%2) · now %3</translation>
    </message>
    <message>
      <source>Dikembalikan verifikator (%1):</source>
      <translation>Returned by the reviewer (%1):</translation>
    </message>
    <message numerus="yes">
      <source>• %Ln catatan pada isian tertentu</source>
      <translation>
        <numerusform>• %Ln note on a field</numerusform>
        <numerusform>• %Ln notes on fields</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>ProcessListPage</name>
    <message>
      <source>Cari nama paket, kode RUP atau OPD…</source>
      <translation>Search by process name, RUP code or OPD…</translation>
    </message>
    <message>
      <source>&amp;Cari:</source>
      <translation>&amp;Search:</translation>
    </message>
    <message>
      <source>&amp;OPD:</source>
      <translation>&amp;OPD:</translation>
    </message>
    <message>
      <source>&amp;Tahun:</source>
      <translation>&amp;Year:</translation>
    </message>
    <message>
      <source>Ta&amp;hap:</source>
      <translation>Sta&amp;ge:</translation>
    </message>
    <message>
      <source>&amp;Status:</source>
      <translation>S&amp;tatus:</translation>
    </message>
    <message>
      <source>Semua OPD</source>
      <translation>All OPDs</translation>
    </message>
    <message>
      <source>Semua tahap</source>
      <translation>All stages</translation>
    </message>
    <message>
      <source>Semua status</source>
      <translation>All statuses</translation>
    </message>
    <message>
      <source>Semua tahun</source>
      <translation>All years</translation>
    </message>
    <message numerus="yes">
      <source>%Ln paket</source>
      <translation>
        <numerusform>%Ln process</numerusform>
        <numerusform>%Ln processes</numerusform>
      </translation>
    </message>
    <message>
      <source>Belum ada paket pengadaan di komputer ini.
Pilih "Paket baru" (Ctrl+N) untuk mulai mengisi.</source>
      <translation>There are no procurement processes on this computer yet.
Choose "New process" (Ctrl+N) to start.</translation>
    </message>
    <message>
      <source>Tidak ada paket yang cocok. Ubah kata pencarian atau penyaring.</source>
      <translation>No process matches. Change the search words or the filters.</translation>
    </message>
    <message numerus="yes">
      <source>%Ln paket berisi entri yang dikembalikan verifikator dan ditampilkan paling atas, apa pun urutannya. Buka paketnya untuk melihat catatan verifikator, perbaiki, lalu tandai siap lagi.</source>
      <translation>
        <numerusform>%Ln process holds an entry returned by the reviewer and is shown at the top, whatever the order. Open it to read the reviewer's notes, fix it, then mark it ready again.</numerusform>
        <numerusform>%Ln processes hold an entry returned by the reviewer and are shown at the top, whatever the order. Open one to read the reviewer's notes, fix it, then mark it ready again.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>ProcessView</name>
    <message>
      <source>← Kembali ke &amp;daftar</source>
      <translation>← Back to &amp;list</translation>
    </message>
    <message>
      <source>Buka tahap ini (Alt+%1)</source>
      <translation>Open this stage (Alt+%1)</translation>
    </message>
    <message>
      <source>Tahun %1</source>
      <translation>Year %1</translation>
    </message>
    <message>
      <source>Kode RUP: %1</source>
      <translation>RUP code: %1</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <source>Pengaturan</source>
      <extracomment>How a choice value is shown; values without an entry are shown as they are.</extracomment>
      <translation>Settings</translation>
    </message>
    <message>
      <source>&amp;Simpan</source>
      <translation>&amp;Save</translation>
    </message>
    <message>
      <source>B&amp;atal</source>
      <translation>&amp;Cancel</translation>
    </message>
    <message>
      <source>Alamat server harus diawali http:// atau https://.</source>
      <translation>The server address must start with http:// or https://.</translation>
    </message>
    <message>
      <source>Diisi oleh admin Diskominfo. Ubah hanya bila diminta admin.</source>
      <translation>Set by the Diskominfo admin. Change only when the admin asks.</translation>
    </message>
    <message>
      <source>Pengaturan &amp;lanjutan (admin)</source>
      <translation>&amp;Advanced settings (admin)</translation>
    </message>
    <message>
      <source>— pilih atau ketik untuk mencari —</source>
      <translation>— choose or type to search —</translation>
    </message>
  </context>
  <context>
    <name>app</name>
    <message>
      <source>Terjadi kesalahan</source>
      <translation>An error occurred</translation>
    </message>
    <message>
      <source>Terjadi kesalahan. Data Anda tetap tersimpan. Detail ada di log: %1</source>
      <translation>An error occurred. Your data is still saved. Details are in the log: %1</translation>
    </message>
    <message>
      <source>Data lokal tidak dapat dibuka:

%1

Aplikasi ditutup. Hubungi Diskominfo dan sertakan berkas log: %2</source>
      <translation>The local data cannot be opened:

%1

The application will close. Contact Diskominfo and include the log file: %2</translation>
    </message>
    <message>
      <source>Data tidak dapat dibuka</source>
      <translation>Data cannot be opened</translation>
    </message>
    <message>
      <source>Data demo dibuat: %1 paket contoh.</source>
      <translation>Demo data made: %1 example processes.</translation>
    </message>
    <message>
      <source>Data demo tidak dapat dibuat: %1</source>
      <translation>The demo data could not be made: %1</translation>
    </message>
    <message>
      <source>Cadangan harian gagal dibuat: %1</source>
      <translation>The daily backup could not be made: %1</translation>
    </message>
    <message>
      <source>ODC Desktop sudah terbuka untuk folder data ini (%1). Pakai jendela yang sudah terbuka, atau tutup dulu lalu buka lagi.</source>
      <translation>ODC Desktop is already open for this data folder (%1). Use the window that is open, or close it first and start again.</translation>
    </message>
    <message>
      <source>Sudah terbuka</source>
      <translation>Already open</translation>
    </message>
    <message>
      <source>Folder data sedang dipakai</source>
      <translation>Data folder in use</translation>
    </message>
    <message>
      <source>Perintah %1 (proses %2) sedang menulis ke folder data ini (%3). Tunggu sampai perintah itu selesai, lalu buka ODC Desktop lagi. Data Anda tidak diubah.</source>
      <translation>The command %1 (process %2) is writing to this data folder (%3). Wait until that command finishes, then open ODC Desktop again. Your data was not changed.</translation>
    </message>
    <message>
      <source>sudah ada berkas dengan nama itu, bukan folder</source>
      <translation>a file with that name exists, not a folder</translation>
    </message>
    <message>
      <source>Folder data tidak dapat dipakai</source>
      <translation>Data folder cannot be used</translation>
    </message>
    <message>
      <source>Folder data %1 tidak dapat dipakai: %2.

Pilih folder lain dengan --data-dir, atau minta bantuan Diskominfo untuk memperbaiki izin folder itu. Data Anda tidak diubah.</source>
      <translation>The data folder %1 cannot be used: %2.

Choose another folder with --data-dir, or ask Diskominfo to fix the folder's permissions. Your data was not changed.</translation>
    </message>
    <message>
      <source>Detail ada di log: %1</source>
      <translation>Details are in the log: %1</translation>
    </message>
    <message>
      <source>Detail ditulis ke keluaran galat (stderr).</source>
      <translation>Details were written to the error output (stderr).</translation>
    </message>
    <message>
      <source>ODC Desktop tidak dapat dimulai karena kesalahan tak terduga. Data Anda tidak diubah. %1</source>
      <translation>ODC Desktop cannot start because of an unexpected error. Your data was not changed. %1</translation>
    </message>
    <message>
      <source>Formulir tersimpan tidak dapat diperiksa: %1</source>
      <translation>The stored forms cannot be checked: %1</translation>
    </message>
  </context>
  <context>
    <name>AttachmentsPanel</name>
    <message>
      <source>B&amp;uka dokumen</source>
      <translation>&amp;Open document</translation>
    </message>
    <message>
      <source>Buka dokumen terpilih dengan penampil di komputer ini (atau klik dua kali dokumennya).</source>
      <translation>Open the selected document in this computer's viewer (or double-click the document).</translation>
    </message>
    <message>
      <source>Tidak ada program untuk membuka %1 di komputer ini.</source>
      <translation>No program on this computer can open %1.</translation>
    </message>
    <message>
      <source>&amp;Tambah dokumen…</source>
      <translation>&amp;Add document…</translation>
    </message>
    <message>
      <source>&amp;Hapus dokumen</source>
      <translation>&amp;Remove document</translation>
    </message>
    <message>
      <source>Tarik berkas ke sini untuk melampirkannya.</source>
      <translation>Drop files here to attach them.</translation>
    </message>
    <message>
      <source>Dokumen yang diminta</source>
      <translation>Requested documents</translation>
    </message>
    <message>
      <source>Belum ada dokumen.</source>
      <translation>No documents yet.</translation>
    </message>
    <message>
      <source>wajib</source>
      <translation>required</translation>
    </message>
    <message>
      <source>tidak wajib</source>
      <translation>optional</translation>
    </message>
    <message>
      <source>Pilih dokumen</source>
      <translation>Choose document</translation>
    </message>
    <message>
      <source>Dokumen dan foto (*.pdf *.jpg *.jpeg *.png *.doc *.docx *.xls *.xlsx)</source>
      <translation>Documents and photos (*.pdf *.jpg *.jpeg *.png *.doc *.docx *.xls *.xlsx)</translation>
    </message>
    <message>
      <source>Semua berkas (*)</source>
      <translation>All files (*)</translation>
    </message>
    <message>
      <source>%1 bukan berkas (mungkin folder); pilih berkas dokumennya.</source>
      <translation>%1 is not a file (maybe a folder); choose the document file.</translation>
    </message>
    <message>
      <source>Menyalin %1…</source>
      <translation>Copying %1…</translation>
    </message>
    <message>
      <source>%1 terlampir.</source>
      <translation>%1 attached.</translation>
    </message>
    <message>
      <source>%1 tidak dapat dilampirkan: %2</source>
      <translation>%1 could not be attached: %2</translation>
    </message>
    <message>
      <source>berkas tidak dapat dibaca (%1). Periksa bahwa berkas masih ada dan tidak sedang dibuka program lain, lalu coba lagi.</source>
      <translation>the file cannot be read (%1). Check that it still exists and is not open in another program, then try again.</translation>
    </message>
  </context>
  <context>
    <name>DateEditor</name>
    <message>
      <source>Kosongkan tanggal</source>
      <translation>Clear the date</translation>
    </message>
    <message>
      <source>HH-BB-TTTT</source>
      <translation>DD-MM-YYYY</translation>
    </message>
    <message>
      <source>Pilih dari kalender (F4)</source>
      <translation>Choose from the calendar (F4)</translation>
    </message>
    <message>
      <source>Pilih dari kalender</source>
      <translation>Choose from the calendar</translation>
    </message>
  </context>
  <context>
    <name>DocumentTypeDialog</name>
    <message>
      <source>Jenis dokumen</source>
      <translation>Document type</translation>
    </message>
    <message>
      <source>Pilih jenis dokumen untuk: %1</source>
      <translation>Choose the document type of: %1</translation>
    </message>
  </context>
  <context>
    <name>FormPage</name>
    <message>
      <source>Dokumen</source>
      <translation>Documents</translation>
    </message>
    <message>
      <source>&amp;Sebelumnya</source>
      <translation>&amp;Previous</translation>
    </message>
    <message>
      <source>Beri&amp;kutnya</source>
      <translation>&amp;Next</translation>
    </message>
    <message>
      <source>Tandai siap k&amp;irim</source>
      <translation>Mark ready to s&amp;end</translation>
    </message>
    <message>
      <source>Draf dipindahkan dari formulir versi %1 ke versi %2</source>
      <translation>Draft moved from form version %1 to version %2</translation>
    </message>
    <message>
      <source>Draf ini dibuat dengan formulir versi %1 dan tetap memakai versi itu, karena tidak dapat dipindahkan otomatis ke versi %2:
%3</source>
      <translation>This draft was made with form version %1 and keeps that version, because it cannot be moved to version %2 automatically:
%3</translation>
    </message>
    <message>
      <source>Buat pe&amp;rubahan</source>
      <translation>Make a c&amp;hange</translation>
    </message>
    <message>
      <source>Mulai entri baru dari data yang sudah disetujui; setelah diperiksa, entri itu diterbitkan sebagai pembaruan.</source>
      <translation>Start a new entry from the approved data; once reviewed, it is published as an update.</translation>
    </message>
    <message>
      <source>Perubahan tidak dapat dimulai: %1</source>
      <translation>The change could not be started: %1</translation>
    </message>
    <message>
      <source>Memuat…</source>
      <translation>Loading…</translation>
    </message>
    <message>
      <source>Tersimpan %1</source>
      <translation>Saved %1</translation>
    </message>
    <message>
      <source>Formulir tidak dapat dimuat: %1</source>
      <translation>The form could not be loaded: %1</translation>
    </message>
    <message>
      <source>Menyimpan…</source>
      <translation>Saving…</translation>
    </message>
    <message>
      <source>Tersimpan otomatis %1</source>
      <translation>Saved automatically %1</translation>
    </message>
    <message>
      <source>Gagal menyimpan: %1 Isian Anda tetap di layar; perubahan berikutnya akan mencoba menyimpan lagi.</source>
      <translation>Could not save: %1 Your input stays on screen; the next change will try to save again.</translation>
    </message>
    <message numerus="yes">
      <source>Belum bisa ditandai siap: %Ln hal perlu diperbaiki (klik untuk menuju isiannya).</source>
      <translation>
        <numerusform>Cannot mark ready yet: %Ln thing needs fixing (click to go to the field).</numerusform>
        <numerusform>Cannot mark ready yet: %Ln things need fixing (click to go to the field).</numerusform>
      </translation>
    </message>
    <message>
      <source>Ditandai siap dikirim.</source>
      <translation>Marked ready to send.</translation>
    </message>
    <message>
      <source>Lampirkan dokumen yang diminta tahap ini. Tarik berkas ke daftar atau pilih "Tambah dokumen…". Dokumen bertanda ✗ wajib sebelum entri dapat ditandai siap.</source>
      <translation>Attach the documents this stage asks for. Drop files on the list or choose "Add document…". Documents marked ✗ are required before the entry can be marked ready.</translation>
    </message>
    <message>
      <source>Formulir yang dipakai entri ini (versi %1) tidak ada di komputer ini, sehingga entri ditampilkan hanya-baca dengan formulir versi %2. Isiannya tidak diubah. Formulir itu akan tersedia setelah sinkronisasi berikutnya; bila tidak, hubungi admin Diskominfo.</source>
      <translation>The form this entry was made with (version %1) is not on this computer, so the entry is shown read-only with form version %2. Its contents are not changed. That form will be available after the next synchronisation; if not, contact the Diskominfo admin.</translation>
    </message>
    <message>
      <source>Draf ini tetap memakai formulir versi %1, versi yang dipakai saat dibuat.</source>
      <translation>This draft keeps form version %1, the version it was made with.</translation>
    </message>
    <message>
      <source>Catatan verifikator: %1</source>
      <translation>Reviewer's note: %1</translation>
    </message>
  </context>
  <context>
    <name>GroupEditor</name>
    <message>
      <source>Tambah &amp;baris</source>
      <translation>Add &amp;row</translation>
    </message>
    <message>
      <source>Baris %1</source>
      <translation>Row %1</translation>
    </message>
  </context>
  <context>
    <name>HelpPanel</name>
    <message>
      <source>Panduan SOP</source>
      <translation>SOP guidance</translation>
    </message>
    <message>
      <source>Tidak ada panduan khusus untuk isian ini.</source>
      <translation>No specific guidance for this field.</translation>
    </message>
    <message>
      <source>Wajib diisi.</source>
      <translation>Required.</translation>
    </message>
    <message>
      <source>Langkah SOP: %1</source>
      <translation>SOP step: %1</translation>
    </message>
    <message>
      <source>Pilih sebuah isian untuk melihat panduannya.</source>
      <translation>Select a field to see its guidance.</translation>
    </message>
  </context>
  <context>
    <name>OrganizationForm</name>
    <message>
      <source>16 digit: %1</source>
      <translation>16 digits: %1</translation>
    </message>
    <message>
      <source>Usaha mikro</source>
      <translation>Micro</translation>
    </message>
    <message>
      <source>Usaha kecil/menengah</source>
      <translation>Small/medium</translation>
    </message>
    <message>
      <source>Usaha besar</source>
      <translation>Large</translation>
    </message>
    <message>
      <source>Nama</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>NPWP</source>
      <translation>Tax ID (NPWP)</translation>
    </message>
    <message>
      <source>Alamat</source>
      <translation>Address</translation>
    </message>
    <message>
      <source>Skala usaha</source>
      <translation>Business size</translation>
    </message>
  </context>
  <context>
    <name>OrganizationListEditor</name>
    <message>
      <source>Tambah &amp;organisasi</source>
      <translation>Add &amp;organization</translation>
    </message>
    <message>
      <source>Organisasi %1</source>
      <translation>Organization %1</translation>
    </message>
  </context>
  <context>
    <name>ProblemSummary</name>
    <message numerus="yes">
      <source>%Ln isian perlu diperbaiki:</source>
      <translation>
        <numerusform>%Ln field needs fixing:</numerusform>
        <numerusform>%Ln fields need fixing:</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>RowsEditor</name>
    <message>
      <source>Belum ada baris.</source>
      <translation>No rows yet.</translation>
    </message>
    <message>
      <source>Hapus</source>
      <translation>Remove</translation>
    </message>
    <message>
      <source>Belum ada %1.</source>
      <translation>No %1 yet.</translation>
    </message>
    <message>
      <source>&amp;Urungkan</source>
      <translation>&amp;Undo</translation>
    </message>
    <message>
      <source>Baris</source>
      <translation>Row</translation>
    </message>
    <message>
      <source>&amp;Tambah %1</source>
      <translation>&amp;Add %1</translation>
    </message>
    <message>
      <source>%1 dihapus.</source>
      <translation>%1 removed.</translation>
    </message>
  </context>
  <context>
    <name>SelectEditor</name>
    <message>
      <source>— pilih atau ketik untuk mencari —</source>
      <translation>— choose or type to search —</translation>
    </message>
  </context>
  <context>
    <name>StatusBanners</name>
    <message>
      <source>Entri ini sedang menunggu dikirim ke server, sehingga tidak dapat diubah di sini.</source>
      <translation>This entry is waiting to be sent to the server and cannot be changed here.</translation>
    </message>
    <message>
      <source>Entri ini sudah terkirim dan menunggu verifikasi, sehingga tidak dapat diubah. Bila verifikator mengembalikannya, Anda dapat memperbaikinya di sini.</source>
      <translation>This entry was sent and awaits review, so it cannot be changed. If the reviewer returns it, you can fix it here.</translation>
    </message>
    <message>
      <source>Entri ini sudah disetujui dan dipublikasikan; datanya dikunci. Untuk mengubahnya, pilih "Buat perubahan": entri baru dibuat dari data ini dan diterbitkan sebagai pembaruan.</source>
      <translation>This entry is approved and published; its data is locked. To change it, choose "Make a change": a new entry is made from this data and published as an update.</translation>
    </message>
    <message>
      <source>Dikembalikan oleh verifikator. Perbaiki hal berikut, lalu tandai siap lagi:</source>
      <translation>Returned by the reviewer. Fix the following, then mark ready again:</translation>
    </message>
  </context>
  <context>
    <name>DbRunner</name>
    <message>
      <source>Sebuah pekerjaan di latar belakang tidak selesai. Data yang sudah tersimpan tetap aman. Coba lagi; bila tetap gagal, hubungi Diskominfo dan sertakan berkas log.</source>
      <translation>A background task did not finish. The data already saved is safe. Try again; if it keeps failing, contact Diskominfo and include the log file.</translation>
    </message>
  </context>
  <context>
    <name>_FilesPage</name>
    <message>
      <source>&amp;Hapus dari daftar</source>
      <translation>&amp;Remove from the list</translation>
    </message>
    <message>
      <source>Templat tidak dapat disimpan: %1</source>
      <translation>The template cannot be saved: %1</translation>
    </message>
    <message>
      <source>Templat disimpan: %1</source>
      <translation>Template saved: %1</translation>
    </message>
    <message>
      <source>Pilih berkas</source>
      <translation>Choose files</translation>
    </message>
    <message>
      <source>Berkas JSON ISB/Inaproc, CSV atau XLSX (anggaran DPA, usulan e-musrenbang, laporan progres).</source>
      <translation>ISB/Inaproc JSON, CSV or XLSX files (DPA budgets, e-musrenbang proposals, progress reports).</translation>
    </message>
    <message>
      <source>&amp;Tambah berkas…</source>
      <translation>&amp;Add files…</translation>
    </message>
    <message>
      <source>&amp;Unduh templat laporan progres…</source>
      <translation>&amp;Download the progress-report template…</translation>
    </message>
    <message>
      <source>Pilih berkas untuk diimpor</source>
      <translation>Choose files to import</translation>
    </message>
    <message>
      <source>Data (*.json *.csv *.xlsx);;Semua berkas (*)</source>
      <translation>Data (*.json *.csv *.xlsx);;All files (*)</translation>
    </message>
    <message>
      <source>Simpan templat laporan progres</source>
      <translation>Save the progress-report template</translation>
    </message>
    <message>
      <source>Excel (*.xlsx);;CSV (*.csv)</source>
      <translation>Excel workbook (*.xlsx);;CSV file (*.csv)</translation>
    </message>
  </context>
  <context>
    <name>_MappingPage</name>
    <message>
      <source>Pemetaan kolom</source>
      <translation>Column mapping</translation>
    </message>
    <message>
      <source>Periksa kolom mana yang mengisi isian mana. Pemetaan disimpan dan dipakai lagi untuk berkas dengan judul kolom yang sama.</source>
      <translation>Check which column fills which field. The mapping is saved and used again for files with the same column headings.</translation>
    </message>
    <message>
      <source>Jenis data</source>
      <translation>Kind of data</translation>
    </message>
    <message>
      <source>(tidak ada)</source>
      <translation>(none)</translation>
    </message>
    <message>
      <source>Kolom %1</source>
      <translation>Column %1</translation>
    </message>
  </context>
  <context>
    <name>_PreviewPage</name>
    <message>
      <source>Pratinjau</source>
      <translation>Preview</translation>
    </message>
    <message>
      <source>Data impor menjadi draf; tidak ada yang dikirim otomatis.</source>
      <translation>Imported data becomes drafts; nothing is submitted by itself.</translation>
    </message>
    <message>
      <source>Berkas</source>
      <translation>File</translation>
    </message>
    <message>
      <source>Baris</source>
      <translation>Row</translation>
    </message>
    <message>
      <source>Alasan</source>
      <translation>Reason</translation>
    </message>
    <message>
      <source>Baris yang bermasalah:</source>
      <translation>Rows with problems:</translation>
    </message>
    <message>
      <source>Baru: %1 · Diperbarui: %2 · Tidak berubah: %3 · Terkunci: %4 · Bermasalah: %5</source>
      <translation>New: %1 · Updated: %2 · Unchanged: %3 · Locked: %4 · With problems: %5</translation>
    </message>
  </context>
  <context>
    <name>_DonePage</name>
    <message>
      <source>Mengimpor…</source>
      <translation>Importing…</translation>
    </message>
    <message>
      <source>Impor</source>
      <translation>Import</translation>
    </message>
  </context>
  <context>
    <name>ImportWizard</name>
    <message>
      <source>Impor data</source>
      <translation>Import data</translation>
    </message>
    <message>
      <source>&amp;Impor</source>
      <translation>&amp;Import</translation>
    </message>
    <message>
      <source>%1 entri ditulis sebagai draf; %2 dilewati.</source>
      <translation>%1 entries written as drafts; %2 skipped.</translation>
    </message>
  </context>
  <context>
    <name>ReviewPage</name>
    <message>
      <source>← Daftar paket</source>
      <translation>← Process list</translation>
    </message>
    <message>
      <source>Muat ulang antrean</source>
      <translation>Reload queue</translation>
    </message>
    <message>
      <source>Tinjauan verifikator</source>
      <translation>Supervisor review</translation>
    </message>
    <message>
      <source>SOP</source>
      <translation>SOP step</translation>
    </message>
    <message>
      <source>Isian</source>
      <translation>Field</translation>
    </message>
    <message>
      <source>Nilai</source>
      <translation>Value</translation>
    </message>
    <message>
      <source>Revisi sebelumnya</source>
      <translation>Previous revision</translation>
    </message>
    <message>
      <source>Catatan isian</source>
      <translation>Field note</translation>
    </message>
    <message>
      <source>&amp;Buka dokumen</source>
      <translation>&amp;Open document</translation>
    </message>
    <message>
      <source>Catatan untuk seluruh entri (wajib bila dikembalikan)</source>
      <translation>Note on the whole entry (required to return it)</translation>
    </message>
    <message>
      <source>&amp;Setujui</source>
      <translation>&amp;Approve</translation>
    </message>
    <message>
      <source>&amp;Kembalikan dengan catatan</source>
      <translation>&amp;Return with notes</translation>
    </message>
    <message>
      <source>Dokumen</source>
      <translation>Documents</translation>
    </message>
    <message>
      <source>Tanda bahaya (red flag)</source>
      <translation>Red flags</translation>
    </message>
    <message>
      <source>%1 — %2 (revisi %3)</source>
      <translation>%1 — %2 (revision %3)</translation>
    </message>
    <message>
      <source> · %1 tanda bahaya</source>
      <translation> · %1 red flags</translation>
    </message>
    <message>
      <source>disetujui</source>
      <translation>approve</translation>
    </message>
    <message>
      <source>dikembalikan</source>
      <translation>return</translation>
    </message>
    <message>
      <source>%1: ditolak server — %2</source>
      <translation>%1: refused by the server — %2</translation>
    </message>
    <message>
      <source>%1: terkirim</source>
      <translation>%1: sent</translation>
    </message>
    <message>
      <source>%1: menunggu sinkronisasi</source>
      <translation>%1: waiting for the sync</translation>
    </message>
    <message>
      <source>Tidak ada entri yang menunggu tinjauan. Sinkronkan untuk memperbarui.</source>
      <translation>No entries await review. Sync to bring the queue up to date.</translation>
    </message>
    <message>
      <source>%1 · %2 · revisi %3 · dikirim oleh %4</source>
      <translation>%1 · %2 · revision %3 · sent by %4</translation>
    </message>
    <message>
      <source>perubahan atas entri yang sudah disetujui</source>
      <translation>a change of an approved entry</translation>
    </message>
    <message>
      <source>Tidak ada tanda bahaya.</source>
      <translation>No red flags.</translation>
    </message>
    <message>
      <source>Keputusan disimpan; dikirim pada sinkronisasi berikutnya.</source>
      <translation>Decision kept; it is sent by the next sync.</translation>
    </message>
  </context>
  <context>
    <name>FormsPush</name>
    <message>
      <source>Terbitkan versi formulir…</source>
      <translation>Publish a form version…</translation>
    </message>
    <message>
      <source>Kirim berkas formulir (.yaml) versi baru ke server pusat; komputer lain menerimanya saat sinkronisasi (khusus admin)</source>
      <translation>Send a new version of a form file (.yaml) to the central server; other PCs receive it when they sync (admins only)</translation>
    </message>
    <message>
      <source>Pilih berkas formulir yang diterbitkan</source>
      <translation>Choose the form file to publish</translation>
    </message>
    <message>
      <source>Berkas formulir (*.yaml *.yml)</source>
      <translation>Form files (*.yaml *.yml)</translation>
    </message>
    <message>
      <source>… dan %1 draf lain tetap memakai versi formulir lama.</source>
      <translation>… and %1 more drafts stay on an older form version.</translation>
    </message>
    <message>
      <source>Formulir tidak dapat diterbitkan karena kesalahan tak terduga; rinciannya ada di berkas log.</source>
      <translation>The form could not be published because of an unexpected error; the details are in the log file.</translation>
    </message>
  </context>
  <context>
    <name>EntrySyncNote</name>
    <message>
      <source>Ditolak server. Perbaiki isian berikut, tandai Siap, lalu kirim lagi:</source>
      <translation>Refused by the server. Fix these fields, mark the entry ready, then send it again:</translation>
    </message>
    <message>
      <source>Belum dikirim: menunggu Anda memilih versi (lihat konflik di bawah).</source>
      <translation>Not sent: waiting for you to choose a version (see the conflict below).</translation>
    </message>
    <message>
      <source>Menunggu dikirim ke server pada sinkronisasi berikutnya.</source>
      <translation>Waiting to be sent to the server at the next sync.</translation>
    </message>
    <message>
      <source>Percobaan terakhir belum berhasil (%1).</source>
      <translation>The last attempt did not succeed (%1).</translation>
    </message>
    <message>
      <source>Diterima server (tanda terima %1).</source>
      <translation>Received by the server (receipt of %1).</translation>
    </message>
  </context>
  <context>
    <name>LoginDialog</name>
    <message>
      <source>Masuk ke server ODC</source>
      <translation>Sign in to the ODC server</translation>
    </message>
    <message>
      <source>Masuk sekali dengan internet; sesudahnya Anda juga dapat masuk tanpa internet di komputer ini dengan kata sandi yang sama.</source>
      <translation>Sign in once with internet; after that you can also sign in on this PC without internet, with the same password.</translation>
    </message>
    <message>
      <source>&amp;Alamat server:</source>
      <translation>Server &amp;address:</translation>
    </message>
    <message>
      <source>&amp;Nama pengguna:</source>
      <translation>&amp;Username:</translation>
    </message>
    <message>
      <source>&amp;Kata sandi:</source>
      <translation>&amp;Password:</translation>
    </message>
    <message>
      <source>&amp;Masuk</source>
      <translation>&amp;Sign in</translation>
    </message>
    <message>
      <source>&amp;Batal</source>
      <translation>&amp;Cancel</translation>
    </message>
    <message>
      <source>Menghubungi server…</source>
      <translation>Contacting the server…</translation>
    </message>
  </context>
  <context>
    <name>SyncActions</name>
    <message>
      <source>&amp;Masuk ke server…</source>
      <translation>S&amp;ign in to the server…</translation>
    </message>
    <message>
      <source>&amp;Kirim ke server</source>
      <translation>Send to ser&amp;ver</translation>
    </message>
    <message>
      <source>Antrekan semua entri berstatus Siap untuk dikirim, lalu sinkronkan</source>
      <translation>Queue every ready entry to be sent, then sync</translation>
    </message>
    <message>
      <source>&amp;Sinkronkan sekarang</source>
      <translation>Sync &amp;now</translation>
    </message>
    <message>
      <source>Kirim entri yang menunggu dan ambil hasil verifikasi (F9)</source>
      <translation>Send the waiting entries and fetch review results (F9)</translation>
    </message>
    <message>
      <source>Sin&amp;kronisasi</source>
      <translation>Syn&amp;c</translation>
    </message>
    <message>
      <source>%1 entri diantrekan untuk dikirim.</source>
      <translation>%1 entries queued to be sent.</translation>
    </message>
    <message>
      <source>Tidak ada entri berstatus Siap untuk dikirim. Tandai entri sebagai Siap di formulirnya terlebih dahulu.</source>
      <translation>No entry is ready to be sent. Mark entries as ready in their forms first.</translation>
    </message>
    <message>
      <source>Server menolak %1 entri. Buka paketnya untuk melihat alasannya.</source>
      <translation>The server refused %1 entries. Open their processes to see why.</translation>
    </message>
    <message>
      <source>%1 entri berkonflik dengan versi di server. Buka paketnya lalu pilih "Lihat perbedaan…".</source>
      <translation>%1 entries conflict with the server's version. Open their processes and choose "Show differences…".</translation>
    </message>
    <message>
      <source>%1 entri siap milik OPD lain tidak dikirim: akun Anda hanya dapat mengirim data OPD-nya sendiri.</source>
      <translation>%1 ready entries of another OPD were not sent: your account can only send its own OPD's data.</translation>
    </message>
  </context>
  <context>
    <name>SyncSetup</name>
    <message>
      <source>Menyalakan server demo…</source>
      <translation>Starting the demo server…</translation>
    </message>
    <message>
      <source>Server demo berjalan di %1. Masuk sebagai operator (kata sandi operator), tandai entri Siap, lalu Sinkronisasi → Kirim ke server.</source>
      <translation>The demo server runs at %1. Sign in as operator (password operator), mark entries ready, then Sync → Send to server.</translation>
    </message>
    <message>
      <source>Supervisor demo sudah memeriksa kiriman Anda: satu entri disetujui dan satu dikembalikan dengan catatan (bila ada dua). Hasilnya diambil sekarang.</source>
      <translation>The demo supervisor has reviewed what you sent: one entry approved and one returned with a note (when there were two). The results are being fetched now.</translation>
    </message>
  </context>
  <context>
    <name>SyncStatusLabel</name>
    <message>
      <source>Server: memeriksa…</source>
      <translation>Server: checking…</translation>
    </message>
    <message>
      <source>● Daring</source>
      <translation>● Online</translation>
    </message>
    <message>
      <source>○ Luring</source>
      <translation>○ Offline</translation>
    </message>
    <message>
      <source>menyinkronkan…</source>
      <translation>syncing…</translation>
    </message>
    <message>
      <source>%1 entri (%2) menunggu</source>
      <translation>%1 entries (%2) waiting</translation>
    </message>
    <message>
      <source>tidak ada yang menunggu</source>
      <translation>nothing waiting</translation>
    </message>
    <message>
      <source>kontak terakhir %1</source>
      <translation>last contact %1</translation>
    </message>
    <message>
      <source>Belum masuk ke server: Sinkronisasi → Masuk ke server…</source>
      <translation>Not signed in to the server: Sync → Sign in to the server…</translation>
    </message>
    <message>
      <source>Masuk sebagai %1</source>
      <translation>Signed in as %1</translation>
    </message>
    <message>
      <source>Sinkronisasi terakhir: %1 dikirim, %2 diterima, %3 sudah ada di server, %4 konflik, %5 ditolak, %6 diunggah; %7 masih menunggu.</source>
      <translation>Last sync: %1 sent, %2 accepted, %3 already on the server, %4 conflicts, %5 refused, %6 uploaded; %7 still waiting.</translation>
    </message>
    <message>
      <source>Terhenti: %1</source>
      <translation>Stopped: %1</translation>
    </message>
    <message>
      <source>Kontak terakhir dengan server: %1</source>
      <translation>Last contact with the server: %1</translation>
    </message>
  </context>
  <context>
    <name>ConflictDialog</name>
    <message>
      <source>Perbedaan dengan versi server</source>
      <translation>Differences from the server's version</translation>
    </message>
    <message>
      <source>Isian yang berbeda antara versi Anda dan versi server (revisi %1):</source>
      <translation>Fields that differ between your version and the server's (revision %1):</translation>
    </message>
    <message>
      <source>Isian</source>
      <translation>Field</translation>
    </message>
    <message>
      <source>Versi saya</source>
      <translation>My version</translation>
    </message>
    <message>
      <source>Versi server</source>
      <translation>Server's version</translation>
    </message>
    <message>
      <source>(kosong)</source>
      <translation>(empty)</translation>
    </message>
    <message>
      <source>Dokumen juga berbeda antara versi Anda dan versi server.</source>
      <translation>The documents differ too between your version and the server's.</translation>
    </message>
    <message>
      <source>Buat perubahan dengan &amp;versi saya</source>
      <translation>Make a change with &amp;my version</translation>
    </message>
    <message>
      <source>Pakai versi &amp;saya</source>
      <translation>Keep &amp;my version</translation>
    </message>
    <message>
      <source>Pakai versi s&amp;erver</source>
      <translation>Use the &amp;server's version</translation>
    </message>
    <message>
      <source>Pilihan ini tidak dapat disimpan.</source>
      <translation>This choice could not be saved.</translation>
    </message>
  </context>
  <context>
    <name>ConflictPanel</name>
    <message>
      <source>&amp;Lihat perbedaan…</source>
      <translation>S&amp;how differences…</translation>
    </message>
    <message>
      <source>Konflik: entri ini sudah disetujui di server (revisi %1), jadi versi Anda tidak bisa menimpanya.</source>
      <translation>Conflict: this entry was approved on the server (revision %1), so your version cannot replace it.</translation>
    </message>
    <message>
      <source>Konflik: entri ini juga diubah di komputer lain; server sudah memegang revisi %1 dengan isi lain.</source>
      <translation>Conflict: this entry was also changed on another computer; the server already holds revision %1 with other content.</translation>
    </message>
    <message>
      <source>Konflik: server memegang revisi %1, bukan revisi yang menjadi dasar suntingan ini (misalnya data dipulihkan dari cadangan lama).</source>
      <translation>Conflict: the server holds revision %1, not the revision this edit was based on (for example, data restored from an old backup).</translation>
    </message>
    <message>
      <source>Konflik dengan server (revisi server %1).</source>
      <translation>Conflict with the server (server revision %1).</translation>
    </message>
    <message>
      <source>Entri ini tidak dikirim sampai Anda memilih versi.</source>
      <translation>This entry is not sent until you choose a version.</translation>
    </message>
  </context>
</TS>
