import { builder } from '../builder.ts';
import { sealConnectionCursors } from './cursors.ts';
// The order modules run in is the order of Query and Mutation fields in schema.graphql, the contract:
// alignment.ts comes first so that concern.ts (and before it citywide.ts and conversation.ts) run inside it.
import './scalars.ts';
import './neighborhood.ts';
import './follow.ts';
import './alignment.ts';
import './concern.ts';
import './reports.ts';
import './equity-rule.ts';
import './audit-log.ts';
import './imports.ts';
import './alignment-concern.ts';
import './webhook.ts';
import './dispute.ts';
import { nudgeAlignmentAfterMutations } from './alignment-groups.ts';

builder.queryType({});
builder.mutationType({});

export const schema = nudgeAlignmentAfterMutations(
  sealConnectionCursors(
    builder.toSubGraphSchema({
      linkUrl: 'https://specs.apollo.dev/federation/v2.9',
    }),
  ),
);
