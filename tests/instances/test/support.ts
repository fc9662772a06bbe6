import { createHmac, randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A development sign-in token (HS256, the gateways' local key), each with its own subject: the
 * gateways count a signed-in caller's rate limit per subject, so load from fresh subjects is not
 * refused by the small limit the rate-limit test uses.
 */
export function signIn(jwtSecret: string, role: 'STAFF' | 'ADMIN' = 'STAFF'): Record<string, string> {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    role,
    ...(role === 'STAFF' ? { department: 'dept-neighborhood-improvement' } : {}),
    sub: `instances-${role.toLowerCase()}-${randomBytes(6).toString('hex')}`,
    iss: 'civic-graph-dev',
    aud: 'civic-graph',
    iat: now,
    exp: now + 3600,
  };
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return {
    authorization: `Bearer ${unsigned}.${createHmac('sha256', jwtSecret).update(unsigned).digest('base64url')}`,
  };
}

export interface Answer<T> {
  status: number;
  headers: IncomingHttpHeaders;
  body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
}

/** Another loopback address (127.0.0.0/8 is all loopback): HAProxy forwards it as the caller's. */
export function loopbackAddress(): string {
  return `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 250)}`;
}

/**
 * A GraphQL POST to `base`/graphql (a front or an instance) from the local address `from`: each
 * call from its own address by default, so PUBLIC calls of one test do not use up the per-address
 * limit another test measures.
 */
export function gql<T = Record<string, unknown>>(
  base: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  from = loopbackAddress(),
): Promise<Answer<T>> {
  const payload = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}/graphql`,
      {
        method: 'POST',
        localAddress: from,
        agent: false,
        timeout: 30_000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: Answer<T>['body'];
          try {
            body = JSON.parse(text) as Answer<T>['body'];
          } catch {
            body = { errors: [{ message: text }] };
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

export interface Mail {
  to: string[];
  raw: string;
}

/** A real SMTP server on loopback that keeps what it receives. */
export async function startInbox(): Promise<{ url: string; mail: Mail[]; close(): Promise<void> }> {
  const mail: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mail.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mail,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The message body with quoted-printable undone, as UTF-8. */
export function bodyText(raw: string): string {
  const unfolded = raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(unfolded, 'latin1').toString('utf8');
}

export interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP webhook receiver on loopback answering 204. */
export async function startReceiver(): Promise<{ url: string; received: Delivery[]; close(): Promise<void> }> {
  const received: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/civic`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function until<T>(what: string, check: () => T | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = check();
    if (value !== undefined) return value;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}
