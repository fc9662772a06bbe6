import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { compileDocuments, type HsdsTableData } from '../src/hsds/documents.ts';
import { HSDS_SCHEMAS } from '../src/hsds/schema/index.ts';
import { createHsdsValidator } from '../src/hsds/validate.ts';

const HSDS = new URL('../../../../shared/data/hsds/', import.meta.url).pathname;
const json = (path: string) => JSON.parse(readFileSync(join(HSDS, path), 'utf8'));

/** The official HSDS example as the tables the gateway would return. */
function exampleTables(): HsdsTableData[] {
  return Object.values(HSDS_SCHEMAS).flatMap((schema) => {
    let text: string;
    try {
      text = readFileSync(join(HSDS, 'example-csv', schema.path), 'utf8');
    } catch {
      return [];
    }
    const [columns = [], ...rows] = parse(text, { bom: true }) as string[][];
    return [{ name: schema.name, path: schema.path, columns, rows }];
  });
}

describe('HSDS schemas and validator', () => {
  test('the bundled schemas are the published ones', () => {
    for (const file of readdirSync(join(HSDS, 'schema')).filter((f) => f.endsWith('.json') && f !== 'openapi.json')) {
      expect(HSDS_SCHEMAS[file.replace(/\.json$/, '')], file).toEqual(json(`schema/${file}`));
    }
  });

  test('documents compiled from the HSDS example pass both the bundled and the official compiled schemas', () => {
    const documents = compileDocuments(exampleTables());
    expect(documents.services).toHaveLength(1);
    const service = documents.services[0] as Record<string, unknown> & {
      organization: { id: string };
      service_at_locations: { location: { addresses: unknown[] } }[];
    };
    expect(service.organization.id).toBe('d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610');
    expect(service.service_at_locations[0]?.location.addresses).toHaveLength(1);
    const bundled = createHsdsValidator();
    const official = createHsdsValidator({
      documentSchemas: {
        service: json('schema/compiled/service.json'),
        organization: json('schema/compiled/organization.json'),
      },
    });
    for (const validator of [bundled, official]) {
      expect(validator.document('service', service)).toEqual([]);
      expect(validator.document('organization', documents.organizations[0])).toEqual([]);
      expect(validator.document('service', { ...service, status: 'open', minimum_age: 'twelve' })).toEqual([
        '/status: must be equal to one of the allowed values',
        '/minimum_age: must be number',
      ]);
    }
  });

  test('CSV rows are typed by their table schema and checked for required fields and formats', () => {
    const validator = createHsdsValidator();
    expect(
      validator.row('service', {
        id: 'ac148810-d857-441c-9679-408f346de14b',
        name: 'A',
        status: 'active',
        organization_id: 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610',
        minimum_age: '12',
      }),
    ).toEqual([]);
    expect(validator.row('service', { id: 'x', name: 'A', status: 'active', minimum_age: 'old' })).toEqual([
      "/: must have required property 'organization_id'",
      '/id: must match format "uuid"',
      '/minimum_age: must be number',
    ]);
  });
});
