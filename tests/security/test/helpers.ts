import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Identity, signIdentity } from '@civic/server-kit/identity';
import { type Stack, startStack } from '@civic/test-stack/stack';
import { expect } from 'vitest';

/** Production gateways in this suite serve /metrics only to this scraper token. */
export const METRICS_TOKEN = 'security-suite-metrics-token-0123456789';

/**
 * The real stack in production mode on loopback, with demo data, and a gateway of the file's own.
 * `shared`: the subgraphs are those of the suite's other sharing files (each test reads what it
 * planted); otherwise the file's own.
 */
export function productionStack(gatewayEnv: NodeJS.ProcessEnv = {}, { shared = false } = {}): Promise<Stack> {
  // A machine shared with other suites can take well over a minute to seed and start three subgraphs.
  return startStack({
    production: true,
    seed: 'demo',
    gatewayEnv: { METRICS_TOKEN, ...gatewayEnv },
    readyTimeoutMs: 240_000,
    shareSubgraphs: shared ? 'security' : undefined,
  });
}

export const base = (stack: Stack) => stack.gatewayUrl.replace(/\/graphql$/, '');
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An HS256 sign-in token as the development identity provider issues them (issuer civic-graph-dev). */
export function signJwt(secret: string, claims: Record<string, unknown>, ttlSeconds = 3600): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: 'civic-graph-dev', aud: 'civic-graph', iat: now, exp: now + ttlSeconds, ...claims };
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** A STAFF or ADMIN token; each one has its own subject, so its own rate-limit budget. */
export async function token(stack: Stack, claims: { role: 'STAFF' | 'ADMIN'; department?: string }) {
  return bearer(signJwt(stack.jwtSecret, { sub: `sec-${randomUUID()}`, ...claims }));
}

export async function createApiKey(stack: Stack, organizationId: string) {
  const response = await fetch(`${base(stack)}/admin/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await token(stack, { role: 'ADMIN' })) },
    body: JSON.stringify({ organizationId, label: 'security suite' }),
  });
  if (response.status !== 201) throw new Error(`api key not created: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { key: string }).key;
}

/** Codes a client may receive; INTERNAL_SERVER_ERROR is never an acceptable answer to an attack. */
export const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'CONFLICT',
  'SERVICE_UNAVAILABLE',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'TOO_MANY_ALIASES',
  'TOO_MANY_ROOT_FIELDS',
  'TOO_MANY_DIRECTIVES',
  'TOO_MANY_ENTITIES',
  'INTROSPECTION_DISABLED',
  'PAYLOAD_TOO_LARGE',
  'JSON_TOO_DEEP',
  'RATE_LIMITED',
  'METHOD_NOT_ALLOWED',
]);

const LEAKS: [string, RegExp][] = [
  ['a stack trace', /\bat [\w$.<>]+ \([^)]*:\d+:\d+\)|\bat (file|node):|"stacktrace"/],
  ['SQL text', /SELECT\s[^"]{0,200}\sFROM\s+"|INSERT INTO "|UPDATE "[A-Za-z]+" SET|DELETE FROM "/],
  [
    'a database error',
    /syntax error at or near|violates [a-z ]*constraint|duplicate key value|relation "[^"]+"|P20\d\d/,
  ],
  ['ORM internals', /PrismaClient|prisma\.\w+\.\w+\(|Invalid `prisma|\$queryRaw/],
  ['a subgraph response', /"response"\s*:\s*\{|ECONNREFUSED|fetch failed|UND_ERR/],
  ['a file path', /\/work\/|\/apps\/(gateway|subgraphs)\/|node_modules/],
];

export interface Answer {
  status: number;
  text: string;
  json: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
  } & Record<string, unknown>;
  headers: Headers;
}

/**
 * What every answer must satisfy: no 5xx (SERVICE_UNAVAILABLE aside), no internal URL, stack,
 * SQL, database error or subgraph body, and every error with a client code.
 */
export function expectSafe(stack: Stack, answer: Answer, what = ''): void {
  const label = `${what} → ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.status, label).not.toBe(500);
  expect(answer.status === 503 || answer.status < 500, label).toBe(true);
  for (const url of Object.values(stack.subgraphUrls)) {
    const { host, port } = new URL(url);
    expect(answer.text, label).not.toContain(host);
    // A port as a URL's (a host name or address right before it), not any number after a colon: the open data's
    // JSON holds counts such as `"population":44781`, which a random port once equalled.
    expect(answer.text, label).not.toMatch(new RegExp(`[\\w\\]]:${port}\\b`));
  }
  for (const [name, pattern] of LEAKS) expect(pattern.test(answer.text), `${name} in ${label}`).toBe(false);
  for (const error of answer.json.errors ?? []) {
    const code = error.extensions?.code;
    expect(typeof code === 'string' && CLIENT_CODES.has(code), `code ${code} in ${label}`).toBe(true);
  }
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: Answer['json'] = {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Answer['json'];
  } catch {
    // not JSON: checked as text
  }
  return { status: response.status, text, json, headers: response.headers };
}

/** Sends a raw request and checks the answer is safe. */
export async function raw(
  stack: Stack,
  url: string,
  init: RequestInit & { headers?: Record<string, string> },
  what = '',
): Promise<Answer> {
  const result = await answer(await fetch(url, { ...init, signal: AbortSignal.timeout(120_000) }));
  expectSafe(stack, result, what || `${init.method ?? 'GET'} ${url}`);
  return result;
}

/** A GraphQL POST to the gateway, checked for safety. */
export function gql(
  stack: Stack,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Answer> {
  return raw(
    stack,
    stack.gatewayUrl,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    },
    query.slice(0, 120),
  );
}

export const PUBLIC: Identity = { role: 'PUBLIC', subject: null, department: null, organization: null };

/** A request straight to a subgraph, signed with `secret` (the real one, a forged one, or none). */
export function direct(
  stack: Stack,
  url: string,
  body: string,
  sign?: { secret: string; identity?: Identity; now?: number },
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (sign) Object.assign(headers, signIdentity(sign.secret, sign.identity ?? PUBLIC, body, sign.now));
  return raw(stack, url, { method: 'POST', headers, body }, `direct ${url} ${body.slice(0, 100)}`);
}

export const codeOf = (a: Answer) => a.json.errors?.[0]?.extensions?.code;

/** Resident memory of a process in MB, from /proc (Linux). */
export function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Contact details planted on concerns: they must reach STAFF and nobody else. */
export const CONTACT = { name: 'Zebulon Quartermain', email: 'zebulon.q@resident.example', phone: '+1 919 555 0142' };
export const CONTACT_MARKERS = ['Zebulon', 'Quartermain', 'zebulon.q', '555 0142'];
export const HIDDEN_MARKER = 'hiddenmarker';

export function expectNoSecrets(text: string, what: string, markers: string[] = [...CONTACT_MARKERS, HIDDEN_MARKER]) {
  for (const marker of markers)
    expect(text.toLowerCase(), `${marker} leaked through ${what}`).not.toContain(marker.toLowerCase());
}

export interface Planted {
  staff: Record<string, string>;
  admin: Record<string, string>;
  department: string;
  otherDepartment: string;
  partnerOrganization: string;
  otherOrganization: string;
  partnerKey: string;
  /** In a draft conversation (accepted, with contact). */
  draftConcernId: string;
  draftConversationId: string;
  /** Published and accepted, with contact: public, but its contact is not. */
  publicConcernId: string;
  publishedConversationId: string;
  /** In the published conversation but PENDING / REJECTED. */
  pendingConcernId: string;
  rejectedConcernId: string;
  citywideConcernId: string;
  initiativeId: string;
  serviceId: string;
}

const CREATE = `mutation Plant($input: CreateConversationInput!) {
  createConversation(input: $input) { id concerns { id summary } }
}`;

async function must<T>(answer: Promise<Answer>): Promise<T> {
  const a = await answer;
  if (a.json.errors?.length || !a.json.data) throw new Error(`setup failed: ${a.text.slice(0, 500)}`);
  return a.json.data as T;
}

/**
 * Data every leak test looks for: concerns with a resident's contact, in a draft conversation and
 * in a published one (accepted, pending, rejected), merged into a citywide concern and aligned
 * with an initiative and a service.
 */
export async function plant(stack: Stack): Promise<Planted> {
  const orgs = await must<{ organizations: { id: string; internal: boolean }[] }>(
    gql(stack, '{ organizations { id internal } }'),
  );
  const departments = orgs.organizations.filter((o) => o.internal).map((o) => o.id);
  const partners = orgs.organizations.filter((o) => !o.internal).map((o) => o.id);
  const [department, otherDepartment] = departments as [string, string];
  const [partnerOrganization, otherOrganization] = partners as [string, string];
  const staff = await token(stack, { role: 'STAFF', department });
  const admin = await token(stack, { role: 'ADMIN' });
  const suffix = randomUUID().slice(0, 8);
  const concern = (summary: string, moderation: string) => ({
    summary,
    moderation,
    themes: ['TRANSPORTATION'],
    contact: CONTACT,
  });
  const draft = await must<{ createConversation: { id: string; concerns: { id: string }[] } }>(
    gql(
      stack,
      CREATE,
      {
        input: {
          title: `Draft ${HIDDEN_MARKER} ${suffix}`,
          heldOn: '2026-10-01T18:00:00.000Z',
          format: 'IN_PERSON',
          notes: `notes ${HIDDEN_MARKER}`,
          transcript: `transcript ${HIDDEN_MARKER} ${CONTACT.name}`,
          concerns: [concern(`Draft concern ${HIDDEN_MARKER} bus shelter`, 'ACCEPTED')],
        },
      },
      staff,
    ),
  );
  const published = await must<{ createConversation: { id: string; concerns: { id: string; summary: string }[] } }>(
    gql(
      stack,
      CREATE,
      {
        input: {
          title: `Published meeting ${suffix}`,
          heldOn: '2026-10-02T18:00:00.000Z',
          format: 'HYBRID',
          notes: `notes ${HIDDEN_MARKER}`,
          concerns: [
            concern('Public concern about sidewalk repairs', 'ACCEPTED'),
            concern(`Pending concern ${HIDDEN_MARKER} sidewalk`, 'PENDING'),
            concern(`Rejected concern ${HIDDEN_MARKER} sidewalk`, 'REJECTED'),
          ],
        },
      },
      staff,
    ),
  );
  const byPrefix = (prefix: string) =>
    published.createConversation.concerns.find((c) => c.summary.startsWith(prefix))?.id as string;
  await must(
    gql(
      stack,
      'mutation P($id: ID!) { publishConversation(id: $id) { id } }',
      { id: published.createConversation.id },
      staff,
    ),
  );
  const draftConcernId = draft.createConversation.concerns[0]?.id as string;
  const publicConcernId = byPrefix('Public concern');
  const pendingConcernId = byPrefix('Pending concern');
  const rejectedConcernId = byPrefix('Rejected concern');
  const merged = await must<{ mergeIntoCitywideConcern: { id: string } }>(
    gql(
      stack,
      'mutation M($input: MergeIntoCitywideConcernInput!) { mergeIntoCitywideConcern(input: $input) { id } }',
      {
        input: {
          concernIds: [draftConcernId, publicConcernId, pendingConcernId, rejectedConcernId],
          newCitywideConcern: { title: `Sidewalks and shelters ${suffix}`, themes: ['TRANSPORTATION'] },
        },
      },
      staff,
    ),
  );
  const plan = await must<{ initiatives: { id: string }[]; services: { edges: { node: { id: string } }[] } }>(
    gql(stack, '{ initiatives { id } services(first: 1) { edges { node { id } } } }'),
  );
  const initiativeId = plan.initiatives[0]?.id as string;
  const serviceId = plan.services.edges[0]?.node.id as string;
  const ALIGN = 'mutation A($input: AlignConcernInput!) { alignConcern(input: $input) { id } }';
  for (const concernId of [draftConcernId, pendingConcernId, publicConcernId]) {
    await must(gql(stack, ALIGN, { input: { concernId, initiativeId, rationale: 'security suite' } }, staff));
    await must(gql(stack, ALIGN, { input: { concernId, serviceId, rationale: 'security suite' } }, staff));
  }
  return {
    staff,
    admin,
    department,
    otherDepartment,
    partnerOrganization,
    otherOrganization,
    partnerKey: await createApiKey(stack, partnerOrganization),
    draftConcernId,
    draftConversationId: draft.createConversation.id,
    publicConcernId,
    publishedConversationId: published.createConversation.id,
    pendingConcernId,
    rejectedConcernId,
    citywideConcernId: merged.mergeIntoCitywideConcern.id,
    initiativeId,
    serviceId,
  };
}
