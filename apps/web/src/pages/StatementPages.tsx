import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { useI18n } from '../i18n/I18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';

export const CITY_PHONE = '919-560-1200';
export const CITY_PHONE_HREF = 'tel:+19195601200';

function Statement({ heading, paragraphs }: { heading: MessageKey; paragraphs: MessageKey[] }) {
  const { t } = useI18n();
  useDocumentTitle(t(heading));
  return (
    <section aria-labelledby="statement-heading" className="statement">
      <h2 id="statement-heading">{t(heading)}</h2>
      {paragraphs.map((key) => (
        <p key={key}>{t(key, { phone: CITY_PHONE })}</p>
      ))}
    </section>
  );
}

export function PrivacyPage() {
  return (
    <Statement heading="privacy.heading" paragraphs={['privacy.collect', 'privacy.concerns', 'privacy.contact']} />
  );
}

export function AccessibilityPage() {
  return (
    <Statement
      heading="accessibility.heading"
      paragraphs={['accessibility.goal', 'accessibility.how', 'accessibility.contact']}
    />
  );
}

export function NotFoundPage() {
  const { t } = useI18n();
  useDocumentTitle(t('title.notFound'));
  return <p role="alert">{t('state.notFound')}</p>;
}
