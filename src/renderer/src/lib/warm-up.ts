// What the inbox's first rows would otherwise do for the first time inside their own render,
// done while their page is on its way (bench: ui, first mount in a fresh window).
import type { i18n as I18n } from 'i18next';
import { displayName } from '../../../shared/display-text';
import { warmFormatters } from './format';

export function warmFirstRows(i18n: I18n, now = Date.now()): void {
  warmFormatters(i18n.language, now);
  // The name check's Unicode-property expressions compile, and NFC/NFKC normalisation loads its
  // data, on first use: the largest part of the list's first render after React itself.
  displayName('Aa', { anonymous: '', visitorTag: '' });
  // Plural rules (Intl.PluralRules) are made on the first plural text of a language: each row
  // with unread messages has one.
  i18n.t('list.unread', { count: 2 });
}
