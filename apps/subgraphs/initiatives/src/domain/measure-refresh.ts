import { inTransaction } from '@civic/graphql-kit/write';
import { ErrorCode } from '@civic/server-kit/errors';
import { changedInPlace, recordInvalidation } from '@civic/server-kit/invalidations';
import type { Logger } from '@civic/server-kit/logger';
import { forwardWebhookEvent, prismaExecutor } from '@civic/webhooks/forward';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import type { InitiativesPrisma } from '../db.ts';
import type { Measure } from '../generated/prisma/client.ts';
import { audit } from './audit.ts';
import { queueContentTranslation } from './content-translations.ts';

/* Automatic measures: the source they read (engagement through the gateway) and the refresh that writes it. */

/** Published conversations in one month, as the engagement subgraph reports them through the gateway. */
export interface ConversationMonth {
  month: string;
  published: number;
}

/** Where automatic measures read engagement's figures from. */
export type ConversationStatsSource = (range: { from?: string; to?: string }) => Promise<ConversationMonth[]>;

const responseSchema = z.object({
  data: z
    .object({
      conversationStats: z.array(
        z.object({
          month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
          published: z.number().int().min(0),
        }),
      ),
    })
    .nullable()
    .optional(),
  errors: z.array(z.object({ message: z.string() })).optional(),
});

const QUERY =
  'query Initiatives_ConversationStats($from: String, $to: String) { conversationStats(from: $from, to: $to) { month published } }';

export function unavailable(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } });
}

/** Asks the gateway (a public query), so this subgraph never reads engagement's database. */
export function gatewayConversationStats(gatewayUrl: string, timeoutMs: number): ConversationStatsSource {
  return async ({ from, to }) => {
    let response: Response;
    try {
      response = await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: QUERY, variables: { from: from ?? null, to: to ?? null } }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw unavailable(`the gateway at ${gatewayUrl} did not answer (${(error as Error).message})`);
    }
    const body = responseSchema.safeParse(await response.json().catch(() => null));
    if (!body.success) throw unavailable(`the gateway answered conversationStats with an unexpected shape`);
    if (body.data.errors?.length || !body.data.data) {
      const messages = body.data.errors?.map((e) => e.message).join('; ') ?? 'no data';
      throw unavailable(`conversationStats failed: ${messages}`);
    }
    return body.data.data.conversationStats;
  };
}

export const AUTOMATIC_NOTE = 'automatic: published conversations';

export interface RefreshResult {
  measure: Measure;
  months: number;
}

/**
 * Reads the automatic source first, then writes one observation per month in one transaction,
 * so a failing source leaves the series exactly as it was.
 */
export async function refreshAutomaticMeasure(
  prisma: InitiativesPrisma,
  measure: Measure,
  conversationStats: ConversationStatsSource,
  by: string,
): Promise<RefreshResult> {
  if (measure.automaticSource !== 'ENGAGEMENT_PUBLISHED_CONVERSATIONS') {
    throw new Error(`measure ${measure.id} has no automatic source`);
  }
  const months = await conversationStats({});
  const updated = await inTransaction(prisma, async (tx) => {
    const known = new Map(
      (
        await tx.observation.findMany({
          where: { measureId: measure.id, segment: '' },
          select: { id: true, period: true, value: true, note: true, automatic: true },
        })
      ).map((o) => [o.period, o]),
    );
    // What the cached answers showing the series must drop: nothing when every month reads as stored.
    const changed: string[] = [];
    for (const { month, published } of months) {
      const stored = known.get(month);
      if (stored && stored.value === published && stored.note === AUTOMATIC_NOTE && stored.automatic) continue;
      const row = await tx.observation.upsert({
        where: { measureId_period_segment: { measureId: measure.id, period: month, segment: '' } },
        create: { measureId: measure.id, period: month, value: published, note: AUTOMATIC_NOTE, automatic: true },
        update: { value: published, note: AUTOMATIC_NOTE, automatic: true },
      });
      changed.push(row.id);
      // Partners hear of months the series gains, not of every refresh of the months it has.
      if (!stored) {
        await forwardWebhookEvent(prisma, prismaExecutor(tx), 'MEASURE_OBSERVATION_ADDED', {
          observationId: row.id,
          measureId: measure.id,
          initiativeId: measure.initiativeId,
          period: row.period,
          label: row.label,
          segment: row.segment,
          value: row.value,
          automatic: true,
          recordedAt: row.createdAt.toISOString(),
        });
      }
    }
    await audit(tx, {
      initiativeId: measure.initiativeId,
      action: 'measure.refresh',
      subjectId: measure.id,
      actor: by,
      details: { months: months.map((m) => [m.month, m.published]) },
    });
    const refreshed = await tx.measure.update({ where: { id: measure.id }, data: { refreshedAt: new Date() } });
    // A timer's refresh has no gateway mutation to clear the cached answers showing the series. Only
    // the answers holding this measure (or the changed observations) show it: no list's membership or
    // order depends on the values, so lists of measures that do not hold it keep their answers. A
    // refresh that read what was stored records nothing (its refreshedAt, the time of the read, may
    // then show older in a cached public answer, within the gateway's TTL).
    if (changed.length > 0) {
      await recordInvalidation(tx, [
        ...changedInPlace('Measure', [measure.id]),
        ...changedInPlace('Observation', changed),
      ]);
    }
    return refreshed;
  });
  // New months carry the automatic note; the worker translates what has no Spanish version yet.
  await queueContentTranslation(prisma, 'OBSERVATION');
  return { measure: updated, months: months.length };
}

/** Refreshes every automatic measure; one failure is logged and does not stop the others. */
export async function refreshAllAutomaticMeasures(
  prisma: InitiativesPrisma,
  conversationStats: ConversationStatsSource,
  logger: Logger,
): Promise<number> {
  const measures = await prisma.measure.findMany({ where: { automaticSource: { not: null } } });
  let refreshed = 0;
  for (const measure of measures) {
    try {
      await refreshAutomaticMeasure(prisma, measure, conversationStats, 'system:measure-refresh');
      refreshed++;
    } catch (error) {
      logger.warn('automatic measure not refreshed; will retry', {
        measure: measure.id,
        error: (error as Error).message,
      });
    }
  }
  return refreshed;
}

export interface MeasureRefresher {
  stop(): void;
}

/** Background refresh that never blocks startup: the gateway may come up after this subgraph. */
export function startMeasureRefresher(options: {
  prisma: InitiativesPrisma;
  conversationStats: ConversationStatsSource;
  logger: Logger;
  intervalMs: number;
  initialDelayMs: number;
}): MeasureRefresher {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(run, delay);
    timer.unref();
  };
  const run = async () => {
    try {
      const refreshed = await refreshAllAutomaticMeasures(options.prisma, options.conversationStats, options.logger);
      options.logger.info('automatic measures refreshed', { refreshed });
    } catch (error) {
      options.logger.warn('automatic measure refresh failed; will retry', { error: (error as Error).message });
    }
    schedule(options.intervalMs);
  };
  schedule(options.initialDelayMs);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
