import { useI18n } from '../i18n/I18n.tsx';
import { LOCALES } from '../i18n/messages.ts';

const NAMES = { en: 'English', es: 'Español' } as const;

export function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <fieldset className="lang-switch">
      <legend>{t('lang.label')}</legend>
      {LOCALES.map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={locale === l} onClick={() => setLocale(l)}>
          {NAMES[l]}
        </button>
      ))}
    </fieldset>
  );
}
