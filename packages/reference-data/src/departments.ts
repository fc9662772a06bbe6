import { stableId } from './stable-id.ts';

/** City of Durham departments that lead strategic-plan initiatives and run internal programs. */
export interface Department {
  id: string;
  slug: string;
  name: string;
  email: string | null;
  url: string | null;
  /**
   * Its organization ids in published HSDS directories (`data/alignment/directory/organizations.csv`):
   * the identifiers it is also known by, which imports, `organization(id:)` and staff tokens accept.
   */
  hsdsIds: readonly string[];
}

/** The City of Durham organizations of the demo HSDS directory, by department slug. */
const DIRECTORY_HSDS_IDS: Readonly<Record<string, readonly string[]>> = {
  'community-development': ['fa0d5f63-3012-5dec-ae79-b83b0c1932ec'],
  'neighborhood-improvement-services': ['0ecfbbf4-5199-52a7-94f4-ae8692ec387a'],
  transportation: ['c3175408-b979-5abb-b1e3-5dc8267666ce'],
  'public-works': ['4f484650-7096-51b0-8715-53b4f7cbaff5'],
  'solid-waste': ['4d7ed363-b20f-565a-b77b-fef153c0c929'],
  'parks-recreation': ['97c22b98-3d3e-5fd4-83ab-c49c279802a4'],
  'economic-workforce-development': ['e16b5f8c-7104-5601-a6c9-b2eb7c16c4b8'],
  'community-safety': ['b40b6d2f-56aa-5f57-8c72-899f1129d7a7'],
  police: ['7e12994d-cdc0-5943-90e2-894e68237652'],
  'equity-inclusion': ['2ca213b7-2892-5aa3-bca2-ca150ba51ee9'],
  'general-services': ['b48cf32f-05b1-5e09-843e-854741c9fbec'],
};

function department(slug: string, name: string, url: string | null = null): Department {
  return { id: stableId('department', slug), slug, name, email: null, url, hsdsIds: DIRECTORY_HSDS_IDS[slug] ?? [] };
}

export const DEPARTMENTS: readonly Department[] = [
  department(
    'economic-workforce-development',
    'Office of Economic and Workforce Development',
    'https://www.durhamnc.gov/205/Economic-Workforce-Development',
  ),
  department(
    'community-development',
    'Community Development Department',
    'https://www.durhamnc.gov/190/Community-Development',
  ),
  department(
    'neighborhood-improvement-services',
    'Neighborhood Improvement Services',
    'https://www.durhamnc.gov/260/Neighborhood-Improvement-Services',
  ),
  department('police', 'Durham Police Department', 'https://www.durhamnc.gov/278/Police'),
  department('fire', 'Durham Fire Department', 'https://www.durhamnc.gov/214/Fire'),
  department('community-safety', 'Community Safety Department', 'https://www.durhamnc.gov/4556/Community-Safety'),
  department('parks-recreation', 'Parks and Recreation', 'https://www.dprplaymore.org/'),
  department('transportation', 'Transportation Department', 'https://www.durhamnc.gov/337/Transportation'),
  department('water-management', 'Water Management', 'https://www.durhamnc.gov/347/Water-Management'),
  department('public-works', 'Public Works', 'https://www.durhamnc.gov/300/Public-Works'),
  department('general-services', 'General Services', 'https://www.durhamnc.gov/216/General-Services'),
  department(
    'budget-management',
    'Budget and Management Services',
    'https://www.durhamnc.gov/168/Budget-Management-Services',
  ),
  department(
    'communications-marketing',
    'Communications and Marketing',
    'https://www.durhamnc.gov/1227/Communications-Marketing',
  ),
  department(
    'equity-inclusion',
    'Department of Equity and Inclusion',
    'https://www.durhamnc.gov/4409/Equity-Inclusion',
  ),
  department('planning', 'Planning Department', 'https://www.durhamnc.gov/297/Planning'),
  department('solid-waste', 'Solid Waste Management', 'https://www.durhamnc.gov/325/Solid-Waste-Management'),
  department('human-resources', 'Human Resources', 'https://www.durhamnc.gov/230/Human-Resources'),
  department('technology-solutions', 'Technology Solutions', 'https://www.durhamnc.gov/336/Technology-Solutions'),
  department('sustainability', 'Sustainability Office', null),
];

export function departmentBySlug(slug: string): Department {
  const found = DEPARTMENTS.find((d) => d.slug === slug);
  if (!found) throw new Error(`unknown department ${slug}`);
  return found;
}

/**
 * The department an identifier names: its id, its slug or one of its HSDS organization ids
 * (case-insensitive, surrounding spaces ignored). Undefined for anything else.
 */
export function departmentByIdentifier(identifier: string): Department | undefined {
  const key = identifier.trim().toLowerCase();
  return DEPARTMENTS.find((d) => d.id === key || d.slug === key || d.hsdsIds.includes(key));
}
