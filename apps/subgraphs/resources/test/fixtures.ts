import { DEPARTMENTS, departmentBySlug } from '@civic/reference-data/departments';
import { NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';

/** Organizations of the demo directory (`alignment/directory/`, HSDS ids), and two of the city's departments. */
export const org = {
  landTrust: '4f84bb9f-e541-5303-80ff-9ef9f881a028', // Durham Community Land Trustees (nonprofit)
  umd: '8fb073a3-5c12-56b5-800f-2f5a45da57ca', // Urban Ministries of Durham
  elCentro: 'cca91bc7-5f2e-50d1-a144-d6bac53e43dd',
  communityDevelopment: departmentBySlug('community-development').id,
  parks: departmentBySlug('parks-recreation').id,
};

/** Services of the demo directory, by their HSDS ids. */
export const service = {
  urgentRepair: '5e9e0cc8-0360-5f2d-a552-749affa850e5', // Community Development, city-wide
  homebuyer: '4fb4c716-400f-5bc7-90fb-508f093a95e5', // Community Development, city-wide
  emergencyRental: '097e73e7-0c00-5847-ae1a-26ac5b5504d1', // INACTIVE, housing
  landTrustRentals: '3d41b36d-3c76-5eae-a1d7-ff60578e7ab9', // partner's, Walltown, West End, Trinity Park, Lakewood Park
  umdShelter: '397f9ce5-543e-5995-aeae-0af4a8c873cf', // text area: Durham County
  prip: 'c2a3e18a-ff8b-58e5-b632-04769b99c57b', // NIS, east-side neighborhoods
  evictionDiversion: '693b0ded-9c38-533a-b28d-c4e524a9b1b4', // Legal Aid NC
  elCentroFamilies: '136d5823-3512-5e7b-a668-52fcb71b25c3', // Spanish-speaking staff
  walltownTeens: 'ea529c6f-d953-51e5-b537-12ea7f38829b', // Parks and Recreation, Walltown, West End, Trinity Park, Lakewood Park
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
