-- CreateTable
CREATE TABLE "ContentTranslation" (
    "entity" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "sourceLanguage" TEXT NOT NULL,
    "machineTranslated" BOOLEAN NOT NULL,
    "sourceHash" TEXT NOT NULL,
    "updatedBy" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContentTranslation_pkey" PRIMARY KEY ("entity","entityId","field","language")
);
