import type { ReactNode } from 'react';
import { useSession } from '../auth.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { href } from '../router.ts';
import { useDocumentTitle } from './useDocumentTitle.ts';

export function RequireStaff({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const session = useSession();
  useDocumentTitle(session ? null : t('signin.heading'));
  if (!session) {
    return (
      <p role="alert">
        <a href={href('sign-in')}>{t('staff.required')}</a>
      </p>
    );
  }
  return <>{children}</>;
}
