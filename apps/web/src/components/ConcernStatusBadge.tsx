import { useI18n } from '../i18n/I18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';

export function ConcernStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return <span className={`badge cstatus-${status.toLowerCase()}`}>{t(`cstatus.${status}` as MessageKey)}</span>;
}
