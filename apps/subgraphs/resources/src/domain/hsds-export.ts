import { rewindGeoJson } from '@civic/geo/geometry';
import { stableId } from '@civic/reference-data/stable-id';
import type { ResourcesPrisma } from '../db.ts';
import type { CsvRow } from './hsds-csv.ts';
import { serviceToHsdsRow } from './hsds-mapping.ts';

/** One HSDS 3.0 table: its schema name (`service`), its datapackage path (`services.csv`) and rows. */
export interface HsdsTableExport {
  name: string;
  path: string;
  columns: string[];
  rows: string[][];
}

export interface HsdsExport {
  tables: HsdsTableExport[];
  warnings: string[];
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
const LOCATION_TYPES = new Set(['physical', 'postal', 'virtual']);

function table(name: string, path: string, rows: CsvRow[], columns: string[]): HsdsTableExport {
  return { name, path, columns, rows: rows.map((row) => columns.map((c) => row[c] ?? '')) };
}

const s = (value: string | number | null | undefined) => (value === null || value === undefined ? '' : String(value));

/**
 * The whole directory as HSDS 3.0 tables. Only fields HSDS has are exported: organization kind,
 * themes, Durham wards and neighborhoods, budgets and fiscal years, and the change log stay out.
 * Rows HSDS has no table for (languages, an organization's phone and contact, a service's area)
 * get stable UUIDs derived from their owner, so two exports of the same data are identical.
 */
export async function exportHsds(prisma: ResourcesPrisma): Promise<HsdsExport> {
  const warnings: string[] = [];
  const [organizations, programs, services, locations, links, schedules] = await Promise.all([
    prisma.organization.findMany({ orderBy: { id: 'asc' } }),
    prisma.program.findMany({ orderBy: { id: 'asc' } }),
    prisma.service.findMany({ orderBy: { id: 'asc' } }),
    prisma.location.findMany({ orderBy: { id: 'asc' } }),
    prisma.serviceAtLocation.findMany({ orderBy: { id: 'asc' } }),
    prisma.schedule.findMany({ orderBy: { id: 'asc' } }),
  ]);

  const organizationRows = organizations.map((o) => ({
    id: o.id,
    name: o.name,
    alternate_name: s(o.alternateName),
    // HSDS requires a description; an organization without one is described by its name.
    description: o.description ?? o.name,
    email: s(o.email),
    website: s(o.website),
  }));
  const phones = organizations
    .filter((o) => o.phone)
    .map((o) => ({ id: stableId('hsds-phone', o.id), organization_id: o.id, number: s(o.phone) }));
  const contacts = organizations
    .filter((o) => o.contactName)
    .map((o) => ({ id: stableId('hsds-contact', o.id), organization_id: o.id, name: s(o.contactName) }));
  const programRows = programs.map((p) => ({
    id: p.id,
    organization_id: p.organizationId,
    name: p.name,
    alternate_name: s(p.alternateName),
    description: p.description ?? p.name,
  }));
  const serviceRows = services.map((service) => serviceToHsdsRow(service));
  const languages = services.flatMap((service) =>
    service.languages.map((code) => ({
      id: stableId('hsds-language', `${service.id}:${code}`),
      service_id: service.id,
      name: languageNames.of(code) ?? code,
      code,
    })),
  );
  const areas = services
    .filter((service) => service.serviceAreaDescription || service.serviceAreaGeoJson)
    .map((service) => ({
      id: stableId('hsds-service-area', service.id),
      service_id: service.id,
      description: s(service.serviceAreaDescription),
      extent: service.serviceAreaGeoJson ? JSON.stringify(rewindGeoJson(service.serviceAreaGeoJson)) : '',
      extent_type: service.serviceAreaGeoJson ? 'geojson' : '',
    }));
  const locationRows = locations.map((l) => ({
    id: l.id,
    location_type: LOCATION_TYPES.has(l.locationType) ? l.locationType : 'physical',
    organization_id: s(l.organizationId),
    name: s(l.name),
    alternate_name: s(l.alternateName),
    description: s(l.description),
    transportation: s(l.transportation),
    latitude: s(l.latitude),
    longitude: s(l.longitude),
  }));
  const addresses = locations.flatMap((l) => {
    if (!l.address1 && !l.city && !l.postalCode) return [];
    if (!l.address1 || !l.city || !l.stateProvince || !l.postalCode || !l.country) {
      warnings.push(
        `location ${l.id}: address left out (HSDS needs address_1, city, state_province, postal_code and country)`,
      );
      return [];
    }
    return [
      {
        id: stableId('hsds-address', l.id),
        location_id: l.id,
        address_1: l.address1,
        address_2: s(l.address2),
        city: l.city,
        state_province: l.stateProvince,
        postal_code: l.postalCode,
        country: l.country,
        address_type: LOCATION_TYPES.has(l.locationType) ? l.locationType : 'physical',
      },
    ];
  });
  const linkRows = links.map((l) => ({
    id: l.id,
    service_id: l.serviceId,
    location_id: l.locationId,
    description: s(l.description),
  }));
  const scheduleRows = schedules.map((x) => ({
    id: x.id,
    service_id: x.serviceId,
    freq: s(x.freq),
    byday: s(x.byDay),
    opens_at: s(x.opensAt),
    closes_at: s(x.closesAt),
    valid_from: s(x.validFrom),
    valid_to: s(x.validTo),
    description: s(x.description),
    notes: s(x.notes),
  }));

  return {
    warnings,
    tables: [
      table('organization', 'organizations.csv', organizationRows, [
        'id',
        'name',
        'alternate_name',
        'description',
        'email',
        'website',
      ]),
      table('program', 'programs.csv', programRows, ['id', 'organization_id', 'name', 'alternate_name', 'description']),
      table('service', 'services.csv', serviceRows, Object.keys(serviceToHsdsRow(EMPTY))),
      table('location', 'locations.csv', locationRows, [
        'id',
        'location_type',
        'organization_id',
        'name',
        'alternate_name',
        'description',
        'transportation',
        'latitude',
        'longitude',
      ]),
      table('address', 'addresses.csv', addresses, [
        'id',
        'location_id',
        'address_1',
        'address_2',
        'city',
        'state_province',
        'postal_code',
        'country',
        'address_type',
      ]),
      table('service_at_location', 'service_at_location.csv', linkRows, [
        'id',
        'service_id',
        'location_id',
        'description',
      ]),
      table('schedule', 'schedules.csv', scheduleRows, [
        'id',
        'service_id',
        'freq',
        'byday',
        'opens_at',
        'closes_at',
        'valid_from',
        'valid_to',
        'description',
        'notes',
      ]),
      table('language', 'languages.csv', languages, ['id', 'service_id', 'name', 'code']),
      table('service_area', 'service_areas.csv', areas, ['id', 'service_id', 'description', 'extent', 'extent_type']),
      table('phone', 'phones.csv', phones, ['id', 'organization_id', 'number']),
      table('contact', 'contacts.csv', contacts, ['id', 'organization_id', 'name']),
    ],
  };
}

const EMPTY = {
  id: '',
  organizationId: '',
  programId: null,
  name: '',
  alternateName: null,
  description: null,
  url: null,
  email: null,
  status: 'ACTIVE' as const,
  interpretationServices: null,
  applicationProcess: null,
  feesDescription: null,
  eligibilityDescription: null,
  minimumAge: null,
  maximumAge: null,
  updatedAt: new Date(0),
};
