import { DateTimeScalar } from '@civic/graphql-kit/scalars';
import { THEMES, type ThemeCode } from '@civic/taxonomy/themes';
import { builder } from '../builder.ts';

builder.addScalarType('DateTime', DateTimeScalar);

export const Theme = builder.enumType('Theme', {
  description: 'A theme from the shared taxonomy.',
  values: Object.fromEntries(THEMES.map((t) => [t.code, { description: t.label.en }])) as Record<
    ThemeCode,
    { description: string }
  >,
});

/** A city department or partner; owned by the resources subgraph and reached here only by key. */
export const Organization = builder.externalRef('Organization', builder.selection<{ id: string }>('id')).implement({
  description: 'A city department or partner organization (owned by the resources subgraph).',
  externalFields: (t) => ({ id: t.id({ description: 'The organization id.' }) }),
});
