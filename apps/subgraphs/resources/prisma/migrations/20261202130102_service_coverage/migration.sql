-- AlterTable
ALTER TABLE "Service" ADD COLUMN     "coverageCitywide" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "coverageComputed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "coverageNeighborhoodIds" TEXT[] DEFAULT ARRAY[]::TEXT[];
