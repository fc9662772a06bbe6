-- CreateEnum
CREATE TYPE "InitiativeStatus" AS ENUM ('IN_PROGRESS', 'ON_HOLD', 'COMPLETE_ONGOING');

-- CreateTable
CREATE TABLE "Goal" (
    "id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "statement" TEXT,

    CONSTRAINT "Goal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Initiative" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "status" "InitiativeStatus",
    "goalId" TEXT NOT NULL,
    "leadDepartmentId" TEXT,
    "sourceUrl" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Initiative_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Goal_number_key" ON "Goal"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Initiative_code_key" ON "Initiative"("code");

-- CreateIndex
CREATE INDEX "Initiative_goalId_idx" ON "Initiative"("goalId");

-- CreateIndex
CREATE INDEX "Initiative_leadDepartmentId_idx" ON "Initiative"("leadDepartmentId");

-- AddForeignKey
ALTER TABLE "Initiative" ADD CONSTRAINT "Initiative_goalId_fkey" FOREIGN KEY ("goalId") REFERENCES "Goal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
