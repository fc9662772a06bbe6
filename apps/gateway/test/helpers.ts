import { type Stack, type StackOptions, startStack } from '@civic/test-stack/stack';
import { mintToken, type StaffClaims } from '../src/jwt.ts';

export { gql } from '@civic/test-stack/graphql';

/** Department ids from the demo data (Organization ids in resources). */
export async function staffToken(stack: Stack, claims: Partial<StaffClaims> & Pick<StaffClaims, 'role'>, ttl = '1h') {
  return mintToken(stack.jwtSecret, { sub: `test-${claims.role.toLowerCase()}`, ...claims }, { ttl });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export async function productionStack(options: StackOptions = {}): Promise<Stack> {
  return startStack({ production: true, ...options });
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

/**
 * Adds an unpublished, unmoderated concern to engagement's database (stopping and restarting the
 * subgraph, since a PGlite folder has one owner), copying the seeded row so it fits any schema.
 */
export async function addHiddenConcern(stack: Stack, id: string, summary: string): Promise<void> {
  const { openDatabase } = await import('@civic/db/connect');
  await stack.stopSubgraph('engagement');
  const db = await openDatabase(stack.targets.engagement, { max: 1 });
  try {
    await db.sql.transaction(async (tx) => {
      await tx.query(`create temp table hidden_concern as select * from "Concern" limit 1`);
      await tx.query(
        `update hidden_concern set "id" = $1, "summary" = $2, "published" = false, "moderation" = 'PENDING'`,
        [id, summary],
      );
      await tx.query(`insert into "Concern" select * from hidden_concern`);
      await tx.query(`drop table hidden_concern`);
    });
  } finally {
    await db.close();
  }
  await stack.startSubgraph('engagement');
}
