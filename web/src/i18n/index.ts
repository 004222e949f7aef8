import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { Locale } from '../api/types';
import { setLanguageSource } from '../api/client';
import { readStored, STORAGE_KEYS, writeStored } from '../app/storage';
import { zhCN } from './zh-CN';
import { en } from './en';

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export const isLocale = (v: unknown): v is Locale => v === 'zh-CN' || v === 'en';

export function storedLocale(): Locale {
  const v = readStored(STORAGE_KEYS.locale);
  return isLocale(v) ? v : DEFAULT_LOCALE;
}

export function currentLocale(): Locale {
  return isLocale(i18n.language) ? i18n.language : DEFAULT_LOCALE;
}

function applyLocaleSideEffects(lng: string): void {
  const locale = isLocale(lng) ? lng : DEFAULT_LOCALE;
  dayjs.locale(locale === 'en' ? 'en' : 'zh-cn');
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
  writeStored(STORAGE_KEYS.locale, locale);
}

export function initI18n(): typeof i18n {
  if (i18n.isInitialized) return i18n;
  i18n.on('languageChanged', applyLocaleSideEffects);
  void i18n.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng: storedLocale(),
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: [...LOCALES],
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  applyLocaleSideEffects(i18n.language);
  setLanguageSource(currentLocale);
  return i18n;
}

export { i18n };
