import { DEPARTMENTS } from '@civic/reference-data/departments';
import { NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import {
  pick,
  prng,
  SYNTHETIC_EPOCH,
  SYNTHETIC_WORDS,
  syntheticCounts,
  syntheticId,
  syntheticInitiativeId,
  syntheticServiceId,
} from '@civic/reference-data/synthetic';
import { bulkInsert, type ScaleSeeder } from '@civic/server-kit/seed-command';
import { THEME_CODES } from '@civic/taxonomy/themes';

// A ward-limited synthetic service names its neighborhood's ward; 13 published neighborhoods lie outside every ward.
const NEIGHBORHOODS_IN_WARDS = NEIGHBORHOODS.filter((n) => n.ward !== null);

const KINDS = ['NONPROFIT', 'NONPROFIT', 'NONPROFIT', 'COUNTY_AGENCY', 'FAITH_BASED', 'BUSINESS', 'OTHER'] as const;
const SERVICE_KINDS = ['assistance', 'help desk', 'program', 'clinic', 'workshop', 'referrals', 'repair program'];
const STREETS = ['Main St', 'Fayetteville St', 'Roxboro St', 'Alston Ave', 'Holloway St', 'Chapel Hill Rd'];

/** Resources' part of `civic seed --scale N`: organizations, locations, services and initiative links. */
export const resourcesScaleSeed: ScaleSeeder = {
  tables: [
    'ChangeRecord',
    'ServiceInitiativeLink',
    'Schedule',
    'ServiceAtLocation',
    'Service',
    'Location',
    'Program',
    'Organization',
  ],
  total(scale) {
    const c = syntheticCounts(scale);
    return c.cityDepartments + c.organizations + c.locations + c.services * 2 + c.serviceInitiativeLinks;
  },
  async run({ sql, scale, inserted }) {
    const counts = syntheticCounts(scale);
    const random = prng('resources');
    const createdAt = new Date(SYNTHETIC_EPOCH).toISOString();
    const stamps = { createdAt, updatedAt: createdAt };

    const organizations: Record<string, unknown>[] = DEPARTMENTS.map((d) => ({
      id: d.id,
      name: d.name,
      kind: 'CITY_DEPARTMENT',
      description: null,
      email: d.email,
      website: d.url,
      ...stamps,
    }));
    for (let i = 0; i < counts.organizations; i++) {
      const theme = pick(random, THEME_CODES);
      organizations.push({
        id: syntheticId('organization', i),
        name: `${(SYNTHETIC_WORDS[theme]?.[0] ?? 'community').replace(/^./, (c) => c.toUpperCase())} Partners ${i}`,
        kind: pick(random, KINDS),
        description: `A synthetic organization working on ${(SYNTHETIC_WORDS[theme] ?? []).slice(0, 3).join(', ')}.`,
        email: `info${i}@example.org`,
        website: `https://example.org/org/${i}`,
        ...stamps,
      });
    }
    await bulkInsert(
      sql,
      'Organization',
      [
        ['id', 'text'],
        ['name', 'text'],
        ['kind', 'text', '"OrganizationKind"'],
        ['description', 'text'],
        ['email', 'text'],
        ['website', 'text'],
        ['createdAt', 'timestamp(3)'],
        ['updatedAt', 'timestamp(3)'],
      ],
      organizations,
      inserted,
    );

    const locations = [];
    for (let i = 0; i < counts.locations; i++) {
      locations.push({
        id: syntheticId('location', i),
        organizationId: syntheticId('organization', i % counts.organizations),
        name: `Site ${i}`,
        latitude: 35.95 + random() * 0.1,
        longitude: -78.95 + random() * 0.1,
        address1: `${100 + Math.floor(random() * 3000)} ${pick(random, STREETS)}`,
        city: 'Durham',
        stateProvince: 'NC',
        postalCode: `277${String(Math.floor(random() * 100)).padStart(2, '0')}`,
        country: 'US',
        ...stamps,
      });
    }
    await bulkInsert(
      sql,
      'Location',
      [
        ['id', 'text'],
        ['organizationId', 'text'],
        ['name', 'text'],
        ['latitude', 'float8'],
        ['longitude', 'float8'],
        ['address1', 'text'],
        ['city', 'text'],
        ['stateProvince', 'text'],
        ['postalCode', 'text'],
        ['country', 'text'],
        ['createdAt', 'timestamp(3)'],
        ['updatedAt', 'timestamp(3)'],
      ],
      locations,
      inserted,
    );

    const services = [];
    const atLocation = [];
    const links = [];
    for (let i = 0; i < counts.services; i++) {
      const theme = pick(random, THEME_CODES);
      const words = SYNTHETIC_WORDS[theme] ?? ['community'];
      const id = syntheticServiceId(i);
      const area = random();
      const neighborhood = pick(random, NEIGHBORHOODS_IN_WARDS);
      const statusRoll = random();
      services.push({
        id,
        organizationId: syntheticId('organization', i % counts.organizations),
        name: `${pick(random, words).replace(/^./, (c) => c.toUpperCase())} ${pick(random, SERVICE_KINDS)} ${i}`,
        description: `Help with ${pick(random, words)} and ${pick(random, words)} for residents.`,
        status: statusRoll < 0.9 ? 'ACTIVE' : statusRoll < 0.95 ? 'TEMPORARILY_CLOSED' : 'INACTIVE',
        eligibilityDescription: random() < 0.5 ? 'Durham residents' : null,
        languages: random() < 0.3 ? ['en', 'es'] : ['en'],
        themes: random() < 0.3 ? [...new Set([theme, pick(random, THEME_CODES)])] : [theme],
        servesCitywide: area < 0.3,
        serviceWards: area >= 0.3 && area < 0.6 && neighborhood.ward !== null ? [neighborhood.ward] : [],
        serviceNeighborhoodIds: area >= 0.6 ? [neighborhood.id] : [],
        ...stamps,
      });
      atLocation.push({
        id: syntheticId('service-at-location', i),
        serviceId: id,
        locationId: syntheticId('location', i % counts.locations),
      });
      if (i % 3 === 0) {
        links.push({
          id: syntheticId('service-initiative-link', i),
          serviceId: id,
          initiativeId: syntheticInitiativeId((i / 3) % counts.initiatives),
          note: 'Synthetic link',
          createdBy: 'seed:synthetic',
          createdAt,
        });
      }
    }
    await bulkInsert(
      sql,
      'Service',
      [
        ['id', 'text'],
        ['organizationId', 'text'],
        ['name', 'text'],
        ['description', 'text'],
        ['status', 'text', '"ServiceStatus"'],
        ['eligibilityDescription', 'text'],
        ['languages', 'text[]'],
        ['themes', 'text[]'],
        ['servesCitywide', 'boolean'],
        ['serviceWards', 'int[]'],
        ['serviceNeighborhoodIds', 'text[]'],
        ['createdAt', 'timestamp(3)'],
        ['updatedAt', 'timestamp(3)'],
      ],
      services,
      inserted,
    );
    await bulkInsert(
      sql,
      'ServiceAtLocation',
      [
        ['id', 'text'],
        ['serviceId', 'text'],
        ['locationId', 'text'],
      ],
      atLocation,
      inserted,
    );
    await bulkInsert(
      sql,
      'ServiceInitiativeLink',
      [
        ['id', 'text'],
        ['serviceId', 'text'],
        ['initiativeId', 'text'],
        ['note', 'text'],
        ['createdBy', 'text'],
        ['createdAt', 'timestamp(3)'],
      ],
      links,
      inserted,
    );
    return {
      organizations: organizations.length,
      locations: locations.length,
      services: services.length,
      serviceAtLocations: atLocation.length,
      serviceInitiativeLinks: links.length,
    };
  },
};
