-- CreateEnum
CREATE TYPE "ThemeSource" AS ENUM ('STAFF', 'AUTOMATIC');

-- CreateEnum
CREATE TYPE "ProposedGroupState" AS ENUM ('PROPOSED', 'ACCEPTED', 'SPLIT', 'DISMISSED');

-- AlterTable
ALTER TABLE "Concern" ADD COLUMN     "alignmentPendingSince" TIMESTAMP(3),
ADD COLUMN     "englishText" TEXT,
ADD COLUMN     "themeConfidence" JSONB,
ADD COLUMN     "themeSource" "ThemeSource";

-- CreateTable
CREATE TABLE "SuggestionDismissal" (
    "id" TEXT NOT NULL,
    "concernId" TEXT NOT NULL,
    "serviceId" TEXT,
    "initiativeId" TEXT,
    "dismissedBy" TEXT NOT NULL,
    "dismissedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SuggestionDismissal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConcernNeighbor" (
    "concernId" TEXT NOT NULL,
    "neighborId" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "ConcernNeighbor_pkey" PRIMARY KEY ("concernId","neighborId")
);

-- CreateTable
CREATE TABLE "ProposedGroup" (
    "id" TEXT NOT NULL,
    "memberIds" TEXT[],
    "representativeId" TEXT NOT NULL,
    "cohesion" DOUBLE PRECISION NOT NULL,
    "state" "ProposedGroupState" NOT NULL DEFAULT 'PROPOSED',
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "citywideConcernId" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProposedGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlignmentRebuild" (
    "id" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "AlignmentRebuild_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SuggestionDismissal_concernId_serviceId_key" ON "SuggestionDismissal"("concernId", "serviceId");

-- CreateIndex
CREATE UNIQUE INDEX "SuggestionDismissal_concernId_initiativeId_key" ON "SuggestionDismissal"("concernId", "initiativeId");

-- CreateIndex
CREATE INDEX "ProposedGroup_state_idx" ON "ProposedGroup"("state");

-- AddForeignKey
ALTER TABLE "SuggestionDismissal" ADD CONSTRAINT "SuggestionDismissal_concernId_fkey" FOREIGN KEY ("concernId") REFERENCES "Concern"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConcernNeighbor" ADD CONSTRAINT "ConcernNeighbor_concernId_fkey" FOREIGN KEY ("concernId") REFERENCES "Concern"("id") ON DELETE CASCADE ON UPDATE CASCADE;
