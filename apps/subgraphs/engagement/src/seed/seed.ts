import type { SqlClient } from '@civic/db/connect';
import { LEGACY_NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import { stableId } from '@civic/reference-data/stable-id';
import type { Logger } from '@civic/server-kit/logger';
import type { SeedMode } from '@civic/server-kit/subgraph';
import { suggestThemes } from '@civic/taxonomy/themes';
import type { EngagementPrisma } from '../db.ts';
import { POLIS_ATTRIBUTION, POLIS_LICENSE, readPolisExport } from '../domain/polis.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { referenceFile, refreshReferenceNeighborhoods } from './reference.ts';

const POLIS = 'polis/american-assembly.bowling-green';
/** Demo conversations left as drafts, so the staff-only paths have something to show. */
export const DRAFT_SLUGS = new Set(['old-north-durham', 'forest-hills']);
const SEED_ACTOR = 'seed';

/**
 * `reference`: Durham's wards and 237 published neighborhoods with their boundaries and figures.
 * `demo` adds the real Bowling Green Polis export split into one conversation for each of the 12
 * demo-era neighborhood names (each filed under the published neighborhood it stands for; the
 * statements are Bowling Green's, placing them in Durham is for the demo only).
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

/** The demo conversations and concerns (the published neighborhoods must be in place). */
export async function seedDemo(prisma: EngagementPrisma, logger: Logger): Promise<void> {
  // The same reading (and checks) as `civic import polis`.
  const { summary, comments: statements } = readPolisExport(
    referenceFile(`${POLIS}/summary.csv`),
    referenceFile(`${POLIS}/comments.csv`),
  );
  const comments = [...statements].sort(
    (a, b) => a.timestamp.getTime() - b.timestamp.getTime() || Number(a.commentId) - Number(b.commentId),
  );

  const conversations: Prisma.ConversationCreateManyInput[] = [];
  const links: Prisma.ConversationNeighborhoodCreateManyInput[] = [];
  const concerns: (Prisma.ConcernCreateManyInput & { id: string; themes: string[] })[] = [];
  const perConversation = Math.ceil(comments.length / LEGACY_NEIGHBORHOODS.length);
  LEGACY_NEIGHBORHOODS.forEach((legacy, index) => {
    const chunk = comments.slice(index * perConversation, (index + 1) * perConversation);
    if (chunk.length === 0) return;
    // Titles, ids and source ids keep the demo-era name and slug, so ids stay what earlier versions stored.
    const n = { ...legacy, id: legacy.neighborhoodId };
    const id = stableId('conversation', `${POLIS}/${n.slug}`);
    const published = !DRAFT_SLUGS.has(n.slug);
    const heldOn = chunk[0]?.timestamp as Date;
    conversations.push({
      id,
      title: `${n.name} community conversation (Polis demo)`,
      heldOn,
      host: 'The American Assembly, via Polis (re-used as demo data)',
      languages: ['en'],
      format: 'ONLINE',
      participantCount: new Set(chunk.map((c) => c.authorId)).size,
      summary: `${summary.description ?? ''} Statements from the ${summary.topic || 'Polis'} conversation, shown here as demo data for ${n.name}.`,
      notes: 'Demo import: statements are from Bowling Green / Warren County, not from this neighborhood.',
      status: published ? 'PUBLISHED' : 'DRAFT',
      publishedAt: published ? heldOn : null,
      sourceKind: 'POLIS',
      sourceExternalId: `${POLIS}/${n.slug}`,
      sourceUrl: summary.url,
      sourceAttribution: POLIS_ATTRIBUTION,
      sourceLicense: POLIS_LICENSE,
      createdBy: SEED_ACTOR,
    });
    links.push({ conversationId: id, neighborhoodId: n.id });
    for (const c of chunk) {
      const body = c.body;
      concerns.push({
        id: stableId('polis-comment', `${POLIS}/${c.commentId}`),
        summary: body.length > 500 ? `${body.slice(0, 497)}…` : body,
        detail: body.length > 500 ? body : null,
        // Keyword guesses until the alignment worker tags the concern: automatic, so it may replace them.
        themes: suggestThemes(body),
        themeSource: suggestThemes(body).length > 0 ? 'AUTOMATIC' : null,
        language: 'en',
        moderation: c.moderation,
        published,
        supportCount: c.agrees,
        neighborhoodId: n.id,
        conversationId: id,
        sourceExternalId: c.commentId,
        createdAt: c.timestamp,
      });
    }
  });

  await prisma.$transaction(
    async (tx) => {
      await tx.conversation.createMany({ data: conversations });
      await tx.conversationNeighborhood.createMany({ data: links });
      // Hundreds of rows pass as one JSON parameter: far fewer bound values than createMany sends.
      const rows = JSON.stringify(concerns.map((c) => ({ ...c, themes: `{${(c.themes as string[]).join(',')}}` })));
      await tx.$executeRaw`
      INSERT INTO "Concern" ("id", "summary", "detail", "themes", "language", "moderation", "published",
        "supportCount", "neighborhoodId", "conversationId", "sourceExternalId", "createdAt", "updatedAt")
      SELECT "id", "summary", "detail", "themes"::text[], "language", "moderation"::"ModerationState", "published",
        "supportCount", "neighborhoodId", "conversationId", "sourceExternalId", "createdAt", "createdAt"
      FROM jsonb_to_recordset(${rows}::jsonb) AS x("id" text, "summary" text, "detail" text, "themes" text,
        "language" text, "moderation" text, "published" boolean, "supportCount" int, "neighborhoodId" text,
        "conversationId" text, "sourceExternalId" text, "createdAt" timestamp(3))`;
      await tx.$executeRaw`
      INSERT INTO "ConcernStatusChange" ("id", "concernId", "toStatus", "changedBy", "changedAt")
      SELECT gen_random_uuid()::text, "id", 'NEW', ${SEED_ACTOR}, "createdAt" FROM "Concern"`;
      await seedDemoResponses(tx, concerns);
      // Prisma's default 5 s expires on a loaded machine (seen at load average 30 on PostgreSQL).
    },
    { timeout: 60_000 },
  );
  logger.info('seeded engagement demo data', {
    conversations: conversations.length,
    concerns: concerns.length,
  });
}

/**
 * A few demo responses so the status history and the citywide list have something to show:
 * the three most supported public concerns go under review, and public concerns about
 * sidewalks are grouped citywide. No alignments: initiative and service ids belong to other
 * subgraphs, so aligning is left to staff.
 */
async function seedDemoResponses(
  tx: Prisma.TransactionClient,
  concerns: { id: string; summary: string; moderation?: string; published?: boolean; supportCount?: number }[],
) {
  const publicOnes = concerns.filter((c) => c.moderation === 'ACCEPTED' && c.published);
  const top = [...publicOnes]
    .sort((a, b) => (b.supportCount ?? 0) - (a.supportCount ?? 0) || a.id.localeCompare(b.id))
    .slice(0, 3);
  const reviewedAt = new Date('2018-03-01T15:00:00.000Z');
  await tx.concern.updateMany({ where: { id: { in: top.map((c) => c.id) } }, data: { status: 'UNDER_REVIEW' } });
  await tx.concernStatusChange.createMany({
    data: top.map((c) => ({
      concernId: c.id,
      fromStatus: 'NEW' as const,
      toStatus: 'UNDER_REVIEW' as const,
      publicNote: 'Demo response: city staff are reviewing this concern with the departments concerned.',
      changedBy: SEED_ACTOR,
      changedAt: reviewedAt,
    })),
  });
  const sidewalks = publicOnes.filter((c) => /\bsidewalks?\b/i.test(c.summary));
  if (sidewalks.length === 0) return;
  await tx.citywideConcern.create({
    data: {
      id: stableId('citywide-concern', 'sidewalks'),
      title: 'Sidewalks and safe walking routes (demo)',
      summary: 'Residents in several neighborhoods asked for sidewalks and safer places to walk.',
      themes: ['TRANSPORTATION', 'INFRASTRUCTURE'],
      createdBy: SEED_ACTOR,
      concerns: { connect: sidewalks.map((c) => ({ id: c.id })) },
    },
  });
}
