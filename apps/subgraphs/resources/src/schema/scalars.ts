import { THEMES, type ThemeCode } from '@civic/taxonomy/themes';
import { builder } from '../builder.ts';

builder.scalarType('DateTime', {
  description: 'An ISO-8601 date and time in UTC.',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError('DateTime must be an ISO-8601 string');
    return date;
  },
});

builder.scalarType('GeoJSON', {
  description: 'A GeoJSON object (RFC 7946).',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new TypeError('GeoJSON must be an object');
    }
    return value;
  },
});

export const Theme = builder.enumType('Theme', {
  description: 'A theme from the shared taxonomy.',
  values: Object.fromEntries(THEMES.map((t) => [t.code, { description: t.label.en }])) as Record<
    ThemeCode,
    { description: string }
  >,
});
