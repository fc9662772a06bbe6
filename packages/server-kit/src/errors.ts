import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Stable error codes clients may switch on; documented for partners. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  CONFLICT: 'CONFLICT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface FieldProblem {
  field: string;
  message: string;
}

export function badInput(message: string, problems: FieldProblem[] = []): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, problems } });
}

export function notFound(what: string, id: string): GraphQLError {
  return new GraphQLError(`${what} ${id} was not found`, { extensions: { code: ErrorCode.NOT_FOUND } });
}

export function forbidden(message = 'You are not allowed to do this'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
}

export function unauthenticated(message = 'Sign in to do this'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED } });
}

export function conflict(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT } });
}

const CLIENT_CODES = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.NOT_FOUND,
  ErrorCode.FORBIDDEN,
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.CONFLICT,
  ErrorCode.SERVICE_UNAVAILABLE,
  'TOO_MANY_ENTITIES',
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_ROOT_FIELDS',
  'TOO_MANY_DIRECTIVES',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Pothos refuses malformed connection arguments (a cursor that does not decode, a negative
 * `first`) with a PothosValidationError: the client's mistake, so BAD_USER_INPUT.
 */
function connectionArgumentError(error: unknown): GraphQLFormattedError['message'] | null {
  const original = (error as { originalError?: unknown } | null)?.originalError ?? error;
  if (!(original instanceof Error) || original.name !== 'PothosValidationError') return null;
  if (/cursor|base64/i.test(original.message)) return 'The cursor is not valid; use one from a previous page';
  if (/^Argument "(first|last)"/.test(original.message)) return original.message;
  return null;
}

/**
 * Apollo `formatError`: errors with a client code pass through; anything else is an
 * unexpected failure whose details go to the log, never to the caller.
 */
export function maskUnexpectedErrors(log: (error: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const argumentProblem = connectionArgumentError(error);
    if (argumentProblem) {
      return {
        message: argumentProblem,
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    log(error);
    if (isDatabaseUnavailable(error)) {
      return {
        message: 'The service is temporarily unavailable; try again shortly',
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
      };
    }
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

// SQLSTATE classes 08 (connection), 53 (resources), 57P0x (server shutting down or starting) and
// 57014 (statement timeout); Prisma's P1001/P1002/P1008/P1017 (server unreachable, closed) and P2024
// (no connection from the pool in time); pg's own messages for a lost or unobtainable connection.
const UNAVAILABLE_CODE =
  /^(08[0-9A-Z]{3}|53[0-9A-Z]{3}|57P0[0-9]|57014|P100[128]|P1017|P2024|ECONNREFUSED|ECONNRESET)$/;
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection error|timeout exceeded when trying to connect|ECONNREFUSED|ECONNRESET|terminating connection|statement timeout|Code: `(08|53)[0-9A-Z]{3}`|Code: `57P0[0-9]`|Can't reach database server|Server has closed the connection/i;

/**
 * Whether an unexpected error is the database being out of reach (restarting, connections cut, pool
 * exhausted, statement timed out) rather than a bug: the caller may retry, so it is SERVICE_UNAVAILABLE.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const { code, message, originalError, cause } = current as Record<string, unknown>;
    if (typeof code === 'string' && UNAVAILABLE_CODE.test(code)) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    current = originalError ?? cause;
  }
  return false;
}
