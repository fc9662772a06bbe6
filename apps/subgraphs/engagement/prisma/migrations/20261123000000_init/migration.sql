-- CreateEnum
CREATE TYPE "ConcernStatus" AS ENUM ('NEW', 'UNDER_REVIEW', 'ALIGNED', 'IN_PROGRESS', 'ADDRESSED', 'NOT_FEASIBLE');

-- CreateEnum
CREATE TYPE "ModerationState" AS ENUM ('PENDING', 'ACCEPTED', 'REJECTED');

-- CreateTable
CREATE TABLE "Neighborhood" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "ward" INTEGER NOT NULL,
    "equityPriority" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Neighborhood_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Concern" (
    "id" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "detail" TEXT,
    "themes" TEXT[],
    "status" "ConcernStatus" NOT NULL DEFAULT 'NEW',
    "moderation" "ModerationState" NOT NULL DEFAULT 'PENDING',
    "published" BOOLEAN NOT NULL DEFAULT false,
    "supportCount" INTEGER NOT NULL DEFAULT 0,
    "neighborhoodId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Concern_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Neighborhood_name_key" ON "Neighborhood"("name");

-- CreateIndex
CREATE INDEX "Neighborhood_ward_idx" ON "Neighborhood"("ward");

-- CreateIndex
CREATE INDEX "Concern_neighborhoodId_idx" ON "Concern"("neighborhoodId");

-- CreateIndex
CREATE INDEX "Concern_status_idx" ON "Concern"("status");

-- AddForeignKey
ALTER TABLE "Concern" ADD CONSTRAINT "Concern_neighborhoodId_fkey" FOREIGN KEY ("neighborhoodId") REFERENCES "Neighborhood"("id") ON DELETE SET NULL ON UPDATE CASCADE;
