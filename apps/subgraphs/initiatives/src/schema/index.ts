import { builder } from '../builder.ts';
import './scalars.ts';
import './goal.ts';
import './initiative.ts';

builder.queryType({});

export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
});
