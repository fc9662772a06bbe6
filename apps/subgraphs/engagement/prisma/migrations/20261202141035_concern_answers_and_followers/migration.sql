-- CreateEnum
CREATE TYPE "FollowTargetKind" AS ENUM ('CONCERN', 'NEIGHBORHOOD', 'INITIATIVE');

-- CreateEnum
CREATE TYPE "FollowFrequency" AS ENUM ('IMMEDIATE', 'DAILY');

-- AlterTable
ALTER TABLE "ConcernStatusChange" ADD COLUMN     "evidenceActionOn" DATE,
ADD COLUMN     "publicNoteLanguage" TEXT NOT NULL DEFAULT 'en',
ADD COLUMN     "publicNoteTranslation" TEXT,
ADD COLUMN     "publicNoteTranslationMachine" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "Follower" (
    "id" TEXT NOT NULL,
    "targetKind" "FollowTargetKind" NOT NULL,
    "targetId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "frequency" "FollowFrequency" NOT NULL DEFAULT 'IMMEDIATE',
    "confirmedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Follower_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Follower_targetKind_targetId_idx" ON "Follower"("targetKind", "targetId");

-- CreateIndex
CREATE UNIQUE INDEX "Follower_targetKind_targetId_email_key" ON "Follower"("targetKind", "targetId", "email");
