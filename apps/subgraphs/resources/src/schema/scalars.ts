import { DateTimeScalar, GeoJSONScalar } from '@civic/graphql-kit/scalars';
import { THEMES, type ThemeCode } from '@civic/taxonomy/themes';
import { builder } from '../builder.ts';

builder.addScalarType('DateTime', DateTimeScalar);
builder.addScalarType('GeoJSON', GeoJSONScalar);

export const Theme = builder.enumType('Theme', {
  description: 'A theme from the shared taxonomy.',
  values: Object.fromEntries(THEMES.map((t) => [t.code, { description: t.label.en }])) as Record<
    ThemeCode,
    { description: string }
  >,
});
