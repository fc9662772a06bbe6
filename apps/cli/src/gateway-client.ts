import { mintToken } from '@civic/auth/jwt';
import { PORTS } from '@civic/server-kit/ports';
import type { TadaDocumentNode } from 'gql.tada';
import { print } from 'graphql';
import { devJwtSecret } from './dev-jwt.ts';
import { cliEnv } from './env.ts';

/**
 * Commands that read or change data go through the running platform's gateway, never by opening
 * a subgraph's database: a PGlite folder may be open in one process only, and going through the
 * gateway keeps validation, authorization and the audit log in one place.
 */
export interface GatewayOptions {
  /** The gateway: --gateway, CIVIC_GATEWAY_URL (origin or /graphql endpoint), or http://127.0.0.1:4000. */
  url?: string;
  /** Credentials: CIVIC_ADMIN_TOKEN (a JWT) or CIVIC_API_KEY; otherwise a development ADMIN token is minted. */
  role?: 'ADMIN' | 'PUBLIC';
}

export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** The gateway answered with errors; `code` is the first error's stable code. */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly errors: GraphQLErrorShape[],
    readonly status: number,
  ) {
    super(message);
  }
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

/** The gateway could not be reached at all (the platform is not running). */
export class GatewayUnreachable extends Error {}

export interface Gateway {
  url: string;
  /** An operation written with `graphql()` (src/graphql.ts), so its result and variables are typed from the API schema. */
  request<Result, Variables>(document: TadaDocumentNode<Result, Variables>, variables: Variables): Promise<Result>;
  /**
   * An operation given as text: one owned by another package (@civic/open-data's public queries)
   * or built at run time from the fields this build's API has (eval alignment).
   */
  requestText<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** A GET of another path on the gateway's origin (e.g. /open-data/). */
  fetchPath(path: string): Promise<Response>;
}

export function gatewayUrl(explicit?: string): string {
  const given = explicit ?? cliEnv().gatewayUrl ?? `http://127.0.0.1:${PORTS.gateway}`;
  return given.endsWith('/graphql') ? given : `${given.replace(/\/$/, '')}/graphql`;
}

async function credentials(role: 'ADMIN' | 'PUBLIC'): Promise<Record<string, string>> {
  if (role === 'PUBLIC') return {};
  const { adminToken, apiKey } = cliEnv();
  if (adminToken) return { authorization: `Bearer ${adminToken}` };
  if (apiKey) return { 'x-api-key': apiKey };
  const key = devJwtSecret();
  if ('error' in key) throw new Error(`${key.error}, or give an ADMIN token in CIVIC_ADMIN_TOKEN`);
  const token = await mintToken(key.secret, { sub: 'civic-cli', role: 'ADMIN', name: 'civic CLI' }, { ttl: '1h' });
  return { authorization: `Bearer ${token}` };
}

export async function connectGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const url = gatewayUrl(options.url);
  const headers = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    // The gateway's CSRF protection wants a non-simple header on every request.
    'apollo-require-preflight': 'true',
    ...(await credentials(options.role ?? 'ADMIN')),
  };
  const send = async (input: string, init: RequestInit): Promise<Response> => {
    try {
      return await fetch(input, init);
    } catch (error) {
      throw new GatewayUnreachable(
        `cannot reach the gateway at ${url} (${(error as Error).cause ?? (error as Error).message}); start the platform with npm start, or point --gateway / CIVIC_GATEWAY_URL at it`,
      );
    }
  };
  const requestText = async <T>(query: string, variables?: Record<string, unknown>): Promise<T> => {
    const response = await send(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(120_000),
    });
    const text = await response.text();
    let body: { data?: T; errors?: GraphQLErrorShape[] };
    try {
      body = JSON.parse(text);
    } catch {
      throw new GatewayError(
        `the gateway answered ${response.status} with a body that is not JSON`,
        [],
        response.status,
      );
    }
    if (body.errors?.length) {
      const first = body.errors[0];
      const code = first?.extensions?.code ? ` [${first.extensions.code}]` : '';
      throw new GatewayError(`${first?.message}${code}`, body.errors, response.status);
    }
    if (!body.data) throw new GatewayError(`the gateway answered ${response.status} without data`, [], response.status);
    return body.data;
  };
  return {
    url,
    request: (document, variables) => requestText(print(document), variables as Record<string, unknown>),
    requestText,
    fetchPath(path: string) {
      return send(new URL(path, url).toString(), { headers, signal: AbortSignal.timeout(120_000) });
    },
  };
}

/** One line on stderr and the exit code for a failed command, without a stack trace. */
export function reportFailure(command: string, error: unknown): number {
  if (error instanceof GatewayError) {
    console.error(`civic ${command}: ${error.message}`);
    for (const extra of error.errors.slice(1, 20)) console.error(`  ${extra.message}`);
    return 1;
  }
  console.error(`civic ${command}: ${(error as Error).message}`);
  return 1;
}
