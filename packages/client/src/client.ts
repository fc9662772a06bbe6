import type { TadaDocumentNode } from 'gql.tada';
import { print } from 'graphql';

export interface CivicClientOptions {
  /** The gateway's GraphQL endpoint. */
  url?: string;
  /** A partner organization's API key (role PARTNER). */
  apiKey?: string;
  /** A staff member's token (role STAFF or ADMIN). */
  token?: string;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** Abort a request after this long. */
  timeoutMs?: number;
}

export interface CivicErrorDetail {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** The API answered with errors (or not at all); `code` is the first error's stable code. */
export class CivicGraphError extends Error {
  override readonly name = 'CivicGraphError';
  constructor(
    message: string,
    readonly status: number,
    readonly errors: CivicErrorDetail[],
    readonly data: unknown,
  ) {
    super(message);
  }
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

export interface Connection<Node> {
  edges: readonly { node: Node }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export interface CivicClient {
  request<Result, Variables>(document: TadaDocumentNode<Result, Variables>, variables: Variables): Promise<Result>;
  /** Every node of a cursor-paginated connection, fetching page after page with `after`. */
  paginate<Result, Variables extends { after?: string | null }, Node>(
    document: TadaDocumentNode<Result, Variables>,
    variables: Variables,
    connection: (data: Result) => Connection<Node>,
  ): AsyncGenerator<Node>;
}

export function createCivicClient(options: CivicClientOptions = {}): CivicClient {
  const url = options.url ?? 'http://localhost:4000/graphql';
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    ...options.headers,
  };
  if (options.apiKey) headers['x-api-key'] = options.apiKey;
  if (options.token) headers.authorization = `Bearer ${options.token}`;

  async function request<Result, Variables>(
    document: TadaDocumentNode<Result, Variables>,
    variables: Variables,
  ): Promise<Result> {
    const response = await doFetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: print(document), variables }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    let body: { data?: Result | null; errors?: CivicErrorDetail[] };
    try {
      body = JSON.parse(text);
    } catch {
      throw new CivicGraphError(`HTTP ${response.status} from ${url}`, response.status, [], null);
    }
    if (body.errors?.length || !body.data) {
      const errors = body.errors ?? [];
      throw new CivicGraphError(errors[0]?.message ?? `HTTP ${response.status}`, response.status, errors, body.data);
    }
    return body.data;
  }

  async function* paginate<Result, Variables extends { after?: string | null }, Node>(
    document: TadaDocumentNode<Result, Variables>,
    variables: Variables,
    connection: (data: Result) => Connection<Node>,
  ): AsyncGenerator<Node> {
    let after: string | null | undefined = variables.after ?? null;
    while (true) {
      const page = connection(await request(document, { ...variables, after }));
      for (const edge of page.edges) yield edge.node;
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
      after = page.pageInfo.endCursor;
    }
  }

  return { request, paginate };
}
