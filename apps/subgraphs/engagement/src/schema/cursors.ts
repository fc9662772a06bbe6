import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { badInput } from '@civic/server-kit/errors';
import type { Identity } from '@civic/server-kit/identity';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';

/**
 * Cursors are sealed: `c1.<payload>.<mac>`, the payload being the cursor Pothos made and the MAC
 * an HMAC over the list, the caller's role and the payload. A cursor this subgraph did not give
 * out (one naming a hidden concern, or a random one) is refused with BAD_USER_INPUT before any row
 * is read, so it cannot tell whether a row exists. The key is derived from CIVIC_GATEWAY_SECRET,
 * which every replica shares; without one (local development) it is random per process.
 */
const PREFIX = 'c1';

let key: Buffer | undefined;
function cursorKey(): Buffer {
  if (!key) {
    const secret = process.env.CIVIC_GATEWAY_SECRET;
    key = secret ? createHmac('sha256', secret).update('civic-graph cursor key v1').digest() : randomBytes(32);
  }
  return key;
}

function mac(list: string, role: string, payload: string): string {
  return createHmac('sha256', cursorKey()).update(`${list}\n${role}\n${payload}`).digest('base64url');
}

export function sealCursor(list: string, identity: Identity, cursor: string): string {
  const payload = Buffer.from(cursor).toString('base64url');
  return `${PREFIX}.${payload}.${mac(list, identity.role, payload)}`;
}

/** The cursor Pothos made, or BAD_USER_INPUT naming the argument. */
export function openCursor(list: string, identity: Identity, sealed: string, argument: string): string {
  const refuse = () =>
    badInput('Not a cursor this list gave out', [
      { field: argument, message: 'Pass an endCursor or startCursor from the same list, unchanged' },
    ]);
  const parts = sealed.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) throw refuse();
  const [, payload = '', given = ''] = parts;
  const expected = Buffer.from(mac(list, identity.role, payload));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw refuse();
  return Buffer.from(payload, 'base64url').toString('utf8');
}

interface ConnectionResult {
  edges?: ({ cursor?: string } | null)[];
  pageInfo?: { startCursor?: string | null; endCursor?: string | null };
}

function sealResult(list: string, identity: Identity, result: unknown): unknown {
  const connection = result as ConnectionResult | null | undefined;
  if (!connection || typeof connection !== 'object') return result;
  for (const edge of connection.edges ?? []) {
    if (edge && typeof edge.cursor === 'string') edge.cursor = sealCursor(list, identity, edge.cursor);
  }
  const page = connection.pageInfo;
  if (page) {
    if (typeof page.startCursor === 'string') page.startCursor = sealCursor(list, identity, page.startCursor);
    if (typeof page.endCursor === 'string') page.endCursor = sealCursor(list, identity, page.endCursor);
  }
  return result;
}

/**
 * Seals the cursors of every root connection (a Query field returning a type with `edges` and
 * `pageInfo` and taking `after`/`before`): opens `after`/`before` before the field resolves and
 * seals the cursors of the page it returns.
 */
export function sealConnectionCursors(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  if (!query) return schema;
  for (const field of Object.values(query.getFields())) {
    // Duck-typed: the schema may come from another copy of graphql-js than this module's.
    let returned: unknown = field.type;
    while (returned && typeof returned === 'object' && 'ofType' in returned) returned = returned.ofType;
    const shape = (returned as { getFields?: () => Record<string, unknown> }).getFields?.();
    if (!shape?.edges || !shape.pageInfo) continue;
    if (!field.args.some((a) => a.name === 'after') || !field.args.some((a) => a.name === 'before')) continue;
    const list = `${query.name}.${field.name}`;
    const inner = field.resolve as GraphQLFieldResolver<unknown, { identity: Identity }> | undefined;
    if (!inner) continue;
    field.resolve = async (root, args: Record<string, unknown>, ctx: { identity: Identity }, info) => {
      const opened = { ...args };
      for (const name of ['after', 'before'] as const) {
        const value = args[name];
        if (typeof value === 'string') opened[name] = openCursor(list, ctx.identity, value, name);
      }
      return sealResult(list, ctx.identity, await inner(root, opened, ctx, info));
    };
  }
  return schema;
}
