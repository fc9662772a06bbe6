import { describe, expect, it } from 'vitest';
import { HSDS_EXAMPLE_DIR } from '../subgraph.ts';
import { type HsdsTables, parseCsv, readHsdsCsvDirectory } from './hsds-csv.ts';
import { mapHsdsDataset, serviceToHsdsRow } from './hsds-mapping.ts';

const empty = (): HsdsTables => ({
  organizations: [],
  programs: [],
  services: [],
  locations: [],
  addresses: [],
  service_at_location: [],
  service_areas: [],
  languages: [],
  schedules: [],
  phones: [],
  contacts: [],
});

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    const rows = parseCsv('id,name,note\r\n1,"Smith, Ann","said ""hi""\nthen left"\n2,Bo,\n');
    expect(rows).toEqual([
      { id: '1', name: 'Smith, Ann', note: 'said "hi"\nthen left' },
      { id: '2', name: 'Bo', note: '' },
    ]);
  });
});

describe('HSDS example → model', () => {
  const dataset = mapHsdsDataset(readHsdsCsvDirectory(HSDS_EXAMPLE_DIR), { defaultKind: 'NONPROFIT' });

  it('keeps HSDS ids and maps the service fields', () => {
    expect(dataset.organizations.map((o) => o.id)).toEqual(['d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610']);
    expect(dataset.services[0]).toMatchObject({
      id: 'ac148810-d857-441c-9679-408f346de14b',
      programId: 'e7ec2e57-4540-43fa-b2c7-6be5a0ef7f42',
      status: 'ACTIVE',
      minimumAge: 12,
      maximumAge: 100,
      languages: ['en', 'ur'],
    });
    expect(dataset.serviceAtLocations).toHaveLength(1);
    expect(dataset.schedules[0]).toMatchObject({ byDay: 'TH,FR', opensAt: '10:00:00' });
  });

  it('reports what it could not keep instead of failing', () => {
    expect(dataset.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^location 3a19ff88.*unknown organization/),
        expect.stringMatching(/^service_area .*extent is not JSON/),
        expect.stringMatching(/^location .*coordinates 100, 101 out of range/),
      ]),
    );
    expect(dataset.locations[0]?.organizationId).toBeNull();
  });

  it('maps HSDS statuses, rejects invalid ages and skips services of unknown organizations', () => {
    const tables = empty();
    tables.organizations = [{ id: 'o1', name: 'Org', description: 'A faith-based ministry' }];
    tables.services = [
      {
        id: 's1',
        organization_id: 'o1',
        name: 'A',
        status: 'temporarily closed',
        minimum_age: '-3',
        maximum_age: '10',
      },
      { id: 's2', organization_id: 'o1', name: 'B', status: 'closed' },
      { id: 's3', organization_id: 'nobody', name: 'C', status: 'active' },
    ];
    const mapped = mapHsdsDataset(tables);
    expect(mapped.organizations[0]?.kind).toBe('FAITH_BASED');
    expect(mapped.services.map((s) => [s.id, s.status, s.minimumAge])).toEqual([
      ['s1', 'TEMPORARILY_CLOSED', null],
      ['s2', 'INACTIVE', null],
    ]);
    expect(mapped.warnings).toHaveLength(3);
  });

  it('keeps a valid GeoJSON extent as the service area', () => {
    const tables = empty();
    tables.organizations = [{ id: 'o1', name: 'Org' }];
    tables.services = [{ id: 's1', organization_id: 'o1', name: 'A', status: 'active' }];
    const polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
      ],
    };
    tables.service_areas = [
      { id: 'a1', service_id: 's1', name: 'Area', extent: JSON.stringify(polygon), extent_type: 'geojson' },
    ];
    expect(mapHsdsDataset(tables).services[0]?.serviceAreaGeoJson).toEqual(polygon);
  });

  it('exports a stored service back to an HSDS services row', () => {
    const row = serviceToHsdsRow({
      id: 's1',
      organizationId: 'o1',
      programId: null,
      name: 'A',
      alternateName: null,
      description: 'd',
      url: null,
      email: null,
      status: 'TEMPORARILY_CLOSED',
      interpretationServices: null,
      applicationProcess: null,
      feesDescription: null,
      eligibilityDescription: null,
      minimumAge: 3,
      maximumAge: null,
      updatedAt: new Date('2026-01-02T03:04:05Z'),
    });
    expect(row).toMatchObject({
      id: 's1',
      status: 'temporarily closed',
      minimum_age: '3',
      maximum_age: '',
      last_modified: '2026-01-02T03:04:05.000Z',
    });
  });
});
