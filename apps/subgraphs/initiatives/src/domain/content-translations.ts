import { createHash } from 'node:crypto';
import { translate } from '@civic/alignment/translate';
import type { Database } from '@civic/db/connect';
import { type JobQueue, setUpOrStop, startJobQueue } from '@civic/jobs/queue';
import { badInput } from '@civic/server-kit/errors';
import { changedInPlace, recordInvalidation } from '@civic/server-kit/invalidations';
import type { Logger } from '@civic/server-kit/logger';
import DataLoader from 'dataloader';
import type { InitiativesPrisma } from '../db.ts';
import type { ContentTranslation } from '../generated/prisma/client.ts';

/**
 * Plan content in English and Spanish, field by field (README, "Content in English and Spanish").
 * The columns of Goal, Objective, Initiative, Measure and Observation hold the text as entered, in ORIGINAL_LANGUAGE;
 * ContentTranslation holds the other language's version of each field, written by staff or by apertium
 * in the background (the durable job queue), with the hash of the original it was made from.
 */

export type ContentLanguage = 'en' | 'es';
export const CONTENT_LANGUAGES: readonly ContentLanguage[] = ['en', 'es'];
/** The plan is published, and entered, in English. */
export const ORIGINAL_LANGUAGE: ContentLanguage = 'en';

export const CONTENT_FIELDS = {
  GOAL: ['title', 'statement', 'whyItMatters'],
  OBJECTIVE: ['title'],
  INITIATIVE: ['title', 'description', 'whyItMatters', 'whatWeHaveBeenDoing', 'whatsNext'],
  MEASURE: ['name', 'targetLabel', 'unit', 'note'],
  OBSERVATION: ['label', 'note'],
} as const;
export type ContentEntity = keyof typeof CONTENT_FIELDS;
export const CONTENT_ENTITIES = Object.keys(CONTENT_FIELDS) as ContentEntity[];

export function sourceHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** "es", "ES", "es-US" → "es"; another language is a BAD_USER_INPUT error naming the argument. */
export function contentLanguage(value: string, field = 'language'): ContentLanguage {
  const primary = value.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === 'en' || primary === 'es') return primary;
  throw badInput(`Content is available in English ("en") and Spanish ("es"), not "${value}"`, [
    { field, message: 'Use "en" or "es"' },
  ]);
}

type Originals = { id: string; fields: Record<string, string | null> }[];

async function loadOriginals(prisma: InitiativesPrisma, entity: ContentEntity, ids?: string[]): Promise<Originals> {
  const where = ids ? { id: { in: ids } } : {};
  const pick = (row: Record<string, unknown>) => ({
    id: row.id as string,
    fields: Object.fromEntries(CONTENT_FIELDS[entity].map((f) => [f, (row[f] as string | null) ?? null])),
  });
  switch (entity) {
    case 'GOAL':
      // The API calls the `why` column whyItMatters; translations are kept under the API's field names.
      return (await prisma.goal.findMany({ where, select: { id: true, title: true, statement: true, why: true } })).map(
        ({ why, ...goal }) => pick({ ...goal, whyItMatters: why }),
      );
    case 'OBJECTIVE':
      return (await prisma.objective.findMany({ where, select: { id: true, title: true } })).map(pick);
    case 'INITIATIVE':
      return (
        await prisma.initiative.findMany({
          where,
          select: {
            id: true,
            title: true,
            description: true,
            whyItMatters: true,
            whatWeHaveBeenDoing: true,
            whatsNext: true,
          },
        })
      ).map(pick);
    case 'MEASURE':
      return (
        await prisma.measure.findMany({
          where,
          select: { id: true, name: true, targetLabel: true, unit: true, note: true },
        })
      ).map(pick);
    case 'OBSERVATION':
      return (await prisma.observation.findMany({ where, select: { id: true, label: true, note: true } })).map(pick);
  }
}

/** Texts per apertium subprocess. */
const BATCH = 200;

/**
 * Machine-translates every field whose other-language version is missing or was made from an older
 * original. A staff version is never touched. Where the translator is absent (or fails on a text),
 * a stale machine version is removed so the original shows, labelled, rather than an outdated text.
 */
export async function translateContent(
  prisma: InitiativesPrisma,
  entity: ContentEntity,
  ids?: string[],
): Promise<{ translated: number; untranslated: number }> {
  const from = ORIGINAL_LANGUAGE;
  const to: ContentLanguage = from === 'en' ? 'es' : 'en';
  const originals = await loadOriginals(prisma, entity, ids);
  const existing = await prisma.contentTranslation.findMany({
    where: { entity, language: to, ...(ids ? { entityId: { in: ids } } : {}) },
  });
  const byKey = new Map(existing.map((r) => [`${r.entityId}\u0000${r.field}`, r]));
  const todo: { entityId: string; field: string; text: string; hash: string; row?: ContentTranslation }[] = [];
  const remove: ContentTranslation[] = [];
  for (const original of originals) {
    for (const [field, value] of Object.entries(original.fields)) {
      const row = byKey.get(`${original.id}\u0000${field}`);
      const text = value?.trim();
      if (!text) {
        if (row?.machineTranslated) remove.push(row);
        continue;
      }
      const hash = sourceHash(text);
      if (row && (!row.machineTranslated || row.sourceHash === hash)) continue;
      todo.push({ entityId: original.id, field, text, hash, row });
    }
  }
  let translated = 0;
  const touched = new Set<string>();
  for (let start = 0; start < todo.length; start += BATCH) {
    const batch = todo.slice(start, start + BATCH);
    const results = await translate(
      batch.map((t) => t.text),
      from,
      to,
    );
    for (const [i, item] of batch.entries()) {
      const text = results[i];
      const key = { entity, entityId: item.entityId, field: item.field, language: to };
      if (!text) {
        if (item.row) remove.push(item.row);
        continue;
      }
      translated++;
      // A retranslation that reads as before changes no answer (its hash is still brought up to date).
      if (item.row?.text !== text) touched.add(item.entityId);
      const data = { text, sourceLanguage: from, machineTranslated: true, sourceHash: item.hash, updatedBy: null };
      if (item.row) {
        // A staff version written since this job read the table wins.
        await prisma.contentTranslation.updateMany({ where: { ...key, machineTranslated: true }, data });
      } else {
        await prisma.contentTranslation.createMany({ data: [{ ...key, ...data }], skipDuplicates: true });
      }
    }
  }
  for (const row of remove) {
    await prisma.contentTranslation.deleteMany({
      where: {
        entity,
        entityId: row.entityId,
        field: row.field,
        language: row.language,
        machineTranslated: true,
        sourceHash: row.sourceHash,
      },
    });
    touched.add(row.entityId);
  }
  // Cached public answers in the other language show these texts; no gateway mutation announces a job's.
  // Only the answers holding these entities: no list's membership or order depends on a translation.
  if (touched.size > 0) {
    const type = entity.charAt(0) + entity.slice(1).toLowerCase();
    await prisma.$transaction((tx) => recordInvalidation(tx, changedInPlace(type, touched)));
  }
  return { translated, untranslated: todo.length - translated };
}

export const CONTENT_JOB = 'translate-content';

interface ContentJob {
  /** Absent: every entity (the sweep run at start, after a seed or an import). */
  entity?: ContentEntity;
  ids?: string[];
}

export interface ContentRuntime {
  queue: JobQueue;
  stop(): Promise<void>;
}

const runtimes = new WeakMap<object, ContentRuntime>();

/**
 * Asks the background worker to (re)translate the given content. Without a running worker (a test
 * that starts none, a seed command) nothing is queued: the sweep at the worker's start covers it.
 */
export async function queueContentTranslation(
  prisma: InitiativesPrisma,
  entity?: ContentEntity,
  ids?: string[],
): Promise<void> {
  const runtime = runtimes.get(prisma);
  if (!runtime) return;
  await runtime.queue.send(CONTENT_JOB, { entity, ids } satisfies ContentJob);
}

export async function startContentWorker(
  prisma: InitiativesPrisma,
  database: Database,
  logger: Logger,
  options: { pollingIntervalSeconds?: number } = {},
): Promise<ContentRuntime> {
  const queue = await startJobQueue(database, {
    schema: 'initiatives_jobs',
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
    queues: { [CONTENT_JOB]: { policy: 'standard' } },
  });
  return setUpOrStop(queue, async () => {
    await queue.work<ContentJob>(CONTENT_JOB, async (job) => {
      const entities = job.data.entity ? [job.data.entity] : CONTENT_ENTITIES;
      for (const entity of entities) {
        const outcome = await translateContent(prisma, entity, job.data.ids);
        if (outcome.translated || outcome.untranslated) {
          logger.info('content translated', { entity, ...outcome });
        }
      }
    });
    const runtime: ContentRuntime = {
      queue,
      async stop() {
        runtimes.delete(prisma);
        await queue.stop();
      },
    };
    runtimes.set(prisma, runtime);
    await queue.send(CONTENT_JOB, {} satisfies ContentJob);
    return runtime;
  });
}

/** Per-request: every version of an entity's content in one query per entity kind. */
export function createContentLoader(prisma: InitiativesPrisma) {
  return new DataLoader<string, ContentTranslation[]>(async (keys) => {
    const pairs = keys.map((k) => k.split(':') as [ContentEntity, string]);
    const rows = await prisma.contentTranslation.findMany({
      where: {
        OR: CONTENT_ENTITIES.map((entity) => ({
          entity,
          entityId: { in: pairs.filter((p) => p[0] === entity).map((p) => p[1]) },
        })).filter((w) => w.entityId.in.length > 0),
      },
    });
    const byKey = new Map<string, ContentTranslation[]>();
    for (const row of rows) {
      const key = `${row.entity}:${row.entityId}`;
      const list = byKey.get(key);
      if (list) list.push(row);
      else byKey.set(key, [row]);
    }
    return keys.map((k) => byKey.get(k) ?? []);
  });
}

export interface LocalizedText {
  field: string;
  text: string;
  language: ContentLanguage;
  machineTranslated: boolean;
  original: string;
  originalLanguage: ContentLanguage;
  /** A staff version made from an earlier original. */
  outdated: boolean;
}

/** The field in `language`: staff's version, else the machine's, else the original (its own language says so). */
export function localize(
  rows: readonly ContentTranslation[],
  field: string,
  original: string | null,
  language: ContentLanguage,
): LocalizedText | null {
  const text = original?.trim() ? original : null;
  if (text === null) return null;
  const base = { field, original: text, originalLanguage: ORIGINAL_LANGUAGE };
  if (language !== ORIGINAL_LANGUAGE) {
    const row = rows.find((r) => r.field === field && r.language === language);
    if (row) {
      return {
        ...base,
        text: row.text,
        language,
        machineTranslated: row.machineTranslated,
        outdated: !row.machineTranslated && row.sourceHash !== sourceHash(text.trim()),
      };
    }
  }
  return { ...base, text, language: ORIGINAL_LANGUAGE, machineTranslated: false, outdated: false };
}
