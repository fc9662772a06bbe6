import { readFileSync } from 'node:fs';
import Ajv from 'ajv';

const SCHEMA_ID = 'https://civic-graph.example/schemas/open311-georeport-v2.schema.json';
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(
  JSON.parse(readFileSync(new URL('./standards/open311-georeport-v2.schema.json', import.meta.url), 'utf8')),
);

/** A validator for one GeoReport v2 response kind: discovery, services, requests, request, errors. */
export function validateOpen311(kind: 'discovery' | 'services' | 'service' | 'requests' | 'request' | 'errors') {
  const validate = ajv.getSchema(`${SCHEMA_ID}#/definitions/${kind}`);
  if (!validate) throw new Error(`no Open311 schema for ${kind}`);
  return validate;
}
