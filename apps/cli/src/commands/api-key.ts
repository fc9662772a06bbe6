import { parseArgs } from 'node:util';
import { type ApiKeyRecord, ApiKeyStore } from '@civic/auth/api-keys';
import { mintToken } from '@civic/auth/jwt';
import { resolveDatabaseTarget } from '@civic/db/config';
import { openDatabase } from '@civic/db/connect';
import { DatabaseSetupError } from '@civic/db/errors';
import { PORTS } from '@civic/server-kit/ports';
import { devJwtSecret } from '../dev-jwt.ts';
import { cliEnv } from '../env.ts';
import { paths } from '../paths.ts';

export const apiKeyHelp = `civic api-key — manage partner API keys

Usage: npm run civic -- api-key create --organization <organization id> --label <text>
       npm run civic -- api-key revoke <id or prefix>
       npm run civic -- api-key list [--json]

A key belongs to one organization and makes its holder a PARTNER. Only its sha256 hash is stored;
the key itself is printed once, on creation. Partners send it as "x-api-key: <key>" (or
"Authorization: Bearer <key>"). Revoked keys stop working at once.

While the gateway runs (npm start) the command goes through its admin endpoint
(CIVIC_GATEWAY_URL, default http://127.0.0.1:${PORTS.gateway}), which also checks that the
organization exists; it signs in as ADMIN with CIVIC_ADMIN_TOKEN, or with a token it signs with
CIVIC_JWT_SECRET / the development key. When the gateway is not running it opens the gateway's
database itself (.data/gateway, or civic_gateway on DATABASE_URL, or GATEWAY_DATABASE_URL).

Exit codes: 0 done, 1 failed (gateway refused, key not found, database unavailable), 2 wrong usage.`;

type Action =
  | { kind: 'create'; organizationId: string; label: string }
  | { kind: 'revoke'; key: string }
  | { kind: 'list'; json: boolean };

export async function apiKey(args: string[]): Promise<number> {
  const action = parse(args);
  if (typeof action === 'string') {
    console.error(`civic api-key: ${action}\nRun npm run civic -- api-key --help for usage.`);
    return 2;
  }
  const base = (cliEnv().gatewayUrl ?? `http://127.0.0.1:${PORTS.gateway}`).replace(/\/(graphql)?$/, '');
  let viaGateway: number | 'unreachable';
  try {
    viaGateway = await throughGateway(base, action);
  } catch (error) {
    console.error(`civic api-key: ${(error as Error).message}`);
    return 1;
  }
  if (viaGateway !== 'unreachable') return viaGateway;
  return directly(action);
}

function parse(args: string[]): Action | string {
  const [sub, ...rest] = args;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { organization: { type: 'string' }, label: { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    return (error as Error).message;
  }
  const v = parsed.values as { organization?: string; label?: string; json?: boolean };
  if (sub === 'create') {
    if (parsed.positionals.length > 0) return `unexpected argument ${parsed.positionals[0]}`;
    if (!v.organization?.trim()) return 'create needs --organization <organization id>';
    if (!v.label?.trim()) return 'create needs --label <text>';
    return { kind: 'create', organizationId: v.organization.trim(), label: v.label.trim() };
  }
  if (sub === 'revoke') {
    if (parsed.positionals.length !== 1 || !parsed.positionals[0]) return 'revoke needs exactly one key id or prefix';
    return { kind: 'revoke', key: parsed.positionals[0] };
  }
  if (sub === 'list') return { kind: 'list', json: Boolean(v.json) };
  return sub ? `unknown action "${sub}" (create, revoke or list)` : 'say create, revoke or list';
}

async function adminToken(): Promise<string> {
  const { adminToken } = cliEnv();
  if (adminToken) return adminToken;
  const key = devJwtSecret();
  if ('error' in key) throw new Error(`${key.error}; or set CIVIC_ADMIN_TOKEN to an ADMIN token`);
  return mintToken(key.secret, { sub: 'civic-cli', role: 'ADMIN', name: 'civic CLI' }, { ttl: '5m' });
}

async function throughGateway(base: string, action: Action): Promise<number | 'unreachable'> {
  try {
    await fetch(`${base}/health`, { signal: AbortSignal.timeout(2_000) });
  } catch {
    return 'unreachable';
  }
  const headers = { authorization: `Bearer ${await adminToken()}`, 'content-type': 'application/json' };
  const request =
    action.kind === 'list'
      ? fetch(`${base}/admin/api-keys`, { headers })
      : action.kind === 'create'
        ? fetch(`${base}/admin/api-keys`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ organizationId: action.organizationId, label: action.label }),
          })
        : fetch(`${base}/admin/api-keys/revoke`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ key: action.key }),
          });
  const response = await request;
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const error = (
      body.errors as { message: string; extensions?: { problems?: { field: string; message: string }[] } }[]
    )?.[0];
    const problems = error?.extensions?.problems?.map((p) => `${p.field} ${p.message}`).join('; ');
    console.error(
      `civic api-key: the gateway refused (${response.status}): ${error?.message ?? 'no reason given'}${problems ? `: ${problems}` : ''}`,
    );
    return 1;
  }
  report(action, body as { key?: string; record?: ApiKeyRecord; apiKeys?: ApiKeyRecord[] });
  return 0;
}

async function directly(action: Action): Promise<number> {
  const target = resolveDatabaseTarget({
    name: 'gateway',
    databaseUrl: cliEnv().databaseUrl,
    ownDatabaseUrl: cliEnv().ownDatabaseUrls.gateway,
    dataRoot: paths.dataDir,
  });
  let db: Awaited<ReturnType<typeof openDatabase>>;
  try {
    db = await openDatabase(target, { max: 2 });
  } catch (error) {
    console.error(`civic api-key: ${error instanceof DatabaseSetupError ? error.line : (error as Error).message}`);
    return 1;
  }
  try {
    const store = await ApiKeyStore.open(db.sql);
    if (action.kind === 'create') {
      console.error('civic api-key: the gateway is not running, so the organization id was not checked');
      report(
        action,
        await store.create({ organizationId: action.organizationId, label: action.label, createdBy: 'civic-cli' }),
      );
    } else if (action.kind === 'revoke') {
      const record = await store.revoke(action.key);
      if (!record) {
        console.error(`civic api-key: no single API key has id or prefix ${action.key}`);
        return 1;
      }
      report(action, { record });
    } else {
      report(action, { apiKeys: await store.list() });
    }
    return 0;
  } finally {
    await db.close();
  }
}

function report(action: Action, body: { key?: string; record?: ApiKeyRecord; apiKeys?: ApiKeyRecord[] }): void {
  if (action.kind === 'create' && body.key && body.record) {
    console.log(body.key);
    console.error(
      `created API key ${body.record.prefix}… (id ${body.record.id}) for organization ${body.record.organizationId}; it is shown only now`,
    );
  } else if (action.kind === 'revoke' && body.record) {
    console.log(`revoked ${body.record.prefix}… (id ${body.record.id}) at ${body.record.revokedAt}`);
  } else if (action.kind === 'list') {
    const keys = body.apiKeys ?? [];
    if (action.json) {
      console.log(JSON.stringify(keys, null, 2));
      return;
    }
    if (keys.length === 0) console.log('no API keys');
    for (const k of keys) {
      const state = k.revokedAt ? `revoked ${k.revokedAt}` : `active, last used ${k.lastUsedAt ?? 'never'}`;
      console.log(`${k.prefix}…  ${k.id}  org ${k.organizationId}  "${k.label}"  created ${k.createdAt}  ${state}`);
    }
  }
}
