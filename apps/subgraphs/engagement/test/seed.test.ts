import { isRfc7946Wound } from '@civic/geo/geometry';
import { LEGACY_NEIGHBORHOODS, NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
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
  it('loads wards, neighborhoods and the Polis conversations', async () => {
    const { engagementSubgraph } = await import('../src/subgraph.ts');
    const { createLogger } = await import('@civic/server-kit/logger');
    await engagementSubgraph.seed?.(sg.prisma, sg.db.sql, createLogger('engagement', 'error'), 'demo');

    expect(await sg.prisma.ward.count()).toBe(3);
    expect(await sg.prisma.neighborhood.count()).toBe(237);
    // One demo conversation for each of the 12 demo-era neighborhood names.
    expect(await sg.prisma.conversation.count()).toBe(LEGACY_NEIGHBORHOODS.length);
    expect(await sg.prisma.concern.count()).toBe(896);
    expect(await sg.prisma.concern.count({ where: { moderation: 'ACCEPTED' } })).toBe(607);
    expect(await sg.prisma.concern.count({ where: { moderation: 'REJECTED' } })).toBe(289);
    expect(await sg.prisma.conversation.count({ where: { status: 'DRAFT' } })).toBe(2);
    expect(await sg.prisma.concernStatusChange.count({ where: { toStatus: 'UNDER_REVIEW' } })).toBe(3);
    expect(await sg.prisma.alignment.count()).toBe(0);
    expect(await sg.prisma.citywideConcern.count()).toBe(1);
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

  it('attributes the Polis conversations (CC BY 4.0) and publishes only accepted statements', async () => {
    const result = await sg.execute<{
      conversations: {
        totalCount: number;
        edges: { node: { source: { kind: string; license: string; attribution: string; url: string } } }[];
      };
      concerns: { totalCount: number };
    }>(
      '{ conversations(first: 100) { totalCount edges { node { source { kind license attribution url } } } } concerns { totalCount } }',
      {},
      publicCaller,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.conversations.totalCount).toBe(LEGACY_NEIGHBORHOODS.length - 2);
    for (const { node } of result.data?.conversations.edges ?? []) {
      expect(node.source).toMatchObject({ kind: 'POLIS', license: 'CC BY 4.0', url: 'https://pol.is/9wtchdmmun' });
      expect(node.source.attribution).toContain('The Computational Democracy Project');
    }
    const visible = await sg.prisma.concern.count({ where: { moderation: 'ACCEPTED', published: true } });
    expect(result.data?.concerns.totalCount).toBe(visible);
    expect(visible).toBeLessThan(607);
    const all = await sg.execute<{ concerns: { totalCount: number } }>('{ concerns { totalCount } }', {}, staff);
    expect(all.data?.concerns.totalCount).toBe(896);
  });
});
