import type { stringsEnPrivacy } from './strings-en-privacy';

/** Indonesian strings of the small-count privacy threshold. */
export const stringsIdPrivacy: Record<keyof typeof stringsEnPrivacy, string> = {
  'privacy.title': 'Privasi jumlah kecil',
  'privacy.intro': 'Minggu, bulan, atau tahun ketika hanya satu atau dua rekan yang mengirim email atau bertemu pelanggan akan menunjukkan apa yang dilakukan rekan tersebut. Dengan ambang privasi, baris seperti itu diterbitkan tanpa angka: penjual, ekspor, segmen, dan ukuran hanya melihat bahwa rekan yang terlibat lebih sedikit dari ambang.',
  'privacy.label': 'Ambang privasi',
  'privacy.off': 'Nonaktif (terbitkan semua angka)',
  'privacy.option': '{k, plural, other {Minimal # rekan}}',
  'privacy.hint': 'Nonaktif secara default. Dari 2 hingga 10 rekan: angka pada baris yang email dan rapatnya melibatkan lebih sedikit rekan terpilih disembunyikan, begitu pula baris lain yang dapat mengungkapkannya lewat pengurangan. Berlaku mulai proses berikutnya.',
  'privacy.save': 'Simpan ambang privasi',
  'privacy.saved': 'Tersimpan. Proses berikutnya akan diterbitkan dengan ambang ini.',
  'privacy.withheld': '{k, plural, other {Kurang dari # rekan terlibat}}',
  'privacy.withheldUnknown': 'Rekan yang terlibat lebih sedikit dari ambang privasi',
  'privacy.withheldCell': 'Disembunyikan',
  'privacy.cardNote': 'Angka akun ini disembunyikan demi privasi: email dan rapatnya selama setahun terakhir melibatkan lebih sedikit rekan dari ambang, sehingga skor dan angka tidak ditampilkan.',
  'privacy.historyNote': 'Minggu dan bulan dengan rekan terlibat lebih sedikit dari ambang tidak ditampilkan di grafik.',
  'privacy.measureWithheld': 'Disembunyikan: rekan di balik angka ini lebih sedikit dari ambang privasi.',
  'privacy.measureRowsLeftOut': '{count, plural, other {# baris yang disembunyikan demi privasi tidak dihitung.}}',
  'privacy.listWithheld': 'Disembunyikan',
};
