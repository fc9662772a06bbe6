import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks 1.0 (https://www.standardwebhooks.com): a message is signed as
 * `v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")>`, where the key is the
 * base64-decoded part of the endpoint's `whsec_<base64>` secret and the timestamp is in Unix seconds.
 */

export const SECRET_PREFIX = 'whsec_';
/** The spec asks for 24 to 64 random bytes. */
const SECRET_BYTES = 32;
/** How far a message's timestamp may be from the receiver's clock (the spec's recommendation). */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

export const HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

export function generateSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** A message id (`msg_` + a UUID without dashes): the same for every attempt and replay of one event. */
export function generateMessageId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`;
}

export function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new Error('a webhook secret must be whsec_ followed by base64');
  return key;
}

/** The `webhook-signature` value of one message. */
export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/**
 * The headers of one delivery attempt (signed now: a retry carries a fresh timestamp and signature).
 * With several secrets (during a rotation) there is one space-separated signature per secret.
 */
export function signedHeaders(
  secret: string | readonly string[],
  id: string,
  body: string,
  now: number = Date.now(),
): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  const secrets = typeof secret === 'string' ? [secret] : secret;
  return {
    'content-type': 'application/json',
    [HEADERS.id]: id,
    [HEADERS.timestamp]: String(timestamp),
    [HEADERS.signature]: secrets.map((s) => sign(s, id, timestamp, body)).join(' '),
  };
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/**
 * What a receiver does: the headers present, the timestamp within tolerance, and one of the
 * space-separated `v1,` signatures equal (in constant time) to the expected one.
 */
export function verify(
  secret: string,
  header: (name: string) => string | undefined,
  body: string,
  now: number = Date.now(),
  toleranceSeconds = TIMESTAMP_TOLERANCE_SECONDS,
): VerifyResult {
  const id = header(HEADERS.id);
  const timestamp = header(HEADERS.timestamp);
  const signatures = header(HEADERS.signature);
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'missing webhook headers' };
  const seconds = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || Math.abs(now / 1000 - seconds) > toleranceSeconds) {
    return { ok: false, reason: 'timestamp outside the tolerance' };
  }
  const expected = Buffer.from(sign(secret, id, seconds, body).slice(3), 'base64');
  for (const entry of signatures.split(' ')) {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: 'no matching signature' };
}
