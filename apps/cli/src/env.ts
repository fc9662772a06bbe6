import { parseEnv } from '@civic/server-kit/env';
import type { SubgraphName } from '@civic/server-kit/ports';
import { z } from 'zod';

const optionalUrl = z.string().url().optional();

const cliEnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    CIVIC_DATA_DIR: z.string().optional(),
    CIVIC_GATEWAY_URL: z
      .string()
      .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')
      .optional(),
    CIVIC_ADMIN_TOKEN: z.string().optional(),
    CIVIC_TOKEN: z.string().optional(),
    CIVIC_API_KEY: z.string().optional(),
    CIVIC_JWT_SECRET: z.string().min(32).optional(),
    CIVIC_GATEWAY_SECRET: z.string().min(32).optional(),
    DATABASE_URL: optionalUrl,
    ENGAGEMENT_DATABASE_URL: optionalUrl,
    INITIATIVES_DATABASE_URL: optionalUrl,
    RESOURCES_DATABASE_URL: optionalUrl,
    GATEWAY_DATABASE_URL: optionalUrl,
  })
  .transform((env) => ({
    production: env.NODE_ENV === 'production',
    /** Where the PGlite folders and dev-secrets.json live; `<repo>/.data` when unset. */
    dataDir: env.CIVIC_DATA_DIR,
    /** The gateway's origin or its /graphql endpoint. */
    gatewayUrl: env.CIVIC_GATEWAY_URL,
    /** A JWT sent as the caller's bearer token (CIVIC_TOKEN is the older name). */
    adminToken: env.CIVIC_ADMIN_TOKEN ?? env.CIVIC_TOKEN,
    apiKey: env.CIVIC_API_KEY,
    jwtSecret: env.CIVIC_JWT_SECRET,
    gatewaySecret: env.CIVIC_GATEWAY_SECRET,
    databaseUrl: env.DATABASE_URL,
    ownDatabaseUrls: {
      engagement: env.ENGAGEMENT_DATABASE_URL,
      initiatives: env.INITIATIVES_DATABASE_URL,
      resources: env.RESOURCES_DATABASE_URL,
      gateway: env.GATEWAY_DATABASE_URL,
    } satisfies Record<SubgraphName | 'gateway', string | undefined>,
  }));

export type CliEnv = z.infer<typeof cliEnvSchema>;

/** The CLI's variables; throws EnvError naming each bad one. */
export function readCliEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  return parseEnv('the civic CLI', cliEnvSchema, env);
}

let current: CliEnv | undefined;

/** The environment the CLI was started with, read once. */
export function cliEnv(): CliEnv {
  current ??= readCliEnv();
  return current;
}

/** Runs `work` with some settings replaced, as when the alignment eval signs in to the stack it started. */
export async function withCliEnv<T>(changes: Partial<CliEnv>, work: () => Promise<T>): Promise<T> {
  const saved = cliEnv();
  current = { ...saved, ...changes };
  try {
    return await work();
  } finally {
    current = saved;
  }
}

/** Everything a service or seed process started by the CLI inherits, before the CLI's own settings. */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return { ...process.env };
}
