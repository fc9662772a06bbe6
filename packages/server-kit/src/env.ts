import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

/** The repository root (the folder with pnpm-workspace.yaml), for default data paths. */
export function findWorkspaceRoot(from: string = process.cwd()): string {
  let dir = resolve(from);
  while (true) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(from);
    dir = parent;
  }
}

export const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Parses `schema` from `env`; on failure throws one line naming every bad variable. `readFrom`
 * names the variable a key was actually read from when the caller renamed it (PORT ← ENGAGEMENT_PORT).
 */
export function parseEnv<S extends z.ZodType>(
  service: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
  readFrom: Record<string, string> = {},
): z.infer<S> {
  // An empty variable counts as unset, as in most shells' `VAR= command`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const key = issue.path.join('.');
    return `${readFrom[key] ?? key}: ${issue.message}`;
  });
  throw new EnvError(`invalid environment for ${service}: ${lines.join('; ')}`);
}

export class EnvError extends Error {
  override readonly name = 'EnvError';
}
