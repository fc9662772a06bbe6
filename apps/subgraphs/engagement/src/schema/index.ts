import { builder } from '../builder.ts';
import { sealConnectionCursors } from './cursors.ts';
import './scalars.ts';
import './neighborhood.ts';
import './concern.ts';
import './concern-queries.ts';
import './conversation.ts';
import './citywide.ts';
import './alignment.ts';
import './reports.ts';
import './equity-rule.ts';
import './audit-log.ts';
import './mutations.ts';
import './imports.ts';
import './alignment-concern.ts';
import { nudgeAlignmentAfterMutations } from './alignment-groups.ts';

builder.queryType({});
builder.mutationType({});

export const schema = nudgeAlignmentAfterMutations(
  sealConnectionCursors(
    builder.toSubGraphSchema({
      linkUrl: 'https://specs.apollo.dev/federation/v2.6',
    }),
  ),
);
