-- Full-text search over concerns and conversations, plus checks Prisma cannot express.
-- The "search" columns are not in schema.prisma: Prisma never reads them, queries use them in raw SQL.

-- AddColumn
ALTER TABLE "Concern" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce("summary", '')), 'A') ||
    setweight(to_tsvector('english'::regconfig, coalesce("detail", '')), 'B')
) STORED;

-- CreateIndex
CREATE INDEX "Concern_search_idx" ON "Concern" USING GIN ("search");

-- CreateIndex
CREATE INDEX "Concern_themes_idx" ON "Concern" USING GIN ("themes");

-- AddColumn
ALTER TABLE "Conversation" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce("title", '')), 'A') ||
    setweight(to_tsvector('english'::regconfig, coalesce("summary", '')), 'B')
) STORED;

-- CreateIndex
CREATE INDEX "Conversation_search_idx" ON "Conversation" USING GIN ("search");

-- AddCheck
ALTER TABLE "Alignment" ADD CONSTRAINT "Alignment_one_target_check" CHECK (("initiativeId" IS NULL) <> ("serviceId" IS NULL));

-- AddCheck
ALTER TABLE "Concern" ADD CONSTRAINT "Concern_counts_check" CHECK ("supportCount" >= 0 AND "mentionCount" >= 0);

-- AddCheck
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_participants_check" CHECK ("participantCount" >= 0);

-- AddCheck
ALTER TABLE "Neighborhood" ADD CONSTRAINT "Neighborhood_ward_check" CHECK ("ward" >= 1);
