import { readSubgraphEnv } from '@civic/server-kit/subgraph';
import { describe, expect, test } from 'vitest';
import { readGatewayEnv } from '../src/env.ts';

const SECRET = 'k'.repeat(40);

describe('secure defaults', () => {
  test('subgraphs bind to loopback and demand signatures in production', () => {
    for (const name of ['engagement', 'initiatives', 'resources'] as const) {
      const env = readSubgraphEnv(name, { NODE_ENV: 'production', CIVIC_GATEWAY_SECRET: SECRET });
      expect(env.host).toBe('127.0.0.1');
      expect(env.requireSignature).toBe(true);
    }
  });

  test('production: no introspection for everyone, and the local JWT key only without JWKS or when allowed', () => {
    const base = { NODE_ENV: 'production', CIVIC_JWT_SECRET: SECRET };
    expect(readGatewayEnv(base).introspection).toBe(false);
    expect(readGatewayEnv(base).jwt.localSecret).toBe(SECRET);
    const withJwks = { ...base, JWT_JWKS_URL: 'https://id.example.gov/.well-known/jwks.json' };
    expect(readGatewayEnv(withJwks).jwt.localSecret).toBeUndefined();
    expect(readGatewayEnv({ ...withJwks, JWT_ALLOW_LOCAL_KEY: 'true' }).jwt.localSecret).toBe(SECRET);
    expect(readGatewayEnv({ NODE_ENV: 'development' }).introspection).toBe(true);
  });

  test('limits that hold in every mode: subgraph operation limits, failed sign-ins, token lifetime', () => {
    for (const mode of ['development', 'production']) {
      const subgraph = readSubgraphEnv('engagement', { NODE_ENV: mode, CIVIC_GATEWAY_SECRET: SECRET });
      expect(subgraph.limits).toEqual({ maxDepth: 15, maxAliases: 60, maxRootFields: 20, maxDirectives: 40 });
      expect(subgraph.maxUnsignedBodyBytes).toBe(100_000);
      const gateway = readGatewayEnv({ NODE_ENV: mode, CIVIC_JWT_SECRET: SECRET });
      expect(gateway.rateLimit.authFailures).toBe(30);
      expect(gateway.jwt.maxLifetimeSeconds).toBe(86_400);
    }
  });
});
