import type { ReactNode } from 'react';
import { QueryState } from '../components/QueryState.tsx';
import { ThemeTags } from '../components/ThemeTags.tsx';
import { useDeferredQuery } from '../components/useDeferredQuery.ts';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { graphql, readFragment } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { href } from '../router.ts';
import {
  addressText,
  contentFields,
  DirectoryText,
  ServiceCardFragment,
  ServiceContactFragment,
  ServiceContactList,
} from './ServiceCard.tsx';

const ServicePageQuery = graphql(
  `
  query ServicePage_Service($id: ID!, $contentLanguage: String!) {
    service(id: $id) {
      id
      ...ServiceCard_Service
      ...ServiceCard_Contact
      minimumAge
      maximumAge
      interpretationServices
      updatedAt
      program {
        id
        name
      }
      serviceArea {
        citywide
        wards
        neighborhoodNames
        description
        coverage
        unresolvedText
      }
      organization {
        id
        name
        email
        contactName
        content(language: $contentLanguage) {
          field
          text
          language
          machineTranslated
        }
      }
      locations {
        id
        name
        transportation
      }
      schedules {
        id
        notes
      }
    }
  }
`,
  [ServiceCardFragment, ServiceContactFragment],
);

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** One service with everything a resident needs to get help: `#/resources/<id>`. */
export function ServicePage({ id }: { id: string }) {
  const { t, locale, language, number, date } = useI18n();
  const [{ data, fetching, error }] = useDeferredQuery({
    query: ServicePageQuery,
    variables: { id, contentLanguage: locale },
  });
  const service = data?.service;
  const card = service ? readFragment(ServiceCardFragment, service) : undefined;
  const contact = service ? readFragment(ServiceContactFragment, service) : undefined;
  const fields = contentFields(contact?.content);
  const orgFields = contentFields(service?.organization.content);
  const name = fields.get('name');
  useDocumentTitle(name?.text ?? card?.name ?? (data ? t('directory.notFound') : null));
  const ages =
    service?.minimumAge != null && service.maximumAge != null
      ? t('directory.agesRange', { min: number(service.minimumAge), max: number(service.maximumAge) })
      : service?.minimumAge != null
        ? t('directory.agesFrom', { min: number(service.minimumAge) })
        : service?.maximumAge != null
          ? t('directory.agesTo', { max: number(service.maximumAge) })
          : null;
  const area = service?.serviceArea;
  const areaParts = area
    ? [
        ...(area.citywide ? [t('directory.citywide')] : []),
        ...area.wards.map((ward) => t('directory.ward', { number: ward })),
        ...area.neighborhoodNames,
      ]
    : [];
  const places = contact?.locations.map((location) => ({
    id: location.id,
    address: addressText(location),
    more: service?.locations.find((l) => l.id === location.id),
  }));
  const notes = service?.schedules.map((s) => s.notes).filter((n): n is string => !!n) ?? [];
  const description = fields.get('description');
  const eligibility = fields.get('eligibility');
  const alternateName = fields.get('alternateName');
  const orgDescription = orgFields.get('description');
  const orgName = orgFields.get('name');
  return (
    <article aria-labelledby="service-heading" className="service-page" style={{ overflowWrap: 'anywhere' }}>
      <p>
        <a href={href('resources')}>{t('directory.back')}</a>
      </p>
      <QueryState fetching={fetching} error={error} hasData={!!data}>
        {data && !service ? <h2 id="service-heading">{t('directory.notFound')}</h2> : null}
        {service && card && contact ? (
          <>
            <h2 id="service-heading">{name ? <DirectoryText item={name} /> : <span lang="en">{card.name}</span>}</h2>
            {name?.machineTranslated && name.original ? (
              <p className="muted">
                {t('directory.original', { language: language('en'), text: '' })}
                <span lang="en">{name.original}</span>
              </p>
            ) : null}
            {alternateName ? <DirectoryText as="p" item={alternateName} /> : null}
            <p>
              <span className={`badge sstatus-${card.status.toLowerCase()}`}>{t(`sstatus.${card.status}`)}</span>
            </p>
            {card.status !== 'ACTIVE' ? (
              <p className="notice" role="note">
                {t('directory.notOffered', { status: t(`sstatus.${card.status}`) })}
              </p>
            ) : null}
            {description ? <DirectoryText as="p" item={description} /> : null}
            <h3>{t('directory.contact')}</h3>
            <ServiceContactList contact={service} url={card.url} fields={fields} />
            <dl className="service-details">
              {notes.length ? (
                <Row label={t('directory.hoursNotes')}>
                  <span lang="en">{notes.join(' ')}</span>
                </Row>
              ) : null}
              {places
                ?.filter((place) => place.more?.transportation)
                .map((place) => (
                  <Row key={place.id} label={t('directory.transport')}>
                    {place.more?.name ? `${place.more.name}: ` : ''}
                    {place.more?.transportation}
                  </Row>
                ))}
              {eligibility ? (
                <Row label={t('directory.eligibility')}>
                  <DirectoryText item={eligibility} />
                </Row>
              ) : null}
              {ages ? <Row label={t('directory.ages')}>{ages}</Row> : null}
              {card.languages.length ? (
                <Row label={t('directory.languages')}>{card.languages.map((tag) => language(tag)).join(', ')}</Row>
              ) : null}
              {service.interpretationServices ? (
                <Row label={t('directory.interpretation')}>
                  <span lang="en">{service.interpretationServices}</span>
                </Row>
              ) : null}
              {areaParts.length || area?.description ? (
                <Row label={t('directory.area')}>
                  {areaParts.join(', ')}
                  {area?.description ? (
                    <span className="line" lang="en">
                      {area.description}
                    </span>
                  ) : null}
                  {area?.coverage === 'UNKNOWN' ? (
                    <span className="line muted">{t('directory.areaUnknown')}</span>
                  ) : area?.unresolvedText.length ? (
                    <span className="line muted">
                      {t('directory.areaUnresolved', { list: '' })}
                      <span lang="en">{area.unresolvedText.join(', ')}</span>
                    </span>
                  ) : null}
                </Row>
              ) : null}
              {service.program ? (
                <Row label={t('directory.program')}>
                  <span lang="en">{service.program.name}</span>
                </Row>
              ) : null}
              <Row label={t('directory.themes')}>
                <ThemeTags themes={card.themes} />
              </Row>
              <Row label={t('directory.provider')}>
                {orgName ? <DirectoryText item={orgName} /> : <span lang="en">{service.organization.name}</span>}
                {orgDescription ? <DirectoryText as="p" item={orgDescription} /> : null}
                {service.organization.contactName ? (
                  <span className="line">{service.organization.contactName}</span>
                ) : null}
                {service.organization.email ? (
                  <span className="line">
                    <a href={`mailto:${service.organization.email}`}>{service.organization.email}</a>
                  </span>
                ) : null}
              </Row>
            </dl>
            <p className="muted">{t('directory.updated', { date: date(service.updatedAt) })}</p>
          </>
        ) : null}
      </QueryState>
    </article>
  );
}
