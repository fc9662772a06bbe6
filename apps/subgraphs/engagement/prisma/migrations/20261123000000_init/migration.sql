-- CreateEnum
CREATE TYPE "ConcernStatus" AS ENUM ('NEW', 'UNDER_REVIEW', 'ALIGNED', 'IN_PROGRESS', 'ADDRESSED', 'NOT_FEASIBLE');

-- CreateEnum
CREATE TYPE "ModerationState" AS ENUM ('PENDING', 'ACCEPTED', 'REJECTED');

-- CreateEnum
CREATE TYPE "ConversationStatus" AS ENUM ('DRAFT', 'PUBLISHED');

-- CreateEnum
CREATE TYPE "ConversationFormat" AS ENUM ('IN_PERSON', 'VIRTUAL', 'HYBRID', 'ONLINE');

-- CreateEnum
CREATE TYPE "ConversationSourceKind" AS ENUM ('MANUAL', 'CSV', 'POLIS');

-- CreateTable
CREATE TABLE "Ward" (
    "number" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "boundary" JSONB NOT NULL,

    CONSTRAINT "Ward_pkey" PRIMARY KEY ("number")
);

-- CreateTable
CREATE TABLE "Neighborhood" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "ward" INTEGER NOT NULL,
    "equityPriority" BOOLEAN NOT NULL DEFAULT false,
    "povertyRate" DOUBLE PRECISION,
    "peopleOfColorShare" DOUBLE PRECISION,
    "medianHouseholdIncome" INTEGER,
    "boundary" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Neighborhood_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Conversation" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "heldOn" TIMESTAMP(3) NOT NULL,
    "host" TEXT,
    "languages" TEXT[],
    "format" "ConversationFormat" NOT NULL,
    "participantCount" INTEGER NOT NULL DEFAULT 0,
    "summary" TEXT,
    "notes" TEXT,
    "transcript" TEXT,
    "status" "ConversationStatus" NOT NULL DEFAULT 'DRAFT',
    "publishedAt" TIMESTAMP(3),
    "sourceKind" "ConversationSourceKind" NOT NULL DEFAULT 'MANUAL',
    "sourceExternalId" TEXT,
    "sourceUrl" TEXT,
    "sourceAttribution" TEXT,
    "sourceLicense" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConversationNeighborhood" (
    "conversationId" TEXT NOT NULL,
    "neighborhoodId" TEXT NOT NULL,

    CONSTRAINT "ConversationNeighborhood_pkey" PRIMARY KEY ("conversationId","neighborhoodId")
);

-- CreateTable
CREATE TABLE "Concern" (
    "id" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "detail" TEXT,
    "themes" TEXT[],
    "language" TEXT NOT NULL DEFAULT 'en',
    "status" "ConcernStatus" NOT NULL DEFAULT 'NEW',
    "moderation" "ModerationState" NOT NULL DEFAULT 'PENDING',
    "published" BOOLEAN NOT NULL DEFAULT false,
    "supportCount" INTEGER NOT NULL DEFAULT 0,
    "mentionCount" INTEGER NOT NULL DEFAULT 1,
    "neighborhoodId" TEXT,
    "conversationId" TEXT,
    "citywideConcernId" TEXT,
    "sourceExternalId" TEXT,
    "contactName" TEXT,
    "contactEmail" TEXT,
    "contactPhone" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Concern_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConcernStatusChange" (
    "id" TEXT NOT NULL,
    "concernId" TEXT NOT NULL,
    "fromStatus" "ConcernStatus",
    "toStatus" "ConcernStatus" NOT NULL,
    "publicNote" TEXT,
    "changedBy" TEXT NOT NULL,
    "changedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConcernStatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CitywideConcern" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT,
    "themes" TEXT[],
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CitywideConcern_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alignment" (
    "id" TEXT NOT NULL,
    "concernId" TEXT NOT NULL,
    "initiativeId" TEXT,
    "serviceId" TEXT,
    "rationale" TEXT NOT NULL,
    "alignedBy" TEXT NOT NULL,
    "alignedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Alignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL,
    "actorSubject" TEXT NOT NULL,
    "actorRole" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Ward_name_key" ON "Ward"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Neighborhood_slug_key" ON "Neighborhood"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Neighborhood_name_key" ON "Neighborhood"("name");

-- CreateIndex
CREATE INDEX "Neighborhood_ward_idx" ON "Neighborhood"("ward");

-- CreateIndex
CREATE INDEX "Conversation_status_heldOn_idx" ON "Conversation"("status", "heldOn");

-- CreateIndex
CREATE UNIQUE INDEX "Conversation_sourceKind_sourceExternalId_key" ON "Conversation"("sourceKind", "sourceExternalId");

-- CreateIndex
CREATE UNIQUE INDEX "Conversation_title_heldOn_key" ON "Conversation"("title", "heldOn");

-- CreateIndex
CREATE INDEX "ConversationNeighborhood_neighborhoodId_idx" ON "ConversationNeighborhood"("neighborhoodId");

-- CreateIndex
CREATE INDEX "Concern_neighborhoodId_idx" ON "Concern"("neighborhoodId");

-- CreateIndex
CREATE INDEX "Concern_conversationId_idx" ON "Concern"("conversationId");

-- CreateIndex
CREATE INDEX "Concern_citywideConcernId_idx" ON "Concern"("citywideConcernId");

-- CreateIndex
CREATE INDEX "Concern_status_idx" ON "Concern"("status");

-- CreateIndex
CREATE INDEX "ConcernStatusChange_concernId_changedAt_idx" ON "ConcernStatusChange"("concernId", "changedAt");

-- CreateIndex
CREATE UNIQUE INDEX "CitywideConcern_title_key" ON "CitywideConcern"("title");

-- CreateIndex
CREATE INDEX "Alignment_initiativeId_idx" ON "Alignment"("initiativeId");

-- CreateIndex
CREATE INDEX "Alignment_serviceId_idx" ON "Alignment"("serviceId");

-- CreateIndex
CREATE UNIQUE INDEX "Alignment_concernId_initiativeId_key" ON "Alignment"("concernId", "initiativeId");

-- CreateIndex
CREATE UNIQUE INDEX "Alignment_concernId_serviceId_key" ON "Alignment"("concernId", "serviceId");

-- CreateIndex
CREATE INDEX "AuditEntry_entity_entityId_idx" ON "AuditEntry"("entity", "entityId");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- AddForeignKey
ALTER TABLE "Neighborhood" ADD CONSTRAINT "Neighborhood_ward_fkey" FOREIGN KEY ("ward") REFERENCES "Ward"("number") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConversationNeighborhood" ADD CONSTRAINT "ConversationNeighborhood_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConversationNeighborhood" ADD CONSTRAINT "ConversationNeighborhood_neighborhoodId_fkey" FOREIGN KEY ("neighborhoodId") REFERENCES "Neighborhood"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Concern" ADD CONSTRAINT "Concern_neighborhoodId_fkey" FOREIGN KEY ("neighborhoodId") REFERENCES "Neighborhood"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Concern" ADD CONSTRAINT "Concern_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Concern" ADD CONSTRAINT "Concern_citywideConcernId_fkey" FOREIGN KEY ("citywideConcernId") REFERENCES "CitywideConcern"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConcernStatusChange" ADD CONSTRAINT "ConcernStatusChange_concernId_fkey" FOREIGN KEY ("concernId") REFERENCES "Concern"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alignment" ADD CONSTRAINT "Alignment_concernId_fkey" FOREIGN KEY ("concernId") REFERENCES "Concern"("id") ON DELETE CASCADE ON UPDATE CASCADE;
