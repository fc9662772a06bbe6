import { builder } from '../builder.ts';

builder.prismaObject('Program', {
  description: 'A group of related services of one organization (HSDS program).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id (HSDS program id when imported).' }),
    name: t.exposeString('name', { description: 'Program name.' }),
    alternateName: t.exposeString('alternateName', { nullable: true, description: 'Another name.' }),
    description: t.exposeString('description', { nullable: true, description: 'What the program does.' }),
    organization: t.relation('organization', { description: 'The organization that runs the program.' }),
    services: t.relation('services', {
      description: "The program's services.",
      query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
  }),
});

builder.prismaObject('Location', {
  description: 'A place where services are delivered (HSDS location with its physical address).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id (HSDS location id when imported).' }),
    locationType: t.exposeString('locationType', { description: 'HSDS location type: physical, postal or virtual.' }),
    name: t.exposeString('name', { nullable: true, description: 'Name of the place.' }),
    description: t.exposeString('description', { nullable: true, description: 'About the place.' }),
    transportation: t.exposeString('transportation', { nullable: true, description: 'How to get there.' }),
    latitude: t.exposeFloat('latitude', { nullable: true, description: 'WGS 84 latitude.' }),
    longitude: t.exposeFloat('longitude', { nullable: true, description: 'WGS 84 longitude.' }),
    address1: t.exposeString('address1', { nullable: true, description: 'Street address.' }),
    address2: t.exposeString('address2', { nullable: true, description: 'Second address line.' }),
    city: t.exposeString('city', { nullable: true, description: 'City.' }),
    stateProvince: t.exposeString('stateProvince', { nullable: true, description: 'State.' }),
    postalCode: t.exposeString('postalCode', { nullable: true, description: 'ZIP code.' }),
    organization: t.relation('organization', { nullable: true, description: 'The organization the place belongs to.' }),
  }),
});

builder.prismaObject('Schedule', {
  description: 'When a service is available (HSDS schedule; RFC 5545 recurrence fields).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id (HSDS schedule id when imported).' }),
    freq: t.exposeString('freq', { nullable: true, description: 'Recurrence frequency, e.g. WEEKLY.' }),
    byDay: t.exposeString('byDay', { nullable: true, description: 'Days, e.g. "MO,WE,FR".' }),
    opensAt: t.exposeString('opensAt', { nullable: true, description: 'Opening time, HH:MM:SS local time.' }),
    closesAt: t.exposeString('closesAt', { nullable: true, description: 'Closing time, HH:MM:SS local time.' }),
    validFrom: t.exposeString('validFrom', { nullable: true, description: 'First day the schedule applies.' }),
    validTo: t.exposeString('validTo', { nullable: true, description: 'Last day the schedule applies.' }),
    description: t.exposeString('description', { nullable: true, description: 'The schedule in words.' }),
    notes: t.exposeString('notes', { nullable: true, description: 'Exceptions and other notes.' }),
  }),
});
