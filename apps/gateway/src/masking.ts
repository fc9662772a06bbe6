import type { GraphQLFormattedError } from 'graphql';

/** Codes whose message is written for clients and passes through unchanged. */
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'CONFLICT',
  'SERVICE_UNAVAILABLE',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'TOO_MANY_ALIASES',
  'TOO_MANY_ROOT_FIELDS',
  'TOO_MANY_DIRECTIVES',
  'TOO_MANY_ENTITIES',
  'INTROSPECTION_DISABLED',
]);

/** Codes the gateway itself raises about the client's document; from a subgraph they are internal. */
const GATEWAY_ONLY_CODES = new Set([
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

const SUGGESTION = /\s*Did you mean[^?]*\?/g;

/**
 * The gateway's formatError: client errors keep their message and only `code` (and `problems`
 * for bad input) in extensions; everything else becomes "Internal server error" with the details
 * in the log. Subgraph URLs, statuses, bodies, stack traces and schema suggestions never leave.
 */
export function maskErrors(log: (formatted: GraphQLFormattedError, error: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const extensions = formatted.extensions ?? {};
    const code = typeof extensions.code === 'string' ? extensions.code : undefined;
    const fromSubgraph = 'serviceName' in extensions;
    const passes = code && (CLIENT_CODES.has(code) || (!fromSubgraph && GATEWAY_ONLY_CODES.has(code)));
    const base = {
      ...(formatted.locations && !fromSubgraph ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
    };
    if (passes) {
      const out: Record<string, unknown> = { code };
      if (code === 'BAD_USER_INPUT' && Array.isArray(extensions.problems)) out.problems = extensions.problems;
      return { message: formatted.message.replace(SUGGESTION, ''), ...base, extensions: out };
    }
    log(formatted, error);
    return { message: 'Internal server error', ...base, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
