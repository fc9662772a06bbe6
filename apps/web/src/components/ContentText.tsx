import type { ElementType, ReactNode } from 'react';
import { useI18n } from '../i18n/I18n.tsx';

interface Props {
  as?: ElementType;
  language: string;
  children: ReactNode;
  className?: string;
}

/**
 * Content written by residents or staff keeps its own language: marked with `lang` for screen
 * readers and, when it differs from the interface language, labelled.
 */
export function ContentText({ as: Tag = 'p', language, children, className }: Props) {
  const { locale, language: languageName } = useI18n();
  const differs = language.split('-')[0] !== locale;
  return (
    <Tag lang={language} className={className}>
      {children}
      {differs ? (
        <span className="content-lang" lang={locale}>
          {' '}
          ({languageName(language)})
        </span>
      ) : null}
    </Tag>
  );
}
