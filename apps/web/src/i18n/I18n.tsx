import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { cachedFormatter, dateFormat, numberFormat } from './formatters.ts';
import { type Locale, MESSAGES, type MessageKey, type PluralBase, THEME_LABELS } from './messages.ts';

export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  /** The message `<base>.one` or `<base>.other` the language's plural rules choose for `count` ({count} formatted). */
  plural(base: PluralBase, count: number, values?: Record<string, string | number>): string;
  theme(code: string): string;
  date(iso: string): string;
  /** A measure period ('YYYY', 'YYYY-MM' or 'YYYY-MM-DD/YYYY-MM-DD') in the interface language. */
  period(period: string): string;
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

const utc = { timeZone: 'UTC' } as const;

export function formatPeriod(locale: Locale, period: string): string {
  if (/^\d{4}$/.test(period)) return period;
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) {
    const format = dateFormat(locale, { ...utc, year: 'numeric', month: 'short' });
    return format.format(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1));
  }
  const range = /^(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/.exec(period);
  const format = dateFormat(locale, { ...utc, dateStyle: 'medium' });
  if (range) return format.formatRange(new Date(range[1] as string), new Date(range[2] as string));
  if (/^\d{4}-\d{2}-\d{2}$/.test(period)) return format.format(new Date(period));
  return period;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
    localStorage.setItem(STORAGE_KEY, locale);
  }, [locale]);
  const value = useMemo<I18n>(() => {
    const plurals = cachedFormatter('plural', locale, undefined, () => new Intl.PluralRules(locale));
    const t: I18n['t'] = (key, values) => {
      const template: string = MESSAGES[locale][key];
      return values ? template.replace(/\{(\w+)\}/g, (m, name: string) => String(values[name] ?? m)) : template;
    };
    return {
      locale,
      setLocale,
      t,
      plural(base, count, values) {
        const key = plurals.select(count) === 'one' ? (`${base}.one` as const) : (`${base}.other` as const);
        return t(key, { ...values, count: numberFormat(locale).format(count) });
      },
      period: (period) => formatPeriod(locale, period),
      theme: (code) => (THEME_LABELS[locale] as Record<string, string>)[code] ?? code,
      date: (iso) => dateFormat(locale, { dateStyle: 'medium' }).format(new Date(iso)),
      number: (value, options) => numberFormat(locale, options).format(value),
      language: (tag) =>
        cachedFormatter('language', locale, undefined, () => new Intl.DisplayNames([locale], { type: 'language' })).of(
          tag,
        ) ?? tag,
    };
  }, [locale]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
