import { isRfc7946Wound } from '@civic/geo/geometry';
import { NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engagement, publicCaller, staff, startEngagement } from './helpers.ts';

let sg: Engagement;
beforeAll(async () => {
  sg = await startEngagement(false);
});
afterAll(async () => {
  await sg?.stop();
});

describe('the demo seed', () => {
  // How long seeding takes is measured by the bench harness, not asserted here (timed tests flake).
  it('loads wards, neighborhoods, the Durham conversations and the Polis export from another place', async () => {
    const { engagementSubgraph } = await import('../src/subgraph.ts');
    const { createLogger } = await import('@civic/server-kit/logger');
    await engagementSubgraph.seed?.(sg.prisma, sg.db.sql, createLogger('engagement', 'error'), 'demo');

    expect(await sg.prisma.ward.count()).toBe(3);
    expect(await sg.prisma.neighborhood.count()).toBe(237);
    // The 12 Durham conversations of concerns-dev.csv and the Bowling Green Polis export.
    expect(await sg.prisma.conversation.count()).toBe(13);
    expect(await sg.prisma.conversation.count({ where: { sourceKind: 'CSV' } })).toBe(12);
    const durham = { conversation: { sourceKind: 'CSV' as const } };
    expect(await sg.prisma.concern.count({ where: durham })).toBe(150);
    expect(await sg.prisma.concern.count({ where: { ...durham, language: 'es' } })).toBe(40);
    expect(await sg.prisma.concern.count({ where: { ...durham, moderation: 'ACCEPTED' } })).toBe(150);
    // Demo-era names ("Hayti", "Few Gardens") resolved to published neighborhoods as imports resolve them.
    const hayti = NEIGHBORHOODS.find((n) => n.name === 'Southside / St. Teresa');
    const eastway = NEIGHBORHOODS.find((n) => n.name === 'Eastway Village');
    const { demoConcernId, demoConversationId, polisConcernId } = await import('../src/seed/demo-ids.ts');
    expect(
      (
        await sg.prisma.concern.findUnique({
          where: { id: demoConcernId('hayti-2025-03', 'Streetlights out along Fayetteville Street') },
        })
      )?.neighborhoodId,
    ).toBe(hayti?.id);
    const fewGardens = await sg.prisma.conversationNeighborhood.findMany({
      where: { conversationId: demoConversationId('few-gardens-2025-10') },
    });
    expect(fewGardens.map((l) => l.neighborhoodId)).toEqual([eastway?.id]);
    // Blank neighborhood = city-wide: no neighborhood.
    expect(await sg.prisma.concern.count({ where: { ...durham, neighborhoodId: null } })).toBeGreaterThan(0);
    // Themes are left to the alignment engine, as for any import (no staff tags).
    expect(await sg.prisma.concern.count({ where: { NOT: { themes: { isEmpty: true } }, themeSource: 'STAFF' } })).toBe(
      0,
    );

    // The Polis export is Bowling Green's: no Durham neighborhood on it or its statements.
    const polis = await sg.prisma.conversation.findFirstOrThrow({
      where: { sourceKind: 'POLIS' },
      include: { neighborhoods: true },
    });
    expect(polis.title).toBe('Improving Bowling Green / Warren County');
    expect(polis.neighborhoods).toEqual([]);
    expect(await sg.prisma.concern.count({ where: { conversationId: polis.id, NOT: { neighborhoodId: null } } })).toBe(
      0,
    );
    expect(await sg.prisma.concern.findUnique({ where: { id: polisConcernId('1') } })).not.toBeNull();

    expect(await sg.prisma.conversation.count({ where: { status: 'DRAFT' } })).toBe(1);
    expect(await sg.prisma.citywideConcern.count()).toBe(1);
    expect(await sg.prisma.concern.count({ where: { citywideConcernId: { not: null } } })).toBe(3);
  }, 180_000); // 19 s on PGlite at load 30 on 2 cores

  it('answers and aligns some concerns, Spanish ones in Spanish with an English version', async () => {
    const { DEMO_ANSWERS } = await import('../src/seed/demo-answers.ts');
    const answered = await sg.prisma.concern.findMany({
      where: { status: { not: 'NEW' } },
      include: { alignments: true },
    });
    expect(answered).toHaveLength(DEMO_ANSWERS.length);
    const services = DEMO_ANSWERS.filter((a) => (a.services ?? []).length > 0).length;
    const initiatives = DEMO_ANSWERS.filter((a) => (a.initiatives ?? []).length > 0).length;
    // Every answered concern is aligned, but the one found not feasible.
    const unaligned = answered.filter((c) => c.alignments.length === 0);
    expect(unaligned.filter((c) => c.status === 'NOT_FEASIBLE')).toHaveLength(1);
    expect(answered.length - unaligned.length).toBe(DEMO_ANSWERS.length - 1);
    expect(await sg.prisma.alignment.count({ where: { alignedBy: { not: 'seed' } } })).toBe(0);
    expect(
      new Set((await sg.prisma.alignment.findMany({ where: { serviceId: { not: null } } })).map((a) => a.concernId))
        .size,
    ).toBe(services);
    expect(
      new Set((await sg.prisma.alignment.findMany({ where: { initiativeId: { not: null } } })).map((a) => a.concernId))
        .size,
    ).toBe(initiatives);
    expect(initiatives).toBeGreaterThanOrEqual(8);
    expect(services).toBeGreaterThanOrEqual(20);
    const spanishNotes = await sg.prisma.concernStatusChange.findMany({
      where: { publicNote: { not: null }, concern: { language: 'es' } },
    });
    expect(spanishNotes.length).toBeGreaterThan(5);
    for (const n of spanishNotes) {
      expect(n.publicNoteLanguage).toBe('es');
      expect(n.publicNoteTranslation).toBeTruthy();
      expect(n.publicNoteTranslationMachine).toBe(false);
    }
    const addressed = await sg.prisma.concernStatusChange.findMany({ where: { toStatus: 'ADDRESSED' } });
    expect(addressed.length).toBeGreaterThan(0);
    expect(addressed.every((c) => c.evidenceActionOn !== null)).toBe(true);
  });

  it('is idempotent: seeding again keeps the same ids and adds nothing', async () => {
    const before = {
      conversations: (await sg.prisma.conversation.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map(
        (c) => c.id,
      ),
      concerns: await sg.prisma.concern.count(),
      changes: await sg.prisma.concernStatusChange.count(),
      alignments: await sg.prisma.alignment.count(),
    };
    const { seedDemo } = await import('../src/seed/seed.ts');
    const { createLogger } = await import('@civic/server-kit/logger');
    await seedDemo(sg.prisma, createLogger('engagement', 'error'));
    expect({
      conversations: (await sg.prisma.conversation.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map(
        (c) => c.id,
      ),
      concerns: await sg.prisma.concern.count(),
      changes: await sg.prisma.concernStatusChange.count(),
      alignments: await sg.prisma.alignment.count(),
    }).toEqual(before);
  });

  it('keeps neighborhoods’ stable ids and exposes ward boundaries as GeoJSON', async () => {
    const result = await sg.execute<{
      wards: { number: number; boundary: { type: string; coordinates: unknown[] }; neighborhoods: { id: string }[] }[];
      neighborhoods: { id: string; boundary: unknown; equityPriority: boolean }[];
    }>(
      '{ wards { number boundary neighborhoods { id } } neighborhoods { id boundary equityPriority } }',
      {},
      publicCaller,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.wards.map((w) => w.number)).toEqual([1, 2, 3]);
    expect(result.data?.wards.every((w) => w.boundary.type === 'MultiPolygon')).toBe(true);
    // RFC 7946: exterior rings counter-clockwise.
    expect(result.data?.wards.every((w) => isRfc7946Wound(w.boundary as never))).toBe(true);
    expect(new Set(result.data?.neighborhoods.map((n) => n.id))).toEqual(new Set(NEIGHBORHOODS.map((n) => n.id)));
    // Every published neighborhood has its boundary.
    const boundaries = result.data?.neighborhoods.map((n) => n.boundary as { type: string }) ?? [];
    expect(boundaries.filter((b) => b?.type === 'MultiPolygon')).toHaveLength(237);
    expect(boundaries.every((b) => isRfc7946Wound(b as never))).toBe(true);
    expect(result.data?.neighborhoods.some((n) => n.equityPriority)).toBe(true);
  });

  it('attributes the Polis conversation (CC BY 4.0) and publishes only accepted statements', async () => {
    const result = await sg.execute<{
      conversations: {
        totalCount: number;
        edges: {
          node: {
            neighborhoods: unknown[];
            source: { kind: string; license: string; attribution: string; url: string };
          };
        }[];
      };
      concerns: { totalCount: number };
    }>(
      '{ conversations(first: 100) { totalCount edges { node { neighborhoods { id } source { kind license attribution url } } } } concerns { totalCount } }',
      {},
      publicCaller,
    );
    expect(result.errors).toBeUndefined();
    // The draft is staff-only.
    expect(result.data?.conversations.totalCount).toBe(12);
    const polis = result.data?.conversations.edges.filter(({ node }) => node.source.kind === 'POLIS') ?? [];
    expect(polis).toHaveLength(1);
    expect(polis[0]?.node.source).toMatchObject({ license: 'CC BY 4.0', url: 'https://pol.is/9wtchdmmun' });
    expect(polis[0]?.node.source.attribution).toContain('The Computational Democracy Project');
    expect(polis[0]?.node.neighborhoods).toEqual([]);
    const visible = await sg.prisma.concern.count({ where: { moderation: 'ACCEPTED', published: true } });
    expect(result.data?.concerns.totalCount).toBe(visible);
    const hidden = await sg.prisma.concern.count({ where: { NOT: { moderation: 'ACCEPTED', published: true } } });
    expect(hidden).toBeGreaterThan(0);
    const all = await sg.execute<{ concerns: { totalCount: number } }>('{ concerns { totalCount } }', {}, staff);
    expect(all.data?.concerns.totalCount).toBe(await sg.prisma.concern.count());
  });
});
