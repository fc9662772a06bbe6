-- CreateTable
CREATE TABLE "FollowerDigestItem" (
    "followerId" TEXT NOT NULL,
    "changeId" TEXT NOT NULL,
    "digestId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FollowerDigestItem_pkey" PRIMARY KEY ("followerId","changeId")
);

-- CreateTable
CREATE TABLE "FollowerDigest" (
    "id" TEXT NOT NULL,
    "followerId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "FollowerDigest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConcernDispute" (
    "id" TEXT NOT NULL,
    "concernId" TEXT NOT NULL,
    "followerId" TEXT,
    "note" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "moderation" "ModerationState" NOT NULL DEFAULT 'PENDING',
    "reopenedChangeId" TEXT,
    "moderatedBy" TEXT,
    "moderatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConcernDispute_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FollowerDigestItem_digestId_idx" ON "FollowerDigestItem"("digestId");

-- CreateIndex
CREATE INDEX "FollowerDigest_followerId_idx" ON "FollowerDigest"("followerId");

-- CreateIndex
CREATE UNIQUE INDEX "ConcernDispute_reopenedChangeId_key" ON "ConcernDispute"("reopenedChangeId");

-- CreateIndex
CREATE INDEX "ConcernDispute_concernId_createdAt_idx" ON "ConcernDispute"("concernId", "createdAt");

-- CreateIndex
CREATE INDEX "ConcernDispute_moderation_idx" ON "ConcernDispute"("moderation");

-- CreateIndex
CREATE INDEX "ConcernDispute_followerId_idx" ON "ConcernDispute"("followerId");

-- AddForeignKey
ALTER TABLE "FollowerDigestItem" ADD CONSTRAINT "FollowerDigestItem_followerId_fkey" FOREIGN KEY ("followerId") REFERENCES "Follower"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FollowerDigestItem" ADD CONSTRAINT "FollowerDigestItem_digestId_fkey" FOREIGN KEY ("digestId") REFERENCES "FollowerDigest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FollowerDigest" ADD CONSTRAINT "FollowerDigest_followerId_fkey" FOREIGN KEY ("followerId") REFERENCES "Follower"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConcernDispute" ADD CONSTRAINT "ConcernDispute_concernId_fkey" FOREIGN KEY ("concernId") REFERENCES "Concern"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConcernDispute" ADD CONSTRAINT "ConcernDispute_followerId_fkey" FOREIGN KEY ("followerId") REFERENCES "Follower"("id") ON DELETE SET NULL ON UPDATE CASCADE;
