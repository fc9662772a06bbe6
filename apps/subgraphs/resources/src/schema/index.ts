import { builder } from '../builder.ts';
import './scalars.ts';
import './enums.ts';
import './organization.ts';
import './place.ts';
import './change-record.ts';
import './service.ts';
import './area-coverage.ts';
import './initiative-links.ts';
import './matching.ts';
import './hsds.ts';
import './viewer.ts';
import './content.ts';

builder.queryType({});
builder.mutationType({});

export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.9',
});
