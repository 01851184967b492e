import type { stringsEnScoring } from './strings-en-scoring';

/** Indonesian strings of the engagement score's settings (the half-life). */
export const stringsIdScoring: Record<keyof typeof stringsEnScoring, string> = {
  'halfLife.title': 'Skor keterlibatan',
  'halfLife.intro': 'Skor mengutamakan aktivitas terbaru: setiap email dan rapat makin kecil bobotnya seiring bertambahnya usia. Waktu paruh adalah jumlah hari hingga bobotnya tinggal separuh; setelah dua kali lipat jumlah hari itu, tinggal seperempat.',
  'halfLife.label': 'Waktu paruh',
  'halfLife.unit': 'hari',
  'halfLife.hint': 'Dari {min} sampai {max} hari; bawaan {default}. Lebih pendek mengikuti beberapa minggu terakhir dengan ketat; lebih panjang mengingat lebih banyak bagian tahun. Perubahan membuat proses berikutnya membaca ulang semua kotak surat.',
  'halfLife.error.required': 'Masukkan jumlah hari.',
  'halfLife.error.whole': 'Masukkan jumlah hari berupa bilangan bulat, misalnya 30.',
  'halfLife.error.range': 'Pilih antara {min} dan {max} hari.',
  'halfLife.save': 'Simpan waktu paruh',
  'halfLife.saved': 'Tersimpan. Proses berikutnya membaca ulang semua kotak surat dan menghitung skor dengan waktu paruh yang baru.',
  'halfLife.current': '{days, plural, other {Waktu paruh: # hari}}',
  'halfLife.readOnly': 'Hanya administrator keterlibatan yang dapat mengubah waktu paruh.',
};
