import { createHash } from 'node:crypto';
import { translate } from '@civic/alignment/translate';
import type { Database } from '@civic/db/connect';
import { inputFields } from '@civic/graphql-kit/input-fields';
import { inTransaction, parseInput } from '@civic/graphql-kit/write';
import { type JobQueue, setUpOrStop, startJobQueue } from '@civic/jobs/queue';
import { badInput, notFound } from '@civic/server-kit/errors';
import { entityTags, recordInvalidation } from '@civic/server-kit/invalidations';
import type { Logger } from '@civic/server-kit/logger';
import DataLoader from 'dataloader';
import { z } from 'zod';
import type { Context } from '../context.ts';
import type { ResourcesPrisma } from '../db.ts';
import type { ContentTranslation } from '../generated/prisma/client.ts';
import { DirectoryContentEntity, type InputFields } from '../schema/enums.ts';
import { recordChanges } from './change-log.ts';
import { actorName, assertCanManage } from './permissions.ts';

/**
 * Directory content in English and Spanish, field by field (README, "Content in English and Spanish").
 * The columns of Organization and Service hold the text as entered, in ORIGINAL_LANGUAGE;
 * ContentTranslation holds the other language's version of each field, written by staff or by apertium
 * in the background (the durable job queue), with the hash of the original it was made from.
 */

export type ContentLanguage = 'en' | 'es';
export const CONTENT_LANGUAGES: readonly ContentLanguage[] = ['en', 'es'];
/** The directory is entered (and imported from HSDS) in English. */
export const ORIGINAL_LANGUAGE: ContentLanguage = 'en';

export const CONTENT_FIELDS = {
  ORGANIZATION: ['name', 'alternateName', 'description'],
  SERVICE: ['name', 'alternateName', 'description', 'eligibility', 'fees', 'applicationProcess'],
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

async function loadOriginals(prisma: ResourcesPrisma, entity: ContentEntity, ids?: string[]): Promise<Originals> {
  const where = ids ? { id: { in: ids } } : {};
  const pick = (row: Record<string, unknown>) => ({
    id: row.id as string,
    fields: Object.fromEntries(CONTENT_FIELDS[entity].map((f) => [f, (row[f] as string | null) ?? null])),
  });
  switch (entity) {
    case 'ORGANIZATION':
      return (
        await prisma.organization.findMany({
          where,
          select: { id: true, name: true, alternateName: true, description: true },
        })
      ).map(pick);
    case 'SERVICE':
      // The API calls eligibilityDescription and feesDescription eligibility and fees; translations use the API's names.
      return (
        await prisma.service.findMany({
          where,
          select: {
            id: true,
            name: true,
            alternateName: true,
            description: true,
            eligibilityDescription: true,
            feesDescription: true,
            applicationProcess: true,
          },
        })
      ).map(({ eligibilityDescription, feesDescription, ...service }) =>
        pick({ ...service, eligibility: eligibilityDescription, fees: feesDescription }),
      );
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
  prisma: ResourcesPrisma,
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
      touched.add(item.entityId);
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
  if (touched.size > 0) {
    const type = entity.charAt(0) + entity.slice(1).toLowerCase();
    await prisma.$transaction((tx) => recordInvalidation(tx, entityTags(type, touched)));
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
  prisma: ResourcesPrisma,
  entity?: ContentEntity,
  ids?: string[],
): Promise<void> {
  const runtime = runtimes.get(prisma);
  if (!runtime) return;
  await runtime.queue.send(CONTENT_JOB, { entity, ids } satisfies ContentJob);
}

export async function startContentWorker(
  prisma: ResourcesPrisma,
  database: Database,
  logger: Logger,
  options: { pollingIntervalSeconds?: number } = {},
): Promise<ContentRuntime> {
  const queue = await startJobQueue(database, {
    schema: 'resources_jobs',
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
export function createContentLoader(prisma: ResourcesPrisma) {
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
    return keys.map((k) => rows.filter((r) => `${r.entity}:${r.entityId}` === k));
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

/** The text of one field of a row, by its API name (null when it has none). */
export function textOf(row: object, field: string): string | null {
  const value = (row as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : null;
}

const TRANSLATION_MAX = 20_000;

async function target(ctx: Context, entity: ContentEntity, id: string) {
  if (entity === 'ORGANIZATION') {
    const o = await ctx.prisma.organization.findUnique({ where: { id } });
    if (!o) throw notFound('Organization', id);
    return { organization: o, originals: o as object, type: 'organization' as const };
  }
  const s = await ctx.prisma.service.findUnique({ where: { id }, include: { organization: true } });
  if (!s) throw notFound('Service', id);
  return {
    organization: s.organization,
    originals: { ...s, eligibility: s.eligibilityDescription, fees: s.feesDescription } as object,
    type: 'service' as const,
  };
}

const directoryTranslationInput = inputFields<InputFields>();

/** SetDirectoryTranslationInput: printed from this table, and setDirectoryTranslation parses with it. */
export const DIRECTORY_TRANSLATION_INPUT = directoryTranslationInput({
  entity: {
    schema: z.enum(CONTENT_ENTITIES as [ContentEntity, ...ContentEntity[]]),
    field: (t) => t.field({ type: DirectoryContentEntity, required: true, description: 'The kind of content.' }),
  },
  id: { schema: z.string(), field: (t) => t.id({ required: true, description: 'Its id.' }) },
  field: {
    schema: z.string(),
    field: (t) =>
      t.string({ required: true, description: 'The field, e.g. "eligibility" (see DirectoryContentEntity).' }),
  },
  language: {
    schema: z.string(),
    field: (t) => t.string({ required: true, description: '"es" (or "en" for content entered in Spanish).' }),
  },
  text: {
    schema: z
      .string()
      .nullish()
      .transform((text) => text?.trim() ?? '')
      .pipe(z.string().max(TRANSLATION_MAX, `At most ${TRANSLATION_MAX} characters`)),
    field: (t) =>
      t.string({ description: 'The text; null or empty removes the staff version, and the machine translates again.' }),
  },
});

export type DirectoryTranslationInput = z.input<typeof DIRECTORY_TRANSLATION_INPUT.schema>;

/**
 * Writes (or with empty text removes) a staff version of one field, with the permissions of updateService;
 * recorded in the change log. Returns the field in that language (null: the field has no text).
 */
export async function setDirectoryTranslation(ctx: Context, rawInput: DirectoryTranslationInput) {
  const input = parseInput(DIRECTORY_TRANSLATION_INPUT.schema, rawInput, null, 'The translation was not saved');
  const { entity, text } = input;
  const fields: readonly string[] = CONTENT_FIELDS[entity];
  if (!fields.includes(input.field)) {
    throw badInput(`${entity} has no translatable field "${input.field}"`, [
      { field: 'field', message: `Use one of ${fields.join(', ')}` },
    ]);
  }
  const language: ContentLanguage = contentLanguage(input.language);
  if (language === ORIGINAL_LANGUAGE) {
    throw badInput('That is the language the content was entered in: change the original instead', [
      { field: 'language', message: `The original is in "${ORIGINAL_LANGUAGE}"` },
    ]);
  }
  const found = await target(ctx, entity, input.id);
  assertCanManage(ctx.identity, found.organization);
  const original = textOf(found.originals, input.field);
  if (text && !original?.trim()) {
    throw badInput('The field has no original text to translate', [{ field: 'field', message: 'It is empty' }]);
  }
  const key = { entity, entityId: input.id, field: input.field, language };
  await inTransaction(ctx.prisma, async (tx) => {
    const before = await tx.contentTranslation.findUnique({ where: { entity_entityId_field_language: key } });
    if (text) {
      const data = {
        text,
        sourceLanguage: ORIGINAL_LANGUAGE,
        machineTranslated: false,
        sourceHash: sourceHash((original as string).trim()),
        updatedBy: actorName(ctx.identity),
      };
      await tx.contentTranslation.upsert({
        where: { entity_entityId_field_language: key },
        create: { ...key, ...data },
        update: data,
      });
    } else {
      await tx.contentTranslation.deleteMany({ where: { ...key, machineTranslated: false } });
    }
    const previous = before && !before.machineTranslated ? before.text : null;
    if (previous !== (text || null)) {
      await recordChanges(tx, ctx, { id: input.id, type: found.type }, 'update', [
        { fieldName: `${input.field}@${language}`, previousValue: previous, replacementValue: text || null },
      ]);
    }
  });
  if (!text) await queueContentTranslation(ctx.prisma, entity, [input.id]);
  ctx.loaders.content.clear(`${entity}:${input.id}`);
  return localize(await ctx.loaders.content.load(`${entity}:${input.id}`), input.field, original, language);
}
