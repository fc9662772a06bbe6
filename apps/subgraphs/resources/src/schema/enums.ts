import type { InputFieldBuilder } from '@pothos/core';
import { builder, type Types } from '../builder.ts';

/** The field builder of input tables (`inputFields<InputFields>()`, see @civic/graphql-kit/input-fields). */
export type InputFields = InputFieldBuilder<Types, 'InputObject'>;

export const OrganizationKind = builder.enumType('OrganizationKind', {
  description: 'What kind of organization provides a service. City departments are internal; all others external.',
  values: {
    CITY_DEPARTMENT: { description: 'A City of Durham department (internal resources).' },
    NONPROFIT: { description: 'A nonprofit partner.' },
    COUNTY_AGENCY: { description: 'A Durham County agency.' },
    FAITH_BASED: { description: 'A faith-based organization.' },
    BUSINESS: { description: 'A business.' },
    OTHER: { description: 'Any other organization.' },
  } as const,
});

export const ServiceStatus = builder.enumType('ServiceStatus', {
  description: 'HSDS service status.',
  values: {
    ACTIVE: { description: 'Delivered now (the only status matching suggests).' },
    INACTIVE: { description: 'Not delivered at the moment.' },
    DEFUNCT: { description: 'No longer exists.' },
    TEMPORARILY_CLOSED: { description: 'Closed for a while, expected to reopen.' },
  } as const,
});

export const DirectoryContentEntity = builder.enumType('DirectoryContentEntity', {
  description: 'The kinds of directory content that hold text in English and Spanish.',
  values: {
    ORGANIZATION: { description: 'An organization: name, alternateName, description.' },
    SERVICE: {
      description: 'A service: name, alternateName, description, eligibility, fees, applicationProcess.',
    },
  } as const,
});

export const ServiceAreaCoverage = builder.enumType('ServiceAreaCoverage', {
  description: 'How far a service’s area is known in Durham’s published neighborhoods.',
  values: {
    CITYWIDE: {
      description: 'All of the city (citywide, a drawn area holding every ward, Durham or the county named).',
    },
    NEIGHBORHOODS: { description: 'Some neighborhoods (listed, in the wards named, or by geometry).' },
    NONE: { description: 'No published neighborhood: a drawn area or list lying outside the city.' },
    UNKNOWN: {
      description:
        'An area given only in words that name no ward, neighborhood or the whole city: shown as given, counted nowhere.',
    },
  } as const,
});
