import { parseEnv } from '@civic/server-kit/env';
import { z } from 'zod';

const resourcesEnvSchema = z
  .object({
    CIVIC_GATEWAY_URL: z.string().url().default('http://127.0.0.1:4000/graphql'),
    RESOURCES_GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  })
  .transform((env) => ({
    // The CLI takes the gateway's origin or its /graphql endpoint in the same variable.
    gatewayUrl: /\/graphql\/?$/.test(env.CIVIC_GATEWAY_URL)
      ? env.CIVIC_GATEWAY_URL
      : `${env.CIVIC_GATEWAY_URL.replace(/\/+$/, '')}/graphql`,
    gatewayTimeoutMs: env.RESOURCES_GATEWAY_TIMEOUT_MS,
  }));

export type ResourcesEnv = z.infer<typeof resourcesEnvSchema>;

/** The resources subgraph's own variables (the shared ones are read by server-kit). */
export function readResourcesEnv(env: NodeJS.ProcessEnv = process.env): ResourcesEnv {
  return parseEnv('resources', resourcesEnvSchema, env);
}
