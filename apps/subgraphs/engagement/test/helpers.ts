import { identities, startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { expect } from 'vitest';
import type { EngagementPrisma } from '../src/db.ts';
import { engagementSubgraph } from '../src/subgraph.ts';

export type Engagement = TestSubgraph<EngagementPrisma>;

export const staff = identities.staff('dept-neighborhood-improvement', 'staff-alice');
export const admin = identities.admin('admin-ann');
export const partner = identities.partner('org-partner', 'key-partner');
export const publicCaller = identities.public;

export function startEngagement(seed = true): Promise<Engagement> {
  return startTestSubgraph(engagementSubgraph, { seed });
}

export function startEngagementWith(seed: 'demo' | 'reference'): Promise<Engagement> {
  return startTestSubgraph(engagementSubgraph, { seed });
}

/** Row counts of every table: a refused write must leave them all unchanged. */
export async function tableCounts(sg: Engagement): Promise<Record<string, number>> {
  const p = sg.prisma;
  const [conversations, links, concerns, history, citywide, alignments, audit] = await Promise.all([
    p.conversation.count(),
    p.conversationNeighborhood.count(),
    p.concern.count(),
    p.concernStatusChange.count(),
    p.citywideConcern.count(),
    p.alignment.count(),
    p.auditEntry.count(),
  ]);
  return { conversations, links, concerns, history, citywide, alignments, audit };
}

export function errorCode(result: { errors?: { extensions?: Record<string, unknown> }[] }): unknown {
  expect(result.errors, 'expected an error').toBeDefined();
  return result.errors?.[0]?.extensions?.code;
}
