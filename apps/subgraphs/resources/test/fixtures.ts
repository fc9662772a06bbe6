import { DEPARTMENTS, departmentBySlug } from '@civic/reference-data/departments';
import { NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import { stableId } from '@civic/reference-data/stable-id';

export const org = {
  habitat: stableId('organization', 'durham-habitat'),
  umd: stableId('organization', 'urban-ministries-of-durham'),
  elCentro: stableId('organization', 'el-centro-hispano'),
  communityDevelopment: departmentBySlug('community-development').id,
  parks: departmentBySlug('parks-recreation').id,
};

export const service = {
  urgentRepair: stableId('service', 'urgent-repair'),
  covidRental: stableId('service', 'covid-rental-assistance'),
  habitatRepair: stableId('service', 'habitat-critical-home-repair'),
  umdShelter: stableId('service', 'umd-emergency-shelter'),
  prip: stableId('service', 'proactive-rental-inspection'),
  evictionDiversion: stableId('service', 'eviction-diversion'),
  dcaHomeHelp: stableId('service', 'dca-volunteer-home-help'),
  ecHousing: stableId('service', 'ech-housing-navigation'),
};

export function neighborhood(slug: string) {
  const found = NEIGHBORHOODS.find((n) => n.slug === slug);
  if (!found) throw new Error(slug);
  return found;
}

export const HSDS_EXAMPLE = {
  organization: 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610',
  service: 'ac148810-d857-441c-9679-408f346de14b',
};

export { DEPARTMENTS };
