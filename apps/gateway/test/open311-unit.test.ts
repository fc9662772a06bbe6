import { concernLocation } from '@civic/open-data/render';
import type { ConcernRecord } from '@civic/open-data/types';
import { describe, expect, test } from 'vitest';
import { GENERAL_SERVICE_CODE, open311Request, open311Services, parseRequestQuery } from '../src/open311.ts';
import { validateOpen311 } from './open311-schema.ts';

const DAY = 86_400_000;
const concern = (overrides: Partial<ConcernRecord>): ConcernRecord => ({
  id: 'c-1',
  summary: 'Streetlights out on Fayetteville Street',
  detail: null,
  themes: [],
  language: 'en',
  status: 'RECEIVED',
  supportCount: 1,
  mentionCount: 1,
  neighborhoodId: null,
  neighborhoodName: null,
  ward: null,
  point: null,
  conversationId: null,
  conversationTitle: null,
  citywideConcernId: null,
  citywideConcernTitle: null,
  cityResponse: null,
  statusHistory: [],
  createdAt: '2025-03-01T12:00:00.000Z',
  updatedAt: '2025-03-02T12:00:00.000Z',
  ...overrides,
});

describe('Open311 shapes', () => {
  test('a concern without themes gets the GENERAL service, never a null service_code', () => {
    const request = open311Request(concern({ themes: [] }), null);
    expect(request.service_code).toBe(GENERAL_SERVICE_CODE);
    expect(request.service_name).toBe('General concern');
    const validate = validateOpen311('request');
    expect(validate(request), JSON.stringify(validate.errors)).toBe(true);
    expect(open311Services().map((s) => s.service_code)).toContain(GENERAL_SERVICE_CODE);
  });

  test('services and requests match the GeoReport v2 schema, which refuses a null service_code', () => {
    const services = validateOpen311('services');
    expect(services(open311Services()), JSON.stringify(services.errors)).toBe(true);
    const request = open311Request(concern({ themes: ['HOUSING', 'HEALTH'], status: 'ADDRESSED' }), 'Fire');
    expect(request).toMatchObject({ service_code: 'HOUSING', service_name: 'Housing', status: 'closed' });
    const requests = validateOpen311('requests');
    expect(requests([request]), JSON.stringify(requests.errors)).toBe(true);
    expect(requests([{ ...request, service_code: null }])).toBe(false);
    expect(requests([{ ...request, requested_datetime: '2025-03-01' }])).toBe(false);
    expect(validateOpen311('errors')([{ code: 400, description: 'x' }])).toBe(true);
  });
});

describe('Open311 lat and long', () => {
  const square = {
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [-78.92, 35.98],
          [-78.9, 35.98],
          [-78.9, 36.0],
          [-78.92, 36.0],
          [-78.92, 35.98],
        ],
      ],
    ],
  };
  const areas = { neighborhoods: [{ id: 'n-1', boundary: square }], wards: [{ number: 1, boundary: null }] };

  test('a concern’s public point when it has one, else its neighborhood’s centroid, else null', () => {
    const pointed = concern({ neighborhoodId: 'n-1', point: [-78.916, 36.018] });
    expect(open311Request(pointed, null, concernLocation(pointed, areas))).toMatchObject({
      lat: 36.018,
      long: -78.916,
    });
    const placed = concern({ neighborhoodId: 'n-1' });
    expect(open311Request(placed, null, concernLocation(placed, areas))).toMatchObject({ lat: 35.99, long: -78.91 });
    const citywide = open311Request(concern({}), null, concernLocation(concern({}), areas));
    expect([citywide.lat, citywide.long]).toEqual([null, null]);
    const validate = validateOpen311('request');
    expect(
      validate(open311Request(pointed, null, concernLocation(pointed, areas))),
      JSON.stringify(validate.errors),
    ).toBe(true);
  });
});

describe('Open311 default window', () => {
  const now = Date.parse('2026-12-01T00:00:00Z');

  test('without dates it is the 90 days up to the newest request, not up to today', () => {
    const newest = Date.parse('2025-06-30T00:00:00Z');
    const query = parseRequestQuery(new URLSearchParams(), now, newest);
    expect(query.to).toBe(newest);
    expect(query.from).toBe(newest - 90 * DAY);
  });

  test('never ends after today, and falls back to today without data', () => {
    expect(parseRequestQuery(new URLSearchParams(), now, now + DAY).to).toBe(now);
    expect(parseRequestQuery(new URLSearchParams(), now).to).toBe(now);
  });

  test('explicit dates are unchanged', () => {
    const query = parseRequestQuery(new URLSearchParams('start_date=2025-01-01T00:00:00Z'), now, now);
    expect(query.from).toBe(Date.parse('2025-01-01T00:00:00Z'));
    expect(query.to).toBe(Date.parse('2025-01-01T00:00:00Z') + 90 * DAY);
  });

  test('service_code=GENERAL is a known filter', () => {
    expect(parseRequestQuery(new URLSearchParams('service_code=GENERAL'), now).codes).toEqual(['GENERAL']);
  });
});
