-- CreateTable
CREATE TABLE "CacheInvalidation" (
    "seq" BIGSERIAL NOT NULL,
    "tags" TEXT[],
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CacheInvalidation_pkey" PRIMARY KEY ("seq")
);
