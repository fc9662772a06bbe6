-- The matcher checks the directory's version before every ranking (src/domain/matching.ts). Until now that
-- check counted "Service" (an index-only scan over every row, 5,000 at N=1 and growing with the directory);
-- a statement-level trigger now bumps one counter row in each writing statement's own transaction, so the
-- check reads one row whatever the directory's size, and a write is seen once it commits.
CREATE TABLE "ServiceTableVersion" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "ServiceTableVersion_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ServiceTableVersion_one_row" CHECK ("id" = 1)
);

INSERT INTO "ServiceTableVersion" ("id", "version") VALUES (1, 0);

CREATE FUNCTION "service_table_version_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ServiceTableVersion" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END $$;

CREATE TRIGGER "Service_table_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Service"
  FOR EACH STATEMENT EXECUTE FUNCTION "service_table_version_bump"();

-- The index the counting check read (migration service_version_index) serves nothing now.
DROP INDEX "Service_updatedAt_coverageComputed_idx";
