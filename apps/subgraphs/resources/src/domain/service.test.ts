import { NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { EMPTY_SERVICE, parseService, type ServiceValues } from './service.ts';

const valid: ServiceValues = { ...EMPTY_SERVICE, name: 'Urgent Repair' };

function problemsOf(values: Partial<ServiceValues>, kind: 'CITY_DEPARTMENT' | 'NONPROFIT' = 'NONPROFIT') {
  try {
    parseService({ ...valid, ...values }, kind);
  } catch (error) {
    const graphqlError = error as GraphQLError;
    expect(graphqlError.extensions.code).toBe('BAD_USER_INPUT');
    expect(graphqlError.message).toBe('The service is not valid');
    return graphqlError.extensions.problems as { field: string; message: string }[];
  }
  return [];
}

describe('parseService', () => {
  it('accepts a valid service and trims its name', () => {
    expect(parseService({ ...valid, name: '  Urgent Repair ' }, 'NONPROFIT')).toEqual(valid);
  });

  it('names each problem by its stored field, list items by index', () => {
    expect(
      problemsOf({
        name: '   ',
        feesDescription: 'x'.repeat(4001),
        email: 'nobody',
        url: 'ftp://x',
        minimumAge: -1,
        languages: ['en', 'Spanish!'],
        serviceWards: [2, 4],
        serviceNeighborhoodIds: ['atlantis'],
        serviceAreaGeoJson: { type: 'Point', coordinates: [-78.9, 35.99] },
        annualBudget: -1,
        fiscalYear: 1999,
      }),
    ).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'A service needs a name' },
        { field: 'feesDescription', message: 'At most 4000 characters' },
        { field: 'email', message: 'Not an email address' },
        { field: 'url', message: 'A URL starts with http:// or https://' },
        { field: 'minimumAge', message: 'An age is between 0 and 130' },
        { field: 'languages[1]', message: '"Spanish!" is not a BCP-47 language tag such as "en" or "es"' },
        { field: 'serviceWards[1]', message: 'Durham has council wards 1, 2 and 3' },
        { field: 'serviceNeighborhoodIds[0]', message: 'Unknown neighborhood atlantis' },
        {
          field: 'serviceAreaGeoJson',
          message: 'the value must be a Polygon, MultiPolygon, Feature or FeatureCollection (got Point)',
        },
        { field: 'annualBudget', message: 'A budget is not negative' },
        { field: 'annualBudget', message: 'Only internal (city department) services carry a budget' },
        { field: 'fiscalYear', message: 'A fiscal year such as 2026' },
      ]),
    );
  });

  it('checks rules across fields and the organization', () => {
    expect(problemsOf({ minimumAge: 30, maximumAge: 20 })).toEqual([
      { field: 'maximumAge', message: 'The maximum age is below the minimum age' },
    ]);
    expect(problemsOf({ annualBudget: 1000 })).toEqual([
      { field: 'annualBudget', message: 'Only internal (city department) services carry a budget' },
    ]);
    expect(problemsOf({ annualBudget: 1000, fiscalYear: 2026 }, 'CITY_DEPARTMENT')).toEqual([]);
    expect(problemsOf({ serviceNeighborhoodIds: [NEIGHBORHOODS[0]?.id as string] })).toEqual([]);
  });
});
