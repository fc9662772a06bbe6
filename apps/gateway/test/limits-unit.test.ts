import { readFileSync } from 'node:fs';
import { buildSchema, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, test } from 'vitest';
import { checkLimits, measureOperation } from '../src/limits.ts';

// The client-facing schema the gateway validates against.
const schema = buildSchema(readFileSync(new URL('../api-schema.graphql', import.meta.url), 'utf8'));

function measure(query: string, variables: Record<string, unknown> = {}, listSize = 10) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  return measureOperation(schema, document, operation, variables, listSize);
}

describe('measureOperation', () => {
  test('counts depth through inline fragments and named fragments', () => {
    expect(measure('{ goals { number } }').depth).toBe(2);
    expect(measure('{ goals { ... on Goal { initiatives { code } } } }').depth).toBe(3);
    expect(measure('{ goals { ...G } } fragment G on Goal { initiatives { goal { number } } }').depth).toBe(4);
  });

  test('a fragment cycle (invalid anyway) counts as too deep rather than looping', () => {
    const shape = measure('{ goals { ...A } } fragment A on Goal { initiatives { goal { ...A } } }');
    expect(shape.depth).toBe(Number.POSITIVE_INFINITY);
  });

  test('cost multiplies list sizes; connections take first/last and their edges add nothing', () => {
    // goals: 1, number: 10 (default list size for goals)
    expect(measure('{ goals { number } }').cost).toBe(11);
    // concerns 1, edges 5, node 5, id 5
    expect(measure('{ concerns(first: 5) { edges { node { id } } } }').cost).toBe(16);
    expect(measure('query($n: Int) { concerns(first: $n) { edges { node { id } } } }', { n: 50 }).cost).toBe(151);
  });

  test("a page size left to a variable's default value is costed at that default (issue 21, item 3)", () => {
    const query = 'query D($n: Int = 100) { concerns(first: $n) { edges { node { id } } } }';
    const withDefault = measure(query).cost;
    expect(withDefault).toBe(measure(query, { n: 100 }).cost);
    expect(withDefault).toBe(301);
    // A value sent explicitly wins over the default, as in execution.
    expect(measure(query, { n: 5 }).cost).toBe(16);
  });

  test('aliases, root fields and directives, fragments included', () => {
    const shape = measure(
      'query Q @skip(if: false) { a: goals { n: number } b: initiatives { code @include(if: true) } ...R } fragment R on Query { neighborhoods { name } }',
    );
    expect(shape.aliases).toBe(3);
    expect(shape.rootFields).toBe(3);
    expect(shape.directives).toBe(2);
  });

  test('checkLimits names the first limit exceeded, with HTTP 400', () => {
    const limits = {
      maxBodyBytes: 1,
      maxTokens: 1,
      maxDepth: 2,
      maxAliases: 1,
      maxRootFields: 1,
      maxDirectives: 1,
      maxCost: 10,
      defaultListSize: 10,
      maxEntityRepresentations: 1,
    };
    const error = checkLimits(measure('{ goals { initiatives { code } } }'), limits);
    expect(error?.extensions).toEqual({ code: 'QUERY_TOO_DEEP', http: { status: 400 } });
    expect(checkLimits(measure('{ goals { number } }'), limits)?.extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(checkLimits(measure('{ goals { id } }', {}, 1), limits)).toBeNull();
  });
});

describe('fragments spread twice per level ("billion laughs")', () => {
  test('are measured in bounded time and come out too complex', () => {
    const fragments = ['fragment L0 on Goal { number title }'];
    for (let i = 1; i <= 40; i++) fragments.push(`fragment L${i} on Goal { ...L${i - 1} ...L${i - 1} }`);
    const shape = measure(`{ goals { ...L40 } } ${fragments.join(' ')}`);
    expect(shape.cost).toBe(Number.POSITIVE_INFINITY);
    const limits = { maxDepth: 10, maxAliases: 30, maxRootFields: 10, maxDirectives: 20, maxCost: 5000 };
    expect(checkLimits(shape, limits as Parameters<typeof checkLimits>[1])?.extensions.code).toBe('QUERY_TOO_COMPLEX');
  });
});
