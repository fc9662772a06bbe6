import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { compileDocuments, type HsdsTableData } from '../src/hsds/documents.ts';
import { HSDS_SCHEMAS } from '../src/hsds/schema/index.ts';
import { createHsdsValidator } from '../src/hsds/validate.ts';
import { HSDS_COMPILED_SCHEMAS, HSDS_SCHEMA_DIGESTS, hsdsExampleCsv } from './example-data.ts';

const compiledSchema = (name: string) => JSON.parse(readFileSync(join(HSDS_COMPILED_SCHEMAS, name), 'utf8'));

/** The official HSDS example as the tables the gateway would return. */
function exampleTables(): HsdsTableData[] {
  return Object.values(HSDS_SCHEMAS).flatMap((schema) => {
    const text = hsdsExampleCsv(schema.path);
    if (text === undefined) return [];
    const [columns = [], ...rows] = parse(text, { bom: true }) as string[][];
    return [{ name: schema.name, path: schema.path, columns, rows }];
  });
}

describe('HSDS schemas and validator', () => {
  test('the bundled schemas are the published ones', () => {
    for (const [file, digest] of Object.entries(HSDS_SCHEMA_DIGESTS)) {
      const bundled = JSON.stringify(HSDS_SCHEMAS[file.replace(/\.json$/, '')]);
      expect(createHash('sha256').update(bundled).digest('hex'), file).toBe(digest);
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
        service: compiledSchema('service.json'),
        organization: compiledSchema('organization.json'),
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
