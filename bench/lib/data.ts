// Generated chat data that looks like a small shop's live chat: visitors with names and emails,
// Indonesian, English and mixed conversations, word lengths from "ok" to "pengirimannya",
// order numbers, prices, links, the odd emoji and accented word. Seeded, so every run indexes
// the same text and search figures compare across runs.

/** mulberry32: small, fast, good enough to make text. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }

  /** Skewed towards the start of the list (frequent words first), like word frequencies. */
  zipf<T>(list: readonly T[], skew = 2.2): T {
    return list[Math.floor(list.length * Math.pow(this.next(), skew))]!;
  }

  /** Log-normal around `median`. */
  logNormal(median: number, sigma: number): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }
}

export const FIRST_NAMES = [
  'Budi', 'Siti', 'Agus', 'Dewi', 'Rina', 'Andi', 'Putri', 'Wahyu', 'Indah', 'Rizky', 'Ayu', 'Fajar', 'Nur', 'Dimas', 'Sri',
  'Hendra', 'Yulia', 'Bayu', 'Fitri', 'Eko', 'Lestari', 'Arif', 'Maya', 'Joko', 'Ratna', 'Teguh', 'Anisa', 'Kurniawan',
  'Ketut', 'Made', 'Wayan', 'Nyoman', 'Gede', 'Intan', 'Yohanes', 'Maria', 'Michael', 'Sarah', 'David', 'Emma', 'James',
  'Olivia', 'Lukas', 'Sophie', 'Mateo', 'Chloé', 'Zoë', 'René', 'Hiroshi', 'Mei', 'Wei', 'Priya', 'Arjun', 'Fatimah',
  'Muhammad', 'Aisyah', 'Kevin', 'Jessica', 'Daniel', 'Laura', 'Tomás', 'Ana', 'Nguyen', 'Linh', 'Jonas', 'Elif',
];
export const LAST_NAMES = [
  'Santoso', 'Wijaya', 'Saputra', 'Pratama', 'Hidayat', 'Kusuma', 'Nugroho', 'Setiawan', 'Lestari', 'Siregar', 'Nasution',
  'Harahap', 'Simanjuntak', 'Putra', 'Utami', 'Rahmawati', 'Halim', 'Tanoto', 'Gunawan', 'Sihombing', 'Wibowo', 'Susanto',
  'Hartono', 'Purnomo', 'Smith', 'Johnson', 'Müller', 'García', 'Rossi', 'Dubois', 'Tanaka', 'Kim', 'Chen', 'Patel',
  'Andersen', 'Novak', 'Silva', 'Yilmaz', 'Tran', 'Lim',
];
const DOMAINS = ['gmail.com', 'gmail.com', 'gmail.com', 'yahoo.co.id', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'proton.me', 'ymail.com', 'ui.ac.id', 'ugm.ac.id', 'tokoku.co.id', 'example.org'];

// Frequent words first within each list; Rng.zipf makes the head common and the tail rare.
export const ID_WORDS = (
  'saya yang ini mau tidak ada sudah bisa kak untuk dan apa di ke dengan itu belum kapan terima kasih barang pesanan ' +
  'harga ongkir pengiriman kirim sampai berapa tolong min gan sis bang mas mbak pak bu baik oke siap ya dong deh kok sih ' +
  'juga lagi masih akan boleh bagaimana gimana kenapa kemarin besok hari minggu bulan alamat nomor resi paket kurir jne ' +
  'sicepat jnt gojek grab transfer bayar pembayaran rekening bca mandiri bni bri dana ovo gopay shopeepay lunas struk ' +
  'bukti faktur refund retur tukar ukuran warna stok ready habis kosong diskon promo voucher kode gratis murah mahal ' +
  'kualitas asli ori rusak cacat pecah salah kurang lengkap garansi servis toko cabang jakarta bandung surabaya medan ' +
  'yogyakarta semarang denpasar makassar palembang malang bekasi tangerang depok bogor selamat pagi siang sore malam ' +
  'maaf mengganggu permisi mohon info informasi tanya bertanya menanyakan konfirmasi dikonfirmasi pengirimannya ' +
  'pembayarannya pesanannya barangnya sudahkah diproses diterima dikirim ditunggu secepatnya segera lambat cepat lama ' +
  'sekali banget sangat agak cukup semua beberapa satu dua tiga lima sepuluh ribu juta rupiah potongan cicilan kredit'
).split(' ');
export const EN_WORDS = (
  'the to i you a and is it my for of in have this can order not on be with do what your please when thanks thank ' +
  'hi hello yes no ok okay just help need get how are there was will would could any about still time delivery shipping ' +
  'package tracking number address refund return exchange size colour color stock available price discount code coupon ' +
  'payment card paid invoice receipt account password login email phone broken damaged wrong missing late today ' +
  'tomorrow yesterday week morning afternoon evening sorry problem issue question information confirm confirmed ' +
  'arrived received shipped processing cancelled cancel update status store warranty repair replacement quality ' +
  'original fake cheap expensive free weekend holiday customer support agent someone anyone again already soon ' +
  'unfortunately apparently definitely immediately approximately international notification subscription ' +
  'unsubscribe newsletter checkout basket wishlist appreciate understand misunderstanding'
).split(' ');
export const PRODUCTS = [
  'kemeja', 'kaos', 'celana', 'jaket', 'hoodie', 'sepatu', 'sandal', 'tas', 'dompet', 'jam', 'kacamata', 'headset', 'earbuds',
  'charger', 'powerbank', 'laptop', 'keyboard', 'mouse', 'monitor', 'kamera', 'tripod', 'blender', 'rice cooker', 'kopi',
  'teh', 'madu', 'sambal', 'batik', 'kebaya', 'mukena', 'hijab', 'skincare', 'serum', 'sunscreen', 'parfum', 'lipstik',
  'shirt', 'sneakers', 'backpack', 'watch', 'phone case', 'cable', 'speaker', 'mug', 'notebook',
];
const EMOJI = ['🙏', '😊', '👍', '😅', '🙂', '❤️', '😭', '🤔', '🎉', '✅'];
const ACCENTED = ['café', 'résumé', 'naïve', 'crème', 'über', 'São Paulo', 'jalapeño', 'piñata', 'Zürich', 'déjà vu'];

export interface Visitor {
  name: string;
  email: string | null;
}

export function visitor(rng: Rng): Visitor {
  const first = rng.zipf(FIRST_NAMES, 1.4);
  const last = rng.chance(0.7) ? rng.zipf(LAST_NAMES, 1.4) : null;
  const name = last ? `${first} ${last}` : first;
  const local = `${first}${last && rng.chance(0.6) ? `.${last}` : ''}${rng.chance(0.5) ? rng.int(2000) : ''}`
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9.]/g, '');
  return { name, email: rng.chance(0.8) ? `${local}@${rng.pick(DOMAINS)}` : null };
}

export type Language = 'id' | 'en' | 'mixed';

export const language = (rng: Rng): Language => (rng.chance(0.55) ? 'id' : rng.chance(0.75) ? 'en' : 'mixed');

/** A rare token: order numbers, SKUs, typos. They give the index a realistic long tail. */
function rareToken(rng: Rng): string {
  switch (rng.int(6)) {
    case 0:
      return `INV/${2022 + rng.int(4)}/${String(rng.int(1_000_000)).padStart(6, '0')}`;
    case 1:
      return `SKU-${rng.int(100_000)}`;
    case 2:
      return `#${rng.int(10_000_000)}`;
    case 3:
      return `Rp${(rng.int(2000) + 1) * 5}.000`;
    case 4: {
      // A typo: two letters swapped.
      const word = rng.pick(rng.chance(0.5) ? ID_WORDS : EN_WORDS);
      if (word.length < 4) return word;
      const i = 1 + rng.int(word.length - 2);
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    }
    default:
      return `https://tokoku.co.id/p/${rng.int(100_000)}`;
  }
}

/** One chat message: mostly short, sometimes a paragraph. */
export function messageText(rng: Rng, lang: Language): string {
  const length = Math.max(1, Math.min(120, Math.round(rng.logNormal(9, 0.75))));
  const words: string[] = [];
  for (let i = 0; i < length; i++) {
    const roll = rng.next();
    if (roll < 0.015) words.push(rareToken(rng));
    else if (roll < 0.04) words.push(rng.pick(PRODUCTS));
    else if (roll < 0.042) words.push(rng.pick(ACCENTED));
    else if (lang === 'id' || (lang === 'mixed' && rng.chance(0.6))) words.push(rng.zipf(ID_WORDS));
    else words.push(rng.zipf(EN_WORDS));
  }
  let text = words.join(' ');
  text = text.charAt(0).toUpperCase() + text.slice(1);
  if (rng.chance(0.5)) text += rng.pick(['?', '.', '!', '..', ' ?', '']);
  if (rng.chance(0.08)) text += ` ${rng.pick(EMOJI)}`;
  return text;
}

/** Words a user would search for, with how they are typed (each prefix is a query in the app). */
export function searchQueries(rng: Rng, count: number): string[] {
  const queries: string[] = [];
  while (queries.length < count) {
    const roll = rng.next();
    let q: string;
    if (roll < 0.3) q = rng.zipf(ID_WORDS, 1.5);
    else if (roll < 0.5) q = rng.zipf(EN_WORDS, 1.5);
    else if (roll < 0.6) q = rng.pick(PRODUCTS);
    else if (roll < 0.7) q = `${rng.zipf(ID_WORDS, 1.5)} ${rng.zipf(ID_WORDS, 1.5)}`;
    else if (roll < 0.8) q = rng.pick(FIRST_NAMES);
    else if (roll < 0.85) q = rareToken(rng);
    else if (roll < 0.9) q = 'terima kasih';
    else q = rng.pick(['pengiriman', 'refund', 'pesanan', 'tracking number', 'ongkir jakarta', 'password', 'garansi']);
    // As typed: the app searches while the user types, so the prefixes are queries too.
    if (rng.chance(0.5) && q.length > 3) {
      for (let i = 1; i < q.length && queries.length < count; i += 1 + rng.int(2)) queries.push(q.slice(0, i));
    }
    queries.push(q);
  }
  return queries.slice(0, count);
}
