import { readFileSync } from 'node:fs';
import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.ts';

describe('the resources subgraph schema', () => {
  it('matches the committed schema.graphql (run `tsx scripts/print-schema.ts` after changing it)', () => {
    const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(printSubgraphSchema(schema)).toBe(committed);
  });

  it('requires the concern fields matching needs, and describes every public type and field', () => {
    const sdl = printSubgraphSchema(schema);
    expect(sdl).toContain(
      '): [ResourceSuggestion!] @requires(fields: "summary detail themes language ward neighborhoodId englishText excludedSuggestionIds")',
    );
    const field = (schema.getType('Concern') as GraphQLObjectType).getFields().suggestedResources;
    // Nullable so that a failing resources service does not null the concern it is asked for.
    expect(String(field?.type)).toBe('[ResourceSuggestion!]');
    expect(field?.args.map((a) => [a.name, String(a.type), a.defaultValue])).toEqual([
      ['first', 'Int', 5],
      ['language', 'String', undefined],
    ]);
    const undocumented: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('_') || type.name.startsWith('__') || !('getFields' in type)) continue;
      if (
        ['Query', 'Mutation', 'Concern', 'Initiative', 'Neighborhood', 'PageInfo'].includes(type.name) === false &&
        !type.description
      ) {
        undocumented.push(type.name);
      }
      for (const field of Object.values(type.getFields())) {
        if (field.name.startsWith('_')) continue;
        const external = field.astNode?.directives?.some(
          (d: { name: { value: string } }) => d.name.value === 'external',
        );
        if (!field.description && !external && type.name !== 'PageInfo')
          undocumented.push(`${type.name}.${field.name}`);
      }
    }
    expect(undocumented).toEqual([]);
  });
});
