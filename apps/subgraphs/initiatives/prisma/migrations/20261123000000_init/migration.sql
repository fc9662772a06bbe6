-- CreateEnum
CREATE TYPE "InitiativeStatus" AS ENUM ('IN_PROGRESS', 'ON_HOLD', 'COMPLETE_ONGOING');

-- CreateEnum
CREATE TYPE "MeasureDirection" AS ENUM ('UP_IS_BETTER', 'DOWN_IS_BETTER');

-- CreateEnum
CREATE TYPE "MeasureFrequency" AS ENUM ('MONTHLY', 'QUARTERLY', 'ANNUAL', 'ONE_TIME');

-- CreateEnum
CREATE TYPE "MeasureValueType" AS ENUM ('COUNT', 'PERCENT', 'NUMBER');

-- CreateEnum
CREATE TYPE "AutomaticSource" AS ENUM ('ENGAGEMENT_PUBLISHED_CONVERSATIONS');

-- CreateTable
CREATE TABLE "Goal" (
    "id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "statement" TEXT,
    "why" TEXT,
    "sourceUrl" TEXT,
    "notes" TEXT,

    CONSTRAINT "Goal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Objective" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT,
    "goalId" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "notes" TEXT,

    CONSTRAINT "Objective_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Initiative" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "status" "InitiativeStatus",
    "goalId" TEXT NOT NULL,
    "objectiveId" TEXT NOT NULL,
    "leadDepartmentId" TEXT,
    "partnerDepartmentIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "themes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "startDate" DATE,
    "targetDate" DATE,
    "whyItMatters" TEXT,
    "whatWeHaveBeenDoing" TEXT,
    "whatsNext" TEXT,
    "sourceUrl" TEXT,
    "otherSourceUrls" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "relatedFacts" JSONB NOT NULL DEFAULT '[]',
    "notes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Initiative_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InitiativeStatusChange" (
    "id" TEXT NOT NULL,
    "initiativeId" TEXT NOT NULL,
    "status" "InitiativeStatus",
    "note" TEXT,
    "changedBy" TEXT NOT NULL,
    "changedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InitiativeStatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Measure" (
    "id" TEXT NOT NULL,
    "initiativeId" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "name" TEXT,
    "unit" TEXT,
    "direction" "MeasureDirection",
    "valueType" "MeasureValueType" NOT NULL DEFAULT 'NUMBER',
    "target" DOUBLE PRECISION,
    "targetLabel" TEXT,
    "frequency" "MeasureFrequency",
    "automaticSource" "AutomaticSource",
    "note" TEXT,
    "refreshedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Measure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Observation" (
    "id" TEXT NOT NULL,
    "measureId" TEXT NOT NULL,
    "period" TEXT,
    "label" TEXT,
    "segment" TEXT NOT NULL DEFAULT '',
    "value" DOUBLE PRECISION NOT NULL,
    "note" TEXT,
    "periodInferred" BOOLEAN NOT NULL DEFAULT false,
    "automatic" BOOLEAN NOT NULL DEFAULT false,
    "sourceUrl" TEXT,
    "recordedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Observation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL,
    "initiativeId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subjectId" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "actor" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Goal_number_key" ON "Goal"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Objective_code_key" ON "Objective"("code");

-- CreateIndex
CREATE INDEX "Objective_goalId_idx" ON "Objective"("goalId");

-- CreateIndex
CREATE UNIQUE INDEX "Initiative_code_key" ON "Initiative"("code");

-- CreateIndex
CREATE INDEX "Initiative_goalId_idx" ON "Initiative"("goalId");

-- CreateIndex
CREATE INDEX "Initiative_objectiveId_idx" ON "Initiative"("objectiveId");

-- CreateIndex
CREATE INDEX "Initiative_leadDepartmentId_idx" ON "Initiative"("leadDepartmentId");

-- CreateIndex
CREATE INDEX "InitiativeStatusChange_initiativeId_changedAt_idx" ON "InitiativeStatusChange"("initiativeId", "changedAt");

-- CreateIndex
CREATE INDEX "Measure_initiativeId_position_idx" ON "Measure"("initiativeId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Observation_measureId_period_segment_key" ON "Observation"("measureId", "period", "segment");

-- CreateIndex
CREATE INDEX "AuditEntry_initiativeId_at_idx" ON "AuditEntry"("initiativeId", "at");

-- AddForeignKey
ALTER TABLE "Objective" ADD CONSTRAINT "Objective_goalId_fkey" FOREIGN KEY ("goalId") REFERENCES "Goal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Initiative" ADD CONSTRAINT "Initiative_goalId_fkey" FOREIGN KEY ("goalId") REFERENCES "Goal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Initiative" ADD CONSTRAINT "Initiative_objectiveId_fkey" FOREIGN KEY ("objectiveId") REFERENCES "Objective"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InitiativeStatusChange" ADD CONSTRAINT "InitiativeStatusChange_initiativeId_fkey" FOREIGN KEY ("initiativeId") REFERENCES "Initiative"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Measure" ADD CONSTRAINT "Measure_initiativeId_fkey" FOREIGN KEY ("initiativeId") REFERENCES "Initiative"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Observation" ADD CONSTRAINT "Observation_measureId_fkey" FOREIGN KEY ("measureId") REFERENCES "Measure"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEntry" ADD CONSTRAINT "AuditEntry_initiativeId_fkey" FOREIGN KEY ("initiativeId") REFERENCES "Initiative"("id") ON DELETE CASCADE ON UPDATE CASCADE;
