import { buildSimilarityIndex, proposeGroups } from '@civic/alignment/similarity';
import { concernLanguage } from '@civic/alignment/text';
import { createThemeTagger, type ThemeTagger } from '@civic/alignment/themes';
import { translate } from '@civic/alignment/translate';
import type { Language, SimilarMatch, ThemeExample } from '@civic/alignment/types';
import type { Database, SqlClient } from '@civic/db/connect';
import { type JobQueue, setUpOrStop, startJobQueue } from '@civic/jobs/queue';
import { entityTags, recordInvalidation } from '@civic/server-kit/invalidations';
import type { Logger } from '@civic/server-kit/logger';
import { fullText, isEnglish } from './alignment-text.ts';

/**
 * The engagement side of the alignment engine, run from the durable job queue in the subgraph's
 * own process or in a process of its own (alignment-process.ts). Every concern write marks the concern pending (a trigger, in the writer's
 * transaction); a `sweep` job translates and tags the marked concerns, then a `regroup` job
 * recomputes same-issue neighbours and proposed citywide groups. A `rebuild` job redoes everything.
 */

export const JOBS = { sweep: 'alignment-sweep', regroup: 'alignment-regroup', rebuild: 'alignment-rebuild' } as const;

/** Same-issue neighbours kept per concern (the most `similarConcerns` returns). */
export const NEIGHBORS_KEPT = 10;
const BATCH = 250;

export interface AlignmentRuntime {
  queue: JobQueue;
  /** Asks the worker to look at pending concerns, if there are any (one waiting sweep at most). */
  nudge(): Promise<void>;
  requestRebuild(requestedBy: string): Promise<string>;
  stop(): Promise<void>;
}

const runtimes = new WeakMap<object, AlignmentRuntime>();

/** The worker running over this Prisma client, if any (tests without one just leave concerns pending). */
export function alignmentRuntime(prisma: object): AlignmentRuntime | undefined {
  return runtimes.get(prisma);
}

interface ConcernRow {
  id: string;
  summary: string;
  detail: string | null;
  language: string;
  englishText: string | null;
  themes: string[];
  themeSource: 'STAFF' | 'AUTOMATIC' | null;
  pending: string | null;
}

const CONCERN_COLUMNS = `"id", "summary", "detail", "language", "englishText", "themes", "themeSource"::text AS "themeSource",
  to_char("alignmentPendingSince", 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS "pending"`;

export async function startAlignmentWorker(
  prisma: object,
  database: Database,
  logger: Logger,
  /** `work: false`: this process only sends jobs; another (the engine's own process) works them. */
  options: { pollingIntervalSeconds?: number; work?: boolean } = {},
): Promise<AlignmentRuntime> {
  const sql = database.sql;
  const queue = await startJobQueue(database, {
    schema: 'engagement_jobs',
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
    queues: {
      [JOBS.sweep]: { policy: 'short' },
      [JOBS.regroup]: { policy: 'short' },
      [JOBS.rebuild]: { policy: 'short' },
    },
  });
  return setUpOrStop(queue, async () => {
    await sql.exec('CREATE TABLE IF NOT EXISTS "_civic_meta" ("key" TEXT PRIMARY KEY, "value" TEXT NOT NULL)');
    // Every mutation nudges, including those that write no concern (a follow, a partner event forwarded by
    // another subgraph): only a concern marked pending gives a sweep something to do.
    const nudge = async () => {
      const [found] = await sql.query<{ pending: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM "Concern" WHERE "alignmentPendingSince" IS NOT NULL) AS "pending"`,
      );
      if (found?.pending) await queue.send(JOBS.sweep, {}, { singletonKey: 'sweep' });
    };

    if (options.work !== false) {
      await queue.work(JOBS.sweep, async () => {
        const processed = await sweep(sql, logger);
        if (processed > 0) await queue.send(JOBS.regroup, {}, { singletonKey: 'regroup' });
      });
      await queue.work(JOBS.regroup, async () => {
        await regroup(sql);
      });
      await queue.work<{ rebuildId: string }>(JOBS.rebuild, async (job) => {
        await rebuild(sql, job.data.rebuildId, logger);
      });
    }

    const runtime: AlignmentRuntime = {
      queue,
      nudge,
      async requestRebuild(requestedBy) {
        const [row] = await sql.query<{ id: string }>(
          `INSERT INTO "AlignmentRebuild" ("id", "requestedBy", "requestedAt")
         VALUES (gen_random_uuid()::text, $1, now() AT TIME ZONE 'UTC') RETURNING "id"`,
          [requestedBy],
        );
        const id = (row as { id: string }).id;
        await queue.send(JOBS.rebuild, { rebuildId: id }, { singletonKey: id });
        return id;
      },
      async stop() {
        runtimes.delete(prisma);
        await queue.stop();
      },
    };
    // Whatever was written while no worker ran (or before a crash) is caught up now.
    await nudge();
    runtimes.set(prisma, runtime);
    return runtime;
  });
}

/** Staff-tagged concerns are what the tagger learns from. */
async function staffExamples(sql: SqlClient): Promise<ThemeExample[]> {
  const rows = await sql.query<ConcernRow>(
    `SELECT ${CONCERN_COLUMNS} FROM "Concern" WHERE "themeSource" = 'STAFF' AND cardinality("themes") > 0`,
  );
  return rows.map((r) => ({
    text: r.englishText && !isEnglish(r) ? `${fullText(r)}\n${r.englishText}` : fullText(r),
    language: concernLanguage(r),
    themes: r.themes,
  }));
}

/** Translates the non-English concerns that have no English text yet; returns them with it. */
async function withEnglish(rows: ConcernRow[]): Promise<ConcernRow[]> {
  const missing = rows.filter((r) => !isEnglish(r) && !r.englishText && concernLanguage(r) !== 'en');
  const byLanguage = new Map<Language, ConcernRow[]>();
  for (const r of missing) {
    const language = concernLanguage(r);
    byLanguage.set(language, [...(byLanguage.get(language) ?? []), r]);
  }
  for (const [language, group] of byLanguage) {
    const translated = await translate(
      group.map((r) => fullText(r)),
      language,
      'en',
    );
    group.forEach((r, i) => {
      r.englishText = translated[i] ?? null;
    });
  }
  return rows;
}

interface Outcome {
  id: string;
  pending: string | null;
  englishText: string | null;
  /** Absent for staff-tagged concerns: their themes are never written here. */
  tags?: { themes: string[]; confidence: Record<string, number> };
}

function outcomes(rows: ConcernRow[], tagger: ThemeTagger): Outcome[] {
  return rows.map((r) => {
    const outcome: Outcome = { id: r.id, pending: r.pending, englishText: isEnglish(r) ? null : r.englishText };
    if (r.themeSource !== 'STAFF') {
      const tags = tagger.tag({
        summary: r.summary,
        detail: r.detail,
        language: r.language,
        englishText: r.englishText,
      });
      outcome.tags = {
        themes: tags.map((t) => t.code),
        confidence: Object.fromEntries(tags.map((t) => [t.code, Math.round(t.confidence * 1000) / 1000])),
      };
    }
    return outcome;
  });
}

/**
 * Writes a batch in one statement. A concern changed since it was read (its pending mark moved)
 * is left for the next sweep; one that staff tagged meanwhile keeps its tags.
 */
async function store(sql: SqlClient, batch: Outcome[], onlyIfPendingUnchanged: boolean): Promise<void> {
  if (batch.length === 0) return;
  const rows = JSON.stringify(
    batch.map((o) => ({
      id: o.id,
      pending: o.pending,
      englishText: o.englishText,
      tagged: o.tags !== undefined,
      themes: o.tags ? `{${o.tags.themes.map((t) => `"${t}"`).join(',')}}` : null,
      confidence: o.tags?.confidence ?? null,
    })),
  );
  const pendingTest = onlyIfPendingUnchanged
    ? `AND c."alignmentPendingSince" IS NOT DISTINCT FROM x."pending"::timestamp(3)`
    : '';
  await sql.transaction(async (tx) => {
    const changed = await tx.query<{ id: string }>(
      `UPDATE "Concern" AS c SET
       "englishText" = coalesce(x."englishText", c."englishText"),
       "themes" = CASE WHEN x."tagged" AND c."themeSource" IS DISTINCT FROM 'STAFF' THEN x."themes"::text[] ELSE c."themes" END,
       "themeConfidence" = CASE WHEN x."tagged" AND c."themeSource" IS DISTINCT FROM 'STAFF' THEN x."confidence" ELSE c."themeConfidence" END,
       "themeSource" = CASE WHEN x."tagged" AND c."themeSource" IS DISTINCT FROM 'STAFF'
         THEN (CASE WHEN cardinality(x."themes"::text[]) > 0 THEN 'AUTOMATIC' END)::"ThemeSource" ELSE c."themeSource" END,
       "alignmentPendingSince" = CASE WHEN c."alignmentPendingSince" IS NOT DISTINCT FROM x."pending"::timestamp(3)
         THEN NULL ELSE c."alignmentPendingSince" END
     FROM jsonb_to_recordset($1::jsonb) AS x("id" text, "pending" text, "englishText" text, "tagged" boolean,
       "themes" text, "confidence" jsonb)
     WHERE c."id" = x."id" ${pendingTest}
     RETURNING c."id"`,
      [rows],
    );
    // The public concern pages and lists show the themes (and English text) written here.
    await recordInvalidation(
      tx,
      entityTags(
        'Concern',
        changed.map((r) => r.id),
      ),
    );
  });
}

/** Translates and tags the pending concerns; returns how many it looked at. */
export async function sweep(sql: SqlClient, logger: Logger): Promise<number> {
  let tagger: ThemeTagger | undefined;
  let total = 0;
  const seen = new Set<string>();
  for (;;) {
    const rows = await sql.query<ConcernRow>(
      `SELECT ${CONCERN_COLUMNS} FROM "Concern" WHERE "alignmentPendingSince" IS NOT NULL
       ORDER BY "alignmentPendingSince", "id" LIMIT ${BATCH}`,
    );
    const fresh = rows.filter((r) => !seen.has(`${r.id}@${r.pending}`));
    if (fresh.length === 0) break;
    for (const r of fresh) seen.add(`${r.id}@${r.pending}`);
    tagger ??= createThemeTagger(await staffExamples(sql));
    await store(sql, outcomes(await withEnglish(fresh), tagger), true);
    total += fresh.length;
  }
  if (total > 0) logger.info('alignment: concerns tagged', { concerns: total });
  return total;
}

/** Same-issue neighbours of every concern, and the proposed groups; decided groups stay as decided. */
export async function regroup(sql: SqlClient): Promise<void> {
  const docs = await sql.query<ConcernRow>(
    `SELECT ${CONCERN_COLUMNS} FROM "Concern" WHERE "moderation" <> 'REJECTED' ORDER BY "id"`,
  );
  const index = buildSimilarityIndex(
    docs.map((d) => ({
      id: d.id,
      summary: d.summary,
      detail: d.detail,
      language: d.language,
      englishText: d.englishText,
    })),
  );
  const neighbors: { c: string; n: string; s: number }[] = [];
  const nearest = new Map<string, SimilarMatch[]>();
  for (const [i, d] of docs.entries()) {
    // This runs in the subgraph's own process: let requests in between.
    if (i % 200 === 199) await new Promise((resolve) => setImmediate(resolve));
    const found = index.nearest(d.id, NEIGHBORS_KEPT);
    nearest.set(d.id, found);
    for (const m of found) {
      if (m.id !== d.id) neighbors.push({ c: d.id, n: m.id, s: Math.round(m.score * 10_000) / 10_000 });
    }
  }
  // The groups read the same searches (their best 5) rather than searching every concern again.
  const groups = proposeGroups(index, nearest);
  await sql.transaction(async (tx) => {
    await tx.query(`DELETE FROM "ConcernNeighbor"`);
    for (let i = 0; i < neighbors.length; i += 5000) {
      await tx.query(
        `INSERT INTO "ConcernNeighbor" ("concernId", "neighborId", "score")
         SELECT x."c", x."n", x."s" FROM jsonb_to_recordset($1::jsonb) AS x("c" text, "n" text, "s" float8)`,
        [JSON.stringify(neighbors.slice(i, i + 5000))],
      );
    }
    // Engine-made proposals are replaced; decided groups and the halves of a split are kept.
    await tx.query(`DELETE FROM "ProposedGroup" WHERE "state" = 'PROPOSED' AND "id" NOT LIKE '%/split-%'`);
    await tx.query(
      `INSERT INTO "ProposedGroup" ("id", "memberIds", "representativeId", "cohesion", "state", "updatedAt")
       SELECT x."id", ARRAY(SELECT jsonb_array_elements_text(x."members")), x."rep", x."cohesion", 'PROPOSED',
         now() AT TIME ZONE 'UTC'
       FROM jsonb_to_recordset($1::jsonb) AS x("id" text, "members" jsonb, "rep" text, "cohesion" float8)
       ON CONFLICT ("id") DO NOTHING`,
      [
        JSON.stringify(
          groups.map((g) => ({ id: g.key, members: g.memberIds, rep: g.representativeId, cohesion: g.cohesion })),
        ),
      ],
    );
    await tx.query(
      `INSERT INTO "_civic_meta" ("key", "value") VALUES ('alignment_regrouped_at', $1)
       ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value"`,
      [new Date().toISOString()],
    );
    // Any concern's similar concerns may have changed: every answer that lists concerns.
    await recordInvalidation(tx, ['Concern', 'ProposedCitywideConcern']);
  });
}

/** Retranslates what is missing and retags every concern staff did not tag, with a tagger that learnt from today's staff tags. */
export async function rebuild(sql: SqlClient, rebuildId: string, logger: Logger): Promise<void> {
  const [{ total } = { total: 0 }] = await sql.query<{ total: number }>(
    `SELECT count(*)::int AS "total" FROM "Concern"`,
  );
  await sql.query(
    `UPDATE "AlignmentRebuild" SET "startedAt" = now() AT TIME ZONE 'UTC', "total" = $2, "done" = 0, "error" = NULL
     WHERE "id" = $1`,
    [rebuildId, total],
  );
  try {
    const tagger = createThemeTagger(await staffExamples(sql));
    let after = '';
    let done = 0;
    for (;;) {
      const rows = await sql.query<ConcernRow>(
        `SELECT ${CONCERN_COLUMNS} FROM "Concern" WHERE "id" > $1 ORDER BY "id" LIMIT ${BATCH}`,
        [after],
      );
      if (rows.length === 0) break;
      after = (rows.at(-1) as ConcernRow).id;
      await store(sql, outcomes(await withEnglish(rows), tagger), false);
      done += rows.length;
      await sql.query(`UPDATE "AlignmentRebuild" SET "done" = $2 WHERE "id" = $1`, [rebuildId, Math.min(done, total)]);
    }
    await regroup(sql);
    await sql.query(
      `UPDATE "AlignmentRebuild" SET "finishedAt" = now() AT TIME ZONE 'UTC', "done" = "total" WHERE "id" = $1`,
      [rebuildId],
    );
    logger.info('alignment: rebuilt', { concerns: done });
  } catch (error) {
    await sql.query(`UPDATE "AlignmentRebuild" SET "error" = $2 WHERE "id" = $1`, [
      rebuildId,
      error instanceof Error ? error.message : String(error),
    ]);
    throw error;
  }
}
