import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { SqlClient } from '@civic/db/connect';
import { applyMigrations } from '@civic/db/migrate';
import { findWorkspaceRoot } from '@civic/server-kit/env';

/** The API key table's migrations, in Prisma's folder format (found from the sources or any bundle). */
export const API_KEY_MIGRATIONS = join(
  findWorkspaceRoot(new URL('.', import.meta.url).pathname),
  'packages',
  'auth',
  'prisma',
  'migrations',
);

export const API_KEY_PATTERN = /^cg_live_[A-Za-z0-9_-]{32,64}$/;
/** How much of a key is kept in clear to name it (lists, revocation, failed sign-in counts). */
export const API_KEY_DISPLAY_PREFIX_LENGTH = 'cg_live_'.length + 8;
const PREFIX_LENGTH = API_KEY_DISPLAY_PREFIX_LENGTH;

export interface ApiKeyRecord {
  id: string;
  prefix: string;
  organizationId: string;
  label: string;
  createdAt: string;
  createdBy: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

type Row = ApiKeyRecord;
const toRecord = (row: Row): ApiKeyRecord => ({ ...row });

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

// Timestamps are stored in UTC (as Prisma does) and read back as ISO strings.
const ISO = (column: string) => `to_char("${column}", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "${column}"`;
const COLUMNS = `"id", "prefix", "organizationId", "label", ${ISO('createdAt')}, "createdBy", ${ISO('revokedAt')}, ${ISO('lastUsedAt')}`;
const UTC_NOW = `(now() at time zone 'utc')`;
const TOUCH_INTERVAL_MS = 60_000;

/** Partner API keys: created once (the key is shown only then), looked up by hash, revoked by prefix or id. */
export class ApiKeyStore {
  private readonly touched = new Map<string, number>();

  constructor(private readonly sql: SqlClient) {}

  static async open(sql: SqlClient): Promise<ApiKeyStore> {
    await applyMigrations(sql, API_KEY_MIGRATIONS);
    return new ApiKeyStore(sql);
  }

  async create(input: {
    organizationId: string;
    label: string;
    createdBy?: string | null;
  }): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = `cg_live_${randomBytes(32).toString('base64url')}`;
    const rows = await this.sql.query<Row>(
      `insert into "ApiKey" ("id", "prefix", "hash", "organizationId", "label", "createdBy", "createdAt")
       values ($1, $2, $3, $4, $5, $6, ${UTC_NOW}) returning ${COLUMNS}`,
      [
        randomUUID(),
        key.slice(0, PREFIX_LENGTH),
        hashApiKey(key),
        input.organizationId,
        input.label,
        input.createdBy ?? null,
      ],
    );
    return { key, record: toRecord(rows[0] as Row) };
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows = await this.sql.query<Row>(`select ${COLUMNS} from "ApiKey" order by 5, 1`);
    return rows.map(toRecord);
  }

  /** Revokes by id or display prefix; returns the key, or null when none (or several) match. */
  async revoke(idOrPrefix: string): Promise<ApiKeyRecord | null> {
    const rows = await this.sql.query<Row>(
      `update "ApiKey" set "revokedAt" = coalesce("revokedAt", ${UTC_NOW})
       where "id" = $1 or "prefix" = $1 returning ${COLUMNS}`,
      [idOrPrefix],
    );
    return rows.length === 1 ? toRecord(rows[0] as Row) : null;
  }

  /** The live key for a presented secret, or null; records use at most once a minute per key. */
  async verify(key: string, now: number = Date.now()): Promise<ApiKeyRecord | null> {
    if (!API_KEY_PATTERN.test(key)) return null;
    const rows = await this.sql.query<Row>(
      `select ${COLUMNS} from "ApiKey" where "hash" = $1 and "revokedAt" is null`,
      [hashApiKey(key)],
    );
    const row = rows[0];
    if (!row) return null;
    const last = this.touched.get(row.id) ?? 0;
    if (now - last >= TOUCH_INTERVAL_MS) {
      this.touched.set(row.id, now);
      await this.sql.query(
        `update "ApiKey" set "lastUsedAt" = ${UTC_NOW}
         where "id" = $1 and ("lastUsedAt" is null or "lastUsedAt" < ${UTC_NOW} - interval '1 minute')`,
        [row.id],
      );
    }
    return toRecord(row);
  }
}
