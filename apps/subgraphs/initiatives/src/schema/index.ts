import { builder } from '../builder.ts';
import './scalars.ts';
import './enums.ts';
import './goal.ts';
import './initiative.ts';
import './measure.ts';
import './suggestions.ts';
import './content.ts';

builder.queryType({});
builder.mutationType({});

export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.9',
});
