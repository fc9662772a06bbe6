import { HSDS_SCHEMAS, type HsdsSchema } from './schema/index.ts';
import { typedRow } from './validate.ts';

/** One exported table as the gateway returns it (`hsdsExport.tables`). */
export interface HsdsTableData {
  name: string;
  path: string;
  columns: string[];
  rows: string[][];
}

type Row = Record<string, string>;
type Tables = Map<string, Row[]>;

const refName = (ref: string | undefined) => ref?.replace(/^.*\//, '').replace(/\.json$/, '');

export function rowsOf(table: HsdsTableData): Row[] {
  return table.rows.map((values) => Object.fromEntries(table.columns.map((c, i) => [c, values[i] ?? ''])));
}

/**
 * A row with its related rows nested the way HSDS's compiled documents nest them: an array
 * property (`phones`, items `phone.json`) holds the rows of that table whose `<parent>_id` is
 * this row's id; an object property (`organization`, `organization.json`) holds the row whose
 * id is this row's `<table>_id`. Tables already on the path are not entered again, and tables
 * the export does not hold are left out.
 */
function nest(schema: HsdsSchema, row: Row, tables: Tables, path: string[], extra: Record<string, string> = {}) {
  const document: Record<string, unknown> = typedRow(schema, row);
  const properties = {
    ...Object.fromEntries(Object.entries(schema.properties).map(([k, p]) => [k, refName(p.items?.$ref ?? p.$ref)])),
    ...extra,
  };
  for (const [property, table] of Object.entries(properties)) {
    if (!table || path.includes(table)) continue;
    const childSchema = HSDS_SCHEMAS[table];
    const rows = tables.get(table);
    if (!childSchema || !rows) continue;
    const isArray = schema.properties[property]?.type === 'array' || property in extra;
    if (isArray) {
      document[property] = rows
        .filter((r) => r[`${schema.name}_id`] === row.id)
        .map((r) => nest(childSchema, r, tables, [...path, table]));
    } else {
      const target = rows.find((r) => r.id === row[`${table}_id`]);
      if (target) document[property] = nest(childSchema, target, tables, [...path, table]);
    }
  }
  return document;
}

export interface HsdsDocuments {
  services: Record<string, unknown>[];
  organizations: Record<string, unknown>[];
}

/** Compiled service and organization documents (HSDS `compiled/service.json`, `compiled/organization.json`). */
export function compileDocuments(tables: HsdsTableData[]): HsdsDocuments {
  const byName: Tables = new Map(tables.map((t) => [t.name, rowsOf(t)]));
  const service = HSDS_SCHEMAS.service as HsdsSchema;
  const organization = HSDS_SCHEMAS.organization as HsdsSchema;
  return {
    services: (byName.get('service') ?? []).map((row) => nest(service, row, byName, ['service'])),
    organizations: (byName.get('organization') ?? []).map((row) =>
      nest(organization, row, byName, ['organization'], { services: 'service' }),
    ),
  };
}

const TABLE_SCHEMA_TYPES = new Set([
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
  'date',
  'time',
  'datetime',
]);

export const PACKAGE_NAME = 'civic-graph-resources-hsds';

/** Frictionless tabular data package describing the CSV files, typed from the HSDS table schemas. */
export function datapackage(tables: HsdsTableData[], created: Date) {
  const held = new Set(tables.map((t) => t.name));
  return {
    name: PACKAGE_NAME,
    title: 'Civic Graph resource directory (HSDS 3.0)',
    profile: 'tabular-data-package',
    created: created.toISOString(),
    resources: tables.map((table) => {
      const schema = HSDS_SCHEMAS[table.name] as HsdsSchema;
      const required = new Set([...(schema.required ?? []), ...(schema.tabular_required ?? [])]);
      return {
        name: table.name,
        path: table.path,
        profile: 'tabular-data-resource',
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        schema: {
          fields: table.columns.map((column) => {
            const property = schema.properties[column];
            const type = property?.datapackage_type ?? property?.type ?? 'string';
            return {
              name: column,
              type: TABLE_SCHEMA_TYPES.has(type) ? type : 'string',
              ...(property?.format && ['uuid', 'uri', 'email'].includes(property.format)
                ? { format: property.format }
                : {}),
              constraints: { required: required.has(column), unique: property?.constraints?.unique ?? false },
            };
          }),
          primaryKey: 'id',
          foreignKeys: table.columns
            .filter((c) => c.endsWith('_id') && held.has(c.slice(0, -3)))
            .map((c) => ({ fields: c, reference: { resource: c.slice(0, -3), fields: 'id' } })),
        },
      };
    }),
  };
}
