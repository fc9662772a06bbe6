import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import { HSDS_SCHEMAS, type HsdsSchema } from './schema/index.ts';

/**
 * Validation of HSDS 3.0 documents and CSV datapackages with Ajv. HSDS publishes its schemas
 * for OpenAPI 3.1, whose dialect is JSON Schema 2020-12, hence Ajv2020. The schemas carry
 * Table Schema annotations (`constraints`, `datapackage_type`, …) that are declared as
 * vocabulary so that Ajv's strict mode still catches anything else it does not know.
 */
const BASE = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/';
const ANNOTATIONS = [
  'name',
  'path',
  'constraints',
  'example',
  'core',
  'datapackage_metadata',
  'tabular_required',
  'datapackage_type',
];

export type DocumentKind = 'service' | 'organization';

export interface HsdsValidator {
  /** Problems of a compiled service or organization document, as "path: message"; empty when valid. */
  document(kind: DocumentKind, value: unknown): string[];
  /** Problems of one CSV row of a table (values as text), typed by the table's schema. */
  row(table: string, row: Record<string, string>): string[];
}

function messages(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'is not valid'}`);
}

function newAjv() {
  const ajv = new Ajv2020({ allErrors: true, strictTypes: false });
  addFormats(ajv);
  ajv.addVocabulary(ANNOTATIONS);
  return ajv;
}

/** A CSV row of a table as HSDS types it: numbers for number columns, nothing for empty cells. */
export function typedRow(schema: HsdsSchema, row: Record<string, string>): Record<string, unknown> {
  const typed: Record<string, unknown> = {};
  for (const [column, text] of Object.entries(row)) {
    if (text === '') continue;
    const type = schema.properties[column]?.type;
    if (type === 'number' || type === 'integer') typed[column] = Number.isFinite(Number(text)) ? Number(text) : text;
    else if (type === 'boolean') typed[column] = text === 'true' ? true : text === 'false' ? false : text;
    else typed[column] = text;
  }
  return typed;
}

/** The flat part of a table schema: what one CSV row must satisfy (`required` plus `tabular_required`). */
export function tabularSchema(schema: HsdsSchema): object {
  const properties = Object.fromEntries(
    Object.entries(schema.properties).filter(([, p]) => p.type !== 'array' && p.type !== 'object' && !p.$ref),
  );
  return {
    type: 'object',
    properties,
    required: [...new Set([...(schema.required ?? []), ...(schema.tabular_required ?? [])])],
  };
}

/**
 * By default documents are checked against the published table schemas, their `$ref`s resolved,
 * with `services` added to the organization document as in HSDS's compiled organization schema.
 * `documentSchemas` replaces them (e.g. the self-contained `compiled/*.json` files).
 */
export function createHsdsValidator(options: { documentSchemas?: Partial<Record<DocumentKind, object>> } = {}) {
  const ajv = newAjv();
  for (const [file, schema] of Object.entries(HSDS_SCHEMAS)) ajv.addSchema({ ...schema, $id: `${BASE}${file}.json` });
  const documents: Record<DocumentKind, ValidateFunction> = {
    service: ajv.compile(options.documentSchemas?.service ?? { $ref: `${BASE}service.json` }),
    organization: ajv.compile(
      options.documentSchemas?.organization ?? {
        $id: `${BASE}compiled/organization-document.json`,
        $ref: `${BASE}organization.json`,
        properties: { services: { type: 'array', items: { $ref: `${BASE}service.json` } } },
      },
    ),
  };
  const rows = new Map<string, ValidateFunction>();
  const validator: HsdsValidator = {
    document(kind, value) {
      const validate = documents[kind];
      return validate(value) ? [] : messages(validate.errors);
    },
    row(table, row) {
      const schema = HSDS_SCHEMAS[table];
      if (!schema) return [`no HSDS table "${table}"`];
      let validate = rows.get(table);
      if (!validate) {
        validate = ajv.compile(tabularSchema(schema));
        rows.set(table, validate);
      }
      return validate(typedRow(schema, row)) ? [] : messages(validate.errors);
    },
  };
  return validator;
}

interface DatapackageResource {
  name?: string;
  path?: string;
  profile?: string;
  schema?: {
    fields?: { name: string }[];
    primaryKey?: string | string[];
    foreignKeys?: { fields: string | string[]; reference: { resource: string; fields: string | string[] } }[];
  };
}

export interface DirectoryReport {
  problems: string[];
  rows: number;
  documents: number;
}

const one = (value: string | string[]) => (Array.isArray(value) ? value[0] : value) as string;

/**
 * Checks an exported HSDS directory: `datapackage.json` (a tabular data package whose resources
 * are HSDS tables at their HSDS paths, with the CSV's columns as fields), every CSV row against
 * its table schema, primary and foreign keys, and every `json/services/*.json` and
 * `json/organizations/*.json` document against the document schemas.
 */
export function validateHsdsDirectory(dir: string, validator: HsdsValidator = createHsdsValidator()): DirectoryReport {
  const problems: string[] = [];
  let rowCount = 0;
  let documents = 0;
  const packagePath = join(dir, 'datapackage.json');
  if (!existsSync(packagePath)) return { problems: ['datapackage.json is missing'], rows: 0, documents: 0 };
  let pkg: { profile?: string; resources?: DatapackageResource[] };
  try {
    pkg = JSON.parse(readFileSync(packagePath, 'utf8'));
  } catch (error) {
    return { problems: [`datapackage.json is not JSON: ${(error as Error).message}`], rows: 0, documents: 0 };
  }
  if (pkg.profile !== 'tabular-data-package') problems.push('datapackage.json: profile must be tabular-data-package');
  if (!Array.isArray(pkg.resources) || pkg.resources.length === 0) problems.push('datapackage.json: no resources');

  const tables = new Map<string, Record<string, string>[]>();
  for (const resource of pkg.resources ?? []) {
    const schema = resource.name ? HSDS_SCHEMAS[resource.name] : undefined;
    if (!schema) {
      problems.push(`datapackage.json: resource "${resource.name}" is not an HSDS table`);
      continue;
    }
    if (resource.path !== schema.path) {
      problems.push(`datapackage.json: resource ${schema.name} must be at ${schema.path}, not ${resource.path}`);
      continue;
    }
    if (resource.profile !== 'tabular-data-resource') {
      problems.push(`datapackage.json: resource ${schema.name}: profile must be tabular-data-resource`);
    }
    const file = join(dir, schema.path);
    if (!existsSync(file)) {
      problems.push(`${schema.path} is missing`);
      continue;
    }
    const records = parse(readFileSync(file, 'utf8'), { bom: true }) as string[][];
    const [header = [], ...body] = records;
    const fields = (resource.schema?.fields ?? []).map((f) => f.name);
    if (fields.join(',') !== header.join(',')) {
      problems.push(
        `${schema.path}: columns ${header.join(',')} differ from the datapackage fields ${fields.join(',')}`,
      );
    }
    for (const column of header) {
      if (!schema.properties[column])
        problems.push(`${schema.path}: column "${column}" is not an HSDS ${schema.name} field`);
    }
    const rows = body.map((values) => Object.fromEntries(header.map((h, i) => [h, values[i] ?? ''])));
    tables.set(schema.name, rows);
    const seen = new Set<string>();
    rows.forEach((row, index) => {
      rowCount++;
      for (const message of validator.row(schema.name, row)) {
        problems.push(`${schema.path} row ${index + 2}: ${message}`);
      }
      const key = row[one(resource.schema?.primaryKey ?? 'id')] ?? '';
      if (seen.has(key)) problems.push(`${schema.path} row ${index + 2}: duplicate id ${key}`);
      seen.add(key);
    });
  }
  for (const resource of pkg.resources ?? []) {
    for (const fk of resource.schema?.foreignKeys ?? []) {
      const target = tables.get(fk.reference.resource);
      if (!target) {
        problems.push(`datapackage.json: ${resource.name} refers to missing resource ${fk.reference.resource}`);
        continue;
      }
      const keys = new Set(target.map((r) => r[one(fk.reference.fields)]));
      (tables.get(resource.name ?? '') ?? []).forEach((row, index) => {
        const value = row[one(fk.fields)];
        if (value && !keys.has(value)) {
          problems.push(
            `${resource.path} row ${index + 2}: ${one(fk.fields)} ${value} is not in ${fk.reference.resource}`,
          );
        }
      });
    }
  }

  for (const [kind, folder] of [
    ['service', 'services'],
    ['organization', 'organizations'],
  ] as const) {
    const path = join(dir, 'json', folder);
    if (!existsSync(path)) continue;
    for (const file of readdirSync(path).filter((f) => f.endsWith('.json'))) {
      documents++;
      for (const message of validator.document(kind, JSON.parse(readFileSync(join(path, file), 'utf8')))) {
        problems.push(`json/${folder}/${file}: ${message}`);
      }
    }
  }
  return { problems, rows: rowCount, documents };
}
