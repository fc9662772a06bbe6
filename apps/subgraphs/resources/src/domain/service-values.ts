import { NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import { badInput, type FieldProblem } from '@civic/server-kit/errors';
import type { OrganizationKind, ServiceStatus } from '../generated/prisma/enums.ts';
import { geoJsonAreaProblems } from './geojson.ts';

/** The editable fields of a service, as stored. */
export interface ServiceValues {
  programId: string | null;
  name: string;
  alternateName: string | null;
  description: string | null;
  url: string | null;
  email: string | null;
  status: ServiceStatus;
  interpretationServices: string | null;
  applicationProcess: string | null;
  feesDescription: string | null;
  eligibilityDescription: string | null;
  minimumAge: number | null;
  maximumAge: number | null;
  languages: string[];
  themes: string[];
  servesCitywide: boolean;
  serviceWards: number[];
  serviceNeighborhoodIds: string[];
  serviceAreaDescription: string | null;
  serviceAreaGeoJson: unknown;
  annualBudget: number | null;
  fiscalYear: number | null;
}

export const SERVICE_FIELDS = [
  'programId',
  'name',
  'alternateName',
  'description',
  'url',
  'email',
  'status',
  'interpretationServices',
  'applicationProcess',
  'feesDescription',
  'eligibilityDescription',
  'minimumAge',
  'maximumAge',
  'languages',
  'themes',
  'servesCitywide',
  'serviceWards',
  'serviceNeighborhoodIds',
  'serviceAreaDescription',
  'serviceAreaGeoJson',
  'annualBudget',
  'fiscalYear',
] as const satisfies readonly (keyof ServiceValues)[];

export const EMPTY_SERVICE: Omit<ServiceValues, 'name'> = {
  programId: null,
  alternateName: null,
  description: null,
  url: null,
  email: null,
  status: 'ACTIVE',
  interpretationServices: null,
  applicationProcess: null,
  feesDescription: null,
  eligibilityDescription: null,
  minimumAge: null,
  maximumAge: null,
  languages: ['en'],
  themes: [],
  servesCitywide: false,
  serviceWards: [],
  serviceNeighborhoodIds: [],
  serviceAreaDescription: null,
  serviceAreaGeoJson: null,
  annualBudget: null,
  fiscalYear: null,
};

const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const NEIGHBORHOOD_IDS = new Set(NEIGHBORHOODS.map((n) => n.id));
const TEXT_LIMIT = 4000;

/** Everything wrong with a service as it would be stored; empty when it may be stored. */
export function serviceProblems(values: ServiceValues, organizationKind: OrganizationKind): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });

  if (values.name.trim().length === 0) add('name', 'A service needs a name');
  if (values.name.length > 200) add('name', 'A name has at most 200 characters');
  for (const field of ['description', 'eligibilityDescription', 'applicationProcess', 'feesDescription'] as const) {
    if ((values[field]?.length ?? 0) > TEXT_LIMIT) add(field, `At most ${TEXT_LIMIT} characters`);
  }
  if (values.email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) add('email', 'Not an email address');
  if (values.url !== null && !/^https?:\/\/\S+$/.test(values.url)) add('url', 'A URL starts with http:// or https://');
  for (const field of ['minimumAge', 'maximumAge'] as const) {
    const age = values[field];
    if (age !== null && (age < 0 || age > 130)) add(field, 'An age is between 0 and 130');
  }
  if (values.minimumAge !== null && values.maximumAge !== null && values.minimumAge > values.maximumAge) {
    add('maximumAge', 'The maximum age is below the minimum age');
  }
  values.languages.forEach((tag, i) => {
    if (!LANGUAGE_TAG.test(tag)) add(`languages[${i}]`, `"${tag}" is not a BCP-47 language tag such as "en" or "es"`);
  });
  values.serviceWards.forEach((ward, i) => {
    if (![1, 2, 3].includes(ward)) add(`serviceWards[${i}]`, 'Durham has council wards 1, 2 and 3');
  });
  values.serviceNeighborhoodIds.forEach((id, i) => {
    if (!NEIGHBORHOOD_IDS.has(id)) add(`serviceNeighborhoodIds[${i}]`, `Unknown neighborhood ${id}`);
  });
  if (values.serviceAreaGeoJson !== null && values.serviceAreaGeoJson !== undefined) {
    problems.push(...geoJsonAreaProblems(values.serviceAreaGeoJson, 'serviceAreaGeoJson'));
  }
  if (values.annualBudget !== null) {
    if (values.annualBudget < 0) add('annualBudget', 'A budget is not negative');
    if (organizationKind !== 'CITY_DEPARTMENT')
      add('annualBudget', 'Only internal (city department) services carry a budget');
  }
  if (values.fiscalYear !== null && (values.fiscalYear < 2000 || values.fiscalYear > 2100)) {
    add('fiscalYear', 'A fiscal year such as 2026');
  }
  return problems;
}

export function assertValidService(values: ServiceValues, organizationKind: OrganizationKind): void {
  const problems = serviceProblems(values, organizationKind);
  if (problems.length > 0) throw badInput('The service is not valid', problems);
}
