// HSDS 3.0 table schemas, copied from github.com/openreferral/specification `schema/` (CC BY-SA 4.0,
// Open Referral); see README.md beside them. Bundled into the CLI so validation needs no network.

import accessibility from './accessibility.json';
import address from './address.json';
import attribute from './attribute.json';
import contact from './contact.json';
import costOption from './cost_option.json';
import funding from './funding.json';
import language from './language.json';
import location from './location.json';
import metaTableDescription from './meta_table_description.json';
import metadata from './metadata.json';
import organization from './organization.json';
import organizationIdentifier from './organization_identifier.json';
import phone from './phone.json';
import program from './program.json';
import requiredDocument from './required_document.json';
import schedule from './schedule.json';
import service from './service.json';
import serviceArea from './service_area.json';
import serviceAtLocation from './service_at_location.json';
import taxonomy from './taxonomy.json';
import taxonomyTerm from './taxonomy_term.json';

/** Schema file name (without .json) → schema, as published. */
export const HSDS_SCHEMAS: Record<string, HsdsSchema> = {
  accessibility: accessibility as HsdsSchema,
  address: address as HsdsSchema,
  attribute: attribute as HsdsSchema,
  contact: contact as HsdsSchema,
  cost_option: costOption as HsdsSchema,
  funding: funding as HsdsSchema,
  language: language as HsdsSchema,
  location: location as HsdsSchema,
  meta_table_description: metaTableDescription as HsdsSchema,
  metadata: metadata as HsdsSchema,
  organization: organization as HsdsSchema,
  organization_identifier: organizationIdentifier as HsdsSchema,
  phone: phone as HsdsSchema,
  program: program as HsdsSchema,
  required_document: requiredDocument as HsdsSchema,
  schedule: schedule as HsdsSchema,
  service: service as HsdsSchema,
  service_area: serviceArea as HsdsSchema,
  service_at_location: serviceAtLocation as HsdsSchema,
  taxonomy: taxonomy as HsdsSchema,
  taxonomy_term: taxonomyTerm as HsdsSchema,
};

export interface HsdsProperty {
  name?: string;
  type?: string;
  format?: string;
  enum?: string[];
  $ref?: string;
  items?: { $ref?: string };
  datapackage_type?: string;
  constraints?: { unique?: boolean };
}

export interface HsdsSchema {
  name: string;
  path: string;
  properties: Record<string, HsdsProperty>;
  required?: string[];
  tabular_required?: string[];
}
