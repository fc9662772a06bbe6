import type { ReactNode } from 'react';
import { ThemeTags } from '../components/ThemeTags.tsx';
import { type FragmentOf, graphql, readFragment } from '../graphql.ts';
import { dateFormat } from '../i18n/formatters.ts';
import { type I18n, useI18n } from '../i18n/I18n.tsx';
import { href } from '../router.ts';

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

/**
 * What a resident needs to get in touch: contact, address, hours, and the text fields in the
 * reader's language (`$contentLanguage`), each saying whether it is a machine translation.
 */
export const ServiceContactFragment = graphql(`
  fragment ServiceCard_Contact on Service {
    id
    email
    serviceArea {
      coverage
      description
    }
    content(language: $contentLanguage) {
      field
      text
      language
      machineTranslated
      original
    }
    organization {
      id
      phone
      website
    }
    locations {
      id
      address1
      address2
      city
      stateProvince
      postalCode
    }
    schedules {
      id
      description
      byDay
      opensAt
      closesAt
    }
  }
`);

export type ServiceContact = FragmentOf<typeof ServiceContactFragment>;
export type ContentField = {
  field: string;
  text: string;
  language: string;
  machineTranslated: boolean;
  original?: string;
};

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** "MO,WE" → "Mon, Wed" in the interface language (2023-01-01 was a Sunday). */
function weekdays(byDay: string, locale: string): string {
  const format = dateFormat(locale, { weekday: 'short', timeZone: 'UTC' });
  return byDay
    .split(',')
    .map((code) => WEEKDAYS.indexOf(code.trim().replace(/^[-+\d]+/, '')))
    .filter((day) => day >= 0)
    .map((day) => format.format(Date.UTC(2023, 0, 1 + day)))
    .join(', ');
}

/** "09:00:00" → "9:00 AM" / "9:00" in the interface language. */
function clock(time: string, locale: string): string {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return dateFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(
    Date.UTC(2023, 0, 1, hours, minutes),
  );
}

export function scheduleText(
  schedule: { description: string | null; byDay: string | null; opensAt: string | null; closesAt: string | null },
  i18n: Pick<I18n, 't' | 'locale'>,
): string | null {
  if (schedule.byDay && schedule.opensAt && schedule.closesAt) {
    return i18n.t('directory.hoursLine', {
      days: weekdays(schedule.byDay, i18n.locale),
      opens: clock(schedule.opensAt, i18n.locale),
      closes: clock(schedule.closesAt, i18n.locale),
    });
  }
  return schedule.description;
}

export function addressText(location: {
  address1: string | null;
  address2: string | null;
  city: string | null;
  stateProvince: string | null;
  postalCode: string | null;
}): string | null {
  const region = [location.stateProvince, location.postalCode].filter(Boolean).join(' ');
  const parts = [location.address1, location.address2, location.city, region].filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

/** Directory text in the language it is in, with a machine translation labelled as one. */
export function DirectoryText({ item, as: Tag = 'span' }: { item: ContentField; as?: 'span' | 'p' }) {
  const { t, locale, language } = useI18n();
  return (
    <Tag lang={item.language}>
      {item.text}
      {item.machineTranslated ? (
        <span className="muted" lang={locale}>
          {' '}
          ({t('concern.machineTranslation')})
        </span>
      ) : item.language !== locale ? (
        <span className="muted" lang={locale}>
          {' '}
          ({language(item.language)})
        </span>
      ) : null}
    </Tag>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** Website, phone, email, address, hours, fees and how to apply: the card's contact block. */
export function ServiceContactList({
  contact,
  url,
  fields,
}: {
  contact: ServiceContact;
  url: string | null;
  fields: Map<string, ContentField>;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const details = readFragment(ServiceContactFragment, contact);
  const website = url ?? details.organization.website;
  const phone = details.organization.phone;
  const addresses = details.locations.map(addressText).filter((a): a is string => !!a);
  const hours = details.schedules.map((s) => scheduleText(s, i18n)).filter((h): h is string => !!h);
  const fees = fields.get('fees');
  const apply = fields.get('applicationProcess');
  return (
    <dl className="service-contact">
      {website ? (
        <Row label={t('directory.website')}>
          <a href={website}>{website.replace(/^https?:\/\//, '').replace(/\/$/, '')}</a>
        </Row>
      ) : null}
      {phone ? (
        <Row label={t('directory.phone')}>
          <a href={`tel:${phone.replace(/[^\d+]/g, '')}`}>{phone}</a>
        </Row>
      ) : null}
      {details.email ? (
        <Row label={t('directory.email')}>
          <a href={`mailto:${details.email}`}>{details.email}</a>
        </Row>
      ) : null}
      {addresses.map((address) => (
        <Row key={address} label={t('directory.address')}>
          {address}
        </Row>
      ))}
      {hours.length ? (
        <Row label={t('directory.hours')}>
          {hours.map((line) => (
            <span key={line} className="line">
              {line}
            </span>
          ))}
        </Row>
      ) : null}
      {fees ? (
        <Row label={t('directory.fees')}>
          <DirectoryText item={fees} />
        </Row>
      ) : null}
      {apply ? (
        <Row label={t('directory.apply')}>
          <DirectoryText item={apply} />
        </Row>
      ) : null}
    </dl>
  );
}

export function contentFields(items: readonly ContentField[] | undefined): Map<string, ContentField> {
  return new Map((items ?? []).map((item) => [item.field, item]));
}

/**
 * A resource with the organization that provides it. Without `contact` the directory text shows as
 * entered (English); with it, in the reader's language plus the contact block and a link to the
 * service's own page.
 */
export function ServiceCard({
  service: data,
  contact,
  headingLevel = 3,
  children,
}: {
  service: FragmentOf<typeof ServiceCardFragment>;
  contact?: ServiceContact;
  headingLevel?: 3 | 4;
  children?: ReactNode;
}) {
  const { t, language } = useI18n();
  const service = readFragment(ServiceCardFragment, data);
  const fields = contentFields(contact ? readFragment(ServiceContactFragment, contact).content : undefined);
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const name = fields.get('name');
  const description = fields.get('description');
  const eligibility = fields.get('eligibility');
  const active = service.status === 'ACTIVE';
  return (
    // Web addresses and emails have no break points; on a phone they would push the page sideways.
    <li className={`card service-card${active ? '' : ' service-inactive'}`} style={{ overflowWrap: 'anywhere' }}>
      {contact ? (
        <Heading>
          <a href={href('resources', service.id)}>
            {name ? <DirectoryText item={name} /> : <span lang="en">{service.name}</span>}
          </a>
        </Heading>
      ) : (
        <Heading lang="en">{service.url ? <a href={service.url}>{service.name}</a> : service.name}</Heading>
      )}
      <p>
        <span className={`badge sstatus-${service.status.toLowerCase()}`}>{t(`sstatus.${service.status}`)}</span>{' '}
        <span className="muted">{t('resources.by', { name: service.organization.name })}</span>
      </p>
      {description ? (
        <DirectoryText as="p" item={description} />
      ) : service.description ? (
        <p lang="en">{service.description}</p>
      ) : null}
      {eligibility ? (
        <p>
          {t('directory.eligibility')}: <DirectoryText item={eligibility} />
        </p>
      ) : service.eligibility ? (
        <p lang="en">{t('resources.eligibility', { text: service.eligibility })}</p>
      ) : null}
      {service.languages.length ? (
        <p>{t('resources.languages', { list: service.languages.map((l) => language(l)).join(', ') })}</p>
      ) : null}
      <ThemeTags themes={service.themes} />
      {contact ? <UnknownArea area={readFragment(ServiceContactFragment, contact).serviceArea} /> : null}
      {contact ? <ServiceContactList contact={contact} url={service.url} fields={fields} /> : null}
      {children}
    </li>
  );
}

/**
 * An area given only in words naming no Durham ward or neighborhood: the words as the provider gave
 * them (in English), and that its coverage is unknown (it is counted in no neighborhood, never as the
 * whole city). Nothing for an area the directory could place.
 */
export function UnknownArea({ area }: { area: { coverage: string; description: string | null } }) {
  const { t } = useI18n();
  if (area.coverage !== 'UNKNOWN') return null;
  return (
    <p className="service-area-unknown">
      {t('directory.area')}: {area.description ? <span lang="en">{area.description}</span> : null}{' '}
      <span className="muted">({t('directory.areaUnknown')})</span>
    </p>
  );
}
