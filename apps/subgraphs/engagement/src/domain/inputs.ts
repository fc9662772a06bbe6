import { THEME_CODES } from '@civic/taxonomy/themes';
import { z } from 'zod';
import { canonicalNeighborhoodId } from './neighborhood-names.ts';

export const LIMITS = {
  title: 200,
  summary: 500,
  detail: 5_000,
  host: 200,
  notes: 20_000,
  transcript: 200_000,
  publicNote: 2_000,
  rationale: 2_000,
  url: 2_000,
  attribution: 1_000,
  /** A whole Polis export (the Bowling Green one has 896 statements) fits in one write. */
  concernsPerWrite: 2_000,
  externalId: 200,
} as const;

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => (v ? v : null));
const id = z.string().trim().min(1, 'must not be empty').max(100, 'is not a valid id');

/** Demo-era ids become their published neighborhoods' (two may become one). */
function canonicalNeighborhoodIds(ids: string[]): string[] {
  return [...new Set(ids.map(canonicalNeighborhoodId))];
}

/** BCP-47 language tag such as "en", "es" or "zh-Hant". */
const language = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP-47 language tag such as "en" or "es"');
const theme = z.enum(THEME_CODES as [string, ...string[]]);
const themes = z
  .array(theme)
  .max(5, 'at most 5 themes')
  .refine((list) => new Set(list).size === list.length, 'must not repeat a theme');
const count = (max: number) => z.number().int().min(0, 'must not be negative').max(max, `must be at most ${max}`);

const contact = z
  .object({
    name: optionalText(200),
    email: z
      .string()
      .trim()
      .email('must be an email address')
      .max(320)
      .nullish()
      .transform((v) => v ?? null),
    phone: z
      .string()
      .trim()
      .regex(/^[+0-9 ().-]{7,25}$/, 'must be a phone number')
      .nullish()
      .transform((v) => v ?? null),
  })
  .nullish();

export const concernInput = z.object({
  summary: text(LIMITS.summary),
  detail: optionalText(LIMITS.detail),
  themes: themes.default([]),
  language: language.default('en'),
  neighborhoodId: id.nullish().transform((v) => (v ? canonicalNeighborhoodId(v) : null)),
  supportCount: count(1_000_000).default(0),
  mentionCount: count(1_000_000).default(1),
  moderation: z.enum(['PENDING', 'ACCEPTED', 'REJECTED']).default('PENDING'),
  contact,
});
export type ConcernInput = z.infer<typeof concernInput>;

export const concernPatch = z.object({
  id,
  summary: text(LIMITS.summary).optional(),
  detail: optionalText(LIMITS.detail).optional(),
  themes: themes.optional(),
  language: language.optional(),
  neighborhoodId: id.nullish().transform((v) => (v ? canonicalNeighborhoodId(v) : v)),
  supportCount: count(1_000_000).optional(),
  mentionCount: count(1_000_000).optional(),
  contact,
});
export type ConcernPatch = z.infer<typeof concernPatch>;

const source = z
  .object({
    kind: z.enum(['MANUAL', 'CSV', 'POLIS']),
    externalId: optionalText(LIMITS.externalId),
    url: z
      .string()
      .trim()
      .max(LIMITS.url)
      .regex(/^https?:\/\//, 'must be an http or https URL')
      .nullish()
      .transform((v) => v ?? null),
    attribution: optionalText(LIMITS.attribution),
    license: optionalText(100),
  })
  .nullish();

function noRepeatedSummaries(list: { summary?: string }[] | undefined): boolean {
  if (!list) return true;
  const seen = list.map((c) => c.summary?.toLowerCase()).filter(Boolean);
  return new Set(seen).size === seen.length;
}

const conversationFields = {
  title: text(LIMITS.title),
  heldOn: z.date().refine((d) => d.getTime() <= Date.now() + 86_400_000, 'must not be in the future'),
  host: optionalText(LIMITS.host),
  languages: z.array(language).min(1, 'at least one language').max(10).default(['en']),
  format: z.enum(['IN_PERSON', 'VIRTUAL', 'HYBRID', 'ONLINE']),
  participantCount: count(100_000).default(0),
  summary: optionalText(LIMITS.detail),
  notes: optionalText(LIMITS.notes),
  transcript: optionalText(LIMITS.transcript),
  neighborhoodIds: z
    .array(id)
    .max(50)
    .default([])
    .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a neighborhood')
    .transform(canonicalNeighborhoodIds),
};

export const createConversationInput = z.object({
  ...conversationFields,
  source,
  concerns: z
    .array(concernInput)
    .max(LIMITS.concernsPerWrite)
    .default([])
    .refine(noRepeatedSummaries, 'two concerns have the same summary'),
});
export type CreateConversationInput = z.infer<typeof createConversationInput>;

export const updateConversationInput = z
  .object({
    title: conversationFields.title.optional(),
    heldOn: conversationFields.heldOn.optional(),
    host: conversationFields.host.optional(),
    languages: z.array(language).min(1, 'at least one language').max(10).optional(),
    format: conversationFields.format.optional(),
    participantCount: count(100_000).optional(),
    summary: conversationFields.summary.optional(),
    notes: conversationFields.notes.optional(),
    transcript: conversationFields.transcript.optional(),
    neighborhoodIds: z
      .array(id)
      .max(50)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a neighborhood')
      .transform(canonicalNeighborhoodIds)
      .optional(),
    addConcerns: z
      .array(concernInput)
      .max(LIMITS.concernsPerWrite)
      .default([])
      .refine(noRepeatedSummaries, 'two concerns have the same summary'),
    updateConcerns: z
      .array(concernPatch)
      .max(LIMITS.concernsPerWrite)
      .default([])
      .refine((list) => new Set(list.map((c) => c.id)).size === list.length, 'must not repeat a concern'),
  })
  .refine(
    (v) =>
      Object.entries(v).some(([key, value]) =>
        key === 'addConcerns' || key === 'updateConcerns' ? (value as unknown[]).length > 0 : value !== undefined,
      ),
    { message: 'nothing to change' },
  );
export type UpdateConversationInput = z.infer<typeof updateConversationInput>;

export const statusChangeInput = z.object({
  concernId: id,
  status: z.enum(['NEW', 'UNDER_REVIEW', 'ALIGNED', 'IN_PROGRESS', 'ADDRESSED', 'NOT_FEASIBLE']),
  publicNote: text(LIMITS.publicNote),
  publicNoteLanguage: z
    .enum(['en', 'es'], { message: 'must be "en" or "es"' })
    .nullish()
    .transform((v) => v ?? 'en'),
  publicNoteTranslation: optionalText(LIMITS.publicNote),
  evidenceActionOn: z
    .date()
    .refine((d) => d.getTime() <= Date.now() + 86_400_000, 'must not be in the future')
    .nullish()
    .transform((v) => v ?? null),
});

export const followInput = z.object({
  targetKind: z.enum(['CONCERN', 'NEIGHBORHOOD', 'INITIATIVE']),
  targetId: id,
  email: z.string().trim().toLowerCase().email('must be an email address').max(320),
  language: z.enum(['en', 'es'], { message: 'must be "en" or "es"' }).default('en'),
  frequency: z.enum(['IMMEDIATE', 'DAILY']).default('IMMEDIATE'),
});

export const moderationInput = z.object({
  concernId: id,
  moderation: z.enum(['PENDING', 'ACCEPTED', 'REJECTED']),
  reason: optionalText(LIMITS.publicNote),
});

export const mergeInput = z
  .object({
    concernIds: z
      .array(id)
      .min(1, 'at least one concern')
      .max(LIMITS.concernsPerWrite)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a concern'),
    citywideConcernId: id.nullish(),
    newCitywideConcern: z
      .object({ title: text(LIMITS.title), summary: optionalText(LIMITS.detail), themes: themes.default([]) })
      .nullish(),
  })
  .refine((v) => Boolean(v.citywideConcernId) !== Boolean(v.newCitywideConcern), {
    message: 'give exactly one of citywideConcernId and newCitywideConcern',
    path: ['citywideConcernId'],
  });

export const alignInput = z
  .object({
    concernId: id,
    initiativeId: id.nullish(),
    serviceId: id.nullish(),
    rationale: text(LIMITS.rationale),
  })
  .refine((v) => Boolean(v.initiativeId) !== Boolean(v.serviceId), {
    message: 'give exactly one of initiativeId and serviceId',
    path: ['initiativeId'],
  });

/** "YYYY-MM" (or a full date, whose month is used). */
export const monthBound = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$/, 'must be a month as YYYY-MM')
  .transform((v) => v.slice(0, 7));

export const ALLOWED_TRANSITIONS: Record<string, readonly string[]> = {
  NEW: ['UNDER_REVIEW', 'NOT_FEASIBLE'],
  UNDER_REVIEW: ['ALIGNED', 'NOT_FEASIBLE', 'NEW'],
  ALIGNED: ['IN_PROGRESS', 'UNDER_REVIEW', 'NOT_FEASIBLE'],
  IN_PROGRESS: ['ADDRESSED', 'NOT_FEASIBLE', 'ALIGNED'],
  ADDRESSED: ['UNDER_REVIEW'],
  NOT_FEASIBLE: ['UNDER_REVIEW'],
};
