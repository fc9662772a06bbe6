import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engagement, startEngagementWith } from './helpers.ts';

// "EquityGapCount" is kept by triggers (migration 20261203211500_equity_gap_counts); after every kind
// of write it must hold exactly what counting the concerns themselves gives.
const RECOUNT = `
  SELECT c."neighborhoodId", t.theme, count(*)::int AS concerns, coalesce(sum(c."supportCount"), 0)::int AS support
  FROM "Concern" c
  LEFT JOIN LATERAL unnest(c."themes") AS t(theme) ON true
  WHERE c."published" = true AND c."moderation" = 'ACCEPTED'
    AND NOT EXISTS (SELECT 1 FROM "Alignment" a WHERE a."concernId" = c."id")
  GROUP BY c."neighborhoodId", t.theme
  ORDER BY c."neighborhoodId" NULLS FIRST, t.theme NULLS FIRST`;
const MAINTAINED = `
  SELECT g."neighborhoodId", g.theme, g.concerns, g.support FROM "EquityGapCount" g
  ORDER BY g."neighborhoodId" NULLS FIRST, g.theme NULLS FIRST`;

let sg: Engagement;
let neighborhoods: string[];
let conversationId: string;

async function expectCountsCurrent() {
  type Row = { neighborhoodId: string | null; theme: string | null; concerns: number; support: number };
  const [expected, maintained] = await Promise.all([sg.db.sql.query<Row>(RECOUNT), sg.db.sql.query<Row>(MAINTAINED)]);
  expect(maintained).toEqual(expected);
  return maintained;
}

function concern(data: {
  neighborhoodId?: string | null;
  themes?: string[];
  published?: boolean;
  moderation?: 'PENDING' | 'ACCEPTED' | 'REJECTED';
  supportCount?: number;
}) {
  return sg.prisma.concern.create({
    data: {
      summary: 'gap count probe',
      themes: data.themes ?? ['HOUSING'],
      published: data.published ?? true,
      moderation: data.moderation ?? 'ACCEPTED',
      supportCount: data.supportCount ?? 1,
      neighborhoodId: data.neighborhoodId === undefined ? neighborhoods[0] : data.neighborhoodId,
      conversationId,
    },
  });
}

beforeAll(async () => {
  sg = await startEngagementWith('demo');
  neighborhoods = (await sg.prisma.neighborhood.findMany({ orderBy: { name: 'asc' }, take: 3 })).map((n) => n.id);
  conversationId = (await sg.prisma.conversation.findFirstOrThrow()).id;
});
afterAll(async () => {
  await sg?.stop();
});

describe('equity gap counts kept by triggers', () => {
  it('match a recount after the demo seed', async () => {
    const rows = await expectCountsCurrent();
    expect(rows.length).toBeGreaterThan(0);
  });

  it('follow concern inserts, updates and deletes in every state the report reads', async () => {
    const [a, b] = neighborhoods;
    const first = (await concern({ neighborhoodId: a, themes: ['HOUSING', 'TRANSPORTATION'], supportCount: 5 })).id;
    const second = (await concern({ neighborhoodId: a, themes: [] })).id;
    const third = (await concern({ neighborhoodId: null, themes: ['HEALTH'] })).id;
    const unpublished = (await concern({ neighborhoodId: b, published: false })).id;
    const pending = (await concern({ neighborhoodId: b, moderation: 'PENDING' })).id;
    await concern({ neighborhoodId: b, themes: ['HOUSING', 'HOUSING'] });
    await expectCountsCurrent();
    await sg.prisma.concern.update({ where: { id: first }, data: { supportCount: { increment: 3 } } });
    await expectCountsCurrent();
    await sg.prisma.concern.update({ where: { id: second }, data: { themes: ['PARKS_RECREATION'] } });
    await sg.prisma.concern.update({ where: { id: third }, data: { neighborhoodId: b } });
    await expectCountsCurrent();
    await sg.prisma.concern.update({ where: { id: unpublished }, data: { published: true } });
    await sg.prisma.concern.update({ where: { id: pending }, data: { moderation: 'REJECTED' } });
    await sg.prisma.concern.update({ where: { id: first }, data: { published: false } });
    await expectCountsCurrent();
    await sg.prisma.concern.updateMany({ where: { id: { in: [second, third] } }, data: { neighborhoodId: a } });
    await sg.prisma.concern.deleteMany({ where: { id: { in: [third, unpublished] } } });
    await expectCountsCurrent();
  });

  it('follow alignments made, moved and removed, and concerns deleted with their alignments', async () => {
    const [a, b] = neighborhoods;
    const one = await concern({ neighborhoodId: a, themes: ['YOUTH'] });
    const two = await concern({ neighborhoodId: b, themes: ['YOUTH'] });
    const alignment = await sg.prisma.alignment.create({
      data: { concernId: one.id, initiativeId: 'i-gap', rationale: 'probe' },
    });
    await expectCountsCurrent();
    await sg.prisma.alignment.update({ where: { id: alignment.id }, data: { concernId: two.id } });
    await expectCountsCurrent();
    await sg.prisma.alignment.create({ data: { concernId: two.id, serviceId: 's-gap', rationale: 'probe' } });
    await sg.prisma.alignment.delete({ where: { id: alignment.id } });
    await expectCountsCurrent();
    await sg.prisma.concern.delete({ where: { id: two.id } });
    await expectCountsCurrent();
    // One statement aligning a concern twice, and another already aligned one again.
    const three = await concern({ neighborhoodId: null, themes: ['YOUTH', 'HEALTH'], supportCount: 4 });
    await sg.prisma.alignment.createMany({
      data: [
        { concernId: three.id, initiativeId: 'i-gap-1', rationale: 'probe' },
        { concernId: three.id, initiativeId: 'i-gap-2', rationale: 'probe' },
        { concernId: one.id, initiativeId: 'i-gap-3', rationale: 'probe' },
      ],
    });
    await expectCountsCurrent();
  });

  it('follow a neighborhood deleted (its concerns keep counting, under no neighborhood)', async () => {
    const neighborhood = await sg.prisma.neighborhood.create({ data: { slug: 'gap-probe', name: 'Gap probe' } });
    await concern({ neighborhoodId: neighborhood.id, themes: ['ENVIRONMENT'] });
    const rows = await expectCountsCurrent();
    expect(rows.some((r) => r.neighborhoodId === neighborhood.id)).toBe(true);
    await sg.prisma.neighborhood.delete({ where: { id: neighborhood.id } });
    expect((await expectCountsCurrent()).some((r) => r.neighborhoodId === neighborhood.id)).toBe(false);
  });

  it('stay exact when transactions write concerns of the same neighborhood at the same time', async () => {
    const [a] = neighborhoods;
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        sg.prisma.$transaction(async (tx) => {
          const created = await tx.concern.create({
            data: {
              summary: `parallel ${i}`,
              themes: ['HOUSING'],
              published: true,
              moderation: 'ACCEPTED',
              neighborhoodId: a,
              conversationId,
            },
          });
          await tx.concern.update({ where: { id: created.id }, data: { supportCount: i } });
        }),
      ),
    );
    await expectCountsCurrent();
  });

  it('follow tables emptied with TRUNCATE (the seed command replaces data that way)', async () => {
    await sg.db.sql.exec('TRUNCATE "Alignment"');
    await expectCountsCurrent();
    await sg.db.sql.exec('TRUNCATE "Concern" CASCADE');
    expect(await expectCountsCurrent()).toEqual([]);
  });
});
