import { inTransaction } from '@civic/graphql-kit/write';
import type { Logger } from '@civic/server-kit/logger';
import type { InitiativesPrisma } from '../db.ts';
import type { Measure } from '../generated/prisma/client.ts';
import { audit } from './audit.ts';
import type { ConversationStatsSource } from './conversation-stats.ts';

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
    for (const { month, published } of months) {
      await tx.observation.upsert({
        where: { measureId_period_segment: { measureId: measure.id, period: month, segment: '' } },
        create: { measureId: measure.id, period: month, value: published, note: AUTOMATIC_NOTE, automatic: true },
        update: { value: published, note: AUTOMATIC_NOTE, automatic: true },
      });
    }
    await audit(tx, {
      initiativeId: measure.initiativeId,
      action: 'measure.refresh',
      subjectId: measure.id,
      actor: by,
      details: { months: months.map((m) => [m.month, m.published]) },
    });
    return tx.measure.update({ where: { id: measure.id }, data: { refreshedAt: new Date() } });
  });
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
