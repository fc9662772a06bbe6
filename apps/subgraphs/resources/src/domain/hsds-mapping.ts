import { rewindGeoJson } from '@civic/geo/geometry';
import { suggestThemes } from '@civic/taxonomy/themes';
import type { Prisma } from '../generated/prisma/client.ts';
import type { OrganizationKind, ServiceStatus } from '../generated/prisma/enums.ts';
import { geoJsonAreaProblems } from './geojson.ts';
import type { CsvRow, HsdsTables } from './hsds-csv.ts';
import type { ServiceValues } from './service.ts';

/**
 * HSDS 3.0 tables ⇄ the resources model. Ids are kept as HSDS gives them, so a re-import or an
 * export round-trips. HSDS has no organization kind or Durham service area; the mapping infers the
 * kind (or takes `defaultKind`) and keeps HSDS service areas as description and GeoJSON.
 */
export interface MappedDataset {
  organizations: Prisma.OrganizationCreateManyInput[];
  programs: Prisma.ProgramCreateManyInput[];
  services: Prisma.ServiceCreateManyInput[];
  locations: Prisma.LocationCreateManyInput[];
  serviceAtLocations: Prisma.ServiceAtLocationCreateManyInput[];
  schedules: Prisma.ScheduleCreateManyInput[];
  /** Rows skipped or values dropped, in words, for the importer to report. */
  warnings: string[];
}

const STATUS: Record<string, ServiceStatus> = {
  active: 'ACTIVE',
  inactive: 'INACTIVE',
  defunct: 'DEFUNCT',
  'temporarily closed': 'TEMPORARILY_CLOSED',
};

const text = (value: string | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

const int = (value: string | undefined): number | null => {
  const t = text(value);
  if (t === null || !/^-?\d+$/.test(t)) return null;
  return Number(t);
};

const float = (value: string | undefined): number | null => {
  const t = text(value);
  return t === null || Number.isNaN(Number(t)) ? null : Number(t);
};

const url = (value: string | undefined): string | null => {
  const t = text(value);
  return t && /^https?:\/\/\S+$/.test(t) ? t : null;
};

function inferKind(row: CsvRow, defaultKind: OrganizationKind): OrganizationKind {
  const about = `${row.description ?? ''} ${row.legal_status ?? ''} ${row.tax_status ?? ''}`.toLowerCase();
  if (/non-?profit|501\(c\)|charit/.test(about)) return 'NONPROFIT';
  if (/church|faith|ministr|mosque|synagogue/.test(about)) return 'FAITH_BASED';
  if (/county/.test(about)) return 'COUNTY_AGENCY';
  return defaultKind;
}

function groupBy(rows: CsvRow[], key: string): Map<string, CsvRow[]> {
  const map = new Map<string, CsvRow[]>();
  for (const row of rows) {
    const k = row[key];
    if (!k) continue;
    map.set(k, [...(map.get(k) ?? []), row]);
  }
  return map;
}

export interface MappingOptions {
  defaultKind?: OrganizationKind;
  /** Ids outside the dataset that exist in the directory, which rows of the dataset may reference. */
  known?: Partial<Record<'organizations' | 'programs' | 'services' | 'locations', Set<string>>>;
}

export function mapHsdsDataset(tables: HsdsTables, options: MappingOptions = {}): MappedDataset {
  const warnings: string[] = [];
  const defaultKind = options.defaultKind ?? 'OTHER';
  const phonesByOrg = groupBy(tables.phones, 'organization_id');
  const contactsByOrg = groupBy(tables.contacts, 'organization_id');

  const organizations = tables.organizations.map((row) => ({
    id: row.id as string,
    name: text(row.name) ?? '(unnamed organization)',
    alternateName: text(row.alternate_name),
    kind: inferKind(row, defaultKind),
    description: text(row.description),
    email: text(row.email),
    website: url(row.website),
    phone: text(phonesByOrg.get(row.id as string)?.[0]?.number?.replace(/^"+|"+$/g, '')),
    contactName: text(contactsByOrg.get(row.id as string)?.[0]?.name),
  }));
  const orgIds = new Set([...organizations.map((o) => o.id), ...(options.known?.organizations ?? [])]);

  const programs = tables.programs.flatMap((row) => {
    if (!orgIds.has(row.organization_id ?? '')) {
      warnings.push(`program ${row.id}: unknown organization ${row.organization_id}; skipped`);
      return [];
    }
    return [
      {
        id: row.id as string,
        organizationId: row.organization_id as string,
        name: text(row.name) ?? '(unnamed program)',
        alternateName: text(row.alternate_name),
        description: text(row.description),
      },
    ];
  });
  const programIds = new Set([...programs.map((p) => p.id), ...(options.known?.programs ?? [])]);

  const languagesByService = groupBy(tables.languages, 'service_id');
  const areasByService = groupBy(tables.service_areas, 'service_id');
  const services = tables.services.flatMap((row): Prisma.ServiceCreateManyInput[] => {
    const id = row.id as string;
    if (!orgIds.has(row.organization_id ?? '')) {
      warnings.push(`service ${id}: unknown organization ${row.organization_id}; skipped`);
      return [];
    }
    const status = STATUS[(row.status ?? '').trim().toLowerCase()];
    if (!status) warnings.push(`service ${id}: status "${row.status}" is not an HSDS status; imported as inactive`);
    let minimumAge = int(row.minimum_age);
    let maximumAge = int(row.maximum_age);
    if ((minimumAge ?? 0) < 0 || (maximumAge ?? 0) < 0 || (minimumAge ?? 0) > (maximumAge ?? Number.MAX_VALUE)) {
      warnings.push(`service ${id}: ages ${row.minimum_age}–${row.maximum_age} are not valid; dropped`);
      minimumAge = null;
      maximumAge = null;
    }
    const languages = [
      ...new Set((languagesByService.get(id) ?? []).map((l) => text(l.code)).filter((c): c is string => c !== null)),
    ];
    const area = serviceArea(areasByService.get(id) ?? [], id, warnings);
    const name = text(row.name) ?? '(unnamed service)';
    return [
      {
        id,
        organizationId: row.organization_id as string,
        programId: programIds.has(row.program_id ?? '') ? (row.program_id as string) : null,
        name,
        alternateName: text(row.alternate_name),
        description: text(row.description),
        url: url(row.url),
        email: text(row.email),
        status: status ?? 'INACTIVE',
        interpretationServices: text(row.interpretation_services),
        applicationProcess: text(row.application_process),
        feesDescription: text(row.fees_description),
        eligibilityDescription: text(row.eligibility_description),
        minimumAge,
        maximumAge,
        languages: languages.length > 0 ? ['en', ...languages.filter((l) => l !== 'en')] : ['en'],
        themes: suggestThemes(`${name} ${row.description ?? ''}`),
        servesCitywide: false,
        serviceWards: [],
        serviceNeighborhoodIds: [],
        ...area,
      },
    ];
  });
  const serviceIds = new Set([...services.map((s) => s.id as string), ...(options.known?.services ?? [])]);

  const addressByLocation = new Map(tables.addresses.map((a) => [a.location_id, a]));
  const locations = tables.locations.map((row) => {
    const address = addressByLocation.get(row.id);
    let organizationId = text(row.organization_id);
    if (organizationId && !orgIds.has(organizationId)) {
      warnings.push(`location ${row.id}: unknown organization ${organizationId}; kept without one`);
      organizationId = null;
    }
    const latitude = float(row.latitude);
    const longitude = float(row.longitude);
    const inRange = latitude !== null && longitude !== null && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180;
    if (!inRange && (latitude !== null || longitude !== null)) {
      warnings.push(`location ${row.id}: coordinates ${row.latitude}, ${row.longitude} out of range; dropped`);
    }
    return {
      id: row.id as string,
      organizationId,
      locationType: text(row.location_type) ?? 'physical',
      name: text(row.name),
      alternateName: text(row.alternate_name),
      description: text(row.description),
      transportation: text(row.transportation),
      latitude: inRange ? latitude : null,
      longitude: inRange ? longitude : null,
      address1: text(address?.address_1),
      address2: text(address?.address_2),
      city: text(address?.city),
      stateProvince: text(address?.state_province),
      postalCode: text(address?.postal_code),
      country: text(address?.country),
    };
  });
  const locationIds = new Set([...locations.map((l) => l.id), ...(options.known?.locations ?? [])]);

  const serviceAtLocations = tables.service_at_location.flatMap((row) => {
    if (!serviceIds.has(row.service_id ?? '') || !locationIds.has(row.location_id ?? '')) {
      warnings.push(`service_at_location ${row.id}: unknown service or location; skipped`);
      return [];
    }
    return [
      {
        id: row.id as string,
        serviceId: row.service_id as string,
        locationId: row.location_id as string,
        description: text(row.description),
      },
    ];
  });

  const schedules = tables.schedules.flatMap((row) => {
    if (!serviceIds.has(row.service_id ?? '')) return [];
    return [
      {
        id: row.id as string,
        serviceId: row.service_id as string,
        freq: text(row.freq),
        byDay: text(row.byday),
        opensAt: text(row.opens_at),
        closesAt: text(row.closes_at),
        validFrom: text(row.valid_from),
        validTo: text(row.valid_to),
        description: text(row.description),
        notes: text(row.notes),
      },
    ];
  });

  return { organizations, programs, services, locations, serviceAtLocations, schedules, warnings };
}

function serviceArea(rows: CsvRow[], serviceId: string, warnings: string[]) {
  const descriptions = rows.map((r) => [text(r.name), text(r.description)].filter(Boolean).join(' — ')).filter(Boolean);
  let geoJson: unknown = null;
  for (const row of rows) {
    if ((row.extent_type ?? '').toLowerCase() !== 'geojson' || !text(row.extent)) continue;
    try {
      const parsed = JSON.parse(row.extent as string);
      if (geoJsonAreaProblems(parsed, 'extent').length === 0) geoJson = rewindGeoJson(parsed);
      else
        warnings.push(
          `service_area ${row.id} of service ${serviceId}: extent is not a valid GeoJSON area; kept as text only`,
        );
    } catch {
      warnings.push(`service_area ${row.id} of service ${serviceId}: extent is not JSON; kept as text only`);
    }
  }
  return {
    serviceAreaDescription: descriptions.length > 0 ? descriptions.join('\n') : null,
    serviceAreaGeoJson: (geoJson ?? undefined) as Prisma.InputJsonValue | undefined,
  };
}

/** A stored service as an HSDS `services` row (the exporter's counterpart of the import above). */
export function serviceToHsdsRow(
  service: Pick<
    ServiceValues,
    | 'programId'
    | 'name'
    | 'alternateName'
    | 'description'
    | 'url'
    | 'email'
    | 'status'
    | 'interpretationServices'
    | 'applicationProcess'
    | 'feesDescription'
    | 'eligibilityDescription'
    | 'minimumAge'
    | 'maximumAge'
  > & { id: string; organizationId: string; updatedAt: Date },
): CsvRow {
  const status = Object.entries(STATUS).find(([, v]) => v === service.status)?.[0] ?? 'inactive';
  return {
    id: service.id,
    organization_id: service.organizationId,
    program_id: service.programId ?? '',
    name: service.name,
    alternate_name: service.alternateName ?? '',
    description: service.description ?? '',
    url: service.url ?? '',
    email: service.email ?? '',
    status,
    interpretation_services: service.interpretationServices ?? '',
    application_process: service.applicationProcess ?? '',
    fees_description: service.feesDescription ?? '',
    eligibility_description: service.eligibilityDescription ?? '',
    minimum_age: service.minimumAge?.toString() ?? '',
    maximum_age: service.maximumAge?.toString() ?? '',
    last_modified: service.updatedAt.toISOString(),
  };
}
