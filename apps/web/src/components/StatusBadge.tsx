import { useI18n } from '../i18n/I18n.tsx';

const SYMBOL = { IN_PROGRESS: '◐', ON_HOLD: '❚❚', COMPLETE_ONGOING: '✓' } as const;

/** The dashboard's status indicator: a symbol and a word, never colour alone. */
export function StatusBadge({ status }: { status: keyof typeof SYMBOL | null | undefined }) {
  const { t } = useI18n();
  if (!status) return <span className="badge badge-none">{t('initiative.noStatus')}</span>;
  return (
    <span className={`badge badge-${status.toLowerCase()}`}>
      <span aria-hidden="true">{SYMBOL[status]} </span>
      {t(`status.${status}`)}
    </span>
  );
}
