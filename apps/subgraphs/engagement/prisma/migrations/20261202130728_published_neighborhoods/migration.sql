-- DropForeignKey
ALTER TABLE "Neighborhood" DROP CONSTRAINT "Neighborhood_ward_fkey";

-- AlterTable
ALTER TABLE "Neighborhood" ADD COLUMN     "blackShare" DOUBLE PRECISION,
ADD COLUMN     "hispanicShare" DOUBLE PRECISION,
ADD COLUMN     "indicators" JSONB,
ADD COLUMN     "nameEs" TEXT,
ADD COLUMN     "population" DOUBLE PRECISION,
ADD COLUMN     "schoolZone" TEXT,
ADD COLUMN     "schoolZoneEs" TEXT,
ADD COLUMN     "sviOverall" DOUBLE PRECISION,
ADD COLUMN     "wards" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "whiteShare" DOUBLE PRECISION,
ALTER COLUMN "ward" DROP NOT NULL;

-- AddForeignKey
ALTER TABLE "Neighborhood" ADD CONSTRAINT "Neighborhood_ward_fkey" FOREIGN KEY ("ward") REFERENCES "Ward"("number") ON DELETE SET NULL ON UPDATE CASCADE;
