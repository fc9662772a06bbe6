import { useEffect } from 'react';
import { useI18n } from '../i18n/I18n.tsx';

/** Names the browser tab after the page: "<page> · Civic Graph"; null leaves the title to another component. */
export function useDocumentTitle(page: string | null): void {
  const { t } = useI18n();
  const site = t('app.title');
  useEffect(() => {
    if (page !== null) document.title = `${page} · ${site}`;
  }, [page, site]);
}
