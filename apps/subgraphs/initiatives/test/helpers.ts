import { departmentBySlug } from '@civic/reference-data/departments';
import type { ExecutionResult } from '@civic/test-stack/subgraph';
import { expect } from 'vitest';

/** Demo lead departments (see src/seed/seed.ts). */
export const COMMS = departmentBySlug('communications-marketing').id;
export const POLICE = departmentBySlug('police').id;
export const SAFETY = departmentBySlug('community-safety').id;

export function errorCode(result: ExecutionResult<unknown>): unknown {
  expect(result.errors, 'expected an error').toBeDefined();
  return result.errors?.[0]?.extensions?.code;
}

export function ok<T>(result: ExecutionResult<T>): T {
  expect(result.errors).toBeUndefined();
  if (!result.data) throw new Error('no data');
  return result.data;
}

/** Response data in tests, whose shape the assertions check. */
// biome-ignore lint/suspicious/noExplicitAny: the assertions are the type check
export type Loose = any;
