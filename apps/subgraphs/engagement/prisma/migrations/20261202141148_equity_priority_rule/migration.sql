-- CreateTable
CREATE TABLE "EquityPriorityRule" (
    "version" INTEGER NOT NULL,
    "clauses" JSONB NOT NULL,
    "note" TEXT,
    "changedBy" TEXT NOT NULL,
    "changedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EquityPriorityRule_pkey" PRIMARY KEY ("version")
);
