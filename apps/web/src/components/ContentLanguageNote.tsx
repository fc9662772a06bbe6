import { useI18n } from '../i18n/I18n.tsx';

/** Says which language a page's published content is in when it differs from the interface language. */
export function ContentLanguageNote({ language }: { language: string }) {
  const { t, locale, language: languageName } = useI18n();
  if (language.split('-')[0] === locale) return null;
  return <p className="muted">{t('content.language', { language: languageName(language) })}</p>;
}
