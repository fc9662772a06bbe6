import { stableId } from './stable-id.ts';

/** City of Durham departments that lead strategic-plan initiatives and run internal programs. */
export interface Department {
  id: string;
  slug: string;
  name: string;
  email: string | null;
  url: string | null;
}

function department(slug: string, name: string, url: string | null = null): Department {
  return { id: stableId('department', slug), slug, name, email: null, url };
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
