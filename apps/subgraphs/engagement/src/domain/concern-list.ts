import { isStaff } from '@civic/graphql-kit/roles';
import type { Identity } from '@civic/server-kit/identity';
import type { EngagementPrisma } from '../db.ts';
import { type Concern, Prisma } from '../generated/prisma/client.ts';
import { canonicalNeighborhoodId } from './neighborhood-names.ts';
import { PUBLIC_FACET, publicConcernSql, visibleConcerns } from './visibility.ts';

/** Conditions of the same list filter that also narrow the full-text match (all are ANDed anyway). */
interface ConcernSearchNarrowing {
  visibleToPublicOnly?: boolean;
  themes?: readonly string[];
  status?: readonly string[];
  ward?: number;
  neighborhoodId?: string;
  moderation?: string;
  equityPriority?: boolean;
  withoutNeighborhood?: boolean;
  withoutTheme?: boolean;
  published?: boolean;
}

function searchConditions(words: string, narrowing: ConcernSearchNarrowing): Prisma.Sql {
  const where = [Prisma.sql`c."search" @@ websearch_to_tsquery('english', ${words})`];
  // The facets (kept by a trigger) let one GIN index apply visibility, ward, neighborhood and themes
  // before rows are read. Visibility, ward and neighborhood are tested on the columns as well, so
  // privacy never rests on the trigger alone; themes only on the facets (with a second themes test
  // the planner chose the themes index over the text index and read twice the rows).
  const required: string[] = [];
  if (narrowing.visibleToPublicOnly) {
    required.push(PUBLIC_FACET);
    where.push(publicConcernSql('c'));
  }
  if (narrowing.moderation) where.push(Prisma.sql`c."moderation"::text = ${narrowing.moderation}`);
  if (narrowing.themes?.length) {
    where.push(Prisma.sql`c."facets" && ${narrowing.themes.map((t) => `theme:${t}`)}::text[]`);
  }
  if (narrowing.status?.length) where.push(Prisma.sql`c."status"::text = ANY(${[...narrowing.status]}::text[])`);
  if (narrowing.neighborhoodId) {
    required.push(`neighborhood:${narrowing.neighborhoodId}`);
    where.push(Prisma.sql`c."neighborhoodId" = ${narrowing.neighborhoodId}`);
  }
  if (narrowing.ward != null) {
    required.push(`ward:${narrowing.ward}`);
    where.push(
      Prisma.sql`c."neighborhoodId" IN (SELECT n."id" FROM "Neighborhood" n WHERE n."ward" = ${narrowing.ward})`,
    );
  }
  if (narrowing.equityPriority != null) {
    if (narrowing.equityPriority) required.push('equity:priority');
    where.push(
      Prisma.sql`c."neighborhoodId" IN (SELECT n."id" FROM "Neighborhood" n WHERE n."equityPriority" = ${narrowing.equityPriority})`,
    );
  }
  if (narrowing.withoutNeighborhood != null) {
    where.push(Prisma.sql`(c."neighborhoodId" IS NULL) = ${narrowing.withoutNeighborhood}`);
  }
  if (narrowing.withoutTheme != null) {
    where.push(Prisma.sql`(coalesce(cardinality(c."themes"), 0) = 0) = ${narrowing.withoutTheme}`);
  }
  if (narrowing.published != null) where.push(Prisma.sql`c."published" = ${narrowing.published}`);
  if (required.length) where.push(Prisma.sql`c."facets" @> ${required}::text[]`);
  return Prisma.join(where, ' AND ');
}

/**
 * Ids of rows whose generated "search" column matches the words (websearch syntax: quotes,
 * OR, -word). The text is a bound parameter, never spliced into the SQL. The other conditions of
 * the filter are applied here too, so the id list handed back to the list query holds only rows
 * that can be on it (a common word would otherwise return a large share of the table).
 */
async function searchConcernIds(
  prisma: EngagementPrisma,
  words: string,
  narrowing: ConcernSearchNarrowing = {},
): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT c."id" FROM "Concern" c WHERE ${searchConditions(words, narrowing)}`;
  return rows.map((r) => r.id);
}

/** A page as Prisma's cursor pagination asks for it (negative `take` pages backwards from the cursor). */
interface SearchPageRequest {
  order: ConcernListOrder;
  take: number;
  skip: number;
  cursorId?: string;
}

// Each order, forwards and backwards, with the rows at or past the cursor row in that direction.
const PAGE_ORDERS = {
  NEWEST: {
    forward: [
      Prisma.sql`m."createdAt" DESC, m."id" DESC`,
      Prisma.sql`(m."createdAt", m."id") <= (cur."createdAt", cur."id")`,
    ],
    backward: [
      Prisma.sql`m."createdAt" ASC, m."id" ASC`,
      Prisma.sql`(m."createdAt", m."id") >= (cur."createdAt", cur."id")`,
    ],
  },
  OLDEST: {
    forward: [
      Prisma.sql`m."createdAt" ASC, m."id" ASC`,
      Prisma.sql`(m."createdAt", m."id") >= (cur."createdAt", cur."id")`,
    ],
    backward: [
      Prisma.sql`m."createdAt" DESC, m."id" DESC`,
      Prisma.sql`(m."createdAt", m."id") <= (cur."createdAt", cur."id")`,
    ],
  },
  MOST_SUPPORTED: {
    forward: [
      Prisma.sql`m."supportCount" DESC, m."id" ASC`,
      Prisma.sql`(m."supportCount" < cur."supportCount" OR (m."supportCount" = cur."supportCount" AND m."id" >= cur."id"))`,
    ],
    backward: [
      Prisma.sql`m."supportCount" ASC, m."id" DESC`,
      Prisma.sql`(m."supportCount" > cur."supportCount" OR (m."supportCount" = cur."supportCount" AND m."id" <= cur."id"))`,
    ],
  },
} as const;

/**
 * A full-text search that is the whole filter, answered in one statement: the number of matches,
 * and the ids of only the rows Prisma's pagination can return (the cursor row and the `skip` +
 * `|take|` matches from it in the page's direction). Running the same pagination over those few
 * ids gives the same page as over every match, without sending thousands of ids back as an IN list.
 */
async function searchConcernPage(
  prisma: EngagementPrisma,
  words: string,
  narrowing: ConcernSearchNarrowing,
  page: SearchPageRequest,
): Promise<{ ids: string[]; total: number }> {
  const [orderBy, atOrPastCursor] = PAGE_ORDERS[page.order][page.take < 0 ? 'backward' : 'forward'];
  const limit = page.skip + Math.abs(page.take);
  const fromCursor = page.cursorId
    ? Prisma.sql`JOIN (SELECT "id", "createdAt", "supportCount" FROM "Concern" WHERE "id" = ${page.cursorId}) cur ON ${atOrPastCursor}`
    : Prisma.empty;
  const [row] = await prisma.$queryRaw<{ total: number; ids: string[] }[]>`
    WITH m AS MATERIALIZED (
      SELECT c."id", c."createdAt", c."supportCount" FROM "Concern" c WHERE ${searchConditions(words, narrowing)}
    )
    SELECT (SELECT count(*) FROM m)::int AS total,
      ARRAY(SELECT m."id" FROM m ${fromCursor} ORDER BY ${orderBy} LIMIT ${limit}) AS ids`;
  return { ids: row?.ids ?? [], total: row?.total ?? 0 };
}

/** The `concerns` list filter (see ConcernFilter in the schema); all given conditions must hold. */
export interface ConcernListFilter {
  neighborhoodId?: string | null;
  ward?: number | null;
  themes?: readonly string[] | null;
  status?: readonly string[] | null;
  equityPriority?: boolean | null;
  search?: string | null;
  conversationId?: string | null;
  citywideConcernId?: string | null;
  aligned?: boolean | null;
  moderation?: string | null;
  withoutNeighborhood?: boolean | null;
  withoutTheme?: boolean | null;
  published?: boolean | null;
}

export type ConcernListOrder = 'NEWEST' | 'OLDEST' | 'MOST_SUPPORTED';

const ORDER_BY: Record<ConcernListOrder, Prisma.ConcernOrderByWithRelationInput[]> = {
  NEWEST: [{ createdAt: 'desc' }, { id: 'desc' }],
  OLDEST: [{ createdAt: 'asc' }, { id: 'asc' }],
  MOST_SUPPORTED: [{ supportCount: 'desc' }, { id: 'asc' }],
};

type ListQuery =
  | { where: Prisma.ConcernWhereInput }
  /** A full-text search that is the whole filter: the page and the count come from one statement. */
  | { search: { words: string; narrowing: ConcernSearchNarrowing } };

async function listQuery(
  prisma: EngagementPrisma,
  identity: Identity,
  filter: ConcernListFilter | null | undefined,
): Promise<ListQuery> {
  const and: Prisma.ConcernWhereInput[] = [visibleConcerns(identity)];
  if (filter?.neighborhoodId) and.push({ neighborhoodId: canonicalNeighborhoodId(filter.neighborhoodId) });
  if (filter?.ward != null) and.push({ neighborhood: { ward: filter.ward } });
  if (filter?.equityPriority != null) and.push({ neighborhood: { equityPriority: filter.equityPriority } });
  if (filter?.themes?.length) and.push({ themes: { hasSome: [...filter.themes] } });
  if (filter?.status?.length) and.push({ status: { in: [...filter.status] as Concern['status'][] } });
  if (filter?.conversationId) and.push({ conversationId: filter.conversationId });
  if (filter?.citywideConcernId) and.push({ citywideConcernId: filter.citywideConcernId });
  if (filter?.moderation) and.push({ moderation: filter.moderation as Concern['moderation'] });
  if (filter?.aligned != null) and.push(filter.aligned ? { alignments: { some: {} } } : { alignments: { none: {} } });
  if (filter?.withoutNeighborhood != null) {
    and.push({ neighborhoodId: filter.withoutNeighborhood ? null : { not: null } });
  }
  if (filter?.withoutTheme != null) {
    // An untagged row may hold NULL or an empty array (the equity gap report counts both as untagged).
    and.push(
      filter.withoutTheme
        ? { OR: [{ themes: { isEmpty: true } }, { themes: { equals: null } }] }
        : { themes: { isEmpty: false } },
    );
  }
  if (filter?.published != null) and.push({ published: filter.published });
  const words = filter?.search?.trim();
  if (!words) return { where: { AND: and } };
  const narrowing: ConcernSearchNarrowing = {
    visibleToPublicOnly: !isStaff(identity),
    moderation: filter?.moderation ?? undefined,
    themes: filter?.themes ?? undefined,
    status: filter?.status ?? undefined,
    ward: filter?.ward ?? undefined,
    neighborhoodId: filter?.neighborhoodId ? canonicalNeighborhoodId(filter.neighborhoodId) : undefined,
    equityPriority: filter?.equityPriority ?? undefined,
    withoutNeighborhood: filter?.withoutNeighborhood ?? undefined,
    withoutTheme: filter?.withoutTheme ?? undefined,
    published: filter?.published ?? undefined,
  };
  const coveredBySearch = !filter?.conversationId && !filter?.citywideConcernId && filter?.aligned == null;
  if (coveredBySearch) return { search: { words: words.slice(0, 200), narrowing } };
  and.push({ id: { in: await searchConcernIds(prisma, words.slice(0, 200), narrowing) } });
  return { where: { AND: and } };
}

/** One page as the connection asks for it: Prisma's cursor pagination and the selection beneath it. */
export type PageQuery = Pick<Prisma.ConcernFindManyArgs, 'include' | 'select' | 'cursor' | 'take' | 'skip'>;

/**
 * The concerns one caller may see under one filter: its pages and its total count. A connection's
 * page and totalCount resolvers share one list, so a full-text search runs once for both: the
 * page's statement also counts the matches, and total() answers from it when the page was read.
 */
export class ConcernList {
  private countedWithPage: Promise<number> | undefined;

  private constructor(
    private readonly prisma: EngagementPrisma,
    private readonly query: ListQuery,
  ) {}

  static async open(
    prisma: EngagementPrisma,
    identity: Identity,
    filter: ConcernListFilter | null | undefined,
  ): Promise<ConcernList> {
    return new ConcernList(prisma, await listQuery(prisma, identity, filter));
  }

  async page(query: PageQuery, order: ConcernListOrder): Promise<Concern[]> {
    const orderBy = ORDER_BY[order];
    if ('where' in this.query) return this.prisma.concern.findMany({ ...query, where: this.query.where, orderBy });
    const { words, narrowing } = this.query.search;
    const page = searchConcernPage(this.prisma, words, narrowing, {
      order,
      take: query.take ?? 0,
      skip: query.skip ?? 0,
      cursorId: query.cursor?.id,
    });
    this.countedWithPage = page.then((p) => p.total);
    // Read only when totalCount is asked for; a failed search is reported by the page itself.
    this.countedWithPage.catch(() => {});
    return this.prisma.concern.findMany({ ...query, where: { id: { in: (await page).ids } }, orderBy });
  }

  async total(): Promise<number> {
    if ('where' in this.query) return this.prisma.concern.count({ where: this.query.where });
    if (this.countedWithPage) return this.countedWithPage;
    const { words, narrowing } = this.query.search;
    return (await searchConcernPage(this.prisma, words, narrowing, { order: 'NEWEST', take: 0, skip: 0 })).total;
  }
}
