import { startJobQueue } from '@civic/jobs/queue';
import { createLogger } from '@civic/server-kit/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlignmentRuntime, JOBS, startAlignmentWorker } from '../src/domain/alignment-worker.ts';
import { admin, type Engagement, publicCaller, staff, startEngagement } from './helpers.ts';

const logger = createLogger('engagement', 'error');

// Staff-tagged rows (themes given), untagged rows, and the same issue in Spanish and in English.
const CSV = `conversationKey,conversationTitle,heldOn,format,host,conversationLanguages,participantCount,conversationSummary,conversationNeighborhoods,summary,detail,themes,language,neighborhood,supportCount,mentionCount,moderation
north-2026-10,North listening session,2026-10-14,IN_PERSON,Neighborhood Improvement Services,en;es,34,,,Rents keep rising and families are being evicted,,Economic opportunity,en,,12,3,ACCEPTED
north-2026-10,,,,,,,,,The streetlights on our block have been broken for months and the street is dark at night,,,en,,8,1,ACCEPTED
north-2026-10,,,,,,,,,Las luces de la calle están rotas y la calle está muy oscura por la noche,,,es,,5,1,ACCEPTED
north-2026-10,,,,,,,,,We need more buses on Sundays,,,en,,3,1,ACCEPTED
south-2026-09,South park walk,2026-09-20,IN_PERSON,Parks and Recreation,en,12,,,Broken street lights leave our street dark at night,,,en,,9,2,ACCEPTED
`;

const IMPORT = `mutation ($input: ImportConversationsCsvInput!) {
  importConversationsCsv(input: $input) { conversation { id concerns { id summary } } }
}`;
const STATUS = '{ alignmentStatus { pendingJobs pendingConcerns failedJobs workerRunning lastRebuildAt } }';

interface Row {
  id: string;
  summary: string;
  themes: string[];
  themeSource: string | null;
  themeConfidence: unknown;
  englishText: string | null;
  alignmentPendingSince: Date | null;
}

let sg: Engagement;
let worker: AlignmentRuntime | undefined;
type Imported = { id: string; concerns: { id: string; summary: string }[] };
let conversations: Imported[] = [];

async function rows(): Promise<Map<string, Row>> {
  const all = (await sg.prisma.concern.findMany()) as Row[];
  return new Map(all.map((r) => [r.summary, r]));
}

function byStart(map: Map<string, Row>, start: string): Row {
  const row = [...map.values()].find((r) => r.summary.startsWith(start));
  if (!row) throw new Error(`no concern starting "${start}"`);
  return row;
}

async function caughtUp(timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await sg.execute<{ alignmentStatus: { pendingJobs: number; pendingConcerns: number } }>(
      STATUS,
      {},
      staff,
    );
    expect(result.errors).toBeUndefined();
    const status = result.data?.alignmentStatus;
    if (status?.pendingJobs === 0 && status.pendingConcerns === 0) return;
    if (Date.now() > deadline) throw new Error(`alignment did not catch up: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  sg = await startEngagement(false);
});

afterAll(async () => {
  await worker?.stop();
  await sg?.stop();
});

describe('alignment pipeline', () => {
  it('an import returns before any tagging; the worker tags afterwards, keeping staff tags', async () => {
    const result = await sg.execute<{ importConversationsCsv: { conversation: Imported }[] }>(
      IMPORT,
      { input: { csv: CSV } },
      staff,
    );
    expect(result.errors).toBeUndefined();
    conversations = result.data?.importConversationsCsv.map((r) => r.conversation) ?? [];
    expect(conversations).toHaveLength(2);

    // No worker ran yet: the import stored the rows, marked pending, and nothing more.
    const before = await rows();
    expect(before.size).toBe(5);
    for (const row of before.values()) expect(row.alignmentPendingSince).not.toBeNull();
    const rents = byStart(before, 'Rents keep');
    expect(rents).toMatchObject({ themes: ['ECONOMIC_OPPORTUNITY'], themeSource: 'STAFF' });
    const lights = byStart(before, 'The streetlights');
    expect(lights).toMatchObject({ themes: [], themeSource: null });

    worker = await startAlignmentWorker(sg.prisma, sg.db, logger, { pollingIntervalSeconds: 0.5 });
    await caughtUp();

    const after = await rows();
    expect(byStart(after, 'Rents keep')).toMatchObject({
      themes: ['ECONOMIC_OPPORTUNITY'],
      themeSource: 'STAFF',
      themeConfidence: null,
    });
    const tagged = byStart(after, 'The streetlights');
    expect(tagged.themeSource).toBe('AUTOMATIC');
    expect(tagged.themes).toContain('INFRASTRUCTURE');
    expect(Object.keys(tagged.themeConfidence as Record<string, number>).sort()).toEqual([...tagged.themes].sort());
    const spanish = byStart(after, 'Las luces');
    expect(spanish.themeSource).toBe('AUTOMATIC');
    expect(spanish.themes).toContain('INFRASTRUCTURE');

    const api = await sg.execute<{
      concern: { englishText: string; englishTextSource: string; themeTags: { theme: string; source: string }[] };
    }>(
      'query ($id: ID!) { concern(id: $id) { englishText englishTextSource themeTags { theme confidence source } } }',
      { id: spanish.id },
      staff,
    );
    expect(api.errors).toBeUndefined();
    expect(api.data?.concern.englishTextSource).toBe('MACHINE_TRANSLATION');
    expect(api.data?.concern.englishText).toMatch(/light/i);
    expect(api.data?.concern.themeTags.every((t) => t.source === 'AUTOMATIC')).toBe(true);

    // The gateways' caches learn of it from the invalidations recorded with the writes.
    const recorded = await sg.db.sql.query<{ tags: string[] }>(
      `SELECT to_jsonb("tags") AS "tags" FROM "CacheInvalidation" ORDER BY "seq"`,
    );
    const tags = recorded.flatMap((r) => r.tags);
    for (const id of [tagged.id, spanish.id, byStart(after, 'Rents keep').id]) expect(tags).toContain(`Concern:${id}`);
    expect(recorded.at(-1)?.tags).toEqual(['Concern', 'ProposedCitywideConcern']);
  });

  it('a Spanish concern and its English paraphrase land in the same proposed group', async () => {
    const result = await sg.execute<{
      proposedCitywideConcerns: {
        id: string;
        size: number;
        statement: string;
        languages: string[];
        concerns: { summary: string }[];
      }[];
    }>('{ proposedCitywideConcerns { id size statement languages concerns { summary } } }', {}, staff);
    expect(result.errors).toBeUndefined();
    const groups = result.data?.proposedCitywideConcerns ?? [];
    const group = groups.find((g) => g.concerns.some((c) => c.summary.startsWith('Las luces')));
    expect(group, JSON.stringify(groups)).toBeDefined();
    expect(group?.concerns.map((c) => c.summary)).toContain('Broken street lights leave our street dark at night');
    expect(group?.concerns.map((c) => c.summary)).not.toContain('We need more buses on Sundays');
    expect(group?.languages).toEqual(['en', 'es']);
    expect(group?.concerns.map((c) => c.summary)).toContain(group?.statement);

    const publicResult = await sg.execute('{ proposedCitywideConcerns { id } }', {}, publicCaller);
    expect(publicResult.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('similarConcerns returns published concerns only, never the concern itself', async () => {
    // Publish the south conversation only; the north one (with the Spanish concern) stays a draft.
    const south = conversations.find((c) => c.concerns.some((x) => x.summary.startsWith('Broken street')));
    const north = conversations.find((c) => c !== south);
    const published = await sg.execute(
      'mutation ($id: ID!) { publishConversation(id: $id) { id } }',
      { id: south?.id },
      staff,
    );
    expect(published.errors).toBeUndefined();
    const southLight = south?.concerns[0]?.id as string;
    const spanish = north?.concerns.find((c) => c.summary.startsWith('Las luces'))?.id as string;
    const english = north?.concerns.find((c) => c.summary.startsWith('The streetlights'))?.id as string;

    // The unpublished paraphrases are stored neighbours, so only the visibility rule can keep them out.
    const stored = await sg.prisma.concernNeighbor.findMany({ where: { concernId: southLight } });
    expect(stored.map((n) => n.neighborId)).toEqual(expect.arrayContaining([spanish, english]));

    const query =
      'query ($id: ID!) { concern(id: $id) { similarConcerns(first: 10) { score concern { id published } } } }';
    for (const who of [staff, publicCaller]) {
      const result = await sg.execute<{
        concern: { similarConcerns: { concern: { id: string; published: boolean } }[] };
      }>(query, { id: southLight }, who);
      expect(result.errors).toBeUndefined();
      const similar = result.data?.concern?.similarConcerns ?? [];
      expect(similar.map((s) => s.concern.id)).not.toContain(southLight);
      expect(similar.every((s) => s.concern.published)).toBe(true);
      expect(similar.map((s) => s.concern.id)).not.toContain(spanish);
    }

    // From the unpublished side (staff may read it), the published paraphrase is found.
    const fromDraft = await sg.execute<{ concern: { similarConcerns: { score: number; concern: { id: string } }[] } }>(
      query,
      { id: spanish },
      staff,
    );
    expect(fromDraft.data?.concern.similarConcerns.map((s) => s.concern.id)).toEqual([southLight]);
    expect(fromDraft.data?.concern.similarConcerns[0]?.score).toBeGreaterThan(0);
  });

  it('staff tags survive a rebuild; a staff correction is never overwritten', async () => {
    const map = await rows();
    const buses = byStart(map, 'We need more buses');
    const corrected = await sg.prisma.concern.update({ where: { id: buses.id }, data: { themes: ['YOUTH'] } });
    expect(corrected.themeSource).toBe('STAFF');

    const rebuild = await sg.execute<{ rebuildAlignment: { id: string } }>(
      'mutation { rebuildAlignment { id total } }',
      {},
      admin,
    );
    expect(rebuild.errors).toBeUndefined();
    const refused = await sg.execute('mutation { rebuildAlignment { id } }', {}, staff);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await caughtUp();
    const status = await sg.execute<{
      alignmentStatus: { lastRebuildAt: string | null; rebuild: { done: number; total: number } };
    }>('{ alignmentStatus { lastRebuildAt rebuild { done total finishedAt } } }', {}, staff);
    expect(status.data?.alignmentStatus.lastRebuildAt).not.toBeNull();
    expect(status.data?.alignmentStatus.rebuild).toMatchObject({ done: 5, total: 5 });

    const after = await rows();
    expect(byStart(after, 'We need more buses')).toMatchObject({ themes: ['YOUTH'], themeSource: 'STAFF' });
    expect(byStart(after, 'Rents keep')).toMatchObject({ themes: ['ECONOMIC_OPPORTUNITY'], themeSource: 'STAFF' });
    expect(byStart(after, 'The streetlights').themeSource).toBe('AUTOMATIC');
  });

  it('a dismissed suggestion is excluded for that concern, and the dismissal is audited', async () => {
    const concern = byStart(await rows(), 'Rents keep');
    const result = await sg.execute<{ dismissSuggestion: { excludedSuggestionIds: string[] } }>(
      'mutation ($c: ID!, $s: ID) { dismissSuggestion(concernId: $c, serviceId: $s) { excludedSuggestionIds } }',
      { c: concern.id, s: 'svc-42' },
      staff,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.dismissSuggestion.excludedSuggestionIds).toEqual(['svc-42']);
    expect(await sg.prisma.auditEntry.count({ where: { action: 'suggestion.dismiss', entityId: { not: '' } } })).toBe(
      1,
    );
    const both = await sg.execute(
      'mutation ($c: ID!) { dismissSuggestion(concernId: $c, serviceId: "a", initiativeId: "b") { id } }',
      { c: concern.id },
      staff,
    );
    expect(both.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('splits a proposed group and accepts a half into a citywide concern, each in one step', async () => {
    const potholes = `conversationKey,conversationTitle,heldOn,format,host,conversationLanguages,participantCount,conversationSummary,conversationNeighborhoods,summary,detail,themes,language,neighborhood,supportCount,mentionCount,moderation
east-2026-08,East walk,2026-08-10,IN_PERSON,Public Works,en,9,,,Deep potholes on Main Street damage our cars,,,en,,4,1,ACCEPTED
east-2026-08,,,,,,,,,Main Street has deep potholes that damage cars,,,en,,2,1,ACCEPTED
east-2026-08,,,,,,,,,Hay baches profundos en la calle Main que dañan los carros,,,es,,1,1,ACCEPTED
`;
    const imported = await sg.execute(IMPORT, { input: { csv: potholes } }, staff);
    expect(imported.errors).toBeUndefined();
    await caughtUp();
    const list = await sg.execute<{
      proposedCitywideConcerns: { id: string; concerns: { id: string; summary: string }[] }[];
    }>('{ proposedCitywideConcerns { id concerns { id summary } } }', {}, staff);
    const group = list.data?.proposedCitywideConcerns.find((g) =>
      g.concerns.some((c) => c.summary.startsWith('Deep potholes')),
    );
    expect(group?.concerns).toHaveLength(3);
    const spanish = group?.concerns.find((c) => c.summary.startsWith('Hay baches'))?.id as string;
    const english = (group?.concerns ?? []).filter((c) => c.id !== spanish).map((c) => c.id);

    const split = await sg.execute<{ splitProposedCitywideConcern: { id: string; size: number }[] }>(
      'mutation ($id: ID!, $ids: [ID!]!) { splitProposedCitywideConcern(id: $id, concernIds: $ids) { id size } }',
      { id: group?.id, ids: english },
      staff,
    );
    expect(split.errors).toBeUndefined();
    const [half] = split.data?.splitProposedCitywideConcern ?? [];
    expect(split.data?.splitProposedCitywideConcern).toHaveLength(1);
    expect(half).toMatchObject({ id: `${group?.id}/split-1`, size: 2 });

    const accepted = await sg.execute<{
      acceptProposedCitywideConcern: { id: string; title: string; concerns: { id: string }[] };
    }>(
      'mutation ($id: ID!) { acceptProposedCitywideConcern(id: $id) { id title concerns { id } } }',
      { id: half?.id },
      staff,
    );
    expect(accepted.errors).toBeUndefined();
    const citywide = accepted.data?.acceptProposedCitywideConcern;
    expect(citywide?.concerns.map((c) => c.id).sort()).toEqual([...english].sort());
    expect([
      'Deep potholes on Main Street damage our cars',
      'Main Street has deep potholes that damage cars',
    ]).toContain(citywide?.title);
    expect(await sg.prisma.concern.count({ where: { id: spanish, citywideConcernId: null } })).toBe(1);
    expect(
      await sg.prisma.auditEntry.count({ where: { action: { in: ['proposedGroup.split', 'proposedGroup.accept'] } } }),
    ).toBe(2);

    await sg.execute('mutation { rebuildAlignment { id } }', {}, admin);
    await caughtUp();
    const after = await sg.execute<{ proposedCitywideConcerns: { id: string }[] }>(
      '{ proposedCitywideConcerns { id } }',
      {},
      staff,
    );
    const ids = after.data?.proposedCitywideConcerns.map((g) => g.id) ?? [];
    expect(ids).not.toContain(group?.id);
    expect(ids).not.toContain(half?.id);
  });

  it('a decided group is never proposed again', async () => {
    const list = async () =>
      (
        await sg.execute<{ proposedCitywideConcerns: { id: string }[] }>(
          '{ proposedCitywideConcerns { id } }',
          {},
          staff,
        )
      ).data?.proposedCitywideConcerns ?? [];
    const [group] = await list();
    expect(group).toBeDefined();
    const dismissed = await sg.execute(
      'mutation ($id: ID!) { dismissProposedCitywideConcern(id: $id) { id state } }',
      { id: group?.id },
      staff,
    );
    expect(dismissed.errors).toBeUndefined();
    const rebuild = await sg.execute('mutation { rebuildAlignment { id } }', {}, admin);
    expect(rebuild.errors).toBeUndefined();
    await caughtUp();
    expect((await list()).map((g) => g.id)).not.toContain(group?.id);
    const again = await sg.execute(
      'mutation ($id: ID!) { dismissProposedCitywideConcern(id: $id) { id } }',
      { id: group?.id },
      staff,
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('a job pending when the queue stops runs after a restart', async () => {
    await worker?.stop();
    worker = undefined;
    // A sweep queued while no worker runs (as a crash would leave it).
    const queue = await startJobQueue(sg.db, {
      schema: 'engagement_jobs',
      queues: { [JOBS.sweep]: { policy: 'short' } },
    });
    const jobId = await queue.send(JOBS.sweep, {}, { singletonKey: 'sweep' });
    expect(jobId).toBeTruthy();
    await queue.stop();
    await sg.prisma.concern.updateMany({
      where: { summary: { startsWith: 'We need more buses' } },
      data: { summary: 'We need more buses on Sundays and holidays' },
    });
    const state = async () =>
      (
        await sg.db.sql.query<{ state: string }>('SELECT state::text FROM engagement_jobs.job WHERE id = $1', [jobId])
      )[0]?.state;
    expect(await state()).toBe('created');

    worker = await startAlignmentWorker(sg.prisma, sg.db, logger, { pollingIntervalSeconds: 0.5 });
    await caughtUp();
    expect(await state()).toBe('completed');
    expect(byStart(await rows(), 'We need more buses on Sundays and holidays').alignmentPendingSince).toBeNull();
  });

  it('a nudge queues a sweep only when a concern is pending', async () => {
    await caughtUp();
    await worker?.stop();
    worker = undefined;
    // A process that only sends (as the subgraph does beside the engine's own process): nothing works its jobs.
    const sender = await startAlignmentWorker({}, sg.db, logger, { work: false });
    try {
      // Its start-up nudge and this one found nothing pending: a partner event or a follow queues no job.
      await sender.nudge();
      expect(await sender.queue.pending(JOBS.sweep)).toBe(0);
      await sg.prisma.concern.updateMany({
        where: { summary: { startsWith: 'We need more buses' } },
        data: { summary: 'We need more buses on Sundays' },
      });
      await sender.nudge();
      expect(await sender.queue.pending(JOBS.sweep)).toBe(1);
    } finally {
      await sender.stop();
    }
    worker = await startAlignmentWorker(sg.prisma, sg.db, logger, { pollingIntervalSeconds: 0.5 });
    await caughtUp();
  });
});
