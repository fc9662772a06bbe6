-- Who made a change is optional: a caller without a subject is stored as NULL, no longer as '' (or
-- 'unknown' for the equity rule).
ALTER TABLE "Conversation" ALTER COLUMN "createdBy" DROP NOT NULL;
UPDATE "Conversation" SET "createdBy" = NULL WHERE "createdBy" = '';

ALTER TABLE "ConcernStatusChange" ALTER COLUMN "changedBy" DROP NOT NULL;
UPDATE "ConcernStatusChange" SET "changedBy" = NULL WHERE "changedBy" = '';

ALTER TABLE "CitywideConcern" ALTER COLUMN "createdBy" DROP NOT NULL;
UPDATE "CitywideConcern" SET "createdBy" = NULL WHERE "createdBy" = '';

ALTER TABLE "Alignment" ALTER COLUMN "alignedBy" DROP NOT NULL;
UPDATE "Alignment" SET "alignedBy" = NULL WHERE "alignedBy" = '';

ALTER TABLE "SuggestionDismissal" ALTER COLUMN "dismissedBy" DROP NOT NULL;
UPDATE "SuggestionDismissal" SET "dismissedBy" = NULL WHERE "dismissedBy" = '';

ALTER TABLE "EquityPriorityRule" ALTER COLUMN "changedBy" DROP NOT NULL;
UPDATE "EquityPriorityRule" SET "changedBy" = NULL WHERE "changedBy" = 'unknown';

UPDATE "ProposedGroup" SET "decidedBy" = NULL WHERE "decidedBy" = '';
UPDATE "ConcernDispute" SET "moderatedBy" = NULL WHERE "moderatedBy" = '';
