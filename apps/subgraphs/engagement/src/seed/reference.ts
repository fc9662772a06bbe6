import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SqlClient } from '@civic/db/connect';
import { durhamNeighborhoods, durhamWards, type Indicator } from '@civic/reference-data/durham-neighborhoods';
import { equityPriorityReasons } from '@civic/reference-data/neighborhoods';
import type { Logger } from '@civic/server-kit/logger';
import { currentEquityRule, type RunSql, recomputeEquityPriority } from '../domain/equity-rule.ts';

const require = createRequire(import.meta.url);

/** A file of @civic/reference-data's demo data, as text. */
export function referenceFile(path: string): string {
  return readFileSync(require.resolve(`@civic/reference-data/data/${path}`), 'utf8');
}

/** Durham's three council wards (DataWorks NC's 2020 boundaries, RFC 7946 winding). */
export function loadWards(): {
  number: number;
  name: string;
  boundary: { type: 'MultiPolygon'; coordinates: unknown[] };
}[] {
  return durhamWards().map((w) => ({ number: w.number, name: w.name, boundary: w.boundary }));
}

/** What an indicator keeps in the `indicators` column: everything but its key, which keys it. */
function storedIndicator({ key: _key, ...rest }: Indicator) {
  return rest;
}

/** Neighborhood rows as stored, from the published data. */
export function publishedNeighborhoodRows() {
  return durhamNeighborhoods().map((n) => {
    const v = (key: keyof typeof n.indicators) => n.indicators[key].value;
    const figures = {
      povertyRate: v('povertyRate'),
      peopleOfColorShare: v('peopleOfColorShare'),
      sviOverall: v('sviOverall'),
    };
    const income = v('medianHouseholdIncome');
    return {
      id: n.id,
      slug: n.slug,
      name: n.name,
      nameEs: n.nameEs,
      ward: n.ward,
      wards: `{${n.wards.map((w) => w.ward).join(',')}}`,
      schoolZone: n.schoolZone?.name ?? null,
      schoolZoneEs: n.schoolZone?.nameEs ?? null,
      equityPriority: equityPriorityReasons(figures).length > 0,
      ...figures,
      medianHouseholdIncome: income === null ? null : Math.round(income),
      hispanicShare: v('hispanicShare'),
      blackShare: v('blackShare'),
      whiteShare: v('whiteShare'),
      population: v('population'),
      indicators: Object.fromEntries(Object.values(n.indicators).map((i) => [i.key, storedIndicator(i)])),
      boundary: n.boundary,
    };
  });
}

const VERSION_KEY = 'reference_neighborhoods_version';

/**
 * Upserts the published wards and neighborhoods (boundaries, figures, sources) when the published
 * data differ from what this database last received: on a new database, and after a release that
 * updates the data or after the migration that replaced the demo neighborhoods. Neighborhoods a
 * city added itself are left alone.
 */
export async function refreshReferenceNeighborhoods(sql: SqlClient, logger: Logger): Promise<void> {
  const wards = loadWards();
  const rows = publishedNeighborhoodRows();
  const wardsJson = JSON.stringify(wards);
  const rowsJson = JSON.stringify(rows);
  const version = createHash('sha256').update(wardsJson).update(rowsJson).digest('hex');
  await sql.exec('CREATE TABLE IF NOT EXISTS "_civic_meta" ("key" TEXT PRIMARY KEY, "value" TEXT NOT NULL)');
  const [current] = await sql.query<{ value: string }>('select value from "_civic_meta" where key = $1', [VERSION_KEY]);
  if (current?.value === version) return;
  const started = Date.now();
  await sql.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO "Ward" ("number", "name", "boundary")
       SELECT "number", "name", "boundary" FROM jsonb_to_recordset($1::jsonb) AS x("number" int, "name" text, "boundary" jsonb)
       ON CONFLICT ("number") DO UPDATE SET "name" = excluded."name", "boundary" = excluded."boundary"`,
      [wardsJson],
    );
    await tx.query(
      `INSERT INTO "Neighborhood" ("id", "slug", "name", "nameEs", "ward", "wards", "schoolZone", "schoolZoneEs",
         "equityPriority", "povertyRate", "peopleOfColorShare", "sviOverall", "medianHouseholdIncome", "hispanicShare",
         "blackShare", "whiteShare", "population", "indicators", "boundary")
       SELECT "id", "slug", "name", "nameEs", "ward", "wards"::int[], "schoolZone", "schoolZoneEs", "equityPriority",
         "povertyRate", "peopleOfColorShare", "sviOverall", "medianHouseholdIncome", "hispanicShare", "blackShare",
         "whiteShare", "population", "indicators", "boundary"
       FROM jsonb_to_recordset($1::jsonb) AS x("id" text, "slug" text, "name" text, "nameEs" text, "ward" int,
         "wards" text, "schoolZone" text, "schoolZoneEs" text, "equityPriority" boolean, "povertyRate" float8,
         "peopleOfColorShare" float8, "sviOverall" float8, "medianHouseholdIncome" int, "hispanicShare" float8,
         "blackShare" float8, "whiteShare" float8, "population" float8, "indicators" jsonb, "boundary" jsonb)
       ON CONFLICT ("id") DO UPDATE SET "slug" = excluded."slug", "name" = excluded."name", "nameEs" = excluded."nameEs",
         "ward" = excluded."ward", "wards" = excluded."wards", "schoolZone" = excluded."schoolZone",
         "schoolZoneEs" = excluded."schoolZoneEs", "equityPriority" = excluded."equityPriority",
         "povertyRate" = excluded."povertyRate", "peopleOfColorShare" = excluded."peopleOfColorShare",
         "sviOverall" = excluded."sviOverall", "medianHouseholdIncome" = excluded."medianHouseholdIncome",
         "hispanicShare" = excluded."hispanicShare", "blackShare" = excluded."blackShare",
         "whiteShare" = excluded."whiteShare", "population" = excluded."population",
         "indicators" = excluded."indicators", "boundary" = excluded."boundary"`,
      [rowsJson],
    );
    // New figures may move neighborhoods across the stored (admin-set) equity-priority rule.
    const run: RunSql = (text, params) => tx.query(text, params);
    await recomputeEquityPriority(run, (await currentEquityRule(run)).clauses);
    await tx.query(
      `INSERT INTO "_civic_meta" (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [VERSION_KEY, version],
    );
  });
  logger.info('published neighborhoods and wards loaded', {
    wards: wards.length,
    neighborhoods: rows.length,
    ms: Date.now() - started,
  });
}
