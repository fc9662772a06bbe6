import { Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateTimeScalar, GeoJSONScalar, JSONScalar } from './scalars.ts';

describe('scalars', () => {
  it('DateTime is ISO-8601 in UTC both ways', () => {
    const at = new Date('2026-03-01T12:00:00Z');
    expect(DateTimeScalar.serialize(at)).toBe('2026-03-01T12:00:00.000Z');
    expect(DateTimeScalar.parseValue('2026-03-01T12:00:00Z')).toEqual(at);
    expect(DateTimeScalar.parseLiteral({ kind: Kind.STRING, value: '2026-03-01T12:00:00Z' })).toEqual(at);
    expect(() => DateTimeScalar.parseValue('not a date')).toThrow('DateTime must be an ISO-8601 string');
  });

  it('GeoJSON takes only an object', () => {
    const point = { type: 'Point', coordinates: [-78.9, 36] };
    expect(GeoJSONScalar.parseValue(point)).toBe(point);
    for (const bad of [null, [1, 2], 'Point'])
      expect(() => GeoJSONScalar.parseValue(bad)).toThrow('GeoJSON must be an object');
  });

  it('JSON passes any value through', () => {
    expect(JSONScalar.parseValue([1, { a: null }])).toEqual([1, { a: null }]);
    expect(JSONScalar.serialize('x')).toBe('x');
  });
});
