import { builder } from '../builder.ts';
import './scalars.ts';
import './organization.ts';
import './service.ts';

builder.queryType({});

export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
});
