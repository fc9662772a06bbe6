import { builder } from '../builder.ts';
import './scalars.ts';
import './neighborhood.ts';
import './concern.ts';

builder.queryType({});

export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
});
