// Creating an Intl formatter is costly (the first one loads ICU's data: tens of milliseconds on a
// phone, in the task that renders the page), so each is made when first needed and then kept.
const formatters = new Map<string, unknown>();
export function cachedFormatter<T>(kind: string, locale: string, options: object | undefined, make: () => T): T {
  const key = `${kind}|${locale}|${options ? JSON.stringify(options) : ''}`;
  let formatter = formatters.get(key) as T | undefined;
  if (formatter === undefined) {
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter;
}
export const dateFormat = (locale: string, options: Intl.DateTimeFormatOptions) =>
  cachedFormatter('date', locale, options, () => new Intl.DateTimeFormat(locale, options));
export const numberFormat = (locale: string, options?: Intl.NumberFormatOptions) =>
  cachedFormatter('number', locale, options, () => new Intl.NumberFormat(locale, options));
