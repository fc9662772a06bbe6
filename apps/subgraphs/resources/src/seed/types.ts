import type { OrganizationKind, ServiceStatus } from '../generated/prisma/enums.ts';

/** A demo service as written in the seed files; ids are derived from slugs so reseeding is stable. */
export interface ServiceSeed {
  slug: string;
  name: string;
  description: string;
  themes: string[];
  eligibility?: string;
  minimumAge?: number;
  maximumAge?: number;
  languages?: string[];
  fees?: string;
  applicationProcess?: string;
  /** Where it serves: whole city, wards, or neighborhood slugs. */
  area: { citywide?: boolean; wards?: number[]; neighborhoods?: string[]; description?: string };
  status?: ServiceStatus;
  annualBudget?: number;
  fiscalYear?: number;
  url?: string;
  schedule?: { byDay: string; opensAt: string; closesAt: string; description: string };
  location?: string;
  /** Strategic-plan initiative codes this service supports, with a note. */
  initiatives?: { code: string; note: string }[];
}

export interface ProgramSeed {
  slug: string;
  name: string;
  description: string;
  services: ServiceSeed[];
}

export interface OrganizationSeed {
  slug: string;
  name: string;
  kind: OrganizationKind;
  description?: string;
  website?: string;
  email?: string;
  phone?: string;
  programs: ProgramSeed[];
}

export interface LocationSeed {
  slug: string;
  name: string;
  address1: string;
  postalCode: string;
  latitude: number;
  longitude: number;
}
