import type { EngagementPrisma } from '../db.ts';
import { publicConcernSql } from './visibility.ts';

/** What a row of the accountability report is grouped by. */
export const ACCOUNTABILITY_GROUPINGS = ['CITYWIDE', 'NEIGHBORHOOD', 'EQUITY_PRIORITY', 'LANGUAGE'] as const;
export type AccountabilityGrouping = (typeof ACCOUNTABILITY_GROUPINGS)[number];

/** The days a concern may wait for its first public response and still count as answered in time. */
export const RESPONSE_WINDOW_DAYS = 30;

export interface AccountabilityRow {
  grouping: AccountabilityGrouping;
  /** NEIGHBORHOOD rows: the neighborhood (null: concerns with none, i.e. citywide ones). */
  neighborhoodId: string | null;
  /** EQUITY_PRIORITY rows: whether the concerns' neighborhood is an equity-priority area. */
  equityPriority: boolean | null;
  /** LANGUAGE rows: the language the concerns were raised in. */
  language: string | null;
  concerns: number;
  answered: number;
  addressed: number;
  medianDaysToFirstResponse: number | null;
  medianDaysToAddressed: number | null;
  /** Concerns first heard at least RESPONSE_WINDOW_DAYS ago: those whose window has run out. */
  dueWithinWindow: number;
  answeredWithinWindow: number;
}

export interface AccountabilityReport {
  citywide: AccountabilityRow;
  byNeighborhood: AccountabilityRow[];
  byEquityPriority: AccountabilityRow[];
  byLanguage: AccountabilityRow[];
}

/**
 * How long published concerns wait for the city, in one grouped query over public data only:
 * - first heard: the day its conversation was held (a concern without a conversation: when it was recorded);
 * - first public response: its first public status change away from NEW (every status change is on the
 *   public timeline, with its note; the automatic ALIGNED of a first alignment carries the alignment's
 *   public rationale);
 * - addressed: its first change to ADDRESSED.
 * Days are fractional and never negative (a response recorded before the hearing date counts as 0).
 * Medians are over the concerns that reached that step, null when none did.
 */
export async function accountabilityReport(prisma: EngagementPrisma, now = new Date()): Promise<AccountabilityReport> {
  const rows = await prisma.$queryRaw<(AccountabilityRow & { grouping: AccountabilityGrouping })[]>`
    WITH steps AS (
      SELECT s."concernId",
             min(s."changedAt") FILTER (WHERE s."toStatus" <> 'NEW') AS "firstResponseAt",
             min(s."changedAt") FILTER (WHERE s."toStatus" = 'ADDRESSED') AS "addressedAt"
      FROM "ConcernStatusChange" s
      GROUP BY s."concernId"
    ), heard AS (
      SELECT c."neighborhoodId", coalesce(n."equityPriority", false) AS "equityPriority", c."language",
             coalesce(v."heldOn", c."createdAt") AS "heardAt", st."firstResponseAt", st."addressedAt"
      FROM "Concern" c
      LEFT JOIN "Conversation" v ON v."id" = c."conversationId"
      LEFT JOIN "Neighborhood" n ON n."id" = c."neighborhoodId"
      LEFT JOIN steps st ON st."concernId" = c."id"
      WHERE ${publicConcernSql('c')}
    ), timed AS (
      -- greatest() skips nulls: the CASE keeps a concern without that step out of the median.
      SELECT *,
             CASE WHEN "firstResponseAt" IS NOT NULL
               THEN greatest(0, extract(epoch FROM ("firstResponseAt" - "heardAt")) / 86400)::float8 END AS "responseDays",
             CASE WHEN "addressedAt" IS NOT NULL
               THEN greatest(0, extract(epoch FROM ("addressedAt" - "heardAt")) / 86400)::float8 END AS "addressedDays",
             "heardAt" <= ${now}::timestamp - make_interval(days => ${RESPONSE_WINDOW_DAYS}::int) AS due
      FROM heard
    )
    SELECT CASE WHEN grouping("neighborhoodId") = 0 THEN 'NEIGHBORHOOD'
                WHEN grouping("equityPriority") = 0 THEN 'EQUITY_PRIORITY'
                WHEN grouping("language") = 0 THEN 'LANGUAGE'
                ELSE 'CITYWIDE' END AS grouping,
           "neighborhoodId", "equityPriority", "language",
           count(*)::int AS concerns,
           count("firstResponseAt")::int AS answered,
           count("addressedAt")::int AS addressed,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY "responseDays") AS "medianDaysToFirstResponse",
           percentile_cont(0.5) WITHIN GROUP (ORDER BY "addressedDays") AS "medianDaysToAddressed",
           count(*) FILTER (WHERE due)::int AS "dueWithinWindow",
           count(*) FILTER (WHERE due AND "responseDays" <= ${RESPONSE_WINDOW_DAYS}::int)::int AS "answeredWithinWindow"
    FROM timed
    GROUP BY GROUPING SETS (("neighborhoodId"), ("equityPriority"), ("language"), ())`;
  const of = (grouping: AccountabilityGrouping) => rows.filter((r) => r.grouping === grouping);
  const keep = (r: AccountabilityRow): AccountabilityRow => ({
    ...r,
    neighborhoodId: r.grouping === 'NEIGHBORHOOD' ? r.neighborhoodId : null,
    equityPriority: r.grouping === 'EQUITY_PRIORITY' ? r.equityPriority : null,
    language: r.grouping === 'LANGUAGE' ? r.language : null,
  });
  const citywide = of('CITYWIDE')[0];
  return {
    // With no public concern at all, the empty grand total still has a row (count 0, nothing measured).
    citywide: keep(citywide ?? emptyRow('CITYWIDE')),
    byNeighborhood: of('NEIGHBORHOOD')
      .map(keep)
      .sort((a, b) =>
        a.neighborhoodId === null
          ? 1
          : b.neighborhoodId === null
            ? -1
            : a.neighborhoodId.localeCompare(b.neighborhoodId),
      ),
    byEquityPriority: of('EQUITY_PRIORITY')
      .map(keep)
      .sort((a, b) => Number(b.equityPriority) - Number(a.equityPriority)),
    byLanguage: of('LANGUAGE')
      .map(keep)
      .sort((a, b) => (a.language ?? '').localeCompare(b.language ?? '')),
  };
}

function emptyRow(grouping: AccountabilityGrouping): AccountabilityRow {
  return {
    grouping,
    neighborhoodId: null,
    equityPriority: null,
    language: null,
    concerns: 0,
    answered: 0,
    addressed: 0,
    medianDaysToFirstResponse: null,
    medianDaysToAddressed: null,
    dueWithinWindow: 0,
    answeredWithinWindow: 0,
  };
}

/** The share of concerns whose window has run out that were answered within it (null when none has). */
export function shareAnsweredWithinWindow(row: AccountabilityRow): number | null {
  return row.dueWithinWindow === 0 ? null : row.answeredWithinWindow / row.dueWithinWindow;
}
