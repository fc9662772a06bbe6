-- The 12 demo neighborhoods become Durham's published ones (data/durham/demo-aliases.csv in
-- @civic/reference-data): concerns and conversation links under a demo id move to the published
-- neighborhood it stands for, and the demo row goes. A database without the demo rows is left as
-- it is. The published row is created here with its name and ward only; the reference seed fills
-- in the boundary and figures on the next start.

-- A neighborhood outside the city's wards has no ward: its concerns get no ward facet.
CREATE OR REPLACE FUNCTION "concern_facets"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."facets" := ARRAY(SELECT 'theme:' || t FROM unnest(coalesce(NEW."themes", '{}')) AS t)
    || CASE WHEN NEW."published" AND NEW."moderation" = 'ACCEPTED' THEN ARRAY['visible:public'] ELSE '{}'::text[] END
    || coalesce(
      (SELECT array_remove(ARRAY['ward:' || n."ward", 'neighborhood:' || n."id"], NULL) FROM "Neighborhood" n WHERE n."id" = NEW."neighborhoodId"),
      '{}'::text[]
    );
  RETURN NEW;
END $$;

-- East Durham → Old East Durham
INSERT INTO "Neighborhood" ("id", "slug", "name", "ward")
  SELECT '00dfbed0-adf8-5a2e-943e-ca95dbe314c6', 'old-east-durham', 'Old East Durham', (SELECT "number" FROM "Ward" WHERE "number" = 1)
  WHERE EXISTS (SELECT 1 FROM "Neighborhood" WHERE "id" = '831e1dac-86b6-50ba-b41f-07ab05267362')
  ON CONFLICT ("id") DO NOTHING;
UPDATE "Concern" SET "neighborhoodId" = '00dfbed0-adf8-5a2e-943e-ca95dbe314c6' WHERE "neighborhoodId" = '831e1dac-86b6-50ba-b41f-07ab05267362';
INSERT INTO "ConversationNeighborhood" ("conversationId", "neighborhoodId")
  SELECT "conversationId", '00dfbed0-adf8-5a2e-943e-ca95dbe314c6' FROM "ConversationNeighborhood" WHERE "neighborhoodId" = '831e1dac-86b6-50ba-b41f-07ab05267362'
  ON CONFLICT DO NOTHING;
DELETE FROM "ConversationNeighborhood" WHERE "neighborhoodId" = '831e1dac-86b6-50ba-b41f-07ab05267362';
DELETE FROM "Neighborhood" WHERE "id" = '831e1dac-86b6-50ba-b41f-07ab05267362';

-- Northeast Central Durham → Albright
INSERT INTO "Neighborhood" ("id", "slug", "name", "ward")
  SELECT 'b7dabf99-1fdc-5b8c-856e-395820e5b741', 'albright', 'Albright', (SELECT "number" FROM "Ward" WHERE "number" = 1)
  WHERE EXISTS (SELECT 1 FROM "Neighborhood" WHERE "id" = '22cdfab5-23d3-5ef2-8f68-4123f29798e4')
  ON CONFLICT ("id") DO NOTHING;
UPDATE "Concern" SET "neighborhoodId" = 'b7dabf99-1fdc-5b8c-856e-395820e5b741' WHERE "neighborhoodId" = '22cdfab5-23d3-5ef2-8f68-4123f29798e4';
INSERT INTO "ConversationNeighborhood" ("conversationId", "neighborhoodId")
  SELECT "conversationId", 'b7dabf99-1fdc-5b8c-856e-395820e5b741' FROM "ConversationNeighborhood" WHERE "neighborhoodId" = '22cdfab5-23d3-5ef2-8f68-4123f29798e4'
  ON CONFLICT DO NOTHING;
DELETE FROM "ConversationNeighborhood" WHERE "neighborhoodId" = '22cdfab5-23d3-5ef2-8f68-4123f29798e4';
DELETE FROM "Neighborhood" WHERE "id" = '22cdfab5-23d3-5ef2-8f68-4123f29798e4';

-- Cleveland-Holloway (cleveland-holloway): the published neighborhood has the same slug, so the same id.
-- Old North Durham (old-north-durham): the published neighborhood has the same slug, so the same id.
-- Walltown (walltown): the published neighborhood has the same slug, so the same id.
-- West End (west-end): the published neighborhood has the same slug, so the same id.
-- Trinity Park (trinity-park): the published neighborhood has the same slug, so the same id.
-- Lakewood → Lakewood Park
INSERT INTO "Neighborhood" ("id", "slug", "name", "ward")
  SELECT 'ee08b235-f9fd-5cd2-b02e-164cc5a16192', 'lakewood-park', 'Lakewood Park', (SELECT "number" FROM "Ward" WHERE "number" = 3)
  WHERE EXISTS (SELECT 1 FROM "Neighborhood" WHERE "id" = '14b7bfdb-fd5b-5f27-acf4-888960f1dc52')
  ON CONFLICT ("id") DO NOTHING;
UPDATE "Concern" SET "neighborhoodId" = 'ee08b235-f9fd-5cd2-b02e-164cc5a16192' WHERE "neighborhoodId" = '14b7bfdb-fd5b-5f27-acf4-888960f1dc52';
INSERT INTO "ConversationNeighborhood" ("conversationId", "neighborhoodId")
  SELECT "conversationId", 'ee08b235-f9fd-5cd2-b02e-164cc5a16192' FROM "ConversationNeighborhood" WHERE "neighborhoodId" = '14b7bfdb-fd5b-5f27-acf4-888960f1dc52'
  ON CONFLICT DO NOTHING;
DELETE FROM "ConversationNeighborhood" WHERE "neighborhoodId" = '14b7bfdb-fd5b-5f27-acf4-888960f1dc52';
DELETE FROM "Neighborhood" WHERE "id" = '14b7bfdb-fd5b-5f27-acf4-888960f1dc52';

-- Hayti → Southside / St. Teresa
INSERT INTO "Neighborhood" ("id", "slug", "name", "ward")
  SELECT 'e1536ee1-2817-5c7f-b893-c23546aa93d0', 'southside-st-teresa', 'Southside / St. Teresa', (SELECT "number" FROM "Ward" WHERE "number" = 1)
  WHERE EXISTS (SELECT 1 FROM "Neighborhood" WHERE "id" = 'ee8cf73d-ae2e-537e-8ef7-4532bf0a9e33')
  ON CONFLICT ("id") DO NOTHING;
UPDATE "Concern" SET "neighborhoodId" = 'e1536ee1-2817-5c7f-b893-c23546aa93d0' WHERE "neighborhoodId" = 'ee8cf73d-ae2e-537e-8ef7-4532bf0a9e33';
INSERT INTO "ConversationNeighborhood" ("conversationId", "neighborhoodId")
  SELECT "conversationId", 'e1536ee1-2817-5c7f-b893-c23546aa93d0' FROM "ConversationNeighborhood" WHERE "neighborhoodId" = 'ee8cf73d-ae2e-537e-8ef7-4532bf0a9e33'
  ON CONFLICT DO NOTHING;
DELETE FROM "ConversationNeighborhood" WHERE "neighborhoodId" = 'ee8cf73d-ae2e-537e-8ef7-4532bf0a9e33';
DELETE FROM "Neighborhood" WHERE "id" = 'ee8cf73d-ae2e-537e-8ef7-4532bf0a9e33';

-- Southside → Southside / St. Teresa
INSERT INTO "Neighborhood" ("id", "slug", "name", "ward")
  SELECT 'e1536ee1-2817-5c7f-b893-c23546aa93d0', 'southside-st-teresa', 'Southside / St. Teresa', (SELECT "number" FROM "Ward" WHERE "number" = 1)
  WHERE EXISTS (SELECT 1 FROM "Neighborhood" WHERE "id" = '79272d12-db9f-5adb-867e-f7cff3adeb9f')
  ON CONFLICT ("id") DO NOTHING;
UPDATE "Concern" SET "neighborhoodId" = 'e1536ee1-2817-5c7f-b893-c23546aa93d0' WHERE "neighborhoodId" = '79272d12-db9f-5adb-867e-f7cff3adeb9f';
INSERT INTO "ConversationNeighborhood" ("conversationId", "neighborhoodId")
  SELECT "conversationId", 'e1536ee1-2817-5c7f-b893-c23546aa93d0' FROM "ConversationNeighborhood" WHERE "neighborhoodId" = '79272d12-db9f-5adb-867e-f7cff3adeb9f'
  ON CONFLICT DO NOTHING;
DELETE FROM "ConversationNeighborhood" WHERE "neighborhoodId" = '79272d12-db9f-5adb-867e-f7cff3adeb9f';
DELETE FROM "Neighborhood" WHERE "id" = '79272d12-db9f-5adb-867e-f7cff3adeb9f';

-- Forest Hills (forest-hills): the published neighborhood has the same slug, so the same id.
-- Few Gardens → Eastway Village
INSERT INTO "Neighborhood" ("id", "slug", "name", "ward")
  SELECT 'ab4fd87b-0f9e-50d0-911b-fcc311311050', 'eastway-village', 'Eastway Village', (SELECT "number" FROM "Ward" WHERE "number" = 1)
  WHERE EXISTS (SELECT 1 FROM "Neighborhood" WHERE "id" = '5448f39f-5cd0-5c11-a391-98870a25d297')
  ON CONFLICT ("id") DO NOTHING;
UPDATE "Concern" SET "neighborhoodId" = 'ab4fd87b-0f9e-50d0-911b-fcc311311050' WHERE "neighborhoodId" = '5448f39f-5cd0-5c11-a391-98870a25d297';
INSERT INTO "ConversationNeighborhood" ("conversationId", "neighborhoodId")
  SELECT "conversationId", 'ab4fd87b-0f9e-50d0-911b-fcc311311050' FROM "ConversationNeighborhood" WHERE "neighborhoodId" = '5448f39f-5cd0-5c11-a391-98870a25d297'
  ON CONFLICT DO NOTHING;
DELETE FROM "ConversationNeighborhood" WHERE "neighborhoodId" = '5448f39f-5cd0-5c11-a391-98870a25d297';
DELETE FROM "Neighborhood" WHERE "id" = '5448f39f-5cd0-5c11-a391-98870a25d297';

