import { GraphQLScalarType } from 'graphql';

/** The Scalars type parameters of the shared scalars; a builder lists the ones its schema uses. */
export type SharedScalars = {
  ID: { Input: string; Output: string };
  DateTime: { Input: Date; Output: Date };
  GeoJSON: { Input: Record<string, unknown>; Output: unknown };
  JSON: { Input: unknown; Output: unknown };
};

/** Add with `builder.addScalarType('DateTime', DateTimeScalar)`. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO-8601 date and time in UTC.',
  serialize: (value) => (value as Date).toISOString(),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError('DateTime must be an ISO-8601 string');
    return date;
  },
});

export const GeoJSONScalar = new GraphQLScalarType<Record<string, unknown>, unknown>({
  name: 'GeoJSON',
  description: 'A GeoJSON object (RFC 7946).',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new TypeError('GeoJSON must be an object');
    }
    return value as Record<string, unknown>;
  },
});

export const JSONScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description: 'Any JSON value (audit snapshots).',
  serialize: (value) => value,
  parseValue: (value) => value,
});
