import { readFileSync } from 'node:fs';
import { buildSchema, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, test } from 'vitest';
import { checkLimits, measureOperation } from '../src/limits.ts';
import { type DemandDirectives, readDemandDirectives } from '../src/limits-directives.ts';

// The client-facing schema the gateway validates against, and the supergraph's @cost and @listSize.
const schema = buildSchema(readFileSync(new URL('../api-schema.graphql', import.meta.url), 'utf8'));
const supergraphDemand = readDemandDirectives(readFileSync(new URL('../supergraph.graphql', import.meta.url), 'utf8'));

function measure(
  query: string,
  variables: Record<string, unknown> = {},
  listSize = 10,
  demand: DemandDirectives = supergraphDemand,
) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  return measureOperation(schema, document, operation, variables, listSize, demand);
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

  test('explicit variables, variable defaults and argument defaults size a list (@listSize slicingArguments)', () => {
    const page = 'query P($n: Int = 40) { concerns(first: $n) { edges { node { id } } } }';
    // concerns 1, then edges, node and id once per item.
    expect(measure(page).cost).toBe(1 + 3 * 40);
    expect(measure(page, { n: 7 }).cost).toBe(1 + 3 * 7);
    expect(measure(page, { n: 1 }).cost).toBe(4);
    // similarConcerns(first: Int = 5) @cost(weight: 5): its own weight once per concern, score once per neighbour.
    const similar =
      'query S($k: Int) { concerns(first: 2) { edges { node { similarConcerns(first: $k) { score } } } } }';
    expect(measure(similar).cost).toBe(1 + 2 + 2 + 2 * 5 + 2 * 5);
    expect(measure(similar, { k: 3 }).cost).toBe(1 + 2 + 2 + 2 * 5 + 2 * 3);
    // Without a value anywhere, an unsliced connection takes its assumedSize (20, the subgraph's page).
    expect(measure('{ concerns { edges { node { id } } } }', {}, 7).cost).toBe(1 + 3 * 20);
  });

  test('@listSize assumedSize sizes an unsliced list; lists without @listSize take the default list size', () => {
    // Concern.initiatives @listSize(assumedSize: 5), whatever the default list size.
    const aligned = '{ concerns(first: 2) { edges { node { initiatives { id } } } } }';
    expect(measure(aligned, {}, 10).cost).toBe(1 + 2 + 2 + 2 + 2 * 5);
    expect(measure(aligned, {}, 50).cost).toBe(1 + 2 + 2 + 2 + 2 * 5);
    // Goal.initiatives has no @listSize: the default list size applies.
    expect(measure('{ goals { initiatives { id } } }', {}, 10).cost).toBe(1 + 10 + 10 * 10);
  });

  test("sizedFields: a connection's page size multiplies its edges, not totalCount or pageInfo", () => {
    const query = '{ concerns(first: 3) { totalCount pageInfo { hasNextPage } edges { cursor node { id } } } }';
    // concerns, totalCount, pageInfo, hasNextPage once; edges, cursor, node, id three times.
    expect(measure(query).cost).toBe(4 + 4 * 3);
    const spread = '{ concerns(first: 3) { ...Page } } fragment Page on ConcernConnection { edges { node { id } } }';
    expect(measure(spread).cost).toBe(1 + 3 * 3);
  });

  test('@cost weights fields, arguments and input fields that are given', () => {
    const services = (text: string) => `{ services(${text}first: 2) { edges { node { id } } } }`;
    // services(text: String @cost(weight: 10)): the full-text search costs 10 more, only when asked for.
    expect(measure(services('')).cost).toBe(1 + 3 * 2);
    expect(measure(services('text: "food" ')).cost).toBe(1 + 10 + 3 * 2);
    // ConcernFilter.search @cost(weight: 10), literal or in a variable.
    const filtered = 'query F($f: ConcernFilter) { concerns(first: 2, filter: $f) { edges { node { id } } } }';
    expect(measure(filtered, { f: { ward: 1 } }).cost).toBe(1 + 3 * 2);
    expect(measure(filtered, { f: { search: 'bus' } }).cost).toBe(1 + 10 + 3 * 2);
    expect(measure('{ concerns(first: 2, filter: { search: "bus" }) { edges { node { id } } } }').cost).toBe(17);
    // suggestedResources @cost(weight: 10) runs the matcher once per concern.
    const suggested = '{ concerns(first: 4) { edges { node { suggestedResources(first: 3) { score } } } } }';
    expect(measure(suggested).cost).toBe(1 + 4 + 4 + 4 * 10 + 4 * 3);
  });

  test('a partner page of 50 concerns with their initiatives, resources and suggestions fits the default limit', () => {
    const partner = `query Partner($n: Int = 50) { concerns(first: $n) { totalCount pageInfo { hasNextPage endCursor }
      edges { node { id summary status neighborhood { name } initiatives { id code title status } resources { id name }
      suggestedResources(first: 3) { score resource { id name } } } } } }`;
    const defaults = { maxDepth: 10, maxAliases: 30, maxRootFields: 10, maxDirectives: 20, maxCost: 5000 };
    const limits = defaults as Parameters<typeof checkLimits>[1];
    expect(measure(partner, {}, 20).cost).toBe(3055);
    expect(checkLimits(measure(partner, {}, 20), limits)).toBeNull();
    // Twice the page is refused, whether the size is sent or left to the default.
    expect(checkLimits(measure(partner, { n: 100 }, 20), limits)?.extensions.code).toBe('QUERY_TOO_COMPLEX');
    const big = partner.replace('$n: Int = 50', '$n: Int = 100');
    expect(checkLimits(measure(big, {}, 20), limits)?.extensions.code).toBe('QUERY_TOO_COMPLEX');
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

describe('readDemandDirectives', () => {
  test('the committed supergraph links the cost spec and carries @cost and @listSize', () => {
    const sdl = readFileSync(new URL('../supergraph.graphql', import.meta.url), 'utf8');
    expect(sdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/cost\/v0\.1"/);
    expect(supergraphDemand.fields.get('Query.concerns')?.listSize).toEqual({
      assumedSize: 20,
      slicingArguments: ['first', 'last'],
      sizedFields: ['edges'],
      requireOneSlicingArgument: false,
    });
    expect(supergraphDemand.fields.get('Concern.suggestedResources')?.weight).toBe(10);
    expect(supergraphDemand.fields.get('Concern.suggestedInitiatives')?.weight).toBe(10);
    expect(supergraphDemand.fields.get('Query.services')?.argumentWeights.get('text')).toBe(10);
    expect(supergraphDemand.inputFieldWeights.get('ConcernFilter.search')).toBe(10);
  });

  test('names as imported or renamed by the link, and the spec default requireOneSlicingArgument: true', () => {
    const demand = readDemandDirectives(`
      schema @link(url: "https://specs.apollo.dev/cost/v0.1", as: "demand", import: [{ name: "@cost", as: "@weight" }]) { query: Query }
      type Query {
        a(first: Int): [Int] @demand__listSize(slicingArguments: ["first"]) @weight(weight: 3)
        b: [Int] @listSize(assumedSize: 4)
        c: Int @other(weight: 9)
      }`);
    expect(demand.fields.get('Query.a')).toEqual({
      weight: 3,
      argumentWeights: new Map(),
      listSize: {
        assumedSize: undefined,
        slicingArguments: ['first'],
        sizedFields: undefined,
        requireOneSlicingArgument: true,
      },
    });
    expect(demand.fields.get('Query.b')?.listSize?.assumedSize).toBe(4);
    expect(demand.fields.has('Query.c')).toBe(false);
  });
});
