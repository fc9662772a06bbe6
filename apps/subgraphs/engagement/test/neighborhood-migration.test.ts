import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations } from '@civic/db/migrate';
import { createTestDatabase, type TestDatabase } from '@civic/db/testing';
import { LEGACY_NEIGHBORHOODS, NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import { createLogger } from '@civic/server-kit/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshReferenceNeighborhoods } from '../src/seed/reference.ts';
import { engagementSubgraph } from '../src/subgraph.ts';
import { publicCaller, startEngagementWith } from './helpers.ts';

/** The first migration of the published neighborhoods: a database from before it holds demo-era ids. */
const FIRST_PUBLISHED = '20261202130728_published_neighborhoods';
const legacy = (slug: string) =>
  LEGACY_NEIGHBORHOODS.find((n) => n.slug === slug) as (typeof LEGACY_NEIGHBORHOODS)[number];
const published = (slug: string) => NEIGHBORHOODS.find((n) => n.slug === slug)?.id as string;

describe('moving a demo-era database to the published neighborhoods', () => {
  let db: TestDatabase;
  let before: string;
  beforeAll(async () => {
    db = await createTestDatabase('engagement-legacy');
    before = mkdtempSync(join(tmpdir(), 'engagement-migrations-'));
    for (const name of readdirSync(engagementSubgraph.migrationsDir)) {
      if (name < FIRST_PUBLISHED)
        cpSync(join(engagementSubgraph.migrationsDir, name), join(before, name), { recursive: true });
    }
    await applyMigrations(db.sql, before);
  });
  afterAll(async () => {
    await db?.destroy();
    if (before) rmSync(before, { recursive: true, force: true });
  });

  it('moves concerns and conversation links from the demo ids to the published ones, once', async () => {
    const sql = db.sql;
    await sql.query(
      `INSERT INTO "Ward" ("number", "name", "boundary") VALUES (1, 'Ward 1', '{}'), (2, 'Ward 2', '{}'), (3, 'Ward 3', '{}')`,
    );
    for (const [slug, ward] of [
      ['hayti', 3],
      ['southside', 3],
      ['few-gardens', 3],
      ['walltown', 2],
    ] as const) {
      const n = legacy(slug);
      await sql.query('INSERT INTO "Neighborhood" ("id", "slug", "name", "ward") VALUES ($1, $2, $3, $4)', [
        n.id,
        n.slug,
        n.name,
        ward,
      ]);
    }
    await sql.query(
      `INSERT INTO "Conversation" ("id", "title", "heldOn", "format", "status", "sourceKind", "createdBy", "updatedAt")
       VALUES ('conv-1', 'Old demo', now(), 'IN_PERSON', 'PUBLISHED', 'MANUAL', 'seed', now())`,
    );
    await sql.query(
      `INSERT INTO "ConversationNeighborhood" ("conversationId", "neighborhoodId") VALUES ('conv-1', $1), ('conv-1', $2), ('conv-1', $3)`,
      [legacy('hayti').id, legacy('southside').id, legacy('walltown').id],
    );
    for (const [id, slug] of [
      ['c-hayti', 'hayti'],
      ['c-gardens', 'few-gardens'],
      ['c-walltown', 'walltown'],
    ] as const) {
      await sql.query(
        `INSERT INTO "Concern" ("id", "summary", "language", "conversationId", "neighborhoodId", "updatedAt")
         VALUES ($1, $2, 'en', 'conv-1', $3, now())`,
        [id, `Concern in ${slug}`, legacy(slug).id],
      );
    }

    await applyMigrations(sql, engagementSubgraph.migrationsDir);

    const concerns = await sql.query<{ id: string; neighborhoodId: string; facets: string[] }>(
      'SELECT "id", "neighborhoodId", "facets" FROM "Concern" ORDER BY "id"',
    );
    expect(concerns.map((c) => [c.id, c.neighborhoodId])).toEqual([
      ['c-gardens', published('eastway-village')],
      ['c-hayti', published('southside-st-teresa')],
      ['c-walltown', published('walltown')],
    ]);
    expect(concerns.find((c) => c.id === 'c-hayti')?.facets).toContain(
      `neighborhood:${published('southside-st-teresa')}`,
    );
    const links = await sql.query<{ neighborhoodId: string }>(
      'SELECT "neighborhoodId" FROM "ConversationNeighborhood" ORDER BY "neighborhoodId"',
    );
    expect(links.map((l) => l.neighborhoodId).sort()).toEqual(
      [published('southside-st-teresa'), published('walltown')].sort(),
    );
    const legacyIds = LEGACY_NEIGHBORHOODS.map((n) => n.id).filter((id) => !NEIGHBORHOODS.some((p) => p.id === id));
    const left = await sql.query('SELECT "id" FROM "Neighborhood" WHERE "id" = ANY($1::text[])', [legacyIds]);
    expect(left).toEqual([]);

    // The next start fills in the published data: every neighborhood, its boundary and figures.
    await refreshReferenceNeighborhoods(sql, createLogger('engagement', 'error'));
    const rows = await sql.query<{ id: string; name: string; ward: number | null; boundary: { type: string } | null }>(
      'SELECT "id", "name", "ward", "boundary" FROM "Neighborhood"',
    );
    expect(rows).toHaveLength(237);
    expect(rows.every((r) => r.boundary?.type === 'MultiPolygon')).toBe(true);
    expect(rows.find((r) => r.id === published('southside-st-teresa'))).toMatchObject({
      name: 'Southside / St. Teresa',
      ward: 1,
    });
    const [ward] = await sql.query<{ boundary: { type: string } }>('SELECT "boundary" FROM "Ward" WHERE "number" = 1');
    expect(ward?.boundary.type).toBe('MultiPolygon');
    const [moved] = await sql.query<{ facets: string[] }>(`SELECT "facets" FROM "Concern" WHERE "id" = 'c-hayti'`);
    expect(moved?.facets).toContain('ward:1');
  });
});

describe('CIVIC_SEED=reference', () => {
  it('loads the wards and the published neighborhoods, and no conversations or concerns', async () => {
    const sg = await startEngagementWith('reference');
    try {
      expect(await sg.prisma.ward.count()).toBe(3);
      expect(await sg.prisma.neighborhood.count()).toBe(237);
      expect(await sg.prisma.conversation.count()).toBe(0);
      expect(await sg.prisma.concern.count()).toBe(0);
      const result = await sg.execute<{
        neighborhood: {
          name: string;
          nameEs: string;
          localizedName: string;
          ward: number;
          wards: number[];
          schoolZone: string;
          peopleOfColorShare: number;
          indicators: { key: string; value: number | null; vintage: string; source: string; series: unknown[] }[];
        };
      }>(
        `query ($id: ID!) { neighborhood(id: $id) { name nameEs localizedName(language: "es") ward wards schoolZone
          peopleOfColorShare indicators { key value vintage source series { year } } } }`,
        { id: published('old-east-durham') },
        publicCaller,
      );
      expect(result.errors).toBeUndefined();
      const n = result.data?.neighborhood;
      expect(n).toMatchObject({ name: 'Old East Durham', nameEs: 'Old East Durham', ward: 1, wards: [1, 2] });
      expect(n?.schoolZone).toMatch(/School Assignment Zone/);
      const poc = n?.indicators.find((i) => i.key === 'peopleOfColorShare');
      expect(poc).toMatchObject({ value: n?.peopleOfColorShare, vintage: 'ACS 2019–2023' });
      expect(poc?.source).toContain('Neighborhood Compass');
      expect(poc?.series.length).toBeGreaterThan(5);
      expect(n?.indicators.find((i) => i.key === 'sviOverall')).toMatchObject({ vintage: 'SVI 2018' });
    } finally {
      await sg.stop();
    }
  });
});
