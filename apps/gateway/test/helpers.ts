import { mintToken, type StaffClaims } from '@civic/auth/jwt';
import { type Stack, type StackOptions, startStack } from '@civic/test-stack/stack';

export { gql } from '@civic/test-stack/graphql';

/** Department ids from the demo data (Organization ids in resources). */
export async function staffToken(stack: Stack, claims: Partial<StaffClaims> & Pick<StaffClaims, 'role'>, ttl = '1h') {
  return mintToken(stack.jwtSecret, { sub: `test-${claims.role.toLowerCase()}`, ...claims }, { ttl });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Production gateways serve /metrics only to this bearer token. */
export const METRICS_TOKEN = 'test-metrics-token-0123456789';
export const metricsHeaders = { authorization: `Bearer ${METRICS_TOKEN}` };

export async function productionStack(options: StackOptions = {}): Promise<Stack> {
  // A machine shared with other suites can take well over a minute to start three subgraphs.
  return startStack({
    production: true,
    readyTimeoutMs: 240_000,
    // This project's files share one set of demo subgraphs; each has a gateway of its own.
    shareSubgraphs: 'gateway',
    ...options,
    gatewayEnv: { METRICS_TOKEN, ...options.gatewayEnv },
  });
}

export function gatewayBase(stack: Stack): string {
  return stack.gatewayUrl.replace(/\/graphql$/, '');
}

/** Creates a partner key through the admin endpoint, as `civic api-key create` does. */
export async function createApiKey(stack: Stack, organizationId: string, label = 'test key') {
  const admin = await staffToken(stack, { role: 'ADMIN' });
  const response = await fetch(`${gatewayBase(stack)}/admin/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(admin) },
    body: JSON.stringify({ organizationId, label }),
  });
  if (response.status !== 201) throw new Error(`api key not created: ${response.status} ${await response.text()}`);
  return (await response.json()) as { key: string; record: { id: string; prefix: string; organizationId: string } };
}
