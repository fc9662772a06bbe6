-- A concern may carry the point it is about (issue 16: places are geometry): WGS84 degrees, both or neither.
ALTER TABLE "Concern" ADD COLUMN "latitude" DOUBLE PRECISION,
ADD COLUMN "longitude" DOUBLE PRECISION;

ALTER TABLE "Concern" ADD CONSTRAINT "Concern_location_check" CHECK (
  ("latitude" IS NULL) = ("longitude" IS NULL)
  AND ("latitude" IS NULL OR ("latitude" BETWEEN -90 AND 90 AND "longitude" BETWEEN -180 AND 180))
);
