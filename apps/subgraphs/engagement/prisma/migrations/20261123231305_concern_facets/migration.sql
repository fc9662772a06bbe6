-- Facets of a concern for its list filters, kept by triggers: theme:<code>, ward:<n>,
-- neighborhood:<id> and visible:public. One GIN index over them narrows a text search by theme,
-- ward, neighborhood and public visibility inside the index, before any table row is read.

-- AlterTable
ALTER TABLE "Concern" ADD COLUMN     "facets" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateFunction
CREATE FUNCTION "concern_facets"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."facets" := ARRAY(SELECT 'theme:' || t FROM unnest(coalesce(NEW."themes", '{}')) AS t)
    || CASE WHEN NEW."published" AND NEW."moderation" = 'ACCEPTED' THEN ARRAY['visible:public'] ELSE '{}'::text[] END
    || coalesce(
      (SELECT ARRAY['ward:' || n."ward", 'neighborhood:' || n."id"] FROM "Neighborhood" n WHERE n."id" = NEW."neighborhoodId"),
      '{}'::text[]
    );
  RETURN NEW;
END $$;

-- CreateTrigger
CREATE TRIGGER "Concern_facets" BEFORE INSERT OR UPDATE ON "Concern"
  FOR EACH ROW EXECUTE FUNCTION "concern_facets"();

-- A neighborhood moved to another ward moves its concerns' facets with it.
CREATE FUNCTION "neighborhood_ward_facets"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Concern" SET "neighborhoodId" = "neighborhoodId" WHERE "neighborhoodId" = NEW."id";
  RETURN NULL;
END $$;

CREATE TRIGGER "Neighborhood_ward_facets" AFTER UPDATE OF "ward" ON "Neighborhood"
  FOR EACH ROW WHEN (OLD."ward" IS DISTINCT FROM NEW."ward") EXECUTE FUNCTION "neighborhood_ward_facets"();

-- Backfill (fires the trigger on every existing row).
UPDATE "Concern" SET "neighborhoodId" = "neighborhoodId";

-- CreateIndex
CREATE INDEX "Concern_facets_idx" ON "Concern" USING GIN ("facets");
