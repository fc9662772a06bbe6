import type { GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { PUBLIC_IDENTITY } from '@civic/server-kit/identity';
import { buildSchema, type GraphQLError, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, test } from 'vitest';
import type { GatewayContext } from './gateway.ts';
import { introspectionCheck } from './introspection-check.ts';
import { limitsCheck } from './limits-check.ts';
import { readDemandDirectives } from './limits-directives.ts';
import { hasNul, nulCheck } from './nul-check.ts';
import { type OperationCheck, operationChecksPlugin } from './operation-checks.ts';

const sdl = `directive @listSize(slicingArguments: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
  type Query { items(first: Int): [Item] @listSize(slicingArguments: ["first"], requireOneSlicingArgument: false) }
  type Item { id: ID name: String }`;
const schema = buildSchema(sdl);
const demand = readDemandDirectives(sdl);
const limits = {
  maxBodyBytes: 100_000,
  maxTokens: 2_000,
  maxDepth: 3,
  maxAliases: 2,
  maxRootFields: 10,
  maxDirectives: 20,
  maxCost: 100,
  defaultListSize: 10,
  maxEntityRepresentations: 1_000,
};

type Request = GraphQLRequestContextDidResolveOperation<GatewayContext>;

function request(query: string, options: { role?: string; variables?: Record<string, unknown> } = {}): Request {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  const identity = { ...PUBLIC_IDENTITY, role: options.role ?? 'PUBLIC' } as GatewayContext['identity'];
  return {
    schema,
    document,
    operation,
    request: { query, variables: options.variables },
    contextValue: { identity, requestId: 'test' },
  } as unknown as Request;
}

function refusal(check: OperationCheck, req: Request): string | undefined {
  try {
    check(req);
    return undefined;
  } catch (error) {
    return String((error as GraphQLError).extensions.code);
  }
}

describe('introspectionCheck', () => {
  const query = '{ __schema { queryType { name } } }';

  test('refuses PUBLIC and PARTNER callers when introspection is not open to everyone', () => {
    const check = introspectionCheck(false);
    expect(refusal(check, request(query))).toBe('INTROSPECTION_DISABLED');
    expect(refusal(check, request(query, { role: 'PARTNER' }))).toBe('INTROSPECTION_DISABLED');
    expect(refusal(check, request('{ items { id } }'))).toBeUndefined();
  });

  test('lets STAFF and ADMIN introspect, and everyone when open', () => {
    expect(refusal(introspectionCheck(false), request(query, { role: 'STAFF' }))).toBeUndefined();
    expect(refusal(introspectionCheck(false), request(query, { role: 'ADMIN' }))).toBeUndefined();
    expect(refusal(introspectionCheck(true), request(query))).toBeUndefined();
  });
});

describe('nulCheck', () => {
  test('finds NUL in variables at any depth and in the document', () => {
    expect(hasNul(parse('{ items { id } }'), { a: [{ b: 'x\u0000y' }] })).toBe(true);
    expect(hasNul(parse('{ items(first: 1) { name } }'), { a: 'plain' })).toBe(false);
    const check = nulCheck();
    expect(refusal(check, request('query ($n: String) { items { id } }', { variables: { n: '\u0000' } }))).toBe(
      'BAD_USER_INPUT',
    );
  });

  test('refuses a document with NUL every time, and the same document with clean variables never', () => {
    const check = nulCheck();
    const withNul = request('{ items(search: "a\\u0000b") { id } }');
    expect(refusal(check, withNul)).toBe('BAD_USER_INPUT');
    expect(refusal(check, withNul)).toBe('BAD_USER_INPUT');
    const clean = request('query ($n: String) { items(search: $n) { id } }', { variables: { n: 'ok' } });
    expect(refusal(check, clean)).toBeUndefined();
    expect(refusal(check, { ...clean, request: { ...clean.request, variables: { n: 'x\u0000' } } })).toBe(
      'BAD_USER_INPUT',
    );
    expect(refusal(check, clean)).toBeUndefined();
  });
});

describe('limitsCheck', () => {
  test('refuses the first limit exceeded, the same for a repeated document', () => {
    const check = limitsCheck(limits, demand);
    expect(refusal(check, request('{ items { id } }'))).toBeUndefined();
    const aliased = request('{ a: items { id } b: items { id } c: items { id } }');
    expect(refusal(check, aliased)).toBe('TOO_MANY_ALIASES');
    expect(refusal(check, aliased)).toBe('TOO_MANY_ALIASES');
  });

  test('measures each set of variables on its own', () => {
    const check = limitsCheck(limits, demand);
    const query = 'query ($n: Int) { items(first: $n) { id name } }';
    expect(refusal(check, request(query, { variables: { n: 5 } }))).toBeUndefined();
    expect(refusal(check, request(query, { variables: { n: 500 } }))).toBe('QUERY_TOO_COMPLEX');
  });
});

describe('operationChecksPlugin', () => {
  test('runs the checks in order and stops at the first refusal', async () => {
    const ran: string[] = [];
    const plugin = operationChecksPlugin([
      () => ran.push('first'),
      () => {
        throw new Error('second refuses');
      },
      () => ran.push('third'),
    ]);
    const listener = await plugin.requestDidStart?.({} as never);
    await expect(listener?.didResolveOperation?.(request('{ items { id } }'))).rejects.toThrow('second refuses');
    expect(ran).toEqual(['first']);
  });
});
