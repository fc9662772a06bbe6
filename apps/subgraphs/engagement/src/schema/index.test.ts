import { readFileSync } from 'node:fs';
import { printSubgraphSchema } from '@apollo/subgraph';
import { describe, expect, it } from 'vitest';
import { schema } from './index.ts';

const printed = printSubgraphSchema(schema);

describe('the engagement subgraph schema', () => {
  it('matches the committed schema.graphql (run `tsx scripts/print-schema.ts` after changing it)', () => {
    expect(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8')).toBe(printed);
  });

  it('keeps the federation contract other subgraphs rely on', () => {
    expect(printed).toMatch(/type Concern\s+@key\(fields: "id"\)/);
    expect(printed).toMatch(/type Neighborhood\s+@key\(fields: "id"\)/);
    for (const field of [
      'summary: String!',
      'themes: [Theme!]!',
      'language: String!',
      'ward: Int',
      'neighborhoodId: ID',
      // Nullable so that a failing initiatives or resources service does not null the concern.
      'initiatives: [Initiative!] @listSize(assumedSize: 5)\n',
      'resources: [Service!] @listSize(assumedSize: 5)\n',
    ]) {
      expect(printed).toContain(field);
    }
    expect(printed).toContain('conversationStats(');
    expect(printed).toMatch(/type ConversationMonth\s*{[^}]*month: String![^}]*published: Int!/s);
    expect(printed).toMatch(/type Initiative\s+@key\(fields: "id"\)\s+@extends[^}]*concerns: \[Concern!\]\n/s);
    expect(printed).toMatch(/type Service\s+@key\(fields: "id"\)\s+@extends[^}]*concerns: \[Concern!\]\n/s);
    expect(printed).toMatch(/type ConcernConnection\s*{[^}]*totalCount: Int!/s);
  });
});
