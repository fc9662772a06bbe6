-- The equity gap report's counts, kept current by triggers in the transaction of every write to
-- "Concern" or "Alignment": published, accepted concerns (PUBLIC_CONCERN in src/domain/visibility.ts)
-- with no alignment, by neighborhood and theme (a concern counts once per theme, under a NULL theme
-- when it has none). A change recounts only the neighborhoods it touches (their concerns, by the
-- neighborhoodId index), so reading the report costs the same at any number of concerns.

-- CreateTable
CREATE TABLE "EquityGapCount" (
    "key" TEXT NOT NULL,
    "neighborhoodId" TEXT,
    "theme" TEXT,
    "concerns" INTEGER NOT NULL,
    "support" INTEGER NOT NULL,

    CONSTRAINT "EquityGapCount_pkey" PRIMARY KEY ("key")
);

-- Every change to the counts of a neighborhood holds this transaction lock on it (taken in a fixed
-- order), so that a concurrent change of the same neighborhood waits for this one's commit.
CREATE FUNCTION equity_gap_lock(neighborhood_ids TEXT[], with_none BOOLEAN) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  lock_key TEXT;
BEGIN
  FOR lock_key IN
    SELECT DISTINCT k FROM unnest(neighborhood_ids || CASE WHEN with_none THEN ARRAY[''] ELSE ARRAY[]::TEXT[] END) AS k
    ORDER BY k
  LOOP
    PERFORM pg_advisory_xact_lock(hashtext('equity_gap:' || lock_key));
  END LOOP;
END $$;

-- Recounts the groups of these neighborhoods (and of concerns with no neighborhood when
-- with_none) from their concerns; after the lock, each statement sees what concurrent writers committed.
CREATE FUNCTION equity_gap_recount(neighborhood_ids TEXT[], with_none BOOLEAN) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(array_length(neighborhood_ids, 1), 0) = 0 AND NOT with_none THEN
    RETURN;
  END IF;
  PERFORM equity_gap_lock(neighborhood_ids, with_none);
  DELETE FROM "EquityGapCount" g
  WHERE g."neighborhoodId" = ANY (neighborhood_ids) OR (with_none AND g."neighborhoodId" IS NULL);
  INSERT INTO "EquityGapCount" ("key", "neighborhoodId", "theme", "concerns", "support")
  SELECT coalesce(c."neighborhoodId", '') || chr(31) || coalesce(t.theme, ''), c."neighborhoodId", t.theme,
         count(*)::int, coalesce(sum(c."supportCount"), 0)::int
  FROM "Concern" c
  LEFT JOIN LATERAL unnest(c."themes") AS t(theme) ON true
  WHERE c."published" = true AND c."moderation" = 'ACCEPTED'
    AND NOT EXISTS (SELECT 1 FROM "Alignment" a WHERE a."concernId" = c."id")
    AND (c."neighborhoodId" = ANY (neighborhood_ids) OR (with_none AND c."neighborhoodId" IS NULL))
  GROUP BY c."neighborhoodId", t.theme;
END $$;

CREATE FUNCTION equity_gap_recount_all() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM equity_gap_recount(ARRAY(SELECT n."id" FROM "Neighborhood" n), true);
  -- Groups of neighborhoods that no longer exist cannot remain (their concerns were set to none).
  DELETE FROM "EquityGapCount" g
  WHERE g."neighborhoodId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Neighborhood" n WHERE n."id" = g."neighborhoodId");
END $$;

-- Concern rows: the neighborhoods of the public rows before and after (an update only when a
-- column the report reads changed).
CREATE FUNCTION equity_gap_concern_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids TEXT[];
  with_none BOOLEAN;
BEGIN
  -- New concerns only add to the counts (no alignment can name them yet), so bulk inserts such as
  -- the synthetic seed do not recount their neighborhoods batch after batch.
  SELECT coalesce(array_agg(DISTINCT r."neighborhoodId") FILTER (WHERE r."neighborhoodId" IS NOT NULL), '{}'),
         coalesce(bool_or(r."neighborhoodId" IS NULL), false)
  INTO ids, with_none
  FROM new_rows r WHERE r."published" AND r."moderation" = 'ACCEPTED';
  IF coalesce(array_length(ids, 1), 0) = 0 AND NOT with_none THEN
    RETURN NULL;
  END IF;
  PERFORM equity_gap_lock(ids, with_none);
  INSERT INTO "EquityGapCount" AS g ("key", "neighborhoodId", "theme", "concerns", "support")
  SELECT coalesce(c."neighborhoodId", '') || chr(31) || coalesce(t.theme, ''), c."neighborhoodId", t.theme,
         count(*)::int, coalesce(sum(c."supportCount"), 0)::int
  FROM new_rows c
  LEFT JOIN LATERAL unnest(c."themes") AS t(theme) ON true
  WHERE c."published" AND c."moderation" = 'ACCEPTED'
    AND NOT EXISTS (SELECT 1 FROM "Alignment" a WHERE a."concernId" = c."id")
  GROUP BY c."neighborhoodId", t.theme
  ON CONFLICT ("key") DO UPDATE SET "concerns" = g."concerns" + excluded."concerns", "support" = g."support" + excluded."support";
  RETURN NULL;
END $$;

CREATE FUNCTION equity_gap_concern_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids TEXT[];
  with_none BOOLEAN;
BEGIN
  SELECT coalesce(array_agg(DISTINCT r."neighborhoodId") FILTER (WHERE r."neighborhoodId" IS NOT NULL), '{}'),
         coalesce(bool_or(r."neighborhoodId" IS NULL), false)
  INTO ids, with_none
  FROM old_rows r WHERE r."published" AND r."moderation" = 'ACCEPTED';
  PERFORM equity_gap_recount(ids, with_none);
  RETURN NULL;
END $$;

CREATE FUNCTION equity_gap_concern_update() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids TEXT[];
  with_none BOOLEAN;
BEGIN
  SELECT coalesce(array_agg(DISTINCT side."neighborhoodId") FILTER (WHERE side."neighborhoodId" IS NOT NULL), '{}'),
         coalesce(bool_or(side."neighborhoodId" IS NULL), false)
  INTO ids, with_none
  FROM old_rows o
  JOIN new_rows n ON n."id" = o."id"
  CROSS JOIN LATERAL (VALUES (o."neighborhoodId", o."published" AND o."moderation" = 'ACCEPTED'),
                             (n."neighborhoodId", n."published" AND n."moderation" = 'ACCEPTED'))
    AS side("neighborhoodId", visible)
  WHERE side.visible
    AND (o."published", o."moderation", o."themes", o."neighborhoodId", o."supportCount")
        IS DISTINCT FROM (n."published", n."moderation", n."themes", n."neighborhoodId", n."supportCount");
  PERFORM equity_gap_recount(ids, with_none);
  RETURN NULL;
END $$;

-- Alignment rows: the neighborhoods of the public concerns they belong to (a concern deleted with
-- its alignments is recounted by the concern's own trigger).
CREATE FUNCTION equity_gap_recount_concerns(concern_ids TEXT[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  ids TEXT[];
  with_none BOOLEAN;
BEGIN
  SELECT coalesce(array_agg(DISTINCT c."neighborhoodId") FILTER (WHERE c."neighborhoodId" IS NOT NULL), '{}'),
         coalesce(bool_or(c."neighborhoodId" IS NULL), false)
  INTO ids, with_none
  FROM "Concern" c WHERE c."id" = ANY (concern_ids) AND c."published" AND c."moderation" = 'ACCEPTED';
  PERFORM equity_gap_recount(ids, with_none);
END $$;

CREATE FUNCTION equity_gap_alignment_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids TEXT[];
  with_none BOOLEAN;
BEGIN
  -- New alignments only take away the concerns they are the first alignments of.
  SELECT coalesce(array_agg(DISTINCT c."neighborhoodId") FILTER (WHERE c."neighborhoodId" IS NOT NULL), '{}'),
         coalesce(bool_or(c."neighborhoodId" IS NULL), false)
  INTO ids, with_none
  FROM "Concern" c
  WHERE c."id" IN (SELECT r."concernId" FROM new_rows r) AND c."published" AND c."moderation" = 'ACCEPTED';
  IF coalesce(array_length(ids, 1), 0) = 0 AND NOT with_none THEN
    RETURN NULL;
  END IF;
  PERFORM equity_gap_lock(ids, with_none);
  WITH first_aligned AS (
    SELECT c.* FROM "Concern" c
    WHERE c."id" IN (SELECT r."concernId" FROM new_rows r) AND c."published" AND c."moderation" = 'ACCEPTED'
      AND NOT EXISTS (SELECT 1 FROM "Alignment" a
                      WHERE a."concernId" = c."id" AND NOT EXISTS (SELECT 1 FROM new_rows r WHERE r."id" = a."id"))
  ), removed AS (
    SELECT coalesce(c."neighborhoodId", '') || chr(31) || coalesce(t.theme, '') AS "key",
           count(*)::int AS concerns, coalesce(sum(c."supportCount"), 0)::int AS support
    FROM first_aligned c
    LEFT JOIN LATERAL unnest(c."themes") AS t(theme) ON true
    GROUP BY 1
  )
  UPDATE "EquityGapCount" g SET "concerns" = g."concerns" - removed.concerns, "support" = g."support" - removed.support
  FROM removed WHERE g."key" = removed."key";
  DELETE FROM "EquityGapCount" g
  WHERE g."concerns" <= 0 AND (g."neighborhoodId" = ANY (ids) OR (with_none AND g."neighborhoodId" IS NULL));
  RETURN NULL;
END $$;

CREATE FUNCTION equity_gap_alignment_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM equity_gap_recount_concerns(ARRAY(SELECT DISTINCT r."concernId" FROM old_rows r));
  RETURN NULL;
END $$;

CREATE FUNCTION equity_gap_alignment_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM equity_gap_recount_concerns(ARRAY(
    SELECT r."concernId" FROM old_rows r UNION SELECT r."concernId" FROM new_rows r));
  RETURN NULL;
END $$;

CREATE FUNCTION equity_gap_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'Concern' THEN
    DELETE FROM "EquityGapCount";
  ELSE
    PERFORM equity_gap_recount_all();
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER equity_gap_concern_insert AFTER INSERT ON "Concern"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION equity_gap_concern_insert();
CREATE TRIGGER equity_gap_concern_update AFTER UPDATE ON "Concern"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION equity_gap_concern_update();
CREATE TRIGGER equity_gap_concern_delete AFTER DELETE ON "Concern"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION equity_gap_concern_delete();
CREATE TRIGGER equity_gap_concern_truncate AFTER TRUNCATE ON "Concern"
  FOR EACH STATEMENT EXECUTE FUNCTION equity_gap_truncate();
CREATE TRIGGER equity_gap_alignment_insert AFTER INSERT ON "Alignment"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION equity_gap_alignment_insert();
CREATE TRIGGER equity_gap_alignment_update AFTER UPDATE ON "Alignment"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION equity_gap_alignment_update();
CREATE TRIGGER equity_gap_alignment_delete AFTER DELETE ON "Alignment"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION equity_gap_alignment_delete();
CREATE TRIGGER equity_gap_alignment_truncate AFTER TRUNCATE ON "Alignment"
  FOR EACH STATEMENT EXECUTE FUNCTION equity_gap_truncate();

SELECT equity_gap_recount_all();
