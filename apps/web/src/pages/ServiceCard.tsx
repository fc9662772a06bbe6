import type { ReactNode } from 'react';
import { ThemeTags } from '../components/ThemeTags.tsx';
import { type FragmentOf, graphql, readFragment } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';

export const ServiceCardFragment = graphql(`
  fragment ServiceCard_Service on Service {
    id
    name
    status
    description
    eligibility
    languages
    themes
    url
    organization {
      id
      name
      kind
    }
  }
`);

/** A resource with the organization that provides it. Directory text is in English. */
export function ServiceCard({
  service: data,
  headingLevel = 3,
  children,
}: {
  service: FragmentOf<typeof ServiceCardFragment>;
  headingLevel?: 3 | 4;
  children?: ReactNode;
}) {
  const { t, language } = useI18n();
  const service = readFragment(ServiceCardFragment, data);
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <li className="card service-card">
      <Heading lang="en">{service.url ? <a href={service.url}>{service.name}</a> : service.name}</Heading>
      <p>
        <span className={`badge sstatus-${service.status.toLowerCase()}`}>{t(`sstatus.${service.status}`)}</span>{' '}
        <span className="muted">{t('resources.by', { name: service.organization.name })}</span>
      </p>
      {service.description ? <p lang="en">{service.description}</p> : null}
      {service.eligibility ? <p lang="en">{t('resources.eligibility', { text: service.eligibility })}</p> : null}
      {service.languages.length ? (
        <p>{t('resources.languages', { list: service.languages.map((l) => language(l)).join(', ') })}</p>
      ) : null}
      <ThemeTags themes={service.themes} />
      {children}
    </li>
  );
}
