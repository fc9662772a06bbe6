-- A concern in an equity-priority neighborhood carries the facet equity:priority, so the concern
-- filters' equityPriority condition narrows a text search inside the facets index. When the rule
-- or the data change a neighborhood's flag, its concerns' facets follow in the same transaction.
CREATE OR REPLACE FUNCTION "concern_facets"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."facets" := ARRAY(SELECT 'theme:' || t FROM unnest(coalesce(NEW."themes", '{}')) AS t)
    || CASE WHEN NEW."published" AND NEW."moderation" = 'ACCEPTED' THEN ARRAY['visible:public'] ELSE '{}'::text[] END
    || coalesce(
      (SELECT array_remove(ARRAY['ward:' || n."ward", 'neighborhood:' || n."id",
                CASE WHEN n."equityPriority" THEN 'equity:priority' END], NULL)
         FROM "Neighborhood" n WHERE n."id" = NEW."neighborhoodId"),
      '{}'::text[]
    );
  RETURN NEW;
END $$;

CREATE TRIGGER "Neighborhood_equity_facets" AFTER UPDATE OF "equityPriority" ON "Neighborhood"
  FOR EACH ROW WHEN (OLD."equityPriority" IS DISTINCT FROM NEW."equityPriority")
  EXECUTE FUNCTION "neighborhood_ward_facets"();

-- Backfill (fires the facets trigger on concerns in priority areas).
UPDATE "Concern" SET "neighborhoodId" = "neighborhoodId"
  WHERE "neighborhoodId" IN (SELECT "id" FROM "Neighborhood" WHERE "equityPriority");
