-- Alignment bookkeeping kept by a trigger, so that every path that writes a concern (form, API, CSV
-- and Polis imports, seeds, bulk SQL) marks it for the alignment worker in the same transaction:
-- the mark is the outbox, and the worker's job only says "look at the marked concerns".
--   * themes given when a concern is created, or changed later without new confidences, are a
--     person's decision: source STAFF, never overwritten by the worker (which always writes its
--     confidences with its themes);
--   * new text, or new staff tags (learning signal), mark the concern pending and drop a stale translation.
CREATE FUNCTION "concern_alignment"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW."themeSource" IS NULL AND cardinality(NEW."themes") > 0 THEN
      NEW."themeSource" := 'STAFF';
    END IF;
    NEW."alignmentPendingSince" := coalesce(NEW."alignmentPendingSince", now() AT TIME ZONE 'UTC');
    RETURN NEW;
  END IF;
  IF NEW."themes" IS DISTINCT FROM OLD."themes" AND NEW."themeConfidence" IS NOT DISTINCT FROM OLD."themeConfidence" THEN
    NEW."themeSource" := CASE WHEN cardinality(NEW."themes") > 0 THEN 'STAFF'::"ThemeSource" END;
    NEW."themeConfidence" := NULL;
    NEW."alignmentPendingSince" := now() AT TIME ZONE 'UTC';
  END IF;
  IF NEW."summary" IS DISTINCT FROM OLD."summary" OR NEW."detail" IS DISTINCT FROM OLD."detail"
    OR NEW."language" IS DISTINCT FROM OLD."language" THEN
    NEW."englishText" := NULL;
    NEW."alignmentPendingSince" := now() AT TIME ZONE 'UTC';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "Concern_alignment" BEFORE INSERT OR UPDATE ON "Concern"
  FOR EACH ROW EXECUTE FUNCTION "concern_alignment"();

-- Existing themes were chosen by people (or by the old keyword rules on import): keep them as staff tags.
UPDATE "Concern" SET "themeSource" = 'STAFF' WHERE cardinality("themes") > 0 AND "themeSource" IS NULL;
UPDATE "Concern" SET "alignmentPendingSince" = now() AT TIME ZONE 'UTC';

CREATE INDEX "Concern_alignmentPending_idx" ON "Concern" ("alignmentPendingSince")
  WHERE "alignmentPendingSince" IS NOT NULL;
