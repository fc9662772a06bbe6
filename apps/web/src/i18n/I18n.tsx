import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { type Locale, MESSAGES, type MessageKey, THEME_LABELS } from './messages.ts';

export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  theme(code: string): string;
  date(iso: string): string;
  number(value: number, options?: Intl.NumberFormatOptions): string;
  /** The name of a content language (BCP-47) in the interface language. */
  language(tag: string): string;
}

const STORAGE_KEY = 'civic.locale';
const Context = createContext<I18n | null>(null);

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'es') return saved;
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
    localStorage.setItem(STORAGE_KEY, locale);
  }, [locale]);
  const value = useMemo<I18n>(() => {
    const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    const languages = new Intl.DisplayNames([locale], { type: 'language' });
    return {
      locale,
      setLocale,
      t(key, values) {
        const template: string = MESSAGES[locale][key];
        return values ? template.replace(/\{(\w+)\}/g, (m, name: string) => String(values[name] ?? m)) : template;
      },
      theme: (code) => (THEME_LABELS[locale] as Record<string, string>)[code] ?? code,
      date: (iso) => dates.format(new Date(iso)),
      number: (value, options) => new Intl.NumberFormat(locale, options).format(value),
      language: (tag) => languages.of(tag) ?? tag,
    };
  }, [locale]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
