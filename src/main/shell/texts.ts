// The few strings the main process shows itself (tray menu, tooltip, one-time hints, the core
// host's last crash), in the app's two languages. The renderer has its own i18n; these cannot reach it.
import type { UiLanguage } from '../core/attention/attention';

const en = {
  open: 'Open Switchboard',
  availability: 'Availability',
  online: 'Online',
  away: 'Away',
  offline: 'Offline',
  doNotDisturb: 'Do not disturb',
  quit: 'Quit Switchboard',
  replyPlaceholder: 'Reply…',
  tooltipNone: 'Switchboard: no unread messages',
  tooltipUnread: (n: number) => `Switchboard: ${n} unread ${n === 1 ? 'message' : 'messages'}`,
  tooltipDisconnected: 'not connected',
  tooltipSignIn: 'sign in again',
  trayHintTitle: 'Switchboard is still running',
  trayHintBody: 'It keeps watching for visitors in the tray. Quit from the tray menu, or turn this off in Settings.',
  overlayUnread: (n: number) => `${n} unread`,
  linkQuestion: 'Open this address in your browser?',
  linkDetail: (url: string) => `${url}\n\nA visitor sent this link. Open it only if you trust where it goes.`,
  linkOpen: 'Open in browser',
  linkCancel: 'Cancel',
  coreStoppedTitle: 'Switchboard stopped working',
  coreStoppedBody: (why: string) => `The part of Switchboard that keeps your conversations stopped several times in a row (${why}) and is not restarted again. Your messages are saved. Start Switchboard again; if this keeps happening, the log has the details.`,
};

export type ShellTexts = typeof en;

const id: ShellTexts = {
  open: 'Buka Switchboard',
  availability: 'Ketersediaan',
  online: 'Daring',
  away: 'Sedang pergi',
  offline: 'Luring',
  doNotDisturb: 'Jangan ganggu',
  quit: 'Keluar dari Switchboard',
  replyPlaceholder: 'Balas…',
  tooltipNone: 'Switchboard: tidak ada pesan belum dibaca',
  tooltipUnread: (n: number) => `Switchboard: ${n} pesan belum dibaca`,
  tooltipDisconnected: 'tidak terhubung',
  tooltipSignIn: 'masuk lagi',
  trayHintTitle: 'Switchboard masih berjalan',
  trayHintBody: 'Switchboard tetap memantau pengunjung dari baki sistem. Keluar lewat menu baki, atau matikan ini di Pengaturan.',
  overlayUnread: (n: number) => `${n} belum dibaca`,
  linkQuestion: 'Buka alamat ini di peramban Anda?',
  linkDetail: (url: string) => `${url}\n\nTautan ini dikirim oleh pengunjung. Buka hanya jika Anda memercayai tujuannya.`,
  linkOpen: 'Buka di peramban',
  linkCancel: 'Batal',
  coreStoppedTitle: 'Switchboard berhenti bekerja',
  coreStoppedBody: (why: string) => `Bagian Switchboard yang menyimpan percakapan Anda berhenti beberapa kali berturut-turut (${why}) dan tidak dijalankan ulang lagi. Pesan Anda sudah tersimpan. Jalankan Switchboard lagi; jika ini terus terjadi, rinciannya ada di log.`,
};

export function shellTexts(language: UiLanguage): ShellTexts {
  return language === 'id' ? id : en;
}
