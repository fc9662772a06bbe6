import {
  inputFields,
  type InputFieldSpec as KitFieldSpec,
  type InputFieldTable as KitFieldTable,
} from '@civic/graphql-kit/input-fields';
import { THEME_CODES } from '@civic/taxonomy/themes';
import { z } from 'zod';
import type { ArgFields, InputFields } from '../schema/enums.ts';
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

export const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => (v ? v : null));
export const id = z.string().trim().min(1, 'must not be empty').max(100, 'is not a valid id');

/** Demo-era ids become their published neighborhoods' (two may become one). */
export function canonicalNeighborhoodIds(ids: string[]): string[] {
  return [...new Set(ids.map(canonicalNeighborhoodId))];
}

/** BCP-47 language tag such as "en", "es" or "zh-Hant". */
export const language = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP-47 language tag such as "en" or "es"');
export const theme = z.enum(THEME_CODES as [string, ...string[]]);
export const themes = z
  .array(theme)
  .max(5, 'at most 5 themes')
  .refine((list) => new Set(list).size === list.length, 'must not repeat a theme');
export const count = (max: number) =>
  z.number().int().min(0, 'must not be negative').max(max, `must be at most ${max}`);

/** "YYYY-MM" (or a full date, whose month is used). */
export const monthBound = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$/, 'must be a month as YYYY-MM')
  .transform((v) => v.slice(0, 7));

/**
 * An input declared once (`@civic/graphql-kit/input-fields`): each field's zod rule (`schema`) beside
 * its GraphQL field. The write parses with `TABLE.schema`, the schema file declares the input type
 * with `fields: (t) => TABLE.fields(t)` (mutation arguments: `args: builder.args((t) => TABLE.fields(t))`).
 */
export const inputTable = inputFields<InputFields>();
/** A mutation's arguments as one table. */
export const argTable = inputFields<ArgFields>();
/** Part of an input table, spread into several inputs. */
export type InputFieldTable = KitFieldTable<InputFields>;
/** One field of an input table (for fields several inputs share). */
export type InputFieldSpec = KitFieldSpec<InputFields>;

/**
 * Whether an input creates (required fields, defaults filled in) or changes (every field optional,
 * an omitted one stays as it is): one field table serves both.
 */
export interface InputMode<Creates extends boolean> {
  creates: Creates;
  /** Required when creating, optional when changing. */
  opt<T extends z.ZodType>(rule: T): Creates extends true ? T : z.ZodOptional<T>;
  /** `fallback` when creating, optional when changing. */
  def<T extends z.ZodType>(rule: T, fallback: z.output<T>): Creates extends true ? z.ZodDefault<T> : z.ZodOptional<T>;
}

export const CREATING: InputMode<true> = {
  creates: true,
  opt: (rule) => rule as never,
  def: (rule, fallback) => rule.default(fallback as never) as never,
};

export const CHANGING: InputMode<false> = {
  creates: false,
  opt: (rule) => rule.optional() as never,
  def: (rule) => rule.optional() as never,
};
