import type { ServerResponse } from 'node:http';
import type { SqlClient } from '@civic/db/connect';
import { HttpError, type IncomingRequest, sendJson } from './http.ts';

/**
 * Invalidations of the gateway's response cache for writes no gateway mutation announces (background
 * jobs, timers, imports). The write records the entities it changed in the subgraph's
 * `CacheInvalidation` table in its own transaction; every gateway reads them back through the
 * subgraph's signed internal feed (`INVALIDATIONS_PATH`) by sequence number and clears the answers
 * holding them. Tags use the gateway's vocabulary: `Type:<id>` for one entity, `Type` when it cannot
 * say which (the gateway widens both to the lists of the type and the derived answers), and
 * `=Type:<id>` (`changedInPlace`) for an entity whose own fields changed in a way no list's
 * membership or order depends on (a translation, a measure's series): the gateway clears only the
 * answers holding it (and those holding a `Type` whose id they did not select), and derived answers.
 * A job that finds nothing changed records nothing.
 */

export const INVALIDATIONS_PATH = '/internal/invalidations';

/** How long recorded invalidations are kept (a gateway away longer clears everything when it is back). */
export const INVALIDATION_RETENTION_MS = 60 * 60 * 1000;
/** Most invalidations one feed answer carries; the gateway reads on at once when there are more. */
export const INVALIDATION_PAGE = 500;

// Held from the insert to the commit, so sequence numbers become visible in order and a reader that
// has seen `n` never later sees a smaller one appear.
const ORDER_LOCK = 736_201_511;

/** A transaction's SqlClient, or a Prisma interactive transaction. */
export type InvalidationWriter =
  | Pick<SqlClient, 'query'>
  | { $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> };

async function run(db: InvalidationWriter, text: string, values: unknown[] = []): Promise<unknown> {
  return '$queryRawUnsafe' in db ? db.$queryRawUnsafe(text, ...values) : db.query(text, values);
}

/** Entity tags of one type: `Type:<id>` for each id. */
export function entityTags(type: string, ids: Iterable<string>): string[] {
  return [...new Set(ids)].map((id) => `${type}:${id}`);
}

/** Marks a tag as an in-place change (see above). */
export const IN_PLACE_MARK = '=';

/**
 * Tags for entities whose own fields changed while every list holding them holds them still, in the
 * same place: `=Type:<id>` for each id. Lists of the type that do not hold them keep their answers.
 */
export function changedInPlace(type: string, ids: Iterable<string>): string[] {
  return entityTags(type, ids).map((tag) => `${IN_PLACE_MARK}${tag}`);
}

/**
 * Records that `tags` changed. Call it inside the write's transaction, as its last statement (it
 * serialises recording writers until they commit): the record exists if and only if the write does.
 */
export async function recordInvalidation(db: InvalidationWriter, tags: Iterable<string>): Promise<void> {
  const list = [...new Set(tags)];
  if (list.length === 0) return;
  await run(db, `SELECT 1 AS "locked" FROM pg_advisory_xact_lock(${ORDER_LOCK})`);
  await run(db, `INSERT INTO "CacheInvalidation" ("tags") SELECT ARRAY(SELECT jsonb_array_elements_text($1::jsonb))`, [
    JSON.stringify(list),
  ]);
}

export interface InvalidationPage {
  /** The newest sequence number recorded (0 when none ever was). */
  latest: number;
  /** The oldest one still kept; a reader behind it missed pruned records. */
  oldest: number;
  entries: { seq: number; tags: string[] }[];
  /** More entries follow the last one. */
  more: boolean;
}

/** The invalidations after `after` (none when it is undefined: a new reader starts at `latest`). */
export async function readInvalidations(sql: Pick<SqlClient, 'query'>, after: number | undefined) {
  const [bounds] = await sql.query<{ latest: string | null; oldest: string | null }>(
    `SELECT max("seq")::text AS "latest", min("seq")::text AS "oldest" FROM "CacheInvalidation"`,
  );
  const latest = Number(bounds?.latest ?? 0);
  const page: InvalidationPage = { latest, oldest: Number(bounds?.oldest ?? latest + 1), entries: [], more: false };
  if (after === undefined || after >= latest) return page;
  const rows = await sql.query<{ seq: string; tags: string[] }>(
    `SELECT "seq"::text AS "seq", to_jsonb("tags") AS "tags" FROM "CacheInvalidation" WHERE "seq" > $1 ORDER BY "seq" LIMIT ${INVALIDATION_PAGE + 1}`,
    [after],
  );
  page.more = rows.length > INVALIDATION_PAGE;
  page.entries = rows.slice(0, INVALIDATION_PAGE).map((r) => ({ seq: Number(r.seq), tags: r.tags }));
  return page;
}

/** Deletes records older than the retention, always keeping the newest (it carries `latest`). */
export async function pruneInvalidations(
  sql: Pick<SqlClient, 'query'>,
  retentionMs = INVALIDATION_RETENTION_MS,
): Promise<void> {
  await sql.query(
    `DELETE FROM "CacheInvalidation"
     WHERE "at" < CURRENT_TIMESTAMP - make_interval(secs => $1::float8 / 1000)
       AND "seq" < (SELECT max("seq") FROM "CacheInvalidation")`,
    [retentionMs],
  );
}

/**
 * The feed route: `GET /internal/invalidations` answers `{latest, oldest, entries: [], more}`,
 * `?after=<n>` the entries after n. `authenticate` refuses what the gateway did not sign (when a
 * secret is configured). Old records are pruned at most once a minute, as the feed is read.
 */
export function invalidationFeedRoute(
  sql: Pick<SqlClient, 'query'>,
  authenticate: (req: IncomingRequest) => void,
): (req: IncomingRequest, res: ServerResponse) => Promise<void> {
  let prunedAt = 0;
  return async (req, res) => {
    authenticate(req);
    if (req.method !== 'GET') throw new HttpError(405, 'BAD_REQUEST', 'Use GET');
    const raw = new URLSearchParams(req.search).get('after');
    if (raw !== null && !/^\d{1,15}$/.test(raw)) {
      throw new HttpError(400, 'BAD_USER_INPUT', '`after` must be a sequence number');
    }
    if (Date.now() - prunedAt > 60_000) {
      prunedAt = Date.now();
      await pruneInvalidations(sql);
    }
    sendJson(res, 200, await readInvalidations(sql, raw === null ? undefined : Number(raw)));
  };
}
