-- CreateIndex
CREATE INDEX "Concern_createdAt_id_idx" ON "Concern"("createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Concern_supportCount_id_idx" ON "Concern"("supportCount" DESC, "id");
