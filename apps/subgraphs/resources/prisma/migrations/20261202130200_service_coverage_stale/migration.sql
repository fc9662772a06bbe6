-- A service whose area changes, by whatever path, has its coverage marked for recomputation:
-- the matcher recomputes stale rows (src/matching/coverage.ts) before it ranks anything.
CREATE FUNCTION "service_coverage_stale"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."servesCitywide" IS DISTINCT FROM OLD."servesCitywide"
     OR NEW."serviceWards" IS DISTINCT FROM OLD."serviceWards"
     OR NEW."serviceNeighborhoodIds" IS DISTINCT FROM OLD."serviceNeighborhoodIds"
     OR NEW."serviceAreaDescription" IS DISTINCT FROM OLD."serviceAreaDescription"
     OR NEW."serviceAreaGeoJson"::text IS DISTINCT FROM OLD."serviceAreaGeoJson"::text THEN
    NEW."coverageComputed" := false;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "Service_coverage_stale" BEFORE UPDATE ON "Service"
  FOR EACH ROW EXECUTE FUNCTION "service_coverage_stale"();

CREATE INDEX "Service_coverage_stale_idx" ON "Service" ("id") WHERE NOT "coverageComputed";
