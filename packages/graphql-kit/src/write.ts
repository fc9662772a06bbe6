import { badInput, conflict } from '@civic/server-kit/errors';
import type { z } from 'zod';

/** `prefix.a.0.b`; without a prefix, a property path: `a[0].b`. */
function fieldName(prefix: string | null, path: PropertyKey[]): string {
  if (prefix !== null) return [prefix, ...path.map(String)].join('.');
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('');
}

/**
 * Parses input with a zod schema, or throws BAD_USER_INPUT listing every problem (nothing is stored).
 * Fields are named under `prefix`, or as property paths when it is null.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix: string | null = 'input',
  message = 'The input is not valid',
): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw badInput(
    message,
    result.error.issues.map((issue) => ({ field: fieldName(prefix, issue.path), message: issue.message })),
  );
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

/** The part of a Prisma client `inTransaction` uses. */
export interface TransactionRunner<Tx> {
  $transaction<R>(work: (tx: Tx) => Promise<R>, options?: { timeout?: number }): Promise<R>;
}

/**
 * Runs a write in one transaction. A unique-constraint race (two identical submissions at once)
 * becomes CONFLICT; any error rolls the whole write back.
 */
export async function inTransaction<Tx, T>(
  prisma: TransactionRunner<Tx>,
  work: (tx: Tx) => Promise<T>,
  conflictMessage = 'This was already submitted',
): Promise<T> {
  try {
    // A whole Polis export is one write; Prisma's default 5 s expired on a loaded machine and failed it.
    // Statements stay capped by the database statement timeout.
    return await prisma.$transaction(work, { timeout: 60_000 });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(conflictMessage);
    throw error;
  }
}
