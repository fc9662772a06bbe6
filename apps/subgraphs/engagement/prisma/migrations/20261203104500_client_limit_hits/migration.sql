-- CreateTable
CREATE TABLE "ClientLimitHit" (
    "id" TEXT NOT NULL,
    "clientKey" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClientLimitHit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ClientLimitHit_clientKey_action_at_idx" ON "ClientLimitHit"("clientKey", "action", "at");
