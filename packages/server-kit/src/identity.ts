import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type Role = 'PUBLIC' | 'PARTNER' | 'STAFF' | 'ADMIN';
export const ROLES: readonly Role[] = ['PUBLIC', 'PARTNER', 'STAFF', 'ADMIN'];

/** Who is calling, as the gateway established it. */
export interface Identity {
  role: Role;
  /** User id (STAFF, ADMIN) or API key id (PARTNER). */
  subject: string | null;
  /** STAFF: the department (an Organization id) the user belongs to. */
  department: string | null;
  /** PARTNER: the organization the API key is bound to. */
  organization: string | null;
  /**
   * On mutations only: the caller as the gateway's rate limit counts it (`address:<ip>`, `key:<id>` or
   * `user:<id>`), for limits per client in a subgraph (follow sign-ups, disputes). Absent otherwise.
   */
  client?: string;
}

export const PUBLIC_IDENTITY: Identity = Object.freeze({
  role: 'PUBLIC',
  subject: null,
  department: null,
  organization: null,
});

/** Headers the gateway sets for subgraphs; a client's own copies are stripped at the gateway. */
export const INTERNAL_HEADERS = {
  identity: 'x-civic-identity',
  timestamp: 'x-civic-timestamp',
  signature: 'x-civic-signature',
} as const;
export const REQUEST_ID_HEADER = 'x-request-id';

/** How old a signed request may be when a subgraph receives it. */
export const SIGNATURE_MAX_AGE_MS = 60_000;

function payload(timestamp: string, identity: string, body: string | Uint8Array): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return `${timestamp}\n${identity}\n${bodyHash}`;
}

function mac(secret: string, data: string): string {
  return createHmac('sha256', secret).update(data).digest('base64url');
}

export function encodeIdentity(identity: Identity): string {
  return Buffer.from(JSON.stringify(identity)).toString('base64url');
}

/** Headers that carry an encoded identity to a subgraph, bound by HMAC to this exact body and time. */
export function signEncodedIdentity(
  secret: string,
  encoded: string,
  body: string | Uint8Array,
  now: number = Date.now(),
): Record<string, string> {
  const timestamp = String(now);
  return {
    [INTERNAL_HEADERS.identity]: encoded,
    [INTERNAL_HEADERS.timestamp]: timestamp,
    [INTERNAL_HEADERS.signature]: mac(secret, payload(timestamp, encoded, body)),
  };
}

export function signIdentity(
  secret: string,
  identity: Identity,
  body: string | Uint8Array,
  now: number = Date.now(),
): Record<string, string> {
  return signEncodedIdentity(secret, encodeIdentity(identity), body, now);
}

export type Verification =
  | { status: 'valid'; identity: Identity }
  | { status: 'unsigned' }
  | { status: 'invalid'; reason: string };

type HeaderGetter = (name: string) => string | undefined;

export function verifyIdentity(
  secret: string,
  header: HeaderGetter,
  body: string | Uint8Array,
  now: number = Date.now(),
): Verification {
  const encoded = header(INTERNAL_HEADERS.identity);
  const timestamp = header(INTERNAL_HEADERS.timestamp);
  const signature = header(INTERNAL_HEADERS.signature);
  if (!encoded && !timestamp && !signature) return { status: 'unsigned' };
  if (!encoded || !timestamp || !signature) return { status: 'invalid', reason: 'incomplete signature headers' };
  const sentAt = Number(timestamp);
  if (!Number.isFinite(sentAt) || Math.abs(now - sentAt) > SIGNATURE_MAX_AGE_MS) {
    return { status: 'invalid', reason: 'signature expired' };
  }
  const expected = Buffer.from(mac(secret, payload(timestamp, encoded, body)));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { status: 'invalid', reason: 'bad signature' };
  }
  try {
    return { status: 'valid', identity: parseIdentity(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'))) };
  } catch {
    return { status: 'invalid', reason: 'malformed identity' };
  }
}

function parseIdentity(value: unknown): Identity {
  const v = value as Partial<Identity>;
  if (!v || typeof v !== 'object' || !ROLES.includes(v.role as Role)) throw new Error('bad identity');
  const text = (x: unknown) => (typeof x === 'string' && x.length > 0 ? x : null);
  return {
    role: v.role as Role,
    subject: text(v.subject),
    department: text(v.department),
    organization: text(v.organization),
    ...(text(v.client) ? { client: text(v.client) as string } : {}),
  };
}
