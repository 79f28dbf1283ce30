import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import id from './locales/id.json';

export const supportedLanguages = ['en', 'id'] as const;

/** The OS (browser) language when it is one we speak, English otherwise. */
export function systemLanguage(): (typeof supportedLanguages)[number] {
  const preferred = navigator.languages?.[0] ?? navigator.language ?? 'en';
  return preferred.toLowerCase().startsWith('id') ? 'id' : 'en';
}

void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, id: { translation: id } },
  lng: systemLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false }, // React escapes; strings are rendered as text.
});

export default i18next;
