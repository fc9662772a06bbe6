import { useI18n } from '../i18n/I18n.tsx';

export interface PlanTextItem {
  field: string;
  text: string;
  language: string;
  machineTranslated: boolean;
  original: string;
}

/** The version of one field of plan content (`content(language:)`), if there is one. */
export function planField(content: readonly PlanTextItem[] | undefined, field: string): PlanTextItem | undefined {
  return content?.find((c) => c.field === field);
}

/**
 * Plan content in the reader's language when the city or the machine has a version in it; a machine
 * translation is labelled and carries the original (as the label's title); otherwise the original,
 * marked with its own language.
 */
export function PlanText({
  as: Tag = 'p',
  item,
  fallback,
}: {
  as?: 'p' | 'span';
  item?: PlanTextItem;
  fallback: string;
}) {
  const { t, locale } = useI18n();
  if (!item) return <Tag lang="en">{fallback}</Tag>;
  return (
    <Tag lang={item.language}>
      {item.text}
      {item.machineTranslated ? (
        <span className="content-lang" lang={locale} title={item.original}>
          {' '}
          ({t('concern.machineTranslation')})
        </span>
      ) : null}
    </Tag>
  );
}
