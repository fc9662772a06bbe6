import type { SqlClient } from '@civic/db/connect';
import { stableId } from '@civic/reference-data/stable-id';
import type { Identity } from '@civic/server-kit/identity';
import type { Logger } from '@civic/server-kit/logger';
import type { SeedMode } from '@civic/server-kit/subgraph';
import type { EngagementPrisma } from '../db.ts';
import { readConversationsCsv } from '../domain/conversations-csv.ts';
import { type ImportedConversation, importConversations } from '../domain/imports.ts';
import { neighborhoodLookup } from '../domain/neighborhood-names.ts';
import { polisConversation } from '../domain/polis.ts';
import { seedDemoAnswers } from './demo-answers.ts';
import {
  DEMO_CSV,
  DEMO_POLIS,
  DRAFT_KEYS,
  demoConcernId,
  demoConversationId,
  polisConcernId,
  SEED_ACTOR,
} from './demo-ids.ts';
import { referenceFile, refreshReferenceNeighborhoods } from './reference.ts';

export const DRAFT_NOTES =
  'Draft: the write-up waits for the youth facilitators to check the Spanish notes and the names of the schools.';
const SEED_IDENTITY: Identity = { role: 'ADMIN', subject: SEED_ACTOR, department: null, organization: null };

/**
 * `reference`: Durham's wards and 237 published neighborhoods with their boundaries and figures.
 * `demo` adds the demo city's conversations (see seedDemo).
 */
export async function seedEngagement(
  prisma: EngagementPrisma,
  sql: SqlClient,
  logger: Logger,
  mode: SeedMode,
): Promise<void> {
  await refreshReferenceNeighborhoods(sql, logger);
  if (mode === 'demo') await seedDemo(prisma, logger);
}

/** The demo's conversations, read and checked exactly as the staff imports read them, with stable ids. */
export async function demoConversations(prisma: EngagementPrisma): Promise<ImportedConversation[]> {
  const neighborhoods = await prisma.neighborhood.findMany({
    select: { id: true, name: true, nameEs: true, slug: true },
  });
  const durham = readConversationsCsv('concerns-dev.csv', referenceFile(DEMO_CSV), neighborhoodLookup(neighborhoods));
  for (const c of durham) {
    const key = c.input.source.externalId;
    c.id = demoConversationId(key);
    c.concernKeys = c.concernKeys.map((k, i) => ({
      ...k,
      id: demoConcernId(key, c.input.concerns[i]?.summary ?? k.key),
      // Said at the conversation (the template has no time per concern).
      createdAt: c.input.heldOn,
    }));
  }
  // `civic import polis` on the same export finds it already imported (same source id, the url's).
  const polis = polisConversation(
    referenceFile(`${DEMO_POLIS}/summary.csv`),
    referenceFile(`${DEMO_POLIS}/comments.csv`),
  );
  polis.id = stableId('conversation', DEMO_POLIS);
  polis.concernKeys = polis.concernKeys.map((k) => ({ ...k, id: polisConcernId(k.key) }));
  return [...durham, polis];
}

/**
 * The demo city: the 12 Durham conversations and 150 concerns (40 in Spanish) of
 * `alignment/concerns-dev.csv`, and the Bowling Green Polis export as a conversation from another
 * place (no Durham neighborhood), imported through the staff import path (same checks, neighborhood
 * names through the demo aliases, audit log). Themes are left to the alignment engine, as for any
 * import. Then a caseworker's answers and alignments on some concerns (demo-answers.ts). Idempotent:
 * a second run finds every conversation unchanged and answers nothing twice.
 */
export async function seedDemo(prisma: EngagementPrisma, logger: Logger): Promise<void> {
  const started = Date.now();
  const items = await demoConversations(prisma);
  const drafts = items.filter((c) => DRAFT_KEYS.has(c.input.source.externalId));
  const published = items.filter((c) => !DRAFT_KEYS.has(c.input.source.externalId));
  const results = [
    ...(await importConversations(prisma, SEED_IDENTITY, published, { publish: true, dryRun: false })),
    ...(await importConversations(prisma, SEED_IDENTITY, drafts, { publish: false, dryRun: false })),
  ];
  // Facilitator notes (staff only) on the draft, so the staff-only fields have something to show.
  await prisma.conversation.updateMany({
    where: { id: { in: drafts.map((c) => c.id as string) }, notes: null },
    data: { notes: DRAFT_NOTES },
  });
  const answers = await seedDemoAnswers(prisma);
  logger.info('seeded engagement demo data', {
    conversations: results.length,
    concerns: results.reduce((n, r) => n + r.concerns, 0),
    created: results.filter((r) => r.outcome === 'CREATED').length,
    ...answers,
    ms: Date.now() - started,
  });
}
