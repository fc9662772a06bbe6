import { booleanFromEnv, parseEnv } from '@civic/server-kit/env';
import { z } from 'zod';

const initiativesEnvSchema = z
  .object({
    CIVIC_GATEWAY_URL: z.string().url().default('http://127.0.0.1:4000/graphql'),
    INITIATIVES_MEASURE_REFRESH: booleanFromEnv.default(true),
    INITIATIVES_MEASURE_REFRESH_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .default(15 * 60_000),
    INITIATIVES_MEASURE_REFRESH_DELAY_MS: z.coerce.number().int().min(0).default(10_000),
    INITIATIVES_GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  })
  .transform((env) => ({
    gatewayUrl: env.CIVIC_GATEWAY_URL,
    gatewayTimeoutMs: env.INITIATIVES_GATEWAY_TIMEOUT_MS,
    refresh: {
      enabled: env.INITIATIVES_MEASURE_REFRESH,
      intervalMs: env.INITIATIVES_MEASURE_REFRESH_INTERVAL_MS,
      initialDelayMs: env.INITIATIVES_MEASURE_REFRESH_DELAY_MS,
    },
  }));

export type InitiativesEnv = z.infer<typeof initiativesEnvSchema>;

/** The initiatives subgraph's own variables (the shared ones are read by server-kit). */
export function readInitiativesEnv(env: NodeJS.ProcessEnv = process.env): InitiativesEnv {
  return parseEnv('initiatives', initiativesEnvSchema, env);
}
