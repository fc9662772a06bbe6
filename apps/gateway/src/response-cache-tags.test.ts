import { buildSchema, type FragmentDefinitionNode, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, test } from 'vitest';
import { DERIVED_TAG, invalidationTags, tagsOfResult } from './response-cache-tags.ts';

const schema = buildSchema(`
  type Query { concern(id: ID!): Concern, concerns: ConcernConnection!, dashboard: Dashboard!, goals: [Goal!]! }
  type Mutation { changeStatus(id: ID!): Concern!, forget: Boolean! }
  type Concern { id: ID!, summary: String!, neighborhood: Neighborhood, initiatives: [Initiative!] }
  type Neighborhood { id: ID!, name: String! }
  type Initiative { id: ID!, title: String! }
  type ConcernConnection { totalCount: Int!, edges: [ConcernEdge!]! }
  type ConcernEdge { node: Concern! }
  type Dashboard { open: Int! }
  type Goal { number: Int!, title: String! }
`);

function tags(source: string, data: Record<string, unknown>) {
  const document = parse(source);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return [...tagsOfResult(schema, operation, fragments, data)].sort();
}

describe('tagsOfResult', () => {
  test('entities by type and id, through aliases and fragments; lists tag their type', () => {
    expect(
      tags(
        `query { c: concern(id: "1") { key: id ...Place initiatives { id } } }
         fragment Place on Concern { neighborhood { id name } }`,
        { c: { key: 'c1', neighborhood: { id: 'n1', name: 'Walltown' }, initiatives: [{ id: 'i1' }] } },
      ),
    ).toEqual([
      'Concern:*',
      'Concern:c1',
      'Initiative',
      'Initiative:*',
      'Initiative:i1',
      'Neighborhood:*',
      'Neighborhood:n1',
    ]);
  });

  test('a null where an entity could be, an entity without its id, and an empty connection tag the type', () => {
    expect(tags('{ concern(id: "9") { id } }', { concern: null })).toEqual(['Concern']);
    expect(tags('{ concern(id: "9") { summary } }', { concern: { summary: 'x' } })).toEqual(['Concern', 'Concern:?']);
    expect(
      tags('{ concerns { totalCount edges { node { id } } } }', { concerns: { totalCount: 0, edges: [] } }),
    ).toEqual(['Concern']);
  });

  test('answers without entities are derived', () => {
    expect(tags('{ dashboard { open } }', { dashboard: { open: 3 } })).toEqual([DERIVED_TAG]);
    expect(tags('{ goals { number } }', { goals: [{ number: 1 }] })).toEqual([DERIVED_TAG]);
  });
});

describe('invalidationTags', () => {
  test('a write invalidates its entities, their types (lists) and derived answers', () => {
    expect(invalidationTags(new Set(['Concern:c1', 'Concern:*', 'Neighborhood:n1'])).sort()).toEqual([
      'Concern',
      'Concern:c1',
      'Neighborhood',
      'Neighborhood:n1',
      DERIVED_TAG,
    ]);
  });

  test('a write that returned an entity without its id invalidates every answer holding one of its type', () => {
    const written = tags('mutation { changeStatus(id: "c1") { summary } }', { changeStatus: { summary: 'x' } });
    const invalidated = invalidationTags(new Set(written));
    expect(invalidated).toContain('Concern:*');
    const cached = tags('{ concern(id: "c7") { id summary } }', { concern: { id: 'c7', summary: 'y' } });
    expect(cached.some((t) => invalidated.includes(t))).toBe(true);
    // With the id, another concern's answer stays.
    const precise = invalidationTags(
      new Set(tags('mutation { changeStatus(id: "c1") { id } }', { changeStatus: { id: 'c1' } })),
    );
    expect(cached.some((t) => precise.includes(t))).toBe(false);
  });

  test('an in-place change (a translation, a series) clears the answers holding the entity, not every list', () => {
    const list = tags('{ concern(id: "c1") { id initiatives { id title } } }', {
      concern: { id: 'c1', initiatives: [{ id: 'i1', title: 'a' }] },
    });
    const unnamed = tags('{ concern(id: "c2") { id initiatives { title } } }', {
      concern: { id: 'c2', initiatives: [{ title: 'b' }] },
    });
    const other = invalidationTags(new Set(['=Initiative:i9']));
    const held = invalidationTags(new Set(['=Initiative:i1']));
    // The list holds i1, not i9: widened as a mutation's tag, i9 would clear it too (its type's lists).
    expect(list.some((t) => other.includes(t))).toBe(false);
    expect(list.some((t) => invalidationTags(new Set(['Initiative:i9'])).includes(t))).toBe(true);
    expect(list.some((t) => held.includes(t))).toBe(true);
    // An answer holding initiatives without their ids may hold i9.
    expect(unnamed.some((t) => other.includes(t))).toBe(true);
    expect(other.sort()).toEqual(['Initiative:?', 'Initiative:i9', DERIVED_TAG]);
  });
});
