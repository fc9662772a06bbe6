-- Full-text search over services (directory search and concern matching), plus checks
-- Prisma cannot express. The "search" column is not in schema.prisma: Prisma never reads it.

-- AddColumn
ALTER TABLE "Service" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce("name", '') || ' ' || coalesce("alternateName", '')), 'A') ||
    setweight(to_tsvector('english'::regconfig, coalesce("description", '')), 'B') ||
    setweight(to_tsvector('english'::regconfig, coalesce("eligibilityDescription", '') || ' ' || coalesce("applicationProcess", '')), 'C')
) STORED;

-- CreateIndex
CREATE INDEX "Service_search_idx" ON "Service" USING GIN ("search");

-- CreateIndex
CREATE INDEX "Service_themes_idx" ON "Service" USING GIN ("themes");

-- AddCheck
ALTER TABLE "Service" ADD CONSTRAINT "Service_ages_check" CHECK (
    ("minimumAge" IS NULL OR "minimumAge" >= 0) AND
    ("maximumAge" IS NULL OR "maximumAge" >= 0) AND
    ("minimumAge" IS NULL OR "maximumAge" IS NULL OR "minimumAge" <= "maximumAge")
);

-- AddCheck
ALTER TABLE "Service" ADD CONSTRAINT "Service_wards_check" CHECK ("serviceWards" <@ ARRAY[1, 2, 3]);

-- AddCheck
ALTER TABLE "Service" ADD CONSTRAINT "Service_budget_check" CHECK ("annualBudget" IS NULL OR "annualBudget" >= 0);
